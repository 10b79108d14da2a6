//! The OpenAPI 3 description of the routes in `routes.rs`. `tests/http_api.rs` checks every
//! route's real answers against these schemas, field by field.

use serde_json::{json, Value};

/// A JSON body of the given schema.
fn body(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn param(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

fn text(name: &str, description: &str) -> Value {
    param(name, json!({"type": "string"}), description)
}

fn query(description: &str) -> Value {
    json!({"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 1024}, "description": description})
}

fn id() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn limit(default: u64, maximum: u64) -> Value {
    param(
        "limit",
        json!({"type": "integer", "minimum": 1, "maximum": maximum, "default": default}),
        "how many to return",
    )
}

fn filters() -> [Value; 4] {
    [
        text("from", "YYYY-MM-DD, Beijing time, inclusive"),
        text("to", "YYYY-MM-DD, Beijing time, inclusive"),
        text("source", "来源 media, exact"),
        param(
            "syntax",
            json!({"type": "string", "enum": ["lenient", "strict"], "default": "lenient"}),
            "lenient reads anything a person types (unbalanced quotes, brackets, unknown fields are text, question words are not required; see interpreted_as and warnings); strict answers 400 on a malformed query and requires every word it writes",
        ),
    ]
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": properties})
}

fn string() -> Value {
    json!({"type": "string"})
}

fn nullable_string() -> Value {
    json!({"type": "string", "nullable": true})
}

fn array_of(schema: &str) -> Value {
    json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}})
}

fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

fn schemas() -> Value {
    let counts = array_of("FacetCount");
    json!({
        "Error": object(&["error"], json!({"error": object(&["code", "message"], json!({"code": string(), "message": string()}))})),
        "FacetCount": object(&["value", "count"], json!({"value": string(), "count": {"type": "integer"}})),
        "ArticleRef": object(&["id", "title"], json!({
            "id": string(), "title": string(), "url": nullable_string(),
            "source": nullable_string(), "published": nullable_string()})),
        "Copies": object(&["count", "articles"], json!({
            "count": {"type": "integer", "description": "other copies of the story that match the query and the filters"},
            "articles": array_of("ArticleRef")})),
        "Hit": object(&["id", "title", "score", "snippet"], json!({
            "id": string(), "url": nullable_string(), "title": string(),
            "published": nullable_string(), "source": nullable_string(), "author": nullable_string(),
            "score": {"type": "number"}, "snippet": {"type": "string", "description": "HTML: matches in <em>, the rest escaped"},
            "copies": {"$ref": "#/components/schemas/Copies"},
            "partial": {"type": "boolean", "description": "present and true for a hit that matches only some of the words, after every full match"}})),
        "Facets": object(&["source", "year", "person", "place", "org"], json!({
            "source": counts, "year": counts, "person": counts, "place": counts, "org": counts})),
        "SearchResponse": object(&["query", "interpreted_as", "total", "hits", "next_cursor"], json!({
            "query": string(),
            "interpreted_as": {"type": "string", "description": "the query as it was read, in the query language"},
            "warnings": {"type": "array", "items": {"type": "string"}, "description": "what lenient reading repaired, and the question words that were not required"},
            "total": {"type": "integer", "description": "articles matching every word and the filters, copies included (always exact)"},
            "groups": {"type": "integer", "description": "stories among them when copies are collapsed"},
            "hits": array_of("Hit"),
            "next_cursor": {"type": "string", "nullable": true, "description": "pass as cursor for the next page; tied to this query, filters and sort"},
            "facets": {"$ref": "#/components/schemas/Facets"}})),
        "Entities": object(&["person", "place", "org"], json!({"person": strings(), "place": strings(), "org": strings()})),
        "Article": object(&["id", "title", "body"], json!({
            "id": string(), "url": nullable_string(), "title": string(), "published": nullable_string(),
            "source": nullable_string(), "author": nullable_string(), "editor": nullable_string(),
            "section": nullable_string(), "keywords": strings(), "body": string(),
            "entities": {"$ref": "#/components/schemas/Entities"}})),
        "SharedEntity": object(&["value", "kind"], json!({"value": string(), "kind": {"type": "string", "enum": ["person", "place", "org"]}})),
        "RelatedHit": object(&["id", "title", "score", "snippet", "reason", "entities"], json!({
            "id": string(), "url": nullable_string(), "title": string(),
            "published": nullable_string(), "source": nullable_string(), "author": nullable_string(),
            "score": {"type": "number", "description": "share of the article's own score, times closeness in time"},
            "snippet": string(),
            "copies": {"$ref": "#/components/schemas/Copies"},
            "partial": {"type": "boolean"},
            "reason": {"type": "array", "items": {"type": "string"}, "description": "the article's keys this story shares"},
            "entities": array_of("SharedEntity"),
            "days_apart": {"type": "integer", "nullable": true}})),
        "Related": object(&["id", "keywords", "reprints", "hits"], json!({
            "id": string(), "keywords": strings(),
            "reprints": {"type": "integer", "description": "copies of the article itself, counted, never listed"},
            "hits": array_of("RelatedHit"),
            "note": {"type": "string", "description": "present when nothing, or fewer than asked, was close enough"}})),
        "Bucket": object(&["start", "count"], json!({
            "start": {"type": "string", "description": "YYYY-MM-DD, the bucket's first day"},
            "count": {"type": "integer"},
            "total": {"type": "integer", "description": "all articles in the bucket (normalize=true)"},
            "share": {"type": "number", "description": "count / total (normalize=true)"}})),
        "Series": object(&["query", "interpreted_as", "total", "buckets"], json!({
            "query": string(), "interpreted_as": string(), "warnings": strings(),
            "total": {"type": "integer"}, "buckets": array_of("Bucket")})),
        "Trend": object(&["interval", "normalized", "series"], json!({
            "interval": {"type": "string", "enum": ["day", "week", "month", "year"]},
            "normalized": {"type": "boolean"}, "series": array_of("Series")})),
        "KwicLine": object(&["id", "field", "left", "match", "right", "offset"], json!({
            "id": string(), "published": nullable_string(),
            "field": {"type": "string", "enum": ["title", "body"]},
            "left": string(), "match": string(), "right": string(),
            "offset": {"type": "integer", "description": "character offset of the match in the field"}})),
        "Kwic": object(&["query", "interpreted_as", "articles", "truncated", "lines"], json!({
            "query": string(), "interpreted_as": string(), "warnings": strings(),
            "articles": {"type": "integer", "description": "matching articles"},
            "truncated": {"type": "boolean", "description": "true when limit cut the lines"},
            "lines": array_of("KwicLine")})),
        "EntityList": object(&["query", "interpreted_as", "total", "person", "place", "org"], json!({
            "query": string(), "interpreted_as": string(), "warnings": strings(),
            "total": {"type": "integer", "description": "matching articles"},
            "person": counts, "place": counts, "org": counts})),
        "Stats": object(&["documents", "sources", "top_sources", "segments", "index_bytes", "tokens"], json!({
            "documents": {"type": "integer"}, "sources": {"type": "integer"}, "top_sources": counts,
            "earliest": nullable_string(), "latest": nullable_string(), "last_commit": nullable_string(),
            "segments": {"type": "integer"}, "index_bytes": {"type": "integer"},
            "tokens": {"type": "object", "additionalProperties": {"type": "integer"}}})),
        "Health": object(&["status", "documents"], json!({
            "status": {"type": "string", "enum": ["ok"]},
            "documents": {"type": "integer"}, "last_commit": nullable_string(),
            "cache": object(&["bytes", "entries", "hits", "misses", "max_bytes"], json!({
                "bytes": {"type": "integer"}, "entries": {"type": "integer"}, "hits": {"type": "integer"},
                "misses": {"type": "integer"}, "max_bytes": {"type": "integer"}}))}))
    })
}

pub fn openapi() -> Value {
    let error = body("error", "Error");
    let [from, to, source, syntax] = filters();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "zhnews", "version": env!("CARGO_PKG_VERSION"), "description": "Chinese news search (read-only). With --token, every /api route and /healthz want `Authorization: Bearer TOKEN` or `access_token=TOKEN`; the page and its script do not."},
        "paths": {
            "/": {"get": {"summary": "Search page (HTML)", "responses": {"200": {"description": "the page"}}}},
            "/api/search": {"get": {
                "summary": "Search articles",
                "parameters": [
                    query("query (README: words are ANDed, OR, -, \"exact strings\", NEAR/n, title: source: person: place: org: fields); empty or * lists articles"),
                    limit(10, 100),
                    text("cursor", "next_cursor of the previous page of the same query, filters and sort"),
                    from.clone(), to.clone(), source.clone(), syntax.clone(),
                    param("sort", json!({"type": "string", "enum": ["relevance", "date"], "default": "relevance"}), "order of hits"),
                    param("facets", json!({"type": "boolean", "default": false}), "counts by source, year, person, place and organisation"),
                    param("partial", json!({"type": "boolean", "default": true}), "top up a first page that full matches leave short with hits matching only some words (marked partial, not counted in total); false for full matches only"),
                    param("collapse", json!({"type": "boolean", "default": true}), "false to list every copy of a story as its own hit")
                ],
                "responses": {"200": body("hits", "SearchResponse"), "400": error, "503": error}
            }},
            "/api/articles/{id}": {"get": {
                "summary": "One article, with its people, places and organisations",
                "parameters": [id()],
                "responses": {"200": body("the article", "Article"), "404": error}
            }},
            "/api/articles/{id}/related": {"get": {
                "summary": "Related stories: the article's keys (title and lead first, names weigh more), scored by closeness in text and in time; copies of the article counted, not listed; fewer than limit when nothing else is close",
                "parameters": [id(),
                    param("days", json!({"type": "integer", "minimum": 1}), "only stories within this many days of the article"),
                    limit(10, 100)],
                "responses": {"200": body("related stories", "Related"), "400": error, "404": error, "503": error}
            }},
            "/api/trend": {"get": {
                "summary": "Matching articles per calendar bucket, Beijing time",
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "string"}, "maxItems": 8}, "style": "form", "explode": true, "description": "one series per q"},
                    param("interval", json!({"type": "string", "enum": ["day", "week", "month", "year"], "default": "month"}), "bucket size"),
                    param("normalize", json!({"type": "boolean", "default": false}), "add each bucket's count of all articles and the share"),
                    from.clone(), to.clone(), source.clone(), syntax.clone()],
                "responses": {"200": body("one series per query", "Trend"), "400": error, "503": error}
            }},
            "/api/kwic": {"get": {
                "summary": "Keyword in context: every match with the characters around it",
                "parameters": [query("query"),
                    param("width", json!({"type": "integer", "minimum": 1, "maximum": 200, "default": 20}), "characters each side"),
                    limit(100, 10000),
                    from.clone(), to.clone(), source.clone(), syntax.clone()],
                "responses": {"200": body("lines", "Kwic"), "400": error, "503": error}
            }},
            "/api/entities": {"get": {
                "summary": "The people, places and organisations most often named in the matching articles (article counts)",
                "parameters": [text("q", "query; empty or * for every article"), limit(20, 100),
                    from.clone(), to.clone(), source.clone(), syntax.clone()],
                "responses": {"200": body("entity counts", "EntityList"), "400": error, "503": error}
            }},
            "/api/export": {"get": {
                "summary": "Every match, streamed",
                "parameters": [text("q", "query; empty or * for every article"),
                    param("format", json!({"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}), "output format"),
                    text("fields", "comma-separated: id,url,title,published,source,author,editor,section,keywords,body"),
                    param("sort", json!({"type": "string", "enum": ["relevance", "date"], "default": "date"}), "order"),
                    param("bom", json!({"type": "boolean", "default": false}), "start CSV with a UTF-8 BOM (for Excel)"),
                    from, to, source, syntax],
                "responses": {"200": {"description": "CSV or JSON Lines (one Article-shaped object per line, with the chosen fields)"}, "400": error}
            }},
            "/api/stats": {"get": {"summary": "Index statistics", "responses": {"200": body("statistics", "Stats")}}},
            "/healthz": {"get": {"summary": "Health: the index can be read; document count, last commit, response cache", "responses": {"200": body("ok", "Health"), "503": error}}},
            "/api/openapi.json": {"get": {"summary": "This description", "responses": {"200": {"description": "OpenAPI 3"}}}}
        },
        "components": {"schemas": schemas()}
    })
}
