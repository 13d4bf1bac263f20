//! Enumerations and unions → Rust enums.
//!
//! - String `enum` (and a string `const`): a fieldless enum, variants renamed to the wire
//!   values. A `const` is the enum of one value, so only that value is accepted.
//! - `enum`/`const` of other JSON values: a fieldless enum with hand-written serde impls that
//!   compare JSON values (numbers numerically).
//! - `oneOf`/`anyOf`: an enum with one variant per alternative. With a `discriminator`, or when
//!   every alternative is an object with the same required property holding a distinct string
//!   `const`, deserialization reads that property and picks the variant (a tagged union, but
//!   the tag stays in the variant's own struct, so the wire format is unchanged). Otherwise it is
//!   untagged and serde tries the variants in this order: `null`, booleans, integers, numbers,
//!   enumerations and constants, strings, tuples, arrays, objects (in document order), maps, and
//!   anything-goes last. The first that deserializes wins.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::validate::impl_validate;
use super::{TypeGen, deprecated_attr};
use crate::model::{Schema, SchemaKind, Union};
use crate::naming::{Scope, ident, type_name};

fn derives_serde() -> TokenStream {
    quote! {
        ::asyncapi_runtime::__private::serde::Serialize,
        ::asyncapi_runtime::__private::serde::Deserialize,
    }
}

/// A string enumeration (or a string `const`, as an enum of one value).
pub(super) fn string_enum(
    name: &str,
    docs: TokenStream,
    schema: &Schema,
    variants: &[String],
) -> TokenStream {
    let type_ident = ident(name);
    let mut scope = Scope::default();
    let idents: Vec<Ident> = variants
        .iter()
        .map(|v| ident(&scope.claim(&type_name(v, "Empty"))))
        .collect();
    let variant_docs: Vec<String> = variants.iter().map(|v| format!(" `{v}`")).collect();
    let serde = derives_serde();
    let deprecated = deprecated_attr(schema);
    let (default, default_marks) = single_default(&idents);
    let validate = impl_validate(&type_ident, TokenStream::new());
    quote! {
        #docs
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::marker::Copy,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            #default
            #serde
        )]
        #[serde(crate = "::asyncapi_runtime::__private::serde")]
        #[allow(clippy::enum_variant_names)]
        pub enum #type_ident {
            #(
                #[doc = #variant_docs]
                #[serde(rename = #variants)]
                #default_marks
                #idents,
            )*
        }

        impl #type_ident {
            /// The value as written on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #( Self::#idents => #variants, )*
                }
            }
        }

        impl ::std::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #validate

        impl ::asyncapi_runtime::__private::AddressValue for #type_ident {
            const EXPECTED: &'static str = ::core::concat!("value of `", ::core::stringify!(#type_ident), "`");

            fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }

            fn from_address_value(text: &str) -> ::std::option::Option<Self> {
                match text {
                    #( #variants => ::std::option::Option::Some(Self::#idents), )*
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

/// For an enum of one value (a `const`): `Default` derived, that value marked `#[default]`.
fn single_default(idents: &[Ident]) -> (TokenStream, Vec<TokenStream>) {
    match idents {
        [_] => (quote!(::std::default::Default,), vec![quote!(#[default])]),
        _ => (TokenStream::new(), vec![TokenStream::new(); idents.len()]),
    }
}

/// The variant name for a JSON value.
fn value_name(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "Null".to_owned(),
        serde_json::Value::Bool(true) => "True".to_owned(),
        serde_json::Value::Bool(false) => "False".to_owned(),
        serde_json::Value::Number(n) => {
            let text = n.to_string().replace('-', "minus ").replace('.', " point ");
            type_name(&format!("v {text}"), "Number")
        }
        serde_json::Value::String(s) => type_name(s, "Empty"),
        serde_json::Value::Array(_) => "Array".to_owned(),
        serde_json::Value::Object(_) => "Object".to_owned(),
    }
}

/// An enumeration of JSON values that are not all strings.
pub(super) fn value_enum(
    name: &str,
    docs: TokenStream,
    schema: &Schema,
    values: &[serde_json::Value],
) -> TokenStream {
    let type_ident = ident(name);
    let mut scope = Scope::default();
    let idents: Vec<Ident> = values
        .iter()
        .map(|v| ident(&scope.claim(&value_name(v))))
        .collect();
    let literals: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    let variant_docs: Vec<String> = literals.iter().map(|l| format!(" `{l}`")).collect();
    let expected = literals.join(", ");
    let deprecated = deprecated_attr(schema);
    let (default, default_marks) = single_default(&idents);
    let validate = impl_validate(&type_ident, TokenStream::new());
    quote! {
        #docs
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::marker::Copy,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            #default
        )]
        pub enum #type_ident {
            #(
                #[doc = #variant_docs]
                #default_marks
                #idents,
            )*
        }

        impl #type_ident {
            /// The value as JSON text.
            pub const fn as_json(&self) -> &'static str {
                match self {
                    #( Self::#idents => #literals, )*
                }
            }
        }

        impl ::asyncapi_runtime::__private::serde::Serialize for #type_ident {
            fn serialize<S: ::asyncapi_runtime::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::asyncapi_runtime::__private::json_literal::serialize(self.as_json(), serializer)
            }
        }

        impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(deserializer)?;
                #(
                    if ::asyncapi_runtime::__private::json_literal::matches(#literals, &value) {
                        return ::std::result::Result::Ok(Self::#idents);
                    }
                )*
                ::std::result::Result::Err(<D::Error as ::asyncapi_runtime::__private::serde::de::Error>::custom(
                    ::std::format!("expected one of {}; found {}", #expected, value),
                ))
            }
        }

        #validate
    }
}

