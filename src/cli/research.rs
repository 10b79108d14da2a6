//! The research tools: `related`, `entities`, `trend`, `kwic` and `export`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use zhnews::search::entities::EntitiesRequest;
use zhnews::search::export::{parse_fields, ExportFormat, ExportRequest};
use zhnews::search::kwic::{KwicRequest, MAX_LINES};
use zhnews::search::related::RelatedRequest;
use zhnews::search::trend::{Interval, Trend, TrendRequest};

use super::{FilterArgs, SortArg, SourceArg};

#[derive(Args)]
pub struct RelatedArgs {
    id: String,
    #[command(flatten)]
    index: SourceArg,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Only articles published within this many days of it.
    #[arg(long)]
    days: Option<u32>,
    #[arg(long)]
    json: bool,
}

pub fn related(a: RelatedArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = RelatedRequest::new(a.id);
    req.days = a.days;
    req.limit = a.limit;
    let r = engine.related(&req)?;
    let mut out = std::io::stdout().lock();
    if a.json {
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
            let apart = h
                .days_apart
                .map(|d| format!("  ({})", super::plural(d as u64, "day", "days") + " apart"))
                .unwrap_or_default();
            writeln!(out, "    because: {}{apart}", h.reason.join(" "))?;
        }
        if let Some(note) = &r.note {
            writeln!(out, "({note})")?;
        }
    }
    Ok(super::found(!r.hits.is_empty()))
}

#[derive(Clone, Copy, ValueEnum)]
enum IntervalArg {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TrendFormat {
    Table,
    Csv,
    Json,
}

#[derive(Args)]
pub struct TrendArgs {
    #[arg(required = true, num_args = 1..)]
    queries: Vec<String>,
    #[command(flatten)]
    index: SourceArg,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, value_enum, default_value = "month")]
    interval: IntervalArg,
    /// Also count all articles per bucket, and each query's share of them.
    #[arg(long)]
    normalize: bool,
    #[arg(long, value_enum, default_value = "table")]
    format: TrendFormat,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
    /// Also write an SVG chart to this file.
    #[arg(long)]
    svg: Option<PathBuf>,
}

pub fn trend(a: TrendArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = TrendRequest::new(a.queries.clone());
    req.syntax = a.filters.syntax.into();
    req.interval = match a.interval {
        IntervalArg::Day => Interval::Day,
        IntervalArg::Week => Interval::Week,
        IntervalArg::Month => Interval::Month,
        IntervalArg::Year => Interval::Year,
    };
    req.normalize = a.normalize;
    req.filters = a.filters.filters();
    let t = engine.trend(&req)?;
    if let Some(path) = &a.svg {
        std::fs::write(path, zhnews::search::chart::to_svg(&t)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let format = if a.json { TrendFormat::Json } else { a.format };
    let mut out = std::io::stdout().lock();
    match format {
        TrendFormat::Json => {
            serde_json::to_writer(&mut out, &t)?;
            writeln!(out)?;
        }
        TrendFormat::Csv => write_table(&mut out, &t, ",", true)?,
        TrendFormat::Table => write_table(&mut out, &t, "\t", false)?,
    }
    let any = t.series.iter().any(|s| s.total > 0);
    Ok(super::found(any))
}

/// One row per bucket: its start, each query's count (and share), the bucket's total.
fn write_table(out: &mut impl Write, t: &Trend, sep: &str, csv: bool) -> Result<()> {
    let quote = |s: &str| {
        if csv && s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut header = vec!["start".to_string()];
    for s in &t.series {
        header.push(quote(&s.query));
        if t.normalized {
            header.push(quote(&format!("{} share", s.query)));
        }
    }
    if t.normalized {
        header.push("total".into());
    }
    writeln!(out, "{}", header.join(sep))?;
    let rows = t.series.first().map_or(0, |s| s.buckets.len());
    for i in 0..rows {
        let mut row = vec![t.series[0].buckets[i].start.clone()];
        for s in &t.series {
            let b = &s.buckets[i];
            row.push(b.count.to_string());
            if let Some(share) = b.share {
                row.push(format!("{share:.4}"));
            }
        }
        if let Some(total) = t.series[0].buckets[i].total {
            row.push(total.to_string());
        }
        writeln!(out, "{}", row.join(sep))?;
    }
    Ok(())
}

#[derive(Args)]
pub struct KwicArgs {
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    index: SourceArg,
    #[command(flatten)]
    filters: FilterArgs,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 20)]
    width: usize,
    /// Most lines (at most 10,000).
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub fn kwic(a: KwicArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = KwicRequest::new(a.query.join(" "));
    req.syntax = a.filters.syntax.into();
    req.width = a.width;
    req.limit = a.limit.min(MAX_LINES);
    req.filters = a.filters.filters();
    let k = engine.kwic(&req)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &k)?;
        writeln!(out)?;
    } else {
        for l in &k.lines {
            let date = l
                .published
                .as_deref()
                .and_then(|p| p.get(..10))
                .unwrap_or("-");
            let pad = a.width.saturating_sub(l.left.chars().count());
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
        eprintln!(
            "zhnews: {} in {} matching {}{}",
            super::plural(k.lines.len() as u64, "line", "lines"),
            k.articles,
            if k.articles == 1 {
                "article"
            } else {
                "articles"
            },
            if k.truncated {
                " (cut at --limit; more occurrences exist)"
            } else {
                ""
            }
        );
    }
    Ok(super::found(!k.lines.is_empty()))
}

#[derive(Args)]
pub struct EntitiesArgs {
    /// The query (none: every article).
    query: Vec<String>,
    #[command(flatten)]
    index: SourceArg,
    #[command(flatten)]
    filters: FilterArgs,
    /// Values per kind (at most 100).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub fn entities(a: EntitiesArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = EntitiesRequest::new(a.query.join(" "));
    req.syntax = a.filters.syntax.into();
    req.limit = a.limit;
    req.filters = a.filters.filters();
    let list = engine.entities(&req)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &list)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} matching {}",
            super::plural(list.total, "article", "articles"),
            list.interpreted_as
        )?;
        for (name, values) in [
            ("people", &list.person),
            ("places", &list.place),
            ("organisations", &list.org),
        ] {
            let shown: Vec<String> = values
                .iter()
                .map(|c| format!("{} {}", c.value, c.count))
                .collect();
            writeln!(out, "{name}: {}", shown.join(", "))?;
        }
    }
    Ok(super::found(list.total > 0))
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    index: SourceArg,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Comma-separated, named as in search JSON:
    /// id,url,title,published,source,author,editor,section,keywords,body
    #[arg(long)]
    fields: Option<String>,
    /// Row order: date (newest first) or relevance; ties by id.
    #[arg(long, value_enum, default_value = "date")]
    sort: SortArg,
    /// Start CSV with a byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    bom: bool,
}

pub fn export(a: ExportArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let mut req = ExportRequest::new(a.query.join(" "));
    req.syntax = a.filters.syntax.into();
    req.format = match a.format {
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Jsonl => ExportFormat::Jsonl,
    };
    req.fields = parse_fields(a.fields.as_deref())?;
    req.filters = a.filters.filters();
    req.sort = a.sort.into();
    req.bom = a.bom;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let n = engine.export(&req, &mut out)?;
    out.flush()?;
    eprintln!(
        "zhnews: exported {}",
        super::plural(n, "article", "articles")
    );
    Ok(super::found(n > 0))
}
