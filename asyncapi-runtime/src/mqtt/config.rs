//! How to reach the broker and how to behave there: [`MqttConfig`] and its parts.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::{QoS, Server, TransportError};

use super::tls::TlsConfig;

/// The port of plain MQTT when a URL names none.
pub const DEFAULT_PORT: u16 = 1883;
/// The port of MQTT over TLS when a URL names none.
pub const DEFAULT_TLS_PORT: u16 = 8883;
/// Messages buffered per subscription before the connection stops reading.
pub const DEFAULT_BUFFER: usize = 1024;
/// How long a publish waits for the broker's acknowledgement, and a subscription for its SUBACK.
pub const DEFAULT_ACK_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the client pings an otherwise idle connection.
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(30);
/// The largest packet sent, and announced to MQTT 5 brokers (16 MiB); see
/// [`MqttConfig::max_packet_size`].
pub const DEFAULT_MAX_PACKET_SIZE: usize = 16 * 1024 * 1024;
/// The session expiry interval (MQTT 5) of a persistent session when none is configured: never,
/// as MQTT 3.1.1 persistent sessions.
pub const NEVER_EXPIRES: Duration = Duration::from_secs(u32::MAX as u64);

/// The protocol version to speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MqttVersion {
    /// MQTT 3.1.1 (protocol level 4): no headers, correlation data or response topic.
    V3_1_1,
    /// MQTT 5: headers as user properties, content type, correlation data and response topic
    /// as native properties. The default: every current broker speaks it, and generated
    /// clients send headers.
    #[default]
    V5,
}

impl MqttVersion {
    /// The version an AsyncAPI `protocolVersion` names: `3.1.1` (also `3.1`, `3`, `4`) or `5`
    /// (also `5.0`); `None` for anything else.
    pub fn parse(text: &str) -> Option<MqttVersion> {
        match text.trim() {
            "3.1.1" | "3.1" | "3" | "4" => Some(MqttVersion::V3_1_1),
            "5" | "5.0" | "5.0.0" => Some(MqttVersion::V5),
            _ => None,
        }
    }
}

impl fmt::Display for MqttVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MqttVersion::V3_1_1 => "MQTT 3.1.1",
            MqttVersion::V5 => "MQTT 5",
        })
    }
}

/// The message the broker publishes for this client when the connection ends without a
/// DISCONNECT (a crash, a cut network). An owned [`bindings::LastWill`](crate::bindings::LastWill).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastWill {
    /// Where it is published.
    pub topic: String,
    /// Its payload.
    pub payload: Bytes,
    /// Its delivery guarantee.
    pub qos: QoS,
    /// Whether the broker retains it.
    pub retain: bool,
}

impl LastWill {
    /// A will at QoS 0, not retained.
    pub fn new(topic: impl Into<String>, payload: impl Into<Bytes>) -> LastWill {
        LastWill {
            topic: topic.into(),
            payload: payload.into(),
            qos: QoS::AtMostOnce,
            retain: false,
        }
    }

    /// Sets the delivery guarantee.
    pub fn with_qos(mut self, qos: QoS) -> LastWill {
        self.qos = qos;
        self
    }

    /// Sets the retain flag.
    pub fn with_retain(mut self, retain: bool) -> LastWill {
        self.retain = retain;
        self
    }
}

impl From<crate::bindings::LastWill> for LastWill {
    fn from(will: crate::bindings::LastWill) -> LastWill {
        LastWill {
            topic: will.topic.to_owned(),
            payload: Bytes::from_static(will.message.as_bytes()),
            qos: will.qos,
            retain: will.retain,
        }
    }
}

/// A user name and password; the password never shows in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Credentials {
    pub(super) username: String,
    pub(super) password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Everything [`Mqtt::connect`](super::Mqtt::connect) needs: where the broker is, the protocol
