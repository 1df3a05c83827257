//! `dockguard server`: the HTTP API, job queue and re-checks of `dockguard-server`, with its
//! settings taken from flags. Everything else lives in that crate (see `docs/server.md`).

use crate::db::DbDir;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The environment variable holding one submit token.
const TOKEN_ENV: &str = "DOCKGUARD_SERVER_TOKEN";

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

    /// API tokens, one `TOKEN ROLE` per line (ROLE: read, or submit which also reads; `#`
    /// starts a comment line). With any token (this file or $DOCKGUARD_SERVER_TOKEN, a submit
    /// token) every request but /healthz needs `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,

    /// Serve the API without tokens on a non-loopback address (only behind a proxy that
    /// authenticates). Without tokens the server otherwise refuses such an address.
    #[arg(long)]
    insecure_no_auth: bool,

    /// Registries scan targets may come from: comma-separated host[:port], `*` and `?`
    /// wildcards [default: any public registry]. Registries on loopback, private or
    /// link-local addresses are refused unless listed exactly (no wildcard).
    #[arg(long, value_name = "LIST")]
    allowed_registries: Option<String>,

    /// dockguard.toml (or .yaml) whose [policy] table gates every new report: the PASS /
    /// WARN / FAIL verdict is stored with it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
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
    if let Some(file) = &args.token_file {
        config.tokens = dockguard_server::Tokens::load(file)?;
    }
    if let Some(token) = std::env::var_os(TOKEN_ENV) {
        let token = token
            .into_string()
            .map_err(|_| anyhow::anyhow!("{TOKEN_ENV}: not UTF-8"))?;
        if !token.trim().is_empty() {
            config
                .tokens
                .add(&token, dockguard_server::Role::Submit, TOKEN_ENV)?;
        }
    }
    config.insecure_no_auth = args.insecure_no_auth;
    if let Some(list) = &args.allowed_registries {
        config.registries = dockguard_server::RegistryRules::parse(list)?;
    }
    if let Some(file) = &args.config {
        if !file.is_file() {
            anyhow::bail!("{}: --config: no such file", file.display());
        }
        config.policy = Some(dockguard_policy::load_policy(file)?.ok_or_else(|| {
            anyhow::anyhow!(
                "{}: --config: no [policy] table (see docs/policy.md)",
                file.display()
            )
        })?);
    }
    // Before the store is opened: a refused exposure should not create or migrate anything.
    config.check_exposure()?;
    let tokens = config.tokens.len();
    let registries = match &args.allowed_registries {
        Some(list) => list.clone(),
        None => "any public".to_string(),
    };
    let store = config.store.clone().unwrap_or_else(|| {
        dockguard_server::Store::default_sqlite_path()
            .display()
            .to_string()
    });
    let workers = config.workers;
    let db_dir = config.db_dir.clone();
    dockguard_server::run(config, |addr| {
        let auth = if tokens == 0 {
            "no authentication".to_string()
        } else {
            format!("{tokens} token(s)")
        };
        eprintln!(
            "dockguard: server listening on http://{addr} (store {}, {workers} worker(s), \
             database {}, {auth}, registries: {registries})",
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
    use super::{redact, run, ServerArgs};
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: ServerArgs,
    }

    fn args(list: &[&str]) -> ServerArgs {
        let mut argv = vec!["server"];
        argv.extend_from_slice(list);
        Cli::try_parse_from(argv).expect("flags").args
    }

    /// Every case fails before the store is opened, so no file or database is touched.
    #[test]
    fn unsafe_or_broken_settings_are_refused_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("never.sqlite3");
        let store = store.to_str().unwrap();
        let tokens = dir.path().join("tokens");
        std::fs::write(&tokens, "# ok\nshort submit\n").unwrap();
        let tokens = tokens.to_str().unwrap();
        let policy = dir.path().join("dockguard.toml");
        std::fs::write(&policy, "[other]\n").unwrap();
        let policy = policy.to_str().unwrap();
        for (flags, want) in [
            (vec!["--listen", "0.0.0.0:0"], "--insecure-no-auth"),
            (vec!["--token-file", tokens], ":2: token is shorter"),
            (
                vec!["--allowed-registries", "a.io/x"],
                "--allowed-registries",
            ),
            (vec!["--config", policy], "no [policy] table"),
        ] {
            let mut all = vec!["--store", store];
            all.extend(flags);
            let e = run(args(&all)).unwrap_err().to_string();
            assert!(e.contains(want), "{all:?}: {e}");
        }
        assert!(!std::path::Path::new(store).exists());
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact("postgres://dg:secret@db:5432/x"),
            "postgres://dg:***@db:5432/x"
        );
        assert_eq!(redact("/var/lib/s.sqlite3"), "/var/lib/s.sqlite3");
    }
}
