//! Synthetic AsyncAPI 3.0 documents of any size, for measuring how the generator (and the code it
//! generates) scales with the number of channels.
//!
//! Each channel looks like one of a real spec: an address (half of them with a parameter, some
//! inline and some through `components.parameters`), its own message in `components.messages`
//! with headers on some, a payload schema in `components.schemas` with a few typed fields, an
//! enum, a nested object and an array, and one `send` or `receive` operation. So the generated
//! code grows the way it does for real specs: one payload struct, one nested struct, one enum,
//! one message and one operation method per channel.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_text};

/// Nouns and verbs the channel names are made of, so names vary as they do in real specs.
const THINGS: [&str; 8] = [
    "order", "payment", "sensor", "device", "invoice", "shipment", "account", "session",
];
const EVENTS: [&str; 6] = [
    "created", "updated", "deleted", "measured", "approved", "expired",
];

/// The synthetic sizes every generator benchmark measures, in channels.
pub const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// The public corpus of real AsyncAPI documents, shared with the other test suites.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/public");

/// One document a generator benchmark runs on.
pub struct Input {
    /// `"synthetic"` or `"corpus"`.
    pub kind: &'static str,
    /// `synthetic-1000`, or the corpus file's path under [`CORPUS`].
    pub name: String,
    /// Where relative references resolve from (and how diagnostics name it).
    pub path: PathBuf,
    /// The document's text.
    pub text: String,
    /// Its channels, as the generator's model counts them.
    pub channels: usize,
}

/// A synthetic document of `channels` channels as an [`Input`].
pub fn synthetic_input(channels: usize) -> Input {
    Input {
        kind: "synthetic",
        name: format!("synthetic-{channels}"),
        path: PathBuf::from(format!("synthetic-{channels}.yaml")),
        text: spec(channels),
        channels,
    }
}

