//! Shared state while building the model: the document, `$ref` resolution, collected diagnostics.

use std::collections::HashMap;

use super::NamedSchema;
use super::schema::{Schema, SchemaKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::{Document, Node, Value};
use crate::loader::Sources;

/// How many `$ref` hops are followed before a chain is declared a cycle.
const MAX_REF_HOPS: usize = 64;

pub(crate) struct Context<'a> {
    pub sources: &'a Sources,
    /// The entry document.
    pub doc: &'a Document,
    diagnostics: Diagnostics,
    /// Valid constructs the generator cannot emit yet (see [`Context::unsupported`]).
    unsupported: Vec<Diagnostic>,
    /// Problems worth telling that neither invalidate the document nor stop generation.
    warnings: Vec<Diagnostic>,
    /// Examples and defaults that contradict their schemas (see [`Context::wrong_example`]).
    wrong_examples: Vec<Diagnostic>,
    /// Named schemas in the order they were first met (`None` while being read).
    named: Vec<(String, String, Option<Schema>)>,
    /// Key → index of its first entry in `named`.
    named_index: HashMap<String, usize>,
    /// Schema node → its key in `named`.
    named_keys: HashMap<*const Node, String>,
}

impl<'a> Context<'a> {
    pub fn new(sources: &'a Sources) -> Self {
        Context {
            sources,
            doc: sources.entry(),
            diagnostics: Diagnostics::default(),
            unsupported: Vec::new(),
            warnings: Vec::new(),
            wrong_examples: Vec::new(),
            named: Vec::new(),
            named_index: HashMap::new(),
            named_keys: HashMap::new(),
        }
    }

    /// The key under which the schema at `node` is registered, if it is.
    pub fn named_key(&self, node: &Node) -> Option<&str> {
        let key: *const Node = node;
        self.named_keys.get(&key).map(String::as_str)
    }

    /// Registers the schema at `node` under `key`, to be named `name`; defined later.
    pub fn register_named(&mut self, node: &Node, key: String, name: String) {
        let pointer: *const Node = node;
        self.named_keys.insert(pointer, key.clone());
        self.named_index
            .entry(key.clone())
            .or_insert(self.named.len());
        self.named.push((key, name, None));
    }

    /// Defines the named schema `key`.
    pub fn define_named(&mut self, key: &str, schema: Schema) {
        if let Some(&i) = self.named_index.get(key) {
            self.named[i].2 = Some(schema);
        }
    }

    /// Whether the named schema `key` has been read and defined.
    pub fn is_defined(&self, key: &str) -> bool {
        self.named_index
            .get(key)
            .is_some_and(|&i| self.named[i].2.is_some())
    }

    /// The keys of the named schemas defined so far.
    pub fn defined_keys(&self) -> impl Iterator<Item = &str> {
        self.named
            .iter()
            .filter(|(_, _, schema)| schema.is_some())
            .map(|(key, _, _)| key.as_str())
    }

    /// `schema`, or the definition it names (`None` while that is still being read).
    pub fn resolved(&self, schema: &Schema) -> Option<Schema> {
        let mut current = schema;
        for _ in 0..MAX_REF_HOPS {
            match &current.kind {
                SchemaKind::Named(key) => {
                    let &i = self.named_index.get(key)?;
                    current = self.named[i].2.as_ref()?;
                }
                _ => return Some(current.clone()),
            }
        }
        None
    }

    /// Every named schema read, in the order first met.
    pub fn take_named(&mut self) -> Vec<NamedSchema> {
        self.named_index.clear();
        std::mem::take(&mut self.named)
            .into_iter()
            .filter_map(|(key, name, schema)| {
                schema.map(|schema| NamedSchema { key, name, schema })
            })
            .collect()
    }

    /// Records a construct that is valid AsyncAPI but that the code generator cannot emit yet.
    /// Checking accepts the document; generating from it fails with these diagnostics.
    pub fn unsupported(&mut self, diagnostic: Diagnostic) {
        self.unsupported.push(diagnostic);
    }

    /// The unsupported constructs recorded so far, leaving none.
    pub fn take_unsupported(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.unsupported)
    }

    /// Records a problem that neither invalidates the document nor stops generation.
    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.warnings.push(diagnostic);
    }

    /// The warnings recorded so far, leaving none.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// Records an example (or a default) that contradicts its schema: documentation, so it never
    /// stops generation; the settings' [`crate::ExamplePolicy`] decides what the user sees. A
    /// schema read twice reports its examples once.
    pub fn wrong_example(&mut self, diagnostic: Diagnostic) {
        if !self.wrong_examples.contains(&diagnostic) {
            self.wrong_examples.push(diagnostic);
        }
    }

    /// The wrong examples recorded so far, leaving none.
    pub fn take_wrong_examples(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.wrong_examples)
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        self.diagnostics.into_result(value)
    }

    /// The target of a node's `$ref`, if it has one.
    pub fn ref_target(&mut self, node: &'a Node) -> Option<Result<&'a Node, ()>> {
        let reference = node.get("$ref")?;
        let Some(text) = reference.as_str() else {
            self.report(reference.error(format!(
                "`$ref` is {}; expected a string such as \"#/components/schemas/Name\"",
                reference.kind_name()
            )));
            return Some(Err(()));
        };
        let sources = self.sources;
        let Some(from) = sources.document_of(node) else {
            return Some(Err(()));
        };
        match sources.target(from, text) {
            Some(target) => Some(Ok(target)),
            None if sources.target_document(from, text).is_some() => {
                self.report(reference.error(format!(
                    "`$ref: {text}` points at nothing; expected a JSON pointer to an existing node"
                )));
                Some(Err(()))
            }
            // The referenced file failed to load; the loader has said why.
            None => Some(Err(())),
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

    /// The field `key` of `node`, else of the last of its `traits` that has one (a field written on
    /// the object itself wins over its traits).
    pub fn own_or_trait(&mut self, node: &'a Node, key: &str) -> Option<&'a Node> {
        if let Some(own) = node.get(key) {
            return Some(own);
        }
        let mut found = None;
        for t in node.get("traits").map(Node::items).unwrap_or_default() {
            if let Ok(t) = self.resolve(t) {
                found = t.get(key).or(found);
            }
        }
        found
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