/// version, the session, credentials and TLS, and how the adapter buffers, retries and waits.
///
/// Built from a host and port, a URL, or a spec's [`Server`] (which brings its MQTT binding:
/// client id, clean session, keep-alive, last will, session expiry); every builder method
/// overrides what came before. Credentials never come from the spec. `Debug` output shows
/// neither the password nor a TLS private key.
///
/// ```
/// use std::time::Duration;
/// use asyncapi_runtime::mqtt::{MqttConfig, MqttVersion};
///
/// let config = MqttConfig::from_url("mqtt://broker.local:1884")
///     .unwrap()
///     .version(MqttVersion::V3_1_1)
///     .client_id("lamp-7")
///     .clean_session(false)
///     .keep_alive(Duration::from_secs(20))
///     .credentials("lamp", "secret");
/// assert!(!format!("{config:?}").contains("secret"));
/// ```
#[derive(Clone)]
pub struct MqttConfig {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) tls: Option<TlsConfig>,
    pub(super) version: MqttVersion,
    pub(super) client_id: Option<String>,
    pub(super) clean_session: bool,
    pub(super) keep_alive: Duration,
    pub(super) last_will: Option<LastWill>,
    pub(super) session_expiry: Option<Duration>,
    pub(super) credentials: Option<Credentials>,
    /// Why credentials asked for from the environment are missing.
    pub(super) credentials_error: Option<String>,
    /// The prefix `credentials_from_env` found neither variable of, for the error that names them.
    pub(super) credentials_env: Option<String>,
    pub(super) buffer: usize,
    pub(super) reconnect_min: Duration,
    pub(super) reconnect_max: Duration,
    pub(super) ack_timeout: Duration,
    pub(super) manual_acks: bool,
    pub(super) max_packet_size: usize,
    /// The server the configuration came from and the security schemes it requires.
    pub(super) server: Option<(&'static str, &'static [crate::SecurityScheme])>,
}

impl fmt::Debug for MqttConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MqttConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("version", &self.version)
            .field("client_id", &self.client_id)
            .field("clean_session", &self.clean_session)
            .field("keep_alive", &self.keep_alive)
            .field("last_will", &self.last_will)
            .field("session_expiry", &self.session_expiry)
            .field("credentials", &self.credentials)
            .field("buffer", &self.buffer)
            .field(
                "reconnect_backoff",
                &(self.reconnect_min..self.reconnect_max),
            )
            .field("ack_timeout", &self.ack_timeout)
            .field("manual_acks", &self.manual_acks)
            .field("max_packet_size", &self.max_packet_size)
            .field("server", &self.server.map(|(name, _)| name))
            .finish()
    }
}

fn config_error(message: impl Into<String>) -> TransportError {
    TransportError::Config(message.into())
}

impl MqttConfig {
    /// Plain MQTT (no TLS) to `host:port`, MQTT 5, a generated client id, a clean session.
    pub fn new(host: impl Into<String>, port: u16) -> MqttConfig {
        MqttConfig {
            host: host.into(),
            port,
            tls: None,
            version: MqttVersion::default(),
            client_id: None,
            clean_session: true,
            keep_alive: DEFAULT_KEEP_ALIVE,
            last_will: None,
            session_expiry: None,
            credentials: None,
            credentials_error: None,
            credentials_env: None,
            buffer: DEFAULT_BUFFER,
            reconnect_min: Duration::from_millis(100),
            reconnect_max: Duration::from_secs(10),
            ack_timeout: DEFAULT_ACK_TIMEOUT,
            manual_acks: true,
            max_packet_size: DEFAULT_MAX_PACKET_SIZE,
            server: None,
        }
    }

    /// A configuration from a URL: `mqtt://host[:port]` or `tcp://...` (plain), `mqtts://...`
    /// or `ssl://...` (TLS with the platform's root certificates; see [`MqttConfig::tls`]), or
    /// a bare `host[:port]`. The port defaults to 1883 (8883 with TLS). A `user:password@`
    /// part sets the credentials (percent-decoded). Paths, queries and WebSocket schemes are
    /// refused.
    pub fn from_url(url: &str) -> Result<MqttConfig, TransportError> {
        Ok(MqttConfig::from_parts(Url::parse(url)?, false))
    }

    fn from_parts(url: Url, tls: bool) -> MqttConfig {
        let tls = tls || url.tls;
        let port = match (url.port, tls) {
            (Some(port), _) => port,
            (None, true) => DEFAULT_TLS_PORT,
            (None, false) => DEFAULT_PORT,
        };
        let mut config = MqttConfig::new(url.host, port);
        config.tls = tls.then(TlsConfig::native_roots);
        if let Some((username, password)) = url.userinfo {
            config = config.credentials(username, password);
        }
        config
    }

