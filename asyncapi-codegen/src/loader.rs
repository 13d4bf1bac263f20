//! Loads a spec and every file its `$ref`s reach, before the model is built.
//!
//! Loading everything up front keeps the rest of the generator simple: the model builder resolves
//! references against an immutable set of parsed documents. Relative references resolve against the
//! file that contains them; `http(s)` references resolve only through a local mirror folder laid out
//! as `<host>/<path>` (nothing is fetched at compile time).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, unescape_pointer_token};
use crate::document::{self, Document, Node, Value};

/// Where to look for things outside the spec file itself.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The local mirror of `http(s)` references: `<dir>/<host>/<path>`.
    pub url_vendor: Option<PathBuf>,
}

/// Every document of one spec: the entry document first, then each referenced file once.
#[derive(Debug)]
pub struct Sources {
    docs: Vec<Document>,
    /// Display path → index in `docs`.
    by_display: HashMap<Arc<Path>, usize>,
    /// `host/path` of a vendored URL → index in `docs`.
    by_url: HashMap<String, usize>,
    /// Absolute paths of every file read, in reading order.
    files: Vec<PathBuf>,
    /// Problems met while following references (unreadable or unparsable files, URLs without a
    /// local copy). They do not stop loading: the model reports them with everything else.
    problems: Diagnostics,
    /// Key → entry index of every large mapping (by node address), so that resolving a `$ref`
    /// into `components.schemas` of a spec with thousands of schemas does not scan them all.
    /// Built once loading is done; nodes do not move after that, since `Sources` is immutable.
    large_maps: HashMap<usize, HashMap<String, usize>>,
}

/// Mappings with at least this many entries are indexed (see [`Sources::large_maps`]).
const INDEXED_MAP_LEN: usize = 16;

impl Sources {
    /// The entry document.
    pub fn entry(&self) -> &Document {
        &self.docs[0]
    }

    /// Every document: the entry document first, then each referenced file once.
    pub(crate) fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// Every file read, as absolute paths.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Problems met while following references.
    pub fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    /// The document a node belongs to.
    pub fn document_of(&self, node: &Node) -> Option<&Document> {
        self.by_display
            .get(&node.location.file)
            .map(|&i| &self.docs[i])
    }

    /// Whether `node` is in the entry document.
    pub fn in_entry(&self, node: &Node) -> bool {
        self.by_display.get(&node.location.file) == Some(&0)
    }

