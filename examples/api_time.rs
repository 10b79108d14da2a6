//! In-process cost of the default search path, one thread: each query of a TSV file
//! (`id<TAB>text`) runs as the API runs `q=text` alone (10 hits with snippets, partial
//! top-up, reprint groups). Prints the mean and percentiles of each of three passes, so that
//! the CPU a request costs can be compared without HTTP or a load generator on the same cores.
//!
//!     cargo run --release --example api_time -- INDEX QUERIES.tsv [strict|ids]

use std::time::Instant;

use zhnews::search::{Engine, SearchRequest};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: api_time INDEX QUERIES.tsv [strict|ids]";
    let index = args.next().ok_or(usage)?;
    let queries = args.next().ok_or(usage)?;
    let mode = args.next().unwrap_or_default();
    let engine = Engine::open(std::path::Path::new(&index), false)?;
    let texts: Vec<String> = std::fs::read_to_string(&queries)?
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_string()))
        .collect();
    for pass in 1..=3 {
        let start = Instant::now();
        let mut hits = 0;
        let mut times = Vec::with_capacity(texts.len());
        for q in &texts {
            let mut req = SearchRequest::new(q.as_str());
            req.partial = mode != "strict";
            req.ids_only = mode == "ids";
            let t = Instant::now();
            hits += engine.search(&req)?.hits.len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let ms = start.elapsed().as_secs_f64() * 1e3 / texts.len().max(1) as f64;
        times.sort_by(f64::total_cmp);
        // The value at rank round((n - 1) · p), as `zhnews batch` computes it.
        let at = |p: f64| {
            let i = ((times.len().saturating_sub(1)) as f64 * p).round() as usize;
            times.get(i).copied().unwrap_or(0.0)
        };
        println!(
            "pass {pass}: {ms:.3} ms per query, p50 {:.3} p95 {:.3} p99 {:.3} ms, {hits} hits",
            at(0.5),
            at(0.95),
            at(0.99)
        );
    }
    Ok(())
}
