//! Query-string parameters to the library's requests. Every value is checked: an unknown
//! sort, a malformed date or a boolean that is neither true nor false is a 400 naming the
//! parameter.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::search::entities::EntitiesRequest;
use crate::search::export::{parse_fields, ExportFormat, ExportRequest};
use crate::search::kwic::KwicRequest;
use crate::search::trend::{Interval, TrendRequest};
use crate::search::{Filters, SearchRequest, Sort, Syntax, MAX_API_LIMIT};

/// The decoded query string: each name with its values in order.
pub struct Params(HashMap<String, Vec<String>>);

impl Params {
    /// Parses `a=1&b=2`, refusing percent-encodings that are not UTF-8.
    pub fn parse(raw: &str) -> Result<Params> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                urlencoding::decode(&s.replace('+', " "))
                    .map(|c| c.into_owned())
                    .map_err(|_| Error::BadRequest(format!("parameter {k:?} is not valid UTF-8")))
            };
            out.entry(decode(k)?).or_default().push(decode(v)?);
        }
        Ok(Params(out))
    }

    /// The first value of `k`, when given and not empty.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0
            .get(k)
            .and_then(|v| v.first())
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Every non-empty value of `k`.
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .get(k)
            .map(|v| v.iter().filter(|s| !s.is_empty()).cloned().collect())
            .unwrap_or_default()
    }

    pub fn flag(&self, k: &str, default: bool) -> Result<bool> {
        match self.get(k) {
            None => Ok(default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(v) => Err(Error::BadRequest(format!("{k} {v:?} is not true or false"))),
        }
    }

    pub fn number(&self, k: &str, default: usize) -> Result<usize> {
        match self.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| Error::BadRequest(format!("{k} {v:?} is not a number"))),
        }
    }

    pub fn date(&self, k: &str) -> Result<Option<NaiveDate>> {
        self.get(k)
            .map(|v| {
                v.parse()
                    .map_err(|_| Error::BadRequest(format!("{k} {v:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    }

    pub fn filters(&self) -> Result<Filters> {
        let f = Filters {
            from: self.date("from")?,
            to: self.date("to")?,
            source: self.get("source").map(str::to_string),
        };
        f.validate()?;
        Ok(f)
    }

    pub fn syntax(&self) -> Result<Syntax> {
        self.get("syntax").map_or(Ok(Syntax::Lenient), str::parse)
    }

    /// The query; an empty or missing one lists articles (by date, within the filters).
    pub fn q(&self) -> String {
        self.get("q").unwrap_or("*").to_string()
    }

    pub fn sort(&self, default: Sort) -> Result<Sort> {
        match self.get("sort") {
            None => Ok(default),
            Some("relevance") => Ok(Sort::Relevance),
            Some("date") => Ok(Sort::Date),
            Some(o) => Err(Error::BadRequest(format!(
                "sort {o:?} is not relevance or date"
            ))),
        }
    }

    pub fn search(&self) -> Result<SearchRequest> {
        let mut req = SearchRequest::new(self.q());
        req.syntax = self.syntax()?;
        req.limit = self.number("limit", 10)?;
        if req.limit == 0 || req.limit > MAX_API_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={MAX_API_LIMIT} per page; page on with the cursor"
            )));
        }
        req.cursor = self.get("cursor").map(str::to_string);
        req.filters = self.filters()?;
        req.sort = self.sort(Sort::Relevance)?;
        req.facets = self.flag("facets", false)?;
        req.partial = self.flag("partial", true)?;
        req.collapse = self.flag("collapse", true)?;
        req.validate()?;
        Ok(req)
    }

    pub fn trend(&self) -> Result<TrendRequest> {
        let mut queries = self.all("q");
        if queries.is_empty() {
            return Err(Error::BadQuery(
                "parameter q is required (repeat it for several series)".into(),
            ));
        }
        queries.truncate(crate::search::trend::MAX_SERIES + 1);
        let mut req = TrendRequest::new(queries);
        req.syntax = self.syntax()?;
        req.interval = self
            .get("interval")
            .unwrap_or("month")
            .parse::<Interval>()?;
        req.normalize = self.flag("normalize", false)?;
        req.filters = self.filters()?;
        Ok(req)
    }

    pub fn kwic(&self) -> Result<KwicRequest> {
        let mut req = KwicRequest::new(
            self.get("q")
                .ok_or_else(|| Error::BadQuery("parameter q is required".into()))?,
        );
        req.syntax = self.syntax()?;
        req.width = self.number("width", 20)?;
        req.limit = self.number("limit", 100)?;
        req.filters = self.filters()?;
        req.validate()?;
        Ok(req)
    }

    pub fn entities(&self) -> Result<EntitiesRequest> {
        let mut req = EntitiesRequest::new(self.q());
        req.syntax = self.syntax()?;
        req.limit = self.number("limit", 20)?;
        req.filters = self.filters()?;
        Ok(req)
    }

    pub fn export(&self) -> Result<ExportRequest> {
        let mut req = ExportRequest::new(self.q());
        req.syntax = self.syntax()?;
        req.format = self
            .get("format")
            .unwrap_or("csv")
            .parse::<ExportFormat>()?;
        req.fields = parse_fields(self.get("fields"))?;
        req.filters = self.filters()?;
        req.sort = self.sort(Sort::Date)?;
        req.bom = self.flag("bom", false)?;
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        let p = Params::parse("q=%E6%8F%B4%E7%96%86&facets=maybe&limit=x&from=2020-13-01")
            .expect("parses");
        assert_eq!(p.get("q"), Some("援疆"));
        assert!(p.flag("facets", false).is_err());
        assert!(p.number("limit", 10).is_err());
        assert!(p.date("from").is_err());
        assert!(Params::parse("q=%FF").is_err());
        let p = Params::parse("q=a+b&partial=false&sort=date").expect("parses");
        let req = p.search().expect("request");
        assert_eq!(req.query, "a b");
        assert!(!req.partial);
        assert_eq!(req.sort, Sort::Date);
        assert!(Params::parse("limit=101").and_then(|p| p.search()).is_err());
    }
}
