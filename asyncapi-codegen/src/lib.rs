//! The AsyncAPI generator as an ordinary library: load a spec, build the model, emit tokens.
//!
//! It uses `proc_macro2` only, so the same code serves the `asyncapi!` macro, a CLI and `build.rs`
//! callers, and is unit-testable.
//!
//! ```text
//! spec file ──parse──▶ Document (nodes with locations) ──build──▶ model::Api ──emit──▶ TokenStream
//! ```

pub mod diagnostic;
pub mod document;
mod emit;
pub mod loader;
pub mod model;
pub mod naming;
mod settings;
mod structure;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use diagnostic::{Diagnostic, Diagnostics, Location};
pub use emit::examples::{ExampleCase, SkippedMessage};
pub use settings::{ExamplePolicy, Role, Settings};

/// The result of generating from one spec.
#[derive(Debug)]
pub struct Generated {
    /// The items to splice into the user's module.
    pub tokens: TokenStream,
    /// Every file read, as absolute paths, so callers can make the build depend on them.
    pub files: Vec<PathBuf>,
    /// Examples and defaults that contradict their schemas, to show as warnings: empty unless
    /// the settings' [`ExamplePolicy`] is `Warn` (under `Deny` they are errors instead).
    pub warnings: Vec<Diagnostic>,
}

/// Reads the spec at `path` (and every file it references) and generates its items.
///
/// `path` is opened as given; `display` is how it is named in diagnostics (usually as the user
/// wrote it).
pub fn generate_file(
    path: &Path,
    display: &Path,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    let sources = loader::load(path, display, &settings.load_options())?;
    let (tokens, warnings) = emit_sources(&sources, settings)?;
    Ok(Generated {
        tokens,
        files: sources.files().to_vec(),
        warnings,
    })
}

/// Generates the items of a spec given as text; `path` is where its relative references resolve
/// from and how it is named in diagnostics. Wrong examples are errors under
/// [`ExamplePolicy::Deny`] and otherwise not reported (use [`generate_file`] to get them).
pub fn generate_text(
    text: &str,
    path: &Path,
    settings: &Settings,
) -> Result<TokenStream, Diagnostics> {
    let sources = loader::load_text(text, path, path, &settings.load_options())?;
    emit_sources(&sources, settings).map(|(tokens, _)| tokens)
}

/// The generated items and the wrong examples to warn about.
fn emit_sources(
    sources: &loader::Sources,
    settings: &Settings,
) -> Result<(TokenStream, Vec<Diagnostic>), Diagnostics> {
    let api = model::build(sources)?;
    let wrong_examples = api.wrong_examples.clone();
    let (refused, warnings) = match settings.examples {
        ExamplePolicy::Warn => (Vec::new(), wrong_examples),
        ExamplePolicy::Deny => (wrong_examples, Vec::new()),
        ExamplePolicy::Allow => (Vec::new(), Vec::new()),
    };
    if !api.unsupported.is_empty() || !refused.is_empty() {
        return Err(Diagnostics(
            refused.into_iter().chain(api.unsupported.clone()).collect(),
        ));
    }
    check_selection(&api, settings, sources)?;
    Ok((emit::api(&api, settings), warnings))
}

/// Every operation id that `include` and `exclude` name exists.
fn check_selection(
    api: &model::Api,
    settings: &Settings,
    sources: &loader::Sources,
) -> Result<(), Diagnostics> {
    let known: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let mut problems = Diagnostics::default();
    for (list, ids) in [
        ("include", &settings.include),
        ("exclude", &settings.exclude),
    ] {
        for id in ids.iter().filter(|id| !known.contains(&id.as_str())) {
            problems.push(Diagnostic::new(
                sources.entry().root.location.clone(),
                "",
                format!(
                    "`{list}` names operation `{id}`, which the spec does not have; its \
                     operations are {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    problems.into_result(())
}

/// The types of a spec's named schemas and messages, with every message example and the type it
/// must fit (for tests that round-trip examples), and the messages whose examples cannot be
/// checked. Unlike [`generate_file`] this does not refuse specs with constructs that only the
/// operations part of the generator lacks; a schema the generator cannot type becomes
/// `serde_json::Value`.
pub fn generate_example_types(
    path: &Path,
    display: &Path,
    options: &loader::LoadOptions,
) -> Result<(TokenStream, Vec<ExampleCase>, Vec<SkippedMessage>), Diagnostics> {
    let sources = loader::load(path, display, options)?;
    let api = model::build(&sources)?;
    Ok(emit::examples::example_types(&api))
}

/// Loads and checks the spec at `path` without generating code: every problem, or `Ok`.
pub fn check_file(
    path: &Path,
    display: &Path,
    options: &loader::LoadOptions,
) -> Result<model::Api, Diagnostics> {
    let sources = loader::load(path, display, options)?;
    model::build(&sources)
}

/// [`check_file`] for a spec given as text; `path` is where its relative references resolve
/// from and how it is named in diagnostics.
pub fn check_text(
    text: &str,
    path: &Path,
    options: &loader::LoadOptions,
) -> Result<model::Api, Diagnostics> {
    let sources = loader::load_text(text, path, path, options)?;
    model::build(&sources)
}
