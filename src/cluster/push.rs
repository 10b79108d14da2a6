//! `zhnews push`: the same ingest → extract → analyze pipeline as `zhnews index`, reprint
//! groups included, writing each article pre-tokenized (see [`super::layout`]) into the
//! real-time indexes of a cluster's shards. An article goes to shard `id hash mod shards`,
//! so the same article always lands on the same shard and a later push replaces it there.
//!
//! Workers (one or more per shard) each build rows and send them in batches of
//! `REPLACE INTO … VALUES …`; every [`PushOptions::commit_every`] articles they all send
//! what they hold, and the bodies kept for reprint alignment are let go (older ones are
//! read back from the shards when a later copy needs them).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::client::Client;
use super::layout::{self, columns, doc_id, row};
use super::target::Target;
use super::Cluster;
use crate::analyze::{Analyzed, Analyzer, WordsTokenizer};
use crate::error::{Error, Result};
use crate::index::schema::id_hash;
use crate::index::{Grouping, Phase, Progress, Reprints, Skipped};
use crate::ingest;
use crate::pipeline::{Pipeline, Record};

#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Extraction threads, and row-building workers per shard (at least one each).
    pub threads: usize,
    /// Bytes of rows per `REPLACE` statement (a node's `max_packet_size` must allow it;
    /// an article larger than this goes alone).
    pub batch_bytes: usize,
    /// Articles between two points where every worker has sent what it holds.
    pub commit_every: usize,
    pub detect_reprints: bool,
    /// For connecting and for each statement.
    pub timeout: Duration,
}

