//! AsyncAPI documents built as trees (`asyncapi-docgen`: the spec's objects and fields, with
//! missing and extra fields, empty lists and maps, wrong types, nulls and `$ref`s to everywhere)
//! through the whole generator in both roles and through `check`: no panic, and whatever is
//! emitted parses as Rust. `tests/docgen/tests/structure.rs` runs the same from a fixed seed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = asyncapi_docgen::Unstructured::new(data);
    if let Ok(doc) = asyncapi_docgen::document(&mut u) {
        asyncapi_docgen::exercise(&doc.text);
    }
});
