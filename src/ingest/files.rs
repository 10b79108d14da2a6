//! Walking files and folders and dispatching on the kind of file.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::{jsonl, limits::MAX_PAGE_BYTES, warc, Item, RawPage};
use crate::error::Error;

/// How a file is read, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Html,
    HtmlGz,
    Jsonl,
    JsonlGz,
    JsonlZst,
    Warc,
    WarcGz,
}

impl InputKind {
    pub fn of(path: &Path) -> Option<InputKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let kinds = [
            (".html.gz", InputKind::HtmlGz),
            (".htm.gz", InputKind::HtmlGz),
            (".shtml.gz", InputKind::HtmlGz),
            (".html", InputKind::Html),
            (".htm", InputKind::Html),
            (".shtml", InputKind::Html),
            (".jsonl.gz", InputKind::JsonlGz),
            (".jsonl.zst", InputKind::JsonlZst),
            (".jsonl", InputKind::Jsonl),
            (".ndjson", InputKind::Jsonl),
            (".warc.gz", InputKind::WarcGz),
            (".warc", InputKind::Warc),
        ];
        kinds
            .iter()
            .find(|(suffix, _)| name.ends_with(suffix))
            .map(|(_, k)| *k)
    }
}

/// Reads every input under `paths`, in a stable order, handing each item or error to
/// `sink`. Files of other kinds inside folders are passed over silently; a file named
/// directly that we cannot read is an error.
pub fn read_paths(paths: &[PathBuf], sink: &mut dyn FnMut(Result<Item, Error>)) {
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => sink(Err(Error::io(path, e))),
            Ok(m) if m.is_dir() => read_dir(path, sink),
            Ok(_) => match InputKind::of(path) {
                Some(kind) => read_file(path, kind, sink),
                None => sink(Err(Error::bad_input(
                    path.display().to_string(),
                    "unknown file type (expected .html/.htm/.shtml[.gz], .jsonl[.gz|.zst], .warc[.gz])",
                ))),
            },
        }
    }
}

fn read_dir(dir: &Path, sink: &mut dyn FnMut(Result<Item, Error>)) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                sink(Err(Error::io(&d, e)));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut subdirs = Vec::new();
        for p in paths {
            // Symlinked folders are not followed: a loop would never end.
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                subdirs.push(p);
            } else if let Some(kind) = InputKind::of(&p) {
                read_file(&p, kind, sink);
            }
        }
        // Reverse so the stack pops them in sorted order.
        stack.extend(subdirs.into_iter().rev());
    }
}

fn read_file(path: &Path, kind: InputKind, sink: &mut dyn FnMut(Result<Item, Error>)) {
    let origin = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(Err(Error::io(path, e))),
    };
    let buffered = BufReader::with_capacity(1 << 16, file);
    match kind {
        InputKind::Html => sink(read_page(buffered, &origin)),
        InputKind::HtmlGz => sink(read_page(
            flate2::read::MultiGzDecoder::new(buffered),
            &origin,
        )),
        InputKind::Jsonl => jsonl::read(buffered, &origin, sink),
        InputKind::JsonlGz => jsonl::read(
            BufReader::new(flate2::read::MultiGzDecoder::new(buffered)),
            &origin,
            sink,
        ),
        InputKind::JsonlZst => match zstd::stream::read::Decoder::with_buffer(buffered) {
            Ok(mut d) => {
                // The news corpus is written with a long window; allow up to 2^27 like zstd -d.
                if let Err(e) = d.window_log_max(31) {
                    return sink(Err(Error::bad_input(origin, format!("zstd: {e}"))));
                }
                jsonl::read(BufReader::new(d), &origin, sink)
            }
            Err(e) => sink(Err(Error::bad_input(origin, format!("zstd: {e}")))),
        },
        InputKind::Warc => warc::read(buffered, &origin, sink),
        InputKind::WarcGz => warc::read(
            BufReader::new(flate2::read::MultiGzDecoder::new(buffered)),
            &origin,
            sink,
        ),
    }
}

/// Reads one page, refusing more than [`MAX_PAGE_BYTES`] without reading them all.
fn read_page(reader: impl Read, origin: &str) -> Result<Item, Error> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::bad_input(origin, format!("cannot read: {e}")))?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(Error::bad_input(
            origin,
            format!("page is over the {} MiB size cap", MAX_PAGE_BYTES >> 20),
        ));
    }
    if bytes.is_empty() {
        return Err(Error::bad_input(origin, "empty file"));
    }
    Ok(Item::Page(RawPage {
        origin: origin.to_string(),
        url: None,
        bytes,
        http_charset: None,
        fetched_at: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        let cases = [
            ("a/b.html", Some(InputKind::Html)),
            ("a/B.SHTML", Some(InputKind::Html)),
            ("x.htm.gz", Some(InputKind::HtmlGz)),
            ("x.jsonl.zst", Some(InputKind::JsonlZst)),
            ("x.jsonl.gz", Some(InputKind::JsonlGz)),
            ("x.warc.gz", Some(InputKind::WarcGz)),
            ("x.warc", Some(InputKind::Warc)),
            ("x.txt", None),
            ("x.json", None),
        ];
        for (name, want) in cases {
            assert_eq!(InputKind::of(Path::new(name)), want, "{name}");
        }
    }
}
