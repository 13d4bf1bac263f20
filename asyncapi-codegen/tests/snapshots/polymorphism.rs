// Generated from asyncapi-codegen/tests/fixtures/types/polymorphism.yaml by the generator's snapshot test; do not edit.
// `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.

/// `Pet`, generated from the AsyncAPI document.
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
            ::std::option::Option::Some("doggo") => {
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
                            "`Cat`, `doggo`"
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
/// `CatPetType`, generated from the AsyncAPI document.
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
pub enum CatPetType {
    /// `Cat`
    #[serde(rename = "Cat")]
    #[default]
    Cat,
}
impl CatPetType {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Cat => "Cat",
        }
    }
}
impl ::std::fmt::Display for CatPetType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for CatPetType {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for CatPetType {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(CatPetType), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "Cat" => ::std::option::Option::Some(Self::Cat),
            _ => ::std::option::Option::None,
        }
    }
}
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
    pub pet_type: CatPetType,
    /// The `name` property.
    #[serde(rename = "name")]
    pub name: ::std::string::String,
    /// The `huntingSkill` property.
    #[serde(
        rename = "huntingSkill",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub hunting_skill: ::std::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl Cat {
    /// Makes a `Cat` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pet_type: CatPetType,
        name: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            pet_type,
            name,
            hunting_skill: ::std::option::Option::None,
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
/// `DogPetType`, generated from the AsyncAPI document.
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
pub enum DogPetType {
    /// `doggo`
    #[serde(rename = "doggo")]
    #[default]
    Doggo,
}
impl DogPetType {
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Doggo => "doggo",
        }
    }
}
impl ::std::fmt::Display for DogPetType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for DogPetType {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        _path: &::asyncapi_runtime::__private::Path<'_>,
        _errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {}
}
impl ::asyncapi_runtime::__private::AddressValue for DogPetType {
    const EXPECTED: &'static str = ::core::concat!(
        "value of `", ::core::stringify!(DogPetType), "`"
    );
    fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
        ::std::borrow::Cow::Borrowed(self.as_str())
    }
    fn from_address_value(text: &str) -> ::std::option::Option<Self> {
        match text {
            "doggo" => ::std::option::Option::Some(Self::Doggo),
            _ => ::std::option::Option::None,
        }
    }
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
    pub pet_type: DogPetType,
    /// The `name` property.
    #[serde(rename = "name")]
    pub name: ::std::string::String,
    /// The `packSize` property.
    #[serde(
        rename = "packSize",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub pack_size: ::std::option::Option<i64>,
}
#[allow(deprecated)]
impl Dog {
    /// Makes a `Dog` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pet_type: DogPetType,
        name: ::std::string::String,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            pet_type,
            name,
            pack_size: ::std::option::Option::None,
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
/// `Shelter`, generated from the AsyncAPI document.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::asyncapi_runtime::__private::serde::Serialize,
    ::asyncapi_runtime::__private::serde::Deserialize,
)]
#[serde(crate = "::asyncapi_runtime::__private::serde")]
#[allow(deprecated)]
pub struct Shelter {
    /// The `featured` property.
    #[serde(
        rename = "featured",
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub featured: ::std::option::Option<Pet>,
    /// The `residents` property.
    #[serde(rename = "residents")]
    pub residents: ::std::vec::Vec<Pet>,
}
#[allow(deprecated)]
impl Shelter {
    /// Makes a `Shelter` from its required properties (the optional ones absent) and checks it against the schema's constraints.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        residents: ::std::vec::Vec<Pet>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
        let value = Self {
            featured: ::std::option::Option::None,
            residents,
        };
        ::asyncapi_runtime::__private::Validate::validate(&value)?;
        ::std::result::Result::Ok(value)
    }
}
#[allow(deprecated)]
impl ::asyncapi_runtime::__private::Validate for Shelter {
    #[allow(clippy::only_used_in_recursion)]
    fn validate_at(
        &self,
        path: &::asyncapi_runtime::__private::Path<'_>,
        errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
    ) {
        if let ::std::option::Option::Some(value) = &self.featured {
            let field_path = &path.key("featured");
            ::asyncapi_runtime::__private::Validate::validate_at(
                value,
                field_path,
                errors,
            );
        }
        {
            let field_path = &path.key("residents");
            let value = &self.residents;
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
/// Parameters of channel `receivePet`, address `pets`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct ReceivePetParameters;
impl ReceivePetParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "pets";
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
impl ::asyncapi_runtime::Parameters for ReceivePetParameters {
    const ADDRESS: &'static str = "pets";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("pets"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "pets" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "pets",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// Parameters of channel `receiveShelter`, address `shelters`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct ReceiveShelterParameters;
impl ReceiveShelterParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "shelters";
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
impl ::asyncapi_runtime::Parameters for ReceiveShelterParameters {
    const ADDRESS: &'static str = "shelters";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("shelters"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "shelters" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "shelters",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// Parameters of channel `receiveCat`, address `cats`.
#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::marker::Copy,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::default::Default
)]
pub struct ReceiveCatParameters;
impl ReceiveCatParameters {
    /// The address template of this channel.
    pub const ADDRESS: &'static str = "cats";
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
impl ::asyncapi_runtime::Parameters for ReceiveCatParameters {
    const ADDRESS: &'static str = "cats";
    fn to_address(
        &self,
    ) -> ::std::result::Result<::std::string::String, ::asyncapi_runtime::AddressError> {
        ::std::result::Result::Ok(::std::string::String::from("cats"))
    }
    fn from_address(
        address: &str,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::AddressError> {
        if address == "cats" {
            ::std::result::Result::Ok(Self)
        } else {
            ::std::result::Result::Err(::asyncapi_runtime::AddressError::Mismatch {
                template: "cats",
                address: ::std::string::String::from(address),
            })
        }
    }
}
/// The receive operations of Pets 1.0.0 as typed streams, one per operation.
///
/// A message that does not decode is an `Err` item; the stream goes on after it.
#[allow(deprecated)]
pub trait Subscriber: ::std::marker::Sync {
    /// Operation `receivePet` on `pets`.
    fn subscribe_receive_pet(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceivePetParameters,
                Pet,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send;
    /// Operation `receiveShelter` on `shelters`.
    fn subscribe_receive_shelter(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceiveShelterParameters,
                Shelter,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send;
    /// Operation `receiveCat` on `cats`.
    fn subscribe_receive_cat(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceiveCatParameters,
                Cat,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send;
}
#[allow(deprecated)]
impl<T: ::asyncapi_runtime::Transport> Subscriber for ::asyncapi_runtime::Client<T> {
    fn subscribe_receive_pet(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceivePetParameters,
                Pet,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send {
        ::asyncapi_runtime::__private::subscribe::<
            T,
            ReceivePetParameters,
            Pet,
            (),
            (),
            _,
        >(
            self,
            "receivePet",
            ::asyncapi_runtime::__private::ReceiveOptions {
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                correlation: ::std::option::Option::None,
                group: ::std::option::Option::None,
                client_id: ::std::option::Option::None,
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
    fn subscribe_receive_shelter(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceiveShelterParameters,
                Shelter,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send {
        ::asyncapi_runtime::__private::subscribe::<
            T,
            ReceiveShelterParameters,
            Shelter,
            (),
            (),
            _,
        >(
            self,
            "receiveShelter",
            ::asyncapi_runtime::__private::ReceiveOptions {
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                correlation: ::std::option::Option::None,
                group: ::std::option::Option::None,
                client_id: ::std::option::Option::None,
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
    fn subscribe_receive_cat(
        &self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::asyncapi_runtime::MessageStream<
                ReceiveCatParameters,
                Cat,
                (),
                (),
                ::asyncapi_runtime::codec::Json,
            >,
            ::asyncapi_runtime::Error,
        >,
    > + ::std::marker::Send {
        ::asyncapi_runtime::__private::subscribe::<
            T,
            ReceiveCatParameters,
            Cat,
            (),
            (),
            _,
        >(
            self,
            "receiveCat",
            ::asyncapi_runtime::__private::ReceiveOptions {
                qos: ::asyncapi_runtime::QoS::from_level(0u8),
                correlation: ::std::option::Option::None,
                group: ::std::option::Option::None,
                client_id: ::std::option::Option::None,
            },
            ::asyncapi_runtime::codec::Json,
        )
    }
}
/// The receive operations of Pets 1.0.0: implement one method per operation and pass the handler to [`serve`].
///
/// Each method gets the decoded message with its metadata (address, parameters, headers, key, correlation id, raw bytes); an operation with a reply returns the reply, which `serve` sends back with the request's correlation id.
#[allow(deprecated)]
pub trait Handler: ::std::marker::Send + ::std::marker::Sync {
    /// Operation `receivePet` on `pets`.
    fn receive_pet(
        &self,
        message: ::asyncapi_runtime::Received<ReceivePetParameters, Pet, (), ()>,
    ) -> impl ::std::future::Future<
        Output = ::asyncapi_runtime::HandlerResult,
    > + ::std::marker::Send;
    /// Operation `receiveShelter` on `shelters`.
    fn receive_shelter(
        &self,
        message: ::asyncapi_runtime::Received<ReceiveShelterParameters, Shelter, (), ()>,
    ) -> impl ::std::future::Future<
        Output = ::asyncapi_runtime::HandlerResult,
    > + ::std::marker::Send;
    /// Operation `receiveCat` on `cats`.
    fn receive_cat(
        &self,
        message: ::asyncapi_runtime::Received<ReceiveCatParameters, Cat, (), ()>,
    ) -> impl ::std::future::Future<
        Output = ::asyncapi_runtime::HandlerResult,
    > + ::std::marker::Send;
    /// Called for every message that could not be decoded, and for every message whose
    /// handler failed as often as the operation's policy allows (with its bytes and what
    /// became of it); the subscription goes on. The default logs undecodable messages at
    /// `error` level through `tracing` (the serve loop logs failed handlers itself).
    fn on_error(
        &self,
        error: ::asyncapi_runtime::ReceiveError,
    ) -> impl ::std::future::Future<Output = ()> + ::std::marker::Send {
        ::asyncapi_runtime::__private::log_receive_error(&error);
        ::std::future::ready(())
    }
}
/// How each receive operation is served (retries, dead letters, concurrency) and how long
/// `serve` drains on shutdown. The default is what the spec says (its `x-retry` and
/// `x-dead-letter` extensions), else [`Policy::default`](::asyncapi_runtime::serve::Policy).
#[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
#[non_exhaustive]
pub struct ServeConfig {
    ///How operation `receivePet` is served.
    pub receive_pet: ::asyncapi_runtime::serve::Policy,
    ///How operation `receiveShelter` is served.
    pub receive_shelter: ::asyncapi_runtime::serve::Policy,
    ///How operation `receiveCat` is served.
    pub receive_cat: ::asyncapi_runtime::serve::Policy,
    /// How long handlers that started get to finish once shutdown is asked for.
    pub drain_timeout: ::std::time::Duration,
}
impl ::std::default::Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            receive_pet: ::asyncapi_runtime::serve::Policy::default(),
            receive_shelter: ::asyncapi_runtime::serve::Policy::default(),
            receive_cat: ::asyncapi_runtime::serve::Policy::default(),
            drain_timeout: ::asyncapi_runtime::serve::DEFAULT_DRAIN_TIMEOUT,
        }
    }
}
/// Every receive operation's subscription, made and waiting: messages published from now on
/// are kept for [`Subscriptions::serve`]. It holds a clone of the client, to send replies
/// and dead letters.
#[allow(deprecated)]
pub struct Subscriptions<T> {
    client: ::asyncapi_runtime::Client<T>,
    config: ServeConfig,
    stream_0: ::asyncapi_runtime::MessageStream<
        ReceivePetParameters,
        Pet,
        (),
        (),
        ::asyncapi_runtime::codec::Json,
    >,
    stream_1: ::asyncapi_runtime::MessageStream<
        ReceiveShelterParameters,
        Shelter,
        (),
        (),
        ::asyncapi_runtime::codec::Json,
    >,
    stream_2: ::asyncapi_runtime::MessageStream<
        ReceiveCatParameters,
        Cat,
        (),
        (),
        ::asyncapi_runtime::codec::Json,
    >,
}
#[allow(deprecated)]
impl<T> ::std::fmt::Debug for Subscriptions<T> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("Subscriptions")
            .field("receivePet", &self.stream_0)
            .field("receiveShelter", &self.stream_1)
            .field("receiveCat", &self.stream_2)
            .finish_non_exhaustive()
    }
}
#[allow(deprecated)]
impl<T: ::asyncapi_runtime::Transport + ::std::clone::Clone> Subscriptions<T> {
    /// Subscribes every receive operation through `client`.
    pub async fn new(
        client: &::asyncapi_runtime::Client<T>,
    ) -> ::std::result::Result<Self, ::asyncapi_runtime::Error> {
        ::std::result::Result::Ok(Self {
            client: ::std::clone::Clone::clone(client),
            config: ::std::default::Default::default(),
            stream_0: <::asyncapi_runtime::Client<
                T,
            > as Subscriber>::subscribe_receive_pet(client)
                .await?,
            stream_1: <::asyncapi_runtime::Client<
                T,
            > as Subscriber>::subscribe_receive_shelter(client)
                .await?,
            stream_2: <::asyncapi_runtime::Client<
                T,
            > as Subscriber>::subscribe_receive_cat(client)
                .await?,
        })
    }
    /// Serves with `config` instead of the spec's defaults.
    pub fn with_config(mut self, config: ServeConfig) -> Self {
        self.config = config;
        self
    }
    /// How the operations will be served, to change before [`Subscriptions::serve`].
    pub fn config_mut(&mut self) -> &mut ServeConfig {
        &mut self.config
    }
    /// Feeds every message to `handler` until `shutdown` resolves, then drains: no new
    /// message is taken, handlers that started finish (within the drain timeout) and are
    /// acknowledged, what is left stays unacknowledged for redelivery. Operations are
    /// served concurrently; within one, as its policy says (by default one message at a
    /// time, in order; failures retried, then dead-lettered). `Ok` when `shutdown` asked
    /// for the stop; an error when a subscription ended on its own (the transport closed).
    pub async fn serve<H: Handler>(
        self,
        handler: &H,
        shutdown: impl ::std::future::Future<Output = ()>,
    ) -> ::std::result::Result<(), ::asyncapi_runtime::serve::ServeError> {
        let Self { client, config, stream_0, stream_1, stream_2 } = self;
        let runner = ::asyncapi_runtime::serve::Runner::new(&client)
            .with_drain_timeout(config.drain_timeout);
        let (runner, config) = (&runner, &config);
        runner
            .run(
                shutdown,
                async move {
                    let (result_0, result_1, result_2) = ::asyncapi_runtime::__private::futures::join!(
                        runner.operation(stream_0, & config.receive_pet,
                        ::std::option::Option:: < ::asyncapi_runtime::serve::ReplyOptions
                        > ::None, | message | handler.receive_pet(message), | error |
                        handler.on_error(error),), runner.operation(stream_1, & config
                        .receive_shelter, ::std::option::Option:: <
                        ::asyncapi_runtime::serve::ReplyOptions > ::None, | message |
                        handler.receive_shelter(message), | error | handler
                        .on_error(error),), runner.operation(stream_2, & config
                        .receive_cat, ::std::option::Option:: <
                        ::asyncapi_runtime::serve::ReplyOptions > ::None, | message |
                        handler.receive_cat(message), | error | handler.on_error(error),)
                    );
                    [result_0, result_1, result_2]
                },
            )
            .await
    }
}
/// Subscribes every receive operation and serves it with the spec's [`ServeConfig`] until
/// `shutdown` resolves (see [`Subscriptions::serve`]); see [`Subscriptions`] to subscribe
/// first, configure, and serve later.
pub async fn serve<T: ::asyncapi_runtime::Transport + ::std::clone::Clone, H: Handler>(
    client: &::asyncapi_runtime::Client<T>,
    handler: &H,
    shutdown: impl ::std::future::Future<Output = ()>,
) -> ::std::result::Result<(), ::asyncapi_runtime::serve::ServeError> {
    Subscriptions::new(client).await?.serve(handler, shutdown).await
}
