//! One normalized model for AsyncAPI 2.x and 3.0; everything downstream of loading reads only this.
//!
//! Operations are seen from the point of view of the application the spec describes: `Send` means
//! the application publishes, `Receive` means it consumes. AsyncAPI 2.x words this the other way
//! round (`publish` is what *others* do to the application, so the application receives); that
//! mapping happens once, in [`v2`], and nowhere else.

mod avro;
pub mod bindings;
mod context;
pub mod failure;
mod json_schema;
mod pairs;
pub(crate) mod read;
pub mod schema;
mod v2;
mod v3;
mod validate;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::loader::Sources;

pub use schema::{
    Additional, Bound, Constraints, Discriminator, Object, Property, Schema, SchemaKind, Union,
};

/// Which major version the document declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecVersion {
    /// AsyncAPI 2.0–2.6 (the minor version is kept for version-specific rules).
    V2 {
        /// The minor version, 0 to 6.
        minor: u8,
    },
    /// AsyncAPI 3.0–3.1 (3.1 adds binding versions, `x-` extensions on servers and its own
    /// `schemaFormat` ids; the model is the same).
    V3 {
        /// The minor version, 0 or 1.
        minor: u8,
    },
}

/// The whole API described by one spec.
#[derive(Clone, Debug)]
pub struct Api {
    /// Declared version.
    pub version: SpecVersion,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub api_version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Channels, in document order.
    pub channels: Vec<Channel>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
    /// The root `servers`, in document order.
    pub servers: Vec<Server>,
    /// Named schemas: `components.schemas` in document order, then every other `$ref` target in
    /// the order first met.
    pub schemas: Vec<NamedSchema>,
    /// Every message object the document writes (under channels, operations and
    /// `components.messages`), once each, whether or not an operation uses it.
    pub messages: Vec<Message>,
    /// Valid constructs the code generator cannot emit yet, each located. `asyncapi check`
    /// accepts a document with some; generating from it reports them.
    pub unsupported: Vec<crate::diagnostic::Diagnostic>,
    /// Problems that neither invalidate the document nor stop generation (binding values of the
    /// wrong type); `asyncapi check` prints them.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// Examples and defaults that contradict their schemas (message examples, schema `examples`
    /// and `default`, parameter and server variable `examples`): documentation, which real specs
    /// of public APIs get wrong and their users cannot fix, so they never stop generation.
    /// [`crate::ExamplePolicy`] makes them warnings (the default), errors or nothing.
    pub wrong_examples: Vec<crate::diagnostic::Diagnostic>,
}

/// A schema with a name: from the entry document's `components.schemas`, or any other schema a
/// `$ref` points at.
#[derive(Clone, Debug)]
pub struct NamedSchema {
    /// What [`SchemaKind::Named`] refers to it by: the `components.schemas` key in the entry
    /// document, `file#pointer` elsewhere.
    pub key: String,
    /// The name the Rust type is made from (the key, or the last token of the pointer).
    pub name: String,
    /// The schema.
    pub schema: Schema,
}

/// A server the API is available on.
#[derive(Clone, Debug)]
pub struct Server {
    /// Its key under `servers`.
    pub name: String,
    /// The URL template with `{variable}` placeholders: 2.x `url`, 3.0 `host` + `pathname`
    /// (without a scheme unless the document wrote one).
    pub url: String,
    /// `protocol` (`mqtt`, `kafka`, ...).
    pub protocol: String,
    /// `protocolVersion`.
    pub protocol_version: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `variables`, in document order.
    pub variables: Vec<ServerVariable>,
    /// The security schemes any of whose requirements applies (names and types), in order.
    pub security: Vec<SecurityScheme>,
    /// Its MQTT binding.
    pub mqtt: Option<bindings::MqttServer>,
}

/// A server variable.
#[derive(Clone, Debug)]
pub struct ServerVariable {
    /// Its name (the placeholder).
    pub name: String,
    /// `default`.
    pub default: Option<String>,
    /// `enum`.
    pub allowed: Vec<String>,
    /// `description`.
    pub description: Option<String>,
}

/// A security scheme a server requires.
#[derive(Clone, Debug)]
pub struct SecurityScheme {
    /// Its key under `components.securitySchemes` (3.0 inline schemes: their position).
    pub name: String,
    /// `type` (`userPassword`, `X509`, `scramSha256`, `plain`, ...).
    pub kind: String,
    /// `description`.
    pub description: Option<String>,
}

/// A runtime expression naming where a value sits in a message (`$message.header#/replyTo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeExpression {
    /// A header, by name (the pointer's first token), and a JSON pointer inside its value (empty
    /// for the whole header).
    Header(String, String),
    /// A place in the payload, as a JSON pointer.
    Payload(String),
}

