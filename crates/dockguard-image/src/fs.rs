//! The file model: every layer's own entries (whiteouts included) and the merged view built by
//! applying them in order, with the history of each path across layers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Bound;

/// What a layer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Regular,
    Directory,
    Symlink,
    /// A hard link; `link_target` is the absolute path of the file it shares data with.
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,
    /// A `.wh.NAME` marker: this layer deletes `path` (and everything under it) from lower layers.
    Whiteout,
    /// A `.wh..wh..opq` marker: this layer hides everything lower layers put under directory `path`.
    OpaqueWhiteout,
}

impl FileKind {
    pub fn is_whiteout(self) -> bool {
        matches!(self, FileKind::Whiteout | FileKind::OpaqueWhiteout)
    }

    /// One character, as `ls -l` shows it (`w`/`o` for the two whiteout kinds).
    pub fn symbol(self) -> char {
        match self {
            FileKind::Regular => '-',
            FileKind::Directory => 'd',
            FileKind::Symlink => 'l',
            FileKind::HardLink => 'h',
            FileKind::CharDevice => 'c',
            FileKind::BlockDevice => 'b',
            FileKind::Fifo => 'p',
            FileKind::Whiteout => 'w',
            FileKind::OpaqueWhiteout => 'o',
        }
    }
}

/// One entry of one layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Absolute and normalised: `/etc/passwd`. Never contains `.`/`..` components.
    pub path: String,
    pub kind: FileKind,
    /// Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Logical size in bytes (the expanded size for sparse files; 0 for non-regular files).
    pub size: u64,
    /// Symlink target exactly as stored, or a hard link's normalised absolute target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_target: Option<String>,
    /// Extended attributes from PAX `SCHILY.xattr.*` records, e.g. `security.capability`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub xattrs: Vec<Xattr>,
    /// Index of the layer this entry belongs to (0 = base layer).
    pub layer_index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Xattr {
    pub name: String,
    pub value: Vec<u8>,
}

impl FileEntry {
    pub fn is_setuid(&self) -> bool {
        self.mode & 0o4000 != 0
    }

    pub fn is_setgid(&self) -> bool {
        self.mode & 0o2000 != 0
    }

    pub fn xattr(&self, name: &str) -> Option<&[u8]> {
        self.xattrs
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.value.as_slice())
    }

    /// The file name (last path component).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }
}

/// How a layer touched a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The path did not exist (or had been deleted) below this layer.
    Added,
    /// The layer replaced an existing path (for directories: only when metadata changed).
    Changed,
    /// A whiteout, an opaque directory, or a non-directory replacing a directory removed it.
    Deleted,
}

/// One step in a path's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathEvent {
    pub layer_index: usize,
    pub change: Change,
}

/// Per-layer counts for `inspect`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerStats {
    pub added: u64,
    pub changed: u64,
    pub deleted: u64,
    /// Bytes of this layer's regular files that a later layer overwrites or deletes.
    pub wasted_bytes: u64,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    layer: u32,
    /// Index into that layer's entries (the new entry, or the whiteout that deleted the path).
    entry: u32,
    change: Change,
}

/// First event inline: most paths are touched once, and a million-file layer must stay small.
#[derive(Debug, Clone)]
struct Node {
    first: Event,
    more: Vec<Event>,
}

impl Node {
    fn last(&self) -> &Event {
        self.more.last().unwrap_or(&self.first)
    }

    fn push(&mut self, e: Event) {
        self.more.push(e);
    }

    fn iter(&self) -> impl Iterator<Item = &Event> {
        std::iter::once(&self.first).chain(self.more.iter())
    }
}

/// All layers' entries plus the merged view.
#[derive(Debug, Clone, Default)]
pub struct Filesystem {
    layers: Vec<Vec<FileEntry>>,
    index: BTreeMap<Box<str>, Node>,
    stats: Vec<LayerStats>,
}

