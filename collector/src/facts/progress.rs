//! Progress while gathering: counts units of work and hands them to a sink (a progress line on
//! a terminal, or nothing).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Receives progress while gathering (a progress bar, or nothing).
///
/// `total` grows as lists reveal how many objects there are to inspect.
pub trait Progress: Send + Sync {
    fn update(&self, done: usize, total: usize);
    fn finish(&self);
}

/// Counts progress units and reports them.
pub(crate) struct Tracker {
    done: AtomicUsize,
    total: AtomicUsize,
    sink: Option<Arc<dyn Progress>>,
}

impl Tracker {
    pub(crate) fn new(sink: Option<Arc<dyn Progress>>) -> Self {
        Tracker {
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            sink,
        }
    }

    pub(crate) fn add(&self, n: usize) {
        let total = self.total.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(sink) = &self.sink {
            sink.update(self.done.load(Ordering::Relaxed), total);
        }
    }

    pub(crate) fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(sink) = &self.sink {
            sink.update(done, self.total.load(Ordering::Relaxed));
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(sink) = &self.sink {
            sink.finish();
        }
    }
}
