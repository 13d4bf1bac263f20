//! Generator settings: one `Default` struct that macro arguments, CLI flags and `build.rs` callers
//! all map onto.

/// Which side of the spec to generate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Role {
    /// The application the spec describes: its send operations publish, its receive operations
    /// are handled.
    #[default]
    Application,
    /// The other side (a client of that application, or its test double): every send becomes a
    /// receive and every receive a send.
    Mirror,
}

impl Role {
    /// Parses a role name as written in macro arguments and CLI flags.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "application" => Some(Role::Application),
            "mirror" => Some(Role::Mirror),
            _ => None,
        }
    }
}

/// What to do with examples (and defaults) that contradict their schemas
/// ([`crate::model::Api::wrong_examples`]). They are documentation, so by default they never
/// stop generation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExamplePolicy {
    /// Report each one as a warning (the macro: a compiler warning at the macro call; `check`:
    /// a warning, exit status 0).
    #[default]
    Warn,
    /// Report each one as an error: the macro does not expand, `check` exits with status 1.
    Deny,
    /// Say nothing (for crates built with `deny(warnings)` whose spec cannot be fixed).
    Allow,
}

impl ExamplePolicy {
    /// Parses a policy as written in macro arguments and CLI flags: `warn`, `deny` or `allow`.
    pub fn parse(text: &str) -> Option<ExamplePolicy> {
        match text {
            "warn" => Some(ExamplePolicy::Warn),
            "deny" => Some(ExamplePolicy::Deny),
            "allow" => Some(ExamplePolicy::Allow),
            _ => None,
        }
    }
}

/// Everything that shapes the generated code besides the spec itself.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Settings {
    /// Which side to generate.
    pub role: Role,
    /// The local mirror of `http(s)` references (`<dir>/<host>/<path>`), absolute.
    pub url_vendor: Option<std::path::PathBuf>,
    /// Schema name (a `components.schemas` key) → the Rust type path to use instead of a
    /// generated type, as `x-rust-type` does inside the spec.
    pub type_overrides: std::collections::BTreeMap<String, String>,
    /// When not empty, only these operations (by id) are generated.
    pub include: Vec<String>,
    /// Operations (by id) left out of the generated code.
    pub exclude: Vec<String>,
    /// Examples and defaults that contradict their schemas: warnings, errors or nothing.
    pub examples: ExamplePolicy,
}

impl Settings {
    /// What the loader needs of these settings.
    pub fn load_options(&self) -> crate::loader::LoadOptions {
        crate::loader::LoadOptions {
            url_vendor: self.url_vendor.clone(),
        }
    }
}
