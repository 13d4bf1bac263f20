//! Every message example of every entry document in `../shared/corpus/public` deserializes into
//! its generated type and serializes back to equal JSON (numbers compared by value).

use std::path::Path;

use asyncapi_codegen::loader::LoadOptions;
use asyncapi_roundtrip::Case;
use asyncapi_roundtrip::corpus::{DOCUMENTS, NOT_GENERATED, SKIPPED};

/// Whether checking the document already reports this example as contradicting its own schema
/// (a wrong example: the official 3.0 kraken examples are, with a `status` and a `depth` outside
/// their enums). Such an example must fail to deserialize: the type enforces the schema.
fn reported_as_wrong(case: &Case) -> bool {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(api) = asyncapi_codegen::check_file(
        &corpus.join(case.document),
        Path::new(case.document),
        &LoadOptions::default(),
    ) else {
        return false;
    };
    api.wrong_examples.iter().any(|d| {
        if case.part == "schema" {
            // A named schema's own example: `schema example #N` at `.../<name>/examples/<N-1>`.
            let index = case.example.trim_start_matches('#').parse::<usize>();
            index.is_ok_and(|n| {
                d.message
                    .starts_with(&format!("schema example {} does not match", case.example))
                    && d.pointer
                        .ends_with(&format!("/{}/examples/{}", case.message, n - 1))
            })
        } else {
            let label = if case.example.starts_with('#') {
                case.example.to_owned()
            } else {
                format!("`{}`", case.example)
            };
            d.message.starts_with(&format!(
                "message example {label}: its {} does not match",
                case.part
            ))
        }
    })
}

#[test]
fn every_public_message_example_round_trips() {
    let mut passed = 0;
    let mut messages = 0;
    let mut failures = Vec::new();
    let mut contradicting = 0;
    for (_, cases) in DOCUMENTS {
        for case in cases() {
            match &case.outcome {
                Ok(()) => {
                    passed += 1;
                    if case.part != "schema" {
                        messages += 1;
                        println!(
                            "ok: {} message `{}` example `{}` ({})",
                            case.document, case.message, case.example, case.part
                        );
                    }
                }
                Err(why) if reported_as_wrong(&case) => {
                    contradicting += 1;
                    println!(
                        "rejected as the check says: {} message `{}` example `{}`: {why}",
                        case.document, case.message, case.example
                    );
                }
                Err(why) => failures.push(format!(
                    "{} message `{}` example `{}` ({}): {why}",
                    case.document, case.message, case.example, case.part
                )),
            }
        }
    }
    println!(
        "{passed} examples round-tripped ({messages} message payloads or headers, the rest schema \
         examples) in {} documents; {contradicting} examples that contradict their own schema \
         rejected; {} documents not generated, {} messages skipped",
        DOCUMENTS.len(),
        NOT_GENERATED.len(),
        SKIPPED.len()
    );
    for (doc, why) in NOT_GENERATED {
        println!("not generated: {doc}: {why}");
    }
    for (doc, message, why) in SKIPPED {
        println!("skipped: {doc} message `{message}`: {why}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The corpus holds 24 message examples (27 payload or headers parts), 4 of them the kraken
    // ones that contradict their schemas; fewer would mean examples stopped reaching the model.
    assert!(messages >= 23, "only {messages} message examples checked");
    assert_eq!(contradicting, 4);
}
