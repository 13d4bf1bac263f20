// Generated from asyncapi-codegen/tests/fixtures/types/collections.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `Tags`, generated from the AsyncAPI document.
///
/// Constraints: at most 10 items, items unique.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", transparent)]
pub struct Tags(pub ::std::vec::Vec<::std::string::String>);
impl Tags {
    /// The value, checked against the schema's constraints.
    pub fn new(
        value: ::std::vec::Vec<::std::string::String>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self(value);
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
    /// The value inside.
    pub fn into_inner(self) -> ::std::vec::Vec<::std::string::String> {
        self.0
    }
}
impl ::std::ops::Deref for Tags {
    type Target = ::std::vec::Vec<::std::string::String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Tags {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let value = &self.0;
            ::asyncapi_runtime::__private::check::max_items(
                path,
                errors,
                value.len(),
                10u64,
            );
            ::asyncapi_runtime::__private::check::unique_items(path, errors, value);
            for (index, item) in value.iter().enumerate() {
                let item_path = &path.index(index);
                {
                    let value = item;
                    ::asyncapi_runtime::__private::check::max_length(
                        item_path,
                        errors,
                        value,
                        20u64,
                    );
                }
            }
        }
    }
}
/// A tuple.
pub type Point = (f64, f64);
/// `Scores`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde", transparent)]
pub struct Scores(pub ::std::collections::BTreeMap<::std::string::String, i64>);
impl Scores {
    /// The value, checked against the schema's constraints.
    pub fn new(
        value: ::std::collections::BTreeMap<::std::string::String, i64>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self(value);
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
    /// The value inside.
    pub fn into_inner(self) -> ::std::collections::BTreeMap<::std::string::String, i64> {
        self.0
    }
}
impl ::std::ops::Deref for Scores {
    type Target = ::std::collections::BTreeMap<::std::string::String, i64>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Scores {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let value = &self.0;
            for (key, entry) in value.iter() {
                let value_path = &path.key(key);
                {
                    let value = entry;
                    ::asyncapi_runtime::__private::check::minimum(
                        value_path,
                        errors,
                        *value,
                        0f64,
                        false,
                    );
                }
            }
        }
    }
}
/// Recursive through a Vec (no Box needed).
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Tree {
    /// The `value` property.
    #[serde(rename = "value")]
    pub value: i64,
    /// The `children` property.
    #[serde(
        rename = "children",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub children: ::std::option::Option<::std::vec::Vec<Tree>>,
}
#[allow(deprecated)]
impl Tree {
    /// Makes a `Tree` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        value: i64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            value,
            children: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Tree {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.children {
            let field_path = &path.key("children");
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
    }
}
/// Recursive by value (boxed).
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct List {
    /// The `head` property.
    #[serde(rename = "head")]
    pub head: ::std::string::String,
    /// The `tail` property.
    #[serde(
        rename = "tail",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub tail: ::std::option::Option<::std::boxed::Box<List>>,
}
#[allow(deprecated)]
impl List {
    /// Makes a `List` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        head: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            head,
            tail: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for List {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.tail {
            let field_path = &path.key("tail");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// `Ping`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Ping {
    /// The `pong` property.
    #[serde(
        rename = "pong",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub pong: ::std::option::Option<::std::boxed::Box<Pong>>,
}
#[allow(deprecated)]
impl Ping {
    /// Makes a `Ping` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            pong: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Ping {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.pong {
            let field_path = &path.key("pong");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// `Pong`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Pong {
    /// The `ping` property.
    #[serde(
        rename = "ping",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub ping: ::std::option::Option<::std::boxed::Box<Ping>>,
}
#[allow(deprecated)]
impl Pong {
    /// Makes a `Pong` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            ping: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Pong {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.ping {
            let field_path = &path.key("ping");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// `Matrix`, generated from the AsyncAPI document.
pub type Matrix = ::std::vec::Vec<::std::vec::Vec<f64>>;
