//! From a server of the spec and the environment to a running client: [`connect`].

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;

use futures::future::BoxFuture;
use heck::ToShoutySnakeCase;

use crate::{AnyTransport, Client, Server, ServerError, TransportError};

/// The variable [`connect_selected`] reads the server's name from.
pub const SERVER_VARIABLE: &str = "ASYNCAPI_SERVER";

/// The security scheme kinds whose credentials are a user name and a password.
#[cfg_attr(not(any(feature = "mqtt", feature = "kafka")), allow(dead_code))]
const PASSWORD_KINDS: [&str; 4] = ["userPassword", "plain", "scramSha256", "scramSha512"];

/// Connects to a server of the spec (a generated `servers::...` constant), with its variables
/// and credentials from builder arguments and the environment; await it for a
/// `Client<`[`AnyTransport`]`>`.
///
/// ```no_run
/// # mod servers {
/// #     pub const PRODUCTION: asyncapi_runtime::Server = asyncapi_runtime::Server {
/// #         name: "production", url: "{host}:1883", protocol: "mqtt", protocol_version: None,
/// #         variables: &[], security: &[], mqtt: None,
/// #     };
/// # }
/// # async fn run() -> Result<(), asyncapi_runtime::ConnectError> {
/// // ASYNCAPI_PRODUCTION_HOST=broker.internal, ASYNCAPI_PRODUCTION_USERNAME=..., ...
/// let client = asyncapi_runtime::connect(&servers::PRODUCTION).await?;
/// // Or with a value from the code, which the environment does not override.
/// let client = asyncapi_runtime::connect(&servers::PRODUCTION)
///     .variable("port", "1884")
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// # The rules
///
/// Every name below starts with the server's prefix: `ASYNCAPI_` and the server's name in
/// upper snake case (server `production` → `ASYNCAPI_PRODUCTION`, `eu-west.kafka` →
/// `ASYNCAPI_EU_WEST_KAFKA`), or the one set with [`Connect::env_prefix`].
///
/// | what                                  | from                                                     |
/// |---------------------------------------|----------------------------------------------------------|
/// | the transport                         | the server's `protocol`: `mqtt` (MQTT), `secure-mqtt` or `mqtts` (MQTT over TLS), `kafka`, `kafka-secure` (Kafka over TLS) |
/// | a variable `{brokerHost}`             | [`Connect::variable`], else `<PREFIX>_BROKER_HOST`, else the variable's `default` |
/// | the whole URL                         | `<PREFIX>_URL`, when set, instead of the template and its variables |
/// | user name and password                | `<PREFIX>_USERNAME` and `<PREFIX>_PASSWORD`              |
/// | client certificate and its key (PEM files) | `<PREFIX>_CERT` and `<PREFIX>_KEY`                  |
/// | CA certificates to trust (a PEM file) | `<PREFIX>_CA` (the platform's, or librdkafka's default, when unset) |
///
/// The credentials rule, the same for both transports:
///
/// - A user name and password go with the security schemes of kind `userPassword`, `plain`,
///   `scramSha256` and `scramSha512` (MQTT sends them in CONNECT; Kafka uses them for SASL
///   with the mechanism the server's scheme names, `PLAIN` for `userPassword`). Both variables
///   must be set (an empty password is set to the empty string); one without the other is an
///   error naming the missing one.
/// - A client certificate goes with `X509`: `<PREFIX>_CERT` and `<PREFIX>_KEY` are paths to
///   PEM files, both needed. Setting them, or `<PREFIX>_CA`, turns TLS on. (Kafka over TLS
///   needs the `kafka-ssl` feature.)
/// - Whatever is set is used, whether or not the server lists a security scheme.
/// - When the server requires security and none of its schemes is satisfied (by the
///   environment or by `Connect::mqtt` / `Connect::kafka`), connecting fails before
///   reaching the broker, naming the variables to set. Schemes of other kinds (OAuth, API
///   keys, ...) are not read from the environment: configure them through the transport's
///   configuration.
///
/// A variable set to a value outside the server variable's `enum` is an error, and so is a
/// [`Connect::variable`] the server does not have. Values are never logged.
pub fn connect(server: &Server) -> Connect {
    Connect::new(Target::One(*server))
}

