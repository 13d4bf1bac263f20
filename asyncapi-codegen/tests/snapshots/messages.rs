// Generated from asyncapi-codegen/tests/fixtures/types/messages.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `ReadingsUnit`, generated from the AsyncAPI document.
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
pub enum ReadingsUnit {
    /// `celsius`
    #[serde(rename = "celsius")]
    Celsius,
    /// `kelvin`
    #[serde(rename = "kelvin")]
    Kelvin,
}
impl ReadingsUnit {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Celsius => "celsius",
            Self::Kelvin => "kelvin",
        }
    }
}
impl ::std::fmt::Display for ReadingsUnit {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ReadingsUnit {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for ReadingsUnit {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(ReadingsUnit), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "celsius" => ::std::option::Option::Some(Self::Celsius),
            "kelvin" => ::std::option::Option::Some(Self::Kelvin),
            _ => ::std::option::Option::None,
        }
    }
}
/// `ReadingPayload`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct ReadingPayload {
    /// The `value` property.
    #[serde(rename = "value")]
    pub value: f64,
    /// The `at` property.
    #[serde(
        rename = "at",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub at: ::std::option::Option<::asyncapi_runtime::formats::DateTime>,
}
#[allow(deprecated)]
impl ReadingPayload {
    /// Makes a `ReadingPayload` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        value: f64,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            value,
            at: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ReadingPayload {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
/// `ReadingHeaders`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct ReadingHeaders {
    /// The `traceId` property.
    ///
    /// Constraints: at least 16 characters.
    #[serde(rename = "traceId")]
    pub trace_id: ::std::string::String,
    /// The `retries` property.
    ///
    /// Constraints: at least 0.
    #[serde(
        rename = "retries",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub retries: ::std::option::Option<i64>,
}
#[allow(deprecated)]
impl ReadingHeaders {
    /// Makes a `ReadingHeaders` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        trace_id: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            trace_id,
            retries: ::std::option::Option::None,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for ReadingHeaders {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        {
            let field_path = &path.key("traceId");
            let value = &self.trace_id;
            ::asyncapi_runtime::__private::check::min_length(
                field_path,
                errors,
                value,
                16u64,
            );
        }
        if let ::std::option::Option::Some(value) = &self.retries {
            let field_path = &path.key("retries");
            ::asyncapi_runtime::__private::check::minimum(
                field_path,
                errors,
                *value,
                0f64,
                false,
            );
        }
    }
}
/// Parameters of channel `readings`, address `sensors/{sensorId}/{unit}/readings`.
#[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
pub struct ReadingsParameters {
    /// The sensor.
    pub sensor_id: ::std::string::String,
    /// The `{unit}` part of the address.
    pub unit: ReadingsUnit,
}
impl ReadingsParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "sensors/{sensorId}/{unit}/readings";
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
impl ::asyncapi_runtime::Parameters for ReadingsParameters {
    const ADDRESS: &'static str = "sensors/{sensorId}/{unit}/readings";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::asyncapi_runtime::__private::format_for(
            ::asyncapi_runtime::__private::Rules::Mqtt,
            "sensors/{sensorId}/{unit}/readings",
            &[
                (
                    "sensorId",
                    &*::asyncapi_runtime::__private::AddressValue::to_address_value(
                        &self.sensor_id,
                    ),
                ),
                (
                    "unit",
                    &*::asyncapi_runtime::__private::AddressValue::to_address_value(
                        &self.unit,
                    ),
                ),
            ],
        )
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        let values = ::asyncapi_runtime::__private::capture(
            "sensors/{sensorId}/{unit}/readings",
            address,
        )?;
        ::std::result::Result::Ok(Self {
            sensor_id: ::asyncapi_runtime::__private::parse_value(
                "sensorId",
                address,
                values[0usize],
            )?,
            unit: ::asyncapi_runtime::__private::parse_value(
                "unit",
                address,
                values[1usize],
            )?,
        })
    }
}
/// The send operations of Messages 1.0.0: one method per operation this side publishes.
///
/// Each method encodes the message and returns a `Publish` (a `Request` for operations with a reply) that sends when awaited; its builder methods override the spec's defaults per call, e.g. `.qos(QoS::AtLeastOnce)`.
///
/// Implemented for `::asyncapi_runtime::Client<T>` over every transport; bring the trait into scope to call it.
#[allow(clippy::ptr_arg, deprecated)]
pub trait Publisher: ::std::marker::Sync {
    /// The transport the messages go through.
    type Transport: ::asyncapi_runtime::Transport;
    /// A reading
    ///
    /// Operation `sendReading` on `sensors/{sensorId}/{unit}/readings`.
    fn send_reading(
        &self,
        parameters: &ReadingsParameters,
        headers: &ReadingHeaders,
        payload: &ReadingPayload,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport>;
}
#[allow(clippy::ptr_arg, deprecated)]
impl<T: ::asyncapi_runtime::Transport> Publisher for ::asyncapi_runtime::Client<T> {
    type Transport = T;
    fn send_reading(
        &self,
        parameters: &ReadingsParameters,
        headers: &ReadingHeaders,
        payload: &ReadingPayload,
    ) -> ::asyncapi_runtime::Publish<'_, Self::Transport> {
        ::asyncapi_runtime::__private::publish(
            self,
            parameters,
            ::std::option::Option::None::<&()>,
            ::std::option::Option::Some(headers),
            payload,
            ::asyncapi_runtime::__private::SendOptions {
                operation: "sendReading",
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                retain: false,
                correlation: ::std::option::Option::None,
                content_type: ::std::option::Option::Some("application/json"),
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
}
