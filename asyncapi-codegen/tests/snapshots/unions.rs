// Generated from asyncapi-codegen/tests/fixtures/types/unions.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `Cat`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Cat {
    /// The `petType` property.
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    /// The `name` property.
    #[serde(rename = "name")]
    pub name: ::std::string::String,
    /// The `indoor` property.
    #[serde(
        rename = "indoor",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub indoor: ::std::option::Option<bool>,
}
#[allow(deprecated)]
impl Cat {
    /// Makes a `Cat` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pet_type: ::std::string::String,
        name: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            pet_type,
            name,
            indoor: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Cat {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `Dog`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Dog {
    /// The `petType` property.
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    /// The `name` property.
    #[serde(rename = "name")]
    pub name: ::std::string::String,
    /// The `goodBoy` property.
    #[serde(
        rename = "goodBoy",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub good_boy: ::std::option::Option<bool>,
}
#[allow(deprecated)]
impl Dog {
    /// Makes a `Dog` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pet_type: ::std::string::String,
        name: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            pet_type,
            name,
            good_boy: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Dog {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// Cats or dogs, told apart by `petType` (its value is the schema's name).
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum Pet {
    /// Alternative 1 of the schema.
    Cat(Cat),
    /// Alternative 2 of the schema.
    Dog(Dog),
}
impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for Pet {
    fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        use ::asyncapi_runtime::__private::serde::de::Error as _;
        let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(
            deserializer,
        )?;
        let tag = value
            .get("petType")
            .and_then(::asyncapi_runtime::__private::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            ::std::option::Option::Some("Cat") => {
                <Cat as ::asyncapi_runtime::__private::serde::Deserialize>::deserialize(
                        value,
                    )
                    .map(Self::Cat)
                    .map_err(D::Error::custom)
            }
            ::std::option::Option::Some("Dog") => {
                <Dog as ::asyncapi_runtime::__private::serde::Deserialize>::deserialize(
                        value,
                    )
                    .map(Self::Dog)
                    .map_err(D::Error::custom)
            }
            ::std::option::Option::Some(other) => {
                ::std::result::Result::Err(
                    D::Error::custom(
                        ::std::format!(
                            "`{}` is {:?}; expected one of {}", "petType", other,
                            "`Cat`, `Dog`"
                        ),
                    ),
                )
            }
            ::std::option::Option::None => {
                ::std::result::Result::Err(
                    D::Error::custom(
                        ::std::format!(
                            "missing the string property `{}` that tells which alternative this is",
                            "petType"
                        ),
                    ),
                )
            }
        }
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Pet {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        match self {
            Self::Cat(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
            Self::Dog(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
        }
    }
}
/// `ShapeCircleKind`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
    ::std::default::Default,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(clippy::enum_variant_names)]
pub enum ShapeCircleKind {
    /// `circle`
    #[serde(rename = "circle")]
    #[default]
    Circle,
}
impl ShapeCircleKind {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Circle => "circle",
        }
    }
}
impl ::std::fmt::Display for ShapeCircleKind {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ShapeCircleKind {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for ShapeCircleKind {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(ShapeCircleKind), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "circle" => ::std::option::Option::Some(Self::Circle),
            _ => ::std::option::Option::None,
        }
    }
}
/// Circle
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct ShapeCircle {
    /// The `kind` property.
    #[serde(rename = "kind")]
    pub kind: ShapeCircleKind,
    /// The `radius` property.
    #[serde(rename = "radius")]
    pub radius: f64,
}
#[allow(deprecated)]
impl ShapeCircle {
    /// Makes a `ShapeCircle` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: ShapeCircleKind,
        radius: f64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self { kind, radius };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ShapeCircle {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `ShapeSquareKind`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
    ::std::default::Default,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(clippy::enum_variant_names)]
pub enum ShapeSquareKind {
    /// `square`
    #[serde(rename = "square")]
    #[default]
    Square,
}
impl ShapeSquareKind {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Square => "square",
        }
    }
}
impl ::std::fmt::Display for ShapeSquareKind {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ShapeSquareKind {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for ShapeSquareKind {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(ShapeSquareKind), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "square" => ::std::option::Option::Some(Self::Square),
            _ => ::std::option::Option::None,
        }
    }
}
/// Square
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct ShapeSquare {
    /// The `kind` property.
    #[serde(rename = "kind")]
    pub kind: ShapeSquareKind,
    /// The `side` property.
    #[serde(rename = "side")]
    pub side: f64,
}
#[allow(deprecated)]
impl ShapeSquare {
    /// Makes a `ShapeSquare` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: ShapeSquareKind,
        side: f64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self { kind, side };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ShapeSquare {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// Told apart by the `kind` constant of each alternative.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum Shape {
    /// Circle
    Circle(ShapeCircle),
    /// Square
    Square(ShapeSquare),
}
impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for Shape {
    fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        use ::asyncapi_runtime::__private::serde::de::Error as _;
        let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(
            deserializer,
        )?;
        let tag = value
            .get("kind")
            .and_then(::asyncapi_runtime::__private::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            ::std::option::Option::Some("circle") => {
                <ShapeCircle as ::asyncapi_runtime::__private::serde::Deserialize>::deserialize(
                        value,
                    )
                    .map(Self::Circle)
                    .map_err(D::Error::custom)
            }
            ::std::option::Option::Some("square") => {
                <ShapeSquare as ::asyncapi_runtime::__private::serde::Deserialize>::deserialize(
                        value,
                    )
                    .map(Self::Square)
                    .map_err(D::Error::custom)
            }
            ::std::option::Option::Some(other) => {
                ::std::result::Result::Err(
                    D::Error::custom(
                        ::std::format!(
                            "`{}` is {:?}; expected one of {}", "kind", other,
                            "`circle`, `square`"
                        ),
                    ),
                )
            }
            ::std::option::Option::None => {
                ::std::result::Result::Err(
                    D::Error::custom(
                        ::std::format!(
                            "missing the string property `{}` that tells which alternative this is",
                            "kind"
                        ),
                    ),
                )
            }
        }
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Shape {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        match self {
            Self::Circle(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
            Self::Square(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
        }
    }
}
/// An id, numeric or textual (untagged).
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[derive(::asyncapi_runtime::__private::serde::Deserialize)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum Id {
    /// Alternative 2 of the schema.
    Integer(i64),
    /// Alternative 1 of the schema.
    String(::std::string::String),
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Id {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        match self {
            Self::Integer(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
            Self::String(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
        }
    }
}
/// `ReadingObject`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct ReadingObject {
    /// The `value` property.
    #[serde(rename = "value")]
    pub value: f64,
    /// The `unit` property.
    #[serde(
        rename = "unit",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub unit: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl ReadingObject {
    /// Makes a `ReadingObject` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        value: f64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            value,
            unit: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ReadingObject {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `Reading`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[derive(::asyncapi_runtime::__private::serde::Deserialize)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum Reading {
    /// Alternative 1 of the schema.
    Number(f64),
    /// Alternative 2 of the schema.
    Object(ReadingObject),
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Reading {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        match self {
            Self::Number(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
            Self::Object(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
        }
    }
}
/// `OptionalId`, generated from the AsyncAPI document.
pub type OptionalId = ::std::option::Option<::std::string::String>;
/// `StringOrNumber`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[derive(::asyncapi_runtime::__private::serde::Deserialize)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum StringOrNumber {
    /// Alternative 2 of the schema.
    Number(f64),
    /// Alternative 1 of the schema.
    String(::std::string::String),
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for StringOrNumber {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        match self {
            Self::Number(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
            Self::String(value) => {
                ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors)
            }
        }
    }
}
/// `Audit`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Audit {
    /// The `at` property.
    #[serde(rename = "at")]
    pub at: ::asyncapi_runtime::formats::DateTime,
    /// The `by` property.
    #[serde(
        rename = "by",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub by: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl Audit {
    /// Makes a `Audit` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        at: ::asyncapi_runtime::formats::DateTime,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            at,
            by: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Audit {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// allOf merges the parts into one struct.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct AuditedPet {
    /// The `at` property.
    #[serde(rename = "at")]
    pub at: ::asyncapi_runtime::formats::DateTime,
    /// The `by` property.
    #[serde(
        rename = "by",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub by: ::std::option::Option<::std::string::String>,
    /// The `pet` property.
    #[serde(rename = "pet")]
    pub pet: Pet,
}
#[allow(deprecated)]
impl AuditedPet {
    /// Makes a `AuditedPet` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        at: ::asyncapi_runtime::formats::DateTime,
        pet: Pet,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            at,
            by: ::std::option::Option::None,
            pet,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for AuditedPet {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let field_path = &path.key("pet");
            let value = &self.pet;
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// `not` only validates; the type is the rest of the schema.
pub type NotEmpty = ::std::string::String;
/// A oneOf of `required` lists only validates.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Contact {
    /// The `email` property.
    #[serde(
        rename = "email",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub email: ::std::option::Option<::std::string::String>,
    /// The `phone` property.
    #[serde(
        rename = "phone",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub phone: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl Contact {
    /// Makes a `Contact` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            email: ::std::option::Option::None,
            phone: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Contact {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