    /// A configuration for one of the spec's servers, its variables at their defaults. See
    /// [`MqttConfig::from_server_with`].
    pub fn from_server(server: &Server) -> Result<MqttConfig, TransportError> {
        MqttConfig::from_server_with(server, &[])
    }

    /// A configuration for one of the spec's servers with the given variable values (others at
    /// their defaults):
    ///
    /// - the URL as [`from_url`](Self::from_url) reads it, except that credentials in it are
    ///   ignored (they never come from the spec); protocol `secure-mqtt` (or `mqtts`) means TLS
    ///   whatever the URL's scheme;
    /// - `protocolVersion` `5`/`5.0` → MQTT 5, `3.1.1` → MQTT 3.1.1, none → MQTT 5 (the default
    ///   of [`MqttVersion`]), anything else is an error;
    /// - the server's MQTT binding: `clientId`, `cleanSession`, `keepAlive`, `lastWill`,
    ///   `sessionExpiryInterval`;
    /// - its security schemes: [`Mqtt::connect`](super::Mqtt::connect) fails when the server
    ///   requires `userPassword` and no credentials were configured (or `X509` and no client
    ///   certificate), naming the scheme.
    pub fn from_server_with(
        server: &Server,
        values: &[(&str, &str)],
    ) -> Result<MqttConfig, TransportError> {
        let url = server
            .url_with(values)
            .map_err(|e| config_error(e.to_string()))?;
        MqttConfig::from_server_and_url(server, &url)
    }

    /// [`from_server_with`](Self::from_server_with) with the URL given whole (`connect`'s
    /// `<PREFIX>_URL`) rather than made from the server's template.
    pub(crate) fn from_server_and_url(
        server: &Server,
        url: &str,
    ) -> Result<MqttConfig, TransportError> {
        let tls = match server.protocol {
            "mqtt" | "tcp" => false,
            "secure-mqtt" | "mqtts" | "ssl" => true,
            other => {
                return Err(config_error(format!(
                    "server `{}` speaks `{other}`, not MQTT (`mqtt` or `secure-mqtt`)",
                    server.name
                )));
            }
        };
        let mut parsed =
            Url::parse(url).map_err(|e| config_error(format!("server `{}`: {e}", server.name)))?;
        if parsed.userinfo.take().is_some() {
            tracing::warn!(
                server = server.name,
                "credentials in the spec's server URL are ignored; configure them at runtime"
            );
        }
        let mut config = MqttConfig::from_parts(parsed, tls);
        if let Some(version) = server.protocol_version {
            config.version = MqttVersion::parse(version).ok_or_else(|| {
                config_error(format!(
                    "server `{}` has protocolVersion {version:?}; supported are 3.1.1 and 5",
                    server.name
                ))
            })?;
        }
        if let Some(binding) = server.mqtt {
            if let Some(id) = binding.client_id {
                config.client_id = Some(id.to_owned());
            }
            if let Some(clean) = binding.clean_session {
                config.clean_session = clean;
            }
            if let Some(seconds) = binding.keep_alive {
                config.keep_alive = Duration::from_secs(seconds.into());
            }
            if let Some(will) = binding.last_will {
                config.last_will = Some(will.into());
            }
            if let Some(seconds) = binding.session_expiry_interval {
                config.session_expiry = Some(Duration::from_secs(seconds.into()));
            }
        }
        config.server = Some((server.name, server.security));
        Ok(config)
    }

    /// The protocol version (MQTT 5 unless a server said otherwise).
    pub fn version(mut self, version: MqttVersion) -> MqttConfig {
        self.version = version;
        self
    }

    /// The client id. Without one, each connection generates a unique id (and cannot keep a
    /// persistent session).
    pub fn client_id(mut self, client_id: impl Into<String>) -> MqttConfig {
        self.client_id = Some(client_id.into());
        self
    }

    /// Whether to start from a clean session (default) or resume the broker's session for this
    /// client id: its subscriptions and the messages it holds (`cleanSession` in 3.1.1,
    /// `cleanStart` + a session expiry interval in 5). A persistent session needs a fixed
    /// [`client_id`](Self::client_id).
    pub fn clean_session(mut self, clean: bool) -> MqttConfig {
        self.clean_session = clean;
        self
    }

