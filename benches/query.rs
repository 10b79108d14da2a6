//! Query latency on the 76k-article news-text corpus (../shared/data/news-text): parse +
//! search + snippets for two-word keyword queries and for the xwlb-headline query set.
//!
//! The index is built once into target/bench-index-76k (about a minute) and reused; delete
//! that folder after changing the analyzer or the schema. Besides criterion's estimate, the
//! bench prints p50/p95/p99 over one single-threaded pass of every query, because the goal
//! is stated in percentiles.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zhnews::index::{create_or_open, IndexOptions, Indexer};
use zhnews::search::related::RelatedRequest;
use zhnews::search::{Engine, SearchRequest};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

fn corpus() -> PathBuf {
    shared().join("news-text/xwlb-2012-2026.jsonl.zst")
}

fn engine() -> Engine {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-index-76k");
    if Engine::open(&dir, false).is_err() {
        let _ = std::fs::remove_dir_all(&dir);
        let open = create_or_open(&dir, None).expect("bench index");
        let mut indexer = Indexer::new(open, IndexOptions::default()).expect("writer");
        let s = zhnews::pipeline::index(
            &mut indexer,
            &[corpus()],
            Arc::new(AtomicBool::new(false)),
            &mut |_| {},
        )
        .expect("indexing");
        eprintln!("built {} in {:.1}s", dir.display(), s.elapsed_s);
    }
    Engine::open(&dir, false).expect("bench index opens")
}

/// Two-word queries as a person would type them: pairs of CCTV keywords of one article
/// (2-4 Han characters each), every 97th article, so the set is the same on every run.
fn two_word_queries() -> Vec<String> {
    let file = std::fs::File::open(corpus()).expect("news-text");
    let reader = std::io::BufReader::new(zstd::Decoder::new(file).expect("zstd"));
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let Ok(line) = line else { break };
        if i % 97 != 0 {
            continue;
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let tags: Vec<&str> = v["tags"]
            .as_str()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| (2..=4).contains(&t.chars().count()))
            .filter(|t| t.chars().all(char::is_alphabetic))
            .collect();
        if tags.len() >= 2 {
            out.push(format!("{} {}", tags[0], tags[1]));
        }
    }
    out
}

/// Articles to find related stories for: every 97th of the corpus, by id.
fn related_seeds() -> Vec<String> {
    let file = std::fs::File::open(corpus()).expect("news-text");
    let reader = std::io::BufReader::new(zstd::Decoder::new(file).expect("zstd"));
    reader
        .lines()
        .map_while(|l| l.ok())
        .step_by(97)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect()
}

/// `related ID` as the CLI and the API run it by default.
fn related_percentiles(engine: &Engine, seeds: &[String]) {
    let mut ms: Vec<f64> = seeds
        .iter()
        .map(|id| {
            let t = Instant::now();
            let _ = engine.related(&RelatedRequest::new(id.clone()));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    eprintln!(
        "related: {} articles, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        ms.len(),
        at(0.50),
        at(0.95),
        at(0.99)
    );
}

fn headline_queries() -> Vec<String> {
    let path = shared().join("retrieval-dev/xwlb-headline/queries.dev.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_string()))
        .collect()
}

/// One search as the API runs `q` by default; `strict` asks for every word only.
fn run(engine: &Engine, q: &str, strict: bool) -> u64 {
    let mut req = SearchRequest::new(q);
    req.partial = !strict;
    engine.search(&req).map(|r| r.total).unwrap_or(0)
}

fn percentiles(name: &str, engine: &Engine, queries: &[String], strict: bool) {
    let mut ms: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            run(engine, q, strict);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    eprintln!(
        "{name}: {} queries, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        ms.len(),
        at(0.50),
        at(0.95),
        at(0.99)
    );
}

fn bench(c: &mut Criterion) {
    if !corpus().exists() {
        eprintln!("query bench skipped: {} is absent", corpus().display());
        return;
    }
    let engine = engine();
    let (two_word, headline) = (two_word_queries(), headline_queries());
    // The default (partial matches top up a short page) and every word only (`--strict`).
    let sets = [
        ("two_word", &two_word, false),
        ("headline", &headline, false),
        ("two_word_strict", &two_word, true),
        ("headline_strict", &headline, true),
    ];
    let mut g = c.benchmark_group("query");
    for (name, queries, strict) in sets {
        if queries.is_empty() {
            continue;
        }
        // Warm the page cache and the searcher, then the percentiles the goals are in.
        queries.iter().for_each(|q| {
            run(&engine, q, strict);
        });
        percentiles(name, &engine, queries, strict);
        g.throughput(Throughput::Elements(1));
        let mut i = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % queries.len();
                run(&engine, &queries[i], strict)
            })
        });
    }
    let seeds = related_seeds();
    seeds.iter().take(50).for_each(|id| {
        let _ = engine.related(&RelatedRequest::new(id.clone()));
    });
    related_percentiles(&engine, &seeds);
    let mut i = 0;
    g.bench_function("related", |b| {
        b.iter(|| {
            i = (i + 1) % seeds.len();
            engine
                .related(&RelatedRequest::new(seeds[i].clone()))
                .map(|r| r.hits.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
