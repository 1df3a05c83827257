//! Where the server keeps its state: artifacts, their inventories and latest reports, the job
//! queue, change events and the vulnerability-data generations seen. Two backends with the
//! same behaviour: an SQLite file (the default; one process or a few on one host) and
//! PostgreSQL (many processes sharing one queue).
//!
//! Every multi-step change is one transaction, so a crash never leaves a job done without its
//! report or a report without its change events. A worker's result only lands while it still
//! holds the job's lease (its claim token): a worker that lost its lease cannot overwrite the
//! work of the one that took over.

mod postgres;
mod sql;
mod sqlite;
#[cfg(test)]
mod upgrade_tests;

use crate::Error;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    /// Read an image, store its inventory and match it.
    Scan,
    /// Match an SBOM whose inventory was stored when it was submitted.
    Sbom,
    /// Match a stored inventory again because the vulnerability data changed.
    Recheck,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Scan => "scan",
            JobKind::Sbom => "sbom",
            JobKind::Recheck => "recheck",
        }
    }

    fn parse(s: &str) -> Result<JobKind, Error> {
        match s {
            "scan" => Ok(JobKind::Scan),
            "sbom" => Ok(JobKind::Sbom),
            "recheck" => Ok(JobKind::Recheck),
            other => Err(Error::Store(format!(
                "unknown job kind '{other}' in the store"
            ))),
        }
    }
}

/// A job to add to the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    /// Image source (scan jobs).
    pub target: Option<String>,
    /// `os/arch[/variant]` (scan jobs).
    pub platform: Option<String>,
    /// Artifact digest (sbom and recheck jobs).
    pub artifact: Option<String>,
    /// The vulnerability-data generation that caused a recheck.
    pub generation: Option<String>,
    pub max_attempts: u32,
    /// Scanners of a scan job (`vuln,secret,config`); `None` for the others.
    pub scanners: Option<String>,
}

/// A job a worker holds. `token` proves the claim; it changes with every claim.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub token: String,
    pub kind: JobKind,
    pub target: Option<String>,
    pub platform: Option<String>,
    pub artifact: Option<String>,
    pub generation: Option<String>,
    /// Including this claim.
    pub attempts: i64,
    /// When this claim was made (milliseconds since the epoch).
    pub started: i64,
    pub scanners: Option<String>,
}

/// A job as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct JobInfo {
    pub id: String,
    pub kind: JobKind,
    /// queued, running, done or failed.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub artifact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    /// The scanners a scan job runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanners: Option<Vec<String>>,
    pub attempts: i64,
    pub error: Option<String>,
    pub created: String,
    pub started: Option<String>,
    pub finished: Option<String>,
}

/// One advisory that started or stopped affecting an artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeEvent {
    /// `added` or `resolved`.
    pub change: String,
    pub advisory: String,
    pub package: String,
    pub version: String,
    pub severity: String,
}

/// A stored change event.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub event: ChangeEvent,
    /// Vulnerability-data generation the new report was matched against.
    pub generation: String,
    pub job: Option<String>,
    pub at: String,
}

/// The result of a successful job, written in one transaction with the job's completion.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub artifact: String,
    /// `image` or `sbom`.
    pub artifact_kind: String,
    /// Name the artifact was seen under (image source or SBOM name).
    pub name: Option<String>,
    /// Our inventory JSON, when the job produced a new one (scans).
    pub inventory: Option<String>,
    /// The report, `dockguard scan --format json` shape.
    pub report: String,
    /// Findings per severity: critical, high, medium, low, info.
    pub counts: [i64; 5],
    pub generation: String,
    /// The scanners the report covers (`vuln,secret,config`).
    pub scanners: String,
    /// The policy verdict as JSON, when a policy is configured.
    pub policy: Option<String>,
    /// Change events computed against the previous report (see [`crate::work::diff`]).
    pub diff: fn(&str, &str) -> Vec<ChangeEvent>,
}

impl Outcome {
    /// Whether the report has vulnerability matching (and so goes stale with the data).
    pub fn matches_vulnerabilities(&self) -> bool {
        self.scanners.split(',').any(|s| s == "vuln")
    }
}

/// One artifact in `GET /v1/artifacts`.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactSummary {
    pub digest: String,
    pub kind: String,
    pub names: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub last_scanned: Option<String>,
    pub generation: Option<String>,
    pub counts: Option<SeverityCounts>,
    /// The policy verdict of the latest report (`{"decision", "reasons"}`), when a policy was
    /// configured.
    pub policy: Option<serde_json::Value>,
    /// The page key (first seen, milliseconds).
    #[serde(skip)]
    pub first_seen_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityCounts {
    pub critical: i64,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub info: i64,
}

