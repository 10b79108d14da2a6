//! Opening an index: refuse foreign folders and indexes built with another analyzer.

use std::path::{Path, PathBuf};

use tantivy::Index;

use super::schema::{self, Fields};
use super::settings::{IndexSettings, FORMAT, SETTINGS_FILE, USER_DICT_FILE};
use crate::analyze::{parse_user_dict_file, Analyzer, UserWord};
use crate::error::{Error, Result};

/// Bytes of stored text compressed together. Every hit reads one stored article (its
/// snippet, its fields), and reading one decompresses its whole block: tantivy's default,
/// 16 KiB, holds several articles (benches/README.md, "Stored-text blocks").
const DOC_STORE_BLOCK_BYTES: usize = 4096;

/// An index with its analyzer registered and its fields looked up.
#[derive(Clone)]
pub struct OpenIndex {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub analyzer: Analyzer,
    pub settings: IndexSettings,
}

fn index_error(dir: &Path, reason: impl Into<String>) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason: reason.into(),
    }
}

fn user_words(dir: &Path) -> Result<Vec<UserWord>> {
    let path = dir.join(USER_DICT_FILE);
    if path.exists() {
        parse_user_dict_file(&path)
    } else {
        Ok(Vec::new())
    }
}

/// Opens an index that must already exist, for reading.
pub fn open_existing(dir: &Path) -> Result<OpenIndex> {
    open_with(dir, false)
}

/// Opens an existing index; for reading, a read-only folder is no obstacle.
fn open_with(dir: &Path, writing: bool) -> Result<OpenIndex> {
    if !dir.is_dir() {
        return Err(index_error(
            dir,
            "no index here (run `zhnews index PATH --index DIR` first)",
        ));
    }
    let settings = IndexSettings::load(dir)?;
    let analyzer = Analyzer::new(&user_words(dir)?);
    if *analyzer.settings() != settings.analyzer {
        return Err(index_error(
            dir,
            format!(
                "built with analyzer {:?}, but this zhnews has {:?}; re-index with this version",
                settings.analyzer,
                analyzer.settings()
            ),
        ));
    }
    let cannot = |e: &dyn std::fmt::Display| index_error(dir, format!("cannot open: {e}"));
    let index = if writing {
        Index::open_in_dir(dir).map_err(|e| cannot(&e))?
    } else {
        let directory = super::reading::ReaderDirectory::open(dir).map_err(|e| cannot(&e))?;
        Index::open(directory).map_err(|e| cannot(&e))?
    };
    with_analyzer(dir, index, analyzer, settings)
}

/// The index with its analyzer registered and its fields looked up.
fn with_analyzer(
    dir: &Path,
    index: Index,
    analyzer: Analyzer,
    settings: IndexSettings,
) -> Result<OpenIndex> {
    analyzer.register(&index);
    let fields = Fields::new(&index.schema())
        .map_err(|e| index_error(dir, format!("schema of another zhnews version: {e}")))?;
    Ok(OpenIndex {
        dir: dir.to_path_buf(),
        index,
        fields,
        analyzer,
        settings,
    })
}

/// Opens the index in `dir`, creating it when the folder is missing or empty. A user
/// dictionary is taken when the index is created; an existing index keeps the one it was
/// built with, and another one is refused (older articles would keep the old
/// segmentation, so results would differ from a clean build).
pub fn create_or_open(dir: &Path, user_dict: Option<&Path>) -> Result<OpenIndex> {
    let existing = dir.join(SETTINGS_FILE).exists();
    if !existing && dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(index_error(
                dir,
                "folder is not empty and is not a zhnews index; refusing to write into it",
            ));
        }
    }
    let new_words = match user_dict {
        Some(path) => Some(dedup_words(parse_user_dict_file(path)?)),
        None => None,
    };
    if existing {
        let old = IndexSettings::load(dir)?;
        if let (Some(path), Some(words)) = (user_dict, &new_words) {
            let given = Analyzer::new(words);
            if given.settings().user_dict_hash != old.analyzer.user_dict_hash {
                return Err(index_error(
                    dir,
                    format!(
                        "was built with {}, not with the words of {}; to use them, build a new \
                         index: zhnews index PATH… --index NEW_FOLDER --user-dict {}",
                        if old.analyzer.user_dict_hash.is_empty() {
                            "no user dictionary".to_string()
                        } else {
                            format!("user dictionary {}", old.analyzer.user_dict_hash)
                        },
                        path.display(),
                        path.display()
                    ),
                ));
            }
        }
        return open_with(dir, true);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let words = new_words.unwrap_or_default();
    if !words.is_empty() {
        let text: String = words
            .iter()
            .map(|w| {
                let mut line = w.word.clone();
                if let Some(f) = w.freq {
                    line.push_str(&format!(" {f}"));
                }
                if let Some(t) = &w.tag {
                    line.push_str(&format!(" {t}"));
                }
                line.push('\n');
                line
            })
            .collect();
        let target = dir.join(USER_DICT_FILE);
        std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
    }
    let analyzer = Analyzer::new(&words);
    let settings = IndexSettings {
        format: FORMAT,
        analyzer: analyzer.settings().clone(),
    };
    let index = Index::builder()
        .schema(schema::build())
        .settings(tantivy::IndexSettings {
            docstore_blocksize: DOC_STORE_BLOCK_BYTES,
            ..Default::default()
        })
        .create_in_dir(dir)
        .map_err(|e| index_error(dir, format!("cannot create: {e}")))?;
    settings.save(dir)?;
    with_analyzer(dir, index, analyzer, settings)
}

/// The first entry of each word, in order (a set, not a scan per word: a 160k-word
/// dictionary took 21 s to check word by word).
fn dedup_words(words: Vec<UserWord>) -> Vec<UserWord> {
    let mut seen = std::collections::HashSet::new();
    words
        .into_iter()
        .filter(|w| seen.insert(w.word.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_index_keeps_its_stored_text_in_small_blocks_when_reopened() {
        let dir = tempfile::tempdir().expect("tmp");
        let created = create_or_open(dir.path(), None).expect("create");
        assert_eq!(
            created.index.settings().docstore_blocksize,
            DOC_STORE_BLOCK_BYTES
        );
        drop(created);
        let reopened = open_existing(dir.path()).expect("reopen");
        assert_eq!(
            reopened.index.settings().docstore_blocksize,
            DOC_STORE_BLOCK_BYTES
        );
    }
}
