//! WARC files (the `warc` crate parses records): `response` records of HTML pages.

use std::io::BufRead;

use ::warc::{RecordType, WarcHeader, WarcReader};

use super::{limits::MAX_PAGE_BYTES, Item, RawPage};
use crate::error::Error;

pub(super) fn read(reader: impl BufRead, origin: &str, sink: &mut dyn FnMut(Result<Item, Error>)) {
    let records = WarcReader::new(reader).iter_records();
    for (n, record) in records.enumerate() {
        let where_ = format!("{origin}#{}", n + 1);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // The parser cannot find the next record after a broken one.
                sink(Err(Error::bad_input(
                    where_,
                    format!("broken WARC record: {e}"),
                )));
                return;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let url = record
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim().to_string());
        let fetched_at = Some(record.date().to_rfc3339());
        sink(split_http(record.body(), &where_).map(|(charset, html)| {
            Item::Page(RawPage {
                origin: where_.clone(),
                url,
                bytes: html.to_vec(),
                http_charset: charset,
                fetched_at,
            })
        }));
    }
}

/// Splits an HTTP response into the charset of its Content-Type and its body. Only 200
/// responses with an HTML (or unknown) type are pages.
fn split_http<'a>(block: &'a [u8], origin: &str) -> Result<(Option<String>, &'a [u8]), Error> {
    let Some(end) = find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(block, b"\n\n").map(|i| i + 2))
    else {
        return Err(Error::bad_input(
            origin,
            "response record without HTTP headers",
        ));
    };
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code != "200" {
        return Err(Error::bad_input(
            origin,
            format!("HTTP status {code:?}, not a page"),
        ));
    }
    let mut charset = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-type") {
            let value = value.to_ascii_lowercase();
            if !(value.contains("html") || value.contains("text/plain")) {
                return Err(Error::bad_input(
                    origin,
                    format!("content type {:?} is not HTML", value.trim()),
                ));
            }
            charset = value.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .map(|c| c.trim_matches('"').to_string())
            });
        }
    }
    let body = &block[end..];
    if body.len() > MAX_PAGE_BYTES {
        return Err(Error::bad_input(origin, "page is over the size cap"));
    }
    if body.is_empty() {
        return Err(Error::bad_input(origin, "empty response body"));
    }
    Ok((charset, body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_split_reads_charset_and_rejects_non_pages() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\n\r\n<html></html>";
        let (cs, body) = split_http(ok, "w").expect("a page");
        assert_eq!(cs.as_deref(), Some("gbk"));
        assert_eq!(body, b"<html></html>");
        assert!(split_http(b"HTTP/1.1 404 Not Found\r\n\r\nx", "w").is_err());
        assert!(split_http(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nx", "w").is_err());
        assert!(split_http(b"garbage", "w").is_err());
    }
}