/// How a union tells its variants apart.
enum Tagging {
    /// By the string value of one property: (property, tag value of each variant).
    Property(String, Vec<String>),
    /// By trying each variant in turn.
    Untagged,
}

/// A `oneOf`/`anyOf` enum.
pub(super) fn union(
    types: &mut TypeGen<'_>,
    name: &str,
    docs: TokenStream,
    schema: &Schema,
    union: &Union,
) -> TokenStream {
    let type_ident = ident(name);
    let names = types.variant_names.take();
    let tagging = tagging(types, union);
    let mut order: Vec<usize> = (0..union.variants.len()).collect();
    if matches!(tagging, Tagging::Untagged) {
        order.sort_by_key(|&i| rank(types.resolve(&union.variants[i])));
    }
    let mut scope = Scope::default();
    let variants: Vec<(Ident, TokenStream, usize)> = order
        .iter()
        .map(|&i| {
            let variant = &union.variants[i];
            let wanted = match names.as_ref().and_then(|n| n.get(i)) {
                Some(given) => given.clone(),
                None => variant_name(types, variant, i),
            };
            let variant_name = scope.claim(&wanted);
            let ty = types.type_of(variant, &format!("{name} {variant_name}"));
            (ident(&variant_name), ty, i)
        })
        .collect();
    let idents: Vec<&Ident> = variants.iter().map(|(v, _, _)| v).collect();
    let tys: Vec<&TokenStream> = variants.iter().map(|(_, t, _)| t).collect();
    let variant_docs: Vec<TokenStream> = variants
        .iter()
        .map(|(_, _, i)| {
            let v = &union.variants[*i];
            let resolved = types.resolve(v);
            crate::emit::docs::doc_attrs(
                &[
                    v.title.as_deref().or(resolved.title.as_deref()),
                    v.description.as_deref().or(resolved.description.as_deref()),
                ],
                &format!("Alternative {} of the schema.", i + 1),
            )
        })
        .collect();
    let deprecated = deprecated_attr(schema);
    let validate = impl_validate(
        &type_ident,
        quote! {
            match self {
                #( Self::#idents(value) => ::asyncapi_runtime::__private::Validate::validate_at(value, path, errors), )*
            }
        },
    );
    let (serde_attrs, deserialize) = match &tagging {
        Tagging::Untagged => (
            quote! {
                #[derive(::asyncapi_runtime::__private::serde::Deserialize)]
                #[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]
            },
            TokenStream::new(),
        ),
        Tagging::Property(property, tags) => {
            let tags: Vec<&String> = variants.iter().map(|(_, _, i)| &tags[*i]).collect();
            let expected = tags
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                quote!(#[serde(crate = "::asyncapi_runtime::__private::serde", untagged)]),
                quote! {
                    impl<'de> ::asyncapi_runtime::__private::serde::Deserialize<'de> for #type_ident {
                        fn deserialize<D: ::asyncapi_runtime::__private::serde::Deserializer<'de>>(
                            deserializer: D,
                        ) -> ::std::result::Result<Self, D::Error> {
                            use ::asyncapi_runtime::__private::serde::de::Error as _;
                            let value = ::asyncapi_runtime::__private::json_literal::deserialize_value(deserializer)?;
                            let tag = value
                                .get(#property)
                                .and_then(::asyncapi_runtime::__private::serde_json::Value::as_str)
                                .map(::std::borrow::ToOwned::to_owned);
                            match tag.as_deref() {
                                #(
                                    ::std::option::Option::Some(#tags) => {
                                        <#tys as ::asyncapi_runtime::__private::serde::Deserialize>::deserialize(value)
                                            .map(Self::#idents)
                                            .map_err(D::Error::custom)
                                    }
                                )*
                                ::std::option::Option::Some(other) => ::std::result::Result::Err(D::Error::custom(
                                    ::std::format!("`{}` is {:?}; expected one of {}", #property, other, #expected),
                                )),
                                ::std::option::Option::None => ::std::result::Result::Err(D::Error::custom(
                                    ::std::format!("missing the string property `{}` that tells which alternative this is", #property),
                                )),
                            }
                        }
                    }
                },
            )
        }
    };
    quote! {
        #docs
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::asyncapi_runtime::__private::serde::Serialize,
        )]
        #serde_attrs
        #[allow(clippy::large_enum_variant)]
        pub enum #type_ident {
            #( #variant_docs #idents(#tys), )*
        }

        #deserialize
        #validate
    }
}