/// [`connect`] to the server of `servers` (the generated `servers::ALL`) that the environment
/// variable `ASYNCAPI_SERVER` names (its name in the spec, `production`), or to the only one
/// when there is one: the same program reaches a Kafka cluster in production and an MQTT
/// broker on a laptop when the spec declares both.
pub fn connect_selected(servers: &'static [Server]) -> Connect {
    Connect::new(Target::Select(servers))
}

/// Which server.
#[derive(Clone, Copy, Debug)]
enum Target {
    One(Server),
    Select(&'static [Server]),
}

/// How environment variables are read.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A connection being set up; see [`connect`]. Await it (it is [`IntoFuture`]) for the client.
#[must_use = "nothing connects until it is awaited"]
pub struct Connect {
    target: Target,
    values: Vec<(String, String)>,
    prefix: Option<String>,
    env: Lookup,
    #[cfg(feature = "mqtt")]
    mqtt: Option<Tweak<crate::mqtt::MqttConfig>>,
    #[cfg(feature = "kafka")]
    kafka: Option<Tweak<crate::kafka::KafkaConfig>>,
}

/// A change the application makes to a transport's configuration.
#[cfg(any(feature = "mqtt", feature = "kafka"))]
type Tweak<C> = Box<dyn FnOnce(C) -> C + Send>;

impl fmt::Debug for Connect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect")
            .field("target", &self.target)
            .field("values", &self.values)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Why [`connect`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The server's protocol is not one `connect` knows.
    #[error(
        "server `{server}` speaks `{protocol}`, which connect does not support (it supports \
         mqtt, secure-mqtt, mqtts, kafka and kafka-secure)"
    )]
    UnsupportedProtocol {
        /// The server.
        server: &'static str,
        /// Its protocol.
        protocol: &'static str,
    },
    /// The server's protocol needs a cargo feature of asyncapi-runtime that is not on.
    #[error(
        "server `{server}` speaks `{protocol}`, which needs asyncapi-runtime's `{feature}` \
         feature; it is not compiled in"
    )]
    MissingFeature {
        /// The server.
        server: &'static str,
        /// Its protocol (or what needs the feature).
        protocol: &'static str,
        /// The feature.
        feature: &'static str,
    },
    /// A variable without a value, with a value outside its `enum`, or unknown.
    #[error("{source} (environment variable {env})")]
    Variable {
        /// What is wrong.
        #[source]
        source: ServerError,
        /// The environment variable that sets the variable.
        env: String,
    },
    /// Credentials missing, incomplete or not usable.
    #[error("server `{server}`: {reason}")]
    Credentials {
        /// The server.
        server: &'static str,
        /// What is missing and which variables to set.
        reason: String,
    },
    /// A certificate or key file named by an environment variable could not be read.
    #[error("server `{server}`: cannot read {variable} ({path}): {source}")]
    File {
        /// The server.
        server: &'static str,
        /// The environment variable.
        variable: String,
        /// The path it holds.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// [`connect_selected`] could not tell which server.
    #[error("{0}")]
    Select(String),
    /// The transport refused the configuration or could not connect.
    #[error("server `{server}`: {source}")]
    Transport {
        /// The server.
        server: &'static str,
        /// Why.
        #[source]
        source: TransportError,
    },
}

/// The transport a protocol stands for: one of those compiled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Protocol {
    #[cfg(feature = "mqtt")]
    Mqtt,
    #[cfg(feature = "kafka")]
    Kafka,
}

impl Protocol {
    fn of(server: &Server) -> Result<Protocol, ConnectError> {
        #[allow(unused_variables)]
        let missing = |feature| ConnectError::MissingFeature {
            server: server.name,
            protocol: server.protocol,
            feature,
        };
        match server.protocol {
            "mqtt" | "secure-mqtt" | "mqtts" => {
                #[cfg(feature = "mqtt")]
                return Ok(Protocol::Mqtt);
                #[cfg(not(feature = "mqtt"))]
                return Err(missing("mqtt"));
            }
            "kafka" | "kafka-secure" => {
                #[cfg(feature = "kafka")]
                return Ok(Protocol::Kafka);
                #[cfg(not(feature = "kafka"))]
                return Err(missing("kafka"));
            }
            _ => Err(ConnectError::UnsupportedProtocol {
                server: server.name,
                protocol: server.protocol,
            }),
        }
    }

