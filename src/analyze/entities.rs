//! The people, places and organisations an article mentions: jieba's part-of-speech tags
//! (nr/nrfg/nrt person, ns place, nt organisation) over the normalized text, corrected by
//! a small lexicon read by hand (`entity_corrections.tsv`: common words jieba tags as
//! names, 文明 or 城市, and names of another kind, 沙特 tagged as a person). A user
//! dictionary adds names with the same tags (`潘功胜 100 nr`).

use std::collections::HashMap;
use std::sync::LazyLock;

use jieba_rs::Jieba;

use super::normalize::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
        }
    }

    fn of_tag(tag: &str) -> Option<EntityKind> {
        match tag {
            "nr" | "nrfg" | "nrt" => Some(EntityKind::Person),
            "ns" => Some(EntityKind::Place),
            "nt" => Some(EntityKind::Org),
            _ => None,
        }
    }

    fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The most entities of one kind kept for an article.
pub const MAX_PER_KIND: usize = 32;

/// What one article mentions, each kind in order of first mention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entities {
    pub person: Vec<String>,
    pub place: Vec<String>,
    pub org: Vec<String>,
}

impl Entities {
    pub fn of(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Place => &self.place,
            EntityKind::Org => &self.org,
        }
    }

    fn push(&mut self, kind: EntityKind, word: &str) {
        let list = match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Place => &mut self.place,
            EntityKind::Org => &mut self.org,
        };
        if list.len() < MAX_PER_KIND && !list.iter().any(|w| w == word) {
            list.push(word.to_string());
        }
    }
}

/// (word, kind jieba gave it) → the kind it really is, or `None` for no entity.
static CORRECTIONS: LazyLock<HashMap<(String, EntityKind), Option<EntityKind>>> =
    LazyLock::new(|| {
        include_str!("entity_corrections.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let word = parts.next()?.trim();
                let tagged = EntityKind::parse(parts.next()?.trim())?;
                let verdict = parts.next()?.trim();
                Some(((normalize(word), tagged), EntityKind::parse(verdict)))
            })
            .collect()
    });

/// The entities of an article's title and body.
pub fn find(jieba: &Jieba, title: &str, body: &str) -> Entities {
    let mut out = Entities::default();
    for text in [title, body] {
        let text = normalize(text);
        for t in jieba.tag(&text, false) {
            let Some(tagged) = EntityKind::of_tag(t.tag) else {
                continue;
            };
            // One character is a surname or a province's short name, never enough.
            if t.word.chars().count() < 2 || !t.word.chars().all(char::is_alphanumeric) {
                continue;
            }
            let kind = match CORRECTIONS.get(&(t.word.to_string(), tagged)) {
                Some(corrected) => *corrected,
                None => Some(tagged),
            };
            if let Some(kind) = kind {
                out.push(kind, t.word);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_places_and_organisations_of_a_sentence() {
        let jieba = Jieba::new();
        let e = find(
            &jieba,
            "李克强会见联合国秘书长",
            "国务院总理李克强在北京人民大会堂会见联合国秘书长古特雷斯，双方就气候变化交换意见。",
        );
        assert!(e.person.contains(&"李克强".to_string()), "{e:?}");
        // jieba's dictionary holds 北京人民大会堂 as one place.
        assert!(e.place.iter().any(|p| p.starts_with("北京")), "{e:?}");
        assert!(
            e.org.iter().any(|o| o == "国务院" || o == "联合国"),
            "{e:?}"
        );
        assert_eq!(e.person.iter().filter(|p| *p == "李克强").count(), 1);
    }
}
