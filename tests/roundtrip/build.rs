//! Generates the types of every entry document of `../shared/corpus/public` (one module each)
//! with a function listing its message examples, for `tests/roundtrip.rs`.

use std::path::{Path, PathBuf};

use asyncapi_codegen::loader::LoadOptions;
use quote::{format_ident, quote};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// `public-exceptions.tsv`: the folder of local copies for a document that references URLs.
fn url_vendor(path: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(corpus().join("public-exceptions.tsv")).ok()?;
    let line = text
        .lines()
        .find(|line| line.split('\t').next() == Some(path))?;
    let expected = line.split('\t').nth(1)?;
    expected
        .strip_prefix("accept with url_vendor=")
        .map(|dir| corpus().join(dir))
}

fn main() {
    let sources = corpus().join("SOURCES.tsv");
    println!("cargo::rerun-if-changed={}", sources.display());
    let index = std::fs::read_to_string(&sources).expect("the corpus index SOURCES.tsv");
    let mut modules = Vec::new();
    let mut table = Vec::new();
    let mut not_generated = Vec::new();
    let mut skipped = Vec::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(&"doc")) = (cols.first(), cols.get(7)) else {
            continue;
        };
        let options = LoadOptions {
            url_vendor: url_vendor(path),
        };
        let generated = asyncapi_codegen::generate_example_types(
            &corpus().join(path),
            Path::new(path),
            &options,
        );
        let (tokens, cases, skips) = match generated {
            Ok(generated) => generated,
            Err(diagnostics) => {
                let first = diagnostics
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                not_generated.push(quote!((#path, #first)));
                continue;
            }
        };
        for skip in skips {
            let (message, reason) = (skip.message, skip.reason);
            skipped.push(quote!((#path, #message, #reason)));
        }
        let module = format_ident!("doc{}", modules.len());
        let runs = cases.iter().map(|case| {
            let ty = &case.rust_type;
            let (message, example, part) = (&case.message, &case.example, case.part);
            let json = case.json.to_string();
            quote! {
                crate::Case::run::<#ty>(#path, #message, #example, #part, #json)
            }
        });
        modules.push(quote! {
            /// One corpus document's types and example cases.
            pub mod #module {
                #tokens

                /// The document's example cases.
                pub fn cases() -> ::std::vec::Vec<crate::Case> {
                    ::std::vec![#(#runs),*]
                }
            }
        });
        table.push(quote!((#path, #module::cases)));
    }
    let code = quote! {
        #(#modules)*

        /// Every generated document and its example cases.
        pub const DOCUMENTS: &[(&str, crate::Cases)] = &[#(#table),*];
        /// Documents the generator rejected, with the first diagnostic.
        pub const NOT_GENERATED: &[(&str, &str)] = &[#(#not_generated),*];
        /// Messages whose examples are not checked: (document, message, reason).
        pub const SKIPPED: &[(&str, &str, &str)] = &[#(#skipped),*];
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("corpus.rs");
    // Formatted, so that lints about layout see code laid out as a person would write it.
    let file: syn::File = syn::parse2(code).expect("generated code parses");
    std::fs::write(&out, prettyplease::unparse(&file)).expect("write corpus.rs");
}
