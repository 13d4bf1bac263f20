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
pub mod model;
pub mod naming;
mod settings;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use diagnostic::{Diagnostic, Diagnostics, Location};
pub use settings::{Role, Settings};

/// The result of generating from one spec.
#[derive(Debug)]
pub struct Generated {
    /// The items to splice into the user's module.
    pub tokens: TokenStream,
    /// Every file read, as absolute paths, so callers can make the build depend on them.
    pub files: Vec<PathBuf>,
}

/// Reads the spec at `path` and generates its items.
///
/// `path` is opened as given; `display` is how it is named in diagnostics (usually as the user
/// wrote it).
pub fn generate_file(
    path: &Path,
    display: &Path,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(
            Location::start_of(display),
            "",
            format!("cannot read the spec file `{}`: {e}", path.display()),
        )
    })?;
    let tokens = generate_str(&text, display, settings)?;
    Ok(Generated {
        tokens,
        files: vec![path.to_path_buf()],
    })
}

/// Generates the items of a spec given as text; `display` names it in diagnostics.
pub fn generate_str(
    text: &str,
    display: &Path,
    settings: &Settings,
) -> Result<TokenStream, Diagnostics> {
    let document = document::parse(text, display)?;
    let api = model::build(&document)?;
    Ok(emit::api(&api, settings))
}
