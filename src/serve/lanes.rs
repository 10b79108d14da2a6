//! Admission: how many requests run at once, and in which lane. Every request takes a
//! place in the light lane (as many places as cores) before it starts; a search that
//! turns out to be expensive gives that place up and waits for the single place of the
//! heavy lane, so expensive queries use at most one core and ordinary ones keep the rest.
//! Exports, which stream for as long as the client reads, have a lane of their own.
//!
//! A lane's queue is bounded: past it a request is refused at once (503 with
//! `Retry-After`). A request that waits past its deadline is dropped, never started.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{Error, Result};
use crate::search::deadline::Deadline;

/// One lane: its places and how many may wait for one.
pub struct Lane {
    places: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// A place in a lane, held until dropped.
pub struct Place(#[allow(dead_code)] OwnedSemaphorePermit);

impl Lane {
    pub fn new(places: usize, max_waiting: usize) -> Lane {
        Lane {
            places: Arc::new(Semaphore::new(places.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A place in this lane, waiting at most until `deadline` (or forever without one).
    pub async fn enter(&self, deadline: Option<&Deadline>) -> Result<Place> {
        if let Ok(p) = self.places.clone().try_acquire_owned() {
            return Ok(Place(p));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy { retry_after_s: 1 });
        }
        let acquire = self.places.clone().acquire_owned();
        let got = match deadline {
            Some(d) => {
                let left = d.remaining();
                tokio::time::timeout(left, acquire).await.ok()
            }
            None => Some(acquire.await),
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match got {
            Some(Ok(p)) => Ok(Place(p)),
            Some(Err(_)) => Err(Error::Internal("admission closed".into())),
            // Queued past its deadline: dropped, not started.
            None => Err(Error::NotStarted(
                deadline.map_or(0, |d| d.budget().as_millis() as u64),
            )),
        }
    }

    /// The same, from a blocking thread.
    pub fn enter_blocking(&self, deadline: Option<&Deadline>) -> Result<Place> {
        let handle = tokio::runtime::Handle::try_current()
            .map_err(|e| Error::Internal(format!("no runtime: {e}")))?;
        handle.block_on(self.enter(deadline))
    }
}

/// The server's lanes.
pub struct Lanes {
    pub light: Lane,
    pub heavy: Lane,
    pub export: Lane,
}

impl Lanes {
    pub fn new(cores: usize, exports: usize) -> Lanes {
        Lanes {
            light: Lane::new(cores, 64 * cores.max(1)),
            heavy: Lane::new(1, 4),
            export: Lane::new(exports, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_a_late_request_is_dropped() {
        let lane = Lane::new(1, 1);
        let held = lane.enter(None).await.expect("first place");
        // One may wait; it gives up at its deadline without starting.
        let d = Deadline::after(Duration::from_millis(30));
        let waiter = lane.enter(Some(&d));
        let (late, refused) = tokio::join!(waiter, async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            lane.enter(None).await
        });
        assert!(matches!(late, Err(Error::NotStarted(30))));
        assert!(matches!(refused, Err(Error::Busy { .. })));
        drop(held);
        assert!(lane.enter(None).await.is_ok());
    }
}