    /// How long the broker keeps a persistent session after the connection ends (MQTT 5;
    /// rounded down to seconds). Default for a persistent session: never expires, as in
    /// MQTT 3.1.1.
    pub fn session_expiry(mut self, expiry: Duration) -> MqttConfig {
        self.session_expiry = Some(expiry);
        self
    }

    /// The keep-alive interval: whole seconds, at least 5 (MQTT 3.1.1 also takes zero, which
    /// turns keep-alive off). Default 30 s.
    pub fn keep_alive(mut self, keep_alive: Duration) -> MqttConfig {
        self.keep_alive = keep_alive;
        self
    }

    /// The message the broker publishes if this connection ends without a DISCONNECT.
    pub fn last_will(mut self, will: impl Into<LastWill>) -> MqttConfig {
        self.last_will = Some(will.into());
        self
    }

    /// The user name and password to connect with.
    pub fn credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> MqttConfig {
        self.credentials = Some(Credentials {
            username: username.into(),
            password: password.into(),
        });
        self.credentials_error = None;
        self.credentials_env = None;
        self
    }

    /// The user name and password from the environment variables `<PREFIX>_USERNAME` and
    /// `<PREFIX>_PASSWORD`, the rule of [`connect`](crate::connect) for both transports: both
    /// set (an empty password set to the empty string), or neither (no credentials: when the
    /// server requires them, [`Mqtt::connect`](super::Mqtt::connect) fails naming both
    /// variables); one without the other makes connecting fail naming the missing one.
    pub fn credentials_from_env(mut self, prefix: &str) -> MqttConfig {
        let (user_var, password_var) = (format!("{prefix}_USERNAME"), format!("{prefix}_PASSWORD"));
        let lookup = |name: &str| std::env::var(name).ok();
        self.credentials = None;
        self.credentials_error = None;
        self.credentials_env = None;
        match crate::connect::env_pair(&lookup, &user_var, &password_var) {
            Ok(Some(pair)) => self = self.credentials(pair.first, pair.second),
            Ok(None) => self.credentials_env = Some(prefix.to_owned()),
            Err(reason) => self.credentials_error = Some(reason),
        }
        self
    }

    /// TLS settings (root certificates, a client certificate). Turns TLS on.
    pub fn tls(mut self, tls: TlsConfig) -> MqttConfig {
        self.tls = Some(tls);
        self
    }

    /// Plain TCP, even when the URL or the server asked for TLS.
    pub fn without_tls(mut self) -> MqttConfig {
        self.tls = None;
        self
    }

    /// Messages buffered per subscription (at least 1; default 1024). When one subscription's
    /// buffer is full the connection stops reading until that subscriber catches up.
    pub fn buffer(mut self, messages: usize) -> MqttConfig {
        self.buffer = messages.max(1);
        self
    }

    /// How long to wait before reconnecting after the connection was lost: `min` after the
    /// first failure, doubling per failed attempt up to `max` (defaults 100 ms and 10 s).
    pub fn reconnect_backoff(mut self, min: Duration, max: Duration) -> MqttConfig {
        self.reconnect_min = min.max(Duration::from_millis(1));
        self.reconnect_max = max.max(self.reconnect_min);
        self
    }

    /// How long a publish waits for its acknowledgement (PUBACK, PUBCOMP; for QoS 0 the
    /// hand-over to the socket) and a subscription for its SUBACK before failing with
    /// [`TransportError::Timeout`]. Default 30 s.
    pub fn ack_timeout(mut self, timeout: Duration) -> MqttConfig {
        self.ack_timeout = timeout;
        self
    }

    /// Whether received QoS 1/2 messages are acknowledged only when the application says so
    /// through [`Incoming::ack`](crate::Incoming) (default; the runtime acknowledges after the
    /// handler returned `Ok`), or by the client as soon as they arrive.
    pub fn manual_acks(mut self, manual: bool) -> MqttConfig {
        self.manual_acks = manual;
        self
    }

