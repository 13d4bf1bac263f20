//! Located errors: every problem found in a spec names the file, line, column and JSON pointer.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A place in a source file. Lines and columns are 1-based, as editors show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (relative paths stay relative, so messages stay short).
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Location {
    /// The start of `file`, for problems that concern a whole file (it cannot be read, say).
    pub fn start_of(file: &Path) -> Self {
        Location {
            file: Arc::from(file),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the offending node starts.
    pub location: Location,
    /// JSON pointer to the offending node within its file (`""` is the document root).
    pub pointer: String,
    /// Lowercase sentence: what was found and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `location`/`pointer`.
    pub fn new(location: Location, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (at #{})",
            self.location, self.message, self.pointer
        )
    }
}

/// Every problem found in one run; never empty when returned as an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    /// Adds one problem, unless the same one (place and message) is already there.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.0.contains(&diagnostic) {
            self.0.push(diagnostic);
        }
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, otherwise all of it.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// The reported problems, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The reference token a JSON pointer segment stands for (RFC 6901: `~1` → `/`, then `~0` → `~`).
pub fn unescape_pointer_token(raw: &str) -> String {
    raw.replace("~1", "/").replace("~0", "~")
}
