//! Export: every match, streamed as CSV or JSON Lines. Only document addresses are held
//! (8 bytes each); each article is read, written and dropped in turn.

use std::io::Write;

use serde::Serialize;
use tantivy::collector::DocSetCollector;

use super::Engine;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<ExportFormat> {
        match s {
            "csv" => Ok(ExportFormat::Csv),
            "jsonl" => Ok(ExportFormat::Jsonl),
            other => Err(Error::BadRequest(format!(
                "format {other:?} is not csv or jsonl"
            ))),
        }
    }
}

pub const DEFAULT_FIELDS: &[&str] = &["id", "url", "title", "published", "source", "author"];
pub const ALL_FIELDS: &[&str] = &[
    "id",
    "url",
    "title",
    "published",
    "source",
    "author",
    "editor",
    "section",
    "keywords",
    "body",
];

/// Checks a comma-separated field list.
pub fn parse_fields(list: Option<&str>) -> Result<Vec<String>> {
    let Some(list) = list.filter(|l| !l.trim().is_empty()) else {
        return Ok(DEFAULT_FIELDS.iter().map(|s| s.to_string()).collect());
    };
    list.split(',')
        .map(str::trim)
        .map(|f| {
            if ALL_FIELDS.contains(&f) {
                Ok(f.to_string())
            } else {
                Err(Error::BadRequest(format!(
                    "unknown field {f:?}; fields are {}",
                    ALL_FIELDS.join(",")
                )))
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Row<'a>(#[serde(with = "ordered")] Vec<(&'a str, String)>);

mod ordered {
    use serde::ser::{SerializeMap, Serializer};
    pub fn serialize<S: Serializer>(v: &[(&str, String)], s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(v.len()))?;
        for (k, val) in v {
            m.serialize_entry(k, val)?;
        }
        m.end()
    }
}

enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Jsonl(&'a mut dyn Write),
}

impl Engine {
    /// Writes every article matching `query` to `out`; returns how many.
    pub fn export(
        &self,
        query: &str,
        format: ExportFormat,
        fields: &[String],
        out: &mut dyn Write,
    ) -> Result<u64> {
        let (q, _) = self.compile(query, None, None, None)?;
        let searcher = self.searcher();
        let mut addresses: Vec<_> = searcher
            .search(&*q, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let io = |e: std::io::Error| Error::Internal(format!("writing export: {e}"));
        let csv_err = |e: csv::Error| Error::Internal(format!("writing export: {e}"));
        // The CSV writer keeps a fixed-size buffer, so memory stays flat whatever the count.
        let mut sink = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(fields).map_err(csv_err)?;
                Sink::Csv(Box::new(w))
            }
            ExportFormat::Jsonl => Sink::Jsonl(out),
        };
        let mut n = 0u64;
        for addr in addresses {
            let a = self.article_at(&searcher, addr)?;
            let values: Vec<(&str, String)> = fields
                .iter()
                .map(|f| {
                    let v = match f.as_str() {
                        "id" => a.id.clone(),
                        "url" => a.url.clone().unwrap_or_default(),
                        "title" => a.title.clone(),
                        "published" => a.published.map(|p| p.to_rfc3339()).unwrap_or_default(),
                        "source" => a.source.clone().unwrap_or_default(),
                        "author" => a.author.clone().unwrap_or_default(),
                        "editor" => a.editor.clone().unwrap_or_default(),
                        "section" => a.section.clone().unwrap_or_default(),
                        "keywords" => a.keywords.join(","),
                        _ => a.body.clone(),
                    };
                    (f.as_str(), v)
                })
                .collect();
            match &mut sink {
                Sink::Csv(w) => w
                    .write_record(values.iter().map(|(_, v)| v))
                    .map_err(csv_err)?,
                Sink::Jsonl(out) => {
                    let mut line = serde_json::to_vec(&Row(values))
                        .map_err(|e| Error::Internal(e.to_string()))?;
                    line.push(b'\n');
                    out.write_all(&line).map_err(io)?;
                }
            }
            n += 1;
        }
        match &mut sink {
            Sink::Csv(w) => w.flush().map_err(io)?,
            Sink::Jsonl(out) => out.flush().map_err(io)?,
        }
        Ok(n)
    }
}
