// Generated from asyncapi-codegen/tests/fixtures/types/scalars.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `SampleKind`, generated from the AsyncAPI document.
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
pub enum SampleKind {
    /// `sample`
    #[serde(rename = "sample")]
    #[default]
    Sample,
}
impl SampleKind {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Sample => "sample",
        }
    }
}
impl ::std::fmt::Display for SampleKind {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for SampleKind {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for SampleKind {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(SampleKind), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "sample" => ::std::option::Option::Some(Self::Sample),
            _ => ::std::option::Option::None,
        }
    }
}
/// `Sample`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Sample {
    /// The `small` property.
    #[serde(rename = "small")]
    pub small: i32,
    /// The `big` property.
    #[serde(rename = "big")]
    pub big: i64,
    /// The `plain` property.
    #[serde(rename = "plain")]
    pub plain: i64,
    /// The `single` property.
    #[serde(rename = "single")]
    pub single: f32,
    /// The `double` property.
    #[serde(rename = "double")]
    pub double: f64,
    /// The `anyNumber` property.
    ///
    /// Constraints: a multiple of 0.5.
    #[serde(
        rename = "anyNumber",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub any_number: ::std::option::Option<f64>,
    /// The `at` property.
    #[serde(
        rename = "at",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub at: ::std::option::Option<::asyncapi_runtime::formats::DateTime>,
    /// The `day` property.
    #[serde(
        rename = "day",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub day: ::std::option::Option<::asyncapi_runtime::formats::Date>,
    /// The `clock` property.
    #[serde(
        rename = "clock",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub clock: ::std::option::Option<::asyncapi_runtime::formats::Time>,
    /// The `id` property.
    #[serde(
        rename = "id",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub id: ::std::option::Option<::asyncapi_runtime::formats::Uuid>,
    /// The `link` property.
    #[serde(
        rename = "link",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub link: ::std::option::Option<::asyncapi_runtime::formats::Uri>,
    /// The `mail` property.
    #[serde(
        rename = "mail",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub mail: ::std::option::Option<::asyncapi_runtime::formats::Email>,
    /// The `v4` property.
    #[serde(
        rename = "v4",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub v4: ::std::option::Option<::std::net::Ipv4Addr>,
    /// The `v6` property.
    #[serde(
        rename = "v6",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub v6: ::std::option::Option<::std::net::Ipv6Addr>,
    /// The `data` property.
    #[serde(
        rename = "data",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub data: ::std::option::Option<::asyncapi_runtime::formats::Base64>,
    /// The `raw` property.
    #[serde(
        rename = "raw",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub raw: ::std::option::Option<::std::string::String>,
    /// The `kind` property.
    #[serde(
        rename = "kind",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub kind: ::std::option::Option<SampleKind>,
}
#[allow(deprecated)]
impl Sample {
    /// Makes a `Sample` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        small: i32,
        big: i64,
        plain: i64,
        single: f32,
        double: f64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            small,
            big,
            plain,
            single,
            double,
            any_number: ::std::option::Option::None,
            at: ::std::option::Option::None,
            day: ::std::option::Option::None,
            clock: ::std::option::Option::None,
            id: ::std::option::Option::None,
            link: ::std::option::Option::None,
            mail: ::std::option::Option::None,
            v4: ::std::option::Option::None,
            v6: ::std::option::Option::None,
            data: ::std::option::Option::None,
            raw: ::std::option::Option::None,
            kind: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Sample {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.any_number {
            let field_path = &path.key("anyNumber");
            ::asyncapi_runtime::__private::check::multiple_of(
                field_path,
                errors,
                *value,
                0.5f64,
            );
        }
    }
}
/// A primary color.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(clippy::enum_variant_names)]
pub enum Color {
    /// `red`
    #[serde(rename = "red")]
    Red,
    /// `green`
    #[serde(rename = "green")]
    Green,
    /// `blue`
    #[serde(rename = "blue")]
    Blue,
    /// `dark-red`
    #[serde(rename = "dark-red")]
    DarkRed,
    /// `2nd`
    #[serde(rename = "2nd")]
    V2nd,
}
impl Color {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Green => "green",
            Self::Blue => "blue",
            Self::DarkRed => "dark-red",
            Self::V2nd => "2nd",
        }
    }
}
impl ::std::fmt::Display for Color {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Color {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for Color {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(Color), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "red" => ::std::option::Option::Some(Self::Red),
            "green" => ::std::option::Option::Some(Self::Green),
            "blue" => ::std::option::Option::Some(Self::Blue),
            "dark-red" => ::std::option::Option::Some(Self::DarkRed),
            "2nd" => ::std::option::Option::Some(Self::V2nd),
            _ => ::std::option::Option::None,
        }
    }
}
/// Numeric levels.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
)]
pub enum Level {
    /// `1`
    V1,
    /// `2`
    V2,
    /// `3`
    V3,
}
impl Level {
    /// The value as JSON text.
    pub const fn as_json(&self) -> &'static str {
        match self {
            Self::V1 => "1",
            Self::V2 => "2",
            Self::V3 => "3",
        }
    }
}
impl ::asyncapi_runtime::__private::serde::Serialize for Level {
    fn serialize<S: ::asyncapi_runtime::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        ::asyncapi_runtime::__private::json_literal::serialize(
            self.as_json(),
            serializer,
        )
    }
}
impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for Level {
    fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(
            deserializer,
        )?;
        if ::asyncapi_runtime::__private::json_literal::matches("1", &value) {
            return ::std::result::Result::Ok(Self::V1);
        }
        if ::asyncapi_runtime::__private::json_literal::matches("2", &value) {
            return ::std::result::Result::Ok(Self::V2);
        }
        if ::asyncapi_runtime::__private::json_literal::matches("3", &value) {
            return ::std::result::Result::Ok(Self::V3);
        }
        ::std::result::Result::Err(
            <D::Error as ::asyncapi_runtime::__private::serde::de::Error>::custom(
                ::std::format!("expected one of {}; found {}", "1, 2, 3", value),
            ),
        )
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Level {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `Mixed`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
)]
pub enum Mixed {
    /// `"auto"`
    Auto,
    /// `0`
    V0,
    /// `true`
    True,
}
impl Mixed {
    /// The value as JSON text.
    pub const fn as_json(&self) -> &'static str {
        match self {
            Self::Auto => "\"auto\"",
            Self::V0 => "0",
            Self::True => "true",
        }
    }
}
impl ::asyncapi_runtime::__private::serde::Serialize for Mixed {
    fn serialize<S: ::asyncapi_runtime::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        ::asyncapi_runtime::__private::json_literal::serialize(
            self.as_json(),
            serializer,
        )
    }
}
impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for Mixed {
    fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(
            deserializer,
        )?;
        if ::asyncapi_runtime::__private::json_literal::matches("\"auto\"", &value) {
            return ::std::result::Result::Ok(Self::Auto);
        }
        if ::asyncapi_runtime::__private::json_literal::matches("0", &value) {
            return ::std::result::Result::Ok(Self::V0);
        }
        if ::asyncapi_runtime::__private::json_literal::matches("true", &value) {
            return ::std::result::Result::Ok(Self::True);
        }
        ::std::result::Result::Err(
            <D::Error as ::asyncapi_runtime::__private::serde::de::Error>::custom(
                ::std::format!(
                    "expected one of {}; found {}", "\"auto\", 0, true", value
                ),
            ),
        )
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Mixed {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `Answer`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
    ::std::default::Default,
)]
pub enum Answer {
    /// `42`
    #[default]
    V42,
}
impl Answer {
    /// The value as JSON text.
    pub const fn as_json(&self) -> &'static str {
        match self {
            Self::V42 => "42",
        }
    }
}
impl ::asyncapi_runtime::__private::serde::Serialize for Answer {
    fn serialize<S: ::asyncapi_runtime::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        ::asyncapi_runtime::__private::json_literal::serialize(
            self.as_json(),
            serializer,
        )
    }
}
impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for Answer {
    fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(
            deserializer,
        )?;
        if ::asyncapi_runtime::__private::json_literal::matches("42", &value) {
            return ::std::result::Result::Ok(Self::V42);
        }
        ::std::result::Result::Err(
            <D::Error as ::asyncapi_runtime::__private::serde::de::Error>::custom(
                ::std::format!("expected one of {}; found {}", "42", value),
            ),
        )
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Answer {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// A percentage.
///
/// Constraints: at least 0, at most 100.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", transparent)]
pub struct Percentage(pub i64);
impl Percentage {
    /// The value, checked against the schema's constraints.
    pub fn new(
        value: i64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self(value);
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
    /// The value inside.
    pub fn into_inner(self) -> i64 {
        self.0
    }
}
impl ::std::ops::Deref for Percentage {
    type Target = i64;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Percentage {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let value = &self.0;
            ::asyncapi_runtime::__private::check::minimum(
                path,
                errors,
                *value,
                0f64,
                false,
            );
            ::asyncapi_runtime::__private::check::maximum(
                path,
                errors,
                *value,
                100f64,
                false,
            );
        }
    }
}
impl ::asyncapi_runtime::__private::AddressValue for Percentage {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(Percentage), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::asyncapi_runtime::__private::AddressValue::to_address_value(&self.0)
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        let value = Self(
            ::asyncapi_runtime::__private::AddressValue::from_address_value(text)?,
        );
        ::asyncapi_runtime::__private::Validate::validate(&value).ok()?;
        ::std::option::Option::Some(value)
    }
}
/// `Code`, generated from the AsyncAPI document.
///
/// Constraints: at least 3 characters, at most 8 characters, matches `^[a-z]+$`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", transparent)]
pub struct Code(pub ::std::string::String);
impl Code {
    /// The value, checked against the schema's constraints.
    pub fn new(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self(value);
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
    /// The value inside.
    pub fn into_inner(self) -> ::std::string::String {
        self.0
    }
}
impl ::std::ops::Deref for Code {
    type Target = ::std::string::String;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Code {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let value = &self.0;
            ::asyncapi_runtime::__private::check::min_length(path, errors, value, 3u64);
            ::asyncapi_runtime::__private::check::max_length(path, errors, value, 8u64);
            static PATTERN: ::asyncapi_runtime::__private::Pattern = ::asyncapi_runtime::__private::Pattern::new(
                "^[a-z]+$",
            );
            ::asyncapi_runtime::__private::check::pattern(path, errors, value, &PATTERN);
        }
    }
}
impl ::asyncapi_runtime::__private::AddressValue for Code {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(Code), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::asyncapi_runtime::__private::AddressValue::to_address_value(&self.0)
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        let value = Self(
            ::asyncapi_runtime::__private::AddressValue::from_address_value(text)?,
        );
        ::asyncapi_runtime::__private::Validate::validate(&value).ok()?;
        ::std::option::Option::Some(value)
    }
}
/// `Maybe`, generated from the AsyncAPI document.
pub type Maybe = ::std::option::Option<i64>;
