//! A small Chrome DevTools Protocol driver for the browser tests: starts headless Chromium
//! with a debugging port, opens one page and sends it commands over a WebSocket
//! (`Runtime.evaluate`, `Input.*`, `Page.*`). Every wait is bounded; Chromium is killed on drop.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// How long any one wait (a reply, a rendered element) may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);
/// How long Chromium may take to start and print its DevTools address.
const START: Duration = Duration::from_secs(30);

/// Kills (and reaps) the Chromium process when dropped, also when a test panics.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Browser {
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    // Dropped in this order: the socket above closes, then the process, then the profile dir.
    _process: Process,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask for a clean exit (renderers go with it); `Process` kills it if that hangs.
        let close = json!({"id": 0, "method": "Browser.close"}).to_string();
        let _ = self.ws.send(Message::text(close));
    }
}

impl Browser {
    /// Starts `binary` headless with `--remote-debugging-port=0` and a fresh profile, reads the
    /// DevTools address from its stderr and attaches to a new blank page of `width`×`height`.
    pub fn launch(binary: &str, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("chromium profile dir");
        let mut child = Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                // The page is Chinese: date fields and the like in the same language.
                "--lang=zh-CN",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{binary} does not start: {e}"));
        let stderr = child.stderr.take().expect("chromium stderr is piped");
        let mut process = Process(child);

        // Chromium prints `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID`.
        // The reader keeps draining stderr afterwards so Chromium never blocks on the pipe.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            let mut log = String::new();
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                let text = String::from_utf8_lossy(&line);
                if let Some(url) = text.trim().strip_prefix("DevTools listening on ") {
                    let _ = tx.send(Ok(url.to_string()));
                } else if log.len() < 4000 {
                    log.push_str(&text);
                }
                line.clear();
            }
            let _ = tx.send(Err(log));
        });
        let url = match rx.recv_timeout(START) {
            Ok(Ok(url)) => url,
            Ok(Err(log)) => panic!(
                "chromium exited ({:?}) without a DevTools address; stderr:\n{log}",
                process.0.try_wait()
            ),
            Err(_) => panic!("chromium printed no DevTools address within {START:?}"),
        };

        let host = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected DevTools address {url:?}"));
        let stream =
            TcpStream::connect(host).unwrap_or_else(|e| panic!("connect to DevTools {host}: {e}"));
        stream
            .set_read_timeout(Some(WAIT))
            .expect("socket read timeout");
        let (ws, _) = tungstenite::client(url.as_str(), stream)
            .unwrap_or_else(|e| panic!("WebSocket handshake with {url}: {e}"));

        let mut browser = Browser {
            ws,
            session: String::new(),
            next_id: 0,
            _process: process,
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"]
            .as_str()
            .unwrap_or_else(|| panic!("Target.createTarget gave no targetId: {target}"))
            .to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("Target.attachToTarget gave no sessionId: {attached}"))
            .to_string();
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        // Headless pages are never "focused" on their own; focus events and `:focus` need this.
        browser.call(
            "Emulation.setFocusEmulationEnabled",
            json!({"enabled": true}),
        );
        browser
    }

    /// Sends one command (to the attached page once there is one) and returns its `result`.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .unwrap_or_else(|e| panic!("send {method}: {e}"));
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(
                Instant::now() < deadline,
                "no reply to {method} within {WAIT:?}"
            );
            let frame = self
                .ws
                .read()
                .unwrap_or_else(|e| panic!("waiting for the reply to {method}: {e}"));
            let Message::Text(text) = frame else { continue };
            let reply: Value = serde_json::from_str(text.as_str())
                .unwrap_or_else(|e| panic!("DevTools sent non-JSON ({e}): {text}"));
            if reply["id"] != id {
                continue; // an event
            }
            if let Some(err) = reply.get("error") {
                panic!("{method} {params} failed: {err}", params = msg["params"]);
            }
            return reply["result"].clone();
        }
    }

    /// Navigates and waits until the document has loaded.
    pub fn open(&mut self, url: &str) {
        let nav = self.call("Page.navigate", json!({"url": url}));
        assert!(nav.get("errorText").is_none(), "navigating to {url}: {nav}");
        self.wait_until(
            "document.readyState === 'complete' && location.href !== 'about:blank'",
            &format!("{url} to load"),
        );
    }

    /// The value of a JavaScript expression (promises awaited); panics on a JS exception.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("JavaScript `{expr}` threw: {ex}");
        }
        r["result"]["value"].clone()
    }

    /// Polls `expr` until it is truthy and returns that value; fails after `WAIT` with `what`,
    /// the last value and the start of the page text.
    pub fn wait_until(&mut self, expr: &str, what: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.eval(expr);
            let truthy = match &v {
                Value::Null | Value::Bool(false) => false,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            if Instant::now() >= deadline {
                let text = self.eval("document.body ? document.body.innerText.slice(0, 1500) : ''");
                panic!(
                    "timed out after {WAIT:?} waiting for {what} (`{expr}` is {v}); page text:\n{}",
                    text.as_str().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A left click in the middle of the first element matching `selector` (scrolled into view).
    pub fn click(&mut self, selector: &str) {
        let sel = json!(selector);
        let at = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; \
             e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        let (x, y) = match (at[0].as_f64(), at[1].as_f64()) {
            (Some(x), Some(y)) => (x, y),
            _ => panic!("nothing to click: {selector} is not in the page ({at})"),
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// A key press as the page sees it: `keydown` (without a character) and `keyup`.
    pub fn press(&mut self, key: &str, code: &str, key_code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": code,
                       "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code}),
            );
        }
    }

    /// An input method's uncommitted (underlined) text, replacing the current composition.
    pub fn compose(&mut self, text: &str) {
        let end = text.encode_utf16().count();
        self.call(
            "Input.imeSetComposition",
            json!({"text": text, "selectionStart": end, "selectionEnd": end}),
        );
    }

    /// Text committed by an input method (ends a composition).
    pub fn commit(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }

    /// A PNG of the viewport.
    pub fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"]
            .as_str()
            .unwrap_or_else(|| panic!("Page.captureScreenshot gave no data: {shot}"));
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("screenshot is base64")
    }
}
