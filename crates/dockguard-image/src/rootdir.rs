//! `dir:PATH`: an unpacked root filesystem, read as one layer. Symlinks are never followed,
//! so a link to `/etc/shadow` in the tree is reported as a link, not read from the host.

use crate::analyze::{AnalyzerOutput, FileAnalyzer, FileContent, MAGIC_PEEK};
use crate::error::{Error, LayerName, Result};
use crate::fs::{FileEntry, FileKind};
use crate::image::{Image, SourceFormat};
use crate::layer::Limits;
use crate::platform::Platform;
use crate::store::BlobStore;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) struct RootDir {
    root: PathBuf,
}

impl BlobStore for RootDir {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        Err(Error::format(
            self.describe(),
            format!("'{locator}' is not a blob: dir sources have no layer blobs"),
        ))
    }

    fn exists(&self, _locator: &str) -> bool {
        false
    }
}

pub(crate) fn open_dir(path: &Path, label: String) -> Result<Image> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path.display(), e))?;
    if !meta.is_dir() {
        return Err(Error::source(&label, "not a directory"));
    }
    Ok(Image {
        source: label,
        format: SourceFormat::Dir,
        reference: None,
        repo_tags: Vec::new(),
        index_digest: None,
        manifest_digest: None,
        manifest_media_type: None,
        config_digest: None,
        annotations: Default::default(),
        index_annotations: Default::default(),
        platform: Platform::default(),
        created: None,
        author: None,
        config: Default::default(),
        history: Vec::new(),
        layers: vec![crate::image::LayerInfo {
            index: 0,
            digest: None,
            diff_id: None,
            size: None,
            media_type: "directory".to_string(),
            created_by: None,
            history_index: None,
            locator: path.display().to_string(),
        }],
        store: Arc::new(RootDir {
            root: path.to_path_buf(),
        }),
    })
}

#[cfg(unix)]
fn owner_mode(m: &std::fs::Metadata) -> (u32, u32, u32) {
    use std::os::unix::fs::MetadataExt;
    (m.mode() & 0o7777, m.uid(), m.gid())
}

#[cfg(not(unix))]
fn owner_mode(m: &std::fs::Metadata) -> (u32, u32, u32) {
    (
        if m.permissions().readonly() {
            0o444
        } else {
            0o644
        },
        0,
        0,
    )
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> FileKind {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_char_device() {
        FileKind::CharDevice
    } else if ft.is_block_device() {
        FileKind::BlockDevice
    } else {
        FileKind::Fifo
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> FileKind {
    FileKind::Fifo
}

/// Walks the tree as layer 0, handing wanted files to analyzers.
pub(crate) fn scan_dir(
    root: &Path,
    analyzers: &[&dyn FileAnalyzer],
    limits: &Limits,
) -> Result<(Vec<FileEntry>, Vec<Vec<AnalyzerOutput>>)> {
    let name = LayerName {
        index: 0,
        digest: None,
    };
    let mut entries = Vec::new();
    let mut outputs = vec![Vec::new(); analyzers.len()];
    let mut buf = Vec::new();
    for item in walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
    {
        let item = item.map_err(|e| Error::Layer {
            layer: name.clone(),
            message: format!("walking {}: {e}", root.display()),
        })?;
        let rel = match item.path().strip_prefix(root) {
            Ok(r) if !r.as_os_str().is_empty() => r,
            _ => continue,
        };
        if entries.len() as u64 >= limits.max_entries_per_layer {
            return Err(Error::Layer {
                layer: name,
                message: format!("more than {} files (limit)", limits.max_entries_per_layer),
            });
        }
        let meta = item
            .metadata()
            .map_err(|e| Error::io(item.path().display(), e.into()))?;
        let ft = meta.file_type();
        let (mode, uid, gid) = owner_mode(&meta);
        let mut e = FileEntry {
            path: format!("/{}", rel.to_string_lossy().replace('\\', "/")),
            kind: FileKind::Regular,
            mode,
            uid,
            gid,
            size: 0,
            link_target: None,
            xattrs: Vec::new(),
            layer_index: 0,
        };
        if ft.is_dir() {
            e.kind = FileKind::Directory;
        } else if ft.is_symlink() {
            e.kind = FileKind::Symlink;
            e.link_target = std::fs::read_link(item.path())
                .ok()
                .map(|t| t.to_string_lossy().into_owned());
        } else if ft.is_file() {
            e.size = meta.len();
            if !analyzers.is_empty() {
                deliver(item.path(), &e, analyzers, limits, &mut buf, &mut outputs)?;
            }
        } else {
            e.kind = special_kind(&ft);
        }
        entries.push(e);
    }
    Ok((entries, outputs))
}

fn deliver(
    path: &Path,
    e: &FileEntry,
    analyzers: &[&dyn FileAnalyzer],
    limits: &Limits,
    buf: &mut Vec<u8>,
    outputs: &mut [Vec<AnalyzerOutput>],
) -> Result<()> {
    let mut wanted: Vec<usize> = Vec::new();
    let mut peek: Vec<usize> = Vec::new();
    for (i, a) in analyzers.iter().enumerate() {
        if a.interest().wants_without_content(e) {
            wanted.push(i);
        } else if a.interest().needs_magic() {
            peek.push(i);
        }
    }
    if wanted.is_empty() && peek.is_empty() {
        return Ok(());
    }
    let f = File::open(path).map_err(|err| Error::io(path.display(), err))?;
    let max = analyzers
        .iter()
        .map(|a| a.interest().max_file_size())
        .max()
        .unwrap_or(0)
        .min(limits.max_file_content);
    buf.clear();
    let mut r = f.take(max);
    if !peek.is_empty() {
        (&mut r)
            .take(MAGIC_PEEK as u64)
            .read_to_end(buf)
            .map_err(|err| Error::io(path.display(), err))?;
        wanted.extend(
            peek.into_iter()
                .filter(|&i| analyzers[i].interest().wants_magic(buf)),
        );
    }
    if wanted.is_empty() {
        return Ok(());
    }
    r.read_to_end(buf)
        .map_err(|err: io::Error| Error::io(path.display(), err))?;
    wanted.sort_unstable();
    for i in wanted {
        let lim = (analyzers[i].interest().max_file_size() as usize).min(buf.len());
        let content = FileContent {
            data: &buf[..lim],
            truncated: e.size > lim as u64,
        };
        if let Some(value) = analyzers[i].analyze(e, content) {
            outputs[i].push(AnalyzerOutput {
                layer_index: 0,
                path: e.path.clone(),
                value,
            });
        }
    }
    Ok(())
}

/// Reads one file of the tree, at most `max` bytes. No component may be a symlink: following
/// one would read the host's files instead of the image's.
pub(crate) fn read_file(root: &Path, path: &str, max: u64) -> Result<(Vec<u8>, bool)> {
    let mut p = root.to_path_buf();
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    for (i, c) in parts.iter().enumerate() {
        if *c == ".." || *c == "." {
            return Err(Error::format(path, "not a normalised path"));
        }
        p.push(c);
        let m = std::fs::symlink_metadata(&p).map_err(|e| Error::io(p.display(), e))?;
        if m.file_type().is_symlink() {
            return Err(Error::format(
                p.display(),
                "is a symlink; resolve it in the image first",
            ));
        }
        if i + 1 == parts.len() && !m.is_file() {
            return Err(Error::format(p.display(), "not a regular file"));
        }
    }
    let f = File::open(&p).map_err(|e| Error::io(p.display(), e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf = Vec::new();
    f.take(max)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(p.display(), e))?;
    let truncated = size > buf.len() as u64;
    Ok((buf, truncated))
}
