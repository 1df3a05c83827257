//! The local vulnerability database: OSV records imported or downloaded into an embedded
//! SQLite store, version ordering for every supported ecosystem, and matching of
//! (ecosystem, name, version) triples against the advisories.
//!
//! This crate owns the on-disk format under the database directory (`osv.sqlite3`), the import
//! of the public OSV bucket layout (`<Ecosystem>/all.zip`), `db update` downloads, and the
//! [`Advisory`] shape matching returns. It knows nothing about images or package inventories:
//! callers pass the OSV ecosystem (`Debian:12`, `PyPI`, …), the package name as the advisories
//! name it (for distributions: the *source* package) and the installed version.
//!
//! Storage is SQLite in WAL mode (see `docs/vulndb.md` for the measurements behind the choice):
//! an import or update is one write transaction, so a crash or kill at any point leaves the
//! previous contents intact, and readers keep reading while a writer works.

pub mod cvss;
mod import;
mod matching;
mod names;
mod osv;
mod store;
mod update;
pub mod versions;

pub use dockguard_core::Severity;
pub use import::ImportStats;
pub use names::{normalize_ecosystem, normalize_name};
pub use store::{Database, EcosystemStatus, DB_FILE};
pub use update::{UpdateOptions, UpdateOutcome, UpdateStats, DEFAULT_MIRROR};

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One vulnerability affecting a package version. Records that name each other through
/// `aliases`/`upstream` are merged into one advisory, identified by its CVE when it has one.
///
/// The record's text is shared (`Arc`) between every package it affects: one scan can report
/// the same advisory for thousands of packages, and copying it for each dominated matching.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advisory {
    /// Primary id: the CVE when any merged record names one, else the first record's id.
    pub id: String,
    /// Every other id of the merged records (GHSA, PYSEC, DSA, DEBIAN-CVE, ALSA, …), sorted.
    pub aliases: Arc<[String]>,
    pub summary: Arc<str>,
    /// `None` when neither a vendor rating nor a usable CVSS vector is known.
    pub severity: Option<Severity>,
    /// Base score computed from `cvss_vector`.
    pub cvss_score: Option<f64>,
    pub cvss_vector: Option<Arc<str>>,
    /// Versions that fix the installed version, lowest first; empty means "no fix yet".
    pub fixed: Vec<String>,
    pub references: Arc<[String]>,
    pub published: Option<Arc<str>>,
    pub modified: Option<Arc<str>>,
}

impl Advisory {
    /// Whether a fixed version is known.
    pub fn has_fix(&self) -> bool {
        !self.fixed.is_empty()
    }
}

/// Errors of the database. Messages name the file or URL and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no vulnerability database in {dir}: run `dockguard db update` to download the OSV \
         data (add `--mirror URL` for a mirror), or `dockguard db import PATH` to import a \
         local copy of the OSV bucket layout (<Ecosystem>/all.zip)"
    )]
    Missing { dir: PathBuf },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: database error: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{url}: {message}")]
    Download { url: String, message: String },
    #[error("{0}")]
    Usage(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// The default database directory: `$XDG_CACHE_HOME/dockguard/db`, else
/// `~/.cache/dockguard/db`, else `.dockguard-db` in the working directory.
pub fn default_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("dockguard").join("db");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(h) => PathBuf::from(h).join(".cache").join("dockguard").join("db"),
        None => PathBuf::from(".dockguard-db"),
    }
}

/// Imports OSV data from `source` into the database in `dir` (created when missing).
pub fn import(dir: &Path, source: &Path) -> Result<ImportStats> {
    let db = Database::open_or_create(dir)?;
    db.import(source)
}

/// Downloads and imports `all.zip` per ecosystem (see [`UpdateOptions`]).
pub fn update(dir: &Path, options: &UpdateOptions) -> Result<UpdateStats> {
    let db = Database::open_or_create(dir)?;
    db.update(options)
}

/// Orders two versions of an ecosystem; `None` when the ecosystem has no comparator.
pub use versions::compare;
