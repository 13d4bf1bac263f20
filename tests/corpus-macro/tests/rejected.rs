//! The documents that must not compile are rejected for their reason, and every other entry
//! document of the corpus is among those compiled through the macro: none drops out silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use asyncapi_codegen::{Role, Settings};
use asyncapi_corpus_macro::corpus::{COMPILED, REJECTED};
use asyncapi_corpus_macro::expectations::{self, Expectation, missing_files};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(corpus().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_rejected_document_is_rejected_for_its_reason() {
    let mut failures = Vec::new();
    for (path, needle) in REJECTED {
        // Both roles: the rejection comes from the document, not from the side generated.
        for role in [Role::Application, Role::Mirror] {
            let mut settings = Settings::default();
            settings.role = role;
            match asyncapi_codegen::generate_file(&corpus().join(path), Path::new(path), &settings)
            {
                Ok(_) => failures.push(format!("{path} ({role:?}): generated, must be rejected")),
                Err(diagnostics) if diagnostics.to_string().contains(needle) => {}
                Err(diagnostics) => failures.push(format!(
                    "{path} ({role:?}): rejected, but no diagnostic contains {needle:?}:\n\
                     {diagnostics}"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_entry_document_is_compiled_or_rejected() {
    let sources = read("SOURCES.tsv");
    let exceptions = read("public-exceptions.tsv");
    let documents = expectations::entry_documents(&sources);
    assert!(
        documents.len() >= 200,
        "only {} entry documents: the corpus index is incomplete",
        documents.len()
    );

    let mut must_compile = BTreeSet::new();
    let mut must_fail = BTreeSet::new();
    for path in &documents {
        match expectations::expectation(&exceptions, path) {
            Ok(Expectation::Compile { .. }) => must_compile.insert(*path),
            Ok(Expectation::Reject { .. }) => must_fail.insert(*path),
            Err(e) => panic!("{e}"),
        };
    }
    // Every document of missing-files.tsv is still an entry document (the list is not stale), and
    // the rejections of public-exceptions.tsv are all counted.
    for (path, _) in missing_files() {
        assert!(
            must_fail.contains(path),
            "{path} is in missing-files.tsv but not an entry document of SOURCES.tsv"
        );
    }
    let rejected_by_exceptions = exceptions
        .lines()
        .skip(1)
        .filter(|line| {
            line.split('\t')
                .nth(1)
                .is_some_and(|e| e.starts_with("reject"))
        })
        .count();
    assert_eq!(
        must_fail.len(),
        missing_files().len() + rejected_by_exceptions
    );

    let compiled: BTreeSet<&str> = COMPILED.iter().copied().collect();
    assert_eq!(compiled.len(), COMPILED.len(), "a document compiled twice");
    let rejected: BTreeSet<&str> = REJECTED.iter().map(|(path, _)| *path).collect();
    assert_eq!(
        compiled.len(),
        documents.len() - must_fail.len(),
        "compiled documents: {} of {} entry documents, {} must fail",
        compiled.len(),
        documents.len(),
        must_fail.len()
    );
    assert_eq!(compiled, must_compile);
    assert_eq!(rejected, must_fail);
}
