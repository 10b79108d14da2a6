//! The harness the file-reader targets share: the input is written as a file of the given
//! name (so its extension picks the reader), read back through `read_paths` as `zhnews
//! index` reads it, and every item extracted. Every failure must name the file.

use std::io::Write;
use std::path::PathBuf;
use std::sync::LazyLock;

use zhnews::extract::extract;
use zhnews::ingest::read_paths;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(|| tempfile::tempdir().expect("temp dir"));

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip to memory");
    enc.finish().expect("gzip to memory")
}

/// Reads `contents` as a file called `name`; returns how many items came back.
pub fn read_as(name: &str, contents: &[u8]) -> usize {
    let path: PathBuf = DIR.path().join(name);
    std::fs::write(&path, contents).expect("write temp file");
    let mut items = 0usize;
    read_paths(&[path], &mut |r| match r {
        Ok(item) => {
            items += 1;
            let _ = extract(&item);
        }
        Err(e) => assert!(e.to_string().contains(name), "{e}"),
    });
    items
}
