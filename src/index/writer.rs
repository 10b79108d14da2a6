//! The writer of an index: articles are added (an upsert by id, the later record winning,
//! each grouped with its reprints), committed in batches, and merged at the end of a run
//! when that is worth it. A kill between commits loses only the uncommitted batch; adding
//! the same article again changes nothing. `crate::pipeline` feeds it from files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::dedup::{Existing, Grouping};
use super::document::{to_document, Filing};
use super::open::OpenIndex;
use super::schema::{hash64, id_hash};
use crate::analyze::Analyzed;
use crate::article::Article;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Commit after this many new or changed documents.
    pub commit_every: usize,
    /// Threads for extraction and for tantivy's indexing.
    pub threads: usize,
    /// Memory for tantivy's in-memory segments, all threads together.
    pub heap_bytes: usize,
    /// Merge the index's segments at the end of a run that changed it (see
    /// [`Indexer::finish`] for when).
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
    /// The run in progress (`None` once finished).
    run: Option<Run>,
}

/// What one run needs to know, and what it tells.
struct Run {
    started: Instant,
    reader: tantivy::IndexReader,
    /// Content hashes of what the index held when the run began, and of what the run
    /// has added since.
    content: HashMap<u64, u64>,
    grouping: Grouping,
    /// Ids seen in this run.
    seen: HashSet<u64>,
    texts: Texts,
    /// Changes since the last commit.
    pending: usize,
    summary: IndexSummary,
}

fn finished() -> Error {
    Error::Internal("the indexing run has finished".into())
}

fn writer_gone() -> Error {
    Error::Internal("index writer is gone after a failed merge".into())
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
        let reader: tantivy::IndexReader = open
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let Existing { content, reprints } = Existing::load(&reader.searcher())?;
        let grouping = Grouping::new(reprints, options.detect_reprints);
        if reader.searcher().num_docs() == 0 && options.final_merge {
            // A new index is merged once at the end: merging as it grows would rewrite
            // each article several times, and the larger merges held memory that grew
            // with the corpus (×10 run: heap 404 → 609 MB).
            writer.set_merge_policy(Box::new(NoMergePolicy));
        }
        let texts = Texts {
            searcher: reader.searcher(),
            fields: open.fields,
        };
        Ok(Indexer {
            open,
            writer: Some(writer),
            options,
            pid_file,
            run: Some(Run {
                started: Instant::now(),
                reader,
                content,
                grouping,
                seen: HashSet::new(),
                texts,
                pending: 0,
                summary: IndexSummary::default(),
            }),
        })
    }

    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    pub fn options(&self) -> &IndexOptions {
        &self.options
    }

    /// Adds an article as [`Indexer::add_analyzed`] does, analyzing it first.
    pub fn add(&mut self, article: Article) -> Result<()> {
        let analyzed = self
            .open
            .analyzer
            .analyze(article, self.options.detect_reprints);
        self.add_analyzed(analyzed)
    }

    /// Files an analyzed article: new, changed (the old version is replaced: the later
    /// record wins, in this run or over the index), or unchanged (skipped); grouped with
    /// an earlier copy of its story if there is one. Commits every
    /// [`IndexOptions::commit_every`] changes.
    pub fn add_analyzed(&mut self, a: Analyzed) -> Result<()> {
        let run = self.run.as_mut().ok_or_else(finished)?;
        let writer = self.writer.as_mut().ok_or_else(writer_gone)?;
        run.summary.read += 1;
        let key = id_hash(&a.article.id);
        let content = content_hash(&a.article);
        let repeated = !run.seen.insert(key);
        match run.content.get(&key) {
            Some(c) if *c == content => {
                if repeated {
                    run.summary.duplicate_ids += 1;
                } else {
                    run.summary.unchanged += 1;
                }
                return Ok(());
            }
            Some(_) => {
                if repeated {
                    run.summary.duplicate_ids += 1;
                } else {
                    run.summary.updated += 1;
                }
                writer.delete_term(Term::from_field_u64(self.open.fields.id_hash, key));
            }
            None => run.summary.added += 1,
        }
        run.content.insert(key, content);
        let texts = &run.texts;
        let (group, is_copy) = run.grouping.assign(key, &a, &mut |other| texts.body(other));
        if is_copy {
            run.summary.reprints += 1;
        }
        let filing = Filing {
            key,
            content,
            group,
        };
        writer.add_document(to_document(&self.open.fields, &a, &filing))?;
        run.pending += 1;
        if run.pending >= self.options.commit_every {
            self.commit()?;
        }
        Ok(())
    }

    /// Records an input that could not be used.
    pub fn skip(&mut self, origin: String, reason: String) {
        if let Some(run) = self.run.as_mut() {
            run.summary.read += 1;
            run.summary.skipped.push(Skipped { origin, reason });
        }
    }

    /// Records a file that is not an input.
    pub fn ignore(&mut self, origin: String) {
        if let Some(run) = self.run.as_mut() {
            run.summary.ignored.push(origin);
        }
    }

    /// The run so far.
    pub fn summary(&self) -> IndexSummary {
        self.run
            .as_ref()
            .map(|r| {
                let mut s = r.summary.clone();
                s.elapsed_s = r.started.elapsed().as_secs_f64();
                s
            })
            .unwrap_or_default()
    }

    /// Commits what is pending (nothing when nothing changed).
    pub fn commit(&mut self) -> Result<()> {
        let run = self.run.as_mut().ok_or_else(finished)?;
        if run.pending == 0 {
            return Ok(());
        }
        self.writer.as_mut().ok_or_else(writer_gone)?.commit()?;
        run.summary.commits += 1;
        run.pending = 0;
        // What was pending is now in the index, where copies are looked up from now on.
        run.reader.reload()?;
        run.texts.searcher = run.reader.searcher();
        run.grouping.caught_up();
        Ok(())
    }

    /// Ends the run: commits what is pending and, unless `interrupted`, merges segments
    /// when the run changed enough of the index or it holds too many (see
    /// `Indexer::merge_if_worth_it`). `progress` hears of the commit and the merge.
    pub fn finish(
        &mut self,
        interrupted: bool,
        progress: &mut dyn FnMut(Phase, &IndexSummary),
    ) -> Result<IndexSummary> {
        if self.run.as_ref().is_some_and(|r| r.pending > 0) {
            progress(Phase::Committing, &self.summary());
        }
        self.commit()?;
        // The merge maps the files it reads; what only the run needed gives memory back.
        let Run {
            mut summary,
            reader,
            started,
            ..
        } = self.run.take().ok_or_else(finished)?;
        summary.interrupted = interrupted;
        let changed = summary.added + summary.updated;
        // A run cut short mid-merge left many segments: the next run merges them, even
        // when it has nothing new.
        let too_many = self.open.index.searchable_segment_ids()?.len() > MAX_SEGMENTS;
        if self.options.final_merge && !interrupted && (changed > 0 || too_many) {
            let merge_started = Instant::now();
            let segments = self.open.index.searchable_segment_ids()?.len();
            progress(Phase::Merging(segments), &summary);
            summary.segments_merged = self.merge_if_worth_it(changed)?;
            summary.merge_s = merge_started.elapsed().as_secs_f64();
        }
        reader.reload()?;
        summary.documents = reader.searcher().num_docs();
        summary.elapsed_s = started.elapsed().as_secs_f64();
        Ok(summary)
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
