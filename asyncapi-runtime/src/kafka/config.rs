//! What a [`Kafka`](super::Kafka) connection is made of: bootstrap servers, client and group ids,
//! security, librdkafka properties, and the adapter's own settings.

use std::fmt;
use std::time::Duration;

use rdkafka::ClientConfig;

use crate::{SecurityScheme, Server, TransportError};

/// Messages buffered per subscription before the adapter stops taking records from librdkafka
/// (which then stops fetching once its own bounded queue is full).
pub const DEFAULT_BUFFER: usize = 1024;

/// How long [`Kafka::connect`](super::Kafka::connect) waits for the cluster's metadata, and
/// [`Kafka::subscribe`](crate::Transport::subscribe) for its partitions.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A SASL mechanism librdkafka authenticates with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SaslMechanism {
    /// `PLAIN` (the spec's `plain` and `userPassword` schemes).
    Plain,
    /// `SCRAM-SHA-256` (`scramSha256`); librdkafka needs OpenSSL for it: the `kafka-ssl` feature.
    ScramSha256,
    /// `SCRAM-SHA-512` (`scramSha512`); needs the `kafka-ssl` feature too.
    ScramSha512,
}

impl SaslMechanism {
    /// The mechanism a security scheme `type` of the spec stands for, if it is a SASL one.
    pub fn from_scheme_kind(kind: &str) -> Option<SaslMechanism> {
        match kind {
            "plain" | "userPassword" => Some(SaslMechanism::Plain),
            "scramSha256" => Some(SaslMechanism::ScramSha256),
            "scramSha512" => Some(SaslMechanism::ScramSha512),
            _ => None,
        }
    }

    /// librdkafka's name for it (`sasl.mechanism`).
    pub const fn as_str(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "PLAIN",
            SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
            SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }
}

/// Where consumption starts in a partition the group has no committed offset for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OffsetReset {
    /// The oldest record still kept.
    Earliest,
    /// The next record produced (the partition's end when the subscription gets it).
    Latest,
}

impl OffsetReset {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
        }
    }
}

/// TLS settings (`security.protocol` `SSL` / `SASL_SSL`); file paths in PEM.
#[cfg(feature = "kafka-ssl")]
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct KafkaTls {
    /// CA certificates to verify the brokers with (`ssl.ca.location`); the system's when `None`.
    pub ca_location: Option<String>,
    /// The client certificate, for brokers that authenticate clients by certificate
    /// (`ssl.certificate.location`, the spec's `X509` scheme).
    pub certificate_location: Option<String>,
    /// The client certificate's private key (`ssl.key.location`).
    pub key_location: Option<String>,
    /// The private key's password (`ssl.key.password`).
    pub key_password: Option<String>,
}

#[cfg(feature = "kafka-ssl")]
impl KafkaTls {
    /// TLS verified against the system's CA certificates, no client certificate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Verifies the brokers against the CA certificates in this PEM file.
    pub fn ca_location(mut self, path: impl Into<String>) -> Self {
        self.ca_location = Some(path.into());
        self
    }

    /// Authenticates with this client certificate and private key (PEM files).
    pub fn client_certificate(
        mut self,
        certificate: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.certificate_location = Some(certificate.into());
        self.key_location = Some(key.into());
        self
    }

    /// The private key's password.
    pub fn key_password(mut self, password: impl Into<String>) -> Self {
        self.key_password = Some(password.into());
        self
    }
}

