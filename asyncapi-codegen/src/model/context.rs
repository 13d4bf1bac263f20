//! Shared state while building the model: the document, `$ref` resolution, collected diagnostics.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::{Document, Node, Value};

/// How many `$ref` hops are followed before a chain is declared a cycle.
const MAX_REF_HOPS: usize = 64;

pub(crate) struct Context<'a> {
    pub doc: &'a Document,
    diagnostics: Diagnostics,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Context {
            doc,
            diagnostics: Diagnostics::default(),
        }
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        self.diagnostics.into_result(value)
    }

    /// The target of a node's `$ref`, if it has one (local references only for now).
    pub fn ref_target(&mut self, node: &'a Node) -> Option<Result<&'a Node, ()>> {
        let reference = node.get("$ref")?;
        let Some(text) = reference.as_str() else {
            self.report(reference.error(format!(
                "`$ref` is {}; expected a string such as \"#/components/schemas/Name\"",
                reference.kind_name()
            )));
            return Some(Err(()));
        };
        let Some(fragment) = text.strip_prefix('#') else {
            self.report(reference.error(format!(
                "`$ref: {text}` points into another file; only references within the same \
                 document (starting with `#`) are supported so far"
            )));
            return Some(Err(()));
        };
        let decoded = percent_decode(fragment);
        match self.doc.root.pointer(&decoded) {
            Some(target) => Some(Ok(target)),
            None => {
                self.report(reference.error(format!(
                    "`$ref: {text}` points at nothing; expected a JSON pointer to an existing node"
                )));
                Some(Err(()))
            }
        }
    }

    /// Follows `$ref` chains until a node without one. Reports broken and cyclic chains.
    pub fn resolve(&mut self, node: &'a Node) -> Result<&'a Node, ()> {
        let mut current = node;
        for _ in 0..MAX_REF_HOPS {
            match self.ref_target(current) {
                None => return Ok(current),
                Some(Ok(next)) => current = next,
                Some(Err(())) => return Err(()),
            }
        }
        self.report(node.error(
            "this `$ref` chain never reaches content (it is a cycle); expected it to end at a definition",
        ));
        Err(())
    }

    /// An optional string field; anything but a string is reported.
    pub fn opt_str(&mut self, node: &Node, key: &str) -> Option<String> {
        let field = node.get(key)?;
        match &field.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.report(field.error(format!(
                    "`{key}` is {}; expected a string",
                    field.kind_name()
                )));
                None
            }
        }
    }

    /// A mapping field, or `None` when absent; anything but a mapping is reported.
    pub fn opt_map(&mut self, node: &'a Node, key: &str) -> Option<&'a Node> {
        let field = node.get(key)?;
        if field.is_map() {
            Some(field)
        } else {
            self.report(field.error(format!(
                "`{key}` is {}; expected a mapping",
                field.kind_name()
            )));
            None
        }
    }
}

/// Decodes `%XX` escapes in a URI fragment; malformed escapes are kept as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b/c%7Bd%7D"), "/a b/c{d}");
        assert_eq!(percent_decode("/bad%zz"), "/bad%zz");
        assert_eq!(percent_decode("/end%2"), "/end%2");
        assert_eq!(percent_decode("/é%é"), "/é%é");
    }
}
