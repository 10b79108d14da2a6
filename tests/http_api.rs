//! The HTTP API: routes without a socket, and one real listening server.

mod common;

use common::*;
use zhnews::serve::{openapi, routes, ServeOptions};

async fn get(
    engine: &zhnews::search::Engine,
    path: &str,
) -> (u16, serde_json::Value, warp::http::HeaderMap) {
    let r = warp::test::request()
        .method("GET")
        .path(path)
        .reply(&routes(engine.clone(), ServeOptions::default()))
        .await;
    let body: serde_json::Value =
        serde_json::from_slice(r.body()).unwrap_or(serde_json::Value::Null);
    (r.status().as_u16(), body, r.headers().clone())
}

#[tokio::test]
async fn search_article_stats_health_and_errors() {
    let (_d, engine, _) = corpus_engine();
    let (s, body, h) = get(
        &engine,
        "/api/search?q=%E6%8F%B4%E7%96%86%20%E6%95%99%E8%82%B2&limit=2",
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        h.get("x-content-type-options")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("nosniff")
    );
    // No page of another origin may read the API unless it is named.
    assert!(h.get("access-control-allow-origin").is_none());
    assert_eq!(body["hits"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["interpreted_as"], "援疆 教育");
    let cursor = body["next_cursor"].as_str().expect("cursor").to_string();
    let (s, page2, _) = get(
        &engine,
        &format!("/api/search?q=%E6%8F%B4%E7%96%86%20%E6%95%99%E8%82%B2&limit=2&cursor={cursor}"),
    )
    .await;
    assert_eq!(s, 200);
    assert_ne!(page2["hits"][0]["id"], body["hits"][0]["id"]);

    let id = body["hits"][0]["id"].as_str().expect("id").to_string();
    let (s, a, _) = get(&engine, &format!("/api/articles/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(a["id"], id.as_str());
    assert!(a["body"].as_str().unwrap_or_default().len() > 100);

    assert_eq!(get(&engine, "/api/articles/nope").await.0, 404);
    let (s, st, _) = get(&engine, "/api/stats").await;
    assert_eq!((s, st["documents"].as_u64()), (200, Some(50)));
    let (s, hz, _) = get(&engine, "/healthz").await;
    assert_eq!((s, hz["documents"].as_u64()), (200, Some(50)));

    for bad in [
        "/api/search?q=%22unbalanced&syntax=strict",
        "/api/search?q=x&limit=1000000",
        "/api/search?q=x&cursor=bogus",
        "/api/search?q=%FF%FE",
        "/api/search?q=x&sort=up",
        "/api/search?q=x&facets=maybe",
        "/api/search?q=x&syntax=loose",
    ] {
        let (s, e, _) = get(&engine, bad).await;
        assert_eq!(s, 400, "{bad}: {e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{bad}: {e}"
        );
    }
    assert_eq!(get(&engine, "/no/such/route").await.0, 404);
    let r = warp::test::request()
        .method("POST")
        .path("/api/search?q=x")
        .reply(&routes(engine.clone(), ServeOptions::default()))
        .await;
    assert_eq!(r.status().as_u16(), 405);
}

#[tokio::test]
async fn page_is_served_with_a_strict_policy() {
    let (_d, engine, _) = corpus_engine();
    let r = warp::test::request()
        .path("/")
        .reply(&routes(engine, ServeOptions::default()))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let csp = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let body = String::from_utf8_lossy(r.body());
    assert!(body.contains("id=\"q\""));
}

#[tokio::test]
async fn a_token_guards_the_api_but_not_the_page_that_sends_it() {
    let (_d, engine, _) = corpus_engine();
    let options = ServeOptions {
        token: Some("s3cret".into()),
        ..ServeOptions::default()
    };
    let status = |path: &str, bearer: Option<&str>| {
        let mut req = warp::test::request().path(path);
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let filter = routes(engine.clone(), options.clone());
        async move { req.reply(&filter).await.status().as_u16() }
    };
    // The page and its script load without it: the page reads the token from its own URL.
    assert_eq!(status("/", None).await, 200);
    assert_eq!(status("/app.js", None).await, 200);
    assert_eq!(status("/api/stats", None).await, 401);
    assert_eq!(status("/api/stats", Some("wrong")).await, 401);
    assert_eq!(status("/api/stats", Some("s3cret")).await, 200);
    assert_eq!(status("/api/stats?access_token=s3cret", None).await, 200);
    assert_eq!(status("/healthz", None).await, 401);
}

#[tokio::test]
async fn snippets_escape_html_from_articles() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("x.jsonl");
    write_jsonl(
        &input,
        &[(
            "x1",
            "脚本测试",
            "正文里有<script>alert(1)</script>这样的脚本测试文字。",
            "2022-01-01",
        )],
    );
    index_into(&dir.path().join("ix"), &[input], 10);
    let engine = zhnews::search::Engine::open(&dir.path().join("ix"), false).expect("open");
    let (s, body, _) = get(&engine, "/api/search?q=%E8%84%9A%E6%9C%AC").await;
    assert_eq!(s, 200);
    let snippet = body["hits"][0]["snippet"].as_str().expect("snippet");
    assert!(
        snippet.contains("&lt;/script&gt;") && !snippet.contains("</script>"),
        "{snippet}"
    );
}

/// Checks `value` against an OpenAPI schema (the subset `openapi.rs` uses): types,
/// nullability, enums, required and undeclared properties, array items, `$ref`s.
fn conforms(
    spec: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
) -> Vec<String> {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return conforms(spec, &spec["components"]["schemas"][name], value, at);
    }
    if value.is_null() {
        return if schema["nullable"] == true {
            vec![]
        } else {
            vec![format!("{at}: null where the schema does not allow it")]
        };
    }
    let mut wrong = vec![];
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            wrong.push(format!("{at}: {value} not in {allowed:?}"));
        }
    }
    let fits = match schema["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_u64() || value.is_i64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !fits {
        wrong.push(format!("{at}: {value} is not a {}", schema["type"]));
        return wrong;
    }
    match value {
        Value::Object(fields) => {
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap_or_default();
                if !fields.contains_key(r) {
                    wrong.push(format!("{at}: required {r} missing"));
                }
            }
            for (k, v) in fields {
                let declared = &schema["properties"][k];
                if !declared.is_null() {
                    wrong.extend(conforms(spec, declared, v, &format!("{at}.{k}")));
                } else if schema["additionalProperties"].is_object() {
                    wrong.extend(conforms(
                        spec,
                        &schema["additionalProperties"],
                        v,
                        &format!("{at}.{k}"),
                    ));
                } else if schema["additionalProperties"] == false {
                    wrong.push(format!("{at}: {k} is not in the schema"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                wrong.extend(conforms(
                    spec,
                    &schema["items"],
                    item,
                    &format!("{at}[{i}]"),
                ));
            }
        }
        _ => {}
    }
    wrong
}

/// Every route is described, and what each route really answers (successes and errors)
/// is what its description says, field by field.
#[tokio::test]
async fn every_route_answers_as_the_openapi_description_says() {
    let spec = openapi();
    let (_d, engine, _) = corpus_engine();
    let q = "%E7%BB%8F%E6%B5%8E"; // 经济
    let (_, first, _) = get(&engine, &format!("/api/search?q={q}&limit=1")).await;
    let id = first["hits"][0]["id"].as_str().expect("a hit").to_string();
    let calls = [
        (
            "/api/search",
            format!("/api/search?q={q}&facets=true&limit=50"),
            200,
        ),
        (
            "/api/search",
            format!("/api/search?q={q}%20%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0&limit=10"),
            200,
        ),
        ("/api/search", "/api/search?q=%22abc&limit=3".into(), 200),
        (
            "/api/search",
            "/api/search?q=*&limit=50&collapse=true".into(),
            200,
        ),
        (
            "/api/search",
            "/api/search?q=%22abc&syntax=strict".into(),
            400,
        ),
        ("/api/search", "/api/search?q=a&limit=0".into(), 400),
        ("/api/articles/{id}", format!("/api/articles/{id}"), 200),
        ("/api/articles/{id}", "/api/articles/nope".into(), 404),
        (
            "/api/articles/{id}/related",
            format!("/api/articles/{id}/related?limit=5"),
            200,
        ),
        (
            "/api/articles/{id}/related",
            format!("/api/articles/{id}/related?days=3"),
            200,
        ),
        (
            "/api/articles/{id}/related",
            "/api/articles/nope/related".into(),
            404,
        ),
        (
            "/api/trend",
            format!("/api/trend?q={q}&q=%E6%95%99%E8%82%B2&interval=year&normalize=true"),
            200,
        ),
        (
            "/api/trend",
            format!("/api/trend?q={q}&interval=fortnight"),
            400,
        ),
        ("/api/kwic", format!("/api/kwic?q={q}&limit=3"), 200),
        ("/api/kwic", format!("/api/kwic?q={q}&width=0"), 400),
        ("/api/entities", format!("/api/entities?q={q}&limit=3"), 200),
        ("/api/entities", "/api/entities?limit=1000".into(), 400),
        ("/api/stats", "/api/stats".into(), 200),
        ("/healthz", "/healthz".into(), 200),
    ];
    let mut wrong = vec![];
    for (route, path, want) in &calls {
        let (status, body, _) = get(&engine, path).await;
        assert_eq!(status, *want, "{path}: {body}");
        let described = &spec["paths"][*route]["get"]["responses"][status.to_string()];
        let schema = &described["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{route} {status} has no schema");
        wrong.extend(conforms(&spec, schema, &body, path));
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    for route in ["/", "/api/export", "/api/openapi.json"] {
        assert!(spec["paths"][route]["get"].is_object(), "{route} missing");
    }
    let (status, served, _) = get(&engine, "/api/openapi.json").await;
    assert_eq!((status, &served), (200, &spec));
    // The checker itself catches what it is for.
    let hit = &spec["components"]["schemas"]["Hit"];
    assert!(!conforms(&spec, hit, &serde_json::json!({"id": "x"}), "hit").is_empty());
    let extra = serde_json::json!({"id": "x", "title": "t", "score": 1.0, "snippet": "", "new": 1});
    assert!(!conforms(&spec, hit, &extra, "hit").is_empty());
}

#[test]
fn a_real_server_answers_over_tcp() {
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let addr = server.addr;
    let body = get_json(&format!(
        "http://{addr}/api/search?q=%E8%84%B1%E8%B4%AB%E6%94%BB%E5%9D%9A"
    ));
    assert!(body["total"].as_u64().unwrap_or(0) >= 4, "{body}");
    server.stop();
}

#[tokio::test]
async fn research_routes() {
    let (_d, engine, _) = corpus_engine();
    let (_, found, _) = get(&engine, "/api/search?q=%22%E7%BB%84%E5%9B%A2%E5%BC%8F%22").await;
    let id = found["hits"][0]["id"].as_str().expect("id").to_string();
    let (s, rel, _) = get(&engine, &format!("/api/articles/{id}/related?days=10000")).await;
    assert_eq!(s, 200, "{rel}");
    assert!(rel["hits"]
        .as_array()
        .is_some_and(|h| !h.is_empty() && h.iter().all(|x| x["reason"].is_array())));
    assert_eq!(get(&engine, "/api/articles/nope/related").await.0, 404);
    assert_eq!(
        get(&engine, &format!("/api/articles/{id}/related?days=x"))
            .await
            .0,
        400
    );

    // 脱贫攻坚 and 援疆 per year, with totals.
    let (s, t, _) = get(&engine, "/api/trend?q=%E8%84%B1%E8%B4%AB%E6%94%BB%E5%9D%9A&q=%E6%8F%B4%E7%96%86&interval=year&normalize=true").await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["series"].as_array().map(Vec::len), Some(2));
    assert!(t["series"][0]["buckets"][0]["total"].is_u64());
    assert_eq!(get(&engine, "/api/trend?q=x&interval=hour").await.0, 400);
    assert_eq!(get(&engine, "/api/trend").await.0, 400);

    let (s, k, _) = get(&engine, "/api/kwic?q=%E6%8F%B4%E7%96%86&width=5").await;
    assert_eq!(s, 200);
    assert!(k["lines"]
        .as_array()
        .is_some_and(|l| l.len() >= 5 && l.iter().all(|x| x["match"] == "援疆")));

    let r = warp::test::request()
        .path("/api/export?q=%E6%8F%B4%E7%96%86&format=csv")
        .reply(&routes(engine.clone(), ServeOptions::default()))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let body = String::from_utf8_lossy(r.body()).to_string();
    assert!(
        body.starts_with("id,url,title,published,source,author"),
        "{body}"
    );
    assert_eq!(body.lines().count(), 1 + 3, "{body}");
    assert_eq!(
        get(&engine, "/api/export?q=%22x&format=csv&syntax=strict")
            .await
            .0,
        400
    );
    assert_eq!(get(&engine, "/api/export?q=x&format=xml").await.0, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_sees_new_commits_without_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = dir.path().join("ix");
    let first = dir.path().join("a.jsonl");
    write_jsonl(
        &first,
        &[("r1", "第一条", "重载测试第一条新闻。", "2022-01-01")],
    );
    index_into(&ix, &[first], 10);
    let engine = zhnews::search::Engine::open(&ix, true).expect("open");
    // One set of routes throughout, as in a running server: its response cache must not
    // answer from before the commit.
    let api = routes(engine.clone(), ServeOptions::default());
    let total = || {
        let api = api.clone();
        async move {
            let r = warp::test::request()
                .path("/api/search?q=%E9%87%8D%E8%BD%BD%E6%B5%8B%E8%AF%95")
                .reply(&api)
                .await;
            assert_eq!(r.status().as_u16(), 200);
            serde_json::from_slice::<serde_json::Value>(r.body())
                .ok()
                .and_then(|v| v["total"].as_u64())
                .unwrap_or(0)
        }
    };
    assert_eq!(total().await, 1);
    assert_eq!(total().await, 1);
    let second = dir.path().join("b.jsonl");
    write_jsonl(
        &second,
        &[("r2", "第二条", "重载测试第二条新闻。", "2022-01-02")],
    );
    let ix2 = ix.clone();
    tokio::task::spawn_blocking(move || index_into(&ix2, &[second], 10))
        .await
        .expect("index");
    // The reader reloads on commit; every request in between still succeeds.
    let mut seen = 0;
    for _ in 0..50 {
        seen = total().await;
        if seen == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(seen, 2);
}

/// Requests found by benches/abuse that once panicked (500) or ran away with memory.
#[tokio::test]
async fn abusive_queries_get_clear_answers() {
    let (_d, engine, _) = corpus_engine();
    // `[* TO *]`: every dated article, not a panic.
    let (s, body, _) = get(&engine, "/api/search?q=published:%5B*%20TO%20*%5D&limit=1").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["total"], 50);
    // A day count that overflows the calendar means no window, not a panic.
    let (s, body, _) = get(&engine, "/api/search?q=%E6%8F%B4%E7%96%86&limit=1").await;
    let id = body["hits"][0]["id"].as_str().expect("a hit").to_string();
    let (s2, body2, _) = get(
        &engine,
        &format!("/api/articles/{id}/related?days=4294967295"),
    )
    .await;
    assert_eq!((s, s2), (200, 200), "{body2}");
    // Proximity over many terms is refused before it runs.
    let near = "NEAR/1000(的 是 了 在 和 有 不 这 中 国 人 大)";
    let q: String = near.bytes().map(|b| format!("%{b:02X}")).collect();
    let (s, body, _) = get(&engine, &format!("/api/search?q={q}&syntax=strict")).await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(body["error"]["code"], "bad_query");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("at most 8 terms"),
        "{body}"
    );
}

#[test]
fn slow_and_silent_clients_are_cut_off() {
    use std::io::{Read, Write};
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let started = std::time::Instant::now();
    let mut silent = std::net::TcpStream::connect(server.addr).expect("connect");
    let mut slow = std::net::TcpStream::connect(server.addr).expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("half a request");
    // A request line that trickles in a byte at a time never completes: it is cut off at
    // the same deadline, whatever keeps arriving.
    let mut trickle = std::net::TcpStream::connect(server.addr).expect("connect");
    trickle.write_all(b"GET /api/search?q=%E").expect("a start");
    let mut writer = trickle.try_clone().expect("clone");
    let feeding = std::thread::spawn(move || {
        for _ in 0..40 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if writer.write_all(b"a").is_err() {
                return true;
            }
        }
        false
    });
    for s in [&mut silent, &mut slow] {
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .expect("timeout");
        let mut buf = Vec::new();
        // The server closes the connection: read ends with 0 bytes, not the timeout.
        s.read_to_end(&mut buf).expect("closed by the server");
    }
    assert!(
        feeding.join().unwrap_or(false),
        "the trickling request line was never cut off"
    );
    let waited = started.elapsed();
    assert!(
        waited < zhnews::serve::IDLE_TIMEOUT + std::time::Duration::from_secs(5),
        "{waited:?}"
    );
    server.stop();
}

