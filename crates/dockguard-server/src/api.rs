//! The HTTP API under `/v1` (plus `/healthz` and `/metrics`). Bodies are read as bytes and
//! parsed here so that every error, including axum's own rejections, is `{"error": "..."}`
//! with a fitting status code. Every route but `/healthz` goes through the token check first
//! (see `auth`).

use crate::registries::registry_reference;
use crate::store::{Cursor, JobKind, NewJob};
use crate::work::Scanners;
use crate::{work, Shared};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Largest `POST /v1/scans` body: a target and a platform.
const MAX_SCAN_REQUEST: usize = 64 << 10;
/// Longest target, id or name accepted.
const MAX_FIELD: usize = 4096;

type AppState = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let sbom_limit = shared.config.max_sbom_bytes;
    Router::new()
        .route(
            "/v1/scans",
            post(submit_scan).layer(DefaultBodyLimit::max(MAX_SCAN_REQUEST)),
        )
        .route(
            "/v1/sboms",
            post(submit_sbom).layer(DefaultBodyLimit::max(sbom_limit)),
        )
        .route("/v1/jobs/{id}", get(job))
        .route("/v1/artifacts", get(artifacts))
        .route("/v1/artifacts/{digest}", get(artifact))
        .route("/v1/artifacts/{digest}/changes", get(changes))
        .route("/v1/db", get(db_status))
        .route("/healthz", get(health))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            crate::auth::check,
        ))
        .with_state(shared)
}

/// An error response: `{"error": message}`.
pub(crate) struct ApiError(StatusCode, String);

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError(status, message.into())
    }
    fn bad_request(m: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, m.into())
    }
    fn not_found(m: impl Into<String>) -> Self {
        ApiError(StatusCode::NOT_FOUND, m.into())
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> Self {
        eprintln!("dockguard: server: {e}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json(self.0, &serde_json::json!({ "error": self.1 }))
    }
}

fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    raw_json(status, body)
}

fn raw_json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|r| {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "request body is over the size limit".to_string()
        } else {
            format!("cannot read the request body: {}", r.body_text())
        };
        ApiError(status, message)
    })
}

fn path(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(v) = p.map_err(|r| ApiError::bad_request(r.body_text()))?;
    if v.len() > MAX_FIELD {
        return Err(ApiError::bad_request("path segment too long"));
    }
    Ok(v)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such endpoint: {}", uri.path()))
}

async fn method_not_allowed(uri: Uri) -> ApiError {
    ApiError(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method not allowed on {}", uri.path()),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    target: String,
    #[serde(default)]
    platform: Option<String>,
    /// Default: all of `vuln`, `secret`, `config`.
    #[serde(default)]
    scanners: Option<Vec<String>>,
}

/// Source prefixes that read this machine: files, directories, the Docker daemon's socket.
const LOCAL_PREFIXES: [&str; 7] = [
    "docker-archive:",
    "oci-dir:",
    "oci:",
    "oci-archive:",
    "dir:",
    "docker:",
    "docker-daemon:",
];

/// The source to open for `target`, or why it is refused. Without `allow_local`, a plain
/// argument is always a registry reference: whether a path exists is never looked at, so the
/// API cannot be used to probe the server's files either.
pub(crate) fn admit_target(target: &str, allow_local: bool) -> Result<String, ApiError> {
    let target = target.trim();
    if target.is_empty() {
        return Err(ApiError::bad_request("\"target\" is empty"));
    }
    if target.len() > MAX_FIELD || target.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "\"target\" is too long or has control characters",
        ));
    }
    if target.starts_with("sbom:") {
        return Err(ApiError::bad_request(
            "sbom: targets are not scanned by path: POST the document to /v1/sboms",
        ));
    }
    if target.starts_with("registry:") {
        return Ok(target.to_string());
    }
    let prefixed = LOCAL_PREFIXES.iter().any(|p| target.starts_with(p));
    if allow_local {
        // A plain argument is a path only when one exists (looking is allowed with the flag);
        // otherwise it is a registry reference and gets the registry rules like any other.
        let path = target.split_once('@').map_or(target, |(p, _)| p);
        if prefixed || std::path::Path::new(target).exists() || std::path::Path::new(path).exists()
        {
            return Ok(target.to_string());
        }
        return Ok(format!("registry:{target}"));
    }
    let local = prefixed || target.starts_with(['/', '.', '~', '\\']);
    if local {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            format!(
                "{target}: local targets (files, directories, the Docker daemon) are refused; \
                 start the server with --allow-local-targets to allow them"
            ),
        ));
    }
    Ok(format!("registry:{target}"))
}

