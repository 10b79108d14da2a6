//! Cursors for deep paging: the sort key of the last hit shown, so the next page starts
//! after it whatever the offset. Opaque to users (URL-safe base64). A cursor carries a
//! hash of what it belongs to (the query as read, the filters, the sort, collapsing, and
//! for relevance order the index's contents, which the scores depend on): used with
//! anything else it would silently skip or repeat hits, so it is refused.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::search::collect::{Sort, SortKey};

/// Where a page ended: the sort key of its last hit, and whether that hit was among the
/// hits the second ranking phase reordered (whose keys are its scores, not BM25's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub key: SortKey,
    pub reranked: bool,
}

pub fn encode(at: &Position, sort: Sort, binding: u64) -> String {
    let raw = format!(
        "{}:{:016x}:{:016x}:{binding:016x}",
        tag(sort, at.reranked),
        at.key.key.to_bits(),
        at.key.id
    );
    seal(&raw)
}

/// A cursor's fields, made opaque (URL-safe base64).
pub(crate) fn seal(raw: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// The fields a cursor carries, or the error for a string this server did not give out.
pub(crate) fn open(cursor: &str) -> Result<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .ok_or_else(|| not_ours(cursor))
}

/// The error for a cursor this server did not give out (or one it cannot read).
pub(crate) fn not_ours(cursor: &str) -> Error {
    Error::BadRequest(format!("cursor {cursor:?} is not one this server gave out"))
}

fn tag(sort: Sort, reranked: bool) -> &'static str {
    match (sort, reranked) {
        (Sort::Relevance, false) => "r",
        (Sort::Relevance, true) => "w",
        (Sort::Date, _) => "d",
    }
}

pub fn decode(cursor: &str, sort: Sort, binding: u64) -> Result<Position> {
    let bad = || not_ours(cursor);
    let raw = open(cursor)?;
    let mut parts = raw.split(':');
    let tag_given = parts.next().ok_or_else(bad)?;
    let mut hex = || {
        parts
            .next()
            .and_then(|k| u64::from_str_radix(k, 16).ok())
            .ok_or_else(bad)
    };
    let (key, id, bound) = (hex()?, hex()?, hex()?);
    let reranked = tag_given == "w";
    if tag_given != tag(sort, reranked) {
        return Err(Error::BadRequest(
            "cursor belongs to another sort order; start again from the first page".into(),
        ));
    }
    if bound != binding {
        return Err(Error::BadRequest(
            "cursor belongs to another query, filter or collapse setting, or the index has \
             changed since; start again from the first page"
                .into(),
        ));
    }
    Ok(Position {
        key: SortKey {
            key: f64::from_bits(key),
            id,
        },
        reranked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let k = Position {
            key: SortKey { key: 3.25, id: 42 },
            reranked: true,
        };
        let c = encode(&k, Sort::Relevance, 7);
        assert_eq!(decode(&c, Sort::Relevance, 7).ok(), Some(k));
        assert!(decode(&c, Sort::Date, 7).is_err());
        let other = decode(&c, Sort::Relevance, 8);
        assert!(matches!(other, Err(Error::BadRequest(m)) if m.contains("another query")));
        assert!(decode("!!!", Sort::Date, 7).is_err());
        assert!(decode("", Sort::Date, 7).is_err());
    }
}
