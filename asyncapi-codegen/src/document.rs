//! Parsed spec files: a small JSON-like tree in which every node remembers where it came from.
//!
//! YAML and JSON are both read with `saphyr` (JSON is YAML 1.2 for our purposes), so one parser gives
//! line and column for every node whatever the file format.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use saphyr::{MarkedYamlOwned, ScalarOwned, YamlDataOwned, YamlLoader};
use saphyr_parser::{Event, Marker, Parser, ScanError, SpannedEventReceiver};

use crate::diagnostic::{Diagnostic, Location, escape_pointer_token, unescape_pointer_token};

/// A node of a loaded document.
#[derive(Clone, Debug)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// Where the node starts.
    pub location: Location,
    /// JSON pointer of the node within its file.
    pub pointer: String,
}

/// The content of a [`Node`]. Mappings keep their source order.
#[derive(Clone, Debug)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string (quoted or plain).
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping; keys are turned into strings (`1` and `"1"` are the same key, as in JSON).
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The entry `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a mapping node; empty for anything else.
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence node; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The string of a string node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the node's kind, for messages ("found a sequence").
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }

    /// A diagnostic pointing at this node.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.location.clone(), self.pointer.clone(), message)
    }

    /// True for mapping nodes.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// Follows a JSON pointer (`/a/b~1c`, already percent-decoded) from this node.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = self;
        for raw in rest.split('/') {
            let token = unescape_pointer_token(raw);
            node = match &node.value {
                Value::Map(_) => node.get(&token)?,
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// One parsed file.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path as given (for messages).
    pub path: Arc<Path>,
    /// The root node.
    pub root: Node,
}

/// Parses `text` (YAML or JSON) read from `path`.
pub fn parse(text: &str, path: &Path) -> Result<Document, Diagnostic> {
    let file: Arc<Path> = Arc::from(path);
    let mut docs = load(text).map_err(|(m, message)| {
        Diagnostic::new(
            Location {
                file: file.clone(),
                line: m.line(),
                column: m.col() + 1,
            },
            "",
            message,
        )
    })?;
    let root = match docs.len() {
        0 => {
            return Err(Diagnostic::new(
                Location::start_of(path),
                "",
                "the file is empty; expected an AsyncAPI document",
            ));
        }
        1 => docs.remove(0),
        n => {
            return Err(Diagnostic::new(
                Location::start_of(path),
                "",
                format!("the file holds {n} YAML documents; expected exactly one"),
            ));
        }
    };
    let root = convert(root, &file, "")?;
    Ok(Document { path: file, root })
}

/// Deepest nesting of mappings and sequences a file may have (aliases counted as what they
/// repeat). The loader, the model and the emitter walk the tree recursively.
pub const MAX_NESTING: usize = 128;

/// What saphyr's `MarkedYamlOwned::load_from_str` does, but bounded: saphyr's `Parser::load`
/// recurses once per level, and it bounds flow nesting (`[[[`) but not block nesting (`- - - x`
/// nests a sequence per dash) nor aliases (an anchored deep node repeated inside another), so a
/// deep file overflowed the stack. Here the parser's events are read one by one (its iterator
/// does not recurse) and loading stops past [`MAX_NESTING`]. An error is its place and message.
fn load(text: &str) -> Result<Vec<MarkedYamlOwned>, (Marker, String)> {
    let invalid = |e: &ScanError| {
        (
            *e.marker(),
            format!("the file is not valid YAML or JSON: {}", e.info()),
        )
    };
    let mut loader = YamlLoader::<MarkedYamlOwned>::default();
    // Open collections: anchor id (0: none) and the deepest level reached inside.
    let mut open: Vec<(usize, usize)> = Vec::new();
    // Anchor id → levels the anchored collection adds where an alias repeats it.
    let mut heights: HashMap<usize, usize> = HashMap::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| invalid(&e))?;
        let reach = match &event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((*anchor, open.len() + 1));
                open.len()
            }
            Event::Alias(id) => open.len() + heights.get(id).copied().unwrap_or(0),
            _ => open.len(),
        };
        if reach > MAX_NESTING {
            return Err((
                span.start,
                format!(
                    "mappings and sequences are nested more than {MAX_NESTING} levels deep \
                     here (aliases counted as what they repeat); expected a shallower document"
                ),
            ));
        }
        if let Some(last) = open.last_mut() {
            last.1 = last.1.max(reach);
        }
        if matches!(event, Event::SequenceEnd | Event::MappingEnd)
            && let Some((anchor, deepest)) = open.pop()
        {
            if anchor != 0 {
                heights.insert(anchor, deepest - open.len());
            }
            if let Some(parent) = open.last_mut() {
                parent.1 = parent.1.max(deepest);
            }
        }
        loader.on_event(event, span);
    }
    if let Some(e) = loader.error() {
        return Err(invalid(e));
    }
    Ok(loader.into_documents())
}

fn convert(node: MarkedYamlOwned, file: &Arc<Path>, pointer: &str) -> Result<Node, Diagnostic> {
    let location = Location {
        file: file.clone(),
        line: node.span.start.line().max(1),
        column: node.span.start.col() + 1,
    };
    let value = match node.data {
        YamlDataOwned::Value(scalar) => scalar_value(scalar),
        YamlDataOwned::Representation(text, _, _) => Value::String(text),
        YamlDataOwned::Sequence(items) => Value::Seq(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| convert(item, file, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        YamlDataOwned::Mapping(map) => {
            let mut keyed = Vec::with_capacity(map.len());
            for (key, value) in map {
                let key_text = match key.data {
                    YamlDataOwned::Value(scalar) => scalar_key(scalar),
                    YamlDataOwned::Representation(text, _, _) => Some(text),
                    _ => None,
                };
                let Some(key_text) = key_text else {
                    return Err(Diagnostic::new(
                        location,
                        pointer,
                        "a mapping key is not a scalar; expected a string key",
                    ));
                };
                keyed.push((key_text, value));
            }
            let merges = is_yaml(file) && keyed.iter().any(|(k, _)| k == MERGE_KEY);
            let explicit: Vec<String> = keyed
                .iter()
                .filter(|(k, _)| !merges || k != MERGE_KEY)
                .map(|(k, _)| k.clone())
                .collect();
            let mut entries: Vec<(String, Node)> = Vec::with_capacity(keyed.len());
            for (key_text, value) in keyed {
                if merges && key_text == MERGE_KEY {
                    // YAML merge keys (`<<: *defaults`), which hand-written specs use and the
                    // reference parser's YAML reader applies: the merged mappings' entries join
                    // this one where `<<` stands, keys written here winning, then earlier
                    // mappings of a list over later ones.
                    for (key, node) in merged_entries(value, file, pointer)? {
                        let taken =
                            explicit.contains(&key) || entries.iter().any(|(k, _)| *k == key);
                        if !taken {
                            entries.push((key, node));
                        }
                    }
                    continue;
                }
                let child = format!("{pointer}/{}", escape_pointer_token(&key_text));
                entries.push((key_text, convert(value, file, &child)?));
            }
            Value::Map(entries)
        }
        YamlDataOwned::Tagged(_, inner) => return convert(*inner, file, pointer),
        YamlDataOwned::Alias(_) | YamlDataOwned::BadValue => {
            return Err(Diagnostic::new(
                location,
                pointer,
                "this value cannot be read: it carries a YAML tag outside the JSON schema \
                 (`!!str`, `!!int`, ...) or is an alias to no anchor; expected plain YAML",
            ));
        }
    };
    Ok(Node {
        value,
        location,
        pointer: pointer.to_owned(),
    })
}

/// The YAML merge key.
const MERGE_KEY: &str = "<<";

/// Whether a file is read as YAML proper (merge keys apply) rather than JSON.
fn is_yaml(file: &Path) -> bool {
    !file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The entries a merge key's value brings: one mapping, or a list of mappings.
fn merged_entries(
    value: MarkedYamlOwned,
    file: &Arc<Path>,
    pointer: &str,
) -> Result<Vec<(String, Node)>, Diagnostic> {
    let sources = match value.data {
        YamlDataOwned::Sequence(items) => items,
        _ => vec![value],
    };
    let mut out: Vec<(String, Node)> = Vec::new();
    for source in sources {
        let node = convert(source, file, pointer)?;
        let kind = node.kind_name();
        match node.value {
            Value::Map(entries) => {
                for (key, item) in entries {
                    if !out.iter().any(|(k, _)| *k == key) {
                        out.push((key, item));
                    }
                }
            }
            _ => {
                return Err(Diagnostic::new(
                    node.location,
                    format!("{pointer}/{}", escape_pointer_token(MERGE_KEY)),
                    format!(
                        "the YAML merge key `<<` is given {}; expected a mapping or a list of \
                         mappings (usually an alias such as `*defaults`)",
                        kind
                    ),
                ));
            }
        }
    }
    Ok(out)
}

fn scalar_value(scalar: ScalarOwned) -> Value {
    match scalar {
        ScalarOwned::Null => Value::Null,
        ScalarOwned::Boolean(b) => Value::Bool(b),
        ScalarOwned::Integer(i) => Value::Int(i),
        ScalarOwned::FloatingPoint(f) => Value::Float(f.into_inner()),
        ScalarOwned::String(s) => Value::String(s),
    }
}

fn scalar_key(scalar: ScalarOwned) -> Option<String> {
    Some(match scalar {
        ScalarOwned::Null => "null".to_owned(),
        ScalarOwned::Boolean(b) => b.to_string(),
        ScalarOwned::Integer(i) => i.to_string(),
        ScalarOwned::FloatingPoint(f) => f.into_inner().to_string(),
        ScalarOwned::String(s) => s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_merge_keys_are_applied() {
        let text = "base: &base {a: 1, b: 2}\nother: &other {b: 3, c: 4}\none:\n  <<: *base\n  b: 9\nmany:\n  <<: [*other, *base]\n";
        let doc = parse(text, Path::new("x.yaml")).unwrap();
        let one = doc.root.get("one").unwrap();
        let keys: Vec<&str> = one.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert!(
            matches!(one.get("b").unwrap().value, Value::Int(9)),
            "written wins"
        );
        assert_eq!(one.get("a").unwrap().pointer, "/one/a");
        let many = doc.root.get("many").unwrap();
        assert!(
            matches!(many.get("b").unwrap().value, Value::Int(3)),
            "earlier wins"
        );
        assert!(matches!(many.get("a").unwrap().value, Value::Int(1)));
        let bad = parse("x:\n  <<: 3\n", Path::new("x.yaml")).unwrap_err();
        assert!(bad.message.contains("merge key"), "{bad}");
        assert_eq!(bad.pointer, "/x/<<");
        // In JSON, `<<` is an ordinary key.
        let json = parse(r#"{"x": {"<<": {"a": 1}}}"#, Path::new("x.json")).unwrap();
        assert!(json.root.get("x").unwrap().get("<<").is_some());
    }

    #[test]
    fn keeps_line_and_column_of_every_node() {
        let doc = parse("a:\n  b: [1, two]\n  c: {d: true}\n", Path::new("x.yaml")).unwrap();
        let b = doc.root.pointer("/a/b").unwrap();
        assert_eq!((b.location.line, b.location.column), (2, 6));
        let two = doc.root.pointer("/a/b/1").unwrap();
        assert_eq!(two.as_str(), Some("two"));
        assert_eq!((two.location.line, two.location.column), (2, 10));
        let d = doc.root.pointer("/a/c/d").unwrap();
        assert!(matches!(d.value, Value::Bool(true)));
        assert_eq!((d.location.line, d.location.column), (3, 10));
    }

    #[test]
    fn reads_json_with_locations() {
        let doc = parse("{\n  \"a/b\": {\"c\": 1.5}\n}", Path::new("x.json")).unwrap();
        let c = doc.root.pointer("/a~1b/c").unwrap();
        assert!(matches!(c.value, Value::Float(f) if f == 1.5));
        assert_eq!(c.location.line, 2);
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("a: [1, 2\nb: 3\n", Path::new("bad.yaml")).unwrap_err();
        assert_eq!(&*err.location.file, Path::new("bad.yaml"));
        assert!(err.location.line >= 1);
        assert!(err.message.contains("not valid YAML"), "{err}");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = parse("a: 1\na: 2\n", Path::new("dup.yaml")).unwrap_err();
        assert!(err.message.contains("duplicated key"), "{err}");
        assert_eq!(err.location.line, 2);
    }

    #[test]
    fn empty_files_are_rejected() {
        assert!(parse("", Path::new("e.yaml")).is_err());
    }
}
