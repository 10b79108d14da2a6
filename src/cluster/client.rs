//! One SphinxQL endpoint: a few idle connections kept for reuse, each statement sent as
//! text, every answer read as strings. A failure to connect or read, a read past the time
//! budget, and an answer that a node left out of (a distributed index whose agent did not
//! answer reports a warning and goes on with the rest) are all errors the caller cannot
//! mistake for a complete answer: [`Error::Cluster`], HTTP 503.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use mysql::prelude::Queryable;

use super::target::Target;
use crate::error::{Error, Result};

/// Idle connections kept per endpoint.
const IDLE: usize = 8;
/// Largest packet the client will send or read; the node's `max_packet_size` is the
/// real limit (the configs we write set 128M).
const MAX_PACKET: usize = 256 << 20;

/// One result set: column names and rows of text (`None` for SQL NULL).
#[derive(Debug, Default, Clone)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Rows {
    /// The index of a column, or an internal error naming it.
    pub fn column(&self, name: &str) -> Result<usize> {
        // A distributed index that found nothing may answer without any columns; there
        // is no row to read them from anyway.
        if self.rows.is_empty() {
            return Ok(usize::MAX);
        }
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::Internal(format!("the cluster's answer has no column {name}")))
    }
}

/// A `SELECT` and the `SHOW META` that follows it.
#[derive(Debug, Default, Clone)]
pub struct Answer {
    pub rows: Rows,
    pub meta: HashMap<String, String>,
}

