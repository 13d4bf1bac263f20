//! Diagnostics rendered like a compiler's: the message, the place, the source line and a caret.

use std::path::Path;

use asyncapi_codegen::{Diagnostic, Diagnostics};

/// One diagnostic as a block of text. The source line is read from the file the diagnostic names;
/// when it cannot be read the excerpt is left out.
pub fn render(d: &Diagnostic) -> String {
    render_as("error", d)
}

/// Renders `d` with `severity` ("error", "warning") as its heading.
pub fn render_as(severity: &str, d: &Diagnostic) -> String {
    let location = &d.location;
    let mut out = format!("{severity}: {}\n  --> {location}\n", d.message);
    let line_text = std::fs::read_to_string(&*location.file)
        .ok()
        .and_then(|text| {
            text.lines()
                .nth(location.line.saturating_sub(1))
                .map(str::to_owned)
        });
    let number = location.line.to_string();
    let gutter = " ".repeat(number.len());
    if let Some(line_text) = line_text {
        let caret_at: String = line_text
            .chars()
            .take(location.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!(
            "{gutter} |\n{number} | {line_text}\n{gutter} | {caret_at}^\n"
        ));
    }
    let pointer = if d.pointer.is_empty() { "" } else { &d.pointer };
    out.push_str(&format!("{gutter} = at #{pointer}\n"));
    out
}

/// Prints every diagnostic of `file` to stderr, each as [`render`] makes it, then their count.
pub fn print_errors(file: &Path, diagnostics: &Diagnostics) {
    for d in diagnostics.iter() {
        eprintln!("{}", render(d));
    }
    let count = diagnostics.0.len();
    eprintln!(
        "{}: {count} error{}",
        file.display(),
        if count == 1 { "" } else { "s" }
    );
}