    /// The largest packet sent, in bytes (default 16 MiB): a larger outgoing message fails
    /// with [`TransportError::Unsupported`]. MQTT 5 brokers are told the limit and do not send
    /// larger ones. MQTT 3.1.1 has no way to tell them, so a larger incoming packet is still read
    /// (dropping the connection instead would have the broker send it again on every
    /// reconnect); the typed layer's own limit refuses it (`Client::with_max_payload`).
    pub fn max_packet_size(mut self, bytes: usize) -> MqttConfig {
        self.max_packet_size = bytes.clamp(128, 268_435_455);
        self
    }

    /// The broker's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The broker's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the connection uses TLS.
    pub fn uses_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// The protocol version configured.
    pub fn protocol_version(&self) -> MqttVersion {
        self.version
    }

    /// The fixed client id, if one is configured.
    pub fn fixed_client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// Whether the session starts clean.
    pub fn is_clean_session(&self) -> bool {
        self.clean_session
    }

    /// The configured last will.
    pub fn will(&self) -> Option<&LastWill> {
        self.last_will.as_ref()
    }

    /// The configured keep-alive interval.
    pub fn keep_alive_interval(&self) -> Duration {
        self.keep_alive
    }

    /// Whether credentials are configured.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// Checks what can be checked before connecting.
    pub(super) fn check(&self) -> Result<(), TransportError> {
        if let Some(reason) = &self.credentials_error {
            return Err(config_error(reason.clone()));
        }
        if self.host.is_empty() {
            return Err(config_error("the broker host is empty"));
        }
        if !self.clean_session && self.client_id.is_none() {
            return Err(config_error(
                "a persistent session (clean_session(false)) needs a fixed client id: set \
                 MqttConfig::client_id",
            ));
        }
        if self.client_id.as_deref() == Some("") && !self.clean_session {
            return Err(config_error(
                "a persistent session needs a non-empty client id",
            ));
        }
        if self.keep_alive.subsec_nanos() != 0 {
            return Err(config_error(format!(
                "keep-alive {:?} is not a whole number of seconds",
                self.keep_alive
            )));
        }
        let seconds = self.keep_alive.as_secs();
        match self.version {
            MqttVersion::V5 if seconds < 5 => {
                return Err(config_error(format!(
                    "keep-alive {seconds} s: MQTT 5 connections need at least 5 s"
                )));
            }
            MqttVersion::V3_1_1 if seconds != 0 && seconds < 5 => {
                return Err(config_error(format!(
                    "keep-alive {seconds} s: use 0 (off) or at least 5 s"
                )));
            }
            _ if seconds > u64::from(u16::MAX) => {
                return Err(config_error(format!(
                    "keep-alive {seconds} s is longer than MQTT allows (65535 s)"
                )));
            }
            _ => {}
        }
        self.check_security()
    }

    /// Fails when the server requires a scheme this configuration cannot satisfy: every scheme
    /// it lists (any one would do) is `userPassword` without credentials or `X509` without a
    /// client certificate. Schemes of other kinds are not judged.
    pub(crate) fn check_security(&self) -> Result<(), TransportError> {
        let Some((server, schemes)) = self.server else {
            return Ok(());
        };
        if schemes.is_empty() {
            return Ok(());
        }
        let satisfied = schemes.iter().any(|scheme| match scheme.kind {
            "userPassword" => self.credentials.is_some(),
            "X509" => self.tls.as_ref().is_some_and(TlsConfig::has_client_auth),
            _ => true,
        });
        if satisfied {
            return Ok(());
        }
        let needs: Vec<String> = schemes
            .iter()
            .map(|scheme| match scheme.kind {
                "userPassword" => match &self.credentials_env {
                    Some(prefix) => format!(
                        "`{}` (userPassword: {prefix}_USERNAME and {prefix}_PASSWORD are not set)",
                        scheme.name
                    ),
                    None => format!(
                        "`{}` (userPassword: set MqttConfig::credentials or credentials_from_env)",
                        scheme.name
                    ),
                },
                kind => format!(
                    "`{}` ({kind}: set a client certificate with TlsConfig::client_auth)",
                    scheme.name
                ),
            })
            .collect();
        Err(config_error(format!(
            "server `{server}` requires the security scheme {}, and none is configured",
            needs.join(" or ")
        )))
    }
}

