//! Every entry document of the public corpus (`../shared/corpus/SOURCES.tsv`, kind `doc`) put
//! through the user-facing `asyncapi_runtime::asyncapi!` macro, as the application and as its
//! mirror, in a crate that denies warnings: generated code must compile cleanly in a user's crate.
//!
//! `build.rs` writes one module per document and role; the documents that must be rejected (see
//! [`expectations`]) are checked by `tests/rejected.rs`.

#![deny(warnings)]

pub mod expectations;

/// One `docN` and one `docN_mirror` module per document that must compile, and the tables
/// [`COMPILED`](corpus::COMPILED) and [`REJECTED`](corpus::REJECTED).
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}
