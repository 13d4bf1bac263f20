//! What each entry document of the corpus is expected to do: compile (perhaps with a folder of
//! local copies of its URL references) or be rejected. Shared by `build.rs` (through `#[path]`)
//! and the tests, so both read the corpus the same way.

/// Public documents whose references lead to files the corpus does not hold, with the reference
/// as written. Copied from `asyncapi-codegen/tests/acceptance.rs`, where the loader's contract is
/// checked: the TCK says a reference to a missing file makes a document invalid
/// (`invalid-inexisting-file-ref.yaml`), so these are rejected by design, with a diagnostic naming
/// the reference. Upstream, the parser-js and parser-go fixtures resolved relative references
/// against their test run's working folder, not against the referring file as the spec says; the
/// spec-json-schemas fixtures are only ever checked against the JSON Schema, which does not follow
/// references.
pub fn missing_files() -> Vec<(&'static str, &'static str)> {
    include_str!("../../../asyncapi-codegen/tests/missing-files.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
}

/// What one entry document must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// Compile through the macro; `url_vendor` is the folder of local copies of its URL
    /// references, relative to the corpus folder.
    Compile {
        /// The `url_vendor` folder, relative to the corpus folder.
        url_vendor: Option<String>,
    },
    /// Be rejected, with a diagnostic containing `needle`.
    Reject {
        /// Text the diagnostic must contain: the URL or the file reference that cannot be read.
        needle: String,
    },
}

/// The entry documents of `SOURCES.tsv` (kind `doc`, the 8th column), in index order.
#[must_use]
pub fn entry_documents(sources: &str) -> Vec<&str> {
    sources
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.get(7) == Some(&"doc")).then_some(cols[0])
        })
        .collect()
}

/// The expectation for the document `path`, from `public-exceptions.tsv` (given as text) and
/// [`missing_files`].
///
/// # Errors
///
/// An exception this crate does not understand, or a document both excepted and missing files.
pub fn expectation(exceptions: &str, path: &str) -> Result<Expectation, String> {
    let row = exceptions
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|cols| cols.first() == Some(&path));
    let missing = missing_files().into_iter().find(|(doc, _)| *doc == path);
    match (row, missing) {
        (Some(_), Some(_)) => Err(format!(
            "{path}: both in public-exceptions.tsv and in missing-files.tsv"
        )),
        (None, Some((_, reference))) => Ok(Expectation::Reject {
            needle: format!("`$ref: {reference}"),
        }),
        (None, None) => Ok(Expectation::Compile { url_vendor: None }),
        (Some(cols), None) => {
            let expected = cols.get(1).copied().unwrap_or("");
            let why = cols.get(2).copied().unwrap_or("");
            if let Some(dir) = expected.strip_prefix("accept with url_vendor=") {
                Ok(Expectation::Compile {
                    url_vendor: Some(dir.trim().to_owned()),
                })
            } else if expected.starts_with("reject") {
                // The reason names the URL that cannot be resolved; the diagnostic must too.
                let url = why
                    .split_whitespace()
                    .find(|word| word.starts_with("https://") || word.starts_with("http://"))
                    .map(|word| word.trim_end_matches([',', '.', ';', ':', ')']));
                match url {
                    Some(url) => Ok(Expectation::Reject {
                        needle: url.to_owned(),
                    }),
                    None => Err(format!(
                        "{path}: a rejection whose reason names no URL: {why}"
                    )),
                }
            } else {
                Err(format!("{path}: unknown expectation `{expected}`"))
            }
        }
    }
}
