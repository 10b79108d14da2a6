//! Text analysis: one normalization, two views of the text, registered once by name.
//!
//! - `zh_words_v3`: jieba search-mode words with our news dictionary (Latin split where
//!   letters meet digits), for ranking.
//! - `zh_bigram_v2`: character bigrams of the text without whitespace, for exact substrings.
//! - `zh_keyword_v1`: the whole normalized value as one token (source, author, section).
//!
//! Every token's position is a character offset and its offsets are byte offsets into the
//! text as given (before normalization), so snippets land on the right characters.

mod analyzed;
mod bigram;
mod dictionary;
pub mod entities;
pub mod exact;
pub mod fingerprint;
mod keyword;
pub mod normalize;
mod stream;
mod words;

pub use analyzed::Analyzed;
pub use bigram::{is_cjk, BigramTokenizer};
pub use dictionary::{parse_user_dict, parse_user_dict_file, Analyzer, AnalyzerSettings, UserWord};
pub use keyword::KeywordTokenizer;
pub use words::WordsTokenizer;

/// Tokenizer names as stored in the schema. Bump the version when output changes.
pub const WORDS: &str = "zh_words_v3";
pub const BIGRAM: &str = "zh_bigram_v2";
pub const KEYWORD: &str = "zh_keyword_v1";
