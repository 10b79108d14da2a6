//! zhnews on a Manticore Search (or Sphinx) cluster: articles analyzed here and pushed
//! pre-tokenized into real-time indexes on the nodes, queries compiled here and answered
//! by a distributed index over them. zhnews stays the front-end: the query language,
//! exact strings, reprint groups, snippets, keyword-in-context and the JSON answers are
//! the same as on a local index; the nodes store, match, count, group and rank.
//!
//! - `target.rs`: `sphinxql://HOST:PORT/INDEX` and the analyzer versions a name carries.
//! - `client.rs`: one SphinxQL endpoint; node failures, timeouts and partial answers as
//!   errors (HTTP 503).
//! - `layout.rs`: the fields, attributes and token encoding of an article on a node.
//! - `config.rs`: a node's configuration file.
//! - `push.rs`: `zhnews push`, the local ingest pipeline writing to shards.
//! - `compile.rs`: the query tree to `MATCH()`, and what zhnews must check itself.
//! - `check.rs`: proximity checked on the stored text as tantivy decides it.
//! - `search.rs`: search (totals, collapse, ranking, snippets, paging).
//! - `facets.rs`: facets (sources, years, people, places, organisations) and entity lists.
//! - `research.rs`: trend, keyword in context, export, one article; related stories are
//!   refused (local only).

mod check;
mod client;
pub mod compile;
pub mod config;
mod facets;
pub mod layout;
pub mod push;
mod research;
mod search;
pub mod target;

use std::collections::HashMap;
use std::time::Duration;

pub use client::Client;
pub use push::{push, PushOptions, PushSummary};
pub use target::{index_name, name_suffix, Target};

use crate::analyze::{Analyzer, WordsTokenizer};
use crate::error::{Error, Result};

/// The time budget of one statement when the caller sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection to a cluster index (a distributed index, or one node's real-time index).
pub struct Cluster {
    pub client: Client,
    words: WordsTokenizer,
}

impl Cluster {
    /// Connects to `target`, refusing an index built with other analyzers or laid out
    /// otherwise.
    pub fn connect(target: &Target, timeout: Duration) -> Result<Cluster> {
        target.check_versions()?;
        let client = Client::new(target.clone(), timeout);
        let columns = layout::ATTRIBUTES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ");
        client
            .run(&format!(
                "SELECT id, {columns} FROM {} LIMIT 1",
                target.index
            ))
            .map_err(|e| match e {
                Error::Internal(msg) => Error::Cluster {
                    target: target.to_string(),
                    reason: format!(
                        "the index is not laid out as this zhnews writes ({msg}); write the \
                         nodes' configs with `zhnews cluster-conf`"
                    ),
                },
                other => other,
            })?;
        Ok(Cluster {
            client,
            words: Analyzer::new(&[]).words(),
        })
    }

    pub fn target(&self) -> &Target {
        &self.client.target
    }

    pub fn index(&self) -> &str {
        &self.client.target.index
    }

    /// Document frequencies of word tokens, and the number of documents.
    fn frequencies(&self, tokens: &[String]) -> Result<Frequencies> {
        let mut words: Vec<&str> = tokens.iter().map(String::as_str).collect();
        words.sort_unstable();
        words.dedup();
        let mut expr = format!("(@{} {})", layout::TAGS, layout::ALL);
        for w in &words {
            expr.push_str(&format!(" | {w}"));
        }
        // The dictionary knows the counts; one match is enough to be told them.
        let a = self.client.select_one(format!(
            "SELECT id FROM {} WHERE MATCH('{expr}') LIMIT 1 OPTION ranker=none, cutoff=1",
            self.index()
        ))?;
        let docs = a.keyword_docs();
        Ok(Frequencies {
            total: docs.get(layout::ALL).copied().unwrap_or(0),
            docs,
        })
    }
}

struct Frequencies {
    total: u64,
    docs: HashMap<String, u64>,
}

impl compile::Frequencies for Frequencies {
    fn total_docs(&self) -> u64 {
        self.total
    }

    fn docs(&self, token: &str) -> u64 {
        self.docs.get(token).copied().unwrap_or(0)
    }
}
