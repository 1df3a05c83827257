//! `dockguard db`: import, update, inspect and query the local vulnerability database.
//!
//! The database lives in `--db-dir` (or `$DOCKGUARD_DB_DIR`, default `~/.cache/dockguard/db`);
//! its format and update rules are documented in `docs/vulndb.md`.

use crate::Output;
use dockguard_vulndb::{Advisory, Database, UpdateOptions, DEFAULT_MIRROR};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Where the database is.
#[derive(Debug, Clone, clap::Args)]
pub struct DbDir {
    /// Vulnerability database directory [default: ~/.cache/dockguard/db].
    #[arg(long, env = "DOCKGUARD_DB_DIR", value_name = "DIR")]
    pub db_dir: Option<PathBuf>,
}

impl DbDir {
    pub fn path(&self) -> PathBuf {
        self.db_dir
            .clone()
            .unwrap_or_else(dockguard_vulndb::default_dir)
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum DbCommand {
    /// Import OSV data: a copy of the OSV bucket (<Ecosystem>/all.zip directories), one
    /// all.zip or zip of records, or a directory of <ID>.json files.
    Import {
        /// File or directory to import.
        path: PathBuf,
        #[command(flatten)]
        dir: DbDir,
    },
    /// Download all.zip for each ecosystem (default: those in the database and those recent
    /// scans needed), skipping unchanged ones.
    Update {
        /// Ecosystems to fetch, as the bucket names them (Debian, Alpine, PyPI, npm, Go, …).
        ecosystems: Vec<String>,
        /// Base URL of the bucket or a mirror (http://, https:// or file://).
        #[arg(long, value_name = "URL", env = "DOCKGUARD_DB_MIRROR", default_value = DEFAULT_MIRROR)]
        mirror: String,
        #[command(flatten)]
        dir: DbDir,
    },
    /// List each ecosystem with its record count, source and last update.
    Status {
        #[command(flatten)]
        dir: DbDir,
    },
    /// List the advisories that affect one package version.
    Query {
        /// OSV ecosystem, e.g. Debian:12, Alpine:v3.19, PyPI, npm, Go, Maven.
        ecosystem: String,
        /// Package name (for distributions: the source package).
        name: String,
        version: String,
        #[command(flatten)]
        dir: DbDir,
    },
}

fn json_or_table(output: &Output) -> anyhow::Result<bool> {
    match output.format.as_str() {
        "json" => Ok(true),
        "table" => Ok(false),
        other => anyhow::bail!("db commands write table or json, not '{other}'"),
    }
}

/// Runs a `db` subcommand; returns the exit code.
pub fn run(cmd: DbCommand, output: &Output) -> anyhow::Result<u8> {
    let json = json_or_table(output)?;
    match cmd {
        DbCommand::Import { path, dir } => {
            let dir = dir.path();
            let start = Instant::now();
            let stats = dockguard_vulndb::import(&dir, &path)?;
            let took = start.elapsed();
            if !output.quiet {
                for w in &stats.warnings {
                    eprintln!("dockguard: warning: {w}");
                }
            }
            output.write_result(|out| {
                if json {
                    serde_json::to_writer_pretty(&mut *out, &stats)?;
                    writeln!(out)?;
                    return Ok(());
                }
                for e in &stats.ecosystems {
                    writeln!(
                        out,
                        "{:<12} {:>7} records  {:>4} withdrawn  {:>4} skipped  {}",
                        e.ecosystem, e.records, e.withdrawn, e.skipped, e.source
                    )?;
                }
                writeln!(
                    out,
                    "imported {} records into {} in {:.2}s",
                    stats.records,
                    dir.display(),
                    took.as_secs_f64()
                )?;
                Ok(())
            })?;
            Ok(0)
        }
        DbCommand::Update {
            ecosystems,
            mirror,
            dir,
        } => {
            let dir = dir.path();
            let stats = dockguard_vulndb::update(&dir, &UpdateOptions { mirror, ecosystems })?;
            output.write_result(|out| {
                if json {
                    serde_json::to_writer_pretty(&mut *out, &stats)?;
                    writeln!(out)?;
                    return Ok(());
                }
                for e in &stats.ecosystems {
                    let what = match e.outcome {
                        dockguard_vulndb::UpdateOutcome::Updated => "updated",
                        dockguard_vulndb::UpdateOutcome::NotModified => "not modified",
                        dockguard_vulndb::UpdateOutcome::Unchanged => "unchanged",
                    };
                    let records = stats
                        .import
                        .ecosystems
                        .iter()
                        .find(|i| i.ecosystem == e.ecosystem)
                        .map(|i| format!("  {} records", i.records))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{:<12} {:<13} {:>10} bytes{records}  {}",
                        e.ecosystem, what, e.bytes, e.url
                    )?;
                }
                Ok(())
            })?;
            Ok(0)
        }
        DbCommand::Status { dir } => {
            let dir = dir.path();
            let db = Database::open(&dir)?;
            let status = db.status()?;
            output.write_result(|out| {
                if json {
                    serde_json::to_writer_pretty(&mut *out, &status)?;
                    writeln!(out)?;
                    return Ok(());
                }
                writeln!(out, "database: {}", db.path().display())?;
                writeln!(
                    out,
                    "{:<12} {:>8} {:>9}  {:<20}  SOURCE",
                    "ECOSYSTEM", "RECORDS", "WITHDRAWN", "UPDATED"
                )?;
                for s in &status {
                    writeln!(
                        out,
                        "{:<12} {:>8} {:>9}  {:<20}  {}",
                        s.ecosystem, s.records, s.withdrawn, s.updated, s.source
                    )?;
                }
                Ok(())
            })?;
            Ok(0)
        }
        DbCommand::Query {
            ecosystem,
            name,
            version,
            dir,
        } => {
            let db = Database::open(&dir.path())?;
            let advisories = db.affecting(&ecosystem, &name, &version)?;
            output.write_result(|out| {
                if json {
                    serde_json::to_writer_pretty(&mut *out, &advisories)?;
                    writeln!(out)?;
                    return Ok(());
                }
                write_table(&advisories, out)?;
                Ok(())
            })?;
            Ok(0)
        }
    }
}

fn write_table(advisories: &[Advisory], out: &mut dyn Write) -> std::io::Result<()> {
    if advisories.is_empty() {
        return writeln!(out, "no known advisories");
    }
    writeln!(
        out,
        "{:<20} {:<9} {:>4}  {:<24} SUMMARY",
        "ID", "SEVERITY", "CVSS", "FIXED IN"
    )?;
    for a in advisories {
        let severity = a.severity.map_or("unknown", |s| s.as_str());
        let cvss = a.cvss_score.map(|s| format!("{s:.1}")).unwrap_or_default();
        let fixed = if a.fixed.is_empty() {
            "no fix yet".to_string()
        } else {
            a.fixed.join(", ")
        };
        let mut summary: String = a.summary.chars().take(70).collect();
        if a.summary.chars().count() > 70 {
            summary.push('…');
        }
        writeln!(
            out,
            "{:<20} {:<9} {:>4}  {:<24} {summary}",
            a.id, severity, cvss, fixed
        )?;
        if !a.aliases.is_empty() {
            writeln!(out, "{:<20} aliases: {}", "", a.aliases.join(", "))?;
        }
    }
    Ok(())
}
