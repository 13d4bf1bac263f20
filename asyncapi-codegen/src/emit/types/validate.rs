//! The checks behind generated `validate()` methods: one call into the runtime's
//! `__private::check` per constraint, then the values' own `Validate` impls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::TypeGen;
use crate::model::{Constraints, Schema, SchemaKind};

/// Human-readable constraints, for doc comments.
pub(crate) fn describe(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = c.minimum {
        out.push(format!(
            "{} {}",
            if b.exclusive {
                "greater than"
            } else {
                "at least"
            },
            b.value
        ));
    }
    if let Some(b) = c.maximum {
        out.push(format!(
            "{} {}",
            if b.exclusive { "less than" } else { "at most" },
            b.value
        ));
    }
    if let Some(m) = c.multiple_of {
        out.push(format!("a multiple of {m}"));
    }
    if let Some(n) = c.min_length {
        out.push(format!("at least {n} characters"));
    }
    if let Some(n) = c.max_length {
        out.push(format!("at most {n} characters"));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("matches `{p}`"));
    }
    if let Some(n) = c.min_items {
        out.push(format!("at least {n} items"));
    }
    if let Some(n) = c.max_items {
        out.push(format!("at most {n} items"));
    }
    if c.unique_items {
        out.push("items unique".to_owned());
    }
    if let Some(n) = c.min_properties {
        out.push(format!("at least {n} properties"));
    }
    if let Some(n) = c.max_properties {
        out.push(format!("at most {n} properties"));
    }
    out
}

fn check() -> TokenStream {
    quote!(::asyncapi_runtime::__private::check)
}

fn float(value: f64) -> Option<Literal> {
    value.is_finite().then(|| Literal::f64_suffixed(value))
}

/// Checks of `schema`'s constraints on `v` (an expression of type `&T`, `T` the value type),
/// then `v`'s own `Validate` impl when its type has one that can fail; `path` is an expression
/// of type `&Path`. Empty when there is nothing to check.
pub(crate) fn checks(
    types: &TypeGen<'_>,
    schema: &Schema,
    v: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let c = &schema.constraints;
    let check = check();
    let mut out = Vec::new();
    if !types.generated(schema) {
        // The user's own type: nothing is known about it.
        return TokenStream::new();
    }
    match &schema.kind {
        SchemaKind::Integer { .. } | SchemaKind::Number { .. } => {
            for (bound, function) in [(c.minimum, quote!(minimum)), (c.maximum, quote!(maximum))] {
                if let Some(b) = bound
                    && let Some(value) = float(b.value)
                {
                    let exclusive = b.exclusive;
                    out.push(quote!(#check::#function(#path, errors, *#v, #value, #exclusive);));
                }
            }
            if let Some(m) = c.multiple_of.filter(|m| *m > 0.0).and_then(float) {
                out.push(quote!(#check::multiple_of(#path, errors, *#v, #m);));
            }
        }
        SchemaKind::String {
            variants: None,
            format,
        } if super::is_plain_string(format.as_deref()) => {
            if let Some(n) = c.min_length {
                out.push(quote!(#check::min_length(#path, errors, #v, #n);));
            }
            if let Some(n) = c.max_length {
                out.push(quote!(#check::max_length(#path, errors, #v, #n);));
            }
            if let Some(p) = &c.pattern {
                out.push(quote! {
                    static PATTERN: ::asyncapi_runtime::__private::Pattern =
                        ::asyncapi_runtime::__private::Pattern::new(#p);
                    #check::pattern(#path, errors, #v, &PATTERN);
                });
            }
        }
        SchemaKind::Array(item) => {
            out.extend(item_counts(c, v, path));
            if c.unique_items {
                out.push(quote!(#check::unique_items(#path, errors, #v);));
            }
            let item_v = quote!(item);
            let item_path = quote!(item_path);
            let inner = optional(types, item, &item_v, &item_path);
            if !inner.is_empty() {
                out.push(quote! {
                    for (index, item) in #v.iter().enumerate() {
                        let item_path = &#path.index(index);
                        #inner
                    }
                });
            }
        }
        SchemaKind::Map(value) => {
            out.extend(property_counts(c, &quote!(#v.len()), path));
            let value_v = quote!(entry);
            let value_path = quote!(value_path);
            let inner = optional(types, value, &value_v, &value_path);
            if !inner.is_empty() {
                out.push(quote! {
                    for (key, entry) in #v.iter() {
                        let value_path = &#path.key(key);
                        #inner
                    }
                });
            }
        }
        SchemaKind::Tuple(items) => {
            for (index, item) in items.iter().enumerate() {
                let position = syn::Index::from(index);
                let item_v = quote!(&#v.#position);
                let item_path = quote!(item_path);
                let inner = optional(types, item, &item_v, &item_path);
                if !inner.is_empty() {
                    out.push(quote! {
                        {
                            let item_path = &#path.index(#index);
                            #inner
                        }
                    });
                }
            }
        }
        SchemaKind::Named(_)
        | SchemaKind::Object(_)
        | SchemaKind::OneOf(_)
        | SchemaKind::AnyOf(_) => {
            out.push(
                quote!(::asyncapi_runtime::__private::Validate::validate_at(#v, #path, errors);),
            );
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// [`checks`] on `v`, a reference to a value of `schema`'s type: an `Option` when the schema is
/// nullable. `v` must not be the identifier `value`, which this binds.
pub(crate) fn optional(
    types: &TypeGen<'_>,
    schema: &Schema,
    v: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let inner = checks(types, schema, &quote!(value), path);
    if inner.is_empty() {
        return inner;
    }
    if super::is_nullable(schema) {
        quote! {
            if let ::std::option::Option::Some(value) = #v {
                #inner
            }
        }
    } else {
        quote! {
            {
                let value = #v;
                #inner
            }
        }
    }
}

fn item_counts(c: &Constraints, v: &TokenStream, path: &TokenStream) -> Vec<TokenStream> {
    let check = check();
    let mut out = Vec::new();
    if let Some(n) = c.min_items {
        out.push(quote!(#check::min_items(#path, errors, #v.len(), #n);));
    }
    if let Some(n) = c.max_items {
        out.push(quote!(#check::max_items(#path, errors, #v.len(), #n);));
    }
    out
}

/// `minProperties` / `maxProperties` against `count`, an expression of type `usize`.
pub(crate) fn property_counts(
    c: &Constraints,
    count: &TokenStream,
    path: &TokenStream,
) -> Vec<TokenStream> {
    let check = check();
    let mut out = Vec::new();
    if let Some(n) = c.min_properties {
        out.push(quote!(#check::min_properties(#path, errors, #count, #n);));
    }
    if let Some(n) = c.max_properties {
        out.push(quote!(#check::max_properties(#path, errors, #count, #n);));
    }
    out
}

/// A `Validate` impl for `name` with `body` (which uses `path` and `errors`).
pub(crate) fn impl_validate(name: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    let (path, errors) = if body.is_empty() {
        (quote!(_path), quote!(_errors))
    } else {
        (quote!(path), quote!(errors))
    };
    quote! {
        #[allow(deprecated)]
        impl ::asyncapi_runtime::__private::Validate for #name {
            #[allow(clippy::only_used_in_recursion)]
            fn validate_at(
                &self,
                #path: &::asyncapi_runtime::__private::Path<'_>,
                #errors: &mut ::std::vec::Vec<::asyncapi_runtime::__private::ValidationError>,
            ) {
                #body
            }
        }
    }
}
