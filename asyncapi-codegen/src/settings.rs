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
}

impl Settings {
    /// What the loader needs of these settings.
    pub fn load_options(&self) -> crate::loader::LoadOptions {
        crate::loader::LoadOptions {
            url_vendor: self.url_vendor.clone(),
        }
    }
}
