//! The generator over every document of the shared corpus, valid and invalid: it never panics, and
//! whatever it emits parses as Rust. (Which documents it accepts grows with the model; full
//! acceptance of `corpus/public` is tracked separately.)

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_file};

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            documents(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn never_panics_and_emits_valid_rust() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = Vec::new();
    documents(&corpus, &mut files);
    files.sort();
    assert!(
        files.len() > 500,
        "the corpus was not found at {}",
        corpus.display()
    );
    let (mut accepted, mut rejected) = (0, 0);
    for file in &files {
        match generate_file(file, file, &Settings::default()) {
            Ok(generated) => {
                accepted += 1;
                if let Err(e) = syn::parse2::<syn::File>(generated.tokens) {
                    panic!("{}: generated tokens do not parse: {e}", file.display());
                }
            }
            Err(diagnostics) => {
                rejected += 1;
                assert!(!diagnostics.is_empty());
                for d in diagnostics.iter() {
                    assert!(d.location.line >= 1 && d.location.column >= 1, "{d}");
                    assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "{d}");
                }
            }
        }
    }
    println!(
        "{} documents: {accepted} accepted, {rejected} rejected",
        files.len()
    );
}
