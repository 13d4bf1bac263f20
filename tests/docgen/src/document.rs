//! The document grammar: one function per kind of AsyncAPI object, each a mapping of the spec's
//! fields, any of which may be missing, and any node of which may be replaced by [`Gen::wrong`].

use arbitrary::{Result, Unstructured};

use crate::Tree;

/// Deepest nesting of schemas (a generated document stays small enough to run thousands a
/// second).
const MAX_SCHEMA_DEPTH: usize = 4;

const VERSIONS: &[&str] = &[
    "2.6.0",
    "3.0.0",
    "2.0.0",
    "2.1.0",
    "2.2.0",
    "2.3.0",
    "2.4.0",
    "2.5.0",
    "3.1.0",
    "2.0.0-rc2",
    "1.2.0",
    "2.7.0",
    "3.0",
    "4.0.0",
    "",
];

/// Names of components, channels, messages, parameters, properties and operation ids. The first
/// few are the usual; the rest are what breaks identifiers (keywords, digits, non-ASCII, pointer
/// escapes, names of generated items).
const NAMES: &[&str] = &[
    "User",
    "a",
    "id",
    "Message",
    "b",
    "user",
    "userId",
    "type",
    "self",
    "Self",
    "_",
    "0",
    "1a",
    "é",
    "a b",
    "a/b",
    "a~b",
    "{id}",
    "Option",
    "Result",
    "String",
    "Vec",
    "on_error",
    "subscribe_a",
    "Publisher",
    "Handler",
    "r#type",
    "",
    "crate",
    "super",
    "A",
    "Box",
    "value",
    "a.b",
    "%7B",
    "x-ext",
];

const ADDRESSES: &[&str] = &[
    "user/signedup",
    "user/{userId}/signedup",
    "{a}/{b}",
    "{id}",
    "{a}{b}",
    "a/{}",
    "a/{b",
    "a/b}",
    "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured",
    "a?b=1",
    "a#b",
    "",
    "/",
    "é/ü",
    "a/+/#",
    "a b",
    "{userId}/{userId}",
    "$SYS/x",
];

const TEXTS: &[&str] = &[
    "text",
    "",
    "two\nlines",
    "*/ /* \" \\ `",
    "é ü 漢",
    "{id}",
    "#[doc]",
    "\u{0}",
    "${x}",
    "a very long line of text that goes on and on and on and on and on and on and on and on",
];

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/cloudevents+json",
    "text/plain",
    "application/octet-stream",
    "application/text",
    "application/vnd.apache.avro+json",
    "application/x-protobuf",
    "",
    "json",
];

const SCHEMA_FORMATS: &[&str] = &[
    "application/vnd.aai.asyncapi+json;version=2.6.0",
    "application/vnd.apache.avro;version=1.9.0",
    "application/schema+json;version=draft-07",
    "application/vnd.oai.openapi;version=3.0.0",
    "application/vnd.apache.avro+json;version=1.9.0",
    "application/vnd.apache.avro+yaml;version=1.9.0",
    "application/vnd.aai.asyncapi;version=3.0.0",
    "application/vnd.aai.asyncapi+yaml;version=3.1.0",
    "application/schema+yaml;version=draft-07",
    "application/vnd.oai.openapi+json;version=3.0.0",
    "application/raml+yaml;version=1.0",
    "application/vnd.google.protobuf;version=3",
    "text/nonsense",
    "",
];

const FORMATS: &[&str] = &[
    "date-time",
    "uuid",
    "int32",
    "int64",
    "float",
    "double",
    "email",
    "uri",
    "binary",
    "byte",
    "date",
    "time",
    "ipv4",
    "hostname",
    "unknown",
    "",
];

const PATTERNS: &[&str] = &["^[a-z]+$", "^\\d{3}$", "(", "[a-", "\\p{L}+", "", "(?<n>a)"];

const TYPES: &[&str] = &[
    "object", "string", "integer", "number", "boolean", "array", "null", "any", "",
];

const RUNTIME_EXPRESSIONS: &[&str] = &[
    "$message.header#/correlationId",
    "$message.payload#/id",
    "$message.payload#/a/b",
    "$message.header#/",
    "$message.payload#",
    "$message.header#",
    "$message.payload#/a~1b",
    "$message.header#/a/b",
    "$message.payload",
    "$request.header#/x",
    "header#/x",
    "",
];

const PROTOCOLS: &[&str] = &[
    "mqtt",
    "kafka",
    "mqtts",
    "kafka-secure",
    "secure-mqtt",
    "mqtt5",
    "amqp",
    "ws",
    "http",
    "nats",
    "",
];

const SERVER_URLS: &[&str] = &[
    "mqtt://broker:1883",
    "kafka://localhost:9092",
    "{host}:{port}",
    "user:pass@host:1883",
    "mqtt://user:pass@host/{path}",
    "ws://x/{path}",
    "",
    "://",
    "{",
    "host/{a}{b}",
];

const SECURITY_TYPES: &[&str] = &[
    "userPassword",
    "apiKey",
    "X509",
    "symmetricEncryption",
    "asymmetricEncryption",
    "httpApiKey",
    "http",
    "oauth2",
    "openIdConnect",
    "plain",
    "scramSha256",
    "scramSha512",
    "gssapi",
    "",
];

const AVRO_PRIMITIVES: &[&str] = &[
    "string",
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "bytes",
    "null",
    "User",
    "com.example.User",
    "Unknown",
    "record",
    "",
];

/// Component kinds and the fields they live under, for `$ref`s.
const REF_PLACES: &[&str] = &[
    "#/components/schemas/",
    "#/components/messages/",
    "#/components/parameters/",
    "#/channels/",
    "#/components/securitySchemes/",
    "#/components/messageTraits/",
    "#/components/operationTraits/",
    "#/components/correlationIds/",
    "#/components/serverVariables/",
    "#/servers/",
    "#/operations/",
    "#/components/channels/",
    "#/components/operations/",
    "#/components/replies/",
    "#/components/replyAddresses/",
    "#/components/servers/",
    "#/components/channelBindings/",
    "#/components/operationBindings/",
    "#/components/messageBindings/",
    "#/components/serverBindings/",
    "#/components/externalDocs/",
    "#/components/tags/",
];

/// References that are not `<place><name>`.
const ODD_REFS: &[&str] = &[
    "#",
    "#/",
    "#/info",
    "#/info/title",
    "other.yaml",
    "other.yaml#/components/schemas/User",
    "schemas/user.avsc",
    "entities.avsc#/1",
    "https://example.com/schema.json",
    "#components/schemas/User",
    "#/channels/a~1b",
    "#/components/schemas/%7Bid%7D",
    "#/components/schemas/a~2b",
    "#/components/schemas/User/properties/id",
    "#/components/schemas/User/items",
    "#/components/messages/User/payload",
    "#/channels/a/messages/User/payload",
    "#/channels/user~1signedup/publish/message",
    "#/components/schemas/User/allOf/0",
    "",
];

const BINDING_VERSIONS: &[&str] = &[
    "0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0", "latest", "9.9.9", "",
];

