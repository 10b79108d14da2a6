//! `zhnews search` and `zhnews batch`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use zhnews::search::{batch, snippet, SearchRequest, SearchResponse, MAX_LIMIT};

use super::{FilterArgs, SortArg, SourceArg};

#[derive(Args)]
pub struct SearchArgs {
    /// The query; words after the first may start with - (exclusions). A query that
    /// starts with - goes after --: zhnews search -- -招生 教育
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    index: SourceArg,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT as u64))]
    limit: u64,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Continue after this cursor (from a previous --json answer).
    #[arg(long)]
    cursor: Option<String>,
    #[arg(long, value_enum, default_value = "relevance")]
    sort: SortArg,
    /// Show every reprint instead of one hit per story.
    #[arg(long)]
    no_collapse: bool,
    /// Counts by source, year, person, place and organisation.
    #[arg(long)]
    facets: bool,
    /// Every word must match: no partial matches on a short first page.
    #[arg(long)]
    strict: bool,
    #[arg(long)]
    json: bool,
}

pub fn run(a: SearchArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = SearchRequest::new(a.query.join(" "));
    req.syntax = a.filters.syntax.into();
    req.limit = a.limit as usize;
    req.offset = a.offset;
    req.cursor = a.cursor;
    req.filters = a.filters.filters();
    req.sort = a.sort.into();
    req.collapse = !a.no_collapse;
    req.facets = a.facets;
    req.partial = !a.strict;
    let resp = engine.search(&req)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &resp)?;
        writeln!(out)?;
    } else {
        print(&mut out, &resp, a.offset)?;
    }
    out.flush()?;
    Ok(super::found(!resp.hits.is_empty()))
}

fn print(out: &mut impl Write, resp: &SearchResponse, offset: usize) -> Result<()> {
    let color = std::io::stdout().is_terminal();
    for w in &resp.warnings {
        writeln!(out, "note: {w}")?;
    }
    if resp.interpreted_as != resp.query.trim() {
        writeln!(out, "read as: {}", resp.interpreted_as)?;
    }
    let stories = match resp.groups {
        Some(g) if g != resp.total => format!(" in {}", super::plural(g, "story", "stories")),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} match every word{stories}",
        super::plural(resp.total, "article", "articles")
    )?;
    for (n, h) in resp.hits.iter().enumerate() {
        let date = h
            .published
            .as_deref()
            .map(|p| p.get(..16).unwrap_or(p).replace('T', " "))
            .unwrap_or_default();
        let partial = if h.partial { "  (partial match)" } else { "" };
        writeln!(
            out,
            "\n{:>2}. {}  [{}]{partial}",
            offset + n + 1,
            h.title,
            h.id
        )?;
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
            let ids: Vec<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
            writeln!(
                out,
                "    {} of this story: {} ({})",
                super::plural(c.count as u64, "other copy", "other copies"),
                c.sources().join("、"),
                ids.join(" ")
            )?;
        }
    }
    if let Some(f) = &resp.facets {
        writeln!(out)?;
        for (name, counts) in [
            ("sources", &f.source),
            ("years", &f.year),
            ("people", &f.person),
            ("places", &f.place),
            ("organisations", &f.org),
        ] {
            let list: Vec<String> = counts
                .iter()
                .map(|c| format!("{} {}", c.value, c.count))
                .collect();
            writeln!(out, "{name}: {}", list.join(", "))?;
        }
    }
    if let Some(c) = &resp.next_cursor {
        writeln!(out, "\nmore: --cursor {c}")?;
    }
    Ok(())
}

#[derive(Args)]
pub struct BatchArgs {
    queries: PathBuf,
    #[command(flatten)]
    index: SourceArg,
    /// Hits per query (at most 100, as a page of the API).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100))]
    k: u64,
    /// Also write each query's time (TSV: id<TAB>milliseconds) to this file.
    #[arg(long)]
    times: Option<PathBuf>,
}

pub fn batch(a: BatchArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let text = std::fs::read_to_string(&a.queries)
        .with_context(|| format!("reading {}", a.queries.display()))?;
    let mut queries = Vec::new();
    let mut failed = 0;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match line.split_once('\t') {
            Some((id, q)) => queries.push((id.to_string(), q.to_string())),
            None => {
                eprintln!(
                    "zhnews: {}:{}: no tab between id and query",
                    a.queries.display(),
                    n + 1
                );
                failed += 1;
            }
        }
    }
    let results = batch::run(&|r| engine.search(r), &queries, a.k as usize, 3);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for r in &results {
        if let Some(e) = &r.error {
            eprintln!("zhnews: query {}: {e}", r.id);
        }
        for (rank, (id, score)) in r.hits.iter().enumerate() {
            writeln!(out, "{} Q0 {id} {} {score:.4} zhnews", r.id, rank + 1)?;
        }
    }
    out.flush()?;
    if let Some(path) = &a.times {
        let lines: String = results
            .iter()
            .map(|r| format!("{}\t{:.4}\n", r.id, r.ms))
            .collect();
        std::fs::write(path, lines).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "SUMMARY {}",
        serde_json::to_string(&batch::latency(&results, failed))?
    );
    Ok(ExitCode::SUCCESS)
}
