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
