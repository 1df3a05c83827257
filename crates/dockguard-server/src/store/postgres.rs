//! PostgreSQL backend: a connection pool; claims use `FOR UPDATE SKIP LOCKED` so any number of
//! workers in any number of processes take distinct jobs without waiting on each other.
//!
//! Connections are plain TCP (`NoTls`): run the server next to its database or on a trusted
//! network until TLS is added.

use super::{
    counts_of, merge_names, parse_names, rfc3339_ms, sql, ArtifactSummary, Change, ChangeEvent,
    Claimed, JobInfo, JobKind, NewJob, Outcome, StoredInventory, StoredReport, LEASE_EXPIRED,
};
use crate::Error;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

/// Serialises schema migrations between processes starting at once.
const MIGRATION_LOCK: i64 = 0x646f_636b_6775_6172;

fn migrations() -> Vec<String> {
    vec![
        sql::schema_v1("BIGINT", "BIGSERIAL"),
        sql::SCHEMA_V2.to_string(),
    ]
}

#[derive(Clone)]
pub(crate) struct Postgres {
    pool: Pool,
}

fn pg_err(e: tokio_postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => Error::Store(format!("PostgreSQL: {}: {}", db.severity(), db.message())),
        None => Error::Store(format!("PostgreSQL: {e}")),
    }
}

fn pool_err(e: deadpool_postgres::PoolError) -> Error {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_err(e),
        other => Error::Store(format!("PostgreSQL connection pool: {other}")),
    }
}