    /// The transport's name, as [`AnyTransport::protocol`] says it.
    #[cfg(test)]
    fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "mqtt")]
            Protocol::Mqtt => "mqtt",
            #[cfg(feature = "kafka")]
            Protocol::Kafka => "kafka",
        }
    }
}

/// A pair of variables that go together (user name and password, certificate and key).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub(crate) first: String,
    pub(crate) second: String,
}

/// Reads two variables that go together (user name and password, certificate and key): both
/// set, neither, or an error naming the one missing. The one credentials rule of `connect` and of
/// `MqttConfig::credentials_from_env` and `KafkaConfig::credentials_from_env`.
pub(crate) fn env_pair(
    lookup: &dyn Fn(&str) -> Option<String>,
    first: &str,
    second: &str,
) -> Result<Option<Pair>, String> {
    match (lookup(first), lookup(second)) {
        (Some(first), Some(second)) => Ok(Some(Pair { first, second })),
        (None, None) => Ok(None),
        (given, _) => {
            let (set, missing) = if given.is_some() {
                (first, second)
            } else {
                (second, first)
            };
            Err(format!("{set} is set but {missing} is not"))
        }
    }
}

/// The second half may be a password: never shown.
impl fmt::Debug for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pair")
            .field(&self.first)
            .field(&"<redacted>")
            .finish()
    }
}

/// What the server, the builder and the environment decided, before any transport is made.
#[derive(Clone, PartialEq, Eq)]
struct Settings {
    server: Server,
    url: String,
    credentials: Option<Pair>,
    /// Paths of the client certificate and key.
    certificate: Option<Pair>,
    /// Path of the CA certificates.
    ca: Option<String>,
    prefix: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server.name)
            .field("url", &self.url)
            .field(
                "username",
                &self.credentials.as_ref().map(|c| c.first.as_str()),
            )
            .field("certificate", &self.certificate.as_ref().map(|c| &c.first))
            .field("ca", &self.ca)
            .finish_non_exhaustive()
    }
}

impl Connect {
    fn new(target: Target) -> Connect {
        Connect {
            target,
            values: Vec::new(),
            prefix: None,
            env: Arc::new(|name| std::env::var(name).ok()),
            #[cfg(feature = "mqtt")]
            mqtt: None,
            #[cfg(feature = "kafka")]
            kafka: None,
        }
    }

    /// The value of one of the server's variables; it wins over the environment and the
    /// variable's default.
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Connect {
        self.values.push((name.into(), value.into()));
        self
    }

    /// The prefix of the environment variables read, instead of `ASYNCAPI_<SERVER>`:
    /// `env_prefix("ORDERS_BROKER")` reads `ORDERS_BROKER_HOST`, `ORDERS_BROKER_USERNAME`, ...
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Connect {
        self.prefix = Some(prefix.into());
        self
    }

