//! The `asyncapi!` and `#[spec]` macros. All the work happens in `asyncapi-codegen`; this crate
//! parses the arguments, resolves the spec path, turns diagnostics into `compile_error!`s and makes
//! cargo rebuild the user's crate when a spec file changes.
//!
//! Use them through `asyncapi_runtime`, which re-exports both.

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Diagnostic, Diagnostics, ExamplePolicy, Role, Settings};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

/// Generates the types and traits of an AsyncAPI document into the current module.
///
/// ```ignore
/// asyncapi_runtime::asyncapi!("specs/streetlights.yaml");
/// asyncapi_runtime::asyncapi!("specs/streetlights.yaml", role = "mirror");
/// ```
///
/// A relative path is resolved against the invoking crate's `CARGO_MANIFEST_DIR`. Options:
/// - `role = "application"` (default: the application the spec describes) or `role = "mirror"`
///   (the other side: sends become receives and receives become sends);
/// - `url_vendor = "dir"`: where `http(s)` references are read from, laid out as
///   `dir/<host>/<path>` (relative to `CARGO_MANIFEST_DIR`); nothing is fetched at compile time;
/// - `type_override = "Name = path::to::Type"` (repeatable): use your own type for the schema
///   `Name` of `components.schemas` instead of generating one, as `x-rust-type` does in the spec;
/// - `examples = "warn"` (default), `"deny"` or `"allow"`: what an example or default that
///   contradicts its schema does. It never stops generation by default: each one is a compiler
///   warning at the path literal naming the place in the spec, the example and the field.
///   `"deny"` makes them errors; `"allow"` silences them (for a spec you cannot fix in a crate
///   built with `deny(warnings)`).
#[proc_macro]
pub fn asyncapi(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    expand(&args).unwrap_or_else(|e| e).into()
}

/// Fills the annotated inline module with the types and traits of an AsyncAPI document, keeping
/// the items already written in it. Takes the same arguments as `asyncapi!`.
///
/// ```ignore
/// #[asyncapi_runtime::spec("specs/streetlights.yaml")]
/// pub mod streetlights {}
/// ```
#[proc_macro_attribute]
pub fn spec(
    attr: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    let args = match syn::parse::<Args>(attr) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    let module = match syn::parse::<syn::ItemMod>(item) {
        Ok(module) => module,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "`#[spec]` goes on an inline module, e.g. `#[spec(\"api.yaml\")] pub mod api {}`",
            )
            .to_compile_error()
            .into();
        }
    };
    let Some((_, existing)) = &module.content else {
        return syn::Error::new_spanned(
            &module,
            "`#[spec]` needs an inline module body: write `mod name {}` instead of `mod name;`",
        )
        .to_compile_error()
        .into();
    };
    let generated = expand(&args).unwrap_or_else(|e| e);
    let syn::ItemMod {
        attrs,
        vis,
        unsafety,
        mod_token,
        ident,
        ..
    } = &module;
    quote! {
        #(#attrs)*
        #vis #unsafety #mod_token #ident {
            #(#existing)*
            #generated
        }
    }
    .into()
}

/// The macro arguments: a path literal, then `key = "value"` options.
struct Args {
    path: LitStr,
    options: Vec<(Ident, LitStr)>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(
                "expected the path of an AsyncAPI document, e.g. `asyncapi!(\"specs/api.yaml\")`",
            ));
        }
        let path: LitStr = input.parse()?;
        let mut options = Vec::new();
        if input.parse::<Option<Token![,]>>()?.is_some() {
            let rest = Punctuated::<Opt, Token![,]>::parse_terminated(input)?;
            options.extend(rest.into_iter().map(|o| (o.key, o.value)));
        }
        Ok(Args { path, options })
    }
}

struct Opt {
    key: Ident,
    value: LitStr,
}

impl Parse for Opt {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Opt { key, value })
    }
}

