//! Ranking features of the top hits of each query, for studying new ranking signals
//! offline: for every query of a TSV file (id<TAB>text), the default search's top `k`
//! hits with their score and text features measured against the query.
//!
//!     cargo run --release --example features -- INDEX QUERIES.tsv [K] > features.tsv
//!
//! Columns: qid, doc, rank, score, partial, and per field (title, body) the share of the
//! query's bigrams found, the longest common run (characters), the share of the query
//! covered by common runs of 3+ characters, the share of bigrams found in the first 100
//! characters, and the field's length.

use std::collections::HashSet;

use zhnews::analyze::normalize::normalize;
use zhnews::search::{Engine, SearchRequest};

fn squeeze(s: &str) -> Vec<char> {
    normalize(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Length of the longest common substring ending at each query position, by DP.
fn runs(q: &[char], d: &[char]) -> Vec<usize> {
    let mut best = vec![0usize; q.len()];
    let mut prev = vec![0usize; d.len() + 1];
    for (i, qc) in q.iter().enumerate() {
        let mut cur = vec![0usize; d.len() + 1];
        for (j, dc) in d.iter().enumerate() {
            if qc == dc {
                cur[j + 1] = prev[j] + 1;
                best[i] = best[i].max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

fn features(q: &[char], field: &str, idf: &dyn Fn(&(char, char)) -> f64) -> [f64; 7] {
    let d = squeeze(field);
    if q.len() < 2 || d.is_empty() {
        return [0.0, 0.0, 0.0, 0.0, d.len() as f64, 0.0, 0.0];
    }
    let grams: Vec<(char, char)> = q.windows(2).map(|w| (w[0], w[1])).collect();
    let doc_grams: HashSet<(char, char)> = d.windows(2).map(|w| (w[0], w[1])).collect();
    let lead: HashSet<(char, char)> = d
        .iter()
        .take(100)
        .copied()
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| (w[0], w[1]))
        .collect();
    let found = grams.iter().filter(|g| doc_grams.contains(g)).count() as f64 / grams.len() as f64;
    let in_lead = grams.iter().filter(|g| lead.contains(g)).count() as f64 / grams.len() as f64;
    let r = runs(q, &d);
    let longest = r.iter().copied().max().unwrap_or(0) as f64;
    // Query characters covered by a common run of 3 or more ending at or after them.
    let mut covered = vec![false; q.len()];
    for (i, &len) in r.iter().enumerate() {
        if len >= 3 {
            for c in covered.iter_mut().take(i + 1).skip(i + 1 - len) {
                *c = true;
            }
        }
    }
    let cover = covered.iter().filter(|&&c| c).count() as f64 / q.len() as f64;
    let all: f64 = grams.iter().map(idf).sum::<f64>().max(1e-9);
    let found_idf = grams
        .iter()
        .filter(|g| doc_grams.contains(g))
        .map(idf)
        .sum::<f64>()
        / all;
    let lead_idf = grams
        .iter()
        .filter(|g| lead.contains(g))
        .map(idf)
        .sum::<f64>()
        / all;
    [
        found,
        longest,
        cover,
        in_lead,
        d.len() as f64,
        found_idf,
        lead_idf,
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: features INDEX QUERIES.tsv [K]")?;
    let queries = args.next().ok_or("usage: features INDEX QUERIES.tsv [K]")?;
    let k: usize = args.next().map_or(Ok(50), |s| s.parse())?;
    let engine = Engine::open(std::path::Path::new(&dir), false)?;
    let searcher = engine.searcher();
    for line in std::fs::read_to_string(queries)?.lines() {
        let Some((qid, text)) = line.split_once('\t') else {
            continue;
        };
        let mut req = SearchRequest::new(text);
        req.limit = k;
        let Ok(resp) = engine.search(&req) else {
            continue;
        };
        let q = squeeze(text);
        let n = searcher.num_docs() as f64;
        let fields = engine.index().fields;
        let idf = |g: &(char, char)| -> f64 {
            let t: String = [g.0, g.1].iter().collect();
            let df = [fields.title_exact, fields.body_exact]
                .iter()
                .map(|f| {
                    searcher
                        .doc_freq(&tantivy::Term::from_field_text(*f, &t))
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0) as f64;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        for (rank, h) in resp.hits.iter().enumerate() {
            let Some(addr) = engine.address_of(&searcher, &h.id)? else {
                continue;
            };
            let a = engine.article_at(&searcher, addr)?;
            let t = features(&q, &a.title, &idf);
            let b = features(&q, &a.body, &idf);
            let cols: Vec<String> = t
                .iter()
                .chain(b.iter())
                .map(|v| format!("{v:.4}"))
                .collect();
            println!(
                "{qid}\t{}\t{}\t{:.5}\t{}\t{}",
                h.id,
                rank + 1,
                h.score,
                u8::from(h.partial),
                cols.join("\t")
            );
        }
    }
    Ok(())
}
