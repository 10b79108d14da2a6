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
                    param("collapse", "false to list every reprint")
                ],
                "responses": {"200": {"description": "hits", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}}, "400": error, "503": error}
            }},
            "/api/articles/{id}": {"get": {
                "summary": "One article",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the article"}, "404": error}
            }},
            "/api/stats": {"get": {"summary": "Index statistics", "responses": {"200": {"description": "documents, sources, date span"}}}},
            "/healthz": {"get": {"summary": "Health: index opened, document count, last commit", "responses": {"200": {"description": "ok"}}}},
            "/api/openapi.json": {"get": {"summary": "This description", "responses": {"200": {"description": "OpenAPI 3"}}}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
            "Hit": {"type": "object", "properties": {
                "id": {"type": "string"}, "url": {"type": "string", "nullable": true}, "title": {"type": "string"},
                "published": {"type": "string", "nullable": true}, "source": {"type": "string", "nullable": true},
                "author": {"type": "string", "nullable": true}, "score": {"type": "number"}, "snippet": {"type": "string"}}},
            "SearchResponse": {"type": "object", "properties": {
                "query": {"type": "string"}, "total": {"type": "integer"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "next_cursor": {"type": "string", "nullable": true}}}
        }}
    })
}
