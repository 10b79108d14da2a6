//! The ceiling for ingest: jieba search-mode segmentation alone over the titles and bodies
//! of a JSON Lines corpus, on every core, with nothing else (no normalization, bigrams,
//! indexing or storage). `benches/compare` runs it beside `zhnews index` on the same file.
//!
//!     cargo run --release --example segment -- CORPUS.jsonl [THREADS]

use std::time::Instant;

use jieba_rs::Jieba;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: segment CORPUS.jsonl [THREADS]")?;
    let threads: usize = match args.next() {
        Some(t) => t.parse()?,
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let texts: Vec<String> = std::fs::read_to_string(&path)?
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            format!("{}\n{}", field("title"), field("body"))
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let jieba = Jieba::new();
    let start = Instant::now();
    let chunk = texts.len().div_ceil(threads.max(1)).max(1);
    let words: usize = std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                let jieba = &jieba;
                s.spawn(move || {
                    part.iter()
                        .map(|t| jieba.cut_for_search(t, false).len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "SEGMENT {}",
        serde_json::json!({
            "docs": texts.len(), "MB": bytes as f64 / 1e6, "words": words, "threads": threads,
            "secs": secs, "docs_per_s": texts.len() as f64 / secs, "MB_per_s": bytes as f64 / 1e6 / secs,
        })
    );
    Ok(())
}
