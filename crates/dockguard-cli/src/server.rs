//! `dockguard server`: the HTTP API, job queue and re-checks of `dockguard-server`, with its
//! settings taken from flags. Everything else lives in that crate (see `docs/server.md`).

use crate::db::DbDir;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// Where to keep artifacts, reports and the job queue: postgres://user:pw@host/db
    /// (shared by several servers), sqlite:PATH or a file path
    /// [default: ~/.cache/dockguard/server/server.sqlite3].
    #[arg(long, value_name = "URL", env = "DOCKGUARD_SERVER_STORE")]
    store: Option<String>,

    #[command(flatten)]
    db: DbDir,

    /// Jobs run at once by this process [default: number of cores]; 0 serves the API only.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,

    /// Let API callers scan files, directories and the Docker daemon of this machine
    /// (oci-dir:, oci-archive:, docker-archive:, dir:, docker:, plain paths). Off: only
    /// registry images and uploaded SBOMs.
    #[arg(long)]
    allow_local_targets: bool,

    /// Seconds between checks of the vulnerability database; a change re-matches every
    /// stored inventory.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    recheck_interval: u64,

    /// Largest SBOM upload in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    max_sbom_size: usize,
}

/// Runs the server until SIGINT/SIGTERM; returns the exit code.
pub fn run(args: ServerArgs) -> anyhow::Result<u8> {
    let mut config = dockguard_server::Config::new(args.listen, args.db.path());
    config.store = args.store;
    if let Some(n) = args.workers {
        config.workers = n;
    }
    config.allow_local_targets = args.allow_local_targets;
    config.recheck_interval = Duration::from_secs(args.recheck_interval.max(1));
    config.max_sbom_bytes = args.max_sbom_size.clamp(1, 4096) << 20;
    let store = config.store.clone().unwrap_or_else(|| {
        dockguard_server::Store::default_sqlite_path()
            .display()
            .to_string()
    });
    let workers = config.workers;
    let db_dir = config.db_dir.clone();
    dockguard_server::run(config, |addr| {
        eprintln!(
            "dockguard: server listening on http://{addr} (store {}, {workers} worker(s), \
             database {})",
            redact(&store),
            db_dir.display()
        );
    })?;
    Ok(0)
}

/// The store location without its password, for logs.
fn redact(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => location.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact("postgres://dg:secret@db:5432/x"),
            "postgres://dg:***@db:5432/x"
        );
        assert_eq!(redact("/var/lib/s.sqlite3"), "/var/lib/s.sqlite3");
    }
}
