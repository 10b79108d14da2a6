//! Field names are spelled here and nowhere else.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED,
};

use crate::analyze::{BIGRAM, KEYWORD, WORDS};

pub const ID: &str = "id";
pub const ID_HASH: &str = "id_hash";
pub const URL: &str = "url";
pub const TITLE: &str = "title";
pub const BODY: &str = "body";
pub const TITLE_EXACT: &str = "title_exact";
pub const BODY_EXACT: &str = "body_exact";
pub const PUBLISHED: &str = "published";
pub const SOURCE: &str = "source";
pub const AUTHOR: &str = "author";
pub const EDITOR: &str = "editor";
pub const SECTION: &str = "section";
pub const KEYWORDS: &str = "keywords";
pub const GROUP: &str = "group";
pub const CONTENT_HASH: &str = "content_hash";
pub const MINHASH: &str = "minhash";
pub const TEXT_HASH: &str = "text_hash";
/// 1 when the publish time has a time of day, 0 when it is a day.
pub const PUBLISHED_HAS_TIME: &str = "published_has_time";
/// The people, places and organisations an article mentions.
pub const PERSON: &str = "person";
pub const PLACE: &str = "place";
pub const ORG: &str = "org";

/// Handles to every field, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub id_hash: Field,
    pub url: Field,
    pub title: Field,
    pub body: Field,
    pub title_exact: Field,
    pub body_exact: Field,
    pub published: Field,
    pub source: Field,
    pub author: Field,
    pub editor: Field,
    pub section: Field,
    pub keywords: Field,
    pub group: Field,
    pub content_hash: Field,
    pub minhash: Field,
    pub text_hash: Field,
    pub published_has_time: Field,
    pub person: Field,
    pub place: Field,
    pub org: Field,
}

fn text(tokenizer: &str, stored: bool, record: IndexRecordOption) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// A value matched whole (normalized), stored as given, and a fast column for facets.
fn keyword(fast: bool) -> TextOptions {
    let opts = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_stored();
    if fast {
        opts.set_fast("raw")
    } else {
        opts
    }
}

/// Seconds since the epoch as a tantivy date. Tantivy keeps nanoseconds in an `i64`, so
/// only about 1677–2262 fits; times outside are clamped to the ends instead of overflowing
/// (a query for `published:[* TO 20206]` once panicked in a build with overflow checks,
/// and silently wrapped to a date in 1677 without them).
pub fn date_from_secs(secs: i64) -> tantivy::DateTime {
    const LIMIT: i64 = i64::MAX / 1_000_000_000;
    tantivy::DateTime::from_timestamp_secs(secs.clamp(-LIMIT, LIMIT))
}

pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(
        ID,
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic),
            )
            .set_stored()
            .set_fast("raw"),
    );
    b.add_u64_field(ID_HASH, NumericOptions::default().set_fast().set_indexed());
    b.add_text_field(URL, STORED);
    // Phrases, exact strings and proximity are all matched in the bigram view, so the
    // words view keeps frequencies for BM25 but no positions (the 76k-article index:
    // 336 → 304 MB).
    b.add_text_field(TITLE, text(WORDS, true, IndexRecordOption::WithFreqs));
    b.add_text_field(BODY, text(WORDS, true, IndexRecordOption::WithFreqs));
    let positions = IndexRecordOption::WithFreqsAndPositions;
    b.add_text_field(TITLE_EXACT, text(BIGRAM, false, positions));
    b.add_text_field(BODY_EXACT, text(BIGRAM, false, positions));
    b.add_date_field(
        PUBLISHED,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field(SOURCE, keyword(true));
    b.add_text_field(AUTHOR, keyword(false));
    b.add_text_field(EDITOR, STORED);
    b.add_text_field(SECTION, keyword(false));
    b.add_text_field(KEYWORDS, keyword(false));
    b.add_u64_field(
        GROUP,
        NumericOptions::default()
            .set_fast()
            .set_indexed()
            .set_stored(),
    );
    b.add_u64_field(CONTENT_HASH, FAST | STORED);
    b.add_bytes_field(MINHASH, BytesOptions::default().set_fast());
    b.add_u64_field(TEXT_HASH, FAST);
    b.add_u64_field(PUBLISHED_HAS_TIME, STORED);
    b.add_text_field(PERSON, keyword(true));
    b.add_text_field(PLACE, keyword(true));
    b.add_text_field(ORG, keyword(true));
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f(ID)?,
            id_hash: f(ID_HASH)?,
            url: f(URL)?,
            title: f(TITLE)?,
            body: f(BODY)?,
            title_exact: f(TITLE_EXACT)?,
            body_exact: f(BODY_EXACT)?,
            published: f(PUBLISHED)?,
            source: f(SOURCE)?,
            author: f(AUTHOR)?,
            editor: f(EDITOR)?,
            section: f(SECTION)?,
            keywords: f(KEYWORDS)?,
            group: f(GROUP)?,
            content_hash: f(CONTENT_HASH)?,
            minhash: f(MINHASH)?,
            text_hash: f(TEXT_HASH)?,
            published_has_time: f(PUBLISHED_HAS_TIME)?,
            person: f(PERSON)?,
            place: f(PLACE)?,
            org: f(ORG)?,
        })
    }
}

/// The 64-bit key of an id, for tie-breaking and cursors.
pub fn id_hash(id: &str) -> u64 {
    hash64(id.as_bytes())
}

/// The first 64 bits of BLAKE3: stable across runs and platforms.
pub fn hash64(bytes: &[u8]) -> u64 {
    let h = blake3::hash(bytes);
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b)
}