/// The parts of a broker URL.
#[derive(Debug)]
struct Url {
    host: String,
    port: Option<u16>,
    tls: bool,
    userinfo: Option<(String, String)>,
}

impl Url {
    fn parse(url: &str) -> Result<Url, TransportError> {
        let bad = |why: &str| config_error(format!("MQTT URL {url:?}: {why}"));
        let (tls, rest) = match url.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "mqtt" | "tcp" => (false, rest),
                "mqtts" | "ssl" | "tls" => (true, rest),
                "ws" | "wss" => return Err(bad("MQTT over WebSocket is not supported")),
                other => return Err(bad(&format!("unknown scheme `{other}`"))),
            },
            None => (false, url),
        };
        let (authority, tail) = match rest.find(['/', '?', '#']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if !tail.is_empty() && tail != "/" {
            return Err(bad(
                "MQTT brokers have no path or query; give only host and port",
            ));
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let decode = |text: &str| {
                    percent_decode(text).ok_or_else(|| bad("bad percent-encoding in the user part"))
                };
                (Some((decode(user)?, decode(password)?)), hostport)
            }
            None => (None, authority),
        };
        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| bad("unclosed `[` in the host"))?;
            let port = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| bad("expected `:port` after the IPv6 address"))?,
                ),
            };
            (host, port)
        } else {
            match hostport.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            Some(port) => Some(
                port.parse::<u16>()
                    .ok()
                    .filter(|&p| p != 0)
                    .ok_or_else(|| bad(&format!("`{port}` is not a port number")))?,
            ),
            None => None,
        };
        Ok(Url {
            host: host.to_owned(),
            port,
            tls,
            userinfo,
        })
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::MqttServerBinding;
    use crate::{SecurityScheme, ServerVariable};

    #[test]
    fn urls() {
        let c = MqttConfig::from_url("mqtt://broker:1884").unwrap();
        assert_eq!((c.host(), c.port(), c.uses_tls()), ("broker", 1884, false));
        let c = MqttConfig::from_url("tcp://broker").unwrap();
        assert_eq!((c.port(), c.uses_tls()), (1883, false));
        let c = MqttConfig::from_url("mqtts://broker").unwrap();
        assert_eq!((c.port(), c.uses_tls()), (8883, true));
        let c = MqttConfig::from_url("ssl://broker:9999/").unwrap();
        assert_eq!((c.port(), c.uses_tls()), (9999, true));
        let c = MqttConfig::from_url("broker.local:1").unwrap();
        assert_eq!((c.host(), c.port()), ("broker.local", 1));
        let c = MqttConfig::from_url("mqtt://[::1]:1885").unwrap();
        assert_eq!((c.host(), c.port()), ("::1", 1885));
        let c = MqttConfig::from_url("mqtt://us%40er:p%3Ass@h").unwrap();
        let credentials = c.credentials.clone().unwrap();
        assert_eq!(credentials.username, "us@er");
        assert_eq!(credentials.password, "p:ss");
        for bad in [
            "ws://h",
            "http://h",
            "mqtt://h:x",
            "mqtt://h:0",
            "mqtt://h/path",
            "mqtt://h?client_id=1",
            "mqtt://:1883",
            "mqtt://[::1",
        ] {
            assert!(
                matches!(MqttConfig::from_url(bad), Err(TransportError::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let config = MqttConfig::new("h", 1).credentials("user", "hunter2");
        let debug = format!("{config:?}");
        assert!(debug.contains("user"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn versions() {
        assert_eq!(MqttVersion::parse("3.1.1"), Some(MqttVersion::V3_1_1));
        assert_eq!(MqttVersion::parse("5.0"), Some(MqttVersion::V5));
        assert_eq!(MqttVersion::parse("5"), Some(MqttVersion::V5));
        assert_eq!(MqttVersion::parse("6"), None);
        assert_eq!(MqttVersion::default(), MqttVersion::V5);
    }

    const SCHEMES: &[SecurityScheme] = &[SecurityScheme {
        name: "userPass",
        kind: "userPassword",
        description: "",
    }];

    const SERVER: Server = Server {
        name: "production",
        url: "mqtt://{host}:{port}",
        protocol: "mqtt",
        protocol_version: Some("3.1.1"),
        variables: &[
            ServerVariable {
                name: "host",
                default: Some("broker"),
                allowed: &[],
                description: "",
            },
            ServerVariable {
                name: "port",
                default: Some("1883"),
                allowed: &[],
                description: "",
            },
        ],
        security: SCHEMES,
        mqtt: Some(MqttServerBinding {
            client_id: Some("guest"),
            clean_session: Some(false),
            keep_alive: Some(60),
            last_will: Some(crate::bindings::LastWill {
                topic: "/last-wills",
                qos: QoS::ExactlyOnce,
                message: "Guest gone offline.",
                retain: false,
            }),
            session_expiry_interval: Some(120),
        }),
    };

    #[test]
    fn servers_bring_their_binding_and_security() {
        let config = MqttConfig::from_server_with(&SERVER, &[("port", "1999")]).unwrap();
        assert_eq!((config.host(), config.port()), ("broker", 1999));
        assert_eq!(config.protocol_version(), MqttVersion::V3_1_1);
        assert_eq!(config.fixed_client_id(), Some("guest"));
        assert!(!config.is_clean_session());
        assert_eq!(config.keep_alive_interval(), Duration::from_secs(60));
        assert_eq!(config.session_expiry, Some(Duration::from_secs(120)));
        let will = config.will().unwrap();
        assert_eq!(
            (will.topic.as_str(), &will.payload[..], will.qos),
            ("/last-wills", &b"Guest gone offline."[..], QoS::ExactlyOnce)
        );
        let error = config.check().unwrap_err().to_string();
        assert!(
            error.contains("`userPass`") && error.contains("production"),
            "{error}"
        );
        assert!(config.clone().credentials("u", "p").check().is_ok());
        let from_env = config.credentials_from_env("ASYNCAPI_MQTT_TEST_SURELY_UNSET");
        let error = from_env.check().unwrap_err().to_string();
        assert!(
            error.contains(
                "ASYNCAPI_MQTT_TEST_SURELY_UNSET_USERNAME and \
                 ASYNCAPI_MQTT_TEST_SURELY_UNSET_PASSWORD are not set"
            ),
            "{error}"
        );

        let secure = Server {
            protocol: "secure-mqtt",
            url: "broker.example",
            protocol_version: None,
            variables: &[],
            security: &[],
            mqtt: None,
            ..SERVER
        };
        let config = MqttConfig::from_server(&secure).unwrap();
        assert!(config.uses_tls());
        assert_eq!(config.port(), DEFAULT_TLS_PORT);
        assert_eq!(config.protocol_version(), MqttVersion::V5);
        assert!(config.check().is_ok());

        let with_userinfo = Server {
            url: "mqtt://spec-user:spec-secret@broker.example",
            ..secure
        };
        assert!(
            !MqttConfig::from_server(&with_userinfo)
                .unwrap()
                .has_credentials()
        );

        let kafka = Server {
            protocol: "kafka",
            ..secure
        };
        assert!(matches!(
            MqttConfig::from_server(&kafka),
            Err(TransportError::Config(_))
        ));
        let odd = Server {
            protocol_version: Some("2"),
            ..secure
        };
        assert!(MqttConfig::from_server(&odd).is_err());
    }

    #[test]
    fn checks() {
        assert!(MqttConfig::new("h", 1).check().is_ok());
        let persistent = MqttConfig::new("h", 1).clean_session(false);
        assert!(
            persistent
                .check()
                .unwrap_err()
                .to_string()
                .contains("client id")
        );
        assert!(persistent.client_id("me").check().is_ok());
        assert!(
            MqttConfig::new("h", 1)
                .keep_alive(Duration::from_millis(1500))
                .check()
                .is_err()
        );
        assert!(
            MqttConfig::new("h", 1)
                .keep_alive(Duration::ZERO)
                .check()
                .is_err()
        );
        assert!(
            MqttConfig::new("h", 1)
                .version(MqttVersion::V3_1_1)
                .keep_alive(Duration::ZERO)
                .check()
                .is_ok()
        );
        // Neither variable: no credentials, fine unless the server requires them.
        let missing = MqttConfig::new("h", 1).credentials_from_env("ASYNCAPI_MQTT_TEST_NOPE");
        assert!(missing.check().is_ok() && !missing.has_credentials());
    }
}