impl RuntimeExpression {
    /// Parses `$message.header#/name` or `$message.payload#/pointer`.
    pub fn parse(text: &str) -> Option<RuntimeExpression> {
        if let Some(pointer) = text.strip_prefix("$message.header#") {
            let rest = pointer.strip_prefix('/')?;
            let (name, inner) = match rest.find('/') {
                Some(at) => (&rest[..at], &rest[at..]),
                None => (rest, ""),
            };
            (!name.is_empty()).then(|| {
                RuntimeExpression::Header(
                    crate::diagnostic::unescape_pointer_token(name),
                    inner.to_owned(),
                )
            })
        } else {
            let pointer = text.strip_prefix("$message.payload#")?;
            (pointer.is_empty() || pointer.starts_with('/'))
                .then(|| RuntimeExpression::Payload(pointer.to_owned()))
        }
    }
}

/// Where the reply to a request goes.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The reply channel, when the reply names one with a known address.
    pub channel: Option<usize>,
    /// A dynamic reply address: where in the request the requester writes it.
    pub address: Option<RuntimeExpression>,
    /// The messages the reply carries (at least one).
    pub messages: Vec<Message>,
}

/// A channel: an address template and its parameters.
#[derive(Clone, Debug)]
pub struct Channel {
    /// The channel's id (3.0 key; in 2.x derived, see [`v2`]).
    pub id: String,
    /// The address template, with `{name}` placeholders (empty when [`Channel::dynamic`]).
    pub address: String,
    /// 3.0 `address: null` (or none): the address is decided at runtime, so sending takes a
    /// concrete address and receiving an address filter.
    pub dynamic: bool,
    /// `description`.
    pub description: Option<String>,
    /// Parameters, in the order their placeholders appear in the address.
    pub parameters: Vec<Parameter>,
    /// Its Kafka binding.
    pub kafka: Option<bindings::KafkaChannel>,
    /// Where the channel is defined.
    pub location: Location,
}

/// A channel parameter.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// The placeholder name.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// The parameter's value type (3.0 parameters are always strings).
    pub schema: Schema,
}

/// Whether the application sends or receives on an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The application publishes.
    Send,
    /// The application consumes.
    Receive,
}

impl Action {
    /// The other side's action (for generating the mirror role).
    pub fn mirrored(self) -> Action {
        match self {
            Action::Send => Action::Receive,
            Action::Receive => Action::Send,
        }
    }
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The operation id (3.0 key, 2.x `operationId`).
    pub id: String,
    /// Send or receive, from the application's point of view.
    pub action: Action,
    /// Index into [`Api::channels`].
    pub channel: usize,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// The messages the operation carries (at least one).
    pub messages: Vec<Message>,
    /// The 3.0 `reply`: the operation is a request whose response comes back.
    pub reply: Option<Reply>,
    /// MQTT binding `qos`, after traits are applied.
    pub mqtt_qos: Option<u8>,
    /// MQTT binding `retain`, after traits are applied.
    pub mqtt_retain: Option<bool>,
    /// The Kafka binding's consumer group and client id.
    pub kafka: bindings::KafkaOperation,
    /// What the spec says to do with messages the handler fails on (`x-retry`, `x-dead-letter`,
    /// the Kafka binding's `x-errorTopic`); receive operations only, `None` when it says nothing.
    pub failure: Option<failure::FailurePolicy>,
    /// Where the operation is defined.
    pub location: Location,
    /// Its JSON pointer.
    pub pointer: String,
}

/// A message.
#[derive(Clone, Debug)]
pub struct Message {
    /// A name for the message: `name`, else its component key, else derived from the operation.
    pub name: String,
    /// The message's id: 2.x `messageId`, else the key it is referenced by.
    pub id: Option<String>,
    /// Where the message object is written (`file#pointer`): the same message used by several
    /// operations has one key, so its types are generated once.
    pub key: String,
    /// `correlationId.location`.
    pub correlation_id: Option<RuntimeExpression>,
    /// The Kafka binding's `key` schema.
    pub kafka_key: Option<Schema>,
    /// `title`.
    pub title: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `contentType`, or the document's `defaultContentType`.
    pub content_type: Option<String>,
    /// How the payload goes on the wire, from the content type (and a `format: binary` payload).
    pub codec: Codec,
    /// The payload schema.
    pub payload: Schema,
    /// The headers schema, when the message (or one of its traits) declares one.
    pub headers: Option<Schema>,
    /// The name of the message trait the headers come from (`commonHeaders`), when they do:
    /// messages sharing a trait share its headers type, named after it.
    pub headers_trait: Option<String>,
    /// `examples`, own or from traits.
    pub examples: Vec<MessageExample>,
}

/// How a message's payload is encoded, chosen from its content type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Codec {
    /// `application/json`, any `+json` type, or no content type at all: JSON.
    #[default]
    Json,
    /// `text/*` and `application/text`: the payload as plain text (a string, or a number,
    /// boolean or string enum as its text).
    Text,
    /// `application/octet-stream`, or a payload schema `type: string, format: binary`: the bytes
    /// as they are.
    Binary,
}