    /// Reads "environment variables" through `lookup` instead of the process's environment
    /// (a secrets store, a map in a test).
    pub fn environment(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Connect {
        self.env = Arc::new(lookup);
        self
    }

    /// Changes the MQTT configuration made from the server and the environment before
    /// connecting (when the server is an MQTT one): `.mqtt(|config| config.buffer(64))`.
    #[cfg(feature = "mqtt")]
    pub fn mqtt(
        mut self,
        configure: impl FnOnce(crate::mqtt::MqttConfig) -> crate::mqtt::MqttConfig + Send + 'static,
    ) -> Connect {
        self.mqtt = Some(Box::new(configure));
        self
    }

    /// Changes the Kafka configuration made from the server and the environment before
    /// connecting (when the server is a Kafka one): `.kafka(|config| config.group_id("billing"))`.
    #[cfg(feature = "kafka")]
    pub fn kafka(
        mut self,
        configure: impl FnOnce(crate::kafka::KafkaConfig) -> crate::kafka::KafkaConfig + Send + 'static,
    ) -> Connect {
        self.kafka = Some(Box::new(configure));
        self
    }

    /// The server to connect to.
    fn server(&self) -> Result<Server, ConnectError> {
        let servers = match self.target {
            Target::One(server) => return Ok(server),
            Target::Select(servers) => servers,
        };
        let names = || {
            servers
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (self.env)(SERVER_VARIABLE) {
            Some(name) => servers
                .iter()
                .find(|s| s.name == name)
                .copied()
                .ok_or_else(|| {
                    ConnectError::Select(format!(
                        "{SERVER_VARIABLE} is {name:?}, which is none of the spec's servers ({})",
                        names()
                    ))
                }),
            None => match servers {
                [only] => Ok(*only),
                [] => Err(ConnectError::Select(
                    "the spec declares no server".to_owned(),
                )),
                _ => Err(ConnectError::Select(format!(
                    "set {SERVER_VARIABLE} to one of the spec's servers ({})",
                    names()
                ))),
            },
        }
    }

    /// Everything but the connection itself.
    fn settings(&self) -> Result<Settings, ConnectError> {
        let server = self.server()?;
        let prefix = self
            .prefix
            .clone()
            .unwrap_or_else(|| format!("ASYNCAPI_{}", server.name.to_shouty_snake_case()));
        let var = |suffix: &str| format!("{prefix}_{}", suffix.to_shouty_snake_case());
        let get = |suffix: &str| (self.env)(&var(suffix));

        let url = match get("url") {
            Some(url) => url,
            None => {
                let from_env: Vec<(&str, String)> = server
                    .variables
                    .iter()
                    .filter(|v| !self.values.iter().any(|(name, _)| name == v.name))
                    .filter_map(|v| get(v.name).map(|value| (v.name, value)))
                    .collect();
                let values: Vec<(&str, &str)> = self
                    .values
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .chain(from_env.iter().map(|(name, value)| (*name, value.as_str())))
                    .collect();
                server.url_with(&values).map_err(|source| {
                    let variable = match &source {
                        ServerError::Missing { variable, .. }
                        | ServerError::NotAllowed { variable, .. } => *variable,
                        ServerError::Unknown { variable, .. } => variable.as_str(),
                    };
                    ConnectError::Variable {
                        env: var(variable),
                        source,
                    }
                })?
            }
        };

        let pair = |first: &str, second: &str| -> Result<Option<Pair>, ConnectError> {
            env_pair(&*self.env, &var(first), &var(second)).map_err(|reason| {
                ConnectError::Credentials {
                    server: server.name,
                    reason,
                }
            })
        };
        let credentials = pair("username", "password")?;
        let certificate = pair("cert", "key")?;
        Ok(Settings {
            server,
            url,
            credentials,
            certificate,
            ca: get("ca"),
            prefix,
        })
    }

    // Without a transport compiled in there is no protocol to connect with.
    #[cfg_attr(
        not(any(feature = "mqtt", feature = "kafka")),
        allow(unused_variables, unreachable_code)
    )]
    async fn run(self) -> Result<Client<AnyTransport>, ConnectError> {
        let protocol = Protocol::of(&self.server()?)?;
        let settings = self.settings()?;
        let server = settings.server.name;
        let transport = |source| ConnectError::Transport { server, source };
        let any = match protocol {
            #[cfg(feature = "mqtt")]
            Protocol::Mqtt => {
                let config = settings.mqtt_config(self.mqtt)?;
                AnyTransport::Mqtt(
                    crate::mqtt::Mqtt::connect(config)
                        .await
                        .map_err(transport)?,
                )
            }
            #[cfg(feature = "kafka")]
            Protocol::Kafka => {
                let config = settings.kafka_config(self.kafka)?;
                AnyTransport::Kafka(
                    crate::kafka::Kafka::connect(config)
                        .await
                        .map_err(transport)?,
                )
            }
        };
        Ok(Client::new(any))
    }
}

impl IntoFuture for Connect {
    type Output = Result<Client<AnyTransport>, ConnectError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg_attr(not(any(feature = "mqtt", feature = "kafka")), allow(dead_code))]
impl Settings {
    fn var(&self, suffix: &str) -> String {
        format!("{}_{suffix}", self.prefix)
    }

