//! One client connection: closed once it goes [`super::IDLE_TIMEOUT`] without reading or
//! writing a byte, and a first request line that HTTP would refuse (malformed, or too long)
//! answered with our JSON error rather than hyper's empty 400 or 414.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// A stream that fails with `TimedOut` when neither side has moved for `limit`.
pub struct Idle<S> {
    inner: S,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
}

impl<S> Idle<S> {
    pub fn new(inner: S, limit: Duration) -> Self {
        Idle {
            inner,
            limit,
            timer: Box::pin(tokio::time::sleep(limit)),
        }
    }

    fn moved(&mut self) {
        self.timer.as_mut().reset(Instant::now() + self.limit);
    }

    /// Pending work: an error once the timer has run out.
    fn stalled<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Idle<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Idle<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    this.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.stalled(cx),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.stalled(cx),
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// What the first request line says about a connection.
pub enum Line {
    Ok,
    /// The client closed or sent nothing in time.
    Closed,
    /// A refusal to send before closing.
    Bad(Vec<u8>),
}

/// Waits for the first request line and checks it is one: `METHOD TARGET HTTP/x.y`, the
/// target only of characters a URL may hold, the whole line at most `max_line` bytes.
/// Anything else gets a JSON 400 or 414 (hyper would answer with an empty body).
pub async fn check_request_line(stream: &TcpStream, limit: Duration, max_line: usize) -> Line {
    let mut buf = vec![0u8; max_line + 2];
    let deadline = Instant::now() + limit;
    loop {
        let peeked = tokio::time::timeout_at(deadline, stream.peek(&mut buf)).await;
        let n = match peeked {
            Ok(Ok(n)) if n > 0 => n,
            _ => return Line::Closed,
        };
        let Some(line_end) = buf[..n].iter().position(|&b| b == b'\n') else {
            if n == buf.len() {
                return Line::Bad(json_error(
                    414,
                    "URI Too Long",
                    "uri_too_long",
                    &format!("the request line is over {max_line} bytes"),
                ));
            }
            // Only part of the line so far: wait for more, but not past the deadline (a
            // peek with bytes waiting is ready at once, so the timeout alone never fires).
            if Instant::now() >= deadline {
                return Line::Closed;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let line = buf[..line_end]
            .strip_suffix(b"\r")
            .unwrap_or(&buf[..line_end]);
        return match request_line_fault(line) {
            None => Line::Ok,
            Some(message) => Line::Bad(json_error(400, "Bad Request", "bad_request", message)),
        };
    }
}

/// What is wrong with a request line, if anything.
fn request_line_fault(line: &[u8]) -> Option<&'static str> {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Some("not an HTTP/1.1 request line (METHOD TARGET HTTP/1.1)");
    };
    if method.is_empty()
        || !method.iter().all(u8::is_ascii_uppercase)
        || !version.starts_with(b"HTTP/")
    {
        return Some("not an HTTP/1.1 request line (METHOD TARGET HTTP/1.1)");
    }
    if target.is_empty() || target.iter().any(|c| !(0x21..0x7f).contains(c)) {
        return Some("the request line holds bytes a URL may not (percent-encode them)");
    }
    None
}

fn json_error(status: u16, reason: &str, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

pub async fn write_and_close(mut stream: TcpStream, reply: &[u8]) {
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(reply).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::request_line_fault;

    #[test]
    fn request_lines_are_checked() {
        assert_eq!(request_line_fault(b"GET /api/search?q=a HTTP/1.1"), None);
        assert_eq!(request_line_fault(b"PRI * HTTP/2.0"), None);
        for bad in [
            &b"GARBAGE"[..],
            b"GET /healthz",
            b"get / HTTP/1.1",
            b"GET  / HTTP/1.1",
            b"GET / x",
        ] {
            assert!(
                request_line_fault(bad).is_some(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(request_line_fault(b"GET /a\xff HTTP/1.1").is_some());
    }
}