async fn submit_scan(
    State(shared): AppState,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b)?;
    let req: ScanRequest = serde_json::from_slice(&b).map_err(|e| {
        ApiError::bad_request(format!(
            "invalid request: {e} (expected {{\"target\": \"...\", \"platform\": \"os/arch\", \
             \"scanners\": [\"vuln\", \"secret\", \"config\"]}})"
        ))
    })?;
    let target = admit_target(&req.target, shared.config.allow_local_targets)?;
    if let Some(p) = &req.platform {
        p.parse::<dockguard_image::Platform>()
            .map_err(|e| ApiError::bad_request(format!("platform {p}: {e}")))?;
    }
    let scanners = match &req.scanners {
        Some(list) if list.len() > 16 => {
            return Err(ApiError::bad_request("\"scanners\" has too many entries"))
        }
        Some(list) => Scanners::from_request(list).map_err(ApiError::bad_request)?,
        None => Scanners::ALL,
    };
    if let Some(reference) = registry_reference(&target) {
        shared
            .config
            .registries
            .check(reference)
            .await
            .map_err(|r| ApiError(StatusCode::FORBIDDEN, r.0))?;
    }
    let id = shared
        .store
        .enqueue(NewJob {
            kind: JobKind::Scan,
            target: Some(target),
            platform: req.platform,
            artifact: None,
            generation: None,
            max_attempts: shared.config.max_attempts,
            scanners: Some(scanners.stored()),
        })
        .await?;
    shared.wake.notify_one();
    Ok(json(
        StatusCode::ACCEPTED,
        &serde_json::json!({ "id": id, "status": "queued" }),
    ))
}

/// `key` from the query string, percent-decoded.
fn query_param(uri: &Uri, key: &str) -> Option<String> {
    let query = uri.query()?;
    let raw = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))?
        .replace('+', " ");
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let name = String::from_utf8_lossy(&out).trim().to_string();
    (!name.is_empty()).then_some(name)
}

async fn submit_sbom(
    State(shared): AppState,
    uri: Uri,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b)?;
    if b.is_empty() {
        return Err(ApiError::bad_request(
            "empty body: send a CycloneDX, SPDX or Syft JSON document",
        ));
    }
    let name = query_param(&uri, "name").unwrap_or_else(|| "sbom".to_string());
    if name.len() > 256 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "name is too long or has control characters",
        ));
    }
    let shown = name.clone();
    let (digest, document) = tokio::task::spawn_blocking(move || work::read_sbom(&b, &shown))
        .await
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(ApiError::bad_request)?;
    shared
        .store
        .put_inventory(&digest, "sbom", &name, &document)
        .await?;
    let id = shared
        .store
        .enqueue(NewJob {
            kind: JobKind::Sbom,
            target: None,
            platform: None,
            artifact: Some(digest.clone()),
            generation: None,
            max_attempts: shared.config.max_attempts,
            scanners: None,
        })
        .await?;
    shared.wake.notify_one();
    Ok(json(
        StatusCode::ACCEPTED,
        &serde_json::json!({ "id": id, "status": "queued", "artifact": digest }),
    ))
}

async fn job(
    State(shared): AppState,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path(p)?;
    match shared.store.job(&id).await? {
        Some(info) => Ok(json(StatusCode::OK, &info)),
        None => Err(ApiError::not_found(format!("no job {id}"))),
    }
}

/// Page size of `GET /v1/artifacts` without `limit`, and the largest one allowed.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

async fn artifacts(State(shared): AppState, uri: Uri) -> Result<Response, ApiError> {
    let limit = match query_param(&uri, "limit") {
        None => DEFAULT_PAGE,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "limit must be a number from 1 to {MAX_PAGE}"
                )))
            }
        },
    };
    let after = match query_param(&uri, "after") {
        None => None,
        Some(c) => Some(Cursor::decode(&c).ok_or_else(|| {
            ApiError::bad_request("after: not a cursor from a previous page's \"next\"")
        })?),
    };
    // One row more than asked tells whether another page follows without a count query.
    let mut list = shared.store.artifacts(after.as_ref(), limit + 1).await?;
    let next = if list.len() > limit {
        list.truncate(limit);
        list.last().map(|a| {
            Cursor {
                first_seen_ms: a.first_seen_ms,
                digest: a.digest.clone(),
            }
            .encode()
        })
    } else {
        None
    };
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "artifacts": list, "next": next }),
    ))
}

async fn artifact(
    State(shared): AppState,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let digest = path(p)?;
    match shared.store.report(&digest).await? {
        Some(r) => Ok(raw_json(StatusCode::OK, r.report)),
        None if shared.store.has_artifact(&digest).await? => Err(ApiError::not_found(format!(
            "{digest} has no report yet: its job has not finished"
        ))),
        None => Err(ApiError::not_found(format!("no artifact {digest}"))),
    }
}