impl Codec {
    /// The codec of a content type, or `None` when no codec reads it.
    pub fn of_content_type(content_type: &str) -> Option<Codec> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            Some(Codec::Json)
        } else if essence.starts_with("text/") || essence == "application/text" {
            Some(Codec::Text)
        } else if essence == "application/octet-stream" {
            Some(Codec::Binary)
        } else {
            None
        }
    }

    /// The content types that have a codec, for error messages.
    pub const SUPPORTED: &'static str = "application/json (and any +json type), text/plain (any \
        text/* type, application/text) and application/octet-stream";
}

/// One message example.
#[derive(Clone, Debug)]
pub struct MessageExample {
    /// `name`, else `#1`, `#2`, ... by position.
    pub name: String,
    /// `summary`.
    pub summary: Option<String>,
    /// The example payload.
    pub payload: Option<serde_json::Value>,
    /// The example headers.
    pub headers: Option<serde_json::Value>,
}

/// Builds the model of a loaded spec, reporting every problem found.
pub fn build(sources: &Sources) -> Result<Api, Diagnostics> {
    let root = &sources.entry().root;
    let early = |d: Diagnostic| {
        let mut all = sources.problems().clone();
        all.push(d);
        all
    };
    if !root.is_map() {
        return Err(early(root.error(format!(
            "found {}; expected an AsyncAPI document (a mapping with an `asyncapi` field)",
            root.kind_name()
        ))));
    }
    let Some(version_node) = root.get("asyncapi") else {
        return Err(early(root.error(
            "missing field `asyncapi`; expected the AsyncAPI version, e.g. \"3.0.0\"",
        )));
    };
    let version_text = match &version_node.value {
        crate::document::Value::String(s) => s.clone(),
        crate::document::Value::Float(f) => f.to_string(),
        _ => String::new(),
    };
    let version = match parse_version(&version_text) {
        Some(v) => v,
        None => {
            return Err(early(version_node.error(format!(
                "unsupported AsyncAPI version `{version_text}`; expected 2.0.0 to 2.6.0, 3.0.0 or 3.1.0"
            ))));
        }
    };
    let mut cx = context::Context::new(sources);
    for problem in sources.problems().iter() {
        cx.report(problem.clone());
    }
    // Structural problems first; the model is still built (its readers tolerate any shape) so
    // that semantic problems are reported in the same run.
    for diagnostic in crate::structure::check(sources, &version_text) {
        cx.report(diagnostic);
    }
    let mut api = match version {
        SpecVersion::V2 { .. } => v2::build(&mut cx, version),
        SpecVersion::V3 { .. } => v3::build(&mut cx, version),
    };
    validate::check(&mut cx, &api);
    api.messages = all_messages(&mut cx);
    api.schemas = cx.take_named();
    api.unsupported = cx.take_unsupported();
    api.warnings = cx.take_warnings();
    api.wrong_examples = cx.take_wrong_examples();
    cx.finish(api)
}

/// Reads every message object of the document. What only these extra messages cannot generate
/// is not recorded: generation emits the operations' messages, not these.
fn all_messages(cx: &mut context::Context<'_>) -> Vec<Message> {
    let saved = cx.take_unsupported();
    let root = &cx.doc.root;
    let mut messages = Vec::new();
    for (node, _) in validate::message_nodes(cx, root) {
        let fallback = node
            .pointer
            .rsplit('/')
            .next()
            .unwrap_or("message")
            .to_owned();
        if let Some(message) = read::message(cx, node, &fallback) {
            messages.push(message);
        }
    }
    cx.take_unsupported();
    for diagnostic in saved {
        cx.unsupported(diagnostic);
    }
    messages
}

fn parse_version(text: &str) -> Option<SpecVersion> {
    let mut parts = text.split('.');
    let major = parts.next()?;
    let minor: u8 = parts.next()?.parse().ok()?;
    let patch = parts.next()?;
    if parts.next().is_some()
        || patch.parse::<u8>().is_err() && !crate::structure::known_version(text)
    {
        return None;
    }
    match (major, minor) {
        ("2", 0..=6) => Some(SpecVersion::V2 { minor }),
        ("3", 0..=1) => Some(SpecVersion::V3 { minor }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("2.6.0"), Some(SpecVersion::V2 { minor: 6 }));
        assert_eq!(parse_version("3.0.0"), Some(SpecVersion::V3 { minor: 0 }));
        assert_eq!(parse_version("3.1.0"), Some(SpecVersion::V3 { minor: 1 }));
        assert_eq!(parse_version("3.2.0"), None);
        assert_eq!(parse_version("1.2.0"), None);
        assert_eq!(parse_version("2.6"), None);
    }
}
