//! `asyncapi`: the generator from the command line.
//!
//! ```text
//! asyncapi check [--url-vendor DIR] [--examples warn|deny|allow] FILE...
//! asyncapi expand [--role application|mirror] [--include OP]... [--exclude OP]...
//!                 [--type-override NAME=PATH]... [--url-vendor DIR]
//!                 [--examples warn|deny|allow] [-o FILE] FILE
//! ```
//!
//! `check` reports what is wrong with each document, compiler-style, without generating anything.
//! `expand` prints the Rust code the generator makes from one document (what the macro splices
//! in), formatted; its options are the generator's settings.
//!
//! Options take their value as `--name VALUE` or `--name=VALUE`. Exit status: 0 on success (every
//! document valid), 1 when a document is not valid, 2 on usage or I/O errors. Examples (and
//! defaults) that contradict their schemas are warnings unless `--examples deny` makes them
//! errors (`allow`: not reported).

mod args;
mod expand;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use asyncapi_codegen::ExamplePolicy;
use asyncapi_codegen::loader::LoadOptions;

use args::{Arg, Args};

const USAGE: &str = "usage: asyncapi check [--url-vendor DIR] [--examples warn|deny|allow] FILE...
       asyncapi expand [OPTIONS] FILE

check   Checks AsyncAPI 2.0-2.6 and 3.0 documents (YAML or JSON) and every file they reference.
expand  Prints the Rust code generated from FILE, formatted.

Options:
  --url-vendor DIR           read http(s) references from DIR/<host>/<path> (nothing is fetched)
  --examples warn|deny|allow examples and defaults that contradict their schemas: warnings (the
                             default), errors (exit status 1), or not reported
expand only:
  --role application|mirror  generate the application the spec describes (the default), or its
                             other side: every send becomes a receive and every receive a send
  --include OP[,OP...]       generate only these operations (by id; repeatable)
  --exclude OP[,OP...]       leave these operations out (by id; repeatable)
  --type-override NAME=PATH  use the Rust type PATH for the schema NAME (repeatable)
  -o, --output FILE          write the code to FILE instead of stdout
Options take their value as `--name VALUE` or `--name=VALUE`.

Exit status: 0 success, 1 invalid document (or a wrong example under --examples deny),
2 usage or I/O error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("expand") => expand::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("asyncapi {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("expected a command"),
    }
}

/// Prints `message` and the usage text; exit status 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// True when `file` can be read; otherwise says so on stderr (the caller exits with status 2).
fn readable(file: &Path) -> bool {
    match std::fs::metadata(file) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", file.display());
            false
        }
    }
}

fn check(args: &[String]) -> ExitCode {
    let mut options = LoadOptions::default();
    let mut examples = ExamplePolicy::default();
    let mut files = Vec::new();
    let mut args = Args::new(args);
    while let Some(arg) = args.next() {
        match arg {
            Arg::Option {
                name: name @ "--url-vendor",
                inline,
            } => match args.value(name, inline, "a folder") {
                Ok(dir) => options.url_vendor = Some(PathBuf::from(dir)),
                Err(message) => return usage_error(&message),
            },
            Arg::Option {
                name: name @ "--examples",
                inline,
            } => match args.value(name, inline, "`warn`, `deny` or `allow`") {
                Ok(value) => match example_policy(value) {
                    Ok(policy) => examples = policy,
                    Err(message) => return usage_error(&message),
                },
                Err(message) => return usage_error(&message),
            },
            Arg::Option { name, .. } => return usage_error(&format!("unknown option `{name}`")),
            Arg::Operand(file) => files.push(PathBuf::from(file)),
        }
    }
    if files.is_empty() {
        return usage_error("expected at least one FILE");
    }
    let mut invalid = false;
    for file in &files {
        if !readable(file) {
            return ExitCode::from(2);
        }
        match asyncapi_codegen::check_file(file, file, &options) {
            Ok(api) if examples == ExamplePolicy::Deny && !api.wrong_examples.is_empty() => {
                // `--examples deny`: the wrong examples are this document's errors.
                invalid = true;
                for d in api.unsupported.iter().chain(&api.warnings) {
                    eprintln!("{}", report::render_as("warning", d));
                }
                report::print_errors(file, &asyncapi_codegen::Diagnostics(api.wrong_examples));
            }
            Ok(api) => {
                let wrong_examples = match examples {
                    ExamplePolicy::Warn => api.wrong_examples.as_slice(),
                    _ => &[],
                };
                // Valid, but not everything in it can be generated yet: say so, without failing.
                for d in api
                    .unsupported
                    .iter()
                    .chain(&api.warnings)
                    .chain(wrong_examples)
                {
                    eprintln!("{}", report::render_as("warning", d));
                }
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                let mut notes = Vec::new();
                if let n @ 1.. = api.unsupported.len() {
                    notes.push(format!(
                        "{n} construct{} the code generator does not handle yet",
                        plural(n)
                    ));
                }
                if let n @ 1.. = wrong_examples.len() {
                    notes.push(format!(
                        "{n} example{} or default{} contradicting the schema",
                        plural(n),
                        plural(n)
                    ));
                }
                if let n @ 1.. = api.warnings.len() {
                    notes.push(format!("{n} warning{}", plural(n)));
                }
                if notes.is_empty() {
                    println!("{}: ok", file.display());
                } else {
                    println!("{}: ok (valid; {})", file.display(), notes.join("; "));
                }
            }
            Err(diagnostics) => {
                invalid = true;
                report::print_errors(file, &diagnostics);
            }
        }
    }
    if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--examples VALUE` (both commands).
pub(crate) fn example_policy(value: &str) -> Result<ExamplePolicy, String> {
    ExamplePolicy::parse(value).ok_or_else(|| {
        format!("unknown examples policy `{value}` (expected `warn`, `deny` or `allow`)")
    })
}
