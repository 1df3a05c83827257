//! Workers and the database watcher.
//!
//! A worker claims one job at a time, renews its lease while the job runs (so a long image
//! read is not taken over by another worker), and writes the result only if it still holds
//! the claim. A worker that dies simply stops renewing: once the lease expires the job is
//! claimed again, up to the job's attempt limit.

use crate::registries::{registry_reference, RefusalNote};
use crate::store::{Claimed, JobKind, Outcome};
use crate::work::Scanners;
use crate::{work, Shared};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

type Running = Arc<Mutex<HashMap<String, Claimed>>>;

/// The workers of one process.
pub(crate) struct Pool {
    handles: Vec<JoinHandle<()>>,
    running: Running,
}

impl Pool {
    pub(crate) fn start(shared: Arc<Shared>) -> Pool {
        let running: Running = Arc::default();
        let handles = (0..shared.config.workers)
            .map(|_| tokio::spawn(worker(shared.clone(), running.clone())))
            .collect();
        Pool { handles, running }
    }

    /// Waits up to `grace` for running jobs, then gives the unfinished ones back.
    pub(crate) async fn stop(self, shared: &Shared, grace: Duration) {
        let deadline = tokio::time::Instant::now() + grace;
        for h in &self.handles {
            while !h.is_finished() && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        for h in &self.handles {
            h.abort();
        }
        let left: Vec<Claimed> = lock(&self.running).drain().map(|(_, c)| c).collect();
        for job in left {
            match shared.store.release(&job).await {
                Ok(()) => eprintln!("dockguard: server: job {} given back to the queue", job.id),
                Err(e) => eprintln!(
                    "dockguard: server: job {}: cannot give it back ({e}); it is retried when \
                     its lease expires",
                    job.id
                ),
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

async fn worker(shared: Arc<Shared>, running: Running) {
    let shutdown = shared.shutdown.clone();
    loop {
        if *shutdown.borrow() {
            return;
        }
        match shared.store.claim(shared.config.lease).await {
            Ok(Some(job)) => {
                lock(&running).insert(job.id.clone(), job.clone());
                run_job(&shared, &job).await;
                lock(&running).remove(&job.id);
            }
            Ok(None) => {
                let _ =
                    tokio::time::timeout(shared.config.poll_interval, shared.wake.notified()).await;
            }
            Err(e) => {
                eprintln!("dockguard: server: cannot claim a job: {e}");
                tokio::time::sleep(shared.config.poll_interval.max(Duration::from_millis(500)))
                    .await;
            }
        }
    }
}

async fn run_job(shared: &Arc<Shared>, job: &Claimed) {
    let heartbeat = {
        let (shared, job) = (shared.clone(), job.clone());
        tokio::spawn(async move {
            let every = (shared.config.lease / 3).max(Duration::from_millis(50));
            loop {
                tokio::time::sleep(every).await;
                match shared.store.renew(&job, shared.config.lease).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => eprintln!("dockguard: server: job {}: lease renewal: {e}", job.id),
                }
            }
        })
    };
    let result = execute(shared, job).await;
    heartbeat.abort();
    let m = &shared.metrics;
    match result {
        Ok(outcome) => match shared.store.complete(job, outcome).await {
            Ok(true) => {
                m.done.fetch_add(1, Ordering::Relaxed);
            }
            Ok(false) => {
                m.lost.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "dockguard: server: job {}: its lease was taken over; result dropped",
                    job.id
                );
            }
            // The lease runs out and another attempt stores the result.
            Err(e) => eprintln!(
                "dockguard: server: job {}: cannot store the result: {e}",
                job.id
            ),
        },
        Err(error) => {
            let (message, retry) = match error {
                JobError::Retry(m) => {
                    let delay = shared.config.retry_delay * job.attempts.clamp(1, 100) as u32;
                    (m, Some(delay))
                }
                JobError::Refused(m) => (m, None),
            };
            if let Err(e) = shared.store.fail(job, &message, retry).await {
                eprintln!(
                    "dockguard: server: job {}: cannot record failure: {e}",
                    job.id
                );
            }
            m.failed.fetch_add(1, Ordering::Relaxed);
            eprintln!(
                "dockguard: server: job {} ({}) attempt {} failed: {message}",
                job.id,
                job.kind.as_str(),
                job.attempts
            );
        }
    }
}

/// Why a job did not finish: retried later, or refused for good (a retry cannot change a
/// refusal by the registry rules).
pub(crate) enum JobError {
    Retry(String),
    Refused(String),
}

impl From<String> for JobError {
    fn from(m: String) -> Self {
        JobError::Retry(m)
    }
}

impl From<&str> for JobError {
    fn from(m: &str) -> Self {
        JobError::Retry(m.to_string())
    }
}

/// Runs the job's work; the error is the message stored with the job.
async fn execute(shared: &Arc<Shared>, job: &Claimed) -> Result<Outcome, JobError> {
    let db_dir = shared.config.db_dir.clone();
    let policy = shared.config.policy.clone();
    let task = match job.kind {
        JobKind::Scan => {
            let target = job.target.clone().ok_or("scan job without a target")?;
            let platform = job.platform.clone();
            let scanners = job
                .scanners
                .as_deref()
                .map_or(Scanners::ALL, Scanners::from_stored);
            let rules = shared.config.registries.clone();
            tokio::task::spawn_blocking(move || {
                // Checked again before connecting (the name may resolve differently than when
                // the scan was submitted), then on every connection the pull makes.
                if let Some(reference) = registry_reference(&target) {
                    rules
                        .check_blocking(reference)
                        .map_err(|r| JobError::Refused(r.0))?;
                }
                let note = RefusalNote::default();
                let filter = rules.address_filter(note.clone());
                let scanned =
                    work::scan_image(&target, platform.as_deref(), scanners, Some(filter))
                        .map_err(|m| {
                            // A retry meets the same rules: a refused connection fails the job now.
                            if note.lock().is_ok_and(|n| n.is_some()) {
                                JobError::Refused(m)
                            } else {
                                JobError::Retry(m)
                            }
                        })?;
                let m = work::build_report(
                    &db_dir,
                    policy.as_ref(),
                    scanners,
                    &scanned.inventory,
                    vec![scanned.name.clone()],
                    scanned.others,
                    &scanned.subject,
                )?;
                Ok(Outcome {
                    artifact: scanned.digest,
                    artifact_kind: "image".into(),
                    name: Some(scanned.name),
                    inventory: Some(scanned.document),
                    report: m.report,
                    counts: m.counts,
                    generation: m.generation,
                    scanners: scanners.stored(),
                    policy: m.policy,
                    diff: work::diff,
                })
            })
        }
        JobKind::Sbom | JobKind::Recheck => {
            let digest = job.artifact.clone().ok_or("job without an artifact")?;
            let stored = shared
                .store
                .inventory(&digest)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("{digest}: no stored inventory"))?;
            // A recheck matches vulnerabilities again and keeps what the other scanners found;
            // an SBOM's first report has only vulnerabilities.
            let previous = match job.kind {
                JobKind::Recheck => shared
                    .store
                    .report(&digest)
                    .await
                    .map_err(|e| e.to_string())?,
                _ => None,
            };
            tokio::task::spawn_blocking(move || {
                let inventory = work::stored_inventory(&stored.document, &digest)?;
                let scanners = previous
                    .as_ref()
                    .map_or(Scanners::VULN, |p| Scanners::from_stored(&p.scanners));
                let kept = previous.as_ref().and_then(|p| work::previous(&p.report));
                let name = stored.names.first().cloned().unwrap_or(digest.clone());
                let (targets, others, subject) = match kept {
                    Some(k) => (
                        if k.targets.is_empty() {
                            vec![name]
                        } else {
                            k.targets
                        },
                        k.others,
                        k.subject.unwrap_or_else(|| work::sbom_subject(&inventory)),
                    ),
                    None => (vec![name], Vec::new(), work::sbom_subject(&inventory)),
                };
                let m = work::build_report(
                    &db_dir,
                    policy.as_ref(),
                    scanners,
                    &inventory,
                    targets,
                    others,
                    &subject,
                )?;
                Ok(Outcome {
                    artifact: digest,
                    artifact_kind: stored.kind,
                    name: None,
                    inventory: None,
                    report: m.report,
                    counts: m.counts,
                    generation: m.generation,
                    scanners: scanners.stored(),
                    policy: m.policy,
                    diff: work::diff,
                })
            })
        }
    };
    // A panic in a library on hostile input fails the job, not the server.
    task.await.unwrap_or_else(|e| {
        Err(JobError::Retry(format!(
            "internal error while running the job: {e}"
        )))
    })
}

/// Polls the database's generation; a new one queues rechecks (once across all processes
/// sharing the store: the generation's row is the lock).
pub(crate) async fn watch_database(shared: Arc<Shared>) {
    let mut last: Option<String> = None;
    let mut last_error: Option<String> = None;
    let shutdown = shared.shutdown.clone();
    while !*shutdown.borrow() {
        let dir = shared.config.db_dir.clone();
        let generation = tokio::task::spawn_blocking(move || {
            dockguard_vulndb::Database::open(&dir)
                .and_then(|db| db.generation())
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        match generation {
            Ok(g) if last.as_ref() != Some(&g) => {
                match shared
                    .store
                    .record_generation(&g, shared.config.max_attempts)
                    .await
                {
                    Ok(queued) => {
                        if let Some(n) = queued.filter(|n| *n > 0) {
                            eprintln!(
                                "dockguard: server: vulnerability data changed (generation \
                                 {g}): {n} recheck(s) queued"
                            );
                            shared.wake.notify_waiters();
                        }
                        last = Some(g);
                        last_error = None;
                    }
                    Err(e) => eprintln!("dockguard: server: cannot record generation {g}: {e}"),
                }
            }
            Ok(_) => {}
            Err(e) => {
                if last_error.as_ref() != Some(&e) {
                    eprintln!("dockguard: server: vulnerability database: {e}");
                    last_error = Some(e);
                }
            }
        }
        tokio::time::sleep(shared.config.recheck_interval).await;
    }
}
