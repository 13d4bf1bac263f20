//! The bounded form of the structure-aware fuzz target (`fuzz/fuzz_targets/structure.rs`), run by
//! every `cargo test`: documents built from a fixed-seed byte stream go through the whole
//! generator in both roles and through `check`. No document may panic it, and every generated
//! output must parse as Rust (`exercise` checks that). A failure prints the document.

use std::panic::{AssertUnwindSafe, catch_unwind};

use asyncapi_docgen::{Unstructured, document, exercise};

/// Documents per run: about 20 s of CPU in a debug build (411 of them generate code).
const CASES: usize = 1500;

/// xorshift64*: small and deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn generated_documents_never_panic_the_generator() {
    let mut rng = Rng(0x5EED_A5C1_A910_0017);
    let mut generated = 0;
    let mut some_ok = 0;
    for case in 0..CASES {
        // Lengths from a few bytes (small, mostly valid documents) to a few kilobytes.
        let len = 16 + (rng.next() % 2048) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let Ok(doc) = document(&mut Unstructured::new(&bytes)) else {
            continue;
        };
        generated += 1;
        match catch_unwind(AssertUnwindSafe(|| exercise(&doc.text))) {
            Ok(roles) => some_ok += usize::from(roles > 0),
            Err(_) => panic!(
                "case {case}: the generator panicked on this document:\n{}",
                doc.text
            ),
        }
    }
    eprintln!("{generated} documents, {some_ok} generated code");
    assert!(
        generated > CASES * 9 / 10,
        "only {generated} documents were built"
    );
    // The documents reach the emitter, not only the loader's error paths.
    assert!(
        some_ok > CASES / 50,
        "only {some_ok} documents generated code"
    );
}
