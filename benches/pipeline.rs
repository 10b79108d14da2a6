//! Micro-benchmarks: tokenizer throughput (both views), entity tagging, and extraction
//! time per page, on
//! the demo corpus and, when present, ../shared/data/extraction-dev and
//! news-html-unlabeled. Besides criterion's figures it prints the median and p90 time of
//! one page's extraction (decode included), each page timed alone on one core.

use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use zhnews::analyze::{Analyzer, BigramTokenizer};

fn pages() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in [
        "corpus",
        "../shared/data/extraction-dev",
        "../shared/data/news-html-unlabeled",
    ] {
        let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| x == "html" || x == "shtml" || x == "htm")
                {
                    if let Ok(b) = std::fs::read(&p) {
                        out.push(b);
                    }
                }
            }
        }
    }
    out
}

fn extract(page: &[u8]) -> bool {
    zhnews::extract::extract_html(&zhnews::extract::decode(page, None).0, None).is_ok()
}

/// Each page's best of 5 runs, then the median and p90 over pages.
fn per_page_times(pages: &[Vec<u8>]) {
    let mut ms: Vec<f64> = pages
        .iter()
        .map(|p| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(extract(p));
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "extract per page: {} pages, median {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    if !pages.is_empty() {
        per_page_times(&pages);
    }
    let text: String = pages
        .iter()
        .filter_map(|b| {
            zhnews::extract::extract_html(&zhnews::extract::decode(b, None).0, None).ok()
        })
        .map(|a| a.body)
        .collect::<Vec<_>>()
        .join("\n");
    let analyzer = Analyzer::new(&[]);
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("zh_words_v3", |b| {
        let mut t = analyzer.words();
        b.iter(|| {
            let mut s = t.token_stream(&text);
            let mut n = 0usize;
            while s.advance() {
                n += 1;
            }
            n
        })
    });
    g.bench_function("zh_bigram_v2", |b| {
        b.iter(|| BigramTokenizer.tokens(&text).len())
    });
    // What finding people, places and organisations adds to indexing: compare with the
    // two views above, over the same text.
    g.bench_function("entities", |b| {
        b.iter(|| {
            zhnews::analyze::entities::find(analyzer.jieba(), analyzer.names(), "", &text)
                .person
                .len()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("all_pages", |b| {
        b.iter(|| pages.iter().filter(|p| extract(p)).count())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
