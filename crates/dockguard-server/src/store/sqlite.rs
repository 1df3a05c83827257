//! SQLite backend: one connection per process behind a mutex, used on blocking threads.
//! Claims and completions are IMMEDIATE transactions, so several processes on one file are
//! serialised by SQLite's write lock (WAL keeps readers going meanwhile).

use super::{
    counts_of, merge_names, parse_names, rfc3339_ms, ArtifactSummary, Change, ChangeEvent, Claimed,
    JobInfo, JobKind, NewJob, Outcome, StoredInventory, StoredReport, LEASE_EXPIRED,
};
use crate::Error;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Versioned migrations, applied in order; `schema_migrations` records which ran.
fn migrations() -> Vec<String> {
    vec![
        super::sql::schema_v1("INTEGER", "INTEGER"),
        super::sql::SCHEMA_V2.to_string(),
    ]
}

#[derive(Clone)]
pub(crate) struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    path: Arc<PathBuf>,
}

/// The same SQL text serves both backends: `$N` placeholders become SQLite's `?N`.
fn q(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Sqlite {
    pub(crate) async fn open(path: &Path) -> Result<Sqlite, Error> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || Sqlite::open_blocking(&path))
            .await
            .map_err(|e| Error::Store(format!("SQLite open task: {e}")))?
    }

    fn open_blocking(path: &Path) -> Result<Sqlite, Error> {
        let err = |e: rusqlite::Error| Error::Store(format!("{}: {e}", path.display()));
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Store(format!("{}: cannot create: {e}", dir.display())))?;
        }
        let mut conn = Connection::open(path).map_err(err)?;
        // Other processes on the same file hold the write lock briefly; wait instead of failing.
        conn.busy_timeout(Duration::from_secs(30)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)",
            )
            .map_err(err)?;
            let done: i64 = tx
                .query_row(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations",
                    [],
                    |r| r.get(0),
                )
                .map_err(err)?;
            let migrations = migrations();
            if done > migrations.len() as i64 {
                return Err(Error::Store(format!(
                    "{}: store schema version {done} is newer than this dockguard knows ({}); \
                     upgrade dockguard",
                    path.display(),
                    migrations.len()
                )));
            }
            for (i, m) in migrations.iter().enumerate().skip(done as usize) {
                tx.execute_batch(m).map_err(err)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied) VALUES (?1, ?2)",
                    params![i as i64 + 1, super::now_ms()],
                )
                .map_err(err)?;
            }
            tx.commit().map_err(err)?;
        }
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::new(path.to_path_buf()),
        })
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, Error> {
        let conn = self.conn.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            // A panic elsewhere while holding the lock leaves SQLite consistent: keep going.
            let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut c).map_err(|e| Error::Store(format!("{}: {e}", path.display())))
        })
        .await
        .map_err(|e| Error::Store(format!("SQLite task: {e}")))?
    }

    pub(crate) async fn ping(&self) -> Result<(), Error> {
        self.with(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    pub(crate) async fn enqueue(&self, id: &str, job: &NewJob, now: i64) -> Result<(), Error> {
        let (id, job) = (id.to_string(), job.clone());
        self.with(move |c| {
            c.execute(
                &q(super::sql::ENQUEUE),
                params![
                    id,
                    job.kind.as_str(),
                    job.target,
                    job.platform,
                    job.artifact,
                    job.generation,
                    job.max_attempts as i64,
                    now,
                    job.scanners
                ],
            )
            .map(|_| ())
        })
        .await
    }

    pub(crate) async fn claim(
        &self,
        token: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<Claimed>, Error> {
        let token = token.to_string();
        let row = self
            .with(move |c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(&q(super::sql::EXPIRE), params![now, LEASE_EXPIRED])?;
                let row = tx
                    .query_row(
                        &q(&super::sql::claim("")),
                        params![lease_until, token, now],
                        claimed_row,
                    )
                    .optional()?;
                tx.commit()?;
                Ok(row)
            })
            .await?;
        row.map(|(kind, mut c)| {
            c.kind = JobKind::parse(&kind)?;
            Ok(c)
        })
        .transpose()
    }

    pub(crate) async fn renew(
        &self,
        id: &str,
        token: &str,
        lease_until: i64,
    ) -> Result<bool, Error> {
        let (id, token) = (id.to_string(), token.to_string());
        self.with(move |c| {
            c.execute(&q(super::sql::RENEW), params![id, token, lease_until])
                .map(|n| n == 1)
        })
        .await
    }

    pub(crate) async fn complete(
        &self,
        job: &Claimed,
        outcome: Outcome,
        now: i64,
    ) -> Result<bool, Error> {
        let job = job.clone();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let max_attempts: Option<i64> = tx
                .query_row(&q(super::sql::OWNED), params![job.id, job.token], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(max_attempts) = max_attempts else {
                return Ok(false);
            };
            let o = &outcome;
            if o.name.is_some() {
                let names: Option<String> = tx
                    .query_row(
                        "SELECT names FROM artifacts WHERE digest = ?1",
                        [&o.artifact],
                        |r| r.get(0),
                    )
                    .optional()?;
                let names = merge_names(names.as_deref(), o.name.as_deref());
                tx.execute(
                    &q(super::sql::UPSERT_ARTIFACT_SCANNED),
                    params![o.artifact, o.artifact_kind, names, now],
                )?;
            } else {
                tx.execute(&q(super::sql::ARTIFACT_MATCHED), params![o.artifact, now])?;
            }
            if let Some(doc) = &o.inventory {
                tx.execute(
                    &q(super::sql::UPSERT_INVENTORY),
                    params![o.artifact, doc, now],
                )?;
            }
            let previous: Option<String> = tx
                .query_row(
                    "SELECT report FROM findings WHERE digest = ?1",
                    [&o.artifact],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(prev) = previous {
                for e in (o.diff)(&prev, &o.report) {
                    tx.execute(
                        &q(super::sql::INSERT_CHANGE),
                        params![
                            o.artifact,
                            o.generation,
                            e.change,
                            e.advisory,
                            e.package,
                            e.version,
                            e.severity,
                            job.id,
                            now
                        ],
                    )?;
                }
            }
            let [cr, hi, me, lo, inf] = o.counts;
            tx.execute(
                &q(super::sql::UPSERT_FINDINGS),
                params![
                    o.artifact,
                    o.report,
                    o.generation,
                    cr,
                    hi,
                    me,
                    lo,
                    inf,
                    now,
                    o.scanners,
                    o.policy
                ],
            )?;
            tx.execute(&q(super::sql::DONE), params![job.id, o.artifact, now])?;
            let latest: Option<(String, i64)> = tx
                .query_row(super::sql::LATEST_GENERATION, [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((g, recorded)) = latest {
                // A generation recorded after this job started queued rechecks only for the
                // inventories stored then: this artifact may have missed it.
                if o.matches_vulnerabilities() && g != o.generation && recorded >= job.started {
                    tx.execute(
                        &q(super::sql::ENQUEUE),
                        params![
                            super::new_id(),
                            JobKind::Recheck.as_str(),
                            None::<String>,
                            None::<String>,
                            o.artifact,
                            g,
                            max_attempts,
                            now,
                            None::<String>
                        ],
                    )?;
                }
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    pub(crate) async fn fail(
        &self,
        job: &Claimed,
        error: &str,
        not_before: Option<i64>,
        now: i64,
    ) -> Result<(), Error> {
        let (id, token, error) = (job.id.clone(), job.token.clone(), error.to_string());
        self.with(move |c| {
            c.execute(
                &q(super::sql::FAIL),
                params![id, token, error, not_before, now],
            )
            .map(|_| ())
        })
        .await
    }

    pub(crate) async fn release(&self, job: &Claimed) -> Result<(), Error> {
        let (id, token) = (job.id.clone(), job.token.clone());
        self.with(move |c| {
            c.execute(&q(super::sql::RELEASE), params![id, token])
                .map(|_| ())
        })
        .await
    }

    pub(crate) async fn job(&self, id: &str) -> Result<Option<JobInfo>, Error> {
        let id = id.to_string();
        let row = self
            .with(move |c| {
                c.query_row(&q(super::sql::JOB), [id], |r| {
                    Ok((
                        r.get::<_, String>(1)?,
                        JobInfo {
                            id: r.get(0)?,
                            kind: JobKind::Scan,
                            status: r.get(2)?,
                            target: r.get(3)?,
                            platform: r.get(4)?,
                            artifact: r.get(5)?,
                            generation: r.get(6)?,
                            scanners: super::scanner_list(r.get(12)?),
                            attempts: r.get(7)?,
                            error: r.get(8)?,
                            created: rfc3339_ms(r.get(9)?),
                            started: r.get::<_, Option<i64>>(10)?.map(rfc3339_ms),
                            finished: r.get::<_, Option<i64>>(11)?.map(rfc3339_ms),
                        },
                    ))
                })
                .optional()
            })
            .await?;
        row.map(|(kind, mut info)| {
            info.kind = JobKind::parse(&kind)?;
            Ok(info)
        })
        .transpose()
    }

    pub(crate) async fn put_inventory(
        &self,
        digest: &str,
        kind: &str,
        name: &str,
        document: &str,
        now: i64,
    ) -> Result<(), Error> {
        let (digest, kind, name, document) = (
            digest.to_string(),
            kind.to_string(),
            name.to_string(),
            document.to_string(),
        );
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let names: Option<String> = tx
                .query_row(
                    "SELECT names FROM artifacts WHERE digest = ?1",
                    [&digest],
                    |r| r.get(0),
                )
                .optional()?;
            let names = merge_names(names.as_deref(), Some(&name));
            tx.execute(
                &q(super::sql::UPSERT_ARTIFACT_SEEN),
                params![digest, kind, names, now],
            )?;
            tx.execute(
                &q(super::sql::UPSERT_INVENTORY),
                params![digest, document, now],
            )?;
            tx.commit()
        })
        .await
    }

    pub(crate) async fn inventory(&self, digest: &str) -> Result<Option<StoredInventory>, Error> {
        let digest = digest.to_string();
        self.with(move |c| {
            c.query_row(&q(super::sql::INVENTORY), [digest], |r| {
                Ok(StoredInventory {
                    document: r.get(0)?,
                    kind: r.get(1)?,
                    names: parse_names(&r.get::<_, String>(2)?),
                })
            })
            .optional()
        })
        .await
    }

    pub(crate) async fn artifacts(
        &self,
        after_ms: i64,
        after_digest: &str,
        limit: i64,
    ) -> Result<Vec<ArtifactSummary>, Error> {
        let after_digest = after_digest.to_string();
        self.with(move |c| {
            let mut st = c.prepare(&q(super::sql::ARTIFACTS_PAGE))?;
            let rows = st.query_map(params![after_ms, after_digest, limit], |r| {
                Ok(ArtifactSummary {
                    digest: r.get(0)?,
                    kind: r.get(1)?,
                    names: parse_names(&r.get::<_, String>(2)?),
                    first_seen: rfc3339_ms(r.get(3)?),
                    last_seen: rfc3339_ms(r.get(4)?),
                    last_scanned: r.get::<_, Option<i64>>(5)?.map(rfc3339_ms),
                    generation: r.get(6)?,
                    counts: counts_of([r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?]),
                    policy: super::policy_value(r.get(12)?),
                    first_seen_ms: r.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn has_artifact(&self, digest: &str) -> Result<bool, Error> {
        let digest = digest.to_string();
        self.with(move |c| {
            c.query_row(
                "SELECT 1 FROM artifacts WHERE digest = ?1",
                [digest],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
        })
        .await
    }

    pub(crate) async fn report(&self, digest: &str) -> Result<Option<StoredReport>, Error> {
        let digest = digest.to_string();
        self.with(move |c| {
            c.query_row(&q(super::sql::REPORT), [digest], |r| {
                Ok(StoredReport {
                    report: r.get(0)?,
                    generation: r.get(1)?,
                    updated: r.get(2)?,
                    scanners: r.get(3)?,
                    policy: r.get(4)?,
                })
            })
            .optional()
        })
        .await
    }

    pub(crate) async fn changes(&self, digest: &str) -> Result<Vec<Change>, Error> {
        let digest = digest.to_string();
        self.with(move |c| {
            let mut st = c.prepare(&q(super::sql::CHANGES))?;
            let rows = st.query_map([digest], |r| {
                Ok(Change {
                    event: ChangeEvent {
                        change: r.get(0)?,
                        advisory: r.get(1)?,
                        package: r.get(2)?,
                        version: r.get(3)?,
                        severity: r.get(4)?,
                    },
                    generation: r.get(5)?,
                    job: r.get(6)?,
                    at: rfc3339_ms(r.get(7)?),
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn record_generation(
        &self,
        generation: &str,
        max_attempts: u32,
        now: i64,
    ) -> Result<Option<u64>, Error> {
        let generation = generation.to_string();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted =
                tx.execute(&q(super::sql::INSERT_GENERATION), params![generation, now])?;
            if inserted == 0 {
                return Ok(None);
            }
            let digests: Vec<String> = {
                let mut st = tx.prepare(&q(super::sql::STALE_INVENTORIES))?;
                let rows = st.query_map([&generation], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for d in &digests {
                tx.execute(
                    &q(super::sql::ENQUEUE),
                    params![
                        super::new_id(),
                        JobKind::Recheck.as_str(),
                        None::<String>,
                        None::<String>,
                        d,
                        generation,
                        max_attempts as i64,
                        now,
                        None::<String>
                    ],
                )?;
            }
            tx.execute(
                &q(super::sql::SET_RECHECKS),
                params![generation, digests.len() as i64],
            )?;
            tx.commit()?;
            Ok(Some(digests.len() as u64))
        })
        .await
    }

    pub(crate) async fn latest_generation(&self) -> Result<Option<String>, Error> {
        self.with(|c| {
            c.query_row(super::sql::LATEST_GENERATION, [], |r| r.get(0))
                .optional()
        })
        .await
    }

    pub(crate) async fn queue_depth(&self) -> Result<Vec<(String, i64)>, Error> {
        self.with(|c| {
            let mut st = c.prepare(super::sql::QUEUE_DEPTH)?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
        .await
    }

    pub(crate) async fn artifact_count(&self) -> Result<i64, Error> {
        self.with(|c| c.query_row("SELECT count(*) FROM artifacts", [], |r| r.get(0)))
            .await
    }
}

fn claimed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Claimed)> {
    Ok((
        r.get(1)?,
        Claimed {
            id: r.get(0)?,
            token: r.get(7)?,
            kind: JobKind::Scan,
            target: r.get(2)?,
            platform: r.get(3)?,
            artifact: r.get(4)?,
            generation: r.get(5)?,
            attempts: r.get(6)?,
            started: r.get(8)?,
            scanners: r.get(9)?,
        },
    ))
}
