//! Where a cluster index lives: `sphinxql://HOST:PORT/INDEX`, and the analyzer versions its
//! name carries.
//!
//! An index is only useful to the zhnews that filled it: its words are jieba's words for
//! `zh_words_v3`, its bigrams those of `zh_bigram_v2`, each token encoded as
//! [`super::layout`] version 2 says. The name ends with those versions (`news_w3b2k1s2`:
//! words v3, bigrams v2, keywords v1, layout v2), so a query against an index that another
//! zhnews built is refused before it can answer wrongly.

use crate::analyze::{BIGRAM, KEYWORD, WORDS};
use crate::error::{Error, Result};

/// The SphinxQL port Manticore and Sphinx listen on by default.
pub const DEFAULT_PORT: u16 = 9306;

/// Version of the document layout in [`super::layout`]: bump it when tokens or columns change.
pub const LAYOUT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub index: String,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sphinxql://{}:{}/{}", self.host, self.port, self.index)
    }
}

/// The trailing number of an analyzer name (`zh_words_v2` → 2).
fn version_of(name: &str) -> u32 {
    name.rsplit('v')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The suffix every index name of this zhnews ends with, e.g. `_w3b2k1s2`.
pub fn name_suffix() -> String {
    format!(
        "_w{}b{}k{}s{LAYOUT_VERSION}",
        version_of(WORDS),
        version_of(BIGRAM),
        version_of(KEYWORD)
    )
}

/// `base` with this zhnews's suffix: the name to give an index in the node's config.
pub fn index_name(base: &str) -> String {
    format!("{base}{}", name_suffix())
}

/// The versions an index name says it was built with (`(words, bigram, keyword, layout)`).
fn versions_in(name: &str) -> Option<(u32, u32, u32, u32)> {
    let tail = &name[name.rfind('_')? + 1..];
    let mut rest = tail;
    let mut take = |tag: char| -> Option<u32> {
        let r = rest.strip_prefix(tag)?;
        let digits = r.chars().take_while(char::is_ascii_digit).count();
        let n = r[..digits].parse().ok()?;
        rest = &r[digits..];
        Some(n)
    };
    let v = (take('w')?, take('b')?, take('k')?, take('s')?);
    rest.is_empty().then_some(v)
}

impl Target {
    /// Reads `sphinxql://HOST[:PORT]/INDEX`.
    pub fn parse(url: &str) -> Result<Target> {
        let bad = |why: &str| {
            Error::BadRequest(format!(
                "cluster address {url:?} {why}; give sphinxql://HOST:PORT/INDEX, e.g. \
                 sphinxql://127.0.0.1:9306/{}",
                index_name("news")
            ))
        };
        let rest = url
            .strip_prefix("sphinxql://")
            .ok_or_else(|| bad("does not start with sphinxql://"))?;
        let (hostport, index) = rest.split_once('/').ok_or_else(|| bad("names no index"))?;
        let index = index.trim_end_matches('/');
        if index.is_empty() || !index.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad("has an index name other than letters, digits and _"));
        }
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                let port = p.parse::<u16>().map_err(|_| bad("has a bad port"))?;
                (h, port)
            }
            _ => (hostport, DEFAULT_PORT),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        Ok(Target {
            host: host.to_string(),
            port,
            index: index.to_string(),
        })
    }

    /// Refuses an index whose name does not carry this zhnews's analyzer versions.
    pub fn check_versions(&self) -> Result<()> {
        let want = name_suffix();
        if self.index.ends_with(&want) && self.index.len() > want.len() {
            return Ok(());
        }
        let said = match versions_in(&self.index) {
            Some((w, b, k, s)) => {
                format!("was built with words v{w}, bigrams v{b}, keywords v{k}, layout v{s}")
            }
            None => "does not say which analyzers built it".to_string(),
        };
        Err(Error::Cluster {
            target: self.to_string(),
            reason: format!(
                "index {} {said}, but this zhnews analyzes with {WORDS}, {BIGRAM}, {KEYWORD} \
                 and layout v{LAYOUT_VERSION} (index names ending in {want}); push the \
                 articles again into an index named like {}",
                self.index,
                index_name("news")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let t = Target::parse("sphinxql://127.0.0.1:9306/news_w3b2k1s2").expect("parses");
        assert_eq!(
            (t.host.as_str(), t.port, t.index.as_str()),
            ("127.0.0.1", 9306, "news_w3b2k1s2")
        );
        assert_eq!(t.to_string(), "sphinxql://127.0.0.1:9306/news_w3b2k1s2");
        let t = Target::parse("sphinxql://search-1/news_w3b2k1s2/").expect("default port");
        assert_eq!((t.host.as_str(), t.port), ("search-1", DEFAULT_PORT));
        let t = Target::parse("sphinxql://[::1]:9307/x_w3b2k1s2").expect("ipv6");
        assert_eq!((t.host.as_str(), t.port), ("::1", 9307));
        for bad in [
            "mysql://h:1/x",
            "sphinxql://h:1",
            "sphinxql://h:1/",
            "sphinxql://h:x/i",
            "sphinxql://:1/i",
            "sphinxql://h:1/a-b",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_carry_the_versions() {
        assert_eq!(name_suffix(), "_w3b2k1s2");
        assert_eq!(index_name("news"), "news_w3b2k1s2");
        let ok = Target::parse("sphinxql://h:1/news_w3b2k1s2").expect("parses");
        assert!(ok.check_versions().is_ok());
        let old = Target::parse("sphinxql://h:1/news_w2b2k1s1").expect("parses");
        let e = old.check_versions().expect_err("refused");
        assert!(e.to_string().contains("words v2, bigrams v2"), "{e}");
        let bare = Target::parse("sphinxql://h:1/news").expect("parses");
        assert!(bare
            .check_versions()
            .expect_err("refused")
            .to_string()
            .contains("does not say"));
    }
}
