//! The one analyzer of an index: a jieba dictionary shared behind an `Arc`, its settings,
//! and the single function that registers every tokenizer with tantivy.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use super::{normalize::normalize, BigramTokenizer, KeywordTokenizer, WordsTokenizer};
use crate::error::{Error, Result};

/// What decides how text becomes tokens. Saved beside the index; an index is only opened
/// with the same settings it was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerSettings {
    pub words: String,
    pub bigram: String,
    pub keyword: String,
    /// jieba's HMM for unknown words: off, for speed; the bigram view finds new names.
    pub hmm: bool,
    /// BLAKE3 of the user dictionary's normalized entries ("" when none).
    pub user_dict_hash: String,
    /// BLAKE3 of the news dictionary shipped with zhnews (`news_dict.txt`), which every
    /// index is built with.
    pub news_dict_hash: String,
}

/// Our own dictionary of news names and terms jieba splits badly.
const NEWS_DICT: &str = include_str!("news_dict.txt");

#[derive(Clone)]
pub struct Analyzer {
    jieba: Arc<Jieba>,
    settings: AnalyzerSettings,
    /// User-dictionary words with a part-of-speech tag: names the user vouches for.
    names: Arc<HashSet<String>>,
}

/// One parsed user-dictionary line: `word [freq] [tag]`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserWord {
    pub word: String,
    pub freq: Option<usize>,
    pub tag: Option<String>,
}

/// Parses a jieba-format user dictionary; `origin` names it in errors.
pub fn parse_user_dict(text: &str, origin: &str) -> Result<Vec<UserWord>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let mut freq = None;
        let mut tag = None;
        if let Some(p) = parts.next() {
            match p.parse::<usize>() {
                Ok(f) => freq = Some(f),
                Err(_) if p.chars().all(|c| c.is_ascii_alphabetic()) => tag = Some(p.to_string()),
                Err(_) => {
                    return Err(Error::bad_input(
                        format!("{origin}:{}", n + 1),
                        format!("frequency {p:?} is not a number"),
                    ))
                }
            }
        }
        if let Some(p) = parts.next() {
            tag = Some(p.to_string());
        }
        out.push(UserWord {
            word: normalize(word),
            freq,
            tag,
        });
    }
    Ok(out)
}

/// Reads a user dictionary file.
pub fn parse_user_dict_file(path: &Path) -> Result<Vec<UserWord>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_user_dict(&text, &path.display().to_string())
}

impl Analyzer {
    /// The default dictionary plus the given user words.
    pub fn new(user_words: &[UserWord]) -> Self {
        let mut jieba = Jieba::new();
        let news = parse_user_dict(NEWS_DICT, "news_dict.txt").unwrap_or_default();
        for w in &news {
            jieba.add_word(&w.word, w.freq, w.tag.as_deref());
        }
        let news_dict_hash = blake3::hash(NEWS_DICT.as_bytes()).to_hex()[..16].to_string();
        let mut hasher = blake3::Hasher::new();
        for w in user_words {
            jieba.add_word(&w.word, w.freq, w.tag.as_deref());
            hasher.update(w.word.as_bytes());
            hasher.update(format!("\t{:?}\t{:?}\n", w.freq, w.tag).as_bytes());
        }
        let user_dict_hash = if user_words.is_empty() {
            String::new()
        } else {
            hasher.finalize().to_hex()[..16].to_string()
        };
        let names = user_words
            .iter()
            .filter(|w| w.tag.is_some())
            .map(|w| crate::analyze::normalize::normalize(&w.word))
            .collect();
        Analyzer {
            jieba: Arc::new(jieba),
            names: Arc::new(names),
            settings: AnalyzerSettings {
                words: super::WORDS.into(),
                bigram: super::BIGRAM.into(),
                keyword: super::KEYWORD.into(),
                hmm: false,
                user_dict_hash,
                news_dict_hash,
            },
        }
    }

    pub fn settings(&self) -> &AnalyzerSettings {
        &self.settings
    }

    pub fn jieba(&self) -> &Arc<Jieba> {
        &self.jieba
    }

    pub fn names(&self) -> &HashSet<String> {
        &self.names
    }

    pub fn words(&self) -> WordsTokenizer {
        WordsTokenizer::new(self.jieba.clone(), self.settings.hmm)
    }

    /// Registers every tokenizer under its versioned name. The only place this happens, so
    /// index time and query time cannot disagree.
    pub fn register(&self, index: &Index) {
        let manager = index.tokenizers();
        manager.register(super::WORDS, TextAnalyzer::from(self.words()));
        manager.register(super::BIGRAM, TextAnalyzer::from(BigramTokenizer));
        manager.register(super::KEYWORD, TextAnalyzer::from(KeywordTokenizer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_dict_lines() {
        let words =
            parse_user_dict("乌什 10 ns\n衢州\n# comment\n\n潘功胜 nr\n", "d").expect("parses");
        assert_eq!(words.len(), 3);
        assert_eq!(words[0].freq, Some(10));
        assert_eq!(words[2].tag.as_deref(), Some("nr"));
        assert!(parse_user_dict("词 abc1", "d").is_err());
    }

    #[test]
    fn news_names_stay_whole() {
        let a = Analyzer::new(&[]);
        for name in [
            "二十国集团",
            "港珠澳大桥",
            "一带一路",
            "新冠肺炎",
            "粤港澳大湾区",
        ] {
            let text = format!("今天{name}的消息");
            assert!(
                a.words().words(&text).iter().any(|t| t.text == name),
                "{name} is cut"
            );
            assert!(!a.words().words(&text).iter().any(|t| t.text == "十国集团"));
        }
        let news_words = parse_user_dict(NEWS_DICT, "news").map_or(0, |w| w.len());
        assert!(news_words > 50, "{news_words} words in the news dictionary");
    }

    #[test]
    fn user_words_change_segmentation_and_hash() {
        let plain = Analyzer::new(&[]);
        let words = parse_user_dict("功胜科技 100", "d").expect("parses");
        let custom = Analyzer::new(&words);
        assert_ne!(plain.settings(), custom.settings());
        let has = |a: &Analyzer| {
            a.words()
                .words("功胜科技发布")
                .iter()
                .any(|t| t.text == "功胜科技")
        };
        assert!(!has(&plain));
        assert!(has(&custom));
    }
}
