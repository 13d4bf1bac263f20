//! Any bytes through the loader, the model builder and the emitter: no panic, and whatever is
//! emitted parses as Rust.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let settings = asyncapi_codegen::Settings::default();
    // References resolve against a folder that does not exist, so the fuzzer cannot reach the
    // file system beyond failed reads.
    if let Ok(tokens) = asyncapi_codegen::generate_text(&text, Path::new("/nonexistent/fuzz.yaml"), &settings) {
        syn::parse2::<syn::File>(tokens).expect("emitted tokens parse as Rust");
    }
});