/// An entry list under construction.
type Entries = Vec<(String, Tree)>;

pub(crate) fn build(u: &mut Unstructured<'_>) -> Result<Tree> {
    // How far documents stray: the bytes choose a clean mode (common names and values, no
    // wrong nodes), a mild one or a wild one, so that some documents reach the emitter and others
    // every error path.
    let (noise, clean) = *u.choose(&[(0, true), (48, false), (12, false)])?;
    let mut g = Gen {
        u,
        v3: false,
        noise,
        clean,
        serial: 0,
        channels: Vec::new(),
    };
    let version = if g.clean {
        *g.u.choose(&["2.6.0", "3.0.0"])?
    } else {
        g.pick(VERSIONS)?
    };
    g.v3 = version.starts_with('3');
    // Sometimes a body of the other major version under this version string.
    if g.noisy()? {
        g.v3 = !g.v3;
    }
    let mut m = Entries::new();
    g.required(&mut m, "asyncapi", |g| {
        Ok(if g.noisy()? {
            Tree::Float(2.6)
        } else {
            Tree::Str(version.to_owned())
        })
    })?;
    g.optional(&mut m, "id", |g| {
        g.text_from(&["urn:example:api", "not a uri", ""])
    })?;
    g.required(&mut m, "info", Gen::info)?;
    g.optional(&mut m, "servers", |g| g.named_map(4, Gen::server))?;
    g.optional(&mut m, "defaultContentType", |g| g.text_from(CONTENT_TYPES))?;
    if g.v3 {
        g.optional(&mut m, "channels", |g| {
            g.named_map(3, |g, id| {
                let channel = g.channel3(id)?;
                let messages = match &channel {
                    Tree::Map(entries) => entries
                        .iter()
                        .filter(|(k, _)| k == "messages")
                        .flat_map(|(_, v)| match v {
                            Tree::Map(m) => m.iter().map(|(k, _)| k.clone()).collect(),
                            _ => Vec::new(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                g.channels.push((escape(id), messages));
                Ok(channel)
            })
        })?;
        if !(g.clean && g.channels.is_empty()) {
            g.optional(&mut m, "operations", |g| g.named_map(4, Gen::operation3))?;
        }
    } else {
        g.required(&mut m, "channels", |g| {
            g.map_of(3, ADDRESSES, Gen::channel2)
        })?;
        g.optional(&mut m, "tags", Gen::tags)?;
        g.optional(&mut m, "externalDocs", Gen::external_docs)?;
    }
    g.optional(&mut m, "components", Gen::components)?;
    g.extra(&mut m)?;
    Ok(Tree::Map(m))
}

struct Gen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    /// Whether the body is written as 3.x (operations at the root, `action`, messages maps).
    v3: bool,
    /// A node is wrong, a required field missing, extra fields added once in `noise` (never
    /// when 0).
    noise: u32,
    /// A valid document as far as the generator knows the rules: choices only among the first
    /// quarter (the ordinary entries) of each pool, lists not empty, mapping keys, operation
    /// ids and Avro names not repeated, references only where they resolve, fields only where
    /// the version has them, no examples (they would contradict their schemas).
    clean: bool,
    /// For unique names in the clean mode.
    serial: usize,
    /// 3.x: each root channel's pointer token and its message keys, for operations to refer to.
    channels: Vec<(String, Vec<String>)>,
}

impl Gen<'_, '_> {
    // ---- choices ---------------------------------------------------------------------------

    /// True once in `n` (never when the bytes have run out).
    fn chance(&mut self, n: u32) -> Result<bool> {
        Ok(self.u.int_in_range(0..=n - 1)? == n - 1)
    }

    /// True once in [`Gen::noise`].
    fn noisy(&mut self) -> Result<bool> {
        match self.noise {
            0 => Ok(false),
            n => self.chance(n),
        }
    }

    /// True once in `n`, never in the clean mode: where a reference replaces a value.
    fn refers(&mut self, n: u32) -> Result<bool> {
        if self.clean {
            return Ok(false);
        }
        self.chance(n)
    }

    /// [`Gen::optional`], except in the clean mode: a field that is only sometimes valid
    /// (version-dependent, tied to other fields, or a reference that may dangle).
    fn risky(
        &mut self,
        m: &mut Entries,
        key: &str,
        f: impl FnOnce(&mut Self) -> Result<Tree>,
    ) -> Result<()> {
        if self.clean {
            return Ok(());
        }
        self.optional(m, key, f)
    }

    /// A name not used before in this document (clean mode), else any name.
    fn unique(&mut self, prefix: &str) -> Result<Tree> {
        if self.clean {
            self.serial += 1;
            Ok(Tree::Str(format!("{prefix}{}", self.serial)))
        } else {
            self.name()
        }
    }

    fn count(&mut self, max: usize) -> Result<usize> {
        self.u.int_in_range(0..=max)
    }

    fn pick(&mut self, from: &[&'static str]) -> Result<&'static str> {
        let from = if self.clean {
            &from[..(from.len() / 4).max(1)]
        } else {
            from
        };
        Ok(*self.u.choose(from)?)
    }

    fn text_from(&mut self, from: &[&'static str]) -> Result<Tree> {
        Ok(Tree::Str(self.pick(from)?.to_owned()))
    }

    fn text(&mut self) -> Result<Tree> {
        self.text_from(TEXTS)
    }

    fn name(&mut self) -> Result<Tree> {
        self.text_from(NAMES)
    }

    /// A field the spec requires: present unless the bytes say otherwise (1 in 16).
    fn required(
        &mut self,
        m: &mut Entries,
        key: &str,
        f: impl FnOnce(&mut Self) -> Result<Tree>,
    ) -> Result<()> {
        if !self.noisy()? {
            let value = self.node(f)?;
            m.push((key.to_owned(), value));
        }
        Ok(())
    }

    /// An optional field: present when the bytes say so.
    fn optional(
        &mut self,
        m: &mut Entries,
        key: &str,
        f: impl FnOnce(&mut Self) -> Result<Tree>,
    ) -> Result<()> {
        if self.u.arbitrary::<bool>()? {
            let value = self.node(f)?;
            m.push((key.to_owned(), value));
        }
        Ok(())
    }

    /// `f`'s value, or (1 in 12) something else in its place: see [`Gen::wrong`].
    fn node(&mut self, f: impl FnOnce(&mut Self) -> Result<Tree>) -> Result<Tree> {
        if self.noisy()? { self.wrong() } else { f(self) }
    }

    /// What a node should not be: a null, a value of another type, an empty list or map, a
    /// reference to anywhere, a list holding a reference.
    fn wrong(&mut self) -> Result<Tree> {
        Ok(match self.u.int_in_range(0..=11)? {
            0 => self.reference()?,
            1 => Tree::Null,
            2 => Tree::Seq(Vec::new()),
            3 => Tree::Map(Vec::new()),
            4 => Tree::Bool(self.u.arbitrary()?),
            5 => self.number()?,
            6 => self.text()?,
            7 => Tree::Seq(vec![self.reference()?]),
            8 => Tree::Map(vec![("oneOf".to_owned(), Tree::Seq(Vec::new()))]),
            9 => Tree::Map(vec![("$ref".to_owned(), Tree::Seq(vec![self.text()?]))]),
            10 => Tree::Seq(vec![Tree::Null]),
            _ => self.any_value(2)?,
        })
    }

    /// Extra fields (1 in 8): extensions, unknown fields, fields of other objects.
    fn extra(&mut self, m: &mut Entries) -> Result<()> {
        if self.noisy()? {
            for _ in 0..=self.count(2)? {
                let key = self.pick(&[
                    "x-ext",
                    "unknown",
                    "payload",
                    "message",
                    "messages",
                    "$ref",
                    "type",
                    "properties",
                    "bindings",
                    "parameters",
                    "oneOf",
                    "x-rust-type",
                    "address",
                    "channel",
                ])?;
                let value = self.any_value(2)?;
                m.push((key.to_owned(), value));
            }
        }
        Ok(())
    }

    fn number(&mut self) -> Result<Tree> {
        let max = if self.clean { 0 } else { 9 };
        Ok(match self.u.int_in_range(0..=max)? {
            0 => Tree::Int(1),
            1 => Tree::Int(0),
            2 => Tree::Int(-1),
            3 => Tree::Int(i64::MAX),
            4 => Tree::Int(i64::MIN),
            5 => Tree::Float(1.5),
            6 => Tree::Float(f64::NAN),
            7 => Tree::Float(f64::INFINITY),
            8 => Tree::Float(1e300),
            _ => Tree::Int(self.u.arbitrary()?),
        })
    }

    /// Any JSON value, at most `depth` deep.
    fn any_value(&mut self, depth: usize) -> Result<Tree> {
        let max = if depth == 0 { 4 } else { 6 };
        Ok(match self.u.int_in_range(0..=max)? {
            0 => self.text()?,
            1 => self.number()?,
            2 => Tree::Bool(self.u.arbitrary()?),
            3 => Tree::Null,
            4 => self.name()?,
            5 => {
                let n = self.count(3)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.any_value(depth - 1)?);
                }
                Tree::Seq(items)
            }
            _ => {
                let n = self.count(3)?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.pick(NAMES)?.to_owned();
                    entries.push((key, self.any_value(depth - 1)?));
                }
                Tree::Map(entries)
            }
        })
    }

    /// A mapping of up to `max` entries keyed from [`NAMES`].
    fn named_map(
        &mut self,
        max: usize,
        f: impl FnMut(&mut Self, &str) -> Result<Tree>,
    ) -> Result<Tree> {
        self.map_of(max, NAMES, f)
    }

    /// A mapping of up to `max` entries keyed from `keys`, each value from `f` (given the key)
    /// or a reference in its place.
    fn map_of(
        &mut self,
        max: usize,
        keys: &[&'static str],
        mut f: impl FnMut(&mut Self, &str) -> Result<Tree>,
    ) -> Result<Tree> {
        let n = self.count(max)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let key = self.pick(keys)?;
            if self.clean && entries.iter().any(|(k, _)| k == key) {
                continue;
            }
            let value = if self.refers(6)? {
                self.reference()?
            } else {
                self.node(|g| f(g, key))?
            };
            entries.push((key.to_owned(), value));
        }
        Ok(Tree::Map(entries))
    }

    /// A list of up to `max` items from `f`, or references in their place.
    fn list(&mut self, max: usize, mut f: impl FnMut(&mut Self) -> Result<Tree>) -> Result<Tree> {
        let n = if self.clean {
            self.u.int_in_range(1..=max.max(1))?
        } else {
            self.count(max)?
        };
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            let item = if self.refers(6)? {
                self.reference()?
            } else {
                self.node(&mut f)?
            };
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }

    /// `{$ref: ...}` to a place of any kind, by a name that may or may not be defined.
    fn reference(&mut self) -> Result<Tree> {
        let target = self.pointer()?;
        let mut m = vec![("$ref".to_owned(), Tree::Str(target))];
        // A reference with siblings (ignored or not, by version).
        if self.chance(8)? {
            m.push(("description".to_owned(), self.text()?));
        }
        Ok(Tree::Map(m))
    }

    fn pointer(&mut self) -> Result<String> {
        if !self.clean && self.chance(5)? {
            return Ok(self.pick(ODD_REFS)?.to_owned());
        }
        let place = self.pick(REF_PLACES)?;
        let name = escape(self.pick(NAMES)?);
        Ok(if place == "#/channels/" && self.u.arbitrary::<bool>()? {
            let message = escape(self.pick(NAMES)?);
            format!("{place}{name}/messages/{message}")
        } else {
            format!("{place}{name}")
        })
    }

    /// `{$ref: '#/channels/<id>/messages/<name>'}` or a component message: what 3.0 operations
    /// list.
    fn message_ref(&mut self) -> Result<Tree> {
        let target = if self.chance(4)? {
            format!("#/components/messages/{}", escape(self.pick(NAMES)?))
        } else {
            let channel = escape(self.pick(NAMES)?);
            let message = escape(self.pick(NAMES)?);
            format!("#/channels/{channel}/messages/{message}")
        };
        Ok(Tree::Map(vec![("$ref".to_owned(), Tree::Str(target))]))
    }

    fn ref_to(&mut self, place: &str) -> Result<Tree> {
        let name = escape(self.pick(NAMES)?);
        Ok(Tree::Map(vec![(
            "$ref".to_owned(),
            Tree::Str(format!("{place}{name}")),
        )]))
    }

    // ---- objects ----------------------------------------------------------------------------

    fn info(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.required(&mut m, "title", |g| {
            g.text_from(&["Example API", "", "é", "a\"b"])
        })?;
        self.required(&mut m, "version", |g| g.text_from(&["1.0.0", "", "v2"]))?;
        self.optional(&mut m, "description", Gen::text)?;
        self.optional(&mut m, "termsOfService", |g| {
            g.text_from(&["https://example.com", "x"])
        })?;
        self.optional(&mut m, "contact", |g| {
            let mut c = Entries::new();
            g.optional(&mut c, "name", Gen::text)?;
            g.optional(&mut c, "url", |g| {
                g.text_from(&["https://example.com", "nope"])
            })?;
            g.optional(&mut c, "email", |g| g.text_from(&["a@example.com", "nope"]))?;
            Ok(Tree::Map(c))
        })?;
        self.optional(&mut m, "license", |g| {
            let mut l = Entries::new();
            g.required(&mut l, "name", Gen::text)?;
            g.optional(&mut l, "url", |g| {
                g.text_from(&["https://example.com", "nope"])
            })?;
            Ok(Tree::Map(l))
        })?;
        if self.v3 {
            self.optional(&mut m, "tags", Gen::tags)?;
            self.optional(&mut m, "externalDocs", Gen::external_docs)?;
        }
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn tags(&mut self) -> Result<Tree> {
        let max = if self.clean { 1 } else { 3 };
        self.list(max, |g| {
            let mut m = Entries::new();
            g.required(&mut m, "name", |g| g.text_from(&["a", "b", "a", ""]))?;
            g.optional(&mut m, "description", Gen::text)?;
            Ok(Tree::Map(m))
        })
    }

    fn external_docs(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.required(&mut m, "url", |g| {
            g.text_from(&["https://example.com", "x"])
        })?;
        self.optional(&mut m, "description", Gen::text)?;
        Ok(Tree::Map(m))
    }

    fn server(&mut self, _name: &str) -> Result<Tree> {
        let mut m = Entries::new();
        if self.v3 {
            self.required(&mut m, "host", |g| {
                g.text_from(&["broker:1883", "{host}:{port}", "user:pw@h", "", "{"])
            })?;
            self.optional(&mut m, "pathname", |g| g.text_from(&["/", "/{path}", "x"]))?;
            self.optional(&mut m, "title", Gen::text)?;
            self.optional(&mut m, "summary", Gen::text)?;
        } else {
            self.required(&mut m, "url", |g| g.text_from(SERVER_URLS))?;
        }
        self.required(&mut m, "protocol", |g| g.text_from(PROTOCOLS))?;
        self.optional(&mut m, "protocolVersion", |g| {
            g.text_from(&["3.1.1", "5", "5.0", "0.9.1", "x"])
        })?;
        self.optional(&mut m, "description", Gen::text)?;
        self.risky(&mut m, "variables", |g| {
            g.map_of(3, &["host", "port", "path", "a", "b", ""], |g, _| {
                g.server_variable()
            })
        })?;
        self.risky(&mut m, "security", |g| g.security_requirements())?;
        self.optional(&mut m, "bindings", |g| {
            let mut b = Entries::new();
            g.optional(&mut b, "mqtt", |g| {
                let mut q = Entries::new();
                g.optional(&mut q, "clientId", Gen::text)?;
                g.optional(&mut q, "cleanSession", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
                g.optional(&mut q, "keepAlive", Gen::number)?;
                g.optional(&mut q, "sessionExpiryInterval", Gen::number)?;
                g.risky(&mut q, "maximumPacketSize", Gen::number)?;
                g.optional(&mut q, "lastWill", |g| {
                    let mut w = Entries::new();
                    g.optional(&mut w, "topic", |g| g.text_from(ADDRESSES))?;
                    g.optional(&mut w, "qos", Gen::qos)?;
                    g.optional(&mut w, "message", Gen::text)?;
                    g.optional(&mut w, "retain", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
                    Ok(Tree::Map(w))
                })?;
                g.risky(&mut q, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(q))
            })?;
            g.optional(&mut b, "kafka", |g| {
                let mut k = Entries::new();
                g.optional(&mut k, "schemaRegistryUrl", |g| g.text_from(SERVER_URLS))?;
                g.optional(&mut k, "schemaRegistryVendor", |g| {
                    g.text_from(&["confluent", ""])
                })?;
                g.risky(&mut k, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(k))
            })?;
            Ok(Tree::Map(b))
        })?;
        self.optional(&mut m, "tags", Gen::tags)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn qos(&mut self) -> Result<Tree> {
        let max = if self.clean { 2 } else { 5 };
        Ok(match self.u.int_in_range(0..=max)? {
            n @ 0..=2 => Tree::Int(n),
            3 => Tree::Int(3),
            4 => Tree::Str("1".to_owned()),
            _ => Tree::Int(-1),
        })
    }

    fn server_variable(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        let values = &["localhost", "1883", "x", "", "{a}"];
        self.optional(&mut m, "enum", |g| g.list(3, |g| g.text_from(values)))?;
        self.optional(&mut m, "default", |g| g.text_from(values))?;
        self.optional(&mut m, "examples", |g| g.list(2, |g| g.text_from(values)))?;
        self.optional(&mut m, "description", Gen::text)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    /// 2.x: `[{scheme: [scopes]}]`; 3.0: a list of security schemes or references to them.
    fn security_requirements(&mut self) -> Result<Tree> {
        if self.v3 {
            self.list(2, |g| {
                if g.u.arbitrary()? {
                    g.ref_to("#/components/securitySchemes/")
                } else {
                    g.security_scheme("")
                }
            })
        } else {
            self.list(2, |g| {
                g.named_map(2, |g, _| g.list(2, |g| g.text_from(&["read", "write", ""])))
            })
        }
    }

    fn security_scheme(&mut self, _name: &str) -> Result<Tree> {
        let mut m = Entries::new();
        if self.clean {
            let kind = *self
                .u
                .choose(&["userPassword", "X509", "plain", "scramSha256"])?;
            m.push(("type".to_owned(), Tree::Str(kind.to_owned())));
            self.optional(&mut m, "description", Gen::text)?;
            return Ok(Tree::Map(m));
        }
        self.required(&mut m, "type", |g| g.text_from(SECURITY_TYPES))?;
        self.optional(&mut m, "description", Gen::text)?;
        self.optional(&mut m, "name", Gen::name)?;
        self.optional(&mut m, "in", |g| {
            g.text_from(&["user", "password", "query", "header", "cookie", "x"])
        })?;
        self.optional(&mut m, "scheme", |g| g.text_from(&["bearer", "basic", ""]))?;
        self.optional(&mut m, "bearerFormat", Gen::text)?;
        self.optional(&mut m, "openIdConnectUrl", |g| {
            g.text_from(&["https://x", ""])
        })?;
        self.optional(&mut m, "flows", |g| {
            g.map_of(
                2,
                &[
                    "implicit",
                    "password",
                    "clientCredentials",
                    "authorizationCode",
                    "x",
                ],
                |g, _| {
                    let mut f = Entries::new();
                    g.optional(&mut f, "authorizationUrl", |g| {
                        g.text_from(&["https://x", ""])
                    })?;
                    g.optional(&mut f, "tokenUrl", |g| g.text_from(&["https://x", ""]))?;
                    let scopes = if g.v3 { "availableScopes" } else { "scopes" };
                    g.optional(&mut f, scopes, |g| g.named_map(2, |g, _| g.text()))?;
                    Ok(Tree::Map(f))
                },
            )
        })?;
        if self.v3 {
            self.optional(&mut m, "scopes", |g| {
                g.list(2, |g| g.text_from(&["read", ""]))
            })?;
        }
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    // ---- 2.x channels and operations ---------------------------------------------------------

    fn channel2(&mut self, address: &str) -> Result<Tree> {
        let mut m = Entries::new();
        self.optional(&mut m, "description", Gen::text)?;
        self.risky(&mut m, "servers", |g| g.list(2, Gen::name))?;
        if self.clean {
            self.placeholder_parameters(&mut m, address)?;
        } else {
            self.optional(&mut m, "parameters", |g| {
                g.map_of(
                    3,
                    &["userId", "a", "b", "id", "streetlightId", "x", ""],
                    |g, _| g.parameter(),
                )
            })?;
        }
        // Usually at least one operation, else the channel generates nothing.
        if !self.chance(8)? {
            self.optional(&mut m, "publish", Gen::operation2)?;
            self.optional(&mut m, "subscribe", Gen::operation2)?;
        }
        self.optional(&mut m, "bindings", Gen::channel_bindings)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    /// `parameters` declaring exactly the placeholders of `address` (clean mode).
    fn placeholder_parameters(&mut self, m: &mut Entries, address: &str) -> Result<()> {
        let mut names: Vec<&str> = Vec::new();
        let mut rest = address;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            if !names.contains(&&after[..end]) {
                names.push(&after[..end]);
            }
            rest = &after[end + 1..];
        }
        if names.is_empty() {
            return Ok(());
        }
        let mut params = Entries::new();
        for name in names {
            let parameter = self.parameter()?;
            params.push((name.to_owned(), parameter));
        }
        m.push(("parameters".to_owned(), Tree::Map(params)));
        Ok(())
    }

    fn parameter(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.optional(&mut m, "description", Gen::text)?;
        if self.clean && !self.v3 {
            self.optional(&mut m, "schema", |g| {
                let mut p = vec![("type".to_owned(), Tree::Str("string".to_owned()))];
                g.optional(&mut p, "enum", |_| {
                    Ok(Tree::Seq(vec![
                        Tree::Str("a".to_owned()),
                        Tree::Str("b".to_owned()),
                    ]))
                })?;
                Ok(Tree::Map(p))
            })?;
        } else if self.clean {
            let values = || vec![Tree::Str("a".to_owned()), Tree::Str("b".to_owned())];
            self.optional(&mut m, "enum", |_| Ok(Tree::Seq(values())))?;
            if m.iter().any(|(k, _)| k == "enum") {
                self.optional(&mut m, "default", |_| Ok(Tree::Str("a".to_owned())))?;
                self.optional(&mut m, "examples", |_| Ok(Tree::Seq(values())))?;
            }
        } else if self.v3 {
            let values = &["a", "1", "", "x/y", "+"];
            self.optional(&mut m, "enum", |g| g.list(3, |g| g.text_from(values)))?;
            self.optional(&mut m, "default", |g| g.text_from(values))?;
            self.optional(&mut m, "examples", |g| g.list(2, |g| g.text_from(values)))?;
        } else {
            self.optional(&mut m, "schema", |g| g.schema(1))?;
        }
        self.optional(&mut m, "location", |g| g.text_from(RUNTIME_EXPRESSIONS))?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn channel_bindings(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.optional(&mut m, "kafka", |g| {
            let mut k = Entries::new();
            g.risky(&mut k, "topic", |g| g.text_from(ADDRESSES))?;
            g.optional(&mut k, "partitions", Gen::number)?;
            g.optional(&mut k, "replicas", Gen::number)?;
            g.risky(&mut k, "topicConfiguration", |g| {
                let mut t = Entries::new();
                g.optional(&mut t, "cleanup.policy", |g| {
                    g.list(2, |g| g.text_from(&["delete", "compact", "x"]))
                })?;
                g.optional(&mut t, "retention.ms", Gen::number)?;
                g.optional(&mut t, "max.message.bytes", Gen::number)?;
                Ok(Tree::Map(t))
            })?;
            g.risky(&mut k, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
            Ok(Tree::Map(k))
        })?;
        self.optional(&mut m, "mqtt", |g| {
            let mut q = Entries::new();
            g.risky(&mut q, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
            Ok(Tree::Map(q))
        })?;
        self.risky(&mut m, "amqp", |g| {
            let mut a = Entries::new();
            g.optional(&mut a, "is", |g| g.text_from(&["routingKey", "queue"]))?;
            Ok(Tree::Map(a))
        })?;
        Ok(Tree::Map(m))
    }

    fn operation_fields(&mut self, m: &mut Entries, is_trait: bool) -> Result<()> {
        // Clean traits carry no id: it would override the operation's, and ids must be unique.
        if !(self.v3 || self.clean && is_trait) {
            self.optional(m, "operationId", |g| g.unique("op"))?;
        }
        self.optional(m, "summary", Gen::text)?;
        self.optional(m, "description", Gen::text)?;
        self.optional(m, "tags", Gen::tags)?;
        self.risky(m, "security", Gen::security_requirements)?;
        self.optional(m, "bindings", |g| {
            let mut b = Entries::new();
            g.optional(&mut b, "mqtt", |g| {
                let mut q = Entries::new();
                g.optional(&mut q, "qos", Gen::qos)?;
                g.optional(&mut q, "retain", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
                g.risky(&mut q, "messageExpiryInterval", Gen::number)?;
                g.risky(&mut q, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(q))
            })?;
            g.optional(&mut b, "kafka", |g| {
                let mut k = Entries::new();
                g.optional(&mut k, "groupId", |g| g.id_schema())?;
                g.optional(&mut k, "clientId", |g| g.id_schema())?;
                g.risky(&mut k, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(k))
            })?;
            Ok(Tree::Map(b))
        })?;
        if !is_trait {
            self.optional(m, "traits", |g| {
                g.list(2, |g| {
                    let mut t = Entries::new();
                    g.operation_fields(&mut t, true)?;
                    Ok(Tree::Map(t))
                })
            })?;
        }
        Ok(())
    }

    /// A Kafka group or client id: a schema.
    fn id_schema(&mut self) -> Result<Tree> {
        if self.clean {
            let id = Tree::Str(self.pick(&["group-1", "client"])?.to_owned());
            return Ok(Tree::Map(vec![
                ("type".to_owned(), Tree::Str("string".to_owned())),
                ("enum".to_owned(), Tree::Seq(vec![id])),
            ]));
        }
        self.schema(1)
    }

    fn operation2(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.operation_fields(&mut m, false)?;
        self.optional(&mut m, "message", |g| {
            Ok(match g.u.int_in_range(0..=3)? {
                0 => g.message("")?,
                1 => {
                    let list = g.list(3, |g| g.message(""))?;
                    Tree::Map(vec![("oneOf".to_owned(), list)])
                }
                2 if !g.clean => g.ref_to("#/components/messages/")?,
                _ => Tree::Map(vec![("oneOf".to_owned(), Tree::Seq(Vec::new()))]),
            })
        })?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    // ---- 3.x channels and operations ---------------------------------------------------------

    fn channel3(&mut self, _id: &str) -> Result<Tree> {
        let mut m = Entries::new();
        let address = if !self.clean && self.chance(6)? {
            None
        } else {
            Some(self.pick(ADDRESSES)?)
        };
        self.required(&mut m, "address", |_| {
            Ok(address.map_or(Tree::Null, |a| Tree::Str(a.to_owned())))
        })?;
        self.optional(&mut m, "title", Gen::text)?;
        self.optional(&mut m, "summary", Gen::text)?;
        self.optional(&mut m, "description", Gen::text)?;
        self.risky(&mut m, "servers", |g| g.list(2, |g| g.ref_to("#/servers/")))?;
        if self.clean {
            self.placeholder_parameters(&mut m, address.unwrap_or_default())?;
        } else {
            self.optional(&mut m, "parameters", |g| {
                g.map_of(
                    3,
                    &["userId", "a", "b", "id", "streetlightId", "x", ""],
                    |g, _| g.parameter(),
                )
            })?;
        }
        self.optional(&mut m, "messages", |g| g.named_map(3, Gen::message))?;
        self.optional(&mut m, "bindings", Gen::channel_bindings)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn operation3(&mut self, id: &str) -> Result<Tree> {
        if self.clean {
            return self.clean_operation3(id);
        }
        let mut m = Entries::new();
        self.required(&mut m, "action", |g| {
            let action = *g.u.choose(&["send", "receive", "publish", ""])?;
            Ok(Tree::Str(action.to_owned()))
        })?;
        self.required(&mut m, "channel", |g| {
            if g.chance(8)? {
                g.ref_to("#/components/channels/")
            } else {
                g.ref_to("#/channels/")
            }
        })?;
        self.optional(&mut m, "title", Gen::text)?;
        self.operation_fields(&mut m, false)?;
        self.optional(&mut m, "messages", |g| g.list(3, Gen::message_ref))?;
        self.optional(&mut m, "reply", Gen::reply)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    /// A 3.x operation on one of the root channels, listing some of its messages.
    fn clean_operation3(&mut self, _id: &str) -> Result<Tree> {
        let mut m = Entries::new();
        let action = *self.u.choose(&["send", "receive"])?;
        m.push(("action".to_owned(), Tree::Str(action.to_owned())));
        if self.channels.is_empty() {
            // Nothing to refer to: an operation needs a channel.
            return Ok(Tree::Map(m));
        }
        let index = self.u.choose_index(self.channels.len())?;
        let (channel, messages) = self.channels[index].clone();
        let target = format!("#/channels/{channel}");
        m.push((
            "channel".to_owned(),
            Tree::Map(vec![("$ref".to_owned(), Tree::Str(target.clone()))]),
        ));
        self.optional(&mut m, "title", Gen::text)?;
        self.operation_fields(&mut m, false)?;
        if !messages.is_empty() && self.u.arbitrary()? {
            let mut list = Vec::new();
            for message in &messages {
                if self.u.arbitrary()? || list.is_empty() {
                    let to = format!("{target}/messages/{}", escape(message));
                    list.push(Tree::Map(vec![("$ref".to_owned(), Tree::Str(to))]));
                }
            }
            m.push(("messages".to_owned(), Tree::Seq(list)));
        }
        self.optional(&mut m, "reply", |g| {
            let mut a = Entries::new();
            g.required(&mut a, "location", |g| g.text_from(RUNTIME_EXPRESSIONS))?;
            Ok(Tree::Map(vec![("address".to_owned(), Tree::Map(a))]))
        })?;
        Ok(Tree::Map(m))
    }

    fn reply(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.optional(&mut m, "address", |g| {
            if g.chance(4)? {
                return g.ref_to("#/components/replyAddresses/");
            }
            let mut a = Entries::new();
            g.required(&mut a, "location", |g| g.text_from(RUNTIME_EXPRESSIONS))?;
            g.optional(&mut a, "description", Gen::text)?;
            Ok(Tree::Map(a))
        })?;
        self.optional(&mut m, "channel", |g| g.ref_to("#/channels/"))?;
        self.optional(&mut m, "messages", |g| g.list(2, Gen::message_ref))?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    // ---- messages ------------------------------------------------------------------------------

    /// A message (`is_trait`: a message trait, which has neither payload nor traits).
    fn message_fields(&mut self, m: &mut Entries, is_trait: bool) -> Result<()> {
        if !self.v3 {
            self.optional(m, "messageId", |g| g.unique("message"))?;
        }
        self.optional(m, "name", Gen::name)?;
        self.optional(m, "title", Gen::text)?;
        self.optional(m, "summary", Gen::text)?;
        self.optional(m, "description", Gen::text)?;
        self.optional(m, "contentType", |g| g.text_from(CONTENT_TYPES))?;
        let format = if !self.v3 && self.u.arbitrary()? {
            let format = self.pick(SCHEMA_FORMATS)?;
            m.push(("schemaFormat".to_owned(), Tree::Str(format.to_owned())));
            Some(format)
        } else {
            None
        };
        self.optional(m, "headers", |g| {
            if g.clean {
                let header = Tree::Map(vec![("type".to_owned(), Tree::Str("string".to_owned()))]);
                return Ok(Tree::Map(vec![
                    ("type".to_owned(), Tree::Str("object".to_owned())),
                    (
                        "properties".to_owned(),
                        Tree::Map(vec![("traceId".to_owned(), header)]),
                    ),
                ]));
            }
            if g.v3 && g.chance(4)? {
                g.multi_format()
            } else {
                g.schema(0)
            }
        })?;
        self.optional(m, "correlationId", |g| {
            if !g.clean && g.chance(4)? {
                return g.ref_to("#/components/correlationIds/");
            }
            g.correlation_id()
        })?;
        self.optional(m, "bindings", |g| {
            let mut b = Entries::new();
            g.optional(&mut b, "kafka", |g| {
                let mut k = Entries::new();
                let max = if g.clean { 0 } else { 3 };
                g.optional(&mut k, "key", |g| match g.u.int_in_range(0..=max)? {
                    0 => g.schema(1),
                    1 => g.multi_format(),
                    2 => Ok(Tree::Map(vec![(
                        "$ref".to_owned(),
                        g.text_from(&[
                            "schemas/key.avsc",
                            "key.avsc#/0",
                            "#/components/schemas/User",
                        ])?,
                    )])),
                    _ => g.avro(1),
                })?;
                g.optional(&mut k, "schemaIdLocation", |g| {
                    g.text_from(&["header", "payload"])
                })?;
                g.risky(&mut k, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(k))
            })?;
            g.optional(&mut b, "mqtt", |g| {
                let mut q = Entries::new();
                g.optional(&mut q, "contentType", |g| g.text_from(CONTENT_TYPES))?;
                g.optional(&mut q, "correlationData", |g| g.schema(1))?;
                g.optional(&mut q, "payloadFormatIndicator", Gen::number)?;
                g.risky(&mut q, "bindingVersion", |g| g.text_from(BINDING_VERSIONS))?;
                Ok(Tree::Map(q))
            })?;
            Ok(Tree::Map(b))
        })?;
        self.risky(m, "examples", |g| {
            g.list(2, |g| {
                let mut e = Entries::new();
                g.optional(&mut e, "name", Gen::name)?;
                g.optional(&mut e, "summary", Gen::text)?;
                g.optional(&mut e, "payload", |g| g.any_value(2))?;
                g.optional(&mut e, "headers", |g| g.any_value(2))?;
                Ok(Tree::Map(e))
            })
        })?;
        self.optional(m, "tags", Gen::tags)?;
        if !is_trait {
            self.optional(m, "payload", |g| {
                let avro = format.is_some_and(|f| f.contains("avro"));
                if avro && (g.clean || !g.chance(8)?) {
                    g.avro(0)
                } else if g.v3 && g.chance(3)? {
                    g.multi_format()
                } else {
                    g.schema(0)
                }
            })?;
            self.optional(m, "traits", |g| {
                g.list(2, |g| {
                    if !g.clean && g.chance(3)? {
                        return g.ref_to("#/components/messageTraits/");
                    }
                    let mut t = Entries::new();
                    g.message_fields(&mut t, true)?;
                    Ok(Tree::Map(t))
                })
            })?;
        }
        Ok(())
    }

    fn message(&mut self, _name: &str) -> Result<Tree> {
        let mut m = Entries::new();
        self.message_fields(&mut m, false)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn message_trait(&mut self, _name: &str) -> Result<Tree> {
        let mut m = Entries::new();
        self.message_fields(&mut m, true)?;
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    fn correlation_id(&mut self) -> Result<Tree> {
        let mut c = Entries::new();
        self.required(&mut c, "location", |g| g.text_from(RUNTIME_EXPRESSIONS))?;
        self.optional(&mut c, "description", Gen::text)?;
        Ok(Tree::Map(c))
    }

    /// A 3.x multi-format schema object: `{schemaFormat, schema}`.
    fn multi_format(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        let format = self.pick(SCHEMA_FORMATS)?;
        self.required(&mut m, "schemaFormat", |_| Ok(Tree::Str(format.to_owned())))?;
        self.required(&mut m, "schema", |g| {
            if format.contains("avro") {
                g.avro(0)
            } else {
                g.schema(0)
            }
        })?;
        Ok(Tree::Map(m))
    }

    // ---- schemas -------------------------------------------------------------------------------

    /// A JSON Schema (AsyncAPI's superset, with OpenAPI's `nullable` and `discriminator` too).
    fn schema(&mut self, depth: usize) -> Result<Tree> {
        if self.chance(10)? {
            let max = if self.clean { 0 } else { 3 };
            return Ok(match self.u.int_in_range(0..=max)? {
                0 => Tree::Map(Vec::new()),
                1 => Tree::Bool(true),
                2 => Tree::Bool(false),
                _ => self.ref_to("#/components/schemas/")?,
            });
        }
        let deep = depth >= MAX_SCHEMA_DEPTH;
        let shape = self.u.int_in_range(0..=if deep { 4 } else { 13 })?;
        let mut m = Entries::new();
        let ty = |name: &str| ("type".to_owned(), Tree::Str(name.to_owned()));
        match shape {
            0 => {
                m.push(ty("string"));
                self.optional(&mut m, "format", |g| g.text_from(FORMATS))?;
                self.optional(&mut m, "pattern", |g| g.text_from(PATTERNS))?;
                self.optional(&mut m, "minLength", Gen::number)?;
                self.optional(&mut m, "maxLength", Gen::number)?;
                self.optional(&mut m, "enum", |g| {
                    if g.clean {
                        Ok(Tree::Seq(vec![
                            Tree::Str("on".into()),
                            Tree::Str("off".into()),
                        ]))
                    } else {
                        g.list(3, |g| g.any_value(0))
                    }
                })?;
            }
            1 => {
                m.push(ty(self.pick(&["integer", "number"])?));
                self.optional(&mut m, "format", |g| g.text_from(FORMATS))?;
                self.optional(&mut m, "minimum", Gen::number)?;
                self.optional(&mut m, "maximum", Gen::number)?;
                self.optional(&mut m, "exclusiveMinimum", |g| {
                    if !g.clean && g.u.arbitrary()? {
                        Ok(Tree::Bool(true))
                    } else {
                        g.number()
                    }
                })?;
                self.optional(&mut m, "multipleOf", Gen::number)?;
            }
            2 => m.push(ty(self.pick(&["boolean", "null", "any", ""])?)),
            3 if self.clean => m.push((
                "type".to_owned(),
                Tree::Seq(vec![Tree::Str("string".into()), Tree::Str("null".into())]),
            )),
            3 => {
                let list = self.list(3, |g| g.text_from(TYPES))?;
                m.push(("type".to_owned(), list));
            }
            4 => {
                let key = self.pick(&["const", "enum"])?;
                let value = if key == "enum" && self.clean {
                    Tree::Seq(vec![Tree::Str("a".into()), Tree::Int(1), Tree::Null])
                } else if key == "enum" {
                    self.list(3, |g| g.any_value(1))?
                } else {
                    self.any_value(1)?
                };
                m.push((key.to_owned(), value));
            }
            5..=7 => {
                if self.u.arbitrary()? {
                    m.push(ty("object"));
                }
                self.optional(&mut m, "properties", |g| {
                    g.named_map(4, |g, _| g.schema(depth + 1))
                })?;
                if self.clean {
                    // Some of the properties, each once.
                    let names: Vec<String> = match m.iter().find(|(k, _)| k == "properties") {
                        Some((_, Tree::Map(properties))) => {
                            properties.iter().map(|(k, _)| k.clone()).collect()
                        }
                        _ => Vec::new(),
                    };
                    let mut required = Vec::new();
                    for name in names {
                        if self.u.arbitrary()? {
                            required.push(Tree::Str(name));
                        }
                    }
                    if !required.is_empty() {
                        m.push(("required".to_owned(), Tree::Seq(required)));
                    }
                } else {
                    self.optional(&mut m, "required", |g| g.list(3, Gen::name))?;
                }
                self.optional(&mut m, "additionalProperties", |g| {
                    if g.u.arbitrary()? {
                        Ok(Tree::Bool(g.u.arbitrary()?))
                    } else {
                        g.schema(depth + 1)
                    }
                })?;
                self.optional(&mut m, "patternProperties", |g| {
                    g.map_of(2, PATTERNS, |g, _| g.schema(depth + 1))
                })?;
                self.risky(&mut m, "discriminator", |g| {
                    if g.u.arbitrary()? {
                        g.name()
                    } else {
                        let mut d = Entries::new();
                        g.required(&mut d, "propertyName", Gen::name)?;
                        g.optional(&mut d, "mapping", |g| {
                            g.named_map(2, |g, _| {
                                Ok(Tree::Str(format!(
                                    "#/components/schemas/{}",
                                    escape(g.pick(NAMES)?)
                                )))
                            })
                        })?;
                        Ok(Tree::Map(d))
                    }
                })?;
                self.optional(&mut m, "minProperties", Gen::number)?;
            }
            8 | 9 => {
                m.push(ty("array"));
                self.optional(&mut m, "items", |g| {
                    if g.chance(4)? {
                        g.list(3, |g| g.schema(depth + 1))
                    } else {
                        g.schema(depth + 1)
                    }
                })?;
                self.optional(&mut m, "additionalItems", |g| g.schema(depth + 1))?;
                self.optional(&mut m, "minItems", Gen::number)?;
                self.optional(&mut m, "maxItems", Gen::number)?;
                self.optional(&mut m, "uniqueItems", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
                self.optional(&mut m, "contains", |g| g.schema(depth + 1))?;
            }
            10..=12 => {
                let key = self.pick(&["oneOf", "anyOf", "allOf"])?;
                let parts = self.list(3, |g| g.schema(depth + 1))?;
                m.push((key.to_owned(), parts));
                self.risky(&mut m, "discriminator", Gen::name)?;
                self.optional(&mut m, "properties", |g| {
                    g.named_map(2, |g, _| g.schema(depth + 1))
                })?;
            }
            _ => {
                self.optional(&mut m, "not", |g| g.schema(depth + 1))?;
                self.optional(&mut m, "if", |g| g.schema(depth + 1))?;
                self.optional(&mut m, "then", |g| g.schema(depth + 1))?;
                self.optional(&mut m, "else", |g| g.schema(depth + 1))?;
                self.optional(&mut m, "dependencies", |g| {
                    g.named_map(2, |g, _| g.list(2, Gen::name))
                })?;
            }
        }
        // Keywords any schema may carry.
        if self.chance(3)? {
            self.optional(&mut m, "title", Gen::name)?;
            self.optional(&mut m, "description", Gen::text)?;
            self.risky(&mut m, "default", |g| g.any_value(1))?;
            self.risky(&mut m, "examples", |g| g.list(2, |g| g.any_value(1)))?;
            self.risky(&mut m, "example", |g| g.any_value(1))?;
            self.optional(&mut m, "nullable", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
            self.optional(&mut m, "deprecated", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
            self.optional(&mut m, "readOnly", |g| Ok(Tree::Bool(g.u.arbitrary()?)))?;
            self.optional(&mut m, "x-rust-type", |g| {
                g.text_from(&["::std::string::String", "Vec<", "u8", "", "crate::X"])
            })?;
            self.risky(&mut m, "$id", |g| g.text_from(&["urn:x", "other.yaml"]))?;
        }
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }

    /// An Avro schema: primitives, named types and references to them by name, records, enums,
    /// arrays, maps, unions, fixed, logical types.
    fn avro(&mut self, depth: usize) -> Result<Tree> {
        let deep = depth >= MAX_SCHEMA_DEPTH;
        Ok(match self.u.int_in_range(0..=if deep { 0 } else { 7 })? {
            0 => self.text_from(AVRO_PRIMITIVES)?,
            1 | 2 => {
                let mut m = vec![("type".to_owned(), Tree::Str("record".to_owned()))];
                self.required(&mut m, "name", |g| {
                    if g.clean {
                        return g.unique("Record");
                    }
                    g.text_from(&["User", "Order", "", "1x", "a.b"])
                })?;
                self.optional(&mut m, "namespace", |g| {
                    g.text_from(&["com.example", "", "1.x"])
                })?;
                self.optional(&mut m, "doc", Gen::text)?;
                self.required(&mut m, "fields", |g| {
                    g.list(3, |g| {
                        let mut f = Entries::new();
                        g.required(&mut f, "name", |g| g.unique("field"))?;
                        g.required(&mut f, "type", |g| g.avro(depth + 1))?;
                        g.risky(&mut f, "default", |g| g.any_value(1))?;
                        g.optional(&mut f, "doc", Gen::text)?;
                        Ok(Tree::Map(f))
                    })
                })?;
                Tree::Map(m)
            }
            3 => {
                let mut m = vec![("type".to_owned(), Tree::Str("enum".to_owned()))];
                self.required(&mut m, "name", |g| {
                    if g.clean {
                        return g.unique("Enum");
                    }
                    g.text_from(&["Color", "User", ""])
                })?;
                self.required(&mut m, "symbols", |g| {
                    if g.clean {
                        return Ok(Tree::Seq(vec![
                            Tree::Str("A".into()),
                            Tree::Str("B".into()),
                        ]));
                    }
                    g.list(3, |g| g.text_from(&["RED", "GREEN", "RED", "", "1"]))
                })?;
                self.risky(&mut m, "default", |g| g.text_from(&["RED", "BLUE"]))?;
                Tree::Map(m)
            }
            4 => {
                let (ty, key) = *self.u.choose(&[("array", "items"), ("map", "values")])?;
                let mut m = vec![("type".to_owned(), Tree::Str(ty.to_owned()))];
                self.required(&mut m, key, |g| g.avro(depth + 1))?;
                Tree::Map(m)
            }
            5 if self.clean => {
                Tree::Seq(vec![Tree::Str("null".into()), Tree::Str("string".into())])
            }
            5 => self.list(3, |g| g.avro(depth + 1))?,
            6 => {
                let mut m = vec![("type".to_owned(), Tree::Str("fixed".to_owned()))];
                self.required(&mut m, "name", |g| {
                    if g.clean {
                        return g.unique("Fixed");
                    }
                    g.text_from(&["Hash", ""])
                })?;
                self.required(&mut m, "size", Gen::number)?;
                Tree::Map(m)
            }
            _ => {
                let mut m = Entries::new();
                self.required(&mut m, "type", |g| g.text_from(AVRO_PRIMITIVES))?;
                self.optional(&mut m, "logicalType", |g| {
                    g.text_from(&["date", "timestamp-millis", "uuid", "decimal", "x"])
                })?;
                self.optional(&mut m, "precision", Gen::number)?;
                Tree::Map(m)
            }
        })
    }

    // ---- components ------------------------------------------------------------------------------

    fn components(&mut self) -> Result<Tree> {
        let mut m = Entries::new();
        self.optional(&mut m, "schemas", |g| g.named_map(4, |g, _| g.schema(0)))?;
        self.optional(&mut m, "messages", |g| g.named_map(3, Gen::message))?;
        self.optional(&mut m, "parameters", |g| {
            g.named_map(2, |g, _| g.parameter())
        })?;
        self.optional(&mut m, "securitySchemes", |g| {
            g.named_map(2, Gen::security_scheme)
        })?;
        self.optional(&mut m, "messageTraits", |g| {
            g.named_map(2, Gen::message_trait)
        })?;
        self.optional(&mut m, "operationTraits", |g| {
            g.named_map(2, |g, _| {
                let mut t = Entries::new();
                g.operation_fields(&mut t, true)?;
                Ok(Tree::Map(t))
            })
        })?;
        self.optional(&mut m, "correlationIds", |g| {
            g.named_map(2, |g, _| g.correlation_id())
        })?;
        self.optional(&mut m, "serverVariables", |g| {
            g.named_map(2, |g, _| g.server_variable())
        })?;
        self.optional(&mut m, "servers", |g| g.named_map(2, Gen::server))?;
        self.optional(&mut m, "channelBindings", |g| {
            g.named_map(1, |g, _| g.channel_bindings())
        })?;
        if self.v3 {
            self.optional(&mut m, "channels", |g| g.named_map(2, Gen::channel3))?;
            self.risky(&mut m, "operations", |g| g.named_map(2, Gen::operation3))?;
            self.optional(&mut m, "replies", |g| g.named_map(2, |g, _| g.reply()))?;
            self.optional(&mut m, "replyAddresses", |g| {
                g.named_map(2, |g, _| {
                    let mut a = Entries::new();
                    g.required(&mut a, "location", |g| g.text_from(RUNTIME_EXPRESSIONS))?;
                    Ok(Tree::Map(a))
                })
            })?;
            self.optional(&mut m, "tags", |g| g.named_map(1, |g, _| g.text()))?;
            self.optional(&mut m, "externalDocs", |g| {
                g.named_map(1, |g, _| g.external_docs())
            })?;
        }
        self.extra(&mut m)?;
        Ok(Tree::Map(m))
    }
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
