//! Indexing a run of inputs: read (one thread), extract (worker threads), upsert into
//! tantivy (its own indexing threads tokenize), commit in batches. A kill between commits
//! loses only the uncommitted batch; re-running the same input skips what is there.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::dedup::{Existing, Grouping};
use super::open::OpenIndex;
use super::schema::{hash64, id_hash};
use crate::analyze::fingerprint::to_bytes;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::{extract, ingest};

#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Commit after this many new or changed documents.
    pub commit_every: usize,
    /// Threads for extraction and for tantivy's indexing.
    pub threads: usize,
    /// Memory for tantivy's in-memory segments, all threads together.
    pub heap_bytes: usize,
    /// Merge the index's segments at the end of a run that changed it (see
    /// [`Indexer::run`] for when).
    pub final_merge: bool,
    /// Group reprints (exact and near-duplicate text). Off: every article is its own
    /// group and no fingerprint is stored, so later runs cannot match against it either.
    pub detect_reprints: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 8);
        IndexOptions {
            commit_every: 20_000,
            threads,
            heap_bytes: 256 << 20,
            final_merge: true,
            detect_reprints: true,
        }
    }
}

/// What a run is doing now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    #[default]
    Reading,
    Committing,
    /// Merging this many segments.
    Merging(usize),
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub read: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Bytes of the input files read so far, and in all (compressed bytes for
    /// compressed files).
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub elapsed_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub origin: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Records read (pages, lines, WARC responses), good or bad.
    pub read: u64,
    pub added: u64,
    pub updated: u64,
    /// Already indexed with the same content.
    pub unchanged: u64,
    /// Records whose id came earlier in this run: the later record is kept.
    pub duplicate_ids: u64,
    /// Articles found to be copies of another story.
    pub reprints: u64,
    pub skipped: Vec<Skipped>,
    /// Files in the folders read that are not inputs by their names.
    pub ignored: Vec<String>,
    pub commits: u64,
    pub interrupted: bool,
    /// Segments that went into the merges at the end (0: no merge).
    pub segments_merged: usize,
    pub merge_s: f64,
    pub elapsed_s: f64,
    pub documents: u64,
}

/// The writer of one index; holds tantivy's lock (and our pid file) while alive.
pub struct Indexer {
    open: OpenIndex,
    /// `None` only for a moment while the final merge swaps writers.
    writer: Option<IndexWriter>,
    options: IndexOptions,
    pid_file: PathBuf,
}

const PID_FILE: &str = "writer.pid";

/// Above this many segments a run merges whatever it changed.
pub const MAX_SEGMENTS: usize = 8;

/// The most segment bytes one merge reads. A merge maps every file it reads, and those
/// pages count toward the process's resident memory until the merge ends: one merge of
/// all 78 segments of the 765k-article index (2.5 GB) took the run's RSS to 3.7 GB.
/// 384 MB still merges the 76k-article index (300 MB) into one segment.
pub const MERGE_INPUT_BYTES: u64 = 384 << 20;

/// Segments packed into merges, smallest first, each merge reading at most `cap` bytes;
/// a segment that has no partner under the cap stays as it is.
pub fn merge_groups<Id: Copy>(mut segments: Vec<(Id, u64)>, cap: u64) -> Vec<Vec<Id>> {
    segments.sort_by_key(|&(_, bytes)| bytes);
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut total = 0u64;
    for (id, bytes) in segments {
        if total + bytes > cap && !group.is_empty() {
            groups.push(std::mem::take(&mut group));
            total = 0;
        }
        group.push(id);
        total += bytes;
    }
    groups.push(group);
    groups.retain(|g| g.len() >= 2);
    groups
}

fn new_writer(open: &OpenIndex, options: &IndexOptions) -> tantivy::Result<IndexWriter> {
    let threads = options.threads.max(1);
    let heap = options.heap_bytes.max((threads * 16) << 20);
    open.index.writer_with_num_threads(threads, heap)
}

