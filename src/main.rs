//! The `zhnews` command line: parses flags, calls the library, prints, maps errors to
//! exit codes (0 ok, 1 nothing found, 2 error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use zhnews::extract::{self, ExtractOutput};
use zhnews::index::{create_or_open, IndexOptions, Indexer};
use zhnews::ingest::{self, Item};
use zhnews::search::export::{parse_fields, ExportFormat};
use zhnews::search::trend::Interval;
use zhnews::search::{snippet, Engine, SearchRequest, Sort};

/// jemalloc instead of glibc's malloc, whose per-thread arenas fragment under tantivy's
/// indexing threads. Indexing 765,160 articles (benches/scale-x10) took the heap from 401
/// to 721 MB with glibc, and kept it between 342 and 436 MB with jemalloc (peak RSS 829 →
/// 465 MB, 3,344 → 3,535 docs/s).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const QUERY_HELP: &str = "\
QUERY LANGUAGE:
  援疆 教育                      both words (AND is the default)
  援疆 OR 援藏                   either
  教育 -招生 / 教育 NOT 招生       without
  (援疆 OR 援藏) 教育            grouping
  \"人民银行\"                     exact string: every article containing it, nothing else
                                 (also inside 中国人民银行; whitespace inside is optional)
  \"北京 新规\"~5                  both within 5 characters, in order
  NEAR/5(北京 新规)              the same
  title:脱贫  body:\"乡村振兴\"     one field only
  source:新华网  author:张晓明  section:国内新闻
  published:[2020-01-01 TO 2020-12-31]   published:[2020 TO *]
Unquoted terms rank by jieba words (title counts double) and also match where the
string occurs exactly. A long string (4 words or more) matches where the words it
shares carry 3/4 of its weight, rarer words weighing more. Traditional and
simplified characters, full-width and half-width forms, and letter case are
treated alike.";

#[derive(Parser)]
#[command(
    name = "zhnews",
    version,
    about = "Chinese news search: index crawled pages, search them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
}