#[tokio::test]
async fn repeated_searches_are_answered_from_the_cache() {
    let (_d, engine, _) = corpus_engine();
    let api = routes(engine.clone(), ServeOptions::default());
    let path = "/api/search?q=%E6%8F%B4%E7%96%86&limit=3";
    let first = warp::test::request().path(path).reply(&api).await;
    let second = warp::test::request().path(path).reply(&api).await;
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.body(), second.body(), "a hit returns the same bytes");
    assert_eq!(
        second.headers()["content-type"],
        "application/json",
        "cached answers keep their type"
    );
    let health = warp::test::request().path("/healthz").reply(&api).await;
    let h: serde_json::Value = serde_json::from_slice(health.body()).expect("json");
    assert_eq!(h["cache"]["hits"], 1, "{h}");
    assert_eq!(h["cache"]["misses"], 1, "{h}");
    // Errors are not cached; switched off, nothing is.
    let bad = "/api/search?q=%22unbalanced&syntax=strict";
    for _ in 0..2 {
        let r = warp::test::request().path(bad).reply(&api).await;
        assert_eq!(r.status().as_u16(), 400);
    }
    let off = routes(
        engine,
        ServeOptions {
            cache_bytes: 0,
            ..ServeOptions::default()
        },
    );
    for _ in 0..2 {
        assert_eq!(
            warp::test::request().path(path).reply(&off).await.body(),
            first.body()
        );
    }
    let health = warp::test::request().path("/healthz").reply(&off).await;
    let h: serde_json::Value = serde_json::from_slice(health.body()).expect("json");
    assert_eq!(h["cache"]["hits"], 0, "{h}");
}

