//! Walking files and folders and dispatching on the kind of file.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

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
        // A name that is not UTF-8 still has an ASCII suffix to go by.
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
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

/// Reads every input under `paths`, in a stable order (folders in sorted path order),
/// handing each item or error to `sink`. Every file is read or reported: files of other
/// kinds as [`Item::Ignored`], and things that are not regular files (FIFOs, sockets,
/// devices, broken links, which could block a read forever) as errors.
pub fn read_paths(paths: &[PathBuf], sink: &mut dyn FnMut(Result<Item, Error>)) {
    read_paths_counted(paths, &Arc::new(AtomicU64::new(0)), sink)
}

/// [`read_paths`], adding the bytes read from files to `counter` as it goes (compressed
/// bytes for compressed files), for progress against [`input_bytes`].
pub fn read_paths_counted(
    paths: &[PathBuf],
    counter: &Arc<AtomicU64>,
    sink: &mut dyn FnMut(Result<Item, Error>),
) {
    let mut read = |path: &Path, kind: InputKind, sink: &mut dyn FnMut(Result<Item, Error>)| {
        read_file(path, kind, counter, sink)
    };
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => sink(Err(Error::io(path, e))),
            Ok(m) if m.is_dir() => walk(path, &mut |v| match v {
                Visit::File(p, m) => read_entry(p, m, &mut read, sink),
                Visit::Error(e) => sink(Err(e)),
            }),
            // A file named on purpose is read by its name's kind, or refused with the reason.
            Ok(m) if m.is_file() && InputKind::of(path).is_none() => sink(Err(Error::bad_input(
                path.display().to_string(),
                "unknown file type (expected .html/.htm/.shtml[.gz], .jsonl[.gz|.zst], \
                     .warc[.gz])",
            ))),
            Ok(m) => read_entry(path, &m, &mut read, sink),
        }
    }
}

/// The bytes of the input files under `paths` (what [`read_paths_counted`] will count).
pub fn input_bytes(paths: &[PathBuf]) -> u64 {
    let mut total = 0;
    let mut add = |p: &Path, m: &std::fs::Metadata| {
        if m.is_file() && InputKind::of(p).is_some() {
            total += m.len();
        }
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, &mut |v| {
                if let Visit::File(p, m) = v {
                    add(p, m);
                }
            }),
            Ok(m) => add(path, &m),
            Err(_) => {}
        }
    }
    total
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

type ReadFile<'a> = dyn FnMut(&Path, InputKind, &mut dyn FnMut(Result<Item, Error>)) + 'a;

/// One file found by name or in a folder: read if it is a regular file of a known kind.
fn read_entry(
    path: &Path,
    meta: &std::fs::Metadata,
    read: &mut ReadFile,
    sink: &mut dyn FnMut(Result<Item, Error>),
) {
    let origin = path.display().to_string();
    if !meta.is_file() {
        return sink(Err(Error::bad_input(
            origin,
            "not a regular file (a FIFO, socket or device), skipped",
        )));
    }
    match InputKind::of(path) {
        Some(kind) => read(path, kind, sink),
        None => sink(Ok(Item::Ignored { origin })),
    }
}

/// What a walk through a folder finds.
enum Visit<'a> {
    File(&'a Path, &'a std::fs::Metadata),
    Error(Error),
}

/// Every file under `dir`, in sorted path order, with its metadata (links to files
/// followed, links to folders not: a loop would never end), and what cannot be listed.
fn walk(dir: &Path, visit: &mut dyn FnMut(Visit)) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                visit(Visit::Error(Error::io(&d, e)));
                continue;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => visit(Visit::Error(Error::io(&d, e))),
            }
        }
        paths.sort();
        let mut subdirs = Vec::new();
        for p in paths {
            // Symlinked folders are not followed: a loop would never end.
            let meta = match std::fs::symlink_metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    visit(Visit::Error(Error::io(&p, e)));
                    continue;
                }
            };
            if meta.is_dir() {
                subdirs.push(p);
                continue;
            }
            // A link to a file is read as the file; a broken link is reported.
            let meta = if meta.file_type().is_symlink() {
                match std::fs::metadata(&p) {
                    Ok(m) if m.is_dir() => continue,
                    Ok(m) => m,
                    Err(e) => {
                        visit(Visit::Error(Error::io(&p, e)));
                        continue;
                    }
                }
            } else {
                meta
            };
            visit(Visit::File(&p, &meta));
        }
        // Reverse so the stack pops them in sorted order.
        stack.extend(subdirs.into_iter().rev());
    }
}

fn read_file(
    path: &Path,
    kind: InputKind,
    counter: &Arc<AtomicU64>,
    sink: &mut dyn FnMut(Result<Item, Error>),
) {
    let origin = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => Counting {
            inner: f,
            counter: counter.clone(),
        },
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
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = std::ffi::OsStr::from_bytes(b"\xff\xfe page.HTML");
            assert_eq!(InputKind::of(Path::new(raw)), Some(InputKind::Html));
        }
        for (name, want) in cases {
            assert_eq!(InputKind::of(Path::new(name)), want, "{name}");
        }
    }
}
