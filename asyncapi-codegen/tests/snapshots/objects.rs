// Generated from asyncapi-codegen/tests/fixtures/types/objects.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `OrderLinesItem`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct OrderLinesItem {
    /// The `sku` property.
    ///
    /// Constraints: matches `^[A-Z]{3}-[0-9]+$`.
    #[serde(rename = "sku")]
    pub sku: ::std::string::String,
    /// The `quantity` property.
    ///
    /// Constraints: greater than 0.
    #[serde(rename = "quantity")]
    pub quantity: i64,
}
#[allow(deprecated)]
impl OrderLinesItem {
    /// Makes a `OrderLinesItem` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        sku: ::std::string::String,
        quantity: i64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self { sku, quantity };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for OrderLinesItem {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let field_path = &path.key("sku");
            let value = &self.sku;
            static PATTERN: ::asyncapi_runtime::__private::Pattern = ::asyncapi_runtime::__private::Pattern::new(
                "^[A-Z]{3}-[0-9]+$",
            );
            ::asyncapi_runtime::__private::check::pattern(
                field_path,
                errors,
                value,
                &PATTERN,
            );
        }
        {
            let field_path = &path.key("quantity");
            let value = &self.quantity;
            ::asyncapi_runtime::__private::check::minimum(
                field_path,
                errors,
                *value,
                0f64,
                true,
            );
        }
    }
}
/// `OrderShipping`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct OrderShipping {
    /// The `street` property.
    #[serde(
        rename = "street",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub street: ::std::option::Option<::std::string::String>,
    /// The `city` property.
    ///
    /// Constraints: at least 1 characters, at most 80 characters.
    #[serde(
        rename = "city",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub city: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl OrderShipping {
    /// Makes a `OrderShipping` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            street: ::std::option::Option::None,
            city: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for OrderShipping {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.city {
            let field_path = &path.key("city");
            ::asyncapi_runtime::__private::check::min_length(
                field_path,
                errors,
                value,
                1u64,
            );
            ::asyncapi_runtime::__private::check::max_length(
                field_path,
                errors,
                value,
                80u64,
            );
        }
    }
}
/// An order
///
/// What a customer bought.
///
/// Example:
/// ```json
/// {
///   "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
///   "lines": [
///     {
///       "quantity": 2,
///       "sku": "ABC-1"
///     }
///   ],
///   "note": null,
///   "placedAt": "2024-05-01T10:00:00Z"
/// }
/// ```
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Order {
    /// The order's id.
    #[serde(rename = "id")]
    pub id: ::asyncapi_runtime::formats::Uuid,
    /// The `placedAt` property.
    #[serde(rename = "placedAt")]
    pub placed_at: ::asyncapi_runtime::formats::DateTime,
    /// Required, but may be null.
    #[serde(
        rename = "note",
        deserialize_with = "::asyncapi_runtime::__private::nullable::required"
    )]
    pub note: ::std::option::Option<::std::string::String>,
    /// Optional, and may be null when given.
    #[serde(
        rename = "coupon",
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        deserialize_with = "::asyncapi_runtime::__private::nullable::optional"
    )]
    pub coupon: ::std::option::Option<::std::option::Option<::std::string::String>>,
    /// The `priority` property.
    ///
    /// Default: `3`.
    ///
    /// Constraints: at least 1, at most 5.
    #[serde(
        rename = "priority",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub priority: ::std::option::Option<i32>,
    /// The `express` property.
    ///
    /// Default: `false`.
    #[serde(
        rename = "express",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub express: ::std::option::Option<bool>,
    /// The `channel` property.
    ///
    /// Default: `"web"`.
    #[serde(
        rename = "channel",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub channel: ::std::option::Option<::std::string::String>,
    /// The `legacyCode` property.
    #[deprecated]
    #[serde(
        rename = "legacyCode",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub legacy_code: ::std::option::Option<::std::string::String>,
    /// The `lines` property.
    ///
    /// Constraints: at least 1 items.
    #[serde(rename = "lines")]
    pub lines: ::std::vec::Vec<OrderLinesItem>,
    /// The `shipping` property.
    #[serde(
        rename = "shipping",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub shipping: ::std::option::Option<OrderShipping>,
}
#[allow(deprecated)]
impl Order {
    /// Makes a `Order` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: ::asyncapi_runtime::formats::Uuid,
        placed_at: ::asyncapi_runtime::formats::DateTime,
        note: ::std::option::Option<::std::string::String>,
        lines: ::std::vec::Vec<OrderLinesItem>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            id,
            placed_at,
            note,
            coupon: ::std::option::Option::None,
            priority: ::std::option::Option::None,
            express: ::std::option::Option::None,
            channel: ::std::option::Option::None,
            legacy_code: ::std::option::Option::None,
            lines,
            shipping: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
    /// `priority`, or the schema's default `3` when absent.
    pub fn priority_or_default(&self) -> i32 {
        self.priority.unwrap_or(3i32)
    }
    /// `express`, or the schema's default `false` when absent.
    pub fn express_or_default(&self) -> bool {
        self.express.unwrap_or(false)
    }
    /// `channel`, or the schema's default `"web"` when absent.
    pub fn channel_or_default(&self) -> ::std::string::String {
        self.channel.clone().unwrap_or_else(|| ::std::string::String::from("web"))
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Order {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.priority {
            let field_path = &path.key("priority");
            ::asyncapi_runtime::__private::check::minimum(
                field_path,
                errors,
                *value,
                1f64,
                false,
            );
            ::asyncapi_runtime::__private::check::maximum(
                field_path,
                errors,
                *value,
                5f64,
                false,
            );
        }
        {
            let field_path = &path.key("lines");
            let value = &self.lines;
            ::asyncapi_runtime::__private::check::min_items(
                field_path,
                errors,
                value.len(),
                1u64,
            );
            for (index, item) in value.iter().enumerate() {
                let item_path = &field_path.index(index);
                {
                    let value = item;
                    ::asyncapi_runtime::__private::Validate::validate_at(
                        value,
                        item_path,
                        errors,
                    );
                }
            }
        }
        if let ::std::option::Option::Some(value) = &self.shipping {
            let field_path = &path.key("shipping");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// Any string labels.
pub type Labels = ::std::collections::BTreeMap<
    ::std::string::String,
    ::std::string::String,
>;
/// `Open`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Open {
    /// The `kind` property.
    #[serde(
        rename = "kind",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub kind: ::std::option::Option<::std::string::String>,
    /// Properties not listed in the schema, by name.
    #[serde(flatten)]
    pub additional_properties: ::std::collections::BTreeMap<
        ::std::string::String,
        ::asyncapi_runtime::__private::serde_json::Value,
    >,
}
#[allow(deprecated)]
impl Open {
    /// Makes a `Open` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            kind: ::std::option::Option::None,
            additional_properties: ::std::collections::BTreeMap::new(),
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Open {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `Closed`, generated from the AsyncAPI document.
///
/// Constraints: at least 1 properties.
///
/// Properties not listed here are rejected.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[serde(deny_unknown_fields)]
#[allow(deprecated)]
pub struct Closed {
    /// The `kind` property.
    #[serde(
        rename = "kind",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub kind: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl Closed {
    /// Makes a `Closed` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            kind: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Closed {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        ::asyncapi_runtime::__private::check::min_properties(
            path,
            errors,
            usize::from(self.kind.is_some()),
            1u64,
        );
    }
}
/// `Metrics`, generated from the AsyncAPI document.
///
/// Properties not listed here are rejected.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Metrics {
    /// The `host` property.
    #[serde(
        rename = "host",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub host: ::std::option::Option<::std::string::String>,
    /// Properties not listed in the schema, by name.
    #[serde(flatten)]
    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, f64>,
}
#[allow(deprecated)]
impl Metrics {
    /// Makes a `Metrics` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            host: ::std::option::Option::None,
            additional_properties: ::std::collections::BTreeMap::new(),
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Metrics {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        for key in self.additional_properties.keys() {
            let field_path = &path.key(key);
            static KEY_PATTERN: ::asyncapi_runtime::__private::Pattern = ::asyncapi_runtime::__private::Pattern::new(
                "^m_",
            );
            ::asyncapi_runtime::__private::check::key_pattern(
                field_path,
                errors,
                key,
                &KEY_PATTERN,
            );
        }
    }
}
/// `Anything`, generated from the AsyncAPI document.
pub type Anything = ::asyncapi_runtime::__private::serde_json::Value;
/// `Blob`, generated from the AsyncAPI document.
pub type Blob = ::std::collections::BTreeMap<
    ::std::string::String,
    ::asyncapi_runtime::__private::serde_json::Value,
>;
