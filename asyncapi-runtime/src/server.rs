//! Servers as the spec declares them: generated as constants (`servers::PRODUCTION`), read by
//! transports to connect. Credentials never come from here: the spec names security schemes,
//! the application supplies the secrets at runtime.

use std::collections::BTreeMap;

/// A server of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    /// Its key under `servers`.
    pub name: &'static str,
    /// The URL template, `{variable}` placeholders included (2.x `url`; 3.0 `host` + `pathname`).
    pub url: &'static str,
    /// `protocol`: `mqtt`, `secure-mqtt`, `kafka`, `kafka-secure`, ...
    pub protocol: &'static str,
    /// `protocolVersion`.
    pub protocol_version: Option<&'static str>,
    /// `variables`.
    pub variables: &'static [ServerVariable],
    /// The security schemes the server requires (any one of them).
    pub security: &'static [SecurityScheme],
    /// Its MQTT binding, if it has one.
    pub mqtt: Option<crate::bindings::MqttServerBinding>,
}

/// A server variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// Its name.
    pub name: &'static str,
    /// `default`.
    pub default: Option<&'static str>,
    /// `enum`: the values allowed (any when empty).
    pub allowed: &'static [&'static str],
    /// `description` (empty when none).
    pub description: &'static str,
}

/// A security scheme a server requires. Only its name and type: secrets are runtime input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name under `components.securitySchemes`.
    pub name: &'static str,
    /// `type`: `userPassword`, `X509`, `plain`, `scramSha256`, ...
    pub kind: &'static str,
    /// `description` (empty when none).
    pub description: &'static str,
}

/// Why a server URL could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// A variable has no value given and no default.
    #[error("server `{server}`: variable `{variable}` has no value and no default")]
    Missing {
        /// The server.
        server: &'static str,
        /// The variable.
        variable: &'static str,
    },
    /// A value outside the variable's `enum`.
    #[error(
        "server `{server}`: variable `{variable}` cannot be {value:?}; expected one of {allowed:?}"
    )]
    NotAllowed {
        /// The server.
        server: &'static str,
        /// The variable.
        variable: &'static str,
        /// The value given.
        value: String,
        /// The values allowed.
        allowed: &'static [&'static str],
    },
    /// A value for a variable the server does not have.
    #[error("server `{server}` has no variable `{variable}`")]
    Unknown {
        /// The server.
        server: &'static str,
        /// The name given.
        variable: String,
    },
}

impl Server {
    /// The URL with every variable at its default.
    pub fn default_url(&self) -> Result<String, ServerError> {
        self.url_with(&[])
    }

    /// The URL with the given variable values (others at their defaults), each checked against
    /// its `enum`.
    pub fn url_with(&self, values: &[(&str, &str)]) -> Result<String, ServerError> {
        let given: BTreeMap<&str, &str> = values.iter().copied().collect();
        for name in given.keys() {
            if !self.variables.iter().any(|v| v.name == *name) {
                return Err(ServerError::Unknown {
                    server: self.name,
                    variable: (*name).to_owned(),
                });
            }
        }
        let mut url = self.url.to_owned();
        for variable in self.variables {
            let value = given
                .get(variable.name)
                .copied()
                .or(variable.default)
                .ok_or(ServerError::Missing {
                    server: self.name,
                    variable: variable.name,
                })?;
            if !variable.allowed.is_empty() && !variable.allowed.contains(&value) {
                return Err(ServerError::NotAllowed {
                    server: self.name,
                    variable: variable.name,
                    value: value.to_owned(),
                    allowed: variable.allowed,
                });
            }
            url = url.replace(&format!("{{{}}}", variable.name), value);
        }
        Ok(url)
    }

    /// Whether the server requires authentication of some kind.
    pub fn requires_security(&self) -> bool {
        !self.security.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Server = Server {
        name: "production",
        url: "{host}.example:{port}",
        protocol: "mqtt",
        protocol_version: Some("5"),
        variables: &[
            ServerVariable {
                name: "host",
                default: None,
                allowed: &[],
                description: "",
            },
            ServerVariable {
                name: "port",
                default: Some("1883"),
                allowed: &["1883", "8883"],
                description: "",
            },
        ],
        security: &[SecurityScheme {
            name: "user",
            kind: "userPassword",
            description: "",
        }],
        mqtt: None,
    };

    #[test]
    fn urls_from_variables() {
        assert_eq!(
            SERVER.url_with(&[("host", "broker")]).unwrap(),
            "broker.example:1883"
        );
        assert_eq!(
            SERVER.url_with(&[("host", "b"), ("port", "8883")]).unwrap(),
            "b.example:8883"
        );
        assert!(matches!(
            SERVER.default_url(),
            Err(ServerError::Missing {
                variable: "host",
                ..
            })
        ));
        assert!(matches!(
            SERVER.url_with(&[("host", "b"), ("port", "1")]),
            Err(ServerError::NotAllowed { .. })
        ));
        assert!(matches!(
            SERVER.url_with(&[("nope", "b")]),
            Err(ServerError::Unknown { .. })
        ));
        assert!(SERVER.requires_security());
    }
}
