//! Statements both backends run verbatim (SQLite after `$N` → `?N`). Only the DDL and the
//! claim's row locking differ between them.

/// $1 id, $2 kind, $3 target, $4 platform, $5 artifact, $6 generation, $7 max attempts, $8 now,
/// $9 scanners. Rechecks queue behind submissions so a data update never delays a user's scan.
pub(crate) const ENQUEUE: &str = "INSERT INTO jobs (id, kind, state, target, platform, artifact, \
     generation, attempts, max_attempts, not_before, created, priority, scanners) \
     VALUES ($1, $2, 'queued', $3, $4, $5, $6, 0, $7, $8, $8, \
     CASE WHEN $2 = 'recheck' THEN 1 ELSE 0 END, $9)";

/// $1 now, $2 error.
pub(crate) const EXPIRE: &str = "UPDATE jobs SET state = 'failed', error = $2, finished = $1, \
     token = NULL, lease_until = NULL \
     WHERE state = 'running' AND lease_until < $1 AND attempts >= max_attempts";

/// $1 lease until, $2 token, $3 now; `lock` is PostgreSQL's row-locking clause.
pub(crate) fn claim(lock: &str) -> String {
    format!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, \
         token = $2, started = $3 \
         WHERE id = (SELECT id FROM jobs \
             WHERE (state = 'queued' AND not_before <= $3) \
                OR (state = 'running' AND lease_until < $3) \
             ORDER BY priority, created, id LIMIT 1 {lock}) \
         RETURNING id, kind, target, platform, artifact, generation, attempts, token, started, \
         scanners"
    )
}

/// $1 id, $2 token, $3 lease until.
pub(crate) const RENEW: &str =
    "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND token = $2 AND state = 'running'";

/// $1 id, $2 token → max_attempts while the claim holds.
pub(crate) const OWNED: &str =
    "SELECT max_attempts FROM jobs WHERE id = $1 AND token = $2 AND state = 'running'";

/// $1 digest, $2 kind, $3 names, $4 now.
pub(crate) const UPSERT_ARTIFACT_SCANNED: &str = "INSERT INTO artifacts \
     (digest, kind, names, first_seen, last_seen, last_scanned) VALUES ($1, $2, $3, $4, $4, $4) \
     ON CONFLICT (digest) DO UPDATE SET names = excluded.names, last_seen = excluded.last_seen, \
     last_scanned = excluded.last_scanned";

/// $1 digest, $2 now.
pub(crate) const ARTIFACT_MATCHED: &str =
    "UPDATE artifacts SET last_scanned = $2 WHERE digest = $1";

/// $1 digest, $2 kind, $3 names, $4 now.
pub(crate) const UPSERT_ARTIFACT_SEEN: &str = "INSERT INTO artifacts \
     (digest, kind, names, first_seen, last_seen) VALUES ($1, $2, $3, $4, $4) \
     ON CONFLICT (digest) DO UPDATE SET names = excluded.names, last_seen = excluded.last_seen";

/// $1 digest, $2 document, $3 now.
pub(crate) const UPSERT_INVENTORY: &str = "INSERT INTO inventories (digest, document, updated) \
     VALUES ($1, $2, $3) \
     ON CONFLICT (digest) DO UPDATE SET document = excluded.document, updated = excluded.updated";

/// $1 digest … $9 at.
pub(crate) const INSERT_CHANGE: &str = "INSERT INTO changes \
     (digest, generation, change, advisory, package, version, severity, job, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// $1 digest, $2 report, $3 generation, $4..$8 counts, $9 now, $10 scanners, $11 policy verdict.
pub(crate) const UPSERT_FINDINGS: &str = "INSERT INTO findings \
     (digest, report, generation, critical, high, medium, low, info, updated, scanners, policy) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (digest) DO UPDATE SET report = excluded.report, \
     generation = excluded.generation, critical = excluded.critical, high = excluded.high, \
     medium = excluded.medium, low = excluded.low, info = excluded.info, \
     updated = excluded.updated, scanners = excluded.scanners, policy = excluded.policy";

/// $1 id, $2 artifact, $3 now.
pub(crate) const DONE: &str = "UPDATE jobs SET state = 'done', artifact = $2, finished = $3, \
     error = NULL, token = NULL, lease_until = NULL WHERE id = $1";

pub(crate) const LATEST_GENERATION: &str =
    "SELECT generation, recorded FROM generations ORDER BY recorded DESC, generation DESC LIMIT 1";

/// $1 id, $2 token, $3 error, $4 retry not before (NULL: final), $5 now.
pub(crate) const FAIL: &str = "UPDATE jobs SET \
     state = CASE WHEN CAST($4 AS BIGINT) IS NULL OR attempts >= max_attempts \
         THEN 'failed' ELSE 'queued' END, \
     error = $3, \
     not_before = coalesce(CAST($4 AS BIGINT), not_before), \
     finished = CASE WHEN CAST($4 AS BIGINT) IS NULL OR attempts >= max_attempts \
         THEN CAST($5 AS BIGINT) ELSE NULL END, \
     token = NULL, lease_until = NULL \
     WHERE id = $1 AND token = $2 AND state = 'running'";