impl Filesystem {
    /// Builds the merged view from each layer's entries, base layer first. Each layer's
    /// entries must be sorted by path with duplicates already resolved (the layer reader does).
    pub fn from_layers(layers: Vec<Vec<FileEntry>>) -> Filesystem {
        let mut fs = Filesystem {
            stats: vec![LayerStats::default(); layers.len()],
            layers: Vec::new(),
            index: BTreeMap::new(),
        };
        for (li, entries) in layers.into_iter().enumerate() {
            fs.layers.push(entries);
            fs.apply_layer(li);
        }
        fs
    }

    fn apply_layer(&mut self, li: usize) {
        let entries = std::mem::take(&mut self.layers[li]);
        // Whiteouts only hide what lower layers made, so they go first: an entry of this
        // layer with the same path survives its own layer's whiteout.
        for (ei, e) in entries.iter().enumerate() {
            match e.kind {
                FileKind::Whiteout => {
                    if self.present(&e.path).is_some() {
                        self.delete(&e.path, li, ei);
                    }
                    self.delete_below(&e.path, li, ei);
                }
                FileKind::OpaqueWhiteout => self.delete_below(&e.path, li, ei),
                _ => {}
            }
        }
        for (ei, e) in entries.iter().enumerate() {
            if e.kind.is_whiteout() {
                continue;
            }
            let ev = |change| Event {
                layer: li as u32,
                entry: ei as u32,
                change,
            };
            match self.present(&e.path) {
                None => {
                    let event = ev(Change::Added);
                    match self.index.get_mut(e.path.as_str()) {
                        Some(node) => node.push(event),
                        None => {
                            self.index.insert(
                                e.path.clone().into_boxed_str(),
                                Node {
                                    first: event,
                                    more: Vec::new(),
                                },
                            );
                        }
                    }
                    self.stats[li].added += 1;
                }
                Some((pl, pe)) => {
                    let prev = &self.layers[pl][pe];
                    let both_dirs =
                        prev.kind == FileKind::Directory && e.kind == FileKind::Directory;
                    if both_dirs
                        && prev.mode == e.mode
                        && prev.uid == e.uid
                        && prev.gid == e.gid
                        && prev.xattrs == e.xattrs
                    {
                        // Layers repeat parent directories of what they add; that is not a change.
                        continue;
                    }
                    if prev.kind == FileKind::Regular {
                        self.stats[pl].wasted_bytes += prev.size;
                    }
                    let replaces_dir =
                        prev.kind == FileKind::Directory && e.kind != FileKind::Directory;
                    if let Some(node) = self.index.get_mut(e.path.as_str()) {
                        node.push(ev(Change::Changed));
                    }
                    self.stats[li].changed += 1;
                    if replaces_dir {
                        self.delete_below(&e.path, li, ei);
                    }
                }
            }
        }
        self.layers[li] = entries;
    }

    /// The entry currently visible at `path`, as (layer, entry index).
    fn present(&self, path: &str) -> Option<(usize, usize)> {
        let last = self.index.get(path)?.last();
        (last.change != Change::Deleted).then_some((last.layer as usize, last.entry as usize))
    }

    fn delete(&mut self, path: &str, li: usize, ei: usize) {
        let Some(node) = self.index.get_mut(path) else {
            return;
        };
        let last = *node.last();
        if last.change == Change::Deleted {
            return;
        }
        node.push(Event {
            layer: li as u32,
            entry: ei as u32,
            change: Change::Deleted,
        });
        let prev = &self.layers[last.layer as usize][last.entry as usize];
        if prev.kind == FileKind::Regular {
            self.stats[last.layer as usize].wasted_bytes += prev.size;
        }
        self.stats[li].deleted += 1;
    }

    fn delete_below(&mut self, dir: &str, li: usize, ei: usize) {
        let below: Vec<Box<str>> = self
            .descendants(dir)
            .filter(|(_, n)| n.last().change != Change::Deleted && (n.last().layer as usize) < li)
            .map(|(p, _)| p.clone())
            .collect();
        for p in below {
            self.delete(&p, li, ei);
        }
    }

