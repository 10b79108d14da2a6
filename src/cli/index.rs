//! `zhnews index`: read, extract and index, with a progress bar, then a summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;
use clap::Args;

use zhnews::index::{create_or_open, IndexOptions, IndexSummary, Indexer, Phase, Progress};

#[derive(Args)]
pub struct IndexArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Commit every N new or changed documents.
    #[arg(long, default_value_t = 20_000)]
    commit_every: usize,
    /// Extra words for jieba (word [freq] [tag] per line), taken when the index is
    /// created and kept with it.
    #[arg(long)]
    user_dict: Option<PathBuf>,
    /// Indexing threads (default: all cores, at most 8).
    #[arg(long)]
    threads: Option<usize>,
    /// Don't merge segments at the end. By default a run that changed at least 1/20 of
    /// the index, or finds more than 8 segments, merges them (faster queries), reading at
    /// most 384 MB per merge.
    #[arg(long)]
    no_merge: bool,
    /// Don't group reprints (each article is its own story).
    #[arg(long)]
    no_reprints: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: IndexArgs) -> Result<ExitCode> {
    let (present, some_missing) = super::existing_inputs(&a.paths);
    if present.is_empty() {
        return Ok(ExitCode::from(2));
    }
    if let Some(dict) = &a.user_dict {
        eprintln!("zhnews: loading user dictionary {}", dict.display());
    }
    let open = create_or_open(&a.index, a.user_dict.as_deref())?;
    let defaults = IndexOptions::default();
    let options = IndexOptions {
        commit_every: a.commit_every.max(1),
        threads: a.threads.map_or(defaults.threads, |t| t.max(1)),
        final_merge: !a.no_merge,
        detect_reprints: !a.no_reprints,
        ..defaults
    };
    let mut indexer = Indexer::new(open, options)?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        // SIGINT/SIGTERM: stop reading, commit what we have, exit.
        let stop = stop.clone();
        super::signal::on_signal(move || stop.store(true, Ordering::SeqCst))?;
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {percent:>3}% ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        pb
    });
    let summary = zhnews::pipeline::index(&mut indexer, &present, stop, &mut |p| {
        if let Some(pb) = &bar {
            show_progress(pb, p);
        }
    })?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if a.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        print_summary(&summary, &a.index);
    }
    let indexed = summary.added + summary.updated + summary.unchanged + summary.duplicate_ids;
    Ok(
        if some_missing || (indexed == 0 && summary.read > 0 && summary.documents == 0) {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        },
    )
}

fn show_progress(pb: &indicatif::ProgressBar, p: &Progress) {
    pb.set_length(p.bytes_total.max(1));
    pb.set_position(p.bytes_read.min(p.bytes_total));
    let rate = p.read as f64 / p.elapsed_s.max(0.001);
    let msg = match p.phase {
        Phase::Reading => format!(
            "{} records, {} added, {} updated, {} skipped · {rate:.0} records/s",
            p.read, p.added, p.updated, p.skipped
        ),
        Phase::Committing => format!("{} records · committing", p.read),
        Phase::Merging(n) => format!("{} records · merging {n} segments", p.read),
    };
    pb.set_message(msg);
    pb.tick();
}

fn print_summary(summary: &IndexSummary, dir: &std::path::Path) {
    // A crawl can hold thousands of bad records: show a few, count the rest by reason.
    const SHOWN: usize = 20;
    for s in summary.skipped.iter().take(SHOWN) {
        eprintln!("skipped {}: {}", s.origin, s.reason);
    }
    if summary.skipped.len() > SHOWN {
        let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
        for s in &summary.skipped[SHOWN..] {
            *reasons.entry(s.reason.as_str()).or_default() += 1;
        }
        eprintln!(
            "… and {} more (--json lists all):",
            summary.skipped.len() - SHOWN
        );
        for (reason, n) in reasons.iter().take(SHOWN) {
            eprintln!("  {n} × {reason}");
        }
    }
    if !summary.ignored.is_empty() {
        let names: Vec<&str> = summary.ignored.iter().take(5).map(String::as_str).collect();
        eprintln!(
            "ignored {} not pages, JSON Lines or WARC by their names: {}{}",
            super::plural(summary.ignored.len() as u64, "file", "files"),
            names.join(", "),
            if summary.ignored.len() > 5 {
                ", …"
            } else {
                ""
            }
        );
    }
    let merged = if summary.segments_merged > 0 {
        format!(
            "; merged {} segments in {:.2}s",
            summary.segments_merged, summary.merge_s
        )
    } else {
        String::new()
    };
    let committed = if summary.commits == 0 {
        "; nothing changed, nothing committed"
    } else {
        ""
    };
    println!(
        "read {}, added {}, updated {}, unchanged {}, replaced by a later record {}, reprints {}, \
         skipped {} in {:.2}s ({:.0} records/s{merged}{committed}); the index in {} holds {}{}",
        summary.read,
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.duplicate_ids,
        summary.reprints,
        summary.skipped.len(),
        summary.elapsed_s,
        summary.read as f64 / summary.elapsed_s.max(0.001),
        dir.display(),
        super::plural(summary.documents, "article", "articles"),
        if summary.interrupted {
            " (interrupted; committed what was read)"
        } else {
            ""
        }
    );
}