#[cfg(feature = "kafka-ssl")]
impl fmt::Debug for KafkaTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaTls")
            .field("ca_location", &self.ca_location)
            .field("certificate_location", &self.certificate_location)
            .field("key_location", &self.key_location)
            .field(
                "key_password",
                &self.key_password.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A user name and password for SASL; the password never reaches a `Debug` output.
#[derive(Clone, PartialEq, Eq)]
struct Credentials {
    /// Chosen by the caller; `None` lets the server's security scheme decide (`PLAIN` when it
    /// names none).
    mechanism: Option<SaslMechanism>,
    username: String,
    password: String,
}

/// The configuration of a [`Kafka`](super::Kafka) connection.
///
/// Secrets come from here (or the environment through [`credentials_from_env`]), never from the
/// spec: a [`Server`] only says which security schemes it requires.
///
/// [`credentials_from_env`]: KafkaConfig::credentials_from_env
#[derive(Clone)]
pub struct KafkaConfig {
    pub(crate) bootstrap_servers: String,
    pub(crate) group_id: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) offset_reset: OffsetReset,
    pub(crate) buffer: usize,
    pub(crate) timeout: Duration,
    /// Properties for every client, then the producer's and the consumers' own, in order.
    common: Vec<(String, String)>,
    producer: Vec<(String, String)>,
    consumer: Vec<(String, String)>,
    credentials: Option<Credentials>,
    /// The prefix `credentials_from_env` found neither variable of, for the error that names
    /// them.
    env_prefix: Option<String>,
    /// Why `credentials_from_env` could not take the credentials (one variable without the other).
    credentials_error: Option<String>,
    /// The server's protocol asks for TLS (`kafka-secure`).
    secure: bool,
    /// The schemes the server requires (any one of them).
    security: Vec<SecurityScheme>,
    /// The server it was made from, for error messages.
    server: Option<&'static str>,
    #[cfg(feature = "kafka-ssl")]
    tls: Option<KafkaTls>,
}

impl fmt::Debug for KafkaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("KafkaConfig");
        out.field("bootstrap_servers", &self.bootstrap_servers)
            .field("server", &self.server)
            .field("group_id", &self.group_id)
            .field("client_id", &self.client_id)
            .field("offset_reset", &self.offset_reset)
            .field("buffer", &self.buffer)
            .field("timeout", &self.timeout)
            .field("properties", &Redacted(&self.common))
            .field("producer_properties", &Redacted(&self.producer))
            .field("consumer_properties", &Redacted(&self.consumer))
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|c| (c.mechanism, &c.username, "<redacted>")),
            )
            .field("secure", &self.secure)
            .field(
                "security",
                &self.security.iter().map(|s| s.name).collect::<Vec<_>>(),
            );
        #[cfg(feature = "kafka-ssl")]
        out.field("tls", &self.tls);
        out.finish()
    }
}

/// Property pairs with the values of secret-looking keys hidden.
struct Redacted<'a>(&'a [(String, String)]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(key, value)| {
                let shown = if is_secret(key) {
                    "<redacted>"
                } else {
                    value.as_str()
                };
                (key, shown)
            }))
            .finish()
    }
}

/// Whether a librdkafka property holds a secret (`sasl.password`, `ssl.key.password`,
/// `sasl.oauthbearer.client.secret`, `ssl.key.pem`, ...).
pub(crate) fn is_secret(key: &str) -> bool {
    [
        "password",
        "secret",
        "pem",
        "token",
        "jaas",
        "sasl.oauthbearer.config",
    ]
    .iter()
    .any(|word| key.contains(word))
}

impl KafkaConfig {
    /// A connection to these bootstrap servers (`host:port`, comma separated); any
    /// `scheme://` prefix is dropped, and so is a `user:password@` part (credentials come from
    /// [`credentials`](Self::credentials), never from a URL).
    pub fn new(bootstrap_servers: impl Into<String>) -> Self {
        KafkaConfig {
            bootstrap_servers: strip_scheme(&bootstrap_servers.into()),
            group_id: None,
            client_id: None,
            offset_reset: OffsetReset::Earliest,
            buffer: DEFAULT_BUFFER,
            timeout: DEFAULT_TIMEOUT,
            common: Vec::new(),
            producer: Vec::new(),
            consumer: Vec::new(),
            credentials: None,
            env_prefix: None,
            credentials_error: None,
            secure: false,
            security: Vec::new(),
            server: None,
            #[cfg(feature = "kafka-ssl")]
            tls: None,
        }
    }

    /// A connection to a server of the spec, its variables at their defaults. Its protocol
    /// decides TLS (`kafka-secure`), its security schemes which SASL mechanism the credentials
    /// are used with; the credentials themselves are for the application to give.
    pub fn from_server(server: &Server) -> Result<Self, TransportError> {
        Self::from_server_with(server, &[])
    }

