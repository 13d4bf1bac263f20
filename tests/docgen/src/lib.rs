//! AsyncAPI documents built as trees from arbitrary bytes, for the structure-aware fuzz target
//! (`fuzz/fuzz_targets/structure.rs`) and its bounded form in CI (`tests/structure.rs`).
//!
//! A document follows the spec's shape (the field names and nesting of 2.0–2.6, 3.0 and 3.1:
//! info, servers with variables and security, channels with parameters, bindings and messages,
//! operations with messages, replies and traits, components of every kind, message traits, Kafka
//! and MQTT bindings, correlation ids, JSON Schema, OpenAPI and Avro payloads), and at every node
//! the bytes may instead give a missing field, an extra field, an empty list or map, a value of
//! the wrong type, a null, or a `$ref` to any place (valid, dangling or cyclic: names come from
//! small pools, so references often hit what the document defines, themselves included).
//!
//! When the bytes run out every choice takes its first option, which is the ordinary one, so
//! short inputs give small, mostly valid documents and longer ones stray further.
//!
//! The tree is our own ([`Tree`]) rather than `serde_json::Value` so that mappings keep their
//! order (it decides 2.x channel names) and may repeat a key; YAML text is written by saphyr's
//! emitter, JSON by [`Tree::to_json`] (a dozen lines, and it must be able to write repeated keys
//! and non-finite numbers, which serde_json refuses).

mod document;
mod render;

use std::path::Path;

pub use arbitrary::Unstructured;
use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::{Role, Settings};

/// A node of a generated document.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Tree>),
    /// Entries in order; a key may repeat.
    Map(Vec<(String, Tree)>),
}

/// A generated document and its text.
#[derive(Clone, Debug)]
pub struct Document {
    pub tree: Tree,
    /// The tree as YAML or JSON.
    pub text: String,
}

/// Builds a document from `u`.
pub fn document(u: &mut Unstructured<'_>) -> arbitrary::Result<Document> {
    let tree = document::build(u)?;
    let text = if u.arbitrary::<bool>()? {
        tree.to_json()
    } else {
        tree.to_yaml()
    };
    Ok(Document { tree, text })
}

/// Feeds `text` to the whole generator as the macro and the CLI do: generation in both roles
/// (load, structure check, model, emitter), whose output must parse as Rust, and `check` with
/// every diagnostic rendered. Panics on a generator bug; returns how many roles generated.
pub fn exercise(text: &str) -> usize {
    // References resolve against a folder that does not exist: file references fail to load.
    let path = Path::new("/nonexistent/structure.yaml");
    let mut generated = 0;
    for role in [Role::Application, Role::Mirror] {
        let mut settings = Settings::default();
        settings.role = role;
        match asyncapi_codegen::generate_text(text, path, &settings) {
            Ok(tokens) => {
                if let Err(e) = syn::parse2::<syn::File>(tokens) {
                    panic!("the generated code ({role:?}) does not parse as Rust: {e}");
                }
                generated += 1;
            }
            Err(diagnostics) => {
                assert!(!diagnostics.0.is_empty(), "an error without a diagnostic");
                for d in diagnostics.iter() {
                    let _ = d.to_string();
                }
            }
        }
    }
    match asyncapi_codegen::check_text(text, path, &LoadOptions::default()) {
        Ok(api) => {
            for d in api.unsupported.iter().chain(&api.warnings) {
                let _ = d.to_string();
            }
        }
        Err(diagnostics) => {
            assert!(!diagnostics.0.is_empty(), "an error without a diagnostic");
            for d in diagnostics.iter() {
                let _ = d.to_string();
            }
        }
    }
    generated
}
