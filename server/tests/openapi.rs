//! The API's description (`src/api/openapi.json`) against the code: every
//! route of `src/api/` is described and every described operation is a
//! route, and each operation lists the statuses its handler's extractors
//! can answer (401 for an account, 403 for a CSRF token, 400 and 413 for a
//! JSON body, 404 for a path, 503 for anything that reads the session).
//! What the handlers answer beyond that is checked by schemathesis
//! against a running server (`.ci/schemathesis.sh`).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A route of the code: method, path, the handler's source.
struct Route {
    method: String,
    path: String,
    handler: String,
    signature: String,
}

/// Every `.route("path", get(handler).post(other))` of `src/api/`; in a
/// file that nests its routes (`.nest("/prefix", routes)`), under that
/// prefix.
fn routes_of_the_code() -> Vec<Route> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut routes = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let prefix = source.find(".nest(\"").map_or("", |at| {
            let start = at + ".nest(\"".len();
            &source[start..start + source[start..].find('"').unwrap()]
        });
        let mut rest = source.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let open = rest.find('"').unwrap();
            let close = open + 1 + rest[open + 1..].find('"').unwrap();
            let route_path = &rest[open + 1..close];
            // The method router: up to the `)` that closes `.route(`.
            let mut depth = 1;
            let mut end = close;
            for (i, c) in rest[close..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = close + i;
                    break;
                }
            }
            let methods = &rest[close + 1..end];
            for method in ["get", "post", "put", "delete"] {
                for (at, _) in methods.match_indices(&format!("{method}(")) {
                    let before = methods[..at].chars().last();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let name_start = at + method.len() + 1;
                    let name_end = name_start + methods[name_start..].find(')').unwrap();
                    let handler = methods[name_start..name_end].to_owned();
                    let signature = signature_of(&source, &handler)
                        .unwrap_or_else(|| panic!("no `async fn {handler}` in {}", path.display()));
                    routes.push(Route {
                        method: method.to_owned(),
                        path: format!("{prefix}{route_path}"),
                        handler,
                        signature,
                    });
                }
            }
        }
    }
    routes
}

/// The arguments of `async fn name(…)`.
fn signature_of(source: &str, name: &str) -> Option<String> {
    let start = source.find(&format!("async fn {name}("))?;
    let end = start + source[start..].find(") ->")?;
    Some(source[start..end].to_owned())
}

fn document() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The statuses a handler's extractors may answer.
fn statuses_of(signature: &str) -> BTreeSet<&'static str> {
    let mut statuses = BTreeSet::new();
    let uses = |name: &str| signature.contains(name);
    if uses("CurrentUser") || uses("Signed") {
        statuses.insert("401");
    }
    if uses("Csrf") || uses("SignedWrite") {
        statuses.insert("403");
    }
    if uses("ApiJson") {
        statuses.extend(["400", "408", "413"]);
    }
    if uses("body: Bytes") {
        statuses.extend(["408", "413"]);
    }
    if uses("Query(") {
        statuses.insert("400");
    }
    if uses("Path(") {
        statuses.insert("404");
    }
    if uses("CurrentUser") || uses("Signed") || uses("OptionalUser") || uses("Session") {
        statuses.insert("503");
    }
    statuses
}

#[test]
fn every_route_is_described_and_every_description_is_a_route() {
    let document = document();
    let mut described = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                described.insert((method.clone(), path.clone()));
            }
        }
    }
    let routes = routes_of_the_code();
    assert!(routes.len() > 40, "the routes were found: {}", routes.len());
    let in_code: BTreeSet<(String, String)> = routes
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let undescribed: Vec<_> = in_code.difference(&described).collect();
    let missing: Vec<_> = described.difference(&in_code).collect();
    assert!(
        undescribed.is_empty(),
        "routes not in openapi.json: {undescribed:?}"
    );
    assert!(missing.is_empty(), "described but not routes: {missing:?}");
}

#[test]
fn every_operation_lists_what_its_extractors_may_answer() {
    let document = document();
    let mut lacking = BTreeMap::new();
    for route in routes_of_the_code() {
        let responses = &document["paths"][&route.path][&route.method]["responses"];
        let listed: BTreeSet<&str> = responses
            .as_object()
            .map(|r| r.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let needed: Vec<&str> = statuses_of(&route.signature)
            .into_iter()
            .filter(|status| !listed.contains(status))
            .collect();
        if !needed.is_empty() {
            lacking.insert(
                format!("{} {} ({})", route.method, route.path, route.handler),
                needed,
            );
        }
        for (status, response) in responses.as_object().into_iter().flatten() {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["$ref"], "#/components/responses/Error",
                    "{} {} {status}: errors are the JSON envelope",
                    route.method, route.path
                );
            }
        }
    }
    assert!(lacking.is_empty(), "statuses to describe: {lacking:#?}");
}
