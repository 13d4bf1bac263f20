//! `asyncapi`: the generator's checks from the command line.
//!
//! ```text
//! asyncapi check [--url-vendor DIR] FILE...
//! ```
//!
//! Exit status: 0 when every document is valid, 1 when one is not, 2 on usage or I/O errors.

mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use asyncapi_codegen::loader::LoadOptions;

const USAGE: &str = "usage: asyncapi check [--url-vendor DIR] FILE...

Checks AsyncAPI 2.0-2.6 and 3.0 documents (YAML or JSON) and every file they reference.
  --url-vendor DIR   read http(s) references from DIR/<host>/<path> (nothing is fetched)
Exit status: 0 valid, 1 invalid, 2 usage or I/O error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("asyncapi {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => usage_error("expected a command"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn check(args: &[String]) -> ExitCode {
    let mut options = LoadOptions::default();
    let mut files = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url-vendor" => match args.next() {
                Some(dir) => options.url_vendor = Some(PathBuf::from(dir)),
                None => return usage_error("--url-vendor needs a folder"),
            },
            flag if flag.starts_with("--url-vendor=") => {
                options.url_vendor = Some(PathBuf::from(&flag["--url-vendor=".len()..]));
            }
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"));
            }
            file => files.push(PathBuf::from(file)),
        }
    }
    if files.is_empty() {
        return usage_error("expected at least one FILE");
    }
    let mut invalid = false;
    for file in &files {
        if let Err(e) = std::fs::metadata(file) {
            eprintln!("error: cannot read `{}`: {e}", file.display());
            return ExitCode::from(2);
        }
        match asyncapi_codegen::check_file(file, file, &options) {
            Ok(api) => {
                // Valid, but not everything in it can be generated yet: say so, without failing.
                for d in &api.unsupported {
                    eprintln!("{}", report::render_as("warning", d));
                }
                match api.unsupported.len() {
                    0 => println!("{}: ok", file.display()),
                    n => println!(
                        "{}: ok (valid; {n} construct{} the code generator does not handle yet)",
                        file.display(),
                        if n == 1 { "" } else { "s" }
                    ),
                }
            }
            Err(diagnostics) => {
                invalid = true;
                for d in diagnostics.iter() {
                    eprintln!("{}", report::render(d));
                }
                eprintln!(
                    "{}: {} error{}",
                    file.display(),
                    diagnostics.0.len(),
                    if diagnostics.0.len() == 1 { "" } else { "s" }
                );
            }
        }
    }
    if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