    /// [`from_server`](Self::from_server) with values for some of the server's variables.
    pub fn from_server_with(
        server: &Server,
        values: &[(&str, &str)],
    ) -> Result<Self, TransportError> {
        let url = server
            .url_with(values)
            .map_err(|e| TransportError::Config(e.to_string()))?;
        Self::from_server_and_url(server, &url)
    }

    /// [`from_server_with`](Self::from_server_with) with the URL given whole (`connect`'s
    /// `<PREFIX>_URL`) rather than made from the server's template.
    pub(crate) fn from_server_and_url(server: &Server, url: &str) -> Result<Self, TransportError> {
        let secure = match server.protocol {
            "kafka" => false,
            "kafka-secure" => true,
            other => {
                return Err(TransportError::Config(format!(
                    "server `{}` speaks `{other}`, not `kafka` or `kafka-secure`",
                    server.name
                )));
            }
        };
        let mut config = KafkaConfig::new(url);
        config.secure = secure;
        config.security = server.security.to_vec();
        config.server = Some(server.name);
        Ok(config)
    }

    /// The consumer group of subscriptions whose channel binding names none. Without one, each
    /// such subscription gets a group of its own and reads only what is produced after it
    /// started (every subscription gets every message).
    pub fn group_id(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    /// The client id (`client.id`) of the producer and of consumers whose subscription names none.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Where a named group starts in a partition it has no committed offset for
    /// ([`OffsetReset::Earliest`] by default). Subscriptions without a group always start at
    /// the end.
    pub fn offset_reset(mut self, reset: OffsetReset) -> Self {
        self.offset_reset = reset;
        self
    }

    /// Messages buffered per subscription (at least 1; [`DEFAULT_BUFFER`] by default); when a
    /// subscription's buffer is full it stops taking records until the application reads on
    /// (librdkafka stops fetching once its own queue, 16 MiB, is full; partitions are paused
    /// only for a consumer stuck for a minute or more).
    pub fn buffer(mut self, messages: usize) -> Self {
        self.buffer = messages.max(1);
        self
    }

    /// How long connecting waits for the cluster, and subscribing for its partitions
    /// ([`DEFAULT_TIMEOUT`] by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets a librdkafka property on every client (producer, consumers, admin); it overrides
    /// the adapter's defaults.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.common.push((key.into(), value.into()));
        self
    }

