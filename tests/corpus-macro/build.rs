//! Writes `$OUT_DIR/corpus.rs`: every entry document of `../shared/corpus` that must compile, put
//! through the user-facing `asyncapi!` macro twice (the application and its mirror), one module
//! each, and the tables of compiled and rejected documents for the tests.
//!
//! Nothing is generated here: the macro does the work while this crate compiles, exactly as in a
//! user's crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/expectations.rs"]
mod expectations;

use expectations::Expectation;

/// The corpus, as the macro sees it: relative to this crate's manifest folder.
const CORPUS: &str = "../../../shared/corpus";

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let sources = corpus.join("SOURCES.tsv");
    let exceptions = corpus.join("public-exceptions.tsv");
    println!("cargo::rerun-if-changed={}", sources.display());
    println!("cargo::rerun-if-changed={}", exceptions.display());
    println!("cargo::rerun-if-changed=src/expectations.rs");
    println!("cargo::rerun-if-changed=../../asyncapi-codegen/tests/missing-files.tsv");
    let sources = std::fs::read_to_string(&sources).expect("the corpus index SOURCES.tsv");
    let exceptions =
        std::fs::read_to_string(&exceptions).expect("the corpus exceptions public-exceptions.tsv");

    let mut code = String::new();
    let mut compiled = Vec::new();
    let mut rejected = Vec::new();
    for (n, path) in expectations::entry_documents(&sources)
        .into_iter()
        .enumerate()
    {
        let expectation = expectations::expectation(&exceptions, path)
            .unwrap_or_else(|e| panic!("public-exceptions.tsv: {e}"));
        let url_vendor = match expectation {
            Expectation::Compile { url_vendor } => url_vendor,
            Expectation::Reject { needle } => {
                rejected.push((path, needle));
                continue;
            }
        };
        // `examples = "allow"`: public documents whose examples contradict their schemas (the
        // official 3.0 kraken ones) warn by design, which this crate's `deny(warnings)` would
        // make errors; the warnings are tested in `tests/ui`, this crate tests the code itself.
        let spec = format!("{CORPUS}/{path}");
        let vendor = url_vendor
            .map(|dir| format!(", url_vendor = {:?}", format!("{CORPUS}/{dir}")))
            .unwrap_or_default();
        for (suffix, role, side) in [
            ("", "application", "the application it describes"),
            ("_mirror", "mirror", "the mirror of that application"),
        ] {
            let doc = format!("`{path}`, as {side}.");
            writeln!(
                code,
                "pub mod doc{n}{suffix} {{\n    #![doc = {doc:?}]\n    \
                 ::asyncapi_runtime::asyncapi!({spec:?}{vendor}, role = {role:?}, \
                 examples = \"allow\");\n}}\n"
            )
            .expect("write to a String");
        }
        compiled.push(path);
    }

    code.push_str("/// Every document compiled above (each as `docN` and `docN_mirror`).\n");
    code.push_str("pub const COMPILED: &[&str] = &[\n");
    for path in &compiled {
        writeln!(code, "    {path:?},").expect("write to a String");
    }
    code.push_str("];\n\n");
    code.push_str(
        "/// The documents that must be rejected, with text their diagnostic must contain.\n",
    );
    code.push_str("pub const REJECTED: &[(&str, &str)] = &[\n");
    for (path, needle) in &rejected {
        writeln!(code, "    ({path:?}, {needle:?}),").expect("write to a String");
    }
    code.push_str("];\n");

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("corpus.rs");
    std::fs::write(&out, code).expect("write corpus.rs");
}
