//! `dockguard`: one command line for container-image security.
//!
//! This crate owns argument parsing, configuration discovery, exit codes and where output goes.
//! The analysis itself lives in the library crates; `main` only wires sources to analyzers to
//! report writers.

mod audit;
mod config_scan;
mod db;
mod evaluate;
mod inspect;
mod lint;
mod profile;
mod sbom;
mod scan;
mod secrets;
mod server;
mod sign;
mod version;

use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when findings reach the failure threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage errors and unreadable or invalid input.
pub const EXIT_INPUT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "dockguard",
    version,
    about = "Container image security: Dockerfile lint, image inspection and more",
    after_help = "Exit codes: 0 no findings at or above the failure threshold, 1 findings at or \
                  above it, 2 usage or input error."
)]
struct Cli {
    /// Output format: table, json, sarif, checkstyle, gitlab-codequality, junit;
    /// for `sbom` also cyclonedx and spdx.
    #[arg(
        long,
        short = 'f',
        global = true,
        default_value = "table",
        env = "DOCKGUARD_FORMAT"
    )]
    format: String,

    /// Write the report to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Print nothing but the report; no progress or summary on standard error.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,

    /// Colour: auto (only on a terminal), always, never.
    #[arg(long, global = true, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint Dockerfiles: hadolint's DL rules and dockguard's security rules.
    Lint(lint::LintArgs),
    /// Show an image's config, layers and files without a Docker daemon.
    Inspect(inspect::InspectArgs),
    /// Scan an image, directory or SBOM for vulnerabilities and secrets.
    Scan(scan::ScanArgs),
    /// Apply ignores, VEX, the [policy] gate and Rego to a saved JSON report, without rescanning.
    Evaluate(evaluate::EvaluateArgs),
    /// Run the HTTP API: submit images and SBOMs, read findings; stored inventories are
    /// re-checked when the vulnerability database changes.
    Server(server::ServerArgs),
    /// List the packages in an image (or convert an SBOM): CycloneDX, SPDX, JSON or a table.
    Sbom(sbom::SbomArgs),
    /// Find secrets (keys, tokens, passwords) in an image's layers, config and history, or a directory.
    Secrets(secrets::SecretsArgs),
    /// Check an image's configuration and files: root user, setuid files, secrets in ENV, attack surface.
    Config(config_scan::ConfigArgs),
    /// Audit how containers run: docker run lines, Compose, Kubernetes, daemon.json, docker inspect.
    Audit(audit::AuditArgs),
    /// Write and check seccomp profiles.
    Profile(profile::ProfileArgs),
    /// Manage the local vulnerability database (import, update, status, query).
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Version ordering per ecosystem (`version cmp ECOSYSTEM A B`).
    #[command(subcommand)]
    Version(version::VersionCommand),
    /// Manage the layer-analysis cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Manage signing keys (cosign-compatible ECDSA P-256).
    #[command(subcommand)]
    Key(sign::KeyCommand),
    /// Sign an image in a registry or an OCI layout.
    Sign(sign::SignArgs),
    /// Verify an image's signatures; exit code 0 only when a valid one is found.
    Verify(sign::VerifyArgs),
    /// Verify a file against a Sigstore bundle (keyless, offline); exit code 0 only when valid.
    VerifyBlob(sign::VerifyBlobArgs),
    /// Inspect or revoke an image's signatures.
    #[command(subcommand)]
    Trust(sign::TrustCommand),
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// Delete every cached layer analysis.
    Clean {
        /// Cache directory [default: ~/.cache/dockguard].
        #[arg(long, env = "DOCKGUARD_CACHE_DIR")]
        cache_dir: Option<PathBuf>,
    },
}

/// Global output settings every command honours.
pub struct Output {
    pub format: String,
    pub path: Option<PathBuf>,
    pub quiet: bool,
    pub color: bool,
}

impl Output {
    /// Writes the rendered report to the chosen destination; files are replaced atomically so
    /// a crash never leaves half a report where CI expects a whole one.
    pub fn write(
        &self,
        render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        match &self.path {
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                render(&mut lock)?;
                lock.flush()?;
            }
            Some(path) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."));
                let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
                    anyhow::anyhow!("{}: cannot create output: {e}", path.display())
                })?;
                render(&mut tmp)?;
                tmp.flush()?;
                tmp.persist(path)
                    .map_err(|e| anyhow::anyhow!("{}: cannot write output: {e}", path.display()))?;
            }
        }
        Ok(())
    }
}

impl Output {
    /// Like [`Output::write`] for renderers whose errors are not I/O errors.
    pub fn write_result(
        &self,
        render: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut failure = None;
        self.write(|out| {
            if let Err(e) = render(out) {
                failure = Some(e);
            }
            Ok(())
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            cli.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let output = Output {
        format: cli.format,
        path: cli.output,
        quiet: cli.quiet,
        color,
    };
    let result = match cli.command {
        Command::Lint(args) => lint::run(args, &output),
        Command::Inspect(args) => {
            let json = match output.format.as_str() {
                "json" => Ok(true),
                "table" => Ok(false),
                other => Err(anyhow::anyhow!(
                    "inspect writes table or json, not '{other}'"
                )),
            };
            json.and_then(|json| output.write_result(|out| inspect::run(&args, json, out)))
                .map(|()| 0)
        }
        Command::Scan(args) => scan::run(args, &output),
        Command::Evaluate(args) => evaluate::run(args, &output),
        Command::Server(args) => server::run(args),
        Command::Sbom(args) => sbom::run(&args, &output),
        Command::Secrets(args) => secrets::run(args, &output),
        Command::Config(args) => config_scan::run(args, &output),
        Command::Audit(args) => audit::run(args, &output),
        Command::Db(cmd) => db::run(cmd, &output),
        Command::Version(cmd) => version::run(cmd, &output),
        Command::Profile(args) => profile::run(args, &output),
        Command::Key(cmd) => sign::run_key(cmd, &output),
        Command::Sign(args) => sign::run_sign(args, &output),
        Command::Verify(args) => sign::run_verify(args, &output),
        Command::VerifyBlob(args) => sign::run_verify_blob(args, &output),
        Command::Trust(cmd) => sign::run_trust(cmd, &output),
        Command::Cache(CacheCommand::Clean { cache_dir }) => output
            .write_result(|out| inspect::clean_cache(cache_dir.as_deref(), out))
            .map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("dockguard: error: {e:#}");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}