#[derive(Clone, Copy, ValueEnum)]
enum IntervalArg {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Clone, Copy, ValueEnum)]
enum TrendFormat {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Index files or folders of crawled pages (HTML, JSONL, WARC; gzip/zstd).
    Index {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Commit every N new or changed documents.
        #[arg(long, default_value_t = 20_000)]
        commit_every: usize,
        /// Extra words for jieba (word [freq] [tag] per line); kept with the index.
        #[arg(long)]
        user_dict: Option<PathBuf>,
        /// Indexing threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Don't merge segments at the end. By default a run that changed at least 1/20 of
        /// the index, or left more than 8 segments, merges its segments (faster queries),
        /// reading at most 384 MB per merge.
        #[arg(long)]
        no_merge: bool,
        /// Don't group reprints (each article is its own story).
        #[arg(long)]
        no_reprints: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search the index.
    #[command(after_help = QUERY_HELP)]
    Search {
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Continue after this cursor (from a previous --json answer).
        #[arg(long)]
        cursor: Option<String>,
        /// Published on or after this day (YYYY-MM-DD, Beijing time).
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long, value_enum, default_value = "relevance")]
        sort: SortArg,
        /// Show every reprint instead of one hit per story.
        #[arg(long)]
        no_collapse: bool,
        /// Counts by source and year.
        #[arg(long)]
        facets: bool,
        /// When every-term matching fills less than a page, add hits that match only some
        /// of the words (marked partial; plain word queries only).
        #[arg(long)]
        partial: bool,
        /// Rank the first page without counting every match (plain words, relevance
        /// order): faster on long queries; the count then covers only the top candidates.
        #[arg(long)]
        no_count: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one article with all its fields.
    Show {
        id: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Documents, sources, date span and size of the index.
    Stats {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Articles most like one article (its own reprints are counted, not listed).
    Related {
        id: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only articles published within this many days of it.
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Matching articles per day/week/month/year (Beijing time); one query per argument.
    Trend {
        #[arg(required = true)]
        queries: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, value_enum, default_value = "month")]
        interval: IntervalArg,
        /// Also count all articles per bucket (shares in the chart and table).
        #[arg(long)]
        normalize: bool,
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: TrendFormat,
        /// Also write an SVG chart to this file.
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Keyword in context: every occurrence with its left and right context.
    Kwic {
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Characters of context on each side.
        #[arg(long, default_value_t = 20)]
        width: usize,
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Every matching article, streamed as CSV or JSON Lines.
    Export {
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, default_value = "csv")]
        format: String,
        /// Comma-separated: id,url,title,published,source,author,editor,section,keywords,body
        #[arg(long)]
        fields: Option<String>,
    },
    /// Run a file of queries (TSV: id<TAB>text, taken as plain text) single-threaded;
    /// prints a TREC run on stdout and latency figures as one SUMMARY line on stderr.
    Batch {
        queries: PathBuf,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Hits per query (at most 100).
        #[arg(long, default_value_t = 10)]
        k: usize,
        /// Also write each query's time (TSV: id<TAB>milliseconds) to this file.
        #[arg(long)]
        times: Option<PathBuf>,
    },
    /// Serve the JSON API and the search page (read-only; follows new commits).
    Serve {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Per-request time budget in milliseconds (then 503).
        #[arg(long, default_value_t = 2000)]
        budget_ms: u64,
        /// Memory for cached search responses, in MiB (0 turns the cache off). Entries are
        /// tied to the index generation, so a new commit is never answered from the cache.
        #[arg(long, default_value_t = 64)]
        cache_mb: u64,
    },
    /// Extract articles from pages and print one JSON object per page (JSON Lines).
    Extract {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Accepted for compatibility; output is always JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZHNEWS_LOG")
                .unwrap_or_else(|_| "warn,html5ever=off".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zhnews: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index {
            paths,
            index,
            commit_every,
            user_dict,
            threads,
            no_merge,
            no_reprints,
            json,
        } => cmd_index(
            paths,
            index,
            IndexOptions {
                commit_every: commit_every.max(1),
                threads: threads
                    .map(|t| t.max(1))
                    .unwrap_or(IndexOptions::default().threads),
                final_merge: !no_merge,
                detect_reprints: !no_reprints,
                ..IndexOptions::default()
            },
            user_dict,
            json,
        ),
        Command::Search {
            query,
            index,
            limit,
            offset,
            cursor,
            from,
            to,
            source,
            sort,
            no_collapse,
            facets,
            partial,
            no_count,
            json,
        } => {
            let engine = Engine::open(&index, false)?;
            let mut req = SearchRequest::new(query.join(" "));
            req.limit = limit;
            req.offset = offset;
            req.cursor = cursor;
            req.from = from;
            req.to = to;
            req.source = source;
            req.sort = match sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Date => Sort::Date,
            };
            req.collapse = !no_collapse;
            req.facets = facets;
            req.partial = partial;
            req.exact_total = !no_count;
            let resp = engine.search(&req)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &resp)?;
                writeln!(out)?;
            } else {
                let color = std::io::stdout().is_terminal();
                if resp.total_exact {
                    writeln!(out, "{} matches for {}", resp.total, resp.query)?;
                } else {
                    writeln!(out, "{} or more matches for {}", resp.total, resp.query)?;
                }
                for (n, h) in resp.hits.iter().enumerate() {
                    let date = h
                        .published
                        .as_deref()
                        .map(|p| p.get(..16).unwrap_or(p).replace('T', " "))
                        .unwrap_or_default();
                    writeln!(out, "\n{:>2}. {}  [{}]", offset + n + 1, h.title, h.id)?;
                    writeln!(
                        out,
                        "    {}  {}  {}",
                        date,
                        h.source.as_deref().unwrap_or("-"),
                        h.url.as_deref().unwrap_or("")
                    )?;
                    let text = if color {
                        snippet::to_ansi(&h.fragments)
                    } else {
                        snippet::to_plain(&h.fragments)
                    };
                    writeln!(out, "    {text}")?;
                    if let Some(c) = &h.copies {
                        writeln!(out, "    {} copies: {}", c.count, c.sources.join("、"))?;
                    }
                }
                if let Some(f) = &resp.facets {
                    let s: Vec<String> = f
                        .source
                        .iter()
                        .map(|c| format!("{} {}", c.value, c.count))
                        .collect();
                    let y: Vec<String> = f
                        .year
                        .iter()
                        .map(|c| format!("{} {}", c.value, c.count))
                        .collect();
                    writeln!(out, "\nsources: {}\nyears: {}", s.join(", "), y.join(", "))?;
                }
                if let Some(c) = &resp.next_cursor {
                    writeln!(out, "\nmore: --cursor {c}")?;
                }
            }
            Ok(if resp.total == 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Show { id, index, json } => {
            let engine = Engine::open(&index, false)?;
            let a = engine.article(&id)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &a)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}\n", a.title)?;
                writeln!(out, "id:        {}", a.id)?;
                writeln!(out, "url:       {}", a.url.as_deref().unwrap_or("-"))?;
                writeln!(
                    out,
                    "published: {}",
                    a.published
                        .map(|p| p.to_rfc3339())
                        .unwrap_or_else(|| "-".into())
                )?;
                writeln!(out, "source:    {}", a.source.as_deref().unwrap_or("-"))?;
                writeln!(out, "author:    {}", a.author.as_deref().unwrap_or("-"))?;
                writeln!(out, "editor:    {}", a.editor.as_deref().unwrap_or("-"))?;
                writeln!(out, "section:   {}", a.section.as_deref().unwrap_or("-"))?;
                writeln!(out, "keywords:  {}", a.keywords.join(", "))?;
                writeln!(out, "\n{}", a.body)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { index, json } => {
            let engine = Engine::open(&index, false)?;
            let s = engine.stats()?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &s)?;
                writeln!(out)?;
            } else {
                writeln!(out, "index:     {}", s.path)?;
                writeln!(out, "documents: {}", s.documents)?;
                writeln!(out, "sources:   {}", s.sources)?;
                writeln!(
                    out,
                    "published: {} … {}",
                    s.earliest.as_deref().unwrap_or("-"),
                    s.latest.as_deref().unwrap_or("-")
                )?;
                writeln!(
                    out,
                    "size:      {:.1} MB in {} segments",
                    s.index_bytes as f64 / 1e6,
                    s.segments
                )?;
                let tokens: Vec<String> =
                    s.tokens.iter().map(|(f, n)| format!("{f} {n}")).collect();
                writeln!(out, "tokens:    {}", tokens.join(", "))?;
                writeln!(
                    out,
                    "committed: {}",
                    s.last_commit.as_deref().unwrap_or("-")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Related {
            id,
            index,
            limit,
            days,
            json,
        } => {
            let engine = Engine::open(&index, false)?;
            let r = engine.related(&id, days, limit)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            } else {
                writeln!(out, "keywords: {}", r.keywords.join(" "))?;
                writeln!(out, "reprints of this story: {}", r.reprints)?;
                for (n, h) in r.hits.iter().enumerate() {
                    let date = h
                        .hit
                        .published
                        .as_deref()
                        .and_then(|p| p.get(..10))
                        .unwrap_or("-");
                    writeln!(
                        out,
                        "{:>2}. {}  {}  {}  [{}]",
                        n + 1,
                        date,
                        h.hit.title,
                        h.hit.source.as_deref().unwrap_or("-"),
                        h.hit.id
                    )?;
                    writeln!(out, "    because: {}", h.reason.join(" "))?;
                }
            }
            Ok(if r.hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Trend {
            queries,
            index,
            interval,
            normalize,
            from,
            to,
            format,
            svg,
        } => {
            let engine = Engine::open(&index, false)?;
            let interval = match interval {
                IntervalArg::Day => Interval::Day,
                IntervalArg::Week => Interval::Week,
                IntervalArg::Month => Interval::Month,
                IntervalArg::Year => Interval::Year,
            };
            let t = engine.trend(&queries, interval, normalize, from, to)?;
            if let Some(path) = svg {
                std::fs::write(&path, zhnews::search::chart::to_svg(&t)?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            let mut out = std::io::stdout().lock();
            match format {
                TrendFormat::Json => {
                    serde_json::to_writer(&mut out, &t)?;
                    writeln!(out)?;
                }
                TrendFormat::Csv | TrendFormat::Table => {
                    let sep = if matches!(format, TrendFormat::Csv) {
                        ","
                    } else {
                        "\t"
                    };
                    let mut header = vec!["start".to_string()];
                    header.extend(t.series.iter().map(|s| s.query.clone()));
                    if normalize {
                        header.push("total".into());
                    }
                    writeln!(out, "{}", header.join(sep))?;
                    let rows = t.series.first().map(|s| s.buckets.len()).unwrap_or(0);
                    for i in 0..rows {
                        let mut row = vec![t.series[0].buckets[i].start.clone()];
                        row.extend(t.series.iter().map(|s| s.buckets[i].count.to_string()));
                        if let Some(total) = t.series[0].buckets[i].total {
                            row.push(total.to_string());
                        }
                        writeln!(out, "{}", row.join(sep))?;
                    }
                }
            }
            let any = t
                .series
                .iter()
                .any(|s| s.buckets.iter().any(|b| b.count > 0));
            Ok(if any {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Kwic {
            query,
            index,
            width,
            limit,
            json,
        } => {
            let engine = Engine::open(&index, false)?;
            let lines = engine.kwic(&query.join(" "), width, limit)?;
            let mut out = std::io::stdout().lock();
            for l in &lines {
                if json {
                    serde_json::to_writer(&mut out, l)?;
                    writeln!(out)?;
                } else {
                    let date = l
                        .published
                        .as_deref()
                        .and_then(|p| p.get(..10))
                        .unwrap_or("-");
                    let pad = width.saturating_sub(l.left.chars().count());
                    writeln!(
                        out,
                        "{}{} | {} | {}   {} {}@{}",
                        "　".repeat(pad),
                        l.left,
                        l.matched,
                        l.right,
                        date,
                        l.id,
                        l.offset
                    )?;
                }
            }
            Ok(if lines.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export {
            query,
            index,
            format,
            fields,
        } => {
            let engine = Engine::open(&index, false)?;
            let format: ExportFormat = format.parse()?;
            let fields = parse_fields(fields.as_deref())?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let n = engine.export(&query.join(" "), format, &fields, &mut out)?;
            eprintln!("zhnews: exported {n} articles");
            Ok(if n == 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Batch {
            queries,
            index,
            k,
            times: times_file,
        } => {
            let engine = Engine::open(&index, false)?;
            let mut per_query = Vec::new();
            let text = std::fs::read_to_string(&queries)
                .with_context(|| format!("reading {}", queries.display()))?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut times = Vec::new();
            let mut failed = 0usize;
            let request = |q: &str| {
                let mut req = SearchRequest::new(q);
                req.plain = true;
                req.partial = true;
                req.collapse = false;
                // Like the peers: ids and scores only.
                req.ids_only = true;
                // Like the peers: the first page, not a count of every match.
                req.exact_total = false;
                req.limit = k;
                req
            };
            let lines: Vec<(usize, &str)> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            // Like the peers' harness: the first three queries once untimed, so the first
            // timings do not include paging in the index.
            for (_, line) in lines.iter().take(3) {
                if let Some((_, q)) = line.split_once('\t') {
                    let _ = engine.search(&request(q));
                }
            }
            for (n, line) in lines {
                let Some((qid, q)) = line.split_once('\t') else {
                    eprintln!(
                        "zhnews: {}:{}: no tab between id and query",
                        queries.display(),
                        n + 1
                    );
                    failed += 1;
                    continue;
                };
                let req = request(q);
                let started = std::time::Instant::now();
                let resp = engine.search(&req);
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                times.push(ms);
                if times_file.is_some() {
                    per_query.push(format!("{qid}\t{ms:.4}\n"));
                }
                match resp {
                    Ok(r) => {
                        for (rank, h) in r.hits.iter().enumerate() {
                            writeln!(out, "{qid} Q0 {} {} {:.4} zhnews", h.id, rank + 1, h.score)?;
                        }
                    }
                    Err(e) => {
                        eprintln!("zhnews: query {qid}: {e}");
                        failed += 1;
                    }
                }
            }
            out.flush()?;
            if let Some(path) = times_file {
                std::fs::write(&path, per_query.concat())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            times.sort_by(|a, b| a.total_cmp(b));
            let pct = |p: f64| {
                times
                    .get(((times.len() as f64 - 1.0) * p).round() as usize)
                    .copied()
                    .unwrap_or(0.0)
            };
            let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
            eprintln!(
                "SUMMARY {}",
                serde_json::json!({"queries": times.len(), "failed": failed, "q_mean_ms": mean, "q_p50_ms": pct(0.5), "q_p95_ms": pct(0.95), "q_p99_ms": pct(0.99)})
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            index,
            addr,
            budget_ms,
            cache_mb,
        } => {
            let engine = Engine::open(&index, true)?;
            let options = zhnews::serve::ServeOptions {
                time_budget: std::time::Duration::from_millis(budget_ms.max(1)),
                cache_bytes: cache_mb << 20,
            };
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(zhnews::serve::serve(
                engine,
                addr,
                options,
                |bound| eprintln!("zhnews: serving {} on http://{bound}/", index.display()),
                shutdown_signal(),
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { paths, json: _ } => {
            let mut out = std::io::stdout().lock();
            let mut failed = 0usize;
            let mut ok = 0usize;
            let mut write_err = None;
            ingest::read_paths(&paths, &mut |item: Result<Item, zhnews::Error>| match item
                .and_then(|i| extract::extract(&i).map(|a| (i, a)))
            {
                Ok((i, a)) => {
                    ok += 1;
                    let record = ExtractOutput::with_origin(&a, i.origin());
                    let line = serde_json::to_string(&record).unwrap_or_default();
                    if let Err(e) = writeln!(out, "{line}") {
                        write_err = Some(e);
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("zhnews: skipped {e}");
                }
            });
            if let Some(e) = write_err {
                return Err(e).context("writing output");
            }
            Ok(if ok == 0 && failed > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn cmd_index(
    paths: Vec<PathBuf>,
    dir: PathBuf,
    options: IndexOptions,
    user_dict: Option<PathBuf>,
    json: bool,
) -> Result<ExitCode> {
    let open = create_or_open(&dir, user_dict.as_deref())?;
    let mut indexer = Indexer::new(open, options)?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        // SIGINT/SIGTERM: stop reading, commit what we have, exit.
        let stop = stop.clone();
        let _ = ctrlc_like(move || stop.store(true, Ordering::SeqCst));
    }
    let bar = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Some(pb)
    } else {
        None
    };
    let summary = indexer.run(&paths, stop, &mut |p| {
        if let Some(pb) = &bar {
            let rate = p.read as f64 / p.elapsed_s.max(0.001);
            pb.set_message(format!(
                "{} read, {} added, {} updated, {} skipped · {:.0} pages/s",
                p.read, p.added, p.updated, p.skipped, rate
            ));
            pb.tick();
        }
    })?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        // A crawl can hold thousands of bad records: show a few, count the rest by reason.
        const SHOWN: usize = 20;
        for s in summary.skipped.iter().take(SHOWN) {
            eprintln!("skipped {}: {}", s.origin, s.reason);
        }
        if summary.skipped.len() > SHOWN {
            let mut reasons: std::collections::BTreeMap<&str, usize> =
                std::collections::BTreeMap::new();
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
        println!(
            "read {}, added {}, updated {}, unchanged {}, duplicate ids {}, reprints {}, skipped {} in {:.2}s ({:.0} records/s{}); index {} holds {} documents{}",
            summary.read,
            summary.added,
            summary.updated,
            summary.unchanged,
            summary.duplicate_ids,
            summary.reprints,
            summary.skipped.len(),
            summary.elapsed_s,
            summary.read as f64 / summary.elapsed_s.max(0.001),
            if summary.segments_merged > 0 {
                format!(
                    "; merged {} segments in {:.2}s",
                    summary.segments_merged, summary.merge_s
                )
            } else {
                String::new()
            },
            dir.display(),
            summary.documents,
            if summary.interrupted { " (interrupted; committed what was read)" } else { "" }
        );
    }
    let indexed = summary.added + summary.updated + summary.unchanged;
    Ok(
        if indexed == 0 && summary.read > 0 && summary.documents == 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs `f` on SIGINT or SIGTERM, on a small thread with its own runtime.
fn ctrlc_like(f: impl FnOnce() + Send + 'static) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        rt.block_on(async {
            #[cfg(unix)]
            {
                let mut term =
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(t) => t,
                        Err(_) => return,
                    };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        });
        f();
    });
    Ok(())
}