    /// The error for a server whose security schemes none is satisfied, naming the variables.
    fn unsatisfied(&self) -> ConnectError {
        let needs: Vec<String> = self
            .server
            .security
            .iter()
            .map(|scheme| {
                let how = if PASSWORD_KINDS.contains(&scheme.kind) {
                    format!("set {} and {}", self.var("USERNAME"), self.var("PASSWORD"))
                } else if scheme.kind == "X509" {
                    format!(
                        "set {} and {} to PEM files of a client certificate and its key",
                        self.var("CERT"),
                        self.var("KEY")
                    )
                } else {
                    "not read from the environment: configure the transport with \
                     Connect::mqtt or Connect::kafka"
                        .to_owned()
                };
                format!("`{}` ({}: {how})", scheme.name, scheme.kind)
            })
            .collect();
        ConnectError::Credentials {
            server: self.server.name,
            reason: format!(
                "requires the security scheme {}, and no credentials for it are configured",
                needs.join(" or ")
            ),
        }
    }

    /// Reads a file an environment variable names.
    #[cfg(feature = "mqtt")]
    fn read(&self, suffix: &str, path: &str) -> Result<Vec<u8>, ConnectError> {
        std::fs::read(path).map_err(|source| ConnectError::File {
            server: self.server.name,
            variable: self.var(suffix),
            path: path.to_owned(),
            source,
        })
    }

    /// The MQTT configuration: the server's, the environment's settings, the application's
    /// tweak; an error naming the variables when the server's security is not satisfied.
    #[cfg(feature = "mqtt")]
    fn mqtt_config(
        &self,
        tweak: Option<Tweak<crate::mqtt::MqttConfig>>,
    ) -> Result<crate::mqtt::MqttConfig, ConnectError> {
        use crate::mqtt::{MqttConfig, TlsConfig};
        let mut config =
            MqttConfig::from_server_and_url(&self.server, &self.url).map_err(|source| {
                ConnectError::Transport {
                    server: self.server.name,
                    source,
                }
            })?;
        if let Some(Pair { first, second }) = &self.credentials {
            config = config.credentials(first, second);
        }
        if self.ca.is_some() || self.certificate.is_some() {
            let mut tls = match &self.ca {
                Some(path) => TlsConfig::with_ca_pem(self.read("CA", path)?),
                None => TlsConfig::native_roots(),
            };
            if let Some(Pair { first, second }) = &self.certificate {
                tls = tls.client_auth(self.read("CERT", first)?, self.read("KEY", second)?);
            }
            config = config.tls(tls);
        }
        if let Some(tweak) = tweak {
            config = tweak(config);
        }
        config.check_security().map_err(|_| self.unsatisfied())?;
        Ok(config)
    }