    /// Sets a librdkafka property on the producer only.
    pub fn producer_set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.producer.push((key.into(), value.into()));
        self
    }

    /// Sets a librdkafka property on the consumers only.
    pub fn consumer_set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.consumer.push((key.into(), value.into()));
        self
    }

    /// Authenticates with SASL `mechanism` as `username`.
    pub fn sasl(
        mut self,
        mechanism: SaslMechanism,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.credentials = Some(Credentials {
            mechanism: Some(mechanism),
            username: username.into(),
            password: password.into(),
        });
        self.credentials_error = None;
        self
    }

    /// Authenticates as `username` with the SASL mechanism the server's security scheme names
    /// (`PLAIN` when it names none).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials {
            mechanism: None,
            username: username.into(),
            password: password.into(),
        });
        self.credentials_error = None;
        self
    }

    /// Takes the user name and password from the environment variables `{prefix}_USERNAME` and
    /// `{prefix}_PASSWORD`, the rule of [`connect`](crate::connect) for both transports: both
    /// set (an empty password set to the empty string), or neither (no credentials: when the
    /// server requires them, connecting fails naming both variables); one without the other
    /// makes connecting fail naming the missing one. The mechanism is the server's, as with
    /// [`credentials`](Self::credentials).
    pub fn credentials_from_env(mut self, prefix: &str) -> Self {
        let lookup = |name: &str| std::env::var(name).ok();
        let (user_var, password_var) = (format!("{prefix}_USERNAME"), format!("{prefix}_PASSWORD"));
        self.credentials = None;
        self.env_prefix = None;
        self.credentials_error = None;
        match crate::connect::env_pair(&lookup, &user_var, &password_var) {
            Ok(Some(pair)) => self = self.credentials(pair.first, pair.second),
            Ok(None) => self.env_prefix = Some(prefix.to_owned()),
            Err(reason) => self.credentials_error = Some(reason),
        }
        self
    }

    /// Connects over TLS with these settings.
    #[cfg(feature = "kafka-ssl")]
    pub fn tls(mut self, tls: KafkaTls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// The bootstrap servers.
    pub fn bootstrap_servers(&self) -> &str {
        &self.bootstrap_servers
    }

    /// The properties every client gets: bootstrap servers and security.
    fn base(&self) -> Result<ClientConfig, TransportError> {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.bootstrap_servers);
        // The adapter decides about topics: none is created by reading or writing it.
        config.set("allow.auto.create.topics", "false");
        self.security(&mut config)?;
        Ok(config)
    }

    /// The producer's properties.
    pub(crate) fn producer_config(&self) -> Result<ClientConfig, TransportError> {
        let mut config = self.base()?;
        if let Some(client_id) = &self.client_id {
            config.set("client.id", client_id);
        }
        // Every replica has it before a publish resolves, and retries cannot duplicate or reorder.
        config.set("acks", "all");
        config.set("enable.idempotence", "true");
        // librdkafka's 5 ms linger caps a publish-and-await loop at ~200 messages/s; records
        // published while a request is in flight are still batched together.
        config.set("linger.ms", "0");
        // A 1 MiB payload with its key and headers fits (librdkafka's default is 1,000,000).
        config.set("message.max.bytes", "4194304");
        // A publish that cannot be delivered fails after 30 s rather than librdkafka's 5 min.
        config.set("message.timeout.ms", "30000");
        // A topic missing from the cluster fails a publish after 5 s, not librdkafka's 30 s.
        config.set("topic.metadata.propagation.max.ms", "5000");
        // Statistics tell `Kafka::health` whether any broker connection is up.
        config.set(
            "statistics.interval.ms",
            super::link::STATISTICS_INTERVAL_MS,
        );
        self.apply(&mut config, &self.producer);
        Ok(config)
    }

    /// A consumer's properties, for `group` (`None`: an anonymous group of one).
    pub(crate) fn consumer_config(
        &self,
        group: &str,
        anonymous: bool,
        client_id: Option<&str>,
        pattern: bool,
    ) -> Result<ClientConfig, TransportError> {
        let mut config = self.base()?;
        if let Some(client_id) = client_id.or(self.client_id.as_deref()) {
            config.set("client.id", client_id);
        }
        config.set("group.id", group);
        let reset = if anonymous {
            OffsetReset::Latest
        } else {
            self.offset_reset
        };
        config.set("auto.offset.reset", reset.as_str());
        // Offsets are stored when the application acknowledges a record, and committed in the
        // background (and when partitions are revoked, and on close). An anonymous group is
        // never joined again: nothing to commit.
        config.set("enable.auto.offset.store", "false");
        config.set(
            "enable.auto.commit",
            if anonymous { "false" } else { "true" },
        );
        if pattern {
            // New topics matching a pattern subscription are found within seconds, not 5 min.
            config.set("topic.metadata.refresh.interval.ms", "2000");
        }
        // A payload of 1 MiB and more is fetched in one go.
        config.set("max.partition.fetch.bytes", "4194304");
        // What librdkafka fetches ahead of the application is bounded (64 MiB by default): a
        // subscription whose buffer is full stops taking records but is not paused at once (see
        // the reader in consumer.rs), so this is most of what a slow consumer holds in memory.
        config.set("queued.max.messages.kbytes", "16384");
        // With the `metrics` feature, librdkafka's statistics give each assigned partition's
        // lag (records past the group's committed offset): `asyncapi_consumer_lag`.
        #[cfg(feature = "metrics")]
        if !anonymous {
            config.set("statistics.interval.ms", CONSUMER_STATISTICS_INTERVAL_MS);
        }
        self.apply(&mut config, &self.consumer);
        Ok(config)
    }

    /// An admin client's properties.
    pub(crate) fn admin_config(&self) -> Result<ClientConfig, TransportError> {
        let mut config = self.base()?;
        if let Some(client_id) = &self.client_id {
            config.set("client.id", client_id);
        }
        self.apply(&mut config, &[]);
        Ok(config)
    }

    /// The user's `set` properties win over the adapter's defaults, and the client-specific
    /// ones over both.
    fn apply(&self, config: &mut ClientConfig, specific: &[(String, String)]) {
        for (key, value) in self.common.iter().chain(specific) {
            config.set(key, value);
        }
    }

    /// `security.protocol`, `sasl.*` and `ssl.*` from the server and the credentials.
    fn security(&self, config: &mut ClientConfig) -> Result<(), TransportError> {
        if let Some(reason) = &self.credentials_error {
            return Err(TransportError::Config(format!(
                "{}: {reason}",
                self.server_name()
            )));
        }
        let tls = self.secure || self.tls_configured();
        if tls && !cfg!(feature = "kafka-ssl") {
            return Err(TransportError::Config(format!(
                "{} asks for TLS, which needs asyncapi-runtime's `kafka-ssl` feature",
                self.server_name()
            )));
        }
        let mechanism = self.mechanism()?;
        let protocol = match (tls, mechanism.is_some()) {
            (false, false) => "PLAINTEXT",
            (false, true) => "SASL_PLAINTEXT",
            (true, false) => "SSL",
            (true, true) => "SASL_SSL",
        };
        config.set("security.protocol", protocol);
        if let (Some(mechanism), Some(credentials)) = (mechanism, &self.credentials) {
            if mechanism != SaslMechanism::Plain && !cfg!(feature = "kafka-ssl") {
                return Err(TransportError::Config(format!(
                    "SASL {} needs asyncapi-runtime's `kafka-ssl` feature (librdkafka implements \
                     SCRAM with OpenSSL)",
                    mechanism.as_str()
                )));
            }
            config.set("sasl.mechanism", mechanism.as_str());
            config.set("sasl.username", &credentials.username);
            config.set("sasl.password", &credentials.password);
        }
        #[cfg(feature = "kafka-ssl")]
        if let Some(settings) = &self.tls {
            let pairs = [
                ("ssl.ca.location", &settings.ca_location),
                ("ssl.certificate.location", &settings.certificate_location),
                ("ssl.key.location", &settings.key_location),
                ("ssl.key.password", &settings.key_password),
            ];
            for (key, value) in pairs {
                if let Some(value) = value {
                    config.set(key, value);
                }
            }
        }
        Ok(())
    }

    fn tls_configured(&self) -> bool {
        #[cfg(feature = "kafka-ssl")]
        return self.tls.is_some();
        #[cfg(not(feature = "kafka-ssl"))]
        return false;
    }

    fn client_certificate(&self) -> bool {
        #[cfg(feature = "kafka-ssl")]
        return self
            .tls
            .as_ref()
            .is_some_and(|tls| tls.certificate_location.is_some());
        #[cfg(not(feature = "kafka-ssl"))]
        return false;
    }

    fn server_name(&self) -> String {
        match self.server {
            Some(name) => format!("server `{name}`"),
            None => "the configuration".to_owned(),
        }
    }

    /// Fails when the server requires a security scheme this configuration cannot satisfy.
    pub(crate) fn check_security(&self) -> Result<(), TransportError> {
        self.mechanism().map(|_| ())
    }

    /// The SASL mechanism to authenticate with, if any; an error when the server requires a
    /// scheme the configuration cannot satisfy.
    fn mechanism(&self) -> Result<Option<SaslMechanism>, TransportError> {
        if self.security.is_empty() {
            return Ok(self
                .credentials
                .as_ref()
                .map(|c| c.mechanism.unwrap_or(SaslMechanism::Plain)));
        }
        // The server accepts any one of its schemes: the first this configuration satisfies.
        for scheme in &self.security {
            match (
                SaslMechanism::from_scheme_kind(scheme.kind),
                &self.credentials,
            ) {
                (Some(kind), Some(credentials)) => {
                    return Ok(Some(credentials.mechanism.unwrap_or(kind)));
                }
                (None, _) if scheme.kind == "X509" && self.client_certificate() => return Ok(None),
                _ => {}
            }
        }
        let names = self
            .security
            .iter()
            .map(|s| format!("`{}` ({})", s.name, s.kind))
            .collect::<Vec<_>>()
            .join(", ");
        let how = match &self.env_prefix {
            Some(prefix) => format!("; {prefix}_USERNAME and {prefix}_PASSWORD are not set"),
            None => String::new(),
        };
        Err(TransportError::Config(format!(
            "{} requires one of the security schemes {names}, and no credentials for it were \
             configured (KafkaConfig::sasl, ::credentials or ::credentials_from_env{}){how}",
            self.server_name(),
            if cfg!(feature = "kafka-ssl") {
                ", or a client certificate with ::tls for X509"
            } else {
                ""
            }
        )))
    }
}