fn settings(args: &Args) -> Result<Settings, TokenStream> {
    let mut settings = Settings::default();
    for (key, value) in &args.options {
        match key.to_string().as_str() {
            "url_vendor" => {
                settings.url_vendor = Some(resolve(&value.value(), value.span())?);
            }
            "role" => {
                settings.role = Role::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new(
                        value.span(),
                        format!(
                            "unknown role `{}`; expected \"application\" or \"mirror\"",
                            value.value()
                        ),
                    )
                    .to_compile_error()
                })?;
            }
            "type_override" => {
                let text = value.value();
                let parsed = text.split_once('=').and_then(|(name, path)| {
                    let (name, path) = (name.trim(), path.trim());
                    let valid = !name.is_empty() && syn::parse_str::<syn::Type>(path).is_ok();
                    valid.then(|| (name.to_owned(), path.to_owned()))
                });
                let Some((name, path)) = parsed else {
                    return Err(syn::Error::new(
                        value.span(),
                        format!(
                            "`type_override = \"{text}\"` is not `\"SchemaName = path::to::Type\"`"
                        ),
                    )
                    .to_compile_error());
                };
                settings.type_overrides.insert(name, path);
            }
            "examples" => {
                settings.examples = ExamplePolicy::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new(
                        value.span(),
                        format!(
                            "unknown examples policy `{}`; expected \"warn\", \"deny\" or \"allow\"",
                            value.value()
                        ),
                    )
                    .to_compile_error()
                })?;
            }
            list @ ("include" | "exclude") => {
                let ids: Vec<String> = value
                    .value()
                    .split(',')
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty())
                    .collect();
                if ids.is_empty() {
                    return Err(syn::Error::new(
                        value.span(),
                        format!("`{list}` names no operation; expected `\"opId, otherOpId\"`"),
                    )
                    .to_compile_error());
                }
                if list == "include" {
                    settings.include.extend(ids);
                } else {
                    settings.exclude.extend(ids);
                }
            }
            other => {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{other}`; expected `role`, `include`, `exclude`, \
                         `examples`, `url_vendor` or `type_override`"
                    ),
                )
                .to_compile_error());
            }
        }
    }
    Ok(settings)
}

/// The generated items, or `compile_error!`s naming every problem.
fn expand(args: &Args) -> Result<TokenStream, TokenStream> {
    let settings = settings(args)?;
    let given = PathBuf::from(args.path.value());
    let span = args.path.span();
    let path = resolve(&args.path.value(), span)?;
    let generated = asyncapi_codegen::generate_file(&path, &given, &settings)
        .map_err(|diagnostics| diagnostics_to_errors(&diagnostics, span))?;
    let tracked = generated.files.iter().filter_map(|f| f.to_str()).map(|f| {
        quote! { const _: &[u8] = include_bytes!(#f); }
    });
    let tokens = generated.tokens;
    let warnings = warnings_at(&generated.warnings, span);
    Ok(quote! {
        #(#tracked)*
        #warnings
        #tokens
    })
}

/// One compiler warning per wrong example, at the path literal. Stable Rust has no warning API
/// for proc macros, so each is a used `#[deprecated]` item (proc-macro-warning's technique and
/// code); rustc prints its note as `warning: use of deprecated constant`, and `deny(warnings)` or
/// `deny(deprecated)` in the user's crate turns it into an error. They sit in an anonymous
/// `const`, so nothing is added to the user's namespace.
fn warnings_at(diagnostics: &[Diagnostic], span: Span) -> TokenStream {
    if diagnostics.is_empty() {
        return TokenStream::new();
    }
    let warnings = diagnostics.iter().enumerate().map(|(index, d)| {
        let note = format!(
            "{d}\nexamples and defaults are documentation: the code is generated anyway \
             (`examples = \"deny\"` makes this an error, `examples = \"allow\"` silences it)"
        );
        proc_macro_warning::FormattedWarning::new_deprecated(
            format!("asyncapi_wrong_example_{index}"),
            note,
            span,
        )
    });
    quote! {
        const _: () = {
            #(#warnings)*
        };
    }
}

/// A path from the macro's arguments: relative to the invoking crate's manifest folder, or absolute.
fn resolve(given: &str, span: Span) -> Result<PathBuf, TokenStream> {
    let given = Path::new(given);
    if given.is_absolute() {
        return Ok(given.to_path_buf());
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Ok(Path::new(&dir).join(given)),
        None => Err(error_at(
            span,
            "CARGO_MANIFEST_DIR is not set, so a relative path cannot be resolved; build with cargo \
             or give an absolute path",
        )),
    }
}

fn error_at(span: Span, message: &str) -> TokenStream {
    quote_spanned! {span=> ::core::compile_error!(#message); }
}

fn diagnostics_to_errors(diagnostics: &Diagnostics, span: Span) -> TokenStream {
    diagnostics
        .iter()
        .map(|d| error_at(span, &d.to_string()))
        .collect()
}
