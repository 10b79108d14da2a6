//! The subcommands: clap's types here, one function per subcommand in the files beside.

mod cluster;
mod index;
mod research;
mod search;
mod serve;
mod show;
mod signal;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use zhnews::search::{Filters, Sort, Syntax};

const QUERY_HELP: &str = "\
QUERY LANGUAGE:
  援疆 教育                      both words (AND is the default)
  援疆 OR 援藏                   either
  教育 -招生 / 教育 NOT 招生       without (put the query after -- if it starts with -)
  (援疆 OR 援藏) 教育            grouping
  \"人民银行\"                     exact string: every article containing it, nothing else
                                 (also inside 中国人民银行; spaces count for nothing)
  \"北京 新规\"~5                  both within 5 characters, in order
  NEAR/5(北京 新规)              the same
  title:脱贫  body:\"乡村振兴\"     one field only
  source:新华网  author:张晓明  section:国内新闻  keywords:扶贫
  person:李强  place:贵州  org:国务院   articles naming this person, place, organisation
  published:[2020-01-01 TO 2020-12-31]   published:[2020 TO *]
  *                              every article (newest first; with filters, a list)
Typed text never fails: an unbalanced quote or bracket, a stray - or OR, an unknown
field: are read as text, and the answer says how the query was read (--syntax strict
makes them errors). Words that all match come first and make the total; a short first
page is topped up with the best partial matches, marked (--strict: every word only).
Traditional and simplified characters, full-width and half-width forms, and letter
case are treated alike.";

#[derive(Parser)]
#[command(
    name = "zhnews",
    version,
    about = "Chinese news search: index crawled pages, search them."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SyntaxArg {
    Lenient,
    Strict,
}

impl From<SyntaxArg> for Syntax {
    fn from(s: SyntaxArg) -> Syntax {
        match s {
            SyntaxArg::Lenient => Syntax::Lenient,
            SyntaxArg::Strict => Syntax::Strict,
        }
    }
}

/// The index folder, for every subcommand that reads one.
#[derive(Args, Clone)]
struct IndexArg {
    #[arg(long, default_value = "index")]
    index: PathBuf,
}

/// Where a subcommand reads: a local index folder, or a cluster.
#[derive(Args, Clone)]
struct SourceArg {
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Read a Manticore Search (or Sphinx) cluster instead of a local index:
    /// sphinxql://HOST:PORT/INDEX, INDEX being the distributed index over the shards
    /// `zhnews push` filled (see README.md). --index is then not used.
    #[arg(long, value_name = "URL")]
    cluster: Option<String>,
    /// With --cluster: the most milliseconds one statement may take (connecting included);
    /// past it the command fails rather than answer in part.
    #[arg(long, default_value_t = 10_000)]
    cluster_timeout_ms: u64,
}

impl SourceArg {
    /// The local index (following its commits when `follow`) or the cluster.
    fn open(&self, follow: bool) -> Result<zhnews::backend::Backend> {
        match &self.cluster {
            Some(url) => {
                let target = zhnews::cluster::Target::parse(url)?;
                let timeout = std::time::Duration::from_millis(self.cluster_timeout_ms.max(1));
                Ok(zhnews::cluster::Cluster::connect(&target, timeout)?.into())
            }
            None => Ok(zhnews::search::Engine::open(&self.index, follow)?.into()),
        }
    }

    /// What is read, for messages.
    fn describe(&self) -> String {
        match &self.cluster {
            Some(url) => url.clone(),
            None => self.index.display().to_string(),
        }
    }
}

/// Dates and source, for every subcommand that searches.
#[derive(Args, Clone)]
struct FilterArgs {
    /// Published on or after this day (YYYY-MM-DD, Beijing time).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Published on or before this day.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only this 来源 (exact, after folding width and traditional forms).
    #[arg(long)]
    source: Option<String>,
    /// How the query is read: lenient (typed text never fails) or strict (errors say
    /// what is wrong).
    #[arg(long, value_enum, default_value = "lenient")]
    syntax: SyntaxArg,
}

