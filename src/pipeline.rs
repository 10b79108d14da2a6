//! The stages before the index, run as one over files: inputs are read in a stable order
//! (one thread), pages extracted and articles analyzed on worker threads, and the results
//! handed on in input order, so a run is the same whatever the number of threads: the
//! later of two records with one id wins, and reprints are grouped in the same order.
//! [`index`] files them with an [`Indexer`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::analyze::{Analyzed, Analyzer};
use crate::error::{Error, Result};
use crate::index::{IndexSummary, Indexer, Phase, Progress};
use crate::{extract, ingest};

/// What the pipeline hands on for each input record.
pub enum Record {
    Article(Box<Analyzed>),
    Failed(Error),
    /// A file that is not an input (see `ingest::Item::Ignored`).
    Ignored(String),
}

/// Records read and extracted but not yet handed on, at most: the reader waits beyond
/// this, so a slow page holds back a bounded number of finished ones.
const IN_FLIGHT: usize = 1024;

/// Reader thread → extraction and analysis workers → records in input order.
pub struct Pipeline {
    results: Receiver<(u64, Record)>,
    waiting: BTreeMap<u64, Record>,
    next: u64,
    /// One permit per record in flight, handed back as records leave in order.
    permits: SyncSender<()>,
}

impl Pipeline {
    /// Starts reading `paths` with `workers` threads extracting and analyzing (with
    /// reprint fingerprints when `fingerprints`); the bytes read go to `bytes_read`.
    pub fn spawn(
        paths: Vec<PathBuf>,
        analyzer: Analyzer,
        fingerprints: bool,
        workers: usize,
        stop: Arc<AtomicBool>,
        bytes_read: Arc<AtomicU64>,
    ) -> Pipeline {
        let (item_tx, item_rx) = sync_channel::<(u64, Result<ingest::Item>)>(256);
        let (out_tx, out_rx) = sync_channel::<(u64, Record)>(256);
        let (permit_tx, permit_rx) = sync_channel::<()>(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            let _ = permit_tx.try_send(());
        }
        std::thread::spawn(move || {
            let mut seq = 0u64;
            ingest::read_paths_counted(&paths, &bytes_read, &mut |item| {
                // No permit: the run has ended (or stopped); drop the rest.
                if stop.load(Ordering::Relaxed) || permit_rx.recv().is_err() {
                    return;
                }
                let _ = item_tx.send((seq, item));
                seq += 1;
            });
        });
        let item_rx = Arc::new(Mutex::new(item_rx));
        for _ in 0..workers.max(1) {
            let rx = item_rx.clone();
            let tx = out_tx.clone();
            let analyzer = analyzer.clone();
            std::thread::spawn(move || loop {
                let next = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                let Ok((seq, item)) = next else { return };
                let record = match item {
                    Ok(ingest::Item::Ignored { origin }) => Record::Ignored(origin),
                    Ok(i) => {
                        // A bug in extraction or analysis must cost one page, not the run.
                        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            extract::extract(&i).map(|a| analyzer.analyze(a, fingerprints))
                        }))
                        .unwrap_or_else(|_| {
                            Err(Error::bad_input(
                                i.origin(),
                                "extractor failed on this page (a bug; please report it)",
                            ))
                        });
                        match done {
                            Ok(a) => Record::Article(Box::new(a)),
                            Err(e) => Record::Failed(e),
                        }
                    }
                    Err(e) => Record::Failed(e),
                };
                if tx.send((seq, record)).is_err() {
                    return;
                }
            });
        }
        Pipeline {
            results: out_rx,
            waiting: BTreeMap::new(),
            next: 0,
            permits: permit_tx,
        }
    }

    /// The next record in input order; `None` at the end of the input or once `stop` is
    /// set, even while a read is blocked.
    pub fn next_until(&mut self, stop: &AtomicBool) -> Option<Record> {
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(r) = self.waiting.remove(&self.next) {
                self.next += 1;
                let _ = self.permits.try_send(());
                return Some(r);
            }
            match self.results.recv_timeout(Duration::from_millis(100)) {
                Ok((seq, r)) => {
                    self.waiting.insert(seq, r);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

/// Reads, extracts, analyzes and indexes everything under `paths`, then finishes the
/// run (commit, and a merge when worth it). `stop` ends it early, after a commit;
/// `progress` is called every 200 ms and when the commit and the merge start.
pub fn index(
    indexer: &mut Indexer,
    paths: &[PathBuf],
    stop: Arc<AtomicBool>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<IndexSummary> {
    let started = Instant::now();
    let bytes_total = ingest::input_bytes(paths);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let report = |phase: Phase, s: &IndexSummary| Progress {
        phase,
        read: s.read,
        added: s.added,
        updated: s.updated,
        unchanged: s.unchanged,
        skipped: s.skipped.len() as u64,
        bytes_read: bytes_read.load(Ordering::Relaxed),
        bytes_total,
        elapsed_s: started.elapsed().as_secs_f64(),
    };
    let mut records = Pipeline::spawn(
        paths.to_vec(),
        indexer.index().analyzer.clone(),
        indexer.options().detect_reprints,
        indexer.options().threads,
        stop.clone(),
        bytes_read.clone(),
    );
    let mut last_report = Instant::now();
    while let Some(record) = records.next_until(&stop) {
        match record {
            Record::Ignored(origin) => indexer.ignore(origin),
            Record::Article(a) => indexer.add_analyzed(*a)?,
            Record::Failed(e) => {
                let (origin, reason) = match e {
                    Error::BadInput { origin, reason } => (origin, reason),
                    other => (String::new(), other.to_string()),
                };
                indexer.skip(origin, reason);
            }
        }
        if last_report.elapsed() > Duration::from_millis(200) {
            last_report = Instant::now();
            progress(&report(Phase::Reading, &indexer.summary()));
        }
    }
    drop(records);
    indexer.finish(stop.load(Ordering::SeqCst), &mut |phase, s| {
        progress(&report(phase, s))
    })
}
