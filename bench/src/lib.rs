//! Shared pieces of the benchmarks: the record every measurement is written as, so one script can
//! collect them all and draw the charts.

pub mod alloc;
pub mod case_topics;
pub mod reading;
pub mod record;
pub mod samples;
pub mod synthetic;
