//! The `dir:` source: walk a directory tree and feed every wanted file to a [`Catalog`].
//! Symlinks are never followed (an image's links point into the image, not into the host), and
//! the walk is bounded in depth and file count.

use crate::{Catalog, CatalogError, Inventory, Mode};
use std::io::Read;
use std::path::Path;

/// Limits and mode of a directory scan.
#[derive(Debug, Clone)]
pub struct DirOptions {
    pub mode: Mode,
    pub max_depth: usize,
    pub max_files: usize,
}

impl Default for DirOptions {
    fn default() -> Self {
        DirOptions {
            mode: Mode::Dir,
            max_depth: 64,
            max_files: 2_000_000,
        }
    }
}

/// Catalogues a directory with lock files included (the `dir:` source).
pub fn catalog_dir(root: &Path) -> Inventory {
    catalog_dir_with(root, &DirOptions::default())
}

pub fn catalog_dir_with(root: &Path, opts: &DirOptions) -> Inventory {
    let mut catalog = Catalog::new(opts.mode);
    let magics = catalog.magics();
    let magic_len = magics.iter().map(|m| m.len()).max().unwrap_or(0);
    let mut stack = vec![(root.to_path_buf(), String::new(), 0usize)];
    let mut seen = 0usize;
    let mut problems = Vec::new();
    while let Some((dir, rel, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                problems.push(CatalogError::new(
                    &rel,
                    format!("cannot list directory: {e}"),
                ));
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            seen += 1;
            if seen > opts.max_files {
                problems.push(CatalogError::new(
                    &rel,
                    format!("stopped after {} files (limit)", opts.max_files),
                ));
                return finish(catalog, problems);
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let child_rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            // `file_type` does not follow symlinks.
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if depth + 1 < opts.max_depth {
                    stack.push((entry.path(), child_rel, depth + 1));
                }
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            let by_path = catalog.wants(&child_rel);
            let limit = if by_path {
                catalog.max_size(&child_rel)
            } else if !magics.is_empty() && size >= magic_len as u64 {
                let mut head = vec![0u8; magic_len];
                let ok = std::fs::File::open(entry.path())
                    .and_then(|mut f| f.read_exact(&mut head))
                    .is_ok();
                if !ok || !magics.iter().any(|m| head.starts_with(m)) {
                    continue;
                }
                catalog.max_magic_size()
            } else {
                continue;
            };
            if size > limit {
                catalog.too_large(&child_rel, size);
                continue;
            }
            match read_bounded(&entry.path(), limit) {
                Ok(data) => catalog.add_file(&child_rel, &data),
                Err(e) => problems.push(CatalogError::new(&child_rel, format!("cannot read: {e}"))),
            }
        }
    }
    finish(catalog, problems)
}

fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(std::io::Error::other(
            "file grew past the size limit while reading",
        ));
    }
    Ok(buf)
}

fn finish(catalog: Catalog, problems: Vec<CatalogError>) -> Inventory {
    let mut inv = catalog.finish();
    inv.problems.extend(problems);
    inv
}
