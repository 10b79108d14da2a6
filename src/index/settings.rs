//! `zhnews.json` beside the segments: what built the index. tantivy does not save custom
//! tokenizers, so an index is only opened with the analyzer that wrote it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analyze::AnalyzerSettings;
use crate::error::{Error, Result};

pub const SETTINGS_FILE: &str = "zhnews.json";
/// The user dictionary in force, copied into the index so queries segment alike.
pub const USER_DICT_FILE: &str = "user_dict.txt";
pub const FORMAT: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSettings {
    pub format: u32,
    pub analyzer: AnalyzerSettings,
}

impl IndexSettings {
    pub fn load(dir: &Path) -> Result<IndexSettings> {
        let path = dir.join(SETTINGS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            reason: format!("not a zhnews index ({SETTINGS_FILE}: {e})"),
        })?;
        let s: IndexSettings = serde_json::from_str(&text).map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            reason: format!("{SETTINGS_FILE} is damaged: {e}"),
        })?;
        if s.format != FORMAT {
            return Err(Error::Index {
                path: dir.to_path_buf(),
                reason: format!(
                    "index format {} but this zhnews reads format {FORMAT}; re-index",
                    s.format
                ),
            });
        }
        Ok(s)
    }

    /// Written atomically (temp file + rename) so a crash never leaves half a file.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(SETTINGS_FILE);
        let tmp = dir.join(format!("{SETTINGS_FILE}.tmp"));
        let text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }
}