    /// The Kafka configuration, as [`mqtt_config`](Self::mqtt_config).
    #[cfg(feature = "kafka")]
    fn kafka_config(
        &self,
        tweak: Option<Tweak<crate::kafka::KafkaConfig>>,
    ) -> Result<crate::kafka::KafkaConfig, ConnectError> {
        use crate::kafka::KafkaConfig;
        let mut config =
            KafkaConfig::from_server_and_url(&self.server, &self.url).map_err(|source| {
                ConnectError::Transport {
                    server: self.server.name,
                    source,
                }
            })?;
        if let Some(Pair { first, second }) = &self.credentials {
            config = config.credentials(first, second);
        }
        if self.ca.is_some() || self.certificate.is_some() {
            #[cfg(feature = "kafka-ssl")]
            {
                let mut tls = crate::kafka::KafkaTls::new();
                if let Some(path) = &self.ca {
                    tls = tls.ca_location(path);
                }
                if let Some(Pair { first, second }) = &self.certificate {
                    tls = tls.client_certificate(first, second);
                }
                config = config.tls(tls);
            }
            #[cfg(not(feature = "kafka-ssl"))]
            return Err(ConnectError::MissingFeature {
                server: self.server.name,
                protocol: "Kafka over TLS",
                feature: "kafka-ssl",
            });
        }
        if let Some(tweak) = tweak {
            config = tweak(config);
        }
        config.check_security().map_err(|_| self.unsatisfied())?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::{SecurityScheme, ServerVariable};

    const VARIABLES: &[ServerVariable] = &[
        ServerVariable {
            name: "host",
            default: Some("localhost"),
            allowed: &[],
            description: "",
        },
        ServerVariable {
            name: "brokerPort",
            default: Some("1883"),
            allowed: &["1883", "1884"],
            description: "",
        },
    ];

    const MQTT: Server = Server {
        name: "eu-west.mqtt",
        url: "mqtt://{host}:{brokerPort}",
        protocol: "mqtt",
        protocol_version: None,
        variables: VARIABLES,
        security: &[],
        mqtt: None,
    };

    const SECURED: Server = Server {
        name: "production",
        protocol: "kafka",
        url: "{host}:9092",
        security: &[
            SecurityScheme {
                name: "sasl",
                kind: "scramSha512",
                description: "",
            },
            SecurityScheme {
                name: "mtls",
                kind: "X509",
                description: "",
            },
        ],
        ..MQTT
    };

    /// An environment of these variables only.
    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn settings(connect: Connect) -> Result<Settings, ConnectError> {
        connect.settings()
    }

    #[test]
    fn variables_come_from_arguments_then_the_environment_then_defaults() {
        let defaults = settings(connect(&MQTT).environment(env(&[]))).unwrap();
        assert_eq!(defaults.url, "mqtt://localhost:1883");
        assert_eq!(defaults.prefix, "ASYNCAPI_EU_WEST_MQTT");

        let environment = env(&[
            ("ASYNCAPI_EU_WEST_MQTT_HOST", "broker.internal"),
            ("ASYNCAPI_EU_WEST_MQTT_BROKER_PORT", "1884"),
        ]);
        let from_env = settings(connect(&MQTT).environment(environment)).unwrap();
        assert_eq!(from_env.url, "mqtt://broker.internal:1884");

        let environment = env(&[("ASYNCAPI_EU_WEST_MQTT_HOST", "from-env")]);
        let argument = connect(&MQTT)
            .environment(environment)
            .variable("host", "from-code");
        assert_eq!(settings(argument).unwrap().url, "mqtt://from-code:1883");

        let prefixed = connect(&MQTT)
            .env_prefix("LIGHTS")
            .environment(env(&[("LIGHTS_HOST", "lights.local")]));
        assert_eq!(settings(prefixed).unwrap().url, "mqtt://lights.local:1883");
    }

    #[test]
    fn the_url_variable_replaces_the_template() {
        let environment = env(&[
            ("ASYNCAPI_EU_WEST_MQTT_URL", "mqtts://elsewhere:8884"),
            ("ASYNCAPI_EU_WEST_MQTT_BROKER_PORT", "not even checked"),
        ]);
        let settings = settings(connect(&MQTT).environment(environment)).unwrap();
        assert_eq!(settings.url, "mqtts://elsewhere:8884");
    }

    #[test]
    fn bad_variables_are_errors_naming_them() {
        let environment = env(&[("ASYNCAPI_EU_WEST_MQTT_BROKER_PORT", "1")]);
        let error = settings(connect(&MQTT).environment(environment)).unwrap_err();
        assert!(
            matches!(
                &error,
                ConnectError::Variable {
                    source: ServerError::NotAllowed {
                        variable: "brokerPort",
                        ..
                    },
                    ..
                }
            ),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .contains("environment variable ASYNCAPI_EU_WEST_MQTT_BROKER_PORT"),
            "{error}"
        );
        let unknown = connect(&MQTT).environment(env(&[])).variable("nope", "x");
        assert!(matches!(
            settings(unknown),
            Err(ConnectError::Variable {
                source: ServerError::Unknown { .. },
                ..
            })
        ));
        const NO_DEFAULT: Server = Server {
            variables: &[ServerVariable {
                name: "host",
                default: None,
                allowed: &[],
                description: "",
            }],
            url: "{host}",
            ..MQTT
        };
        let error = settings(connect(&NO_DEFAULT).environment(env(&[]))).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("`host`") && text.contains("ASYNCAPI_EU_WEST_MQTT_HOST"),
            "{text}"
        );
    }

