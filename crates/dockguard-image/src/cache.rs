//! The layer cache: what reading a layer produced (its file list and every analyzer's output),
//! keyed by layer digest and analyzer name + version, so a rescan skips unchanged layers.
//!
//! Several dockguard processes may share one cache: files are written to a temporary name in
//! the same directory and renamed into place, so readers see a whole file or none, and any
//! file that does not parse is treated as a miss. Eviction removes the least recently used
//! layers (by modification time, refreshed on every hit) once the size limit is passed.

use crate::analyze::{AnalyzerOutput, FileAnalyzer};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::fs::FileEntry;
use crate::image::LayerInfo;
use crate::layer::{Compression, LayerRead};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// Bumped whenever the stored shape or the reader's interpretation of layers changes.
const FORMAT: &str = "v1";

/// Default size limit: 2 GiB.
pub const DEFAULT_CACHE_SIZE: u64 = 2 << 30;

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    max_bytes: u64,
}

#[derive(Serialize, Deserialize)]
struct Listing {
    blob_digest: Digest,
    blob_size: u64,
    diff_id: Digest,
    uncompressed_size: u64,
    compression: Compression,
    entries: Vec<FileEntry>,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            max_bytes: DEFAULT_CACHE_SIZE,
        }
    }

    /// `$XDG_CACHE_HOME/dockguard`, else `~/.cache/dockguard`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
            return Some(PathBuf::from(x).join("dockguard"));
        }
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".cache").join("dockguard"))
    }

    pub fn with_max_size(mut self, bytes: u64) -> Cache {
        self.max_bytes = bytes;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn layers_dir(&self) -> PathBuf {
        self.dir.join("layers").join(FORMAT)
    }

    /// Cached layers are keyed by blob digest, or by diff_id when the blob digest is only known
    /// after reading (docker-archive members). Unnamed layers are never cached.
    fn layer_dir(&self, layer: &LayerInfo) -> Option<PathBuf> {
        let d = layer.digest.as_ref().or(layer.diff_id.as_ref())?;
        Some(
            self.layers_dir()
                .join(format!("{}-{}", d.algorithm(), d.hex())),
        )
    }

    pub(crate) fn load(
        &self,
        layer: &LayerInfo,
        analyzers: &[&dyn FileAnalyzer],
    ) -> Option<LayerRead> {
        let dir = self.layer_dir(layer)?;
        let listing: Listing =
            serde_json::from_slice(&fs::read(dir.join("listing.json")).ok()?).ok()?;
        if layer
            .diff_id
            .as_ref()
            .is_some_and(|d| d != &listing.diff_id)
        {
            return None;
        }
        let mut outputs = Vec::with_capacity(analyzers.len());
        for a in analyzers {
            let bytes = fs::read(dir.join(analyzer_file(*a))).ok()?;
            outputs.push(serde_json::from_slice::<Vec<AnalyzerOutput>>(&bytes).ok()?);
        }
        // Recently used layers survive eviction.
        if let Ok(f) = fs::File::options()
            .append(true)
            .open(dir.join("listing.json"))
        {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(LayerRead {
            entries: listing.entries,
            blob_digest: listing.blob_digest,
            blob_size: listing.blob_size,
            diff_id: listing.diff_id,
            uncompressed_size: listing.uncompressed_size,
            compression: listing.compression,
            outputs,
        })
    }

    pub(crate) fn store(
        &self,
        layer: &LayerInfo,
        read: &LayerRead,
        analyzers: &[&dyn FileAnalyzer],
    ) -> Result<()> {
        let Some(dir) = self.layer_dir(layer) else {
            return Ok(());
        };
        let err = |e: std::io::Error| Error::Cache {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        fs::create_dir_all(&dir).map_err(err)?;
        for (a, out) in analyzers.iter().zip(&read.outputs) {
            let bytes = serde_json::to_vec(out).map_err(|e| err(e.into()))?;
            write_atomic(&dir.join(analyzer_file(*a)), &bytes).map_err(err)?;
        }
        let listing = Listing {
            blob_digest: read.blob_digest.clone(),
            blob_size: read.blob_size,
            diff_id: read.diff_id.clone(),
            uncompressed_size: read.uncompressed_size,
            compression: read.compression,
            entries: read.entries.clone(),
        };
        // The listing goes last: its presence is what marks the layer as cached.
        let bytes = serde_json::to_vec(&listing).map_err(|e| err(e.into()))?;
        write_atomic(&dir.join("listing.json"), &bytes).map_err(err)?;
        self.evict()
    }

    /// Total bytes stored.
    pub fn size(&self) -> u64 {
        layer_dirs(&self.layers_dir())
            .iter()
            .map(|(_, s, _)| s)
            .sum()
    }

    /// Removes every cached layer; returns the bytes freed.
    pub fn clean(&self) -> Result<u64> {
        let freed = self.size();
        let root = self.dir.join("layers");
        match fs::remove_dir_all(&root) {
            Ok(()) => Ok(freed),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(Error::Cache {
                path: root.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    fn evict(&self) -> Result<()> {
        let mut dirs = layer_dirs(&self.layers_dir());
        let mut total: u64 = dirs.iter().map(|(_, s, _)| s).sum();
        if total <= self.max_bytes {
            return Ok(());
        }
        dirs.sort_by_key(|(_, _, t)| *t);
        for (d, s, _) in dirs {
            if total <= self.max_bytes / 10 * 9 {
                break;
            }
            // Another process may be evicting too; whoever removes it first wins.
            let _ = fs::remove_dir_all(&d);
            total = total.saturating_sub(s);
        }
        Ok(())
    }
}

fn analyzer_file(a: &dyn FileAnalyzer) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("analyzer-{}@{}.json", clean(a.name()), clean(a.version()))
}

/// (dir, bytes, last use) of every cached layer.
fn layer_dirs(root: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let Ok(rd) = fs::read_dir(root) else {
        return Vec::new();
    };
    rd.flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| {
            let mut size = 0;
            if let Ok(files) = fs::read_dir(e.path()) {
                for f in files.flatten() {
                    size += f.metadata().map(|m| m.len()).unwrap_or(0);
                }
            }
            let used = fs::metadata(e.path().join("listing.json"))
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (e.path(), size, used)
        })
        .collect()
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!(
        "tmp.{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let res = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res
}