impl Postgres {
    pub(crate) async fn open(url: &str) -> Result<Postgres, Error> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| Error::Config(format!("--store: not a PostgreSQL URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Store(format!("PostgreSQL connection pool: {e}")))?;
        let pg = Postgres { pool };
        pg.migrate().await?;
        Ok(pg)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, Error> {
        self.pool.get().await.map_err(pool_err)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg_err)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT PRIMARY KEY, applied BIGINT NOT NULL)",
        )
        .await
        .map_err(pg_err)?;
        let done: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )
            .await
            .map_err(pg_err)?
            .get(0);
        let migrations = migrations();
        if done > migrations.len() as i64 {
            return Err(Error::Store(format!(
                "PostgreSQL store schema version {done} is newer than this dockguard knows ({}); \
                 upgrade dockguard",
                migrations.len()
            )));
        }
        for (i, m) in migrations.iter().enumerate().skip(done as usize) {
            tx.batch_execute(m).await.map_err(pg_err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)",
                &[&(i as i64 + 1), &super::now_ms()],
            )
            .await
            .map_err(pg_err)?;
        }
        tx.commit().await.map_err(pg_err)
    }

    pub(crate) async fn ping(&self) -> Result<(), Error> {
        self.client()
            .await?
            .query_one("SELECT 1", &[])
            .await
            .map(|_| ())
            .map_err(pg_err)
    }

    pub(crate) async fn enqueue(&self, id: &str, job: &NewJob, now: i64) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                sql::ENQUEUE,
                &[
                    &id,
                    &job.kind.as_str(),
                    &job.target,
                    &job.platform,
                    &job.artifact,
                    &job.generation,
                    &(job.max_attempts as i64),
                    &now,
                    &job.scanners,
                ],
            )
            .await
            .map(|_| ())
            .map_err(pg_err)
    }

    pub(crate) async fn claim(
        &self,
        token: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<Claimed>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        tx.execute(sql::EXPIRE, &[&now, &LEASE_EXPIRED])
            .await
            .map_err(pg_err)?;
        let row = tx
            .query_opt(
                &sql::claim("FOR UPDATE SKIP LOCKED"),
                &[&lease_until, &token, &now],
            )
            .await
            .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Claimed {
            id: r.get(0),
            kind: JobKind::parse(r.get(1))?,
            target: r.get(2),
            platform: r.get(3),
            artifact: r.get(4),
            generation: r.get(5),
            attempts: r.get(6),
            token: r.get(7),
            started: r.get(8),
            scanners: r.get(9),
        }))
    }

    pub(crate) async fn renew(
        &self,
        id: &str,
        token: &str,
        lease_until: i64,
    ) -> Result<bool, Error> {
        self.client()
            .await?
            .execute(sql::RENEW, &[&id, &token, &lease_until])
            .await
            .map(|n| n == 1)
            .map_err(pg_err)
    }

    pub(crate) async fn complete(
        &self,
        job: &Claimed,
        o: Outcome,
        now: i64,
    ) -> Result<bool, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let owned = tx
            .query_opt(
                &format!("{} FOR UPDATE", sql::OWNED),
                &[&job.id, &job.token],
            )
            .await
            .map_err(pg_err)?;
        let Some(owned) = owned else {
            return Ok(false);
        };
        let max_attempts: i64 = owned.get(0);
        if o.name.is_some() {
            // Locks the artifact row (when there is one) so concurrent name merges serialise.
            let names: Option<String> = tx
                .query_opt(
                    "SELECT names FROM artifacts WHERE digest = $1 FOR UPDATE",
                    &[&o.artifact],
                )
                .await
                .map_err(pg_err)?
                .map(|r| r.get(0));
            let names = merge_names(names.as_deref(), o.name.as_deref());
            tx.execute(
                sql::UPSERT_ARTIFACT_SCANNED,
                &[&o.artifact, &o.artifact_kind, &names, &now],
            )
            .await
            .map_err(pg_err)?;
        } else {
            tx.execute(sql::ARTIFACT_MATCHED, &[&o.artifact, &now])
                .await
                .map_err(pg_err)?;
        }
        if let Some(doc) = &o.inventory {
            tx.execute(sql::UPSERT_INVENTORY, &[&o.artifact, doc, &now])
                .await
                .map_err(pg_err)?;
        }
        let previous: Option<String> = tx
            .query_opt(
                "SELECT report FROM findings WHERE digest = $1 FOR UPDATE",
                &[&o.artifact],
            )
            .await
            .map_err(pg_err)?
            .map(|r| r.get(0));
        if let Some(prev) = previous {
            for e in (o.diff)(&prev, &o.report) {
                tx.execute(
                    sql::INSERT_CHANGE,
                    &[
                        &o.artifact,
                        &o.generation,
                        &e.change,
                        &e.advisory,
                        &e.package,
                        &e.version,
                        &e.severity,
                        &job.id,
                        &now,
                    ],
                )
                .await
                .map_err(pg_err)?;
            }
        }
        let [cr, hi, me, lo, inf] = o.counts;
        tx.execute(
            sql::UPSERT_FINDINGS,
            &[
                &o.artifact,
                &o.report,
                &o.generation,
                &cr,
                &hi,
                &me,
                &lo,
                &inf,
                &now,
                &o.scanners,
                &o.policy,
            ],
        )
        .await
        .map_err(pg_err)?;
        tx.execute(sql::DONE, &[&job.id, &o.artifact, &now])
            .await
            .map_err(pg_err)?;
        let latest = tx
            .query_opt(sql::LATEST_GENERATION, &[])
            .await
            .map_err(pg_err)?;
        if let Some(r) = latest {
            let (g, recorded): (String, i64) = (r.get(0), r.get(1));
            // A generation recorded after this job started queued rechecks only for the
            // inventories stored then: this artifact may have missed it.
            if o.matches_vulnerabilities() && g != o.generation && recorded >= job.started {
                tx.execute(
                    sql::ENQUEUE,
                    &[
                        &super::new_id(),
                        &JobKind::Recheck.as_str(),
                        &None::<String>,
                        &None::<String>,
                        &o.artifact,
                        &g,
                        &max_attempts,
                        &now,
                        &None::<String>,
                    ],
                )
                .await
                .map_err(pg_err)?;
            }
        }
        tx.commit().await.map_err(pg_err)?;
        Ok(true)
    }

    pub(crate) async fn fail(
        &self,
        job: &Claimed,
        error: &str,
        not_before: Option<i64>,
        now: i64,
    ) -> Result<(), Error> {
        self.client()
            .await?
            .execute(sql::FAIL, &[&job.id, &job.token, &error, &not_before, &now])
            .await
            .map(|_| ())
            .map_err(pg_err)
    }

    pub(crate) async fn release(&self, job: &Claimed) -> Result<(), Error> {
        self.client()
            .await?
            .execute(sql::RELEASE, &[&job.id, &job.token])
            .await
            .map(|_| ())
            .map_err(pg_err)
    }

    pub(crate) async fn job(&self, id: &str) -> Result<Option<JobInfo>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(sql::JOB, &[&id])
            .await
            .map_err(pg_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(JobInfo {
            id: r.get(0),
            kind: JobKind::parse(r.get(1))?,
            status: r.get(2),
            target: r.get(3),
            platform: r.get(4),
            artifact: r.get(5),
            generation: r.get(6),
            scanners: super::scanner_list(r.get(12)),
            attempts: r.get(7),
            error: r.get(8),
            created: rfc3339_ms(r.get(9)),
            started: r.get::<_, Option<i64>>(10).map(rfc3339_ms),
            finished: r.get::<_, Option<i64>>(11).map(rfc3339_ms),
        }))
    }

    pub(crate) async fn put_inventory(
        &self,
        digest: &str,
        kind: &str,
        name: &str,
        document: &str,
        now: i64,
    ) -> Result<(), Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let names: Option<String> = tx
            .query_opt(
                "SELECT names FROM artifacts WHERE digest = $1 FOR UPDATE",
                &[&digest],
            )
            .await
            .map_err(pg_err)?
            .map(|r| r.get(0));
        let names = merge_names(names.as_deref(), Some(name));
        tx.execute(sql::UPSERT_ARTIFACT_SEEN, &[&digest, &kind, &names, &now])
            .await
            .map_err(pg_err)?;
        tx.execute(sql::UPSERT_INVENTORY, &[&digest, &document, &now])
            .await
            .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)
    }

    pub(crate) async fn inventory(&self, digest: &str) -> Result<Option<StoredInventory>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(sql::INVENTORY, &[&digest])
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| StoredInventory {
            document: r.get(0),
            kind: r.get(1),
            names: parse_names(r.get(2)),
        }))
    }

    pub(crate) async fn artifacts(
        &self,
        after_ms: i64,
        after_digest: &str,
        limit: i64,
    ) -> Result<Vec<ArtifactSummary>, Error> {
        let rows = self
            .client()
            .await?
            .query(sql::ARTIFACTS_PAGE, &[&after_ms, &after_digest, &limit])
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| ArtifactSummary {
                digest: r.get(0),
                kind: r.get(1),
                names: parse_names(r.get(2)),
                first_seen: rfc3339_ms(r.get(3)),
                last_seen: rfc3339_ms(r.get(4)),
                last_scanned: r.get::<_, Option<i64>>(5).map(rfc3339_ms),
                generation: r.get(6),
                counts: counts_of([r.get(7), r.get(8), r.get(9), r.get(10), r.get(11)]),
                policy: super::policy_value(r.get(12)),
                first_seen_ms: r.get(3),
            })
            .collect())
    }

    pub(crate) async fn has_artifact(&self, digest: &str) -> Result<bool, Error> {
        self.client()
            .await?
            .query_opt("SELECT 1 FROM artifacts WHERE digest = $1", &[&digest])
            .await
            .map(|r| r.is_some())
            .map_err(pg_err)
    }

    pub(crate) async fn report(&self, digest: &str) -> Result<Option<StoredReport>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(sql::REPORT, &[&digest])
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| StoredReport {
            report: r.get(0),
            generation: r.get(1),
            updated: r.get(2),
            scanners: r.get(3),
            policy: r.get(4),
        }))
    }

    pub(crate) async fn changes(&self, digest: &str) -> Result<Vec<Change>, Error> {
        let rows = self
            .client()
            .await?
            .query(sql::CHANGES, &[&digest])
            .await
            .map_err(pg_err)?;
        Ok(rows
            .iter()
            .map(|r| Change {
                event: ChangeEvent {
                    change: r.get(0),
                    advisory: r.get(1),
                    package: r.get(2),
                    version: r.get(3),
                    severity: r.get(4),
                },
                generation: r.get(5),
                job: r.get(6),
                at: rfc3339_ms(r.get(7)),
            })
            .collect())
    }

    pub(crate) async fn record_generation(
        &self,
        generation: &str,
        max_attempts: u32,
        now: i64,
    ) -> Result<Option<u64>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let inserted = tx
            .execute(sql::INSERT_GENERATION, &[&generation, &now])
            .await
            .map_err(pg_err)?;
        if inserted == 0 {
            return Ok(None);
        }
        let digests: Vec<String> = tx
            .query(sql::STALE_INVENTORIES, &[&generation])
            .await
            .map_err(pg_err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let enqueue = tx.prepare(sql::ENQUEUE).await.map_err(pg_err)?;
        for d in &digests {
            tx.execute(
                &enqueue,
                &[
                    &super::new_id(),
                    &JobKind::Recheck.as_str(),
                    &None::<String>,
                    &None::<String>,
                    d,
                    &generation,
                    &(max_attempts as i64),
                    &now,
                    &None::<String>,
                ],
            )
            .await
            .map_err(pg_err)?;
        }
        tx.execute(sql::SET_RECHECKS, &[&generation, &(digests.len() as i64)])
            .await
            .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)?;
        Ok(Some(digests.len() as u64))
    }

    pub(crate) async fn latest_generation(&self) -> Result<Option<String>, Error> {
        Ok(self
            .client()
            .await?
            .query_opt(sql::LATEST_GENERATION, &[])
            .await
            .map_err(pg_err)?
            .map(|r| r.get(0)))
    }

    pub(crate) async fn queue_depth(&self) -> Result<Vec<(String, i64)>, Error> {
        Ok(self
            .client()
            .await?
            .query(sql::QUEUE_DEPTH, &[])
            .await
            .map_err(pg_err)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    pub(crate) async fn artifact_count(&self) -> Result<i64, Error> {
        Ok(self
            .client()
            .await?
            .query_one("SELECT count(*) FROM artifacts", &[])
            .await
            .map_err(pg_err)?
            .get(0))
    }
}