/// The `host:port` list librdkafka takes: each server without its `scheme://`, a trailing `/`
/// and a `user:password@` part. Credentials in a URL are dropped (with a warning that does not
/// repeat them), never passed on as a host name that would show in errors and logs.
fn strip_scheme(servers: &str) -> String {
    servers
        .split(',')
        .map(|server| {
            let server = server.trim();
            let server = server.split_once("://").map_or(server, |(_, rest)| rest);
            let server = match server.rsplit_once('@') {
                Some((_, host)) => {
                    tracing::warn!(
                        "credentials in a Kafka bootstrap server URL are ignored; configure them \
                         with KafkaConfig::credentials or credentials_from_env"
                    );
                    host
                }
                None => server,
            };
            server.trim_end_matches('/')
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// How often a consumer of a named group reports its lag with the `metrics` feature, in
/// milliseconds (librdkafka's `statistics.interval.ms`; the configuration may override it).
#[cfg(feature = "metrics")]
const CONSUMER_STATISTICS_INTERVAL_MS: &str = "5000";

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAM: SecurityScheme = SecurityScheme {
        name: "saslScram",
        kind: "scramSha256",
        description: "",
    };

    const fn server(security: &'static [SecurityScheme]) -> Server {
        Server {
            name: "production",
            url: "kafka://broker-{n}.example:9092",
            protocol: "kafka",
            protocol_version: None,
            variables: &[crate::ServerVariable {
                name: "n",
                default: Some("1"),
                allowed: &[],
                description: "",
            }],
            security,
            mqtt: None,
        }
    }

    fn get(config: &ClientConfig, key: &str) -> Option<String> {
        config.get(key).map(str::to_owned)
    }

    #[test]
    fn servers_lose_their_scheme() {
        assert_eq!(
            KafkaConfig::new("kafka://a:1, b:2/").bootstrap_servers(),
            "a:1,b:2"
        );
        let config = KafkaConfig::new("kafka://user:hunter2@a:1,b:2");
        assert_eq!(config.bootstrap_servers(), "a:1,b:2");
        assert!(!format!("{config:?}").contains("hunter2"));
        let config = KafkaConfig::from_server(&server(&[])).unwrap();
        assert_eq!(config.bootstrap_servers(), "broker-1.example:9092");
        let config = KafkaConfig::from_server_with(&server(&[]), &[("n", "7")]).unwrap();
        assert_eq!(config.bootstrap_servers(), "broker-7.example:9092");
    }

    #[test]
    fn a_required_scheme_without_credentials_is_a_config_error_naming_it() {
        let config = KafkaConfig::from_server(&server(&[SCRAM])).unwrap();
        let err = config.producer_config().unwrap_err();
        assert!(matches!(err, TransportError::Config(_)), "{err}");
        assert!(
            err.to_string().contains("`saslScram` (scramSha256)"),
            "{err}"
        );

        let from_env = KafkaConfig::from_server(&server(&[SCRAM]))
            .unwrap()
            .credentials_from_env("ASYNCAPI_KAFKA_TEST_SURELY_UNSET");
        let err = from_env.producer_config().unwrap_err().to_string();
        assert!(
            err.contains(
                "ASYNCAPI_KAFKA_TEST_SURELY_UNSET_USERNAME and \
                 ASYNCAPI_KAFKA_TEST_SURELY_UNSET_PASSWORD are not set"
            ),
            "{err}"
        );
    }

    #[test]
    fn schemes_map_to_sasl_mechanisms() {
        const PLAIN: SecurityScheme = SecurityScheme {
            name: "user",
            kind: "userPassword",
            description: "",
        };
        let config = KafkaConfig::from_server(&server(&[PLAIN]))
            .unwrap()
            .credentials("me", "secret");
        let producer = config.producer_config().unwrap();
        assert_eq!(
            get(&producer, "security.protocol").as_deref(),
            Some("SASL_PLAINTEXT")
        );
        assert_eq!(get(&producer, "sasl.mechanism").as_deref(), Some("PLAIN"));
        assert_eq!(get(&producer, "sasl.username").as_deref(), Some("me"));

        let scram = KafkaConfig::from_server(&server(&[SCRAM]))
            .unwrap()
            .credentials("me", "secret");
        let scram = scram.producer_config();
        if cfg!(feature = "kafka-ssl") {
            assert_eq!(
                get(&scram.unwrap(), "sasl.mechanism").as_deref(),
                Some("SCRAM-SHA-256")
            );
        } else {
            let err = scram.unwrap_err();
            assert!(err.to_string().contains("kafka-ssl"), "{err}");
        }

        let none = KafkaConfig::new("b:1").producer_config().unwrap();
        assert_eq!(
            get(&none, "security.protocol").as_deref(),
            Some("PLAINTEXT")
        );
        assert_eq!(get(&none, "sasl.mechanism"), None);
    }

    /// librdkafka itself takes what the mapping produces (clients are made without connecting).
    #[test]
    fn librdkafka_accepts_the_security_settings() {
        use rdkafka::producer::BaseProducer;
        let plain = KafkaConfig::new("b:1").sasl(SaslMechanism::Plain, "me", "secret");
        plain
            .producer_config()
            .unwrap()
            .create::<BaseProducer>()
            .unwrap();
        #[cfg(feature = "kafka-ssl")]
        {
            const SECURE: Server = Server {
                protocol: "kafka-secure",
                ..server(&[SCRAM])
            };
            let scram = KafkaConfig::from_server(&SECURE)
                .unwrap()
                .credentials("me", "secret")
                .tls(KafkaTls::new());
            let config = scram.producer_config().unwrap();
            assert_eq!(
                get(&config, "security.protocol").as_deref(),
                Some("SASL_SSL")
            );
            config.create::<BaseProducer>().unwrap();
        }
        #[cfg(not(feature = "kafka-ssl"))]
        {
            let secure = Server {
                protocol: "kafka-secure",
                ..server(&[])
            };
            let err = KafkaConfig::from_server(&secure)
                .unwrap()
                .producer_config()
                .unwrap_err();
            assert!(err.to_string().contains("kafka-ssl"), "{err}");
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = KafkaConfig::new("b:1")
            .sasl(SaslMechanism::Plain, "me", "hunter2")
            .set("sasl.oauthbearer.client.secret", "s3cr3t")
            .producer_set("ssl.key.password", "p4ss")
            .set("linger.ms", "3");
        let shown = format!("{config:?}");
        for secret in ["hunter2", "s3cr3t", "p4ss"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("\"me\"") && shown.contains("linger.ms"),
            "{shown}"
        );
    }

    #[test]
    fn settings_override_defaults_in_order() {
        let config = KafkaConfig::new("b:1")
            .set("linger.ms", "5")
            .producer_set("acks", "1")
            .consumer_set("auto.offset.reset", "latest");
        let producer = config.producer_config().unwrap();
        assert_eq!(get(&producer, "linger.ms").as_deref(), Some("5"));
        assert_eq!(get(&producer, "acks").as_deref(), Some("1"));
        assert_eq!(
            get(&producer, "enable.idempotence").as_deref(),
            Some("true")
        );
        let consumer = config.consumer_config("g", false, None, false).unwrap();
        assert_eq!(
            get(&consumer, "auto.offset.reset").as_deref(),
            Some("latest")
        );
        assert_eq!(get(&consumer, "acks"), None);
        let anonymous = KafkaConfig::new("b:1")
            .consumer_config("g", true, Some("me"), true)
            .unwrap();
        assert_eq!(
            get(&anonymous, "auto.offset.reset").as_deref(),
            Some("latest")
        );
        assert_eq!(
            get(&anonymous, "enable.auto.commit").as_deref(),
            Some("false")
        );
        assert_eq!(get(&anonymous, "client.id").as_deref(), Some("me"));
        assert_eq!(
            get(&anonymous, "topic.metadata.refresh.interval.ms").as_deref(),
            Some("2000")
        );
    }
}
