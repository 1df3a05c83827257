//! `dockguard server`: scanning as a service. An HTTP API accepts images and SBOMs, a job
//! queue hands them to workers, and every inventory is kept so it can be matched again when
//! the vulnerability database changes, with the advisories that appeared or went away recorded
//! per artifact.
//!
//! This crate owns the server's store (SQLite by default, PostgreSQL for several processes:
//! [`Store`]), its schema migrations, the queue's claim/lease/retry rules, the HTTP API under
//! `/v1` with its bearer-token authentication, the registry rules that keep API callers from
//! pointing the server at the internal network, and the database watcher. Reading images, cataloguing, SBOM formats and matching are
//! the library crates `dockguard scan` uses; CPU work runs on blocking threads, never on the
//! async executor. See `docs/server.md` for the API and operations.

mod api;
mod auth;
mod registries;
pub mod store;
mod work;
mod workers;

pub use auth::{Role, Tokens, MAX_TOKEN_FILE, MIN_TOKEN_LEN};
pub use registries::RegistryRules;
pub use store::{
    ArtifactSummary, Change, ChangeEvent, Claimed, Cursor, JobInfo, JobKind, NewJob, Store,
    StoredReport,
};
pub use work::diff;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Errors of the server. Messages say which part failed and why.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting is unusable.
    #[error("{0}")]
    Config(String),
    /// The store failed (connection, SQL, migration).
    #[error("store: {0}")]
    Store(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Store location: `postgres://…`, `sqlite:PATH` or a path; `None` for
    /// [`Store::default_sqlite_path`].
    pub store: Option<String>,
    /// The vulnerability database directory.
    pub db_dir: PathBuf,
    /// Workers in this process (0: none; the process only serves the API).
    pub workers: usize,
    /// Let API callers scan paths on this machine (`oci-dir:`, `dir:`, archives, the Docker
    /// daemon). Off by default: the server would otherwise read any file it can.
    pub allow_local_targets: bool,
    /// Bearer tokens the API accepts; empty: no authentication.
    pub tokens: Tokens,
    /// Listen on a non-loopback address without tokens. Off: such a start is refused, so a
    /// default start never exposes an open API.
    pub insecure_no_auth: bool,
    /// Registries scan targets may come from.
    pub registries: RegistryRules,
    /// The `[policy]` gate evaluated on every new report.
    pub policy: Option<dockguard_policy::Policy>,
    /// How often the database's generation is checked.
    pub recheck_interval: Duration,
    /// How long a claimed job stays with its worker without a renewal.
    pub lease: Duration,
    /// Attempts before a job is failed for good.
    pub max_attempts: u32,
    /// Wait before a failed attempt is retried (multiplied by the attempt number).
    pub retry_delay: Duration,
    /// How often idle workers look for jobs other processes queued.
    pub poll_interval: Duration,
    /// Largest SBOM body accepted.
    pub max_sbom_bytes: usize,
    /// How long shutdown waits for running jobs before giving them back to the queue.
    pub shutdown_grace: Duration,
}

impl Config {
    /// Defaults: SQLite store, workers = cores, no tokens (loopback only), any public
    /// registry, no policy, recheck every 60 s, 5-minute leases renewed while a job runs,
    /// 3 attempts, SBOMs up to 64 MiB.
    pub fn new(listen: SocketAddr, db_dir: PathBuf) -> Config {
        Config {
            listen,
            store: None,
            db_dir,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            allow_local_targets: false,
            tokens: Tokens::default(),
            insecure_no_auth: false,
            registries: RegistryRules::any(),
            policy: None,
            recheck_interval: Duration::from_secs(60),
            lease: Duration::from_secs(300),
            max_attempts: 3,
            retry_delay: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
            max_sbom_bytes: 64 << 20,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

impl Config {
    /// Refuses an unauthenticated API on anything but loopback, unless asked for explicitly.
    pub fn check_exposure(&self) -> Result<(), Error> {
        if self.tokens.is_empty() && !self.insecure_no_auth && !self.listen.ip().is_loopback() {
            return Err(Error::Config(format!(
                "refusing to listen on {} without authentication: anyone who can reach it could \
                 submit scans and read every report. Configure tokens (--token-file FILE or \
                 DOCKGUARD_SERVER_TOKEN), listen on a loopback address, or pass \
                 --insecure-no-auth if a proxy in front authenticates",
                self.listen
            )));
        }
        Ok(())
    }
}

/// Counters this process keeps for `/metrics`.
#[derive(Default)]
pub(crate) struct Metrics {
    pub done: std::sync::atomic::AtomicU64,
    pub failed: std::sync::atomic::AtomicU64,
    pub lost: std::sync::atomic::AtomicU64,
}

/// State shared by the API, the workers and the watcher.
pub(crate) struct Shared {
    pub store: Store,
    pub config: Config,
    pub metrics: Metrics,
    /// Wakes idle workers when this process queues a job.
    pub wake: tokio::sync::Notify,
    pub shutdown: watch::Receiver<bool>,
}

/// A running server: HTTP listener, workers and database watcher.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    http: JoinHandle<()>,
    workers: workers::Pool,
    watcher: JoinHandle<()>,
}

impl Server {
    /// Opens the store (applying migrations), binds the listener and starts the workers and
    /// the watcher. Must be called inside a multi-threaded Tokio runtime.
    pub async fn start(config: Config) -> Result<Server, Error> {
        let location = match &config.store {
            Some(s) => s.clone(),
            None => Store::default_sqlite_path().display().to_string(),
        };
        let store = Store::open(&location).await?;
        Server::start_with_store(config, store).await
    }

    /// [`Server::start`] with a store already opened.
    pub async fn start_with_store(config: Config, store: Store) -> Result<Server, Error> {
        config.check_exposure()?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| Error::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            store,
            config,
            metrics: Metrics::default(),
            wake: tokio::sync::Notify::new(),
            shutdown,
        });
        let app = api::router(shared.clone());
        let mut http_stop = shared.shutdown.clone();
        let http = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = http_stop.wait_for(|s| *s).await;
            });
            if let Err(e) = serve.await {
                eprintln!("dockguard: server: HTTP server stopped: {e}");
            }
        });
        let workers = workers::Pool::start(shared.clone());
        let watcher = tokio::spawn(workers::watch_database(shared.clone()));
        Ok(Server {
            addr,
            shared,
            stop,
            http,
            workers,
            watcher,
        })
    }

    /// The address the API listens on (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store this server uses.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// Stops accepting requests and jobs, waits up to the configured grace for running jobs,
    /// gives the rest back to the queue, and returns when everything has stopped.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.shared.wake.notify_waiters();
        self.watcher.abort();
        self.workers
            .stop(&self.shared, self.shared.config.shutdown_grace)
            .await;
        let _ = self.http.await;
    }
}

/// Runs a server until SIGINT or SIGTERM: the whole of `dockguard server`. `ready` is called
/// with the listening address once requests are accepted.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("dockguard-server")
        .build()?;
    runtime.block_on(async {
        let server = Server::start(config).await?;
        ready(server.local_addr());
        wait_for_signal().await;
        eprintln!("dockguard: server: shutting down");
        server.shutdown().await;
        Ok::<(), Error>(())
    })?;
    // Blocking work a job left behind (an image still being read) is not waited for: its job
    // was already given back to the queue.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

async fn wait_for_signal() {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(2);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
            if let Ok(mut s) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    s.recv().await;
                    let _ = tx.send(()).await;
                });
            }
        }
    }
    let ctrl_c = tx.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = ctrl_c.send(()).await;
        }
    });
    drop(tx);
    rx.recv().await;
}
