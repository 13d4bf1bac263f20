//! A bounded property test that runs in CI: corpus documents, damaged in many small ways (cut
//! short, bytes flipped or dropped, lines removed or swapped), go through the whole generator. It
//! must never panic, and whatever it emits must parse as Rust. The coverage-guided fuzz target
//! explores further; this keeps the guarantee checked on every run.

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_text};

/// Mutated documents per run; fixed seed, so a failure reproduces.
const CASES: usize = 3000;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/public");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yml" | "yaml" | "json")
            ) && let Ok(bytes) = std::fs::read(&path)
                && bytes.starts_with(b"asyncapi")
                    | bytes.windows(10).take(200).any(|w| w == b"\"asyncapi\"")
            {
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..=rng.below(3) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => bytes.truncate(at),
            1 => bytes[at] = rng.next() as u8,
            2 => {
                bytes.remove(at);
            }
            3 => {
                let special = b"{}[]:,'\"#&*!|>-$%\n\t ~/";
                bytes.insert(at, special[rng.below(special.len())]);
            }
            4 => {
                // Drop one line.
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                bytes.drain(start..end);
            }
            _ => {
                // Duplicate a slice somewhere else (repeated keys, nested structure).
                let len = rng.below(64).min(bytes.len() - at);
                let chunk = bytes[at..at + len].to_vec();
                let to = rng.below(bytes.len());
                bytes.splice(to..to, chunk);
            }
        }
    }
    bytes
}

#[test]
fn damaged_documents_never_panic_the_generator() {
    let seeds = seeds();
    assert!(seeds.len() > 100, "the corpus was not found");
    let mut rng = Rng(0x5eed_a5c1_a91c_0de5);
    let (mut accepted, mut rejected) = (0usize, 0usize);
    for case in 0..CASES {
        let (path, seed) = &seeds[rng.below(seeds.len())];
        let bytes = mutate(&mut rng, seed);
        let text = String::from_utf8_lossy(&bytes);
        let outcome = std::panic::catch_unwind(|| generate_text(&text, path, &Settings::default()));
        match outcome {
            Err(_) => panic!(
                "case {case}: the generator panicked on a mutation of {}; input:\n{text}",
                path.display()
            ),
            Ok(Ok(tokens)) => {
                accepted += 1;
                if let Err(e) = syn::parse2::<syn::File>(tokens) {
                    panic!("case {case}: emitted tokens do not parse ({e}); input:\n{text}");
                }
            }
            Ok(Err(_)) => rejected += 1,
        }
    }
    println!("{CASES} mutated documents: {accepted} generated, {rejected} rejected, no panic");
}
