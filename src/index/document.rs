//! An article as a tantivy document and back: the one place that knows which field holds
//! what.

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::schema::{date_from_secs, Fields};
use crate::analyze::entities::Entities;
use crate::analyze::fingerprint::to_bytes;
use crate::analyze::Analyzed;
use crate::article::{Article, Published};

/// What the index keeps beside the article itself.
pub struct Filing {
    /// The id's 64-bit hash, the key of upserts and cursors.
    pub key: u64,
    /// A hash of the whole article, to tell an unchanged record.
    pub content: u64,
    /// The reprint group.
    pub group: u64,
}

pub fn to_document(f: &Fields, a: &Analyzed, filing: &Filing) -> TantivyDocument {
    let art = &a.article;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &art.id);
    doc.add_u64(f.id_hash, filing.key);
    if let Some(u) = &art.url {
        doc.add_text(f.url, u);
    }
    // Both views of title and body: the words rank, the bigrams find exact strings.
    doc.add_text(f.title, &art.title);
    doc.add_text(f.body, &art.body);
    doc.add_text(f.title_exact, &art.title);
    doc.add_text(f.body_exact, &art.body);
    if let Some(p) = art.published {
        doc.add_date(f.published, date_from_secs(p.timestamp()));
        doc.add_u64(f.published_has_time, u64::from(p.has_time()));
    }
    if let Some(s) = &art.source {
        doc.add_text(f.source, s);
    }
    if let Some(au) = &art.author {
        for name in au.split_whitespace() {
            doc.add_text(f.author, name);
        }
    }
    if let Some(e) = &art.editor {
        doc.add_text(f.editor, e);
    }
    if let Some(s) = &art.section {
        doc.add_text(f.section, s);
    }
    for k in &art.keywords {
        doc.add_text(f.keywords, k);
    }
    for (field, values) in [
        (f.person, &a.entities.person),
        (f.place, &a.entities.place),
        (f.org, &a.entities.org),
    ] {
        for v in values {
            doc.add_text(field, v);
        }
    }
    doc.add_u64(f.group, filing.group);
    doc.add_u64(f.content_hash, filing.content);
    doc.add_u64(f.text_hash, a.fingerprint.exact);
    doc.add_bytes(f.minhash, &to_bytes(&a.fingerprint));
    doc
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn all(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

pub fn to_article(f: &Fields, doc: &TantivyDocument) -> Article {
    let authors = all(doc, f.author);
    let published = doc
        .get_first(f.published)
        .and_then(|v| v.as_datetime())
        .and_then(|d| {
            // Indexes of format 2 had no flag: their times all had a time of day.
            let has_time = doc
                .get_first(f.published_has_time)
                .and_then(|v| v.as_u64())
                .is_none_or(|h| h == 1);
            Published::from_secs(d.into_timestamp_secs(), has_time)
        });
    Article {
        id: text(doc, f.id).unwrap_or_default(),
        url: text(doc, f.url),
        title: text(doc, f.title).unwrap_or_default(),
        published,
        source: text(doc, f.source),
        author: (!authors.is_empty()).then(|| authors.join(" ")),
        editor: text(doc, f.editor),
        section: text(doc, f.section),
        keywords: all(doc, f.keywords),
        body: text(doc, f.body).unwrap_or_default(),
    }
}

pub fn to_entities(f: &Fields, doc: &TantivyDocument) -> Entities {
    Entities {
        person: all(doc, f.person),
        place: all(doc, f.place),
        org: all(doc, f.org),
    }
}