/// The `n` largest documents (by bytes) of the public corpus that the generator accepts, largest
/// first. Larger files the generator refuses (the AsyncAPI meta-schemas, which are not AsyncAPI
/// documents, and documents with constructs it does not support) are skipped.
pub fn largest_corpus_documents(n: usize) -> Vec<Input> {
    let root = Path::new(CORPUS);
    let mut files = Vec::new();
    documents(root, &mut files);
    assert!(!files.is_empty(), "the corpus was not found at {CORPUS}");
    let mut sized: Vec<(u64, PathBuf)> = files
        .into_iter()
        .filter_map(|f| Some((std::fs::metadata(&f).ok()?.len(), f)))
        .collect();
    sized.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut chosen = Vec::new();
    for (_, path) in sized {
        if chosen.len() == n {
            break;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if generate_text(&text, &path, &Settings::default()).is_err() {
            continue;
        }
        let Ok(api) = asyncapi_codegen::check_file(&path, &path, &Default::default()) else {
            continue;
        };
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        chosen.push(Input {
            kind: "corpus",
            name,
            path,
            text,
            channels: api.channels.len(),
        });
    }
    chosen
}

/// Every AsyncAPI-looking file (`.yaml`, `.yml`, `.json`) under `dir`.
fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            documents(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// An AsyncAPI 3.0 YAML document with `channels` channels (at least one), each with its own
/// message, payload schema and operation (see the module docs).
pub fn spec(channels: usize) -> String {
    // About 2 KB per channel.
    let mut out = String::with_capacity(512 + channels * 2048);
    out.push_str(
        "asyncapi: 3.0.0\n\
         info:\n  \
           title: Synthetic API\n  \
           version: 1.0.0\n  \
           description: A generated document for benchmarks.\n\
         defaultContentType: application/json\n\
         servers:\n  \
           production:\n    \
             host: broker.internal:1883\n    \
             protocol: mqtt\n    \
             description: The broker.\n",
    );

    out.push_str("channels:\n");
    for i in 0..channels {
        let (name, thing, event) = (channel(i), THINGS[i % 8], EVENTS[i % 6]);
        let _ = writeln!(out, "  {name}:");
        match i % 4 {
            // Parameter through components.parameters.
            0 => {
                let _ = writeln!(
                    out,
                    "    address: 'app/{thing}s/{{{thing}Id}}/{event}/{i}'\n    \
                     parameters:\n      \
                       {thing}Id:\n        \
                         $ref: '#/components/parameters/{thing}Id'"
                );
            }
            // Inline parameter with an enum.
            1 => {
                let _ = writeln!(
                    out,
                    "    address: 'app/{{region}}/{thing}s/{event}/{i}'\n    \
                     parameters:\n      \
                       region:\n        \
                         description: The region the {thing} belongs to.\n        \
                         enum: [eu, us, ap]"
                );
            }
            _ => {
                let _ = writeln!(out, "    address: 'app/{thing}s/{event}/{i}'");
            }
        }
        let _ = writeln!(
            out,
            "    description: The {thing} {event} events, stream {i}.\n    \
             messages:\n      \
               {name}:\n        \
                 $ref: '#/components/messages/{name}'"
        );
    }

    out.push_str("operations:\n");
    for i in 0..channels {
        let name = channel(i);
        let action = if i % 3 == 0 { "receive" } else { "send" };
        let verb = if i % 3 == 0 { "on" } else { "publish" };
        let _ = writeln!(
            out,
            "  {verb}{op}:\n    \
               action: {action}\n    \
               summary: {action} the {name} event.\n    \
               channel:\n      \
                 $ref: '#/channels/{name}'\n    \
               messages:\n      \
                 - $ref: '#/channels/{name}/messages/{name}'",
            op = upper_first(&name),
        );
    }

    out.push_str("components:\n  parameters:\n");
    for thing in THINGS {
        let _ = writeln!(
            out,
            "    {thing}Id:\n      \
               description: The id of the {thing}."
        );
    }

    out.push_str("  messages:\n");
    for i in 0..channels {
        let name = channel(i);
        let payload = upper_first(&name);
        let _ = writeln!(
            out,
            "    {name}:\n      \
               name: {name}\n      \
               title: {payload}\n      \
               summary: A {thing} was {event}.\n      \
               contentType: application/json",
            thing = THINGS[i % 8],
            event = EVENTS[i % 6],
        );
        if i % 5 == 0 {
            out.push_str(
                "      headers:\n        \
                   type: object\n        \
                   properties:\n          \
                     correlationId:\n            \
                       type: string\n          \
                     priority:\n            \
                       type: integer\n            \
                       minimum: 0\n            \
                       maximum: 9\n",
            );
        }
        let _ = writeln!(
            out,
            "      payload:\n        \
                 $ref: '#/components/schemas/{payload}Payload'"
        );
    }

    out.push_str("  schemas:\n");
    for i in 0..channels {
        let payload = upper_first(&channel(i));
        let thing = THINGS[i % 8];
        let _ = writeln!(
            out,
            "    {payload}Payload:\n      \
               type: object\n      \
               description: What a {thing} event carries.\n      \
               required: [id, status, sentAt]\n      \
               properties:\n        \
                 id:\n          \
                   type: string\n          \
                   description: The id of the {thing}.\n        \
                 count:\n          \
                   type: integer\n          \
                   format: int64\n          \
                   minimum: 0\n        \
                 ratio:\n          \
                   type: number\n          \
                   maximum: 1\n        \
                 active:\n          \
                   type: boolean\n        \
                 status:\n          \
                   type: string\n          \
                   enum: [pending, active, suspended, closed]\n        \
                 labels:\n          \
                   type: array\n          \
                   items:\n            \
                     type: string\n        \
                 location:\n          \
                   type: object\n          \
                   required: [lat, lon]\n          \
                   properties:\n            \
                     lat:\n              \
                       type: number\n            \
                     lon:\n              \
                       type: number\n            \
                     label:\n              \
                       type: string\n        \
                 sentAt:\n          \
                   type: string\n          \
                   format: date-time"
        );
    }
    out
}

/// The name of channel `i`, e.g. `orderCreated0`, `paymentUpdated1`.
fn channel(i: usize) -> String {
    format!("{}{}{i}", THINGS[i % 8], upper_first(EVENTS[i % 6]))
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use asyncapi_codegen::{Settings, generate_text};

    use super::{largest_corpus_documents, spec};

    #[test]
    fn the_generator_accepts_small_specs() {
        for channels in [1, 2, 7, 24, 60] {
            let text = spec(channels);
            let tokens = generate_text(&text, Path::new("synthetic.yaml"), &Settings::default())
                .unwrap_or_else(|e| panic!("{channels} channels: {e:?}\n{text}"));
            assert!(!tokens.is_empty());
        }
    }

    #[test]
    fn finds_the_largest_accepted_corpus_documents() {
        let chosen = largest_corpus_documents(4);
        assert_eq!(chosen.len(), 4);
        for input in &chosen {
            println!(
                "{} {} bytes, {} channels",
                input.name,
                input.text.len(),
                input.channels
            );
        }
        assert!(
            chosen
                .windows(2)
                .all(|w| w[0].text.len() >= w[1].text.len())
        );
    }

    #[test]
    fn grows_linearly_in_text() {
        let (small, big) = (spec(10).len(), spec(100).len());
        assert!(big > 9 * small && big < 11 * small, "{small} {big}");
    }
}
