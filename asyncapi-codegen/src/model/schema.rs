//! The model of a payload, header or parameter schema, whatever format the spec writes it in:
//! JSON Schema (AsyncAPI's own dialect, the default), OpenAPI 3.0 schema objects and Avro 1.9 are
//! all read into these types ([`super::json_schema`], [`super::avro`]). A schema in a format we
//! cannot read (RAML, unknown ones) is a named [`SchemaKind::Any`] whose description names the
//! format.
//!
//! The model represents every valid schema. What the code generator cannot turn into a Rust type
//! (a few rare keywords) is recorded with `Context::unsupported`: `asyncapi check` accepts such a
//! spec, generation refuses it with a located error instead of emitting something weaker than the
//! spec says.

use crate::diagnostic::Location;

/// A schema, with the documentation and constraints that travel to the generated type.
#[derive(Clone, Debug)]
pub struct Schema {
    /// What values the schema admits.
    pub kind: SchemaKind,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Where the schema is written.
    pub location: Location,
    /// Whether `null` is also admitted (OpenAPI `nullable`, a `null` in a type list, an Avro
    /// union with `null`).
    pub nullable: bool,
    /// `default`, as JSON.
    pub default: Option<serde_json::Value>,
    /// `examples` (and OpenAPI's single `example`), as JSON.
    pub examples: Vec<serde_json::Value>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Validation keywords that the Rust type itself does not express.
    pub constraints: Constraints,
    /// `x-rust-type`: a Rust type path that stands for this schema instead of a generated type.
    pub rust_type: Option<String>,
}

impl Schema {
    /// A string schema (with `variants` when it is an enumeration) and no documentation.
    pub fn string(variants: Option<Vec<String>>, location: Location) -> Schema {
        Schema::new(
            SchemaKind::String {
                variants,
                format: None,
            },
            location,
        )
    }

    /// A schema of `kind` written at `location`, with no documentation or constraints.
    pub fn new(kind: SchemaKind, location: Location) -> Schema {
        Schema {
            kind,
            title: None,
            description: None,
            location,
            nullable: false,
            default: None,
            examples: Vec::new(),
            deprecated: false,
            constraints: Constraints::default(),
            rust_type: None,
        }
    }
}

/// The shape of a schema.
#[derive(Clone, Debug)]
pub enum SchemaKind {
    /// A reference to a named schema: a key of [`super::Api::schemas`].
    Named(String),
    /// An object with known properties.
    Object(Object),
    /// A string, possibly restricted to an enumeration of strings.
    String {
        /// `enum` values, when given.
        variants: Option<Vec<String>>,
        /// `format`.
        format: Option<String>,
    },
    /// An integer (`format` int32 selects `i32`).
    Integer {
        /// `format`.
        format: Option<String>,
    },
    /// A number (`format` float selects `f32`).
    Number {
        /// `format`.
        format: Option<String>,
    },
    /// `true` / `false`.
    Boolean,
    /// Exactly one JSON value (`const`, or an `enum` of one value that is not a string).
    Const(serde_json::Value),
    /// One of several JSON values, not all strings (`enum: [1, 2, 3]`).
    Enum(Vec<serde_json::Value>),
    /// An array of one item type.
    Array(Box<Schema>),
    /// A fixed-length array with one schema per position (`items` as a list).
    Tuple(Vec<Schema>),
    /// No constraint at all (`{}` or no `type`): any JSON value.
    Any,
    /// `null` only.
    Null,
    /// A map with string keys and values of one schema (`additionalProperties` with no
    /// `properties`, an Avro `map`).
    Map(Box<Schema>),
    /// Exactly one of several schemas (`oneOf`; Avro unions of several non-null types; a list
    /// of several types).
    OneOf(Union),
    /// At least one of several schemas (`anyOf`).
    AnyOf(Union),
    /// All of several schemas (`allOf`) that could not be merged into one object.
    AllOf(Vec<Schema>),
}

/// An object schema's fields.
#[derive(Clone, Debug, Default)]
pub struct Object {
    /// Properties in document order.
    pub properties: Vec<Property>,
    /// What other properties may hold.
    pub additional: Additional,
    /// `patternProperties`: name pattern → schema of the values.
    pub pattern_properties: Vec<(String, Schema)>,
}

/// What an object says about properties it does not list.
#[derive(Clone, Debug, Default)]
pub enum Additional {
    /// Nothing (`additionalProperties` absent): other properties are allowed and ignored.
    #[default]
    Unspecified,
    /// `additionalProperties: true` or `{}`: other properties are kept, of any value.
    Any,
    /// `additionalProperties: {schema}`: other properties are kept, typed.
    Typed(Box<Schema>),
    /// `additionalProperties: false`: other properties are an error.
    Denied,
}

/// The alternatives of a `oneOf` / `anyOf`.
#[derive(Clone, Debug)]
pub struct Union {
    /// The alternatives, in document order.
    pub variants: Vec<Schema>,
    /// The property whose value says which alternative a value is, when the schema declares one.
    pub discriminator: Option<Discriminator>,
}

/// A `discriminator`: 2.x writes the property name, OpenAPI `{propertyName, mapping}`.
#[derive(Clone, Debug)]
pub struct Discriminator {
    /// The property's wire name.
    pub property: String,
    /// `mapping`: tag value → schema key (of [`super::Api::schemas`]).
    pub mapping: Vec<(String, String)>,
}

/// A property of an object schema.
#[derive(Clone, Debug)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// Whether the property is listed in `required`.
    pub required: bool,
    /// Its schema.
    pub schema: Schema,
}

/// A numeric bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// Whether the limit itself is excluded.
    pub exclusive: bool,
}

/// The validation keywords of one schema (those the Rust type does not already enforce).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` / `exclusiveMinimum`.
    pub minimum: Option<Bound>,
    /// `maximum` / `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA 262; checked with the `regex` crate).
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

impl Constraints {
    /// Whether no keyword is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The schema that admits anything, written at `location`.
pub(crate) fn any_at(location: &Location) -> Schema {
    Schema::new(SchemaKind::Any, location.clone())
}