    fn descendants<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a Box<str>, &'a Node)> + 'a {
        let lo = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        // '0' is the byte after '/', so [dir/, dir0) is exactly the subtree.
        let hi = format!("{}0", &lo[..lo.len() - 1]);
        self.index
            .range::<str, _>((Bound::Included(lo.as_str()), Bound::Excluded(hi.as_str())))
    }

    /// Number of layers.
    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// One layer's own entries, sorted by path, whiteout markers included.
    pub fn layer(&self, index: usize) -> &[FileEntry] {
        self.layers.get(index).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every entry of every layer, base layer first: files later deleted or overwritten too.
    pub fn all_layers(&self) -> impl Iterator<Item = &FileEntry> {
        self.layers.iter().flatten()
    }

    /// The merged filesystem (what a container starts with), sorted by path.
    pub fn merged(&self) -> impl Iterator<Item = &FileEntry> {
        self.index.values().filter_map(|n| {
            let l = n.last();
            (l.change != Change::Deleted).then(|| &self.layers[l.layer as usize][l.entry as usize])
        })
    }

    /// The entry visible at `path` in the merged view (no symlink resolution).
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        let (l, e) = self.present(path)?;
        Some(&self.layers[l][e])
    }

    /// Every layer that touched `path`, in order. Empty for paths no layer mentions.
    pub fn history(&self, path: &str) -> Vec<PathEvent> {
        self.index
            .get(path)
            .map(|n| {
                n.iter()
                    .map(|e| PathEvent {
                        layer_index: e.layer as usize,
                        change: e.change,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Paths that some layer added and a later layer deleted, with their history.
    pub fn deleted_paths(&self) -> impl Iterator<Item = (&str, Vec<PathEvent>)> {
        self.index
            .iter()
            .filter(|(_, n)| n.iter().any(|e| e.change == Change::Deleted))
            .map(|(p, _)| (&**p, self.history(p)))
    }

    pub fn stats(&self, layer: usize) -> LayerStats {
        self.stats.get(layer).copied().unwrap_or_default()
    }

    /// Merged-view entries whose path matches a glob (`/etc/*.conf`, `**/METADATA`).
    pub fn glob(&self, pattern: &str) -> Result<Vec<&FileEntry>, globset::Error> {
        let m = crate::analyze::compile_glob(pattern)?;
        Ok(self
            .merged()
            .filter(|e| m.is_match(e.path.trim_start_matches('/')))
            .collect())
    }

    /// Follows symlinks in every component of `path` inside the image root, like a chroot would:
    /// absolute targets start at the image root and `..` stops there. `None` when a component is
    /// missing or the links loop (more than 40 hops, the kernel's limit).
    pub fn resolve(&self, path: &str) -> Option<&FileEntry> {
        let mut hops = 0;
        let mut todo: Vec<String> = components(path).rev().map(str::to_string).collect();
        let mut done: Vec<String> = Vec::new();
        while let Some(c) = todo.pop() {
            match c.as_str() {
                "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(c);
            let cur = format!("/{}", done.join("/"));
            let e = self.get(&cur)?;
            let is_last = todo.is_empty();
            if e.kind == FileKind::Symlink {
                hops += 1;
                if hops > 40 {
                    return None;
                }
                let target = e.link_target.as_deref().unwrap_or("");
                done.pop();
                if target.starts_with('/') {
                    done.clear();
                }
                todo.extend(components(target).rev().map(str::to_string));
            } else if is_last {
                return Some(e);
            } else if e.kind != FileKind::Directory {
                return None;
            }
        }
        if done.is_empty() {
            return None;
        }
        self.get(&format!("/{}", done.join("/")))
    }
}

fn components(p: &str) -> impl DoubleEndedIterator<Item = &str> {
    p.split('/').filter(|c| !c.is_empty())
}

/// Normalises a tar member name to an absolute path. Leading `/` and `./` are dropped as every
/// extractor does; `..` that would climb above the root is refused, because extracting it would
/// write outside the container's filesystem.
pub(crate) fn clean_path(raw: &str) -> Result<String, &'static str> {
    if raw.contains('\0') {
        return Err("path contains a NUL byte");
    }
    let mut out: Vec<&str> = Vec::new();
    for c in raw.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    return Err("path escapes the image root ('..' above '/')");
                }
            }
            c => out.push(c),
        }
    }
    Ok(format!("/{}", out.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(layer: usize, path: &str, kind: FileKind, size: u64) -> FileEntry {
        FileEntry {
            path: path.into(),
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size,
            link_target: None,
            xattrs: vec![],
            layer_index: layer,
        }
    }

    fn sorted(mut v: Vec<FileEntry>) -> Vec<FileEntry> {
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    #[test]
    fn whiteouts_opaque_and_history() {
        use FileKind::*;
        let l0 = sorted(vec![
            f(0, "/a", Directory, 0),
            f(0, "/a/x", Regular, 10),
            f(0, "/a/y", Regular, 20),
            f(0, "/b", Directory, 0),
            f(0, "/b/z", Regular, 5),
            f(0, "/c", Regular, 7),
        ]);
        let l1 = sorted(vec![
            f(1, "/a/x", Whiteout, 0),
            f(1, "/b", OpaqueWhiteout, 0),
            f(1, "/b/new", Regular, 1),
            f(1, "/c", Regular, 8),
        ]);
        let l2 = sorted(vec![f(2, "/a", Whiteout, 0), f(2, "/a/x", Regular, 3)]);
        let fs = Filesystem::from_layers(vec![l0, l1, l2]);
        let merged: Vec<&str> = fs.merged().map(|e| e.path.as_str()).collect();
        assert_eq!(merged, ["/a/x", "/b", "/b/new", "/c"]);
        let h = fs.history("/a/x");
        assert_eq!(
            h.iter()
                .map(|e| (e.layer_index, e.change))
                .collect::<Vec<_>>(),
            [(0, Change::Added), (1, Change::Deleted), (2, Change::Added)]
        );
        assert_eq!(fs.get("/a/x").unwrap().layer_index, 2);
        assert_eq!(fs.stats(0).wasted_bytes, 10 + 5 + 7 + 20);
        assert_eq!(fs.stats(1).deleted, 2);
        assert_eq!(fs.stats(1).changed, 1);
        assert_eq!(fs.stats(2).deleted, 2); // /a and /a/y
    }

    #[test]
    fn resolve_stays_in_root() {
        use FileKind::*;
        let mut link = f(0, "/lnk", Symlink, 0);
        link.link_target = Some("../../../etc/passwd".into());
        let mut abs = f(0, "/usr/lib", Symlink, 0);
        abs.link_target = Some("/lib".into());
        let l0 = sorted(vec![
            f(0, "/etc", Directory, 0),
            f(0, "/etc/passwd", Regular, 1),
            link,
            f(0, "/lib", Directory, 0),
            f(0, "/lib/libc.so", Regular, 2),
            f(0, "/usr", Directory, 0),
            abs,
        ]);
        let fs = Filesystem::from_layers(vec![l0]);
        assert_eq!(fs.resolve("/lnk").unwrap().path, "/etc/passwd");
        assert_eq!(fs.resolve("/usr/lib/libc.so").unwrap().path, "/lib/libc.so");
        assert!(fs.resolve("/usr/lib/missing").is_none());
    }

    #[test]
    fn clean() {
        assert_eq!(clean_path("./usr/bin/").unwrap(), "/usr/bin");
        assert_eq!(clean_path("/etc/../etc/x").unwrap(), "/etc/x");
        assert!(clean_path("../etc/passwd").is_err());
        assert!(clean_path("a/../../b").is_err());
        assert_eq!(clean_path("./").unwrap(), "/");
    }
}
