//! The single-pass file-access API for analyzers (SBOM catalogers, secret scanners, …).
//!
//! Layers are streamed once. An analyzer says up front which files it wants ([`Interest`]) and
//! is called with each matching file's content while the layer streams past, from several
//! threads at once (one layer per thread). It returns a JSON value per file; values are cached
//! per layer digest and analyzer version, so a rescan of an unchanged layer calls nothing.
//!
//! Every version of a file is delivered: files of every layer, including ones a later layer
//! deletes or overwrites. Use [`crate::Filesystem`] afterwards to tell which version is
//! visible (`fs.get(path).map(|e| e.layer_index) == Some(output.layer_index)`).

use crate::fs::FileEntry;
use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

/// Default cap on the content handed to an analyzer for one file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Which files an analyzer wants to see, and how much of each.
#[derive(Debug, Clone)]
pub struct Interest {
    patterns: Vec<String>,
    globs: GlobSet,
    all_files: bool,
    executables: bool,
    magic: Vec<Vec<u8>>,
    max_size: u64,
}

impl Default for Interest {
    fn default() -> Self {
        Interest {
            patterns: Vec::new(),
            globs: GlobSet::empty(),
            all_files: false,
            executables: false,
            magic: Vec::new(),
            max_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

pub(crate) fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    // Matching happens on paths without their leading '/', so `/etc/x` and `etc/x` agree and
    // `**/x` also matches `/x`.
    GlobBuilder::new(pattern.trim_start_matches('/'))
        .literal_separator(true)
        .build()
}

pub(crate) fn compile_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(glob(pattern)?.compile_matcher())
}

impl Interest {
    /// Regular files whose absolute path matches one of the globs (`*` stays inside one path
    /// component, `**` crosses them): `/var/lib/dpkg/status`, `**/*.dist-info/METADATA`.
    pub fn paths<I, S>(patterns: I) -> Result<Interest, globset::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut b = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for p in patterns {
            b.add(glob(p.as_ref())?);
            kept.push(p.as_ref().to_string());
        }
        Ok(Interest {
            patterns: kept,
            globs: b.build()?,
            ..Interest::default()
        })
    }

    /// Every regular file (what a secret scanner wants).
    pub fn all_files() -> Interest {
        Interest {
            all_files: true,
            ..Interest::default()
        }
    }

    /// Also every regular file with an execute bit.
    pub fn with_executables(mut self) -> Interest {
        self.executables = true;
        self
    }

    /// Also every regular file whose content starts with `prefix` (at most 16 bytes), e.g.
    /// `b"\x7fELF"` or `b"PK\x03\x04"`. Costs a 16-byte peek per file, nothing more.
    pub fn with_magic(mut self, prefix: &[u8]) -> Interest {
        self.magic
            .push(prefix[..prefix.len().min(MAGIC_PEEK)].to_vec());
        self
    }

    /// Content beyond `bytes` is cut off (the analyzer sees `truncated = true`).
    pub fn max_size(mut self, bytes: u64) -> Interest {
        self.max_size = bytes;
        self
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_size
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub(crate) fn wants_without_content(&self, e: &FileEntry) -> bool {
        self.all_files
            || (self.executables && e.mode & 0o111 != 0)
            || self.globs.is_match(e.path.trim_start_matches('/'))
    }

    pub(crate) fn needs_magic(&self) -> bool {
        !self.magic.is_empty()
    }

    pub(crate) fn wants_magic(&self, head: &[u8]) -> bool {
        self.magic.iter().any(|m| head.starts_with(m))
    }
}

pub(crate) const MAGIC_PEEK: usize = 16;

/// A file's content as handed to an analyzer: at most [`Interest::max_size`] bytes.
#[derive(Debug, Clone, Copy)]
pub struct FileContent<'a> {
    pub data: &'a [u8],
    /// The file is longer than `data`.
    pub truncated: bool,
}

/// Something that looks at file contents while layers stream past.
///
/// `name` and `version` key the cache: bump the version whenever the output for the same
/// input could change.
pub trait FileAnalyzer: Send + Sync {
    fn name(&self) -> &str;
    fn version(&self) -> &str;
    fn interest(&self) -> &Interest;
    /// Called once per wanted file per layer, possibly from several threads at once. Returning
    /// `None` records nothing for this file.
    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value>;
}

/// One analyzer result: which file version it is about, and what the analyzer said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzerOutput {
    pub layer_index: usize,
    pub path: String,
    pub value: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::FileKind;

    #[test]
    fn globs_match_absolute_paths() {
        let i = Interest::paths(["/var/lib/dpkg/status", "**/*.dist-info/METADATA"]).unwrap();
        let e = |p: &str| FileEntry {
            path: p.into(),
            kind: FileKind::Regular,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 0,
            link_target: None,
            xattrs: vec![],
            layer_index: 0,
        };
        assert!(i.wants_without_content(&e("/var/lib/dpkg/status")));
        assert!(i.wants_without_content(&e("/usr/lib/python3/x.dist-info/METADATA")));
        assert!(!i.wants_without_content(&e("/var/lib/dpkg/status-old")));
    }
}
