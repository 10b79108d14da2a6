//! Export: every match, streamed as CSV or JSON Lines, in a stated order (newest first or
//! by relevance, ties by id). Only a sort key and an address are held per match; each
//! article is read, written and dropped in turn.

use std::io::Write;

use serde::Serialize;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::search::collect::{MatchCollector, Sort};
use crate::search::request::{Deadline, Filters, Syntax};
use crate::search::{finished, with_deadline, Engine};

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

/// A column of an export, named as in the search JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleField {
    Id,
    Url,
    Title,
    Published,
    Source,
    Author,
    Editor,
    Section,
    Keywords,
    Body,
}

impl ArticleField {
    pub const ALL: [ArticleField; 10] = [
        ArticleField::Id,
        ArticleField::Url,
        ArticleField::Title,
        ArticleField::Published,
        ArticleField::Source,
        ArticleField::Author,
        ArticleField::Editor,
        ArticleField::Section,
        ArticleField::Keywords,
        ArticleField::Body,
    ];
    pub const DEFAULT: [ArticleField; 6] = [
        ArticleField::Id,
        ArticleField::Url,
        ArticleField::Title,
        ArticleField::Published,
        ArticleField::Source,
        ArticleField::Author,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ArticleField::Id => "id",
            ArticleField::Url => "url",
            ArticleField::Title => "title",
            ArticleField::Published => "published",
            ArticleField::Source => "source",
            ArticleField::Author => "author",
            ArticleField::Editor => "editor",
            ArticleField::Section => "section",
            ArticleField::Keywords => "keywords",
            ArticleField::Body => "body",
        }
    }

    /// The field's value as text (keywords joined by commas; "" when absent).
    pub fn value(self, a: &Article) -> String {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        match self {
            ArticleField::Id => a.id.clone(),
            ArticleField::Url => opt(&a.url),
            ArticleField::Title => a.title.clone(),
            ArticleField::Published => a.published.map(|p| p.to_string()).unwrap_or_default(),
            ArticleField::Source => opt(&a.source),
            ArticleField::Author => opt(&a.author),
            ArticleField::Editor => opt(&a.editor),
            ArticleField::Section => opt(&a.section),
            ArticleField::Keywords => a.keywords.join(","),
            ArticleField::Body => a.body.clone(),
        }
    }
}

impl std::str::FromStr for ArticleField {
    type Err = Error;
    fn from_str(s: &str) -> Result<ArticleField> {
        ArticleField::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ArticleField::ALL.iter().map(|f| f.name()).collect();
                Error::BadRequest(format!(
                    "unknown field {s:?}; fields are {}",
                    names.join(",")
                ))
            })
    }
}

/// A comma-separated field list; the default fields when empty.
pub fn parse_fields(list: Option<&str>) -> Result<Vec<ArticleField>> {
    match list.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(ArticleField::DEFAULT.to_vec()),
        Some(l) => l.split(',').map(|f| f.trim().parse()).collect(),
    }
}

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub query: String,
    pub syntax: Syntax,
    pub format: ExportFormat,
    pub fields: Vec<ArticleField>,
    pub filters: Filters,
    /// Newest first (the default) or best first; ties by id either way.
    pub sort: Sort,
    /// Start CSV with a byte order mark, so spreadsheet programs read it as UTF-8.
    pub bom: bool,
    pub deadline: Option<Deadline>,
}

impl ExportRequest {
    pub fn new(query: impl Into<String>) -> Self {
        ExportRequest {
            query: query.into(),
            syntax: Syntax::Lenient,
            format: ExportFormat::Csv,
            fields: ArticleField::DEFAULT.to_vec(),
            filters: Filters::default(),
            sort: Sort::Date,
            bom: false,
            deadline: None,
        }
    }
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

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return first) gets a leading `'`, as OWASP advises for CSV injection.
pub fn csv_cell(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Jsonl(&'a mut dyn Write),
}

impl Engine {
    /// Writes every article matching the request to `out`; returns how many.
    pub fn export(&self, req: &ExportRequest, out: &mut dyn Write) -> Result<u64> {
        if req.fields.is_empty() {
            return Err(Error::BadRequest("give at least one field".into()));
        }
        let (q, parsed) = self.compile_as(&req.query, req.syntax, &req.filters)?;
        let sort = if parsed.node.has_text() {
            req.sort
        } else {
            Sort::Date
        };
        let searcher = self.searcher();
        let collector = MatchCollector::every(&searcher, sort);
        let matches = searcher.search(&*with_deadline(q, &req.deadline), &collector)?;
        finished(&req.deadline)?;
        let mut writer = ExportWriter::start(req, out)?;
        for e in &matches.top {
            if let Some(d) = req.deadline.as_ref().filter(|d| d.passed()) {
                return Err(Error::Timeout(d.budget().as_millis() as u64));
            }
            writer.write(&self.article_at(&searcher, e.address)?)?;
        }
        writer.finish()
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(format!("writing export: {e}"))
}

fn csv_err(e: csv::Error) -> Error {
    Error::Internal(format!("writing export: {e}"))
}

/// Writes the rows of an export one article at a time (CSV with its header, or JSON
/// Lines), whatever engine found them.
pub struct ExportWriter<'a> {
    sink: Sink<'a>,
    fields: Vec<ArticleField>,
    rows: u64,
}

impl<'a> ExportWriter<'a> {
    /// Starts an export: the byte order mark and the header of a CSV.
    pub fn start(req: &ExportRequest, out: &'a mut dyn Write) -> Result<ExportWriter<'a>> {
        if req.fields.is_empty() {
            return Err(Error::BadRequest("give at least one field".into()));
        }
        let names: Vec<&str> = req.fields.iter().map(|f| f.name()).collect();
        // The CSV writer keeps a fixed-size buffer, so memory stays flat whatever the count.
        let sink = match req.format {
            ExportFormat::Csv => {
                if req.bom {
                    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
                }
                let mut w = csv::Writer::from_writer(out);
                w.write_record(&names).map_err(csv_err)?;
                Sink::Csv(Box::new(w))
            }
            ExportFormat::Jsonl => Sink::Jsonl(out),
        };
        Ok(ExportWriter {
            sink,
            fields: req.fields.clone(),
            rows: 0,
        })
    }

    pub fn write(&mut self, a: &Article) -> Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w
                .write_record(self.fields.iter().map(|f| csv_cell(f.value(a))))
                .map_err(csv_err)?,
            Sink::Jsonl(out) => {
                let row = Row(self.fields.iter().map(|f| (f.name(), f.value(a))).collect());
                let mut line =
                    serde_json::to_vec(&row).map_err(|e| Error::Internal(e.to_string()))?;
                line.push(b'\n');
                out.write_all(&line).map_err(io)?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Flushes and returns how many rows were written.
    pub fn finish(mut self) -> Result<u64> {
        match &mut self.sink {
            Sink::Csv(w) => w.flush().map_err(io)?,
            Sink::Jsonl(out) => out.flush().map_err(io)?,
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_parse() {
        assert_eq!(csv_cell("=1+1".into()), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(csv_cell("-2".into()), "'-2");
        assert_eq!(csv_cell("新华社".into()), "新华社");
        assert_eq!(
            parse_fields(Some("id, title,body")).ok(),
            Some(vec![
                ArticleField::Id,
                ArticleField::Title,
                ArticleField::Body
            ])
        );
        assert!(parse_fields(Some("id,nope")).is_err());
        assert_eq!(
            parse_fields(None).ok(),
            Some(ArticleField::DEFAULT.to_vec())
        );
    }
}
