//! `zhnews push` and `zhnews cluster-conf`: filling a cluster's shards, and writing its
//! nodes' configuration files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;
use clap::Args;

use zhnews::cluster::config::{node_config, NodeConfig};
use zhnews::cluster::{index_name, push as push_to, PushOptions, Target};

#[derive(Args)]
pub struct PushArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// A shard: sphinxql://HOST:PORT/INDEX, INDEX being a real-time index laid out by
    /// `zhnews cluster-conf`. Repeat for each shard, always in the same order: an
    /// article goes to shard (hash of its id) mod (number of shards).
    #[arg(long = "to", required = true, value_name = "URL")]
    to: Vec<String>,
    /// Extraction threads, and row-building workers per shard.
    #[arg(long)]
    threads: Option<usize>,
    /// Megabytes of rows per REPLACE statement (the nodes' max_packet_size must allow it).
    #[arg(long, default_value_t = 8)]
    batch_mb: usize,
    /// Don't group reprints (each article is its own story).
    #[arg(long)]
    no_reprints: bool,
    /// The most milliseconds one statement may take.
    #[arg(long, default_value_t = 60_000)]
    timeout_ms: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn push(a: PushArgs) -> Result<ExitCode> {
    let (present, some_missing) = super::existing_inputs(&a.paths);
    if present.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let targets =
        a.to.iter()
            .map(|u| Target::parse(u))
            .collect::<zhnews::Result<Vec<_>>>()?;
    let defaults = PushOptions::default();
    let options = PushOptions {
        threads: a.threads.map_or(defaults.threads, |t| t.max(1)),
        batch_bytes: a.batch_mb.max(1) << 20,
        detect_reprints: !a.no_reprints,
        timeout: std::time::Duration::from_millis(a.timeout_ms.max(1)),
        ..defaults
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        super::signal::on_signal(move || stop.store(true, Ordering::SeqCst))?;
    }
    let bar = std::io::stderr()
        .is_terminal()
        .then(indicatif::ProgressBar::new_spinner);
    let summary = push_to(&targets, &present, &options, stop, &mut |p| {
        if let Some(pb) = &bar {
            pb.set_message(format!(
                "{} records, {} pushed, {} skipped · {:.0} records/s",
                p.read,
                p.added,
                p.skipped,
                p.read as f64 / p.elapsed_s.max(0.001)
            ));
            pb.tick();
        }
    })?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if a.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        for s in summary.skipped.iter().take(20) {
            eprintln!("skipped {}: {}", s.origin, s.reason);
        }
        let shards: Vec<String> = targets
            .iter()
            .zip(&summary.per_shard)
            .map(|(t, n)| format!("{n} to {t}"))
            .collect();
        println!(
            "read {}, pushed {} ({}), replaced by a later record {}, reprints {}, skipped {} in \
             {:.2}s ({:.0} articles/s){}",
            summary.read,
            summary.pushed,
            shards.join(", "),
            summary.duplicate_ids,
            summary.reprints,
            summary.skipped.len(),
            summary.elapsed_s,
            summary.docs_per_s,
            if summary.interrupted {
                " (interrupted; sent what was read)"
            } else {
                ""
            }
        );
    }
    Ok(
        if some_missing || (summary.pushed == 0 && summary.read > 0) {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        },
    )
}

#[derive(Args)]
pub struct ConfArgs {
    /// Folder for the node's index, binlog, logs and pid file.
    #[arg(long)]
    dir: PathBuf,
    /// SphinxQL (MySQL protocol) port.
    #[arg(long, default_value_t = 9306)]
    sql_port: u16,
    /// The port other nodes' distributed indexes ask this one on.
    #[arg(long, default_value_t = 9312)]
    api_port: u16,
    /// Name of the shard (the real-time index), without the version suffix this zhnews
    /// adds.
    #[arg(long, default_value = "news_rt")]
    shard: String,
    /// Also serve a distributed index of this name (without the suffix) over this node's
    /// shard and each --agent's.
    #[arg(long)]
    distributed: Option<String>,
    /// Another node's HOST:API_PORT whose shard the distributed index includes; give
    /// HOST1:PORT|HOST2:PORT for mirrors of one shard. Repeat for each other shard.
    #[arg(long)]
    agent: Vec<String>,
    /// Memory for the newest rows before they go to disk, in MB.
    #[arg(long, default_value_t = 512)]
    rt_mem_mb: u32,
}

pub fn conf(a: ConfArgs) -> Result<ExitCode> {
    let shard = index_name(&a.shard);
    let distributed = a.distributed.as_deref().map(index_name);
    let text = node_config(&NodeConfig {
        dir: &a.dir,
        sql_port: a.sql_port,
        api_port: a.api_port,
        index: &shard,
        distributed: distributed.as_deref().map(|d| (d, a.agent.clone())),
        rt_mem_limit_mb: a.rt_mem_mb,
    });
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