    #[test]
    fn credentials_come_in_pairs() {
        let environment = env(&[
            ("ASYNCAPI_PRODUCTION_USERNAME", "me"),
            ("ASYNCAPI_PRODUCTION_PASSWORD", ""),
            ("ASYNCAPI_PRODUCTION_CERT", "/c.pem"),
            ("ASYNCAPI_PRODUCTION_KEY", "/k.pem"),
            ("ASYNCAPI_PRODUCTION_CA", "/ca.pem"),
        ]);
        let both = settings(connect(&SECURED).environment(environment)).unwrap();
        assert_eq!(
            both.credentials,
            Some(Pair {
                first: "me".into(),
                second: String::new()
            })
        );
        assert_eq!(both.certificate.as_ref().unwrap().second, "/k.pem");
        assert_eq!(both.ca.as_deref(), Some("/ca.pem"));
        assert!(!format!("{both:?}").contains("/k.pem"));

        for (set, missing) in [
            (
                "ASYNCAPI_PRODUCTION_USERNAME",
                "ASYNCAPI_PRODUCTION_PASSWORD",
            ),
            (
                "ASYNCAPI_PRODUCTION_PASSWORD",
                "ASYNCAPI_PRODUCTION_USERNAME",
            ),
            ("ASYNCAPI_PRODUCTION_KEY", "ASYNCAPI_PRODUCTION_CERT"),
        ] {
            let error = settings(connect(&SECURED).environment(env(&[(set, "x")]))).unwrap_err();
            let text = error.to_string();
            assert!(
                matches!(error, ConnectError::Credentials { .. })
                    && text.contains(&format!("{missing} is not"))
                    && text.contains("`production`"),
                "{text}"
            );
        }
    }