impl Indexer {
    pub fn new(open: OpenIndex, options: IndexOptions) -> Result<Indexer> {
        let pid_file = open.dir.join(PID_FILE);
        let writer = match new_writer(&open, &options) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                let holder =
                    std::fs::read_to_string(&pid_file).unwrap_or_else(|_| "unknown process".into());
                return Err(Error::Locked {
                    path: open.dir.clone(),
                    holder: holder.trim().to_string(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        let me = format!(
            "pid {} since {}",
            std::process::id(),
            chrono::Utc::now().to_rfc3339()
        );
        std::fs::write(&pid_file, me).map_err(|e| Error::io(&pid_file, e))?;
        Ok(Indexer {
            open,
            writer: Some(writer),
            options,
            pid_file,
        })
    }

    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    /// Reads, extracts and indexes everything under `paths`. `stop` ends the run early
    /// (after a commit); `progress` is called every few hundred records.
    pub fn run(
        &mut self,
        paths: &[PathBuf],
        stop: Arc<AtomicBool>,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<IndexSummary> {
        let started = Instant::now();
        let reader: tantivy::IndexReader = self
            .open
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let Existing {
            mut content,
            reprints,
        } = Existing::load(&reader.searcher())?;
        let mut grouping = Grouping::new(reprints, self.options.detect_reprints);
        if reader.searcher().num_docs() == 0 && self.options.final_merge {
            // A new index is merged once at the end: merging as it grows would rewrite
            // each article several times, and the larger merges held memory that grew
            // with the corpus (×10 run: heap 404 → 609 MB).
            self.writer()?.set_merge_policy(Box::new(NoMergePolicy));
        }
        let mut texts = Texts {
            searcher: reader.searcher(),
            fields: self.open.fields,
        };
        let mut summary = IndexSummary::default();
        let mut seen: HashSet<u64> = HashSet::new();
        let mut pending = 0usize;
        let mut last_report = Instant::now();

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
        let mut articles = Pipeline::spawn(
            paths.to_vec(),
            self.options.threads,
            stop.clone(),
            bytes_read.clone(),
        );
        while let Some(result) = articles.next_until(&stop) {
            let article = match result {
                Record::Ignored(origin) => {
                    summary.ignored.push(origin);
                    continue;
                }
                Record::Article(a) => {
                    summary.read += 1;
                    a
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
            };
            let key = id_hash(&article.id);
            let hash = content_hash(&article);
            let repeated = !seen.insert(key);
            match content.get(&key) {
                Some(c) if *c == hash => {
                    if repeated {
                        summary.duplicate_ids += 1;
                    } else {
                        summary.unchanged += 1;
                    }
                    continue;
                }
                // The same id earlier in this run or in the index: the later record wins.
                Some(_) => {
                    let term = Term::from_field_u64(self.open.fields.id_hash, key);
                    self.writer()?.delete_term(term);
                    if repeated {
                        summary.duplicate_ids += 1;
                    } else {
                        summary.updated += 1;
                    }
                }
                None => summary.added += 1,
            }
            content.insert(key, hash);
            let grouped = grouping.assign(key, &article, &mut |other| texts.body(other));
            if grouped.is_copy {
                summary.reprints += 1;
            }
            let doc = self.document(&article, key, hash, grouped.group, &grouped.fingerprint);
            self.writer()?.add_document(doc)?;
            pending += 1;
            if pending >= self.options.commit_every {
                self.writer()?.commit()?;
                summary.commits += 1;
                pending = 0;
                // What was pending is now in the index.
                reader.reload()?;
                texts.searcher = reader.searcher();
                grouping.caught_up();
            }
            if last_report.elapsed() > Duration::from_millis(200) {
                last_report = Instant::now();
                progress(&report(Phase::Reading, &summary));
            }
        }
        summary.interrupted = stop.load(Ordering::SeqCst);
        // A run that changed nothing leaves the index as it was, commit included.
        if pending > 0 {
            progress(&report(Phase::Committing, &summary));
            self.writer()?.commit()?;
            summary.commits += 1;
        }
        let changed = summary.added + summary.updated;
        // The merge's mapped files take memory; what only the run needed gives it back.
        drop((content, grouping, seen, texts));
        // A run cut short mid-merge left many segments: the next run merges them, even
        // when it has nothing new.
        let too_many = self.open.index.searchable_segment_ids()?.len() > MAX_SEGMENTS;
        if self.options.final_merge && !summary.interrupted && (changed > 0 || too_many) {
            let merge_started = Instant::now();
            let segments = self.open.index.searchable_segment_ids()?.len();
            progress(&report(Phase::Merging(segments), &summary));
            summary.segments_merged = self.merge_if_worth_it(changed)?;
            summary.merge_s = merge_started.elapsed().as_secs_f64();
        }
        reader.reload()?;
        summary.documents = reader.searcher().num_docs();
        summary.elapsed_s = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    fn document(
        &self,
        a: &Article,
        key: u64,
        content: u64,
        group: u64,
        fp: &crate::analyze::fingerprint::Fingerprint,
    ) -> TantivyDocument {
        let f = &self.open.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &a.id);
        doc.add_u64(f.id_hash, key);
        if let Some(u) = &a.url {
            doc.add_text(f.url, u);
        }
        doc.add_text(f.title, &a.title);
        doc.add_text(f.body, &a.body);
        doc.add_text(f.title_exact, &a.title);
        doc.add_text(f.body_exact, &a.body);
        if let Some(p) = a.published {
            doc.add_date(f.published, super::schema::date_from_secs(p.timestamp()));
        }
        if let Some(s) = &a.source {
            doc.add_text(f.source, s);
        }
        if let Some(au) = &a.author {
            for name in au.split_whitespace() {
                doc.add_text(f.author, name);
            }
        }
        if let Some(e) = &a.editor {
            doc.add_text(f.editor, e);
        }
        if let Some(s) = &a.section {
            doc.add_text(f.section, s);
        }
        for k in &a.keywords {
            doc.add_text(f.keywords, k);
        }
        doc.add_u64(f.group, group);
        doc.add_u64(f.content_hash, content);
        doc.add_u64(f.text_hash, fp.exact);
        doc.add_bytes(f.minhash, &to_bytes(fp));
        doc
    }

    /// Commits what is pending; used on SIGINT/SIGTERM by callers that stop early.
    pub fn commit(&mut self) -> Result<()> {
        self.writer()?.commit()?;
        Ok(())
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        self.writer
            .as_mut()
            .ok_or_else(|| Error::Internal("index writer is gone after a failed merge".into()))
    }

    /// Merges the index's segments when this run changed at least 1/20 of the index or
    /// left more than [`MAX_SEGMENTS`] segments. A query pays a term lookup per segment and
    /// term: on the 76k corpus, 8 segments → 1 took 2-word queries from p50 1.23 ms to
    /// 0.64 ms and the index from 357 MB to 321 MB, for an 11 s merge after a 55 s ingest.
    /// Each merge reads at most [`MERGE_INPUT_BYTES`] (see [`merge_groups`]). Small
    /// incremental runs leave merging to tantivy's background policy.
    fn merge_if_worth_it(&mut self, changed: u64) -> Result<usize> {
        let segments = self.open.index.searchable_segment_ids()?;
        let documents: u64 = self
            .open
            .index
            .searchable_segment_metas()?
            .iter()
            .map(|m| u64::from(m.num_docs()))
            .sum();
        if segments.len() < 2 || (changed * 20 < documents && segments.len() <= MAX_SEGMENTS) {
            return Ok(0);
        }
        // Background merges may hold some of the segments: let them finish first. That
        // needs the writer itself, so the lock is dropped for a moment and taken again.
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads()?;
        }
        let mut writer = match new_writer(&self.open, &self.options) {
            Ok(w) => w,
            // Another writer took the index in that moment: our commit stands, skip the merge.
            Err(tantivy::TantivyError::LockFailure(..)) => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let sized = self
            .open
            .index
            .searchable_segment_metas()?
            .into_iter()
            .map(|meta| {
                use tantivy::index::SegmentComponent as C;
                let bytes = [C::Postings, C::Positions, C::Terms, C::Store, C::FastFields]
                    .into_iter()
                    .filter_map(|c| {
                        std::fs::metadata(self.open.dir.join(meta.relative_path(c))).ok()
                    })
                    .map(|m| m.len())
                    .sum();
                (meta.id(), bytes)
            })
            .collect();
        let mut merged = 0;
        for group in merge_groups(sized, MERGE_INPUT_BYTES) {
            writer.merge(&group).wait()?;
            merged += group.len();
        }
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        self.writer = Some(writer);
        Ok(merged)
    }

    pub fn dir(&self) -> &Path {
        &self.open.dir
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.pid_file);
    }
}

/// The bodies of committed articles, for aligning a new article with a candidate copy
/// (those since the last commit are kept by [`Grouping`]).
struct Texts {
    searcher: tantivy::Searcher,
    fields: super::Fields,
}

impl Texts {
    fn body(&self, key: u64) -> Option<String> {
        let query = tantivy::query::TermQuery::new(
            Term::from_field_u64(self.fields.id_hash, key),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let found = self
            .searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            )
            .ok()?;
        let (_, address) = found.first()?;
        let doc: TantivyDocument = self.searcher.doc(*address).ok()?;
        use tantivy::schema::Value;
        doc.get_first(self.fields.body)
            .and_then(|v| v.as_str().map(str::to_string))
    }
}

/// A hash of everything we store, to recognise an unchanged record.
fn content_hash(a: &Article) -> u64 {
    hash64(&serde_json::to_vec(a).unwrap_or_default())
}

/// What the pipeline hands on for each input record.
pub enum Record {
    Article(Article),
    Failed(Error),
    /// A file that is not an input (see `ingest::Item::Ignored`).
    Ignored(String),
}

/// Records read and extracted but not yet handed on, at most: the reader waits beyond
/// this, so a slow page holds back a bounded number of finished ones.
const IN_FLIGHT: usize = 1024;

/// Reader thread → extraction workers → articles in input order. The order makes a run
/// reproducible whatever the number of threads: the later of two records with one id
/// wins, and reprints are grouped in the same order every time. The local writer and
/// `cluster::push` both read their articles from it.
pub struct Pipeline {
    results: Receiver<(u64, Record)>,
    waiting: BTreeMap<u64, Record>,
    next: u64,
    /// One permit per record in flight, handed back as records leave in order.
    permits: SyncSender<()>,
}

impl Pipeline {
    /// Starts reading `paths` with `workers` extraction threads; `bytes_read` counts the
    /// input bytes read so far.
    pub fn spawn(
        paths: Vec<PathBuf>,
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
            std::thread::spawn(move || loop {
                let next = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                let Ok((seq, item)) = next else { return };
                let record = match item {
                    Ok(ingest::Item::Ignored { origin }) => Record::Ignored(origin),
                    Ok(i) => {
                        // A bug in extraction must cost one page, not the run.
                        let extracted =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                extract::extract(&i)
                            }))
                            .unwrap_or_else(|_| {
                                Err(Error::bad_input(
                                    i.origin(),
                                    "extractor failed on this page (a bug; please report it)",
                                ))
                            });
                        match extracted {
                            Ok(a) => Record::Article(a),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_pack_the_smallest_segments_under_the_cap() {
        let mb = 1 << 20;
        let groups = merge_groups(
            vec![
                ("a", 360 * mb),
                ("b", 10 * mb),
                ("c", 20 * mb),
                ("d", 500 * mb),
            ],
            384 * mb,
        );
        assert_eq!(groups, vec![vec!["b", "c"]]);
        // 78 segments of 40 MB: merges of 9, none over the cap, every segment in one.
        let many: Vec<(usize, u64)> = (0..78).map(|i| (i, 40 * mb)).collect();
        let groups = merge_groups(many, 384 * mb);
        assert!(groups.iter().all(|g| g.len() as u64 * 40 * mb <= 384 * mb));
        assert_eq!(groups.len(), 9);
        assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 78);
        // A small index is merged into one.
        let small = vec![(1, 100 * mb), (2, 150 * mb), (3, 50 * mb)];
        assert_eq!(merge_groups(small, 384 * mb), vec![vec![3, 1, 2]]);
        assert!(merge_groups(vec![(1, mb)], 384 * mb).is_empty());
    }
}
