//! Doc comments for generated items, built from a spec's titles, summaries and descriptions.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` lines from the non-empty parts, separated by blank doc lines; `fallback` when
/// every part is empty, so that every generated public item is documented.
pub fn doc_attrs(parts: &[Option<&str>], fallback: &str) -> TokenStream {
    let mut paragraphs: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.dedup();
    if paragraphs.is_empty() {
        paragraphs.push(fallback);
    }
    let mut lines = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|l| format!(" {l}")));
    }
    quote! { #( #[doc = #lines] )* }
}