async fn changes(
    State(shared): AppState,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let digest = path(p)?;
    if !shared.store.has_artifact(&digest).await? {
        return Err(ApiError::not_found(format!("no artifact {digest}")));
    }
    let list = shared.store.changes(&digest).await?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "digest": digest, "changes": list }),
    ))
}

async fn db_status(State(shared): AppState) -> Result<Response, ApiError> {
    let dir = shared.config.db_dir.clone();
    let status = tokio::task::spawn_blocking(move || {
        let db = dockguard_vulndb::Database::open(&dir)?;
        Ok::<_, dockguard_vulndb::Error>((db.generation()?, db.status()?))
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    match status {
        Ok((generation, ecosystems)) => Ok(json(
            StatusCode::OK,
            &serde_json::json!({
                "generation": generation,
                "recorded_generation": shared.store.latest_generation().await?,
                "ecosystems": ecosystems,
            }),
        )),
        Err(e) => Err(ApiError(StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    }
}

async fn health(State(shared): AppState) -> Response {
    match shared.store.ping().await {
        Ok(()) => json(
            StatusCode::OK,
            &serde_json::json!({ "status": "ok", "store": shared.store.backend() }),
        ),
        Err(e) => ApiError(StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

async fn metrics(State(shared): AppState) -> Result<Response, ApiError> {
    let depth = shared.store.queue_depth().await?;
    let artifacts = shared.store.artifact_count().await?;
    let m = &shared.metrics;
    let mut out = String::new();
    out.push_str("# HELP dockguard_jobs Jobs in the store by state.\n");
    out.push_str("# TYPE dockguard_jobs gauge\n");
    for state in ["queued", "running", "done", "failed"] {
        let n = depth
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "dockguard_jobs{{state=\"{state}\"}} {n}");
    }
    out.push_str("# HELP dockguard_jobs_processed_total Job attempts this process finished.\n");
    out.push_str("# TYPE dockguard_jobs_processed_total counter\n");
    for (outcome, n) in [
        ("done", m.done.load(Ordering::Relaxed)),
        ("failed", m.failed.load(Ordering::Relaxed)),
        ("lost", m.lost.load(Ordering::Relaxed)),
    ] {
        let _ = writeln!(
            out,
            "dockguard_jobs_processed_total{{outcome=\"{outcome}\"}} {n}"
        );
    }
    out.push_str("# HELP dockguard_artifacts Artifacts in the store.\n");
    out.push_str("# TYPE dockguard_artifacts gauge\n");
    let _ = writeln!(out, "dockguard_artifacts {artifacts}");
    out.push_str("# HELP dockguard_workers Workers in this process.\n");
    out.push_str("# TYPE dockguard_workers gauge\n");
    let _ = writeln!(out, "dockguard_workers {}", shared.config.workers);
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_without_the_flag_are_registry_references() {
        assert_eq!(
            admit_target("alpine:3.19", false).ok().as_deref(),
            Some("registry:alpine:3.19")
        );
        assert_eq!(
            admit_target("registry:ghcr.io/a/b", false).ok().as_deref(),
            Some("registry:ghcr.io/a/b")
        );
        for t in [
            "oci-dir:/x",
            "dir:/",
            "/etc",
            "./x",
            "docker:alpine",
            "docker-archive:a.tar",
        ] {
            let e = admit_target(t, false).err().map(|e| e.0);
            assert_eq!(e, Some(StatusCode::FORBIDDEN), "{t}");
        }
        assert_eq!(
            admit_target("oci-dir:/x", true).ok().as_deref(),
            Some("oci-dir:/x")
        );
        // With the flag, a plain argument that is no path is still a registry reference.
        assert_eq!(
            admit_target("no-such-path-here/app:1", true)
                .ok()
                .as_deref(),
            Some("registry:no-such-path-here/app:1")
        );
        assert_eq!(admit_target("/", true).ok().as_deref(), Some("/"));
        assert!(admit_target("sbom:/x", true).is_err());
        assert!(admit_target("  ", true).is_err());
        assert!(admit_target("a\nb", true).is_err());
    }

    #[test]
    fn query_names_are_decoded() {
        let uri: Uri = "/v1/sboms?x=1&name=app%3A1.0+beta%2".parse().unwrap();
        assert_eq!(query_param(&uri, "name").as_deref(), Some("app:1.0 beta%2"));
        let uri: Uri = "/v1/sboms?names=a&name=b".parse().unwrap();
        assert_eq!(query_param(&uri, "name").as_deref(), Some("b"));
        let uri: Uri = "/v1/sboms".parse().unwrap();
        assert_eq!(query_param(&uri, "name"), None);
    }
}
