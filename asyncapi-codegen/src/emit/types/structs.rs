//! Object schemas → structs; constrained named scalars → checked newtypes.
//!
//! | property | field |
//! |---|---|
//! | required | `T` |
//! | required, nullable | `Option<T>`, must be present (`null` is `None`) |
//! | optional | `Option<T>`, skipped when `None` |
//! | optional, nullable | `Option<Option<T>>`: absent `None`, `null` `Some(None)` |
//! | `additionalProperties: true` / `{schema}`, `patternProperties` | a flattened map |
//! | `additionalProperties: false` | `#[serde(deny_unknown_fields)]` |

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::validate::{checks, impl_validate, optional, property_counts};
use super::{TypeGen, deprecated_attr, is_nullable, schema_notes};
use crate::emit::docs::doc_attrs;
use crate::model::{Additional, Object, Schema, SchemaKind};
use crate::naming::{Scope, ident};

struct Field<'m> {
    ident: Ident,
    wire: &'m str,
    value_type: TokenStream,
    required: bool,
    nullable: bool,
    schema: &'m Schema,
}

impl Field<'_> {
    /// The field's declared type.
    fn declared(&self) -> TokenStream {
        let ty = &self.value_type;
        match (self.required, self.nullable) {
            (true, false) => quote!(#ty),
            (false, true) => quote!(::std::option::Option<::std::option::Option<#ty>>),
            _ => quote!(::std::option::Option<#ty>),
        }
    }

    /// The pattern that binds `value` to a present, non-null value of the field.
    fn present(&self) -> Option<TokenStream> {
        match (self.required, self.nullable) {
            (true, false) => None,
            (false, true) => Some(quote!(::std::option::Option::Some(
                ::std::option::Option::Some(value)
            ))),
            _ => Some(quote!(::std::option::Option::Some(value))),
        }
    }
}

/// The struct for `object`, with its `Validate` impl and checked constructor.
pub(super) fn define(
    types: &mut TypeGen<'_>,
    name: &str,
    schema: &Schema,
    object: &Object,
    docs: TokenStream,
) -> TokenStream {
    let type_ident = ident(name);
    let mut scope = Scope::default();
    let fields: Vec<Field<'_>> = object
        .properties
        .iter()
        .map(|p| Field {
            ident: scope.claim_field(&p.name, "field"),
            wire: &p.name,
            value_type: types.value_type(&p.schema, &format!("{name} {}", p.name)),
            required: p.required,
            nullable: is_nullable(&p.schema),
            schema: &p.schema,
        })
        .collect();

    // Other properties: one flattened map (serde gives every unlisted key to the first one).
    let mut extra_schemas: Vec<&Schema> =
        object.pattern_properties.iter().map(|(_, s)| s).collect();
    if let Additional::Typed(values) = &object.additional {
        extra_schemas.push(values);
    }
    let keeps_extras = !object.pattern_properties.is_empty()
        || matches!(object.additional, Additional::Any | Additional::Typed(_));
    let extras = keeps_extras.then(|| {
        let field = scope.claim_field("additional_properties", "additional");
        let (value_type, value_schema) = match (extra_schemas.as_slice(), &object.additional) {
            ([one], _) => (types.type_of(one, &format!("{name} value")), Some(*one)),
            _ => (
                quote!(::asyncapi_runtime::__private::serde_json::Value),
                None,
            ),
        };
        (field, value_type, value_schema)
    });

    let field_defs = fields.iter().map(field_def);
    let extras_def = extras.as_ref().map(|(field, value_type, _)| {
        quote! {
            /// Properties not listed in the schema, by name.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value_type>,
        }
    });
    let deny = (matches!(object.additional, Additional::Denied) && extras.is_none())
        .then(|| quote!(#[serde(deny_unknown_fields)]));
    let deprecated = deprecated_attr(schema);

    // validate(): each field's checks, the extras', then the property count.
    let mut body: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let inner = checks(types, f.schema, &quote!(value), &quote!(field_path));
            if inner.is_empty() {
                return None;
            }
            let access = &f.ident;
            let wire = f.wire;
            Some(match f.present() {
                None => quote! {
                    {
                        let field_path = &path.key(#wire);
                        let value = &self.#access;
                        #inner
                    }
                },
                Some(pattern) => quote! {
                    if let #pattern = &self.#access {
                        let field_path = &path.key(#wire);
                        #inner
                    }
                },
            })
        })
        .collect();
    if let Some((field, _, value_schema)) = &extras {
        let key_check = match (object.pattern_properties.as_slice(), &object.additional) {
            ([(pattern, _)], Additional::Denied) => quote! {
                static KEY_PATTERN: ::asyncapi_runtime::__private::Pattern =
                    ::asyncapi_runtime::__private::Pattern::new(#pattern);
                ::asyncapi_runtime::__private::check::key_pattern(field_path, errors, key, &KEY_PATTERN);
            },
            _ => TokenStream::new(),
        };
        let value_check = value_schema
            .map(|s| optional(types, s, &quote!(entry), &quote!(field_path)))
            .unwrap_or_default();
        let entries = if value_check.is_empty() {
            quote!(key in self.#field.keys())
        } else {
            quote!((key, entry) in &self.#field)
        };
        if !key_check.is_empty() || !value_check.is_empty() {
            body.push(quote! {
                for #entries {
                    let field_path = &path.key(key);
                    #key_check
                    #value_check
                }
            });
        }
    }
    let always = fields.iter().filter(|f| f.present().is_none()).count();
    let mut terms: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.present().is_some())
        .map(|f| {
            let access = &f.ident;
            quote!(usize::from(self.#access.is_some()))
        })
        .collect();
    if let Some((field, _, _)) = &extras {
        terms.push(quote!(self.#field.len()));
    }
    if always > 0 || terms.is_empty() {
        terms.insert(0, quote!(#always));
    }
    let count = quote!(#(#terms)+*);
    body.extend(property_counts(&schema.constraints, &count, &quote!(path)));
    let validate = impl_validate(&type_ident, quote!(#(#body)*));

    let constructor = constructor(&type_ident, &fields, extras.as_ref().map(|e| &e.0));
    let defaults = default_accessors(&fields);
    quote! {
        #docs
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::asyncapi_runtime::__private::serde::Serialize,
            ::asyncapi_runtime::__private::serde::Deserialize,
        )]
        #[serde(crate = "::asyncapi_runtime::__private::serde")]
        #deny
        #[allow(deprecated)]
        pub struct #type_ident {
            #(#field_defs)*
            #extras_def
        }

        #[allow(deprecated)]
        impl #type_ident {
            #constructor
            #defaults
        }

        #validate
    }
}

fn field_def(f: &Field<'_>) -> TokenStream {
    let wire = f.wire;
    let ident = &f.ident;
    let ty = f.declared();
    let mut parts: Vec<Option<&str>> =
        vec![f.schema.title.as_deref(), f.schema.description.as_deref()];
    let notes = schema_notes(f.schema);
    let fallback = format!("The `{wire}` property.");
    if f.schema.title.is_none() && f.schema.description.is_none() {
        parts.push(Some(&fallback));
    }
    parts.extend(notes.iter().map(|n| Some(n.as_str())));
    let docs = doc_attrs(&parts, &fallback);
    let deprecated = deprecated_attr(f.schema);
    let serde = match (f.required, f.nullable) {
        (true, false) => quote!(#[serde(rename = #wire)]),
        (true, true) => quote! {
            #[serde(rename = #wire, deserialize_with = "::asyncapi_runtime::__private::nullable::required")]
        },
        (false, false) => quote! {
            #[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none")]
        },
        (false, true) => quote! {
            #[serde(
                rename = #wire,
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                deserialize_with = "::asyncapi_runtime::__private::nullable::optional"
            )]
        },
    };
    quote! {
        #docs
        #deprecated
        #serde
        pub #ident: #ty,
    }
}

/// `new(required fields...)`: every optional field absent, then `validate()`.
fn constructor(type_ident: &Ident, fields: &[Field<'_>], extras: Option<&Ident>) -> TokenStream {
    let args = fields.iter().filter(|f| f.required).map(|f| {
        let ident = &f.ident;
        let ty = f.declared();
        quote!(#ident: #ty)
    });
    let inits = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.required {
            quote!(#ident)
        } else {
            quote!(#ident: ::std::option::Option::None)
        }
    });
    let extras = extras.map(|e| quote!(#e: ::std::collections::BTreeMap::new(),));
    let doc = format!(
        " Makes a `{type_ident}` from its required properties (the optional ones absent) and \
         checks it against the schema's constraints."
    );
    quote! {
        #[doc = #doc]
        #[allow(clippy::too_many_arguments)]
        pub fn new(#(#args),*) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
            let value = Self { #(#inits,)* #extras };
            ::asyncapi_runtime::__private::Validate::validate(&value)?;
            ::std::result::Result::Ok(value)
        }
    }
}

/// `<field>_or_default()` for optional scalar properties that declare a `default`.
fn default_accessors(fields: &[Field<'_>]) -> TokenStream {
    let accessors = fields
        .iter()
        .filter(|f| !f.required && !f.nullable)
        .filter_map(|f| {
            let default = f.schema.default.as_ref()?;
            let ty = &f.value_type;
            let value = match (&f.schema.kind, default) {
                (SchemaKind::Integer { format }, serde_json::Value::Number(n)) => {
                    let n = n.as_i64()?;
                    if format.as_deref() == Some("int32") {
                        let n = i32::try_from(n).ok()?;
                        quote!(#n)
                    } else {
                        quote!(#n)
                    }
                }
                (SchemaKind::Number { format }, serde_json::Value::Number(n)) => {
                    let n = n.as_f64().filter(|n| n.is_finite())?;
                    if format.as_deref() == Some("float") {
                        let n = proc_macro2::Literal::f32_suffixed(
                            Some(n as f32).filter(|n| n.is_finite())?,
                        );
                        quote!(#n)
                    } else {
                        let n = proc_macro2::Literal::f64_suffixed(n);
                        quote!(#n)
                    }
                }
                (SchemaKind::Boolean, serde_json::Value::Bool(b)) => quote!(#b),
                (
                    SchemaKind::String {
                        variants: None,
                        format,
                    },
                    serde_json::Value::String(s),
                ) if super::is_plain_string(format.as_deref()) => {
                    quote!(::std::string::String::from(#s))
                }
                _ => return None,
            };
            let field = &f.ident;
            let body = if matches!(f.schema.kind, SchemaKind::String { .. }) {
                quote!(self.#field.clone().unwrap_or_else(|| #value))
            } else {
                quote!(self.#field.unwrap_or(#value))
            };
            let method = ident(&format!(
                "{}_or_default",
                field.to_string().trim_start_matches("r#")
            ));
            let doc = format!(
                " `{}`, or the schema's default `{default}` when absent.",
                f.wire
            );
            Some(quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #ty {
                    #body
                }
            })
        });
    quote!(#(#accessors)*)
}

/// A named scalar or array with constraints: a newtype whose constructor checks them.
pub(super) fn newtype(
    types: &mut TypeGen<'_>,
    name: &str,
    schema: &Schema,
    docs: TokenStream,
) -> TokenStream {
    let type_ident = ident(name);
    let inner = types.type_of(schema, &format!("{name} value"));
    let deprecated = deprecated_attr(schema);
    let body = optional(types, schema, &quote!(&self.0), &quote!(path));
    let validate = impl_validate(&type_ident, body);
    let address = matches!(
        schema.kind,
        SchemaKind::String { .. }
            | SchemaKind::Integer { .. }
            | SchemaKind::Number { .. }
            | SchemaKind::Boolean
    ) && !is_nullable(schema);
    let address_impl = address.then(|| {
        quote! {
            impl ::asyncapi_runtime::__private::AddressValue for #type_ident {
                const EXPECTED: &'static str = ::core::concat!("value of `", ::core::stringify!(#type_ident), "`");

                fn to_address_value(&self) -> ::std::borrow::Cow<'_, str> {
                    ::asyncapi_runtime::__private::AddressValue::to_address_value(&self.0)
                }

                fn from_address_value(text: &str) -> ::std::option::Option<Self> {
                    let value = Self(::asyncapi_runtime::__private::AddressValue::from_address_value(text)?);
                    ::asyncapi_runtime::__private::Validate::validate(&value).ok()?;
                    ::std::option::Option::Some(value)
                }
            }
        }
    });
    quote! {
        #docs
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::asyncapi_runtime::__private::serde::Serialize,
            ::asyncapi_runtime::__private::serde::Deserialize,
        )]
        #[serde(crate = "::asyncapi_runtime::__private::serde", transparent)]
        pub struct #type_ident(pub #inner);

        impl #type_ident {
            /// The value, checked against the schema's constraints.
            pub fn new(value: #inner) -> ::std::result::Result<Self, ::asyncapi_runtime::ValidationErrors> {
                let value = Self(value);
                ::asyncapi_runtime::__private::Validate::validate(&value)?;
                ::std::result::Result::Ok(value)
            }

            /// The value inside.
            pub fn into_inner(self) -> #inner {
                self.0
            }
        }

        impl ::std::ops::Deref for #type_ident {
            type Target = #inner;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        #validate
        #address_impl
    }
}
