//! Reprint groups of an index, measured: how many groups and members, how many days each
//! group spans, and a seeded sample of grouped pairs to read by hand (JSON Lines on
//! stdout: both articles' ids, dates, titles and the start of their bodies).
//!
//!     cargo run --release --example reprints -- INDEX [SAMPLE_PAIRS] [SEED] > pairs.jsonl
//!
//! The figures go to stderr as one `REPRINTS {...}` line.

use std::collections::BTreeMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use zhnews::search::Engine;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: reprints INDEX [SAMPLE_PAIRS] [SEED]")?;
    let sample: usize = args.next().map_or(Ok(100), |s| s.parse())?;
    let mut seed: u64 = args.next().map_or(Ok(20_261_206), |s| s.parse())?;
    let engine = Engine::open(std::path::Path::new(&dir), false)?;
    let searcher = engine.searcher();
    let mut groups: BTreeMap<u64, Vec<tantivy::DocAddress>> = BTreeMap::new();
    let mut addresses: Vec<_> = searcher
        .search(&AllQuery, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    for address in addresses {
        let group = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("group")?
            .first(address.doc_id)
            .unwrap_or(0);
        groups.entry(group).or_default().push(address);
    }
    let multi: Vec<&Vec<tantivy::DocAddress>> = groups.values().filter(|m| m.len() > 1).collect();
    let members: usize = multi.iter().map(|m| m.len()).sum();
    // Span of each group in days, and every pair of a group as a candidate for the sample.
    let mut spans: BTreeMap<String, usize> = BTreeMap::new();
    let mut pairs = Vec::new();
    let mut widest = (0i64, String::new());
    for m in &multi {
        let articles: Vec<zhnews::Article> = m
            .iter()
            .map(|a| engine.article_at(&searcher, *a))
            .collect::<Result<_, _>>()?;
        let days: Vec<i64> = articles
            .iter()
            .filter_map(|a| {
                a.published.map(|p| {
                    p.beijing_day()
                        .signed_duration_since(chrono::NaiveDate::default())
                        .num_days()
                })
            })
            .collect();
        let span = match (days.iter().min(), days.iter().max()) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        };
        if span > widest.0 {
            widest = (span, articles[0].id.clone());
        }
        let bucket = match span {
            0..=3 => span.to_string(),
            4..=30 => "4-30".to_string(),
            31..=365 => "31-365".to_string(),
            _ => ">365".to_string(),
        };
        *spans.entry(bucket).or_default() += 1;
        for i in 1..articles.len() {
            pairs.push((articles[0].clone(), articles[i].clone()));
        }
    }
    eprintln!(
        "REPRINTS {}",
        serde_json::json!({
            "documents": searcher.num_docs(),
            "groups": multi.len(),
            "members": members,
            "copies": members - multi.len(),
            "pairs": pairs.len(),
            "span_days": spans,
            "widest": {"days": widest.0, "member": widest.1},
        })
    );
    // A seeded shuffle (xorshift), then the first `sample` pairs.
    for i in (1..pairs.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        pairs.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    let head = |s: &str| s.chars().take(300).collect::<String>();
    for (a, b) in pairs.iter().take(sample) {
        println!(
            "{}",
            serde_json::json!({
                "a": a.id, "b": b.id,
                "a_published": a.published.map(|p| p.to_string()),
                "b_published": b.published.map(|p| p.to_string()),
                "a_title": a.title, "b_title": b.title,
                "a_body": head(&a.body), "b_body": head(&b.body),
                "a_chars": a.body.chars().count(), "b_chars": b.body.chars().count(),
            })
        );
    }
    Ok(())
}