impl Default for PushOptions {
    fn default() -> Self {
        PushOptions {
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 8),
            batch_bytes: 8 << 20,
            commit_every: 20_000,
            detect_reprints: true,
            timeout: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PushSummary {
    /// Records read, good or bad.
    pub read: u64,
    /// Articles written (a repeated id counts each time; the later one stays).
    pub pushed: u64,
    pub duplicate_ids: u64,
    pub reprints: u64,
    pub skipped: Vec<Skipped>,
    pub ignored: Vec<String>,
    /// Articles per shard, in the order the shards were given.
    pub per_shard: Vec<u64>,
    pub interrupted: bool,
    pub elapsed_s: f64,
    pub docs_per_s: f64,
}

enum Job {
    Article(Box<Analyzed>, u64, u64),
    /// Send what is held, then answer.
    Flush(SyncSender<Result<()>>),
}

/// A worker: builds rows for its shard and sends them in batches.
fn worker(
    client: Arc<Client>,
    words: WordsTokenizer,
    batch_bytes: usize,
    jobs: Receiver<Job>,
) -> Result<()> {
    let head = format!(
        "REPLACE INTO {} ({}) VALUES ",
        client.target.index,
        columns()
    );
    let mut sql = String::new();
    let send = |sql: &mut String| -> Result<()> {
        if !sql.is_empty() {
            client.run(sql)?;
            sql.clear();
        }
        Ok(())
    };
    let mut failed = None;
    for job in jobs {
        match job {
            Job::Article(a, key, group) => {
                if failed.is_some() {
                    continue;
                }
                let r = row(&words, &a, key, group);
                if !sql.is_empty() && sql.len() + r.len() > batch_bytes {
                    if let Err(e) = send(&mut sql) {
                        failed = Some(e);
                        continue;
                    }
                }
                if sql.is_empty() {
                    sql.push_str(&head);
                } else {
                    sql.push_str(",\n");
                }
                sql.push_str(&r);
            }
            Job::Flush(ack) => {
                let r = match failed.take() {
                    Some(e) => Err(e),
                    None => send(&mut sql),
                };
                let stop = r.is_err();
                let _ = ack.send(r);
                if stop {
                    return Ok(());
                }
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => send(&mut sql),
    }
}

struct Workers {
    /// What analyzes the articles (on the pipeline's threads) and their words (here).
    analyzer: Analyzer,
    senders: Vec<SyncSender<Job>>,
    per_shard: usize,
    shards: usize,
    handles: Vec<std::thread::JoinHandle<Result<()>>>,
}

impl Workers {
    fn send(&self, a: Box<Analyzed>, key: u64, group: u64) -> Result<usize> {
        let shard = (key % self.shards as u64) as usize;
        let within = ((key / self.shards as u64) % self.per_shard as u64) as usize;
        self.senders[shard * self.per_shard + within]
            .send(Job::Article(a, key, group))
            .map_err(|_| Error::Internal("a push worker stopped".into()))?;
        Ok(shard)
    }

    /// Waits until every worker has sent what it holds.
    fn flush(&self) -> Result<()> {
        let mut acks = Vec::new();
        for s in &self.senders {
            let (tx, rx) = sync_channel(1);
            s.send(Job::Flush(tx))
                .map_err(|_| Error::Internal("a push worker stopped".into()))?;
            acks.push(rx);
        }
        for rx in acks {
            rx.recv()
                .map_err(|_| Error::Internal("a push worker stopped".into()))??;
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        drop(self.senders);
        for h in self.handles {
            h.join()
                .map_err(|_| Error::Internal("a push worker panicked".into()))??;
        }
        Ok(())
    }
}

/// Pushes everything under `paths` into the shards `targets` (real-time indexes, one per
/// node). `stop` ends the run early, after sending what was read.
pub fn push(
    targets: &[Target],
    paths: &[PathBuf],
    options: &PushOptions,
    stop: Arc<AtomicBool>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PushSummary> {
    if targets.is_empty() {
        return Err(Error::BadRequest(
            "give at least one shard to push to".into(),
        ));
    }
    let started = Instant::now();
    let analyzer = Analyzer::new(&[]);
    let mut shards = Vec::with_capacity(targets.len());
    for t in targets {
        shards.push(Arc::new(Cluster::connect(t, options.timeout)?.client));
    }
    for s in &shards {
        check_rt(s)?;
    }
    let per_shard = (options.threads / shards.len()).max(1);
    let mut senders = Vec::new();
    let mut handles = Vec::new();
    for s in &shards {
        for _ in 0..per_shard {
            let (tx, rx) = sync_channel::<Job>(64);
            let client = Arc::new(Client::new(s.target.clone(), options.timeout));
            let words = analyzer.words();
            let batch = options.batch_bytes;
            handles.push(std::thread::spawn(move || worker(client, words, batch, rx)));
            senders.push(tx);
        }
    }
    let workers = Workers {
        analyzer,
        senders,
        per_shard,
        shards: shards.len(),
        handles,
    };
    let result = feed(&workers, &shards, paths, options, &stop, started, progress);
    // Whatever happened, the workers end; the first error wins.
    let flushed = workers.flush();
    let finished = workers.finish();
    let mut summary = result?;
    flushed?;
    finished?;
    for s in &shards {
        s.run(&format!("FLUSH RTINDEX {}", s.target.index))?;
    }
    summary.elapsed_s = started.elapsed().as_secs_f64();
    summary.docs_per_s = summary.pushed as f64 / summary.elapsed_s.max(1e-9);
    Ok(summary)
}

/// The shard must be a real-time index laid out as this zhnews writes.
fn check_rt(client: &Client) -> Result<()> {
    let d = client.run(&format!("DESCRIBE {}", client.target.index))?;
    let have: HashSet<String> = d
        .first()
        .map(|r| {
            r.rows
                .iter()
                .filter_map(|row| row.first().cloned().flatten())
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<&str> = layout::FIELDS
        .iter()
        .copied()
        .chain(layout::ATTRIBUTES.iter().map(|(n, _)| *n))
        .filter(|c| !have.contains(*c))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Cluster {
            target: client.target.to_string(),
            reason: format!(
                "the index lacks {}; write the node's config with `zhnews cluster-conf`",
                missing.join(", ")
            ),
        })
    }
}

fn feed(
    workers: &Workers,
    shards: &[Arc<Client>],
    paths: &[PathBuf],
    options: &PushOptions,
    stop: &Arc<AtomicBool>,
    started: Instant,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PushSummary> {
    let mut summary = PushSummary {
        per_shard: vec![0; shards.len()],
        ..Default::default()
    };
    let bytes_total = ingest::input_bytes(paths);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut pipeline = Pipeline::spawn(
        paths.to_vec(),
        workers.analyzer.clone(),
        options.detect_reprints,
        options.threads,
        stop.clone(),
        bytes_read.clone(),
    );
    let mut grouping = Grouping::new(Reprints::default(), options.detect_reprints);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut since_flush = 0usize;
    let mut last_report = Instant::now();
    // The body of an article already sent, read back from its shard.
    let stored = |key: u64| -> Option<String> {
        let shard = &shards[(key % shards.len() as u64) as usize];
        let sql = format!(
            "SELECT {} FROM {} WHERE id = {}",
            layout::BODY,
            shard.target.index,
            doc_id(key)
        );
        let rows = shard.run(&sql).ok()?;
        rows.into_iter()
            .next()?
            .rows
            .into_iter()
            .next()?
            .into_iter()
            .next()?
    };
    let mut stored = stored;
    while let Some(record) = pipeline.next_until(stop) {
        let article = match record {
            Record::Ignored(origin) => {
                summary.ignored.push(origin);
                continue;
            }
            Record::Failed(e) => {
                summary.read += 1;
                let (origin, reason) = match e {
                    Error::BadInput { origin, reason } => (origin, reason),
                    other => (String::new(), other.to_string()),
                };
                summary.skipped.push(Skipped { origin, reason });
                continue;
            }
            Record::Article(a) => {
                summary.read += 1;
                a
            }
        };
        let key = id_hash(&article.article.id);
        if !seen.insert(key) {
            summary.duplicate_ids += 1;
        }
        let (group, is_copy) = grouping.assign(key, &article, &mut stored);
        if is_copy {
            summary.reprints += 1;
        }
        let shard = workers.send(article, key, group)?;
        summary.per_shard[shard] += 1;
        summary.pushed += 1;
        since_flush += 1;
        if since_flush >= options.commit_every {
            workers.flush()?;
            grouping.caught_up();
            since_flush = 0;
        }
        if last_report.elapsed() > Duration::from_millis(200) {
            last_report = Instant::now();
            progress(&Progress {
                phase: Phase::Reading,
                read: summary.read,
                added: summary.pushed,
                skipped: summary.skipped.len() as u64,
                bytes_read: bytes_read.load(Ordering::Relaxed),
                bytes_total,
                elapsed_s: started.elapsed().as_secs_f64(),
                ..Default::default()
            });
        }
    }
    summary.interrupted = stop.load(Ordering::SeqCst);
    Ok(summary)
}
