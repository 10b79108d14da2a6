//! JSON Lines: one crawled page `{"url", "html", "fetched_at"?}` or one extracted article
//! `{"title", "body", ...}` per line.

use std::io::BufRead;

use serde::Deserialize;

use super::{limits::MAX_LINE_BYTES, ExtractedRecord, Item, RawPage};
use crate::error::Error;

#[derive(Deserialize)]
struct PageLine {
    url: Option<String>,
    html: String,
    fetched_at: Option<String>,
}

/// Reads lines without ever holding more than [`MAX_LINE_BYTES`] of one line.
pub(super) fn read(
    mut reader: impl BufRead,
    origin: &str,
    sink: &mut dyn FnMut(Result<Item, Error>),
) {
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        match read_capped_line(&mut reader, &mut line) {
            Ok(LineRead::End) => return,
            Ok(LineRead::TooLong) => sink(Err(Error::bad_input(
                format!("{origin}:{number}"),
                format!("line longer than {} MiB, skipped", MAX_LINE_BYTES >> 20),
            ))),
            Ok(LineRead::Line) => {
                // A byte order mark at the start of the file (Windows editors write one)
                // is not part of the first record.
                let start = if number == 1 && line.starts_with(b"\xEF\xBB\xBF") {
                    3
                } else {
                    0
                };
                let trimmed = line[start..].trim_ascii();
                if trimmed.is_empty() {
                    continue;
                }
                sink(parse_line(trimmed, &format!("{origin}:{number}")));
            }
            Err(e) => {
                sink(Err(Error::bad_input(
                    format!("{origin}:{number}"),
                    format!("read failed (truncated or corrupt file?): {e}"),
                )));
                return;
            }
        }
    }
}

enum LineRead {
    Line,
    TooLong,
    End,
}

fn read_capped_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<LineRead> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(if !any {
                LineRead::End
            } else if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
        any = true;
        let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE_BYTES {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let consumed = found.unwrap_or(buf.len());
        reader.consume(consumed);
        if found.is_some() {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

fn parse_line(bytes: &[u8], origin: &str) -> Result<Item, Error> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::bad_input(origin, format!("invalid JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(Error::bad_input(origin, "line is not a JSON object"));
    };
    if object.contains_key("html") {
        let page: PageLine = serde_json::from_value(value)
            .map_err(|e| Error::bad_input(origin, format!("crawled page record: {e}")))?;
        if page.html.len() > super::MAX_PAGE_BYTES {
            return Err(Error::bad_input(origin, "html is over the page size cap"));
        }
        return Ok(Item::Page(RawPage {
            origin: origin.to_string(),
            url: page.url,
            bytes: page.html.into_bytes(),
            http_charset: Some("utf-8".into()),
            fetched_at: page.fetched_at,
        }));
    }
    if object.contains_key("title") || object.contains_key("body") {
        let record: ExtractedRecord = serde_json::from_value(value)
            .map_err(|e| Error::bad_input(origin, format!("article record: {e}")))?;
        return Ok(Item::Extracted {
            origin: origin.to_string(),
            record: Box::new(record),
        });
    }
    Err(Error::bad_input(
        origin,
        "record has neither \"html\" (a crawled page) nor \"title\"/\"body\" (an article)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn collect(input: &str) -> Vec<Result<Item, Error>> {
        let mut out = Vec::new();
        read(input.as_bytes(), "t.jsonl", &mut |r| out.push(r));
        out
    }

    #[test]
    fn a_byte_order_mark_does_not_cost_the_first_record() {
        let out = collect(
            "\u{feff}{\"title\":\"一\",\"body\":\"x\"}\n{\"title\":\"二\",\"body\":\"y\"}\n",
        );
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(Result::is_ok), "{:?}", out[0].as_ref().err());
    }

    #[test]
    fn pages_articles_and_errors_with_line_numbers() {
        let input = "{\"url\":\"http://a.cn/1\",\"html\":\"<p>x</p>\"}\n\
                     {\"title\":\"标题\",\"body\":\"正文\",\"tags\":\"a,b\"}\n\
                     not json\n\
                     \n\
                     {\"title\": 5}\n\
                     [1,2]\n\
                     {\"foo\":1}";
        let out = collect(input);
        assert_eq!(out.len(), 6);
        assert!(matches!(out[0], Ok(Item::Page(_))));
        assert!(matches!(out[1], Ok(Item::Extracted { .. })));
        let errors: Vec<String> = out[2..]
            .iter()
            .map(|r| r.as_ref().err().map(|e| e.to_string()).unwrap_or_default())
            .collect();
        assert!(
            errors[0].starts_with("t.jsonl:3: invalid JSON"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("t.jsonl:5: article record"),
            "{}",
            errors[1]
        );
        assert!(errors[2].contains("not a JSON object"), "{}", errors[2]);
        assert!(errors[3].starts_with("t.jsonl:7"), "{}", errors[3]);
    }

    #[test]
    fn numeric_ids_are_accepted() {
        let out = collect("{\"id\": 42, \"title\":\"t\",\"body\":\"b\"}");
        match &out[0] {
            Ok(Item::Extracted { record, .. }) => {
                assert_eq!(
                    record.id.as_ref().map(|i| i.to_string()).as_deref(),
                    Some("42")
                )
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn arbitrary_lines_never_panic(lines in prop::collection::vec(any::<String>(), 0..8)) {
            let input = lines.join("\n");
            let out = collect(&input);
            prop_assert!(out.len() <= input.split('\n').count());
            for r in &out {
                if let Err(e) = r {
                    prop_assert!(e.to_string().starts_with("t.jsonl:"), "{}", e);
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let mut n = 0usize;
            read(bytes.as_slice(), "t.jsonl", &mut |_| n += 1);
            prop_assert!(n <= bytes.iter().filter(|b| **b == b'\n').count() + 1);
        }

        #[test]
        fn page_lines_round_trip(
            pages in prop::collection::vec((prop::option::of("http://[a-z]{1,8}\\.cn/[a-z0-9/_.-]{0,20}"), any::<String>()), 1..6)
        ) {
            let input: Vec<String> = pages
                .iter()
                .map(|(url, html)| serde_json::json!({ "url": url, "html": html }).to_string())
                .collect();
            let out = collect(&input.join("\n"));
            prop_assert_eq!(out.len(), pages.len());
            for (i, (r, (url, html))) in out.iter().zip(&pages).enumerate() {
                match r {
                    Ok(Item::Page(p)) => {
                        prop_assert_eq!(&p.origin, &format!("t.jsonl:{}", i + 1));
                        prop_assert_eq!(&p.url, url);
                        prop_assert_eq!(&p.bytes, html.as_bytes());
                    }
                    other => prop_assert!(false, "line {}: {:?}", i + 1, other),
                }
            }
        }
    }
}