/// A stored report.
#[derive(Debug, Clone)]
pub struct StoredReport {
    pub report: String,
    pub generation: String,
    pub updated: i64,
    pub scanners: String,
    pub policy: Option<String>,
}

/// Where a page of `GET /v1/artifacts` starts: after this (first seen, digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub first_seen_ms: i64,
    pub digest: String,
}

impl Cursor {
    /// An opaque, URL-safe token (hex of `ms:digest`).
    pub fn encode(&self) -> String {
        format!("{}:{}", self.first_seen_ms, self.digest)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// `None` when `s` is not a cursor this server made.
    pub fn decode(s: &str) -> Option<Cursor> {
        if !s.len().is_multiple_of(2) || s.len() > 2048 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect();
        let text = String::from_utf8(bytes?).ok()?;
        let (ms, digest) = text.split_once(':')?;
        Some(Cursor {
            first_seen_ms: ms.parse().ok()?,
            digest: digest.to_string(),
        })
    }
}

/// A stored inventory and the name to report it under.
#[derive(Debug, Clone)]
pub struct StoredInventory {
    pub document: String,
    pub kind: String,
    pub names: Vec<String>,
}

/// The server's store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Dispatches one call to the backend.
macro_rules! each {
    ($self:ident, $b:ident => $call:expr) => {
        match &$self.backend {
            Backend::Sqlite($b) => $call,
            Backend::Postgres($b) => $call,
        }
    };
}

impl Store {
    /// Opens the store named by `location` and applies pending migrations:
    /// `postgres://…` / `postgresql://…` (libpq-style URL; `?options=-c%20search_path%3DNAME`
    /// picks a schema), `sqlite:PATH`, or a plain file path for SQLite.
    pub async fn open(location: &str) -> Result<Store, Error> {
        let backend =
            if location.starts_with("postgres://") || location.starts_with("postgresql://") {
                Backend::Postgres(postgres::Postgres::open(location).await?)
            } else {
                let path = location.strip_prefix("sqlite:").unwrap_or(location);
                if path.is_empty() {
                    return Err(Error::Config("--store: empty SQLite path".into()));
                }
                Backend::Sqlite(sqlite::Sqlite::open(Path::new(path)).await?)
            };
        Ok(Store { backend })
    }