    /// The node a `$ref` string written in `from` points at; `None` when it points at nothing or at
    /// a file that failed to load (which the loader has reported).
    pub fn target<'s>(&'s self, from: &'s Document, reference: &'s str) -> Option<&'s Node> {
        let (doc, fragment) = self.target_document(from, reference)?;
        self.pointer(&doc.root, &percent_decode(fragment))
    }

    /// [`Node::pointer`] from `root`, faster when `root` is a node of these sources (through the
    /// index of their large mappings).
    pub(crate) fn pointer<'s>(&'s self, root: &'s Node, pointer: &str) -> Option<&'s Node> {
        if pointer.is_empty() {
            return Some(root);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = root;
        for raw in rest.split('/') {
            let token = unescape_pointer_token(raw);
            node = match &node.value {
                Value::Map(entries) => match self.large_maps.get(&address(node)) {
                    Some(index) => &entries[*index.get(&token)?].1,
                    None => node.get(&token)?,
                },
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Indexes every large mapping of every document (see [`Sources::large_maps`]).
    fn index_large_maps(&mut self) {
        fn visit(node: &Node, out: &mut HashMap<usize, HashMap<String, usize>>) {
            match &node.value {
                Value::Map(entries) => {
                    if entries.len() >= INDEXED_MAP_LEN {
                        let mut index = HashMap::with_capacity(entries.len());
                        for (i, (key, _)) in entries.iter().enumerate() {
                            // The first of duplicate keys wins, as in `Node::get`.
                            index.entry(key.clone()).or_insert(i);
                        }
                        out.insert(address(node), index);
                    }
                    for (_, value) in entries {
                        visit(value, out);
                    }
                }
                Value::Seq(items) => {
                    for item in items {
                        visit(item, out);
                    }
                }
                _ => {}
            }
        }
        let mut large_maps = HashMap::new();
        for doc in &self.docs {
            visit(&doc.root, &mut large_maps);
        }
        self.large_maps = large_maps;
    }

    /// The document a `$ref` names (`from` itself for a local reference) and the fragment within
    /// it; `None` when that file was not loaded.
    pub(crate) fn target_document<'s>(
        &'s self,
        from: &'s Document,
        reference: &'s str,
    ) -> Option<(&'s Document, &'s str)> {
        match Ref::parse(reference) {
            Ref::Local(fragment) => Some((from, fragment)),
            Ref::File(path, fragment) => {
                Some((self.get(&relative_to(&from.path, path))?, fragment))
            }
            Ref::Url(url, fragment) => {
                let index = *self.by_url.get(&url_tail(url)?)?;
                Some((&self.docs[index], fragment))
            }
        }
    }

    fn get(&self, display: &Path) -> Option<&Document> {
        self.by_display.get(display).map(|&i| &self.docs[i])
    }
}

/// A node's address, the key of [`Sources::large_maps`].
fn address(node: &Node) -> usize {
    std::ptr::from_ref(node) as usize
}

/// The three kinds of `$ref`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ref<'r> {
    /// `#/pointer` within the same file.
    Local(&'r str),
    /// `path/to/file.yaml#/pointer`, relative to the referring file.
    File(&'r str, &'r str),
    /// `https://host/path#/pointer`.
    Url(&'r str, &'r str),
}

impl<'r> Ref<'r> {
    pub(crate) fn parse(text: &'r str) -> Ref<'r> {
        let (base, fragment) = text.split_once('#').unwrap_or((text, ""));
        if base.is_empty() {
            Ref::Local(fragment)
        } else if base.starts_with("http://") || base.starts_with("https://") {
            Ref::Url(base, fragment)
        } else {
            Ref::File(base, fragment)
        }
    }
}

/// `host/path` of an http(s) URL, the layout of the vendor folder.
fn url_tail(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?']).next()?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.rsplit('@').next()?.split(':').next()?;
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("{host}/{path}"))
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

/// `reference` resolved against the folder of `file`, without touching the file system.
fn relative_to(file: &Path, reference: &str) -> PathBuf {
    normalize(&file.parent().unwrap_or(Path::new("")).join(reference))
}

/// Removes `.` and folds `..` into its parent where there is one (lexically).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Loads `path` (opened as given, named `display` in diagnostics) and everything it references.
pub fn load(path: &Path, display: &Path, options: &LoadOptions) -> Result<Sources, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(
            Location::start_of(display),
            "",
            format!("cannot read the spec file `{}`: {e}", path.display()),
        )
    })?;
    load_text(&text, path, display, options)
}

/// Like [`load`], with the entry document's text already in hand; `path` is where its relative
/// references are resolved from.
pub fn load_text(
    text: &str,
    path: &Path,
    display: &Path,
    options: &LoadOptions,
) -> Result<Sources, Diagnostics> {
    let mut loader = Loader {
        options,
        sources: Sources {
            docs: Vec::new(),
            by_display: HashMap::new(),
            by_url: HashMap::new(),
            files: Vec::new(),
            problems: Diagnostics::default(),
            large_maps: HashMap::new(),
        },
        diagnostics: Diagnostics::default(),
    };
    let doc = document::parse(text, &normalize(display))?;
    loader.add(doc, path.to_path_buf());
    let mut next = 0;
    while next < loader.sources.docs.len() {
        loader.follow_refs(next);
        next += 1;
    }
    let Loader {
        mut sources,
        diagnostics,
        ..
    } = loader;
    sources.problems = diagnostics;
    sources.index_large_maps();
    Ok(sources)
}

struct Loader<'o> {
    options: &'o LoadOptions,
    sources: Sources,
    diagnostics: Diagnostics,
}

