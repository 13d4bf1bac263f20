//! Counting allocations: a global allocator that counts what it hands out, for the runtime
//! benchmarks' allocations per message.
//!
//! A binary installs it itself (so that linking this library changes no other binary's
//! allocator):
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: asyncapi_bench::alloc::Counting = asyncapi_bench::alloc::Counting;
//! ```
//!
//! and reads [`snapshot`] before and after the measured section. Every `alloc`, `alloc_zeroed`
//! and `realloc` counts as one allocation (with the bytes asked for), on every thread of the
//! process. Only Rust's allocations are seen: memory a C library (librdkafka) takes with its
//! own `malloc` is not.
//!
//! Counting must not slow down what is timed, and the typed and raw sides allocate different
//! amounts: each thread counts in a slot of its own (64 slots, handed out in turn), with plain
//! loads and stores rather than atomic read-modify-writes (a locked instruction per allocation
//! cost the side that allocates more several percent in the in-memory benchmarks). A slot is
//! shared only by threads beyond the 64th, whose counts could then be lost to a race.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The allocator: the system's, counting.
pub struct Counting;

/// The counters of one thread, on cache lines of their own so that threads do not contend.
#[repr(align(128))]
struct Slot {
    allocations: AtomicU64,
    bytes: AtomicU64,
}

const SLOTS: usize = 64;

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    allocations: AtomicU64::new(0),
    bytes: AtomicU64::new(0),
};

static COUNTERS: [Slot; SLOTS] = [EMPTY; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn count(bytes: usize) {
    let slot = MY_SLOT
        .try_with(|slot| {
            let mut index = slot.get();
            if index == usize::MAX {
                index = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % SLOTS;
                slot.set(index);
            }
            index
        })
        .unwrap_or(0);
    let slot = &COUNTERS[slot];
    // The slot's own thread is its only writer: no read-modify-write needed.
    let allocations = slot.allocations.load(Ordering::Relaxed);
    slot.allocations.store(allocations + 1, Ordering::Relaxed);
    let total = slot.bytes.load(Ordering::Relaxed);
    slot.bytes.store(total + bytes as u64, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; counting allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is `GlobalAlloc::alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The counts so far (of the whole process).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Allocations (including reallocations).
    pub allocations: u64,
    /// Bytes asked for by them.
    pub bytes: u64,
}

impl Snapshot {
    /// What was allocated between `earlier` and this snapshot, per one of `messages`.
    pub fn per_message_since(&self, earlier: Snapshot, messages: usize) -> (f64, f64) {
        let n = messages.max(1) as f64;
        (
            self.allocations.saturating_sub(earlier.allocations) as f64 / n,
            self.bytes.saturating_sub(earlier.bytes) as f64 / n,
        )
    }
}

/// The counts so far. Zero everywhere unless [`Counting`] is the global allocator.
pub fn snapshot() -> Snapshot {
    COUNTERS
        .iter()
        .fold(Snapshot::default(), |sum, slot| Snapshot {
            allocations: sum.allocations + slot.allocations.load(Ordering::Relaxed),
            bytes: sum.bytes + slot.bytes.load(Ordering::Relaxed),
        })
}
