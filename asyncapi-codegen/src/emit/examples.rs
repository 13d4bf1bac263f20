//! The types of every message, with the examples the spec gives for them: for tests that check
//! each example deserializes into its type and serializes back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::TypeGen;
use crate::model::{Api, SchemaKind};
use crate::naming::Scope;

/// One message example and the Rust type it must fit.
#[derive(Debug, Clone)]
pub struct ExampleCase {
    /// The message's name.
    pub message: String,
    /// The example's name (`#1`, `#2`, ... when it has none).
    pub example: String,
    /// `payload` or `headers` of a message, or `schema` for a named schema's own `examples`
    /// (then `message` is the schema's name).
    pub part: &'static str,
    /// The Rust type, relative to the generated items.
    pub rust_type: TokenStream,
    /// The example, as JSON.
    pub json: serde_json::Value,
}

/// A message whose examples cannot be checked, and why.
#[derive(Debug, Clone)]
pub struct SkippedMessage {
    /// The message's name.
    pub message: String,
    /// Why.
    pub reason: String,
}

/// The types of every named schema and of every message the document writes, the examples to
/// check against them, and the messages left out.
pub fn example_types(api: &Api) -> (TokenStream, Vec<ExampleCase>, Vec<SkippedMessage>) {
    let mut scope = Scope::default();
    let mut types = TypeGen::new(api, &mut scope, &Default::default());
    types.define_named(api);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = Vec::new();
    for message in api
        .operations
        .iter()
        .flat_map(|op| &op.messages)
        .chain(&api.messages)
    {
        // The same message reached from an operation and from where it is written.
        let key = (
            message.payload.location.clone(),
            format!("{:?}", message.examples),
        );
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if message.examples.is_empty() {
            continue;
        }
        if let Some(ct) = message.content_type.as_deref().filter(|ct| {
            crate::model::Codec::of_content_type(ct) != Some(crate::model::Codec::Json)
        }) {
            skipped.push(SkippedMessage {
                message: message.name.clone(),
                reason: format!("content type `{ct}` is not JSON"),
            });
            continue;
        }
        let payload = types.type_of(&message.payload, &format!("{} payload", message.name));
        let headers = message
            .headers
            .as_ref()
            .map(|h| types.type_of(h, &format!("{} headers", message.name)));
        for example in &message.examples {
            let parts = [
                ("payload", Some(&payload), &example.payload),
                ("headers", headers.as_ref(), &example.headers),
            ];
            for (part, rust_type, json) in parts {
                if let (Some(rust_type), Some(json)) = (rust_type, json) {
                    cases.push(ExampleCase {
                        message: message.name.clone(),
                        example: example.name.clone(),
                        part,
                        rust_type: rust_type.clone(),
                        json: json.clone(),
                    });
                }
            }
        }
    }
    // Schema `examples` of the named schemas too.
    for named in &api.schemas {
        if named.schema.examples.is_empty() || named.schema.rust_type.is_some() {
            continue;
        }
        let rust_type = types.type_of(
            &crate::model::Schema::new(
                SchemaKind::Named(named.key.clone()),
                named.schema.location.clone(),
            ),
            &named.name,
        );
        for (index, example) in named.schema.examples.iter().enumerate() {
            cases.push(ExampleCase {
                message: named.name.clone(),
                example: format!("#{}", index + 1),
                part: "schema",
                rust_type: rust_type.clone(),
                json: example.clone(),
            });
        }
    }
    let items = types.into_items();
    (quote!(#(#items)*), cases, skipped)
}
