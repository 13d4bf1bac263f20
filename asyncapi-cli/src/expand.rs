//! `asyncapi expand`: the Rust code the generator makes from one spec, formatted with
//! prettyplease. The options map onto [`Settings`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use asyncapi_codegen::{Role, Settings};

use crate::args::{Arg, Args};
use crate::report;

/// What the command line asked for.
struct Options {
    file: PathBuf,
    settings: Settings,
    /// Where to write the code; stdout when `None`.
    output: Option<PathBuf>,
}

/// Runs `asyncapi expand` with the arguments after the command name.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => return crate::usage_error(&message),
    };
    let file = &options.file;
    if !crate::readable(file) {
        return ExitCode::from(2);
    }
    let generated = match asyncapi_codegen::generate_file(file, file, &options.settings) {
        Ok(generated) => {
            // Generated anyway; under `--examples deny` they were errors above.
            for d in &generated.warnings {
                eprintln!("{}", report::render_as("warning", d));
            }
            generated
        }
        Err(diagnostics) => {
            report::print_errors(file, &diagnostics);
            return ExitCode::from(1);
        }
    };
    let code = match syn::parse2::<syn::File>(generated.tokens) {
        Ok(code) => prettyplease::unparse(&code),
        Err(e) => {
            eprintln!(
                "error: the code generated from `{}` does not parse as Rust (a generator bug): {e}",
                file.display()
            );
            return ExitCode::from(1);
        }
    };
    let written = match &options.output {
        Some(path) => std::fs::write(path, &code).map_err(|e| (path.display().to_string(), e)),
        None => std::io::stdout()
            .lock()
            .write_all(code.as_bytes())
            .map_err(|e| ("stdout".to_owned(), e)),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // The reader stopped early (`asyncapi expand FILE | head`): nothing left to say.
        Err((_, e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err((target, e)) => {
            eprintln!("error: cannot write `{target}`: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads the options and the one FILE; `Err` is the message for a usage error.
fn parse(args: &[String]) -> Result<Options, String> {
    let mut settings = Settings::default();
    let mut output = None;
    let mut files = Vec::new();
    let mut args = Args::new(args);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg {
            Arg::Option { name, inline } => (name, inline),
            Arg::Operand(file) => {
                files.push(PathBuf::from(file));
                continue;
            }
        };
        match name {
            "--role" => {
                let role = args.value(name, inline, "`application` or `mirror`")?;
                settings.role = Role::parse(role).ok_or_else(|| {
                    format!("unknown role `{role}` (expected `application` or `mirror`)")
                })?;
            }
            "--include" => settings.include.extend(operation_ids(
                name,
                args.value(name, inline, "operation ids")?,
            )?),
            "--exclude" => settings.exclude.extend(operation_ids(
                name,
                args.value(name, inline, "operation ids")?,
            )?),
            "--type-override" => {
                let (schema, path) =
                    type_override(args.value(name, inline, "`Name=path::Type`")?)?;
                settings.type_overrides.insert(schema, path);
            }
            "--examples" => {
                settings.examples = crate::example_policy(args.value(
                    name,
                    inline,
                    "`warn`, `deny` or `allow`",
                )?)?;
            }
            "--url-vendor" => {
                settings.url_vendor = Some(absolute(args.value(name, inline, "a folder")?)?);
            }
            "-o" | "--output" => output = Some(PathBuf::from(args.value(name, inline, "a file")?)),
            _ => return Err(format!("unknown option `{name}`")),
        }
    }
    match <[PathBuf; 1]>::try_from(files) {
        Ok([file]) => Ok(Options {
            file,
            settings,
            output,
        }),
        Err(files) if files.is_empty() => Err("expected a FILE".to_owned()),
        Err(_) => Err("`expand` takes one FILE".to_owned()),
    }
}

/// The operation ids in one `--include`/`--exclude` value: comma-separated, spaces trimmed.
fn operation_ids(option: &str, value: &str) -> Result<Vec<String>, String> {
    let ids: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    if ids.is_empty() {
        return Err(format!("{option} needs operation ids, got `{value}`"));
    }
    Ok(ids)
}

/// `Name=path::Type` → (`Name`, `path::Type`), spaces around either trimmed.
fn type_override(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((schema, path)) if !schema.trim().is_empty() && !path.trim().is_empty() => {
            Ok((schema.trim().to_owned(), path.trim().to_owned()))
        }
        _ => Err(format!(
            "--type-override expects `Name=path::Type`, got `{value}`"
        )),
    }
}

/// `dir` as an absolute path: resolved on disk when it exists, else joined to the current folder.
fn absolute(dir: &str) -> Result<PathBuf, String> {
    let dir = Path::new(dir);
    std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .map_err(|e| format!("cannot resolve `{}`: {e}", dir.display()))
}
