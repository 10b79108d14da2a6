//! Micro-benchmarks: tokenizer throughput (both views) and extraction time per page, on
//! the demo corpus (and ../shared/data/extraction-dev when present).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use zhnews::analyze::{Analyzer, BigramTokenizer};

fn pages() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["corpus", "../shared/data/extraction-dev"] {
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

fn bench(c: &mut Criterion) {
    let pages = pages();
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
    g.bench_function("zh_words_v1", |b| {
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
    g.bench_function("zh_bigram_v1", |b| {
        b.iter(|| BigramTokenizer.tokens(&text).len())
    });
    g.finish();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("all_pages", |b| {
        b.iter(|| {
            pages
                .iter()
                .filter(|p| {
                    zhnews::extract::extract_html(&zhnews::extract::decode(p, None).0, None).is_ok()
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
