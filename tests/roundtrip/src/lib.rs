//! The types generated from every entry document of the public corpus, each with its message
//! examples; `tests/roundtrip.rs` checks that every example survives a round trip.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The example cases of one document.
pub type Cases = fn() -> Vec<Case>;

/// One message example put through its type.
#[derive(Debug)]
pub struct Case {
    /// The document.
    pub document: &'static str,
    /// The message's name.
    pub message: &'static str,
    /// The example's name.
    pub example: &'static str,
    /// `payload` or `headers`.
    pub part: &'static str,
    /// `Ok` when the example deserialized and serialized back to equal JSON; otherwise why not.
    pub outcome: Result<(), String>,
}

impl Case {
    /// Deserializes `json` into `T`, serializes it again and compares.
    pub fn run<T: Serialize + DeserializeOwned>(
        document: &'static str,
        message: &'static str,
        example: &'static str,
        part: &'static str,
        json: &'static str,
    ) -> Case {
        Case {
            document,
            message,
            example,
            part,
            outcome: round_trip::<T>(json),
        }
    }
}

fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<(), String> {
    let original: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_str(json).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    // JSON equality with numbers compared by value (`21` and `21.0` are the same JSON number).
    if asyncapi_runtime::validate::json_equal(&original, &back) {
        Ok(())
    } else {
        Err(format!(
            "serializes back differently:\n  was {original}\n  now {back}"
        ))
    }
}

/// The generated modules and the tables of documents, rejected documents and skipped messages.
/// Generated code is held to the same lints as the user's crate: no allowances here.
#[deny(warnings)]
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}
