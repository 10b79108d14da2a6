//! Opening an index: refuse foreign folders and indexes built with another analyzer.

use std::path::{Path, PathBuf};

use tantivy::Index;

use super::schema::{self, Fields};
use super::settings::{IndexSettings, FORMAT, SETTINGS_FILE, USER_DICT_FILE};
use crate::analyze::{parse_user_dict_file, Analyzer, UserWord};
use crate::error::{Error, Result};

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

/// Opens an index that must already exist.
pub fn open_existing(dir: &Path) -> Result<OpenIndex> {
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
    let index =
        Index::open_in_dir(dir).map_err(|e| index_error(dir, format!("cannot open: {e}")))?;
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

/// Opens the index in `dir`, creating it when the folder is missing or empty. New user
/// dictionary words are added to the ones already recorded with the index.
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
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut words = if existing {
        user_words(dir)?
    } else {
        Vec::new()
    };
    if let Some(path) = user_dict {
        let new_words = parse_user_dict_file(path)?;
        for w in new_words {
            if !words.iter().any(|old| old.word == w.word) {
                words.push(w);
            }
        }
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
    if existing {
        let old = IndexSettings::load(dir)?;
        let mut expected = old.analyzer.clone();
        expected.user_dict_hash = settings.analyzer.user_dict_hash.clone();
        if expected != settings.analyzer {
            return Err(index_error(
                dir,
                format!(
                    "built with analyzer {:?}; re-index into a new folder",
                    old.analyzer
                ),
            ));
        }
        // The user dictionary may have grown; the bigram view still finds old documents.
        settings.save(dir)?;
        return open_existing(dir);
    }
    let index = Index::create_in_dir(dir, schema::build())
        .map_err(|e| index_error(dir, format!("cannot create: {e}")))?;
    settings.save(dir)?;
    analyzer.register(&index);
    let fields = Fields::new(&index.schema()).map_err(|e| index_error(dir, e.to_string()))?;
    Ok(OpenIndex {
        dir: dir.to_path_buf(),
        index,
        fields,
        analyzer,
        settings,
    })
}