    /// `$XDG_CACHE_HOME/dockguard/server/server.sqlite3` (else under `~/.cache`).
    pub fn default_sqlite_path() -> PathBuf {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|x| !x.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|h| !h.is_empty())
                    .map(|h| PathBuf::from(h).join(".cache"))
            })
            .unwrap_or_else(|| PathBuf::from("."));
        base.join("dockguard").join("server").join("server.sqlite3")
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Checks the store answers.
    pub async fn ping(&self) -> Result<(), Error> {
        each!(self, b => b.ping().await)
    }

    /// Adds a job; returns its id.
    pub async fn enqueue(&self, job: NewJob) -> Result<String, Error> {
        let id = new_id();
        each!(self, b => b.enqueue(&id, &job, now_ms()).await)?;
        Ok(id)
    }

    /// Claims the oldest runnable job (queued, or running with an expired lease) for `lease`.
    /// Jobs whose lease expired after their last allowed attempt are marked failed instead.
    pub async fn claim(&self, lease: Duration) -> Result<Option<Claimed>, Error> {
        let token = new_id();
        let now = now_ms();
        each!(self, b => b.claim(&token, now, now + lease.as_millis() as i64).await)
    }

    /// Extends a held lease; `false` when the claim was lost.
    pub async fn renew(&self, job: &Claimed, lease: Duration) -> Result<bool, Error> {
        each!(self, b => b.renew(&job.id, &job.token, now_ms() + lease.as_millis() as i64).await)
    }

    /// Stores a job's result and marks it done; `false` (and nothing written) when the claim
    /// was lost. Returns whether the result landed.
    pub async fn complete(&self, job: &Claimed, outcome: Outcome) -> Result<bool, Error> {
        each!(self, b => b.complete(job, outcome, now_ms()).await)
    }

    /// Records a failed attempt: the job is queued again after `retry_after`, or failed for
    /// good when it has used its attempts (or `retry_after` is `None`).
    pub async fn fail(
        &self,
        job: &Claimed,
        error: &str,
        retry_after: Option<Duration>,
    ) -> Result<(), Error> {
        let now = now_ms();
        let not_before = retry_after.map(|d| now + d.as_millis() as i64);
        each!(self, b => b.fail(job, error, not_before, now).await)
    }

    /// Gives a held job back to the queue without counting the attempt (shutdown).
    pub async fn release(&self, job: &Claimed) -> Result<(), Error> {
        each!(self, b => b.release(job).await)
    }

    pub async fn job(&self, id: &str) -> Result<Option<JobInfo>, Error> {
        each!(self, b => b.job(id).await)
    }

    /// Records an artifact (seen under `name`) and its inventory document.
    pub async fn put_inventory(
        &self,
        digest: &str,
        kind: &str,
        name: &str,
        document: &str,
    ) -> Result<(), Error> {
        each!(self, b => b.put_inventory(digest, kind, name, document, now_ms()).await)
    }

    pub async fn inventory(&self, digest: &str) -> Result<Option<StoredInventory>, Error> {
        each!(self, b => b.inventory(digest).await)
    }

    /// Up to `limit` artifacts in the order they were first seen, after `after`.
    pub async fn artifacts(
        &self,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Vec<ArtifactSummary>, Error> {
        let (ms, digest) = after.map_or((i64::MIN, String::new()), |c| {
            (c.first_seen_ms, c.digest.clone())
        });
        let limit = limit.clamp(1, 100_000) as i64;
        each!(self, b => b.artifacts(ms, &digest, limit).await)
    }

    /// Whether the artifact is known (scanned or submitted).
    pub async fn has_artifact(&self, digest: &str) -> Result<bool, Error> {
        each!(self, b => b.has_artifact(digest).await)
    }

    pub async fn report(&self, digest: &str) -> Result<Option<StoredReport>, Error> {
        each!(self, b => b.report(digest).await)
    }

    pub async fn changes(&self, digest: &str) -> Result<Vec<Change>, Error> {
        each!(self, b => b.changes(digest).await)
    }

    /// Records `generation` of the vulnerability data; when it is new, queues one recheck per
    /// stored inventory whose report was matched against other data, in the same
    /// transaction, and returns how many. `None` when another process (or an earlier run)
    /// already recorded it.
    pub async fn record_generation(
        &self,
        generation: &str,
        max_attempts: u32,
    ) -> Result<Option<u64>, Error> {
        each!(self, b => b.record_generation(generation, max_attempts, now_ms()).await)
    }

    /// The most recently recorded generation.
    pub async fn latest_generation(&self) -> Result<Option<String>, Error> {
        each!(self, b => b.latest_generation().await)
    }

    /// Jobs per state (queued, running, done, failed).
    pub async fn queue_depth(&self) -> Result<Vec<(String, i64)>, Error> {
        each!(self, b => b.queue_depth().await)
    }

    pub async fn artifact_count(&self) -> Result<i64, Error> {
        each!(self, b => b.artifact_count().await)
    }
}

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub(crate) fn rfc3339_ms(ms: i64) -> String {
    dockguard_sbom::rfc3339_from_epoch(ms.div_euclid(1000))
}

/// A random 128-bit id in hex. Per-process randomness (the std hasher's OS-seeded keys) plus
/// time and a counter: unique across processes sharing one store without another dependency.
pub(crate) fn new_id() -> String {
    use sha2::{Digest, Sha256};
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut sha = Sha256::new();
    sha.update(h.finish().to_le_bytes());
    sha.update(std::process::id().to_le_bytes());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    sha.update(nanos.to_le_bytes());
    sha.update(COUNTER.load(Ordering::Relaxed).to_le_bytes());
    sha.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Adds `name` to a JSON array of names (kept sorted, bounded).
pub(crate) fn merge_names(existing: Option<&str>, name: Option<&str>) -> String {
    let mut names: Vec<String> = existing
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        if !names.iter().any(|x| x == n) && names.len() < 100 {
            names.push(n.to_string());
            names.sort();
        }
    }
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_names(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Error text for a job whose worker vanished on its last attempt.
pub(crate) const LEASE_EXPIRED: &str =
    "the worker running this job stopped (its lease expired) and no attempts are left";

/// A stored verdict as JSON (what the API shows); `None` without one.
pub(crate) fn policy_value(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// A stored scanner list as the API shows it.
pub(crate) fn scanner_list(text: Option<String>) -> Option<Vec<String>> {
    text.map(|t| t.split(',').map(str::to_string).collect())
}

/// Severity counts of a LEFT JOIN row; `None` before the artifact's first report.
pub(crate) fn counts_of(row: [Option<i64>; 5]) -> Option<SeverityCounts> {
    let [critical, high, medium, low, info] = row;
    Some(SeverityCounts {
        critical: critical?,
        high: high?,
        medium: medium?,
        low: low?,
        info: info?,
    })
}
