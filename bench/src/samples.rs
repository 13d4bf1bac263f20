//! Criterion's samples, kept so a benchmark can write its own record of them.
//!
//! Criterion calls an `iter_custom` closure during warm-up too; the last `n` values pushed under
//! an id are its samples. [`median`] is the one median every benchmark of this crate reports.

use std::sync::Mutex;

/// Values per benchmark id, in the order they were pushed.
pub struct Samples(Mutex<Vec<(String, Vec<f64>)>>);

impl Samples {
    /// An empty store, usable in a `static`.
    pub const fn new() -> Self {
        Samples(Mutex::new(Vec::new()))
    }

    /// Adds `value` to the values of `id`.
    pub fn push(&self, id: &str, value: f64) {
        let mut all = self.0.lock().unwrap();
        match all.iter_mut().find(|(k, _)| k == id) {
            Some((_, v)) => v.push(value),
            None => all.push((id.to_owned(), vec![value])),
        }
    }

    /// The median of the last `n` values of `id`, and how many there were.
    pub fn median_of_last(&self, id: &str, n: usize) -> Option<(f64, usize)> {
        let all = self.0.lock().unwrap();
        let (_, v) = all.iter().find(|(k, _)| k == id)?;
        let mut last = v[v.len().saturating_sub(n)..].to_vec();
        Some((median(&mut last), last.len()))
    }
}

impl Default for Samples {
    fn default() -> Self {
        Self::new()
    }
}

/// The median of `values` (the mean of the middle two for an even count); sorts them.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