    #[test]
    fn an_unsatisfied_server_names_the_variables_of_each_scheme() {
        let settings = settings(connect(&SECURED).environment(env(&[]))).unwrap();
        assert_eq!(settings.credentials, None);
        let text = settings.unsatisfied().to_string();
        for part in [
            "`production`",
            "`sasl` (scramSha512: set ASYNCAPI_PRODUCTION_USERNAME and ASYNCAPI_PRODUCTION_PASSWORD)",
            "`mtls` (X509: set ASYNCAPI_PRODUCTION_CERT and ASYNCAPI_PRODUCTION_KEY",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }

    #[test]
    fn protocols_pick_the_transport_or_say_why_not() {
        let amqp = Server {
            protocol: "amqp",
            ..MQTT
        };
        let error = Protocol::of(&amqp).unwrap_err();
        assert!(
            matches!(
                error,
                ConnectError::UnsupportedProtocol {
                    server: "eu-west.mqtt",
                    protocol: "amqp"
                }
            ),
            "{error}"
        );
        for (protocol, expected, feature) in [
            ("mqtt", "mqtt", cfg!(feature = "mqtt")),
            ("secure-mqtt", "mqtt", cfg!(feature = "mqtt")),
            ("mqtts", "mqtt", cfg!(feature = "mqtt")),
            ("kafka", "kafka", cfg!(feature = "kafka")),
            ("kafka-secure", "kafka", cfg!(feature = "kafka")),
        ] {
            let server = Server { protocol, ..MQTT };
            match Protocol::of(&server) {
                Ok(found) => {
                    assert!(feature, "{protocol}");
                    assert_eq!(found.name(), expected);
                }
                Err(error) => {
                    assert!(!feature, "{protocol}: {error}");
                    assert!(
                        matches!(error, ConnectError::MissingFeature { .. }),
                        "{error}"
                    );
                    let text = error.to_string();
                    assert!(
                        text.contains(protocol) && text.contains("feature"),
                        "{text}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_environment_selects_among_servers() {
        static ALL: [Server; 2] = [MQTT, SECURED];
        let chosen = connect_selected(&ALL).environment(env(&[(SERVER_VARIABLE, "production")]));
        assert_eq!(chosen.server().unwrap().name, "production");
        let unset = connect_selected(&ALL).environment(env(&[]));
        let text = unset.server().unwrap_err().to_string();
        assert!(
            text.contains("ASYNCAPI_SERVER") && text.contains("`eu-west.mqtt`"),
            "{text}"
        );
        let wrong = connect_selected(&ALL).environment(env(&[(SERVER_VARIABLE, "staging")]));
        assert!(wrong.server().unwrap_err().to_string().contains("staging"));
        let one = connect_selected(&ALL[..1]).environment(env(&[]));
        assert_eq!(one.server().unwrap().name, "eu-west.mqtt");
    }

    /// A required scheme not satisfied fails before any broker is asked, naming the
    /// variables; the application's tweak can satisfy it.
    #[cfg(feature = "mqtt")]
    #[tokio::test]
    async fn a_secured_mqtt_server_without_credentials_fails_naming_the_variables() {
        const SECURED_MQTT: Server = Server {
            name: "lights",
            protocol: "mqtt",
            security: &[SecurityScheme {
                name: "user",
                kind: "userPassword",
                description: "",
            }],
            ..MQTT
        };
        let error = connect(&SECURED_MQTT)
            .environment(env(&[]))
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, ConnectError::Credentials { .. })
                && text.contains("ASYNCAPI_LIGHTS_USERNAME and ASYNCAPI_LIGHTS_PASSWORD"),
            "{text}"
        );
        let settings = settings(connect(&SECURED_MQTT).environment(env(&[]))).unwrap();
        let tweaked = settings
            .mqtt_config(Some(Box::new(|config| config.credentials("u", "p"))))
            .unwrap();
        assert!(tweaked.has_credentials());
    }

    #[cfg(feature = "mqtt")]
    #[test]
    fn mqtt_settings_become_its_configuration() {
        let environment = env(&[
            ("ASYNCAPI_EU_WEST_MQTT_HOST", "b"),
            ("ASYNCAPI_EU_WEST_MQTT_USERNAME", "me"),
            ("ASYNCAPI_EU_WEST_MQTT_PASSWORD", "secret"),
        ]);
        let config = settings(connect(&MQTT).environment(environment))
            .unwrap()
            .mqtt_config(None)
            .unwrap();
        assert_eq!((config.host(), config.port()), ("b", 1883));
        assert!(config.has_credentials() && !config.uses_tls());

        // A client certificate satisfies X509 and turns TLS on (the PEM is read when connecting).
        let dir = std::env::temp_dir().join(format!("asyncapi-connect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (cert, key) = (dir.join("client.pem"), dir.join("client.key"));
        std::fs::write(&cert, "certificate").unwrap();
        std::fs::write(&key, "key").unwrap();
        const X509: Server = Server {
            security: &[SecurityScheme {
                name: "mtls",
                kind: "X509",
                description: "",
            }],
            ..MQTT
        };
        let environment = env(&[
            ("ASYNCAPI_EU_WEST_MQTT_CERT", cert.to_str().unwrap()),
            ("ASYNCAPI_EU_WEST_MQTT_KEY", key.to_str().unwrap()),
        ]);
        let config = settings(connect(&X509).environment(environment))
            .unwrap()
            .mqtt_config(None)
            .unwrap();
        assert!(config.uses_tls());
        std::fs::remove_dir_all(&dir).unwrap();

        let missing_ca = env(&[("ASYNCAPI_EU_WEST_MQTT_CA", "/surely/not/here.pem")]);
        let error = settings(connect(&MQTT).environment(missing_ca))
            .unwrap()
            .mqtt_config(None)
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("ASYNCAPI_EU_WEST_MQTT_CA") && text.contains("/surely/not/here.pem"),
            "{text}"
        );
    }

    #[cfg(feature = "kafka")]
    #[test]
    fn kafka_settings_become_its_configuration() {
        let environment = env(&[
            ("ASYNCAPI_PRODUCTION_HOST", "k1"),
            ("ASYNCAPI_PRODUCTION_USERNAME", "me"),
            ("ASYNCAPI_PRODUCTION_PASSWORD", "secret"),
        ]);
        let settings = settings(connect(&SECURED).environment(environment)).unwrap();
        // Satisfied (without `kafka-ssl`, connecting then fails saying SCRAM needs it).
        let config = settings.kafka_config(None).unwrap();
        assert_eq!(config.bootstrap_servers(), "k1:9092");
        let error = settings_without_credentials()
            .kafka_config(None)
            .unwrap_err();
        assert!(
            error.to_string().contains("ASYNCAPI_PRODUCTION_USERNAME"),
            "{error}"
        );
        let tweaked = settings_without_credentials()
            .kafka_config(Some(Box::new(|config| config.credentials("u", "p"))))
            .unwrap();
        assert!(tweaked.check_security().is_ok());
    }

    #[cfg(feature = "kafka")]
    fn settings_without_credentials() -> Settings {
        settings(connect(&SECURED).environment(env(&[]))).unwrap()
    }
}
