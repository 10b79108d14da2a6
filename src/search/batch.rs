//! A file of queries run one after another, as a benchmark or an evaluation runs them:
//! each query is exactly the request the HTTP API makes of `q` alone (the default search,
//! so what is measured is what users get), with hits as ids and scores.

use std::time::Instant;

use serde::Serialize;

use super::{SearchRequest, SearchResponse};
use crate::error::Result;

/// One query's outcome.
pub struct BatchResult {
    pub id: String,
    /// Ids and scores, best first.
    pub hits: Vec<(String, f32)>,
    pub ms: f64,
    pub error: Option<String>,
}

/// Latency figures over a batch, each percentile the value at rank round((n − 1) · p).
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub queries: usize,
    pub failed: usize,
    pub q_mean_ms: f64,
    pub q_p50_ms: f64,
    pub q_p95_ms: f64,
    pub q_p99_ms: f64,
}

/// The request a batch makes of `text`: the API's default for `q=text`, top `k`, ids only.
pub fn request(text: &str, k: usize) -> SearchRequest {
    let mut req = SearchRequest::new(text);
    req.limit = k;
    req.ids_only = true;
    req
}

/// Runs `queries` (id, text) in order, single-threaded, after running the first
/// `warm_up` of them once untimed (so the first timings do not include paging the index
/// in, as the peers' harness does).
pub fn run(
    search: &dyn Fn(&SearchRequest) -> Result<SearchResponse>,
    queries: &[(String, String)],
    k: usize,
    warm_up: usize,
) -> Vec<BatchResult> {
    for (_, text) in queries.iter().take(warm_up) {
        let _ = search(&request(text, k));
    }
    queries
        .iter()
        .map(|(id, text)| {
            let req = request(text, k);
            let started = Instant::now();
            let resp = search(&req);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            match resp {
                Ok(r) => BatchResult {
                    id: id.clone(),
                    hits: r.hits.into_iter().map(|h| (h.id, h.score)).collect(),
                    ms,
                    error: None,
                },
                Err(e) => BatchResult {
                    id: id.clone(),
                    hits: Vec::new(),
                    ms,
                    error: Some(e.to_string()),
                },
            }
        })
        .collect()
}

pub fn latency(results: &[BatchResult], failed_before: usize) -> Latency {
    let mut times: Vec<f64> = results.iter().map(|r| r.ms).collect();
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p).round().max(0.0) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Latency {
        queries: times.len(),
        failed: failed_before + results.iter().filter(|r| r.error.is_some()).count(),
        q_mean_ms: times.iter().sum::<f64>() / times.len().max(1) as f64,
        q_p50_ms: pct(0.5),
        q_p95_ms: pct(0.95),
        q_p99_ms: pct(0.99),
    }
}
