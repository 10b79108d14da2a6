//! `zhnews show`, `stats`, `check` and `extract`: one article, the index, its files, pages.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use zhnews::extract::{self, ExtractOutput};
use zhnews::ingest::{self, Item};
use zhnews::search::Engine;

use super::{IndexArg, SourceArg};

#[derive(Args)]
pub struct ShowArgs {
    id: String,
    #[command(flatten)]
    index: SourceArg,
    #[arg(long)]
    json: bool,
}

pub fn show(a: ShowArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let (art, entities) = engine.article_with_entities(&a.id)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut shown = extract::ExtractOutputWithId::from(&art);
        shown.entities = Some(&entities);
        serde_json::to_writer(&mut out, &shown)?;
        writeln!(out)?;
    } else {
        let or_dash = |v: Option<&str>| v.unwrap_or("-").to_string();
        writeln!(out, "{}\n", art.title)?;
        writeln!(out, "id:        {}", art.id)?;
        writeln!(out, "url:       {}", or_dash(art.url.as_deref()))?;
        writeln!(
            out,
            "published: {}",
            art.published
                .map(|p| p.to_string())
                .unwrap_or_else(|| "-".into())
        )?;
        writeln!(out, "source:    {}", or_dash(art.source.as_deref()))?;
        writeln!(out, "author:    {}", or_dash(art.author.as_deref()))?;
        writeln!(out, "editor:    {}", or_dash(art.editor.as_deref()))?;
        writeln!(out, "section:   {}", or_dash(art.section.as_deref()))?;
        writeln!(out, "keywords:  {}", art.keywords.join(", "))?;
        writeln!(out, "people:    {}", entities.person.join(", "))?;
        writeln!(out, "places:    {}", entities.place.join(", "))?;
        writeln!(out, "orgs:      {}", entities.org.join(", "))?;
        writeln!(out, "\n{}", art.body)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    index: SourceArg,
    #[arg(long)]
    json: bool,
}

pub fn stats(a: StatsArgs) -> Result<ExitCode> {
    let engine = a.index.open(false)?;
    let s = engine.stats()?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "index:     {}", s.path)?;
    writeln!(out, "articles:  {}", s.documents)?;
    writeln!(
        out,
        "published: {} … {}",
        s.earliest.as_deref().unwrap_or("-"),
        s.latest.as_deref().unwrap_or("-")
    )?;
    writeln!(
        out,
        "size:      {:.1} MB in {}",
        s.index_bytes as f64 / 1e6,
        super::plural(s.segments as u64, "segment", "segments")
    )?;
    let tokens: Vec<String> = s.tokens.iter().map(|(f, n)| format!("{f} {n}")).collect();
    writeln!(out, "tokens:    {}", tokens.join(", "))?;
    writeln!(
        out,
        "committed: {}",
        s.last_commit.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "sources:   {}", s.sources)?;
    for c in &s.top_sources {
        writeln!(out, "  {:>8}  {}", c.count, c.value)?;
    }
    if s.sources > s.top_sources.len() as u64 {
        writeln!(
            out,
            "  … and {} more",
            s.sources - s.top_sources.len() as u64
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    index: IndexArg,
}

pub fn check(a: CheckArgs) -> Result<ExitCode> {
    let engine = Engine::open(&a.index.index, false)?;
    let damaged = engine.check()?;
    if damaged.is_empty() {
        println!(
            "{}: every file matches its checksum",
            a.index.index.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for f in &damaged {
        eprintln!("zhnews: damaged: {}", f.display());
    }
    eprintln!(
        "zhnews: {} damaged; rebuild the index into a new folder",
        super::plural(damaged.len() as u64, "file is", "files are")
    );
    Ok(ExitCode::from(2))
}

#[derive(Args)]
pub struct ExtractArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Accepted for symmetry with the other commands; the output is always JSON Lines.
    #[arg(long)]
    json: bool,
}

pub fn extract(a: ExtractArgs) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    let mut ok = 0usize;
    let mut write_err = None;
    ingest::read_paths(&a.paths, &mut |item: Result<Item, zhnews::Error>| {
        if write_err.is_some() {
            return;
        }
        if let Ok(Item::Ignored { origin }) = &item {
            eprintln!("zhnews: ignored {origin} (not a page, JSON Lines or WARC file by its name)");
            return;
        }
        match item.and_then(|i| extract::extract(&i).map(|a| (i, a))) {
            Ok((i, art)) => {
                ok += 1;
                let record = ExtractOutput::with_origin(&art, i.origin());
                let written = serde_json::to_writer(&mut out, &record)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out));
                if let Err(e) = written {
                    write_err = Some(e);
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("zhnews: skipped {e}");
            }
        }
    });
    if let Some(e) = write_err {
        return Err(e).context("writing output");
    }
    out.flush()?;
    Ok(if ok == 0 && failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