/// Methods: HEAD and OPTIONS are answered, anything else is a 405 naming what is allowed;
/// answers that can be cached carry Cache-Control and an ETag that a client can send back.
#[tokio::test]
async fn methods_and_caching_headers() {
    let (_d, engine, _) = corpus_engine();
    let api = routes(engine, ServeOptions::default());
    let head = warp::test::request()
        .method("HEAD")
        .path("/api/stats")
        .reply(&api)
        .await;
    assert_eq!(head.status().as_u16(), 200);
    let options = warp::test::request()
        .method("OPTIONS")
        .path("/api/search?q=x")
        .reply(&api)
        .await;
    assert_eq!(options.status().as_u16(), 204);
    let post = warp::test::request()
        .method("DELETE")
        .path("/api/search?q=x")
        .reply(&api)
        .await;
    assert_eq!(post.status().as_u16(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD, OPTIONS");
    let body: serde_json::Value = serde_json::from_slice(post.body()).expect("json");
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let first = warp::test::request()
        .path("/api/search?q=%E6%8F%B4%E7%96%86")
        .reply(&api)
        .await;
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let tag = first.headers()["etag"].clone();
    let again = warp::test::request()
        .path("/api/search?q=%E6%8F%B4%E7%96%86")
        .header("if-none-match", tag)
        .reply(&api)
        .await;
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.body().is_empty());
    let bad = warp::test::request()
        .path("/api/search?q=x&limit=0")
        .reply(&api)
        .await;
    assert_eq!(bad.headers()["cache-control"], "no-store");
}

/// Cross-origin pages read the API only when their origin is named; with a token, every
/// route wants it.
#[tokio::test]
async fn cors_for_named_origins_and_an_optional_token() {
    let (_d, engine, _) = corpus_engine();
    let open = routes(engine.clone(), ServeOptions::default());
    let r = warp::test::request()
        .path("/api/stats")
        .header("origin", "https://evil.example")
        .reply(&open)
        .await;
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let body: serde_json::Value = serde_json::from_slice(r.body()).expect("json");
    assert!(
        body.get("path").is_none(),
        "no filesystem path over HTTP: {body}"
    );
    let named = routes(
        engine.clone(),
        ServeOptions {
            cors: vec!["https://news.example".into()],
            ..ServeOptions::default()
        },
    );
    let r = warp::test::request()
        .path("/api/stats")
        .header("origin", "https://news.example")
        .reply(&named)
        .await;
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let guarded = routes(
        engine,
        ServeOptions {
            token: Some("s3cret".into()),
            ..ServeOptions::default()
        },
    );
    // The page itself loads without the token (it asks for one); the API does not.
    for path in ["/api/stats", "/api/search?q=x", "/healthz"] {
        let r = warp::test::request().path(path).reply(&guarded).await;
        assert_eq!(r.status().as_u16(), 401, "{path}");
    }
    let r = warp::test::request()
        .path("/api/stats")
        .header("authorization", "Bearer s3cret")
        .reply(&guarded)
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let r = warp::test::request()
        .path("/api/stats?access_token=s3cret")
        .reply(&guarded)
        .await;
    assert_eq!(r.status().as_u16(), 200);
}

/// What hyper itself would refuse with an empty body (a request line that is not one, a
/// line over the limit, too many headers, a 1 MB header) gets the documented JSON error.
#[test]
fn malformed_request_heads_get_json_errors() {
    use std::io::{Read, Write};
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let mut many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..200 {
        many.extend(format!("X-H{i}: v\r\n").into_bytes());
    }
    many.extend(b"\r\n");
    let mut big = b"GET /healthz HTTP/1.1\r\nX-Big: ".to_vec();
    big.extend(vec![b'a'; 1_000_000]);
    big.extend(b"\r\n\r\n");
    let mut long = b"GET /api/search?q=".to_vec();
    long.extend(vec![b'a'; 100_000]);
    long.extend(b" HTTP/1.1\r\n\r\n");
    for (raw, status) in [
        (b"GARBAGE\r\n\r\n".to_vec(), "400"),
        (b"GET /healthz\r\n\r\n".to_vec(), "400"),
        (long, "414"),
        (many, "431"),
        (big, "431"),
    ] {
        let mut s = std::net::TcpStream::connect(server.addr).expect("connect");
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        let _ = s.write_all(&raw);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let what = String::from_utf8_lossy(&raw[..raw.len().min(20)]).to_string();
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{what}: {answer}"
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        assert!(json["error"]["code"].is_string(), "{what}: {answer}");
    }
    server.stop();
}

/// Oversized requests and raw bytes in the URL get the documented JSON error, from a real
/// server.
#[test]
fn oversized_and_malformed_requests_get_json_errors() {
    use std::io::{Read, Write};
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let ask = |raw: Vec<u8>| -> (u16, serde_json::Value) {
        let mut s = std::net::TcpStream::connect(server.addr).expect("connect");
        s.write_all(&raw).expect("write");
        let mut out = Vec::new();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
        (
            status,
            serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
        )
    };
    let long = format!(
        "GET /api/search?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(9000)
    );
    let (s, b) = ask(long.into_bytes());
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (414, Some("uri_too_long")),
        "{b}"
    );
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let (s, b) = ask(big.into_bytes());
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (431, Some("headers_too_large")),
        "{b}"
    );
    let mut raw = b"GET /api/search?q=".to_vec();
    raw.extend_from_slice(&[0xe6, 0x8f, 0xb4]);
    raw.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let (s, b) = ask(raw);
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (400, Some("bad_request")),
        "{b}"
    );
    server.stop();
}

