//! Schemas → Rust types: structs for objects, enums for string enumerations, aliases for the rest.
//!
//! Written here rather than delegated to typify because generated code must reach serde through
//! `::asyncapi_runtime::__private` (so users add one dependency) and typify emits `::serde` paths;
//! see `docs/DESIGN.md` for the plan to revisit this when the schema coverage grows.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use crate::model::{Api, Schema, SchemaKind};
use crate::naming::{Scope, ident, type_name};

/// Collects the type definitions of one API.
pub(crate) struct TypeGen<'s> {
    scope: &'s mut Scope,
    /// `components.schemas` key → Rust type name.
    named: BTreeMap<String, String>,
    items: Vec<TokenStream>,
}

impl<'s> TypeGen<'s> {
    /// Reserves a name for every named schema, so references resolve before definitions.
    pub fn new(api: &Api, scope: &'s mut Scope) -> Self {
        let named = api
            .schemas
            .iter()
            .map(|s| {
                let name = scope.claim(&type_name(&s.name, "Schema"));
                (s.name.clone(), name)
            })
            .collect();
        TypeGen {
            scope,
            named,
            items: Vec::new(),
        }
    }

    /// Emits every named schema.
    pub fn define_named(&mut self, api: &Api) {
        for s in &api.schemas {
            let name = self.named[&s.name].clone();
            self.define(&name, &s.schema);
        }
    }

    /// Claims a unique top-level type name.
    pub fn claim_type(&mut self, name: &str) -> String {
        self.scope.claim(name)
    }

    /// The definitions emitted so far.
    pub fn into_items(self) -> Vec<TokenStream> {
        self.items
    }

    /// The Rust type for `schema`; inline objects and enums are defined under a name built from
    /// `hint` (their place in the spec).
    pub fn type_of(&mut self, schema: &Schema, hint: &str) -> TokenStream {
        let ty = self.type_of_value(schema, hint);
        if schema.nullable && !matches!(schema.kind, SchemaKind::Null | SchemaKind::Any) {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    }

    fn type_of_value(&mut self, schema: &Schema, hint: &str) -> TokenStream {
        match &schema.kind {
            SchemaKind::Named(name) => {
                let name = ident(&self.named[name]);
                quote!(#name)
            }
            SchemaKind::Object { .. }
            | SchemaKind::String {
                variants: Some(_), ..
            } => {
                let name = self.scope.claim(&type_name(hint, "Inline"));
                self.define(&name, schema);
                let name = ident(&name);
                quote!(#name)
            }
            SchemaKind::String { .. } => quote!(::std::string::String),
            SchemaKind::Integer { format } => match format.as_deref() {
                Some("int32") => quote!(i32),
                _ => quote!(i64),
            },
            SchemaKind::Number { format } => match format.as_deref() {
                Some("float") => quote!(f32),
                _ => quote!(f64),
            },
            SchemaKind::Boolean => quote!(bool),
            SchemaKind::Array(item) => {
                let item = self.type_of(item, &format!("{hint} item"));
                quote!(::std::vec::Vec<#item>)
            }
            SchemaKind::Map(value) => {
                let value = self.type_of(value, &format!("{hint} value"));
                quote!(::std::collections::BTreeMap<::std::string::String, #value>)
            }
            SchemaKind::Null => quote!(()),
            // The model records these as unsupported, and generation stops before emitting.
            SchemaKind::Any
            | SchemaKind::OneOf(_)
            | SchemaKind::AnyOf(_)
            | SchemaKind::AllOf(_)
            | SchemaKind::Not(_)
            | SchemaKind::Recursive(_)
            | SchemaKind::Foreign { .. } => {
                quote!(::asyncapi_runtime::__private::serde_json::Value)
            }
        }
    }

    /// Defines the type `name` for `schema`.
    fn define(&mut self, name: &str, schema: &Schema) {
        let docs = doc_attrs(
            &[schema.title.as_deref(), schema.description.as_deref()],
            &format!("`{name}`, generated from the AsyncAPI document."),
        );
        let type_ident = ident(name);
        let item = match &schema.kind {
            SchemaKind::Object { properties } => {
                let mut fields = Scope::default();
                let defs: Vec<TokenStream> = properties
                    .iter()
                    .map(|p| {
                        let field = fields.claim_field(&p.name, "field");
                        let ty = self.type_of(&p.schema, &format!("{name} {}", p.name));
                        let wire = &p.name;
                        let docs = doc_attrs(
                            &[p.schema.title.as_deref(), p.schema.description.as_deref()],
                            &format!("The `{wire}` property."),
                        );
                        if p.required {
                            quote! {
                                #docs
                                #[serde(rename = #wire)]
                                pub #field: #ty,
                            }
                        } else {
                            quote! {
                                #docs
                                #[serde(
                                    rename = #wire,
                                    default,
                                    skip_serializing_if = "::std::option::Option::is_none"
                                )]
                                pub #field: ::std::option::Option<#ty>,
                            }
                        }
                    })
                    .collect();
                quote! {
                    #docs
                    #[derive(
                        ::std::fmt::Debug,
                        ::std::clone::Clone,
                        ::std::cmp::PartialEq,
                        ::asyncapi_runtime::__private::serde::Serialize,
                        ::asyncapi_runtime::__private::serde::Deserialize,
                    )]
                    #[serde(crate = "::asyncapi_runtime::__private::serde")]
                    pub struct #type_ident {
                        #(#defs)*
                    }
                }
            }
            SchemaKind::String {
                variants: Some(variants),
                ..
            } => string_enum(&type_ident, docs, variants),
            _ => {
                let ty = self.type_of(schema, name);
                quote! {
                    #docs
                    pub type #type_ident = #ty;
                }
            }
        };
        self.items.push(item);
    }
}

fn string_enum(
    type_ident: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[String],
) -> TokenStream {
    let mut scope = Scope::default();
    let idents: Vec<_> = variants
        .iter()
        .map(|v| ident(&scope.claim(&type_name(v, "Empty"))))
        .collect();
    let variant_docs: Vec<String> = variants.iter().map(|v| format!(" `{v}`")).collect();
    quote! {
        #docs
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
        pub enum #type_ident {
            #(
                #[doc = #variant_docs]
                #[serde(rename = #variants)]
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