/// $1 id, $2 token. The attempt is given back: the job did not fail.
pub(crate) const RELEASE: &str = "UPDATE jobs SET state = 'queued', \
     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
     token = NULL, lease_until = NULL WHERE id = $1 AND token = $2 AND state = 'running'";

/// $1 id.
pub(crate) const JOB: &str = "SELECT id, kind, state, target, platform, artifact, generation, \
     attempts, error, created, started, finished, scanners FROM jobs WHERE id = $1";

/// $1 digest.
pub(crate) const INVENTORY: &str = "SELECT i.document, a.kind, a.names FROM inventories i \
     JOIN artifacts a ON a.digest = i.digest WHERE i.digest = $1";

/// $1 first_seen, $2 digest of the last row of the previous page; $3 page size. The key
/// never changes once an artifact exists, so a walk sees every artifact once.
pub(crate) const ARTIFACTS_PAGE: &str = "SELECT a.digest, a.kind, a.names, a.first_seen, \
     a.last_seen, a.last_scanned, f.generation, f.critical, f.high, f.medium, f.low, f.info, \
     f.policy \
     FROM artifacts a LEFT JOIN findings f ON f.digest = a.digest \
     WHERE (a.first_seen, a.digest) > ($1, $2) \
     ORDER BY a.first_seen, a.digest LIMIT $3";

/// $1 digest.
pub(crate) const REPORT: &str =
    "SELECT report, generation, updated, scanners, policy FROM findings WHERE digest = $1";

/// $1 digest.
pub(crate) const CHANGES: &str = "SELECT change, advisory, package, version, severity, \
     generation, job, at FROM changes WHERE digest = $1 ORDER BY id";

/// $1 generation, $2 now.
pub(crate) const INSERT_GENERATION: &str = "INSERT INTO generations (generation, recorded, \
     rechecks) VALUES ($1, $2, 0) ON CONFLICT (generation) DO NOTHING";

/// $1 generation: inventories whose report was matched against other data. Those without a
/// report yet have their first job pending, which matches current data (and queues its own
/// recheck when a generation is recorded while it runs). Reports made without the `vuln`
/// scanner have nothing to match again.
pub(crate) const STALE_INVENTORIES: &str = "SELECT i.digest FROM inventories i \
     JOIN findings f ON f.digest = i.digest \
     WHERE f.generation <> $1 AND f.scanners LIKE '%vuln%' ORDER BY i.digest";

/// $1 generation, $2 count.
pub(crate) const SET_RECHECKS: &str = "UPDATE generations SET rechecks = $2 WHERE generation = $1";

pub(crate) const QUEUE_DEPTH: &str =
    "SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state";

/// Second version: the scanners a job runs and a report covers, the policy verdict stored
/// with a report, and the key `GET /v1/artifacts` pages by.
pub(crate) const SCHEMA_V2: &str = "
ALTER TABLE jobs ADD COLUMN scanners TEXT;
ALTER TABLE findings ADD COLUMN scanners TEXT NOT NULL DEFAULT 'vuln';
ALTER TABLE findings ADD COLUMN policy TEXT;
CREATE INDEX artifacts_page ON artifacts (first_seen, digest);
";

/// Tables of the first schema version. The dialects differ only in types.
pub(crate) fn schema_v1(integer: &str, serial: &str) -> String {
    format!(
        "
CREATE TABLE artifacts (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    names TEXT NOT NULL,
    first_seen {integer} NOT NULL,
    last_seen {integer} NOT NULL,
    last_scanned {integer}
);
CREATE TABLE inventories (
    digest TEXT PRIMARY KEY REFERENCES artifacts (digest) ON DELETE CASCADE,
    document TEXT NOT NULL,
    updated {integer} NOT NULL
);
CREATE TABLE findings (
    digest TEXT PRIMARY KEY REFERENCES artifacts (digest) ON DELETE CASCADE,
    report TEXT NOT NULL,
    generation TEXT NOT NULL,
    critical {integer} NOT NULL,
    high {integer} NOT NULL,
    medium {integer} NOT NULL,
    low {integer} NOT NULL,
    info {integer} NOT NULL,
    updated {integer} NOT NULL
);
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    target TEXT,
    platform TEXT,
    artifact TEXT,
    generation TEXT,
    attempts {integer} NOT NULL DEFAULT 0,
    max_attempts {integer} NOT NULL,
    priority {integer} NOT NULL DEFAULT 0,
    token TEXT,
    lease_until {integer},
    not_before {integer} NOT NULL,
    error TEXT,
    created {integer} NOT NULL,
    started {integer},
    finished {integer}
);
CREATE INDEX jobs_state ON jobs (state, priority, created);
CREATE TABLE changes (
    id {serial} PRIMARY KEY,
    digest TEXT NOT NULL,
    generation TEXT NOT NULL,
    change TEXT NOT NULL,
    advisory TEXT NOT NULL,
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    severity TEXT NOT NULL,
    job TEXT,
    at {integer} NOT NULL
);
CREATE INDEX changes_digest ON changes (digest, id);
CREATE TABLE generations (
    generation TEXT PRIMARY KEY,
    recorded {integer} NOT NULL,
    rechecks {integer} NOT NULL
);
"
    )
}
