//! Cursors for deep paging: the sort key of the last hit shown, so the next page starts
//! after it whatever the offset. Opaque to users (URL-safe base64).

use base64::Engine as _;

use super::collect::{Sort, SortKey};
use crate::error::{Error, Result};

pub fn encode(key: &SortKey, sort: Sort) -> String {
    let tag = match sort {
        Sort::Relevance => 'r',
        Sort::Date => 'd',
    };
    let raw = format!("{tag}:{:016x}:{:016x}", key.key.to_bits(), key.id);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode(cursor: &str, sort: Sort) -> Result<SortKey> {
    let bad = || Error::BadRequest(format!("cursor {cursor:?} is not one this server gave out"));
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = raw.split(':');
    let tag = parts.next().ok_or_else(bad)?;
    let want = match sort {
        Sort::Relevance => "r",
        Sort::Date => "d",
    };
    if tag != want {
        return Err(Error::BadRequest(
            "cursor belongs to another sort order".into(),
        ));
    }
    let key = parts
        .next()
        .and_then(|k| u64::from_str_radix(k, 16).ok())
        .ok_or_else(bad)?;
    let id = parts
        .next()
        .and_then(|k| u64::from_str_radix(k, 16).ok())
        .ok_or_else(bad)?;
    Ok(SortKey {
        key: f64::from_bits(key),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let k = SortKey { key: 3.25, id: 42 };
        let c = encode(&k, Sort::Relevance);
        assert_eq!(decode(&c, Sort::Relevance).ok(), Some(k));
        assert!(decode(&c, Sort::Date).is_err());
        assert!(decode("!!!", Sort::Date).is_err());
        assert!(decode("", Sort::Date).is_err());
    }
}
