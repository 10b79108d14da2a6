//! `zhnews serve`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use zhnews::backend::Backend;
use zhnews::serve::ServeOptions;

use super::SourceArg;

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    index: SourceArg,
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Per-request time budget in milliseconds, counted from when a request arrives
    /// (then 503).
    #[arg(long, default_value_t = 2000)]
    budget_ms: u64,
    /// Memory for cached search responses, in MiB (0 turns the cache off). Entries are
    /// tied to the index generation, so a new commit is never answered from the cache.
    #[arg(long, default_value_t = 64)]
    cache_mb: u64,
    /// Requests that run at once (default: the cores); more wait in a bounded queue, and
    /// expensive searches run one at a time.
    #[arg(long)]
    workers: Option<usize>,
    /// Exports streaming at once.
    #[arg(long, default_value_t = 2)]
    exports: usize,
    /// Let pages from this origin read the API (CORS); repeat for several. None by default.
    #[arg(long)]
    cors: Vec<String>,
    /// Require `Authorization: Bearer TOKEN` (or `?access_token=TOKEN`) on every API route and /healthz (the page and its script load without it and ask for it).
    #[arg(long)]
    token: Option<String>,
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let engine = a.index.open(true)?;
    // A damaged index is found now, with the file's name, not in the middle of a request.
    if let Backend::Local(local) = &engine {
        let damaged = local.check()?;
        if !damaged.is_empty() {
            let names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            anyhow::bail!(
                "index {} has damaged files ({}); rebuild it into a new folder",
                a.index.index.display(),
                names.join(", ")
            );
        }
    }
    if !a.addr.ip().is_loopback() && a.token.is_none() {
        eprintln!(
            "zhnews: warning: serving on {} without --token: anyone who can reach it can \
             read and export the whole index",
            a.addr
        );
    }
    let defaults = ServeOptions::default();
    let options = ServeOptions {
        time_budget: std::time::Duration::from_millis(a.budget_ms.max(1)),
        cache_bytes: a.cache_mb << 20,
        workers: a.workers.unwrap_or(defaults.workers).max(1),
        exports: a.exports.max(1),
        cors: a.cors,
        token: a.token,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let index = a.index.describe();
    rt.block_on(zhnews::serve::serve(
        engine,
        a.addr,
        options,
        |bound| eprintln!("zhnews: serving {index} on http://{bound}/"),
        super::signal::stop_requested(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