/// A full queue is refused at once with Retry-After, and a request that waited past its
/// budget is dropped without running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_answers_busy_at_once() {
    let (_d, engine, _) = corpus_engine();
    let api = routes(
        engine,
        ServeOptions {
            workers: 1,
            time_budget: std::time::Duration::from_millis(300),
            ..ServeOptions::default()
        },
    );
    // Many requests at once on one worker: every answer is a result or a clear 503.
    let mut tasks = Vec::new();
    for n in 0..200 {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            warp::test::request()
                .path(&format!(
                    "/api/search?q=%E7%9A%84&limit=100&offset={n}&cache=off{n}"
                ))
                .reply(&api)
                .await
        }));
    }
    let mut codes = std::collections::BTreeMap::new();
    for t in tasks {
        let r = t.await.expect("task");
        let code = r.status().as_u16();
        if code == 503 {
            assert_eq!(r.headers()["retry-after"], "1");
            let b: serde_json::Value = serde_json::from_slice(r.body()).expect("json");
            assert!(
                matches!(b["error"]["code"].as_str(), Some("busy" | "timeout")),
                "{b}"
            );
        } else {
            assert_eq!(code, 200);
        }
        *codes.entry(code).or_insert(0) += 1;
    }
    assert!(codes.get(&200).is_some_and(|n| *n > 0), "{codes:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Whatever a person or a bot types is a query: never a panic, never a 5xx, and the
    /// answer says how it was read.
    #[test]
    fn any_text_is_a_query(q in proptest::prelude::any::<String>(), limit in 1usize..=20) {
        let engine = typed_text_engine();
        let path = format!("/api/search?q={}&limit={limit}", urlencoding::encode(&q));
        let (status, body, _) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(get(engine, &path));
        proptest::prop_assert!(status < 500, "{q:?}: {status} {body}");
        if status == 200 {
            proptest::prop_assert!(body["interpreted_as"].is_string(), "{q:?}: {body}");
        }
    }

    #[test]
    fn operator_soup_is_a_query(
        q in "[-－()（）\"“”「」《》【】\\[\\]:：~～ *a-zORANDNOT/0-9援疆北京titlepersonsource]{0,60}"
    ) {
        let engine = typed_text_engine();
        let path = format!("/api/search?q={}", urlencoding::encode(&q));
        let (status, body, _) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(get(engine, &path));
        proptest::prop_assert_eq!(status, 200, "{:?}: {}", q, body);
    }
}

/// One demo-corpus index for every proptest case.
fn typed_text_engine() -> &'static zhnews::search::Engine {
    static ENGINE: std::sync::OnceLock<(tempfile::TempDir, zhnews::search::Engine)> =
        std::sync::OnceLock::new();
    let (_dir, engine) = ENGINE.get_or_init(|| {
        let (dir, engine, _) = corpus_engine();
        (dir, engine)
    });
    engine
}