impl Loader<'_> {
    fn add(&mut self, doc: Document, absolute: PathBuf) {
        let index = self.sources.docs.len();
        self.sources.by_display.insert(doc.path.clone(), index);
        self.sources.files.push(absolute);
        self.sources.docs.push(doc);
    }

    /// Loads every file that document `index` references and is not loaded yet.
    fn follow_refs(&mut self, index: usize) {
        let mut refs = Vec::new();
        collect_refs(&self.sources.docs[index].root, &mut refs);
        let display = self.sources.docs[index].path.clone();
        let absolute = self.sources.files[index].clone();
        for at in refs {
            let text = at.text.clone();
            match Ref::parse(&text) {
                Ref::Local(_) => {}
                Ref::File(path, _) => {
                    let target_display = relative_to(&display, path);
                    let target_absolute = relative_to(&absolute, path);
                    self.read(&at, target_absolute, target_display);
                }
                Ref::Url(url, _) => self.url(&at, url),
            }
        }
    }

    fn url(&mut self, node: &RefAt, url: &str) {
        let Some(tail) = url_tail(url) else {
            self.diagnostics.push(node.error(format!(
                "`$ref: {url}` is not an http(s) URL with a host and a path"
            )));
            return;
        };
        let Some(vendor) = &self.options.url_vendor else {
            self.diagnostics.push(node.error(format!(
                "`$ref: {url}` points at a URL, and nothing is fetched at compile time; save the \
                 file as `<dir>/{tail}` and name the folder with `url_vendor = \"<dir>\"` (macro) or \
                 `--url-vendor <dir>` (CLI)"
            )));
            return;
        };
        if self.sources.by_url.contains_key(&tail) {
            return;
        }
        let path = vendor.join(&tail);
        if !path.is_file() {
            self.diagnostics.push(node.error(format!(
                "`$ref: {url}` has no local copy: expected the file `{}` in the URL vendor folder",
                path.display()
            )));
            return;
        }
        if let Some(index) = self.read(node, path.clone(), normalize(&path)) {
            self.sources.by_url.insert(tail, index);
        }
    }

    /// Reads and parses a referenced file once; its index in `docs`, or `None` after a report.
    fn read(&mut self, at: &RefAt, absolute: PathBuf, display: PathBuf) -> Option<usize> {
        if let Some(&index) = self.sources.by_display.get(display.as_path()) {
            return Some(index);
        }
        match std::fs::read_to_string(&absolute) {
            Ok(text) => match document::parse(&text, &display) {
                Ok(doc) => {
                    self.add(doc, absolute);
                    Some(self.sources.docs.len() - 1)
                }
                Err(d) => {
                    self.diagnostics.push(d);
                    None
                }
            },
            Err(e) => {
                self.diagnostics.push(at.error(format!(
                    "`$ref: {}` cannot be read from `{}`: {e}",
                    at.text,
                    absolute.display()
                )));
                None
            }
        }
    }
}

/// A `$ref` string and where it is written.
struct RefAt {
    text: String,
    location: Location,
    pointer: String,
}

impl RefAt {
    fn error(&self, message: String) -> Diagnostic {
        Diagnostic::new(self.location.clone(), self.pointer.clone(), message)
    }
}

/// Every `$ref` string in a tree.
fn collect_refs(node: &Node, out: &mut Vec<RefAt>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                match (key.as_str(), &value.value) {
                    ("$ref", Value::String(text)) => out.push(RefAt {
                        text: text.clone(),
                        location: value.location.clone(),
                        pointer: value.pointer.clone(),
                    }),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_kinds() {
        assert_eq!(Ref::parse("#/a/b"), Ref::Local("/a/b"));
        assert_eq!(Ref::parse("x.yaml"), Ref::File("x.yaml", ""));
        assert_eq!(Ref::parse("../x.yaml#/a"), Ref::File("../x.yaml", "/a"));
        assert_eq!(
            Ref::parse("https://h.example/p.avsc"),
            Ref::Url("https://h.example/p.avsc", "")
        );
    }

    #[test]
    fn url_layout() {
        assert_eq!(
            url_tail("https://h.example/a/b.avsc").as_deref(),
            Some("h.example/a/b.avsc")
        );
        assert_eq!(
            url_tail("http://u@h.example:8080/a?x=1").as_deref(),
            Some("h.example/a")
        );
        assert_eq!(url_tail("https://h.example"), None);
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            relative_to(
                Path::new("specs/a/api.yaml"),
                "../common/m.yaml#x".split('#').next().unwrap()
            ),
            PathBuf::from("specs/common/m.yaml")
        );
        assert_eq!(
            relative_to(Path::new("api.yaml"), "./s.yaml"),
            PathBuf::from("s.yaml")
        );
        assert_eq!(
            relative_to(Path::new("api.yaml"), "../s.yaml"),
            PathBuf::from("../s.yaml")
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b/c%7Bd%7D"), "/a b/c{d}");
        assert_eq!(percent_decode("/bad%zz"), "/bad%zz");
        assert_eq!(percent_decode("/end%2"), "/end%2");
        assert_eq!(percent_decode("/é%é"), "/é%é");
    }
}
