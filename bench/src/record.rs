//! One measurement, one JSON line.
//!
//! Every benchmark of this crate (and the peers' benchmarks beside it) appends its figures to the
//! file named by `ASYNCAPI_BENCH_OUT` as JSON lines, one object per measurement; `bench/charts.py`
//! reads them all. Without the variable, records are printed to stdout.

use std::io::Write;

use serde::Serialize;

/// Appends `record` as one JSON line to `$ASYNCAPI_BENCH_OUT` (stdout when unset).
pub fn write<T: Serialize>(record: &T) {
    let line = serde_json::to_string(record).expect("a benchmark record serializes");
    match std::env::var_os("ASYNCAPI_BENCH_OUT") {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.to_string_lossy()));
            writeln!(file, "{line}").expect("a benchmark record is written");
        }
        None => println!("{line}"),
    }
}