impl Answer {
    /// Matches found (all of them, not only the rows returned).
    pub fn total_found(&self) -> u64 {
        self.meta
            .get("total_found")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Documents per keyword of the query, as the index's dictionary counts them (summed
    /// over the agents of a distributed index).
    pub fn keyword_docs(&self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        for i in 0.. {
            let Some(k) = self.meta.get(&format!("keyword[{i}]")) else {
                break;
            };
            let docs = self
                .meta
                .get(&format!("docs[{i}]"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            *out.entry(k.clone()).or_insert(0) += docs;
        }
        out
    }
}

pub struct Client {
    pub target: Target,
    opts: mysql::Opts,
    idle: Mutex<Vec<mysql::Conn>>,
}

impl Client {
    /// A client for `target`; `timeout` bounds connecting and each read and write.
    pub fn new(target: Target, timeout: Duration) -> Client {
        let opts = mysql::OptsBuilder::new()
            .ip_or_hostname(Some(target.host.clone()))
            .tcp_port(target.port)
            .prefer_socket(false)
            .tcp_connect_timeout(Some(timeout))
            .read_timeout(Some(timeout))
            .write_timeout(Some(timeout))
            // Known up front, so connecting sends no `SELECT @@…` a node may not answer.
            .max_allowed_packet(Some(MAX_PACKET))
            .stmt_cache_size(Some(0));
        Client {
            target,
            opts: opts.into(),
            idle: Mutex::new(Vec::new()),
        }
    }

    fn unavailable(&self, reason: impl std::fmt::Display) -> Error {
        Error::Cluster {
            target: self.target.to_string(),
            reason: reason.to_string(),
        }
    }

    /// What a failed statement means: the node gone or too slow is the cluster's state
    /// (503); an error the node answered is a statement it refused.
    fn failed(&self, e: mysql::Error) -> Error {
        match e {
            mysql::Error::MySqlError(server) => {
                let msg = server.message;
                if msg.contains("no such index") || msg.contains("unknown") {
                    self.unavailable(format!("the node refused: {msg}"))
                } else {
                    Error::Internal(format!("{} refused a statement: {msg}", self.target))
                }
            }
            mysql::Error::IoError(io)
                if io.kind() == std::io::ErrorKind::WouldBlock
                    || io.kind() == std::io::ErrorKind::TimedOut =>
            {
                self.unavailable("no answer within the time budget")
            }
            other => self.unavailable(format!("cannot talk to the node: {other}")),
        }
    }

    fn take(&self) -> Result<mysql::Conn> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(c) => Ok(c),
            None => mysql::Conn::new(self.opts.clone())
                .map_err(|e| self.unavailable(format!("cannot connect: {e}"))),
        }
    }

    fn give_back(&self, conn: mysql::Conn) {
        if let Ok(mut v) = self.idle.lock() {
            if v.len() < IDLE {
                v.push(conn);
            }
        }
    }

    /// Runs `sql` (one statement or several separated by `;`) and returns every result
    /// set. A connection that failed is dropped, never reused.
    pub fn run(&self, sql: &str) -> Result<Vec<Rows>> {
        let started = std::time::Instant::now();
        let mut conn = self.take()?;
        let result = read_sets(&mut conn, sql);
        tracing::debug!(
            target = %self.target,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            bytes = sql.len(),
            "cluster round trip: {}",
            sql.get(..sql.len().min(120)).unwrap_or("")
        );
        match result {
            Ok(sets) => {
                self.give_back(conn);
                Ok(sets)
            }
            // A reused connection may have been closed by the node meanwhile: try once
            // more on a new one before calling the node unreachable.
            Err(mysql::Error::IoError(_)) | Err(mysql::Error::DriverError(_)) => {
                let mut fresh = mysql::Conn::new(self.opts.clone())
                    .map_err(|e| self.unavailable(format!("cannot connect: {e}")))?;
                let sets = read_sets(&mut fresh, sql).map_err(|e| self.failed(e))?;
                self.give_back(fresh);
                Ok(sets)
            }
            Err(e) => Err(self.failed(e)),
        }
    }

    /// Runs several `SELECT`s in one round trip, each followed by `SHOW META`; fails when
    /// any answer is partial (a warning: an agent down, timed out or refusing).
    pub fn select(&self, selects: &[String]) -> Result<Vec<Answer>> {
        let mut sql = String::new();
        for s in selects {
            sql.push_str(s);
            sql.push_str(";\nSHOW META;\n");
        }
        let sets = self.run(&sql)?;
        if sets.len() != 2 * selects.len() {
            return Err(Error::Internal(format!(
                "{} answered {} result sets to {} statements",
                self.target,
                sets.len(),
                2 * selects.len()
            )));
        }
        let mut out = Vec::with_capacity(selects.len());
        let mut it = sets.into_iter();
        while let (Some(rows), Some(meta)) = (it.next(), it.next()) {
            let meta: HashMap<String, String> = meta
                .rows
                .into_iter()
                .filter_map(|r| {
                    let mut r = r.into_iter();
                    Some((r.next()??, r.next()?.unwrap_or_default()))
                })
                .collect();
            if let Some(w) = meta.get("warning").filter(|w| !w.is_empty()) {
                return Err(self.unavailable(format!(
                    "answered only in part ({w}); a partial answer is never shown as complete"
                )));
            }
            out.push(Answer { rows, meta });
        }
        Ok(out)
    }

    /// One `SELECT` with its meta.
    pub fn select_one(&self, select: String) -> Result<Answer> {
        self.select(&[select])?
            .pop()
            .ok_or_else(|| Error::Internal("no answer".into()))
    }
}

fn read_sets(conn: &mut mysql::Conn, sql: &str) -> std::result::Result<Vec<Rows>, mysql::Error> {
    let mut result = conn.query_iter(sql)?;
    let mut sets = Vec::new();
    while let Some(set) = result.iter() {
        let columns: Vec<String> = set
            .columns()
            .as_ref()
            .iter()
            .map(|c| c.name_str().into_owned())
            .collect();
        let mut rows = Vec::new();
        for row in set {
            let row = row?;
            rows.push(
                row.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::NULL => None,
                        mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                        other => Some(other.as_sql(true)),
                    })
                    .collect(),
            );
        }
        sets.push(Rows { columns, rows });
    }
    Ok(sets)
}

/// A SphinxQL string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
