//! Real-world documents (issue 17): each kind of document that public projects write and that the
//! corpus never showed, as a fixture of our own under `specs/real-world/`, generated through the
//! macro in both roles under `#![deny(warnings)]` and exercised over the in-memory broker.
//! One module per kind.
#![deny(warnings)]

mod avro_files;
mod content_types;
mod dynamic_address;
mod empty_messages;
mod examples;
mod hand_written;
mod placeholders;
mod polymorphism;
mod v3_1;

/// The next message on a raw stream (what went over the wire).
async fn next_raw(raw: &mut asyncapi_runtime::RawStream) -> asyncapi_runtime::Incoming {
    use futures::StreamExt as _;
    asyncapi_tests::within("the raw message", raw.next())
        .await
        .expect("a message")
        .expect("delivered")
}

/// The JSON of the next message on a raw stream.
async fn wire(raw: &mut asyncapi_runtime::RawStream) -> serde_json::Value {
    serde_json::from_slice(&next_raw(raw).await.payload).expect("JSON")
}