/// A variant's name: its schema's name, else its title, else its kind.
fn variant_name(types: &TypeGen<'_>, variant: &Schema, index: usize) -> String {
    if let SchemaKind::Named(key) = &variant.kind
        && let Some(name) = types.names.get(key)
    {
        return name.clone();
    }
    if let Some(title) = &variant.title {
        let name = type_name(title, "");
        if !name.is_empty() && name.len() <= 40 {
            return name;
        }
    }
    match &variant.kind {
        SchemaKind::String { .. } => "String".to_owned(),
        SchemaKind::Integer { .. } => "Integer".to_owned(),
        SchemaKind::Number { .. } => "Number".to_owned(),
        SchemaKind::Boolean => "Boolean".to_owned(),
        SchemaKind::Array(_) | SchemaKind::Tuple(_) => "Array".to_owned(),
        SchemaKind::Map(_) => "Map".to_owned(),
        SchemaKind::Object(_) => "Object".to_owned(),
        SchemaKind::Const(value) => value_name(value),
        _ => format!("Variant{}", index + 1),
    }
}

/// Where an untagged variant goes in the decision order (lower is tried first).
fn rank(schema: &Schema) -> u8 {
    match &schema.kind {
        SchemaKind::Null => 0,
        SchemaKind::Boolean => 1,
        SchemaKind::Integer { .. } => 2,
        SchemaKind::Number { .. } => 3,
        SchemaKind::Const(_)
        | SchemaKind::Enum(_)
        | SchemaKind::String {
            variants: Some(_), ..
        } => 4,
        SchemaKind::String { .. } => 5,
        SchemaKind::Tuple(_) => 6,
        SchemaKind::Array(_) => 7,
        SchemaKind::Object(_) | SchemaKind::OneOf(_) | SchemaKind::AnyOf(_) => 8,
        SchemaKind::Map(_) => 9,
        _ => 10,
    }
}

/// The discriminator (declared, or a shared required `const` property) and each variant's tag.
fn tagging(types: &TypeGen<'_>, union: &Union) -> Tagging {
    if let Some(discriminator) = &union.discriminator {
        let tags: Option<Vec<String>> = union
            .variants
            .iter()
            .map(|v| {
                let SchemaKind::Named(key) = &v.kind else {
                    return const_tag(types, v, &discriminator.property);
                };
                discriminator
                    .mapping
                    .iter()
                    .find(|(_, k)| k == key)
                    .map(|(tag, _)| tag.clone())
                    .or_else(|| const_tag(types, v, &discriminator.property))
                    .or_else(|| {
                        types
                            .schemas
                            .contains_key(key)
                            .then(|| key.rsplit('/').next().unwrap_or(key).to_owned())
                    })
            })
            .collect();
        if let Some(tags) = tags.filter(|t| distinct(t)) {
            return Tagging::Property(discriminator.property.clone(), tags);
        }
    }
    // A required property with a distinct string `const` in every alternative.
    let Some(first) = union.variants.first() else {
        return Tagging::Untagged;
    };
    let SchemaKind::Object(object) = &types.resolve(first).kind else {
        return Tagging::Untagged;
    };
    for property in object.properties.iter().filter(|p| p.required) {
        let tags: Option<Vec<String>> = union
            .variants
            .iter()
            .map(|v| const_tag(types, v, &property.name))
            .collect();
        if let Some(tags) = tags.filter(|t| distinct(t)) {
            return Tagging::Property(property.name.clone(), tags);
        }
    }
    Tagging::Untagged
}

fn distinct(tags: &[String]) -> bool {
    let mut sorted: Vec<&String> = tags.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted.len() == tags.len()
}

/// The single string value that `variant`'s required property `property` may hold.
fn const_tag(types: &TypeGen<'_>, variant: &Schema, property: &str) -> Option<String> {
    let SchemaKind::Object(object) = &types.resolve(variant).kind else {
        return None;
    };
    let p = object
        .properties
        .iter()
        .find(|p| p.name == property && p.required)?;
    match &types.resolve(&p.schema).kind {
        SchemaKind::Const(serde_json::Value::String(s)) => Some(s.clone()),
        SchemaKind::String {
            variants: Some(values),
            ..
        } if values.len() == 1 => Some(values[0].clone()),
        _ => None,
    }
}
