//! The OpenAPI 3 description of the routes in `routes.rs`.

use serde_json::{json, Value};

pub fn openapi() -> Value {
    let error = json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let param = |name: &str, desc: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": desc});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "zhnews", "version": env!("CARGO_PKG_VERSION"), "description": "Chinese news search (read-only)."},
        "paths": {
            "/": {"get": {"summary": "Search page (HTML)", "responses": {"200": {"description": "the page"}}}},
            "/api/search": {"get": {
                "summary": "Search articles",
                "parameters": [
                    {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 1024}, "description": "query (see README: AND default, OR, -, quotes, NEAR/n, fields)"},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    param("cursor", "next_cursor of the previous page"),
                    param("from", "YYYY-MM-DD, Beijing time"),
                    param("to", "YYYY-MM-DD, Beijing time"),
                    param("source", "来源 media, exact"),
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date"]}},
                    param("facets", "true for counts by source and year"),
                    param("partial", "true to top up a short first page with hits matching only some words (marked partial)"),
                    param("collapse", "false to list every reprint"),
                    param("exact_total", "false to rank the first page without counting every match (plain words, relevance order; several times faster on long queries); total then counts only the matches among the top candidates")
                ],
                "responses": {"200": {"description": "hits", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}}, "400": error, "503": error}
            }},
            "/api/articles/{id}": {"get": {
                "summary": "One article",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the article"}, "404": error}
            }},
            "/api/articles/{id}/related": {"get": {
                "summary": "Related stories (MoreLikeThis over jieba keywords); its own reprints counted, not listed",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "days", "in": "query", "schema": {"type": "integer"}, "description": "only within this many days of the article"},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
                "responses": {"200": {"description": "{id, keywords, reprints, hits[]+reason}"}, "404": error}
            }},
            "/api/trend": {"get": {
                "summary": "Matching articles per calendar bucket, Beijing time",
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true},
                    {"name": "interval", "in": "query", "schema": {"type": "string", "enum": ["day", "week", "month", "year"]}},
                    param("normalize", "true to add the count of all articles per bucket"), param("from", "YYYY-MM-DD"), param("to", "YYYY-MM-DD")],
                "responses": {"200": {"description": "{interval, series: [{query, buckets: [{start, count, total?}]}]}"}, "400": error}
            }},
            "/api/kwic": {"get": {
                "summary": "Keyword in context",
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "width", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}}],
                "responses": {"200": {"description": "{query, lines: [{id, published, left, match, right, offset}]}"}, "400": error}
            }},
            "/api/export": {"get": {
                "summary": "Every match, streamed",
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv", "jsonl"]}},
                    param("fields", "comma-separated: id,url,title,published,source,author,editor,section,keywords,body")],
                "responses": {"200": {"description": "CSV or JSON Lines"}, "400": error}
            }},
            "/api/stats": {"get": {"summary": "Index statistics", "responses": {"200": {"description": "documents, sources, date span"}}}},
            "/healthz": {"get": {"summary": "Health: index opened, document count, last commit, response-cache hits and misses", "responses": {"200": {"description": "ok"}}}},
            "/api/openapi.json": {"get": {"summary": "This description", "responses": {"200": {"description": "OpenAPI 3"}}}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
            "Hit": {"type": "object", "properties": {
                "id": {"type": "string"}, "url": {"type": "string", "nullable": true}, "title": {"type": "string"},
                "published": {"type": "string", "nullable": true}, "source": {"type": "string", "nullable": true},
                "author": {"type": "string", "nullable": true}, "score": {"type": "number"}, "snippet": {"type": "string"},
                "partial": {"type": "boolean", "description": "present and true for a hit matching only some words"}}},
            "SearchResponse": {"type": "object", "properties": {
                "query": {"type": "string"}, "total": {"type": "integer"},
                "total_exact": {"type": "boolean", "description": "false when total is a lower bound (exact_total=false)"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "next_cursor": {"type": "string", "nullable": true}}}
        }}
    })
}
