// Generated from asyncapi-codegen/tests/fixtures/types/avro.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// User
///
/// A user.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct User {
    /// The `id` property.
    #[serde(rename = "id")]
    pub id: i64,
    /// Where to write.
    #[serde(
        rename = "email",
        deserialize_with = "::asyncapi_runtime::__private::nullable::required"
    )]
    pub email: ::std::option::Option<::std::string::String>,
    /// The `role` property.
    #[serde(rename = "role")]
    pub role: Role,
    /// The `tags` property.
    #[serde(rename = "tags")]
    pub tags: ::std::vec::Vec<::std::string::String>,
    /// The `scores` property.
    #[serde(rename = "scores")]
    pub scores: ::std::collections::BTreeMap<::std::string::String, f64>,
    /// The `manager` property.
    #[serde(
        rename = "manager",
        deserialize_with = "::asyncapi_runtime::__private::nullable::required"
    )]
    pub manager: ::std::option::Option<::std::boxed::Box<User>>,
}
#[allow(deprecated)]
impl User {
    /// Makes a `User` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: i64,
        email: ::std::option::Option<::std::string::String>,
        role: Role,
        tags: ::std::vec::Vec<::std::string::String>,
        scores: ::std::collections::BTreeMap<::std::string::String, f64>,
        manager: ::std::option::Option<::std::boxed::Box<User>>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            id,
            email,
            role,
            tags,
            scores,
            manager,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for User {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let field_path = &path.key("role");
            let value = &self.role;
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
        if let ::std::option::Option::Some(value) = &self.manager {
            let field_path = &path.key("manager");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// Role
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
pub enum Role {
    /// `ADMIN`
    #[serde(rename = "ADMIN")]
    Admin,
    /// `USER`
    #[serde(rename = "USER")]
    User,
}
impl Role {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Admin => "ADMIN",
            Self::User => "USER",
        }
    }
}
impl ::std::fmt::Display for Role {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Role {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for Role {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(Role), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "ADMIN" => ::std::option::Option::Some(Self::Admin),
            "USER" => ::std::option::Option::Some(Self::User),
            _ => ::std::option::Option::None,
        }
    }
}
/// `EventValue`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
)]
#[derive(::asyncapi_runtime::__private::serde::Deserialize)]
#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
#[allow(clippy::large_enum_variant)]
pub enum EventValue {
    /// Alternative 1 of the schema.
    Integer(i32),
    /// Alternative 2 of the schema.
    String(::std::string::String),
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for EventValue {
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
/// Event
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Event {
    /// The `at` property.
    #[serde(rename = "at")]
    pub at: i64,
    /// The `id` property.
    #[serde(rename = "id")]
    pub id: ::asyncapi_runtime::formats::Uuid,
    /// The `digest` property.
    #[serde(rename = "digest")]
    pub digest: ::std::string::String,
    /// The `value` property.
    #[serde(rename = "value")]
    pub value: EventValue,
}
#[allow(deprecated)]
impl Event {
    /// Makes a `Event` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        at: i64,
        id: ::asyncapi_runtime::formats::Uuid,
        digest: ::std::string::String,
        value: EventValue,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self { at, id, digest, value };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Event {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let field_path = &path.key("value");
            let value = &self.value;
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
    }
}
/// Parameters of channel `users`, address `users`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct UsersParameters;
impl UsersParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "users";
    /// The concrete address; fails when a value would inject a separator or wildcard.
    pub fn address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::to_address(self)
    }
    /// Parses a concrete address of this channel back into its parameters.
    pub fn parse(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        <Self as ::asyncapi_runtime::Parameters>::from_address(address)
    }
}
impl ::asyncapi_runtime::Parameters for UsersParameters {
    const ADDRESS: &'static str = "users";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("users"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "users" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "users",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// The send operations of Avro 1.0.0: one method per operation this side publishes.
///
/// Each method encodes the message and returns a `Publish` (a `Request` for operations with a reply) that sends when awaited; its builder methods override the spec's defaults per call, e.g. `.qos(QoS::AtLeastOnce)`.
///
/// Implemented for `::asyncapi_runtime::Client<T>` over every transport; bring the trait into scope to call it.
#[allow(clippy::ptr_arg, deprecated)]
pub trait Publisher: ::std::marker::Sync {
    /// The transport the messages go through.
    type Transport: ::asyncapi_runtime::Transport;
    /// Operation `publishUser` on `users`.
    fn publish_user(
        &self,
        payload: &User,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport>;
    /// Operation `publishEvent` on `users`.
    fn publish_event(
        &self,
        payload: &Event,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport>;
}
#[allow(clippy::ptr_arg, deprecated)]
impl<T: ::asyncapi_runtime::Transport> Publisher for ::asyncapi_runtime::Client<T> {
    type Transport = T;
    fn publish_user(
        &self,
        payload: &User,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport> {
        ::asyncapi_runtime::__private::publish(
            self,
            &UsersParameters,
            ::std::option::Option::None::<&()>,
            ::std::option::Option::None::<&()>,
            payload,
            ::asyncapi_runtime::__private::SendOptions {
                operation: "publishUser",
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                retain: false,
                correlation: ::std::option::Option::None,
                content_type: ::std::option::Option::Some("application/json"),
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
    fn publish_event(
        &self,
        payload: &Event,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport> {
        ::asyncapi_runtime::__private::publish(
            self,
            &UsersParameters,
            ::std::option::Option::None::<&()>,
            ::std::option::Option::None::<&()>,
            payload,
            ::asyncapi_runtime::__private::SendOptions {
                operation: "publishEvent",
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                retain: false,
                correlation: ::std::option::Option::None,
                content_type: ::std::option::Option::Some("application/json"),
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
}