impl FilterArgs {
    fn filters(&self) -> Filters {
        Filters {
            from: self.from,
            to: self.to,
            source: self.source.clone(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Index files or folders of crawled pages (HTML, JSONL, WARC; gzip/zstd).
    Index(index::IndexArgs),
    /// Search the index.
    #[command(after_help = QUERY_HELP)]
    Search(search::SearchArgs),
    /// Run a file of queries (TSV: id<TAB>text) exactly as the API runs `q=text`, one
    /// after another; prints a TREC run on stdout and latency as a SUMMARY line on stderr.
    Batch(search::BatchArgs),
    /// Show one article with all its fields.
    Show(show::ShowArgs),
    /// Documents, sources, date span and size of the index.
    Stats(show::StatsArgs),
    /// Check every file of the index against its checksum.
    Check(show::CheckArgs),
    /// Articles most like one article (its own reprints are counted, not listed).
    Related(research::RelatedArgs),
    /// Matching articles per day/week/month/year (Beijing time); one query per argument.
    Trend(research::TrendArgs),
    /// Keyword in context: every occurrence with its left and right context.
    Kwic(research::KwicArgs),
    /// The people, places and organisations most mentioned by the matching articles.
    Entities(research::EntitiesArgs),
    /// Every matching article, streamed as CSV or JSON Lines.
    Export(research::ExportArgs),
    /// Serve the JSON API and the search page (read-only; follows new commits).
    Serve(serve::ServeArgs),
    /// Analyze files or folders of crawled pages as `index` does and write them into the
    /// shards of a Manticore Search (or Sphinx) cluster.
    Push(cluster::PushArgs),
    /// Print the configuration file of one cluster node (its shard, and optionally the
    /// distributed index over all shards) for Manticore Search or Sphinx's searchd.
    ClusterConf(cluster::ConfArgs),
    /// Extract articles from pages and print one JSON object per page (JSON Lines).
    Extract(show::ExtractArgs),
}

/// The command line with every query word put after `--`, so a word that starts with
/// `-` (an exclusion: `zhnews search 扶贫 -教育`) is never taken for an option. Options,
/// and the values of options that take one, stay where clap expects them.
pub fn query_words_last(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let Some(sub) = args.get(1).and_then(|a| a.to_str()) else {
        return args;
    };
    let Some(sc) = cmd.find_subcommand(sub) else {
        return args;
    };
    let takes_value = |long: &str| {
        sc.get_arguments()
            .find(|a| a.get_long() == Some(long))
            .map(|a| a.get_action().takes_values())
    };
    let mut options = Vec::new();
    let mut words = Vec::new();
    let mut rest = args[2..].iter();
    while let Some(a) = rest.next() {
        let text = a.to_string_lossy();
        if text == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            match takes_value(name) {
                Some(true) if !long.contains('=') => {
                    options.push(a.clone());
                    if let Some(v) = rest.next() {
                        options.push(v.clone());
                    }
                }
                // Unknown options stay options, so clap names them in its error.
                _ => options.push(a.clone()),
            }
        } else if text.len() == 2
            && text.starts_with('-')
            && text.as_bytes()[1].is_ascii_alphabetic()
        {
            options.push(a.clone());
        } else {
            words.push(a.clone());
        }
    }
    let mut out: Vec<std::ffi::OsString> = args[..2].to_vec();
    out.extend(options);
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Batch(a) => search::batch(a),
        Command::Show(a) => show::show(a),
        Command::Stats(a) => show::stats(a),
        Command::Check(a) => show::check(a),
        Command::Related(a) => research::related(a),
        Command::Trend(a) => research::trend(a),
        Command::Kwic(a) => research::kwic(a),
        Command::Entities(a) => research::entities(a),
        Command::Export(a) => research::export(a),
        Command::Serve(a) => serve::run(a),
        Command::Push(a) => cluster::push(a),
        Command::ClusterConf(a) => cluster::conf(a),
        Command::Extract(a) => show::extract(a),
    }
}

/// Whether an error is only the reader of our output going away (`| head`): then we stop
/// quietly, as ripgrep does.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The input paths that exist, and whether any did not (each reported). A path that is
/// not there at all is the user's mistake, not a bad record of a crawl.
fn existing_inputs(paths: &[std::path::PathBuf]) -> (Vec<std::path::PathBuf>, bool) {
    let (present, missing): (Vec<_>, Vec<_>) = paths.iter().cloned().partition(|p| p.exists());
    for p in &missing {
        eprintln!("zhnews: {}: no such file or folder", p.display());
    }
    (present, !missing.is_empty())
}

/// 0 when there is something, 1 when there is nothing.
fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// "1 article", "2 articles".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
