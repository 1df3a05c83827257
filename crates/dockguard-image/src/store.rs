//! Where blobs come from: a directory (OCI layout), a plain tar (random access by offset), a
//! compressed tar (front to back only), a registry. Locators are paths inside the layout or
//! archive (`blobs/sha256/<hex>`, `<id>/layer.tar`); registry stores map them to blob URLs.

use crate::error::{Error, Result};
use crate::fs::clean_path;
use crate::tarstream::{flag, TarReader};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub(crate) trait BlobStore: Send + Sync {
    /// For error messages: the file or endpoint this store reads.
    fn describe(&self) -> String;

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>>;

    fn exists(&self, locator: &str) -> bool;

    /// Where a manifest or index named by digest lives (registries serve them apart from blobs).
    fn manifest_locator(&self, d: &crate::digest::Digest) -> String {
        crate::image::blob_locator(d)
    }

    /// Stores that can only be read front to back; the scanner then uses [`BlobStore::visit`].
    fn sequential(&self) -> bool {
        false
    }

    /// Calls `f(i, reader)` for each wanted locator, in the store's own order, in one pass.
    fn visit(
        &self,
        locators: &[String],
        f: &mut dyn FnMut(usize, &mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        for (i, l) in locators.iter().enumerate() {
            let mut r = self.open(l)?;
            f(i, &mut r)?;
        }
        Ok(())
    }

    /// Reads a whole small blob, refusing anything over `limit` bytes.
    fn read_small(&self, locator: &str, limit: u64) -> Result<Vec<u8>> {
        let mut r = self.open(locator)?.take(limit + 1);
        let mut v = Vec::new();
        r.read_to_end(&mut v)
            .map_err(|e| Error::io(format!("{}: {locator}", self.describe()), e))?;
        if v.len() as u64 > limit {
            return Err(Error::format(
                format!("{}: {locator}", self.describe()),
                format!("larger than the {limit} byte limit for metadata"),
            ));
        }
        Ok(v)
    }
}

/// Normalises a locator to a relative path inside the store; refuses to climb out of it.
fn rel(locator: &str) -> Option<String> {
    let p = clean_path(locator).ok()?;
    let p = p.trim_start_matches('/');
    (!p.is_empty()).then(|| p.to_string())
}

/// An OCI layout (or any tree) on disk. Reading only; symlinks in it are followed because the
/// digest check, not the file system, is what makes a blob trustworthy.
pub(crate) struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub(crate) fn new(root: &Path) -> DirStore {
        DirStore {
            root: root.to_path_buf(),
        }
    }

    fn path(&self, locator: &str) -> Result<PathBuf> {
        let r = rel(locator).ok_or_else(|| {
            Error::format(
                self.describe(),
                format!("refusing blob path '{locator}' (outside the layout)"),
            )
        })?;
        Ok(self.root.join(r))
    }
}

impl BlobStore for DirStore {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        let p = self.path(locator)?;
        let f = File::open(&p).map_err(|e| Error::io(p.display(), e))?;
        Ok(Box::new(f))
    }

    fn exists(&self, locator: &str) -> bool {
        self.path(locator).map(|p| p.is_file()).unwrap_or(false)
    }
}

#[derive(Debug, Clone)]
struct Member {
    offset: u64,
    size: u64,
    /// Symlink or hard link target, already made archive-relative.
    link: Option<String>,
}

/// An uncompressed tar archive: indexed once by seeking over member data, then members are
/// read by offset through independent file handles, so layers can be read in parallel.
pub(crate) struct TarStore {
    path: PathBuf,
    members: HashMap<String, Member>,
}

/// Members with names that escape the archive root are left out of the index: no manifest can
/// name them without escaping too, and `rel` refuses such locators.
fn archive_link_target(name: &str, typeflag: u8, link: &[u8]) -> Option<String> {
    let link = String::from_utf8_lossy(link);
    let joined = if typeflag == flag::SYMLINK && !link.starts_with('/') {
        match name.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{link}"),
            None => link.to_string(),
        }
    } else {
        link.to_string()
    };
    rel(&joined)
}

impl TarStore {
    pub(crate) fn open(path: &Path, max_header: u64) -> Result<TarStore> {
        let f = File::open(path).map_err(|e| Error::io(path.display(), e))?;
        let mut tar = TarReader::new(BufReader::with_capacity(64 * 1024, f), max_header);
        let mut members = HashMap::new();
        let what = || path.display().to_string();
        loop {
            let e = match tar.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(e) => return Err(archive_err(&what(), e)),
            };
            let name = String::from_utf8_lossy(&e.name).into_owned();
            if let Some(n) = rel(&name) {
                let link = match e.typeflag {
                    flag::SYMLINK | flag::LINK => archive_link_target(&n, e.typeflag, &e.link),
                    _ => None,
                };
                if matches!(
                    e.typeflag,
                    flag::REG | flag::AREG | flag::CONT | flag::SYMLINK | flag::LINK
                ) {
                    members.insert(
                        n,
                        Member {
                            offset: tar.position(),
                            size: e.stored_size,
                            link,
                        },
                    );
                }
            }
            tar.skip_data_with(|r, n| r.seek_relative(n as i64))
                .map_err(|e| Error::io(what(), e))?;
        }
        Ok(TarStore {
            path: path.to_path_buf(),
            members,
        })
    }

    fn member(&self, locator: &str) -> Option<&Member> {
        let mut name = rel(locator)?;
        // Docker's own archives link `<id>/layer.tar` to `../<diffid>.tar`; follow a few hops.
        for _ in 0..16 {
            let m = self.members.get(&name)?;
            match &m.link {
                None => return Some(m),
                Some(t) => name = t.clone(),
            }
        }
        None
    }
}

fn archive_err(what: &str, e: crate::tarstream::TarError) -> Error {
    match e {
        crate::tarstream::TarError::Io(e) => Error::io(what, e),
        crate::tarstream::TarError::Format { entry, message } => Error::format(
            match entry {
                Some(en) => format!("{what}: member '{en}'"),
                None => what.to_string(),
            },
            message,
        ),
    }
}

impl BlobStore for TarStore {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        let m = self.member(locator).ok_or_else(|| {
            Error::format(
                self.describe(),
                format!("no member '{locator}' in the archive"),
            )
        })?;
        let mut f = File::open(&self.path).map_err(|e| Error::io(self.path.display(), e))?;
        f.seek(SeekFrom::Start(m.offset))
            .map_err(|e| Error::io(self.path.display(), e))?;
        Ok(Box::new(f.take(m.size)))
    }

    fn exists(&self, locator: &str) -> bool {
        self.member(locator).is_some()
    }
}

/// A compressed tar archive (`docker save | gzip`). It can only be read front to back, so the
/// first pass keeps small members (metadata) in memory and records the others' names; layers
/// are then read in one more pass with [`BlobStore::visit`].
pub(crate) struct StreamTarStore {
    path: PathBuf,
    small: HashMap<String, Vec<u8>>,
    large: HashMap<String, u64>,
    links: HashMap<String, String>,
    max_header: u64,
}

/// Members up to this size are kept from the first pass: manifests, configs, `manifest.json`.
const SMALL_MEMBER: u64 = 4 * 1024 * 1024;
const SMALL_TOTAL: u64 = 64 * 1024 * 1024;

fn decompressing_reader(path: &Path) -> Result<Box<dyn io::BufRead + Send>> {
    let mut f = BufReader::with_capacity(
        256 * 1024,
        File::open(path).map_err(|e| Error::io(path.display(), e))?,
    );
    let head = io::BufRead::fill_buf(&mut f).map_err(|e| Error::io(path.display(), e))?;
    Ok(match head {
        [0x1f, 0x8b, ..] => Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(f),
        )),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::stream::read::Decoder::with_buffer(f)
                .map_err(|e| Error::io(path.display(), e))?,
        )),
        _ => Box::new(f),
    })
}

/// Whether a file is a compressed archive (gzip or zstd), going by its first bytes.
pub(crate) fn is_compressed_file(path: &Path) -> Result<bool> {
    let mut f = File::open(path).map_err(|e| Error::io(path.display(), e))?;
    let mut head = [0u8; 4];
    let n = f
        .read(&mut head)
        .map_err(|e| Error::io(path.display(), e))?;
    Ok(matches!(
        &head[..n],
        [0x1f, 0x8b, ..] | [0x28, 0xb5, 0x2f, 0xfd]
    ))
}

impl StreamTarStore {
    pub(crate) fn open(path: &Path, max_header: u64, max_total: u64) -> Result<StreamTarStore> {
        let what = path.display().to_string();
        let mut tar = TarReader::new(decompressing_reader(path)?, max_header);
        let mut small = HashMap::new();
        let mut large = HashMap::new();
        let mut links = HashMap::new();
        let mut kept = 0u64;
        loop {
            let e = match tar.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(e) => return Err(archive_err(&what, e)),
            };
            if tar.position() > max_total {
                return Err(Error::format(
                    &what,
                    format!("decompressed archive is over the {max_total} byte limit"),
                ));
            }
            let name = String::from_utf8_lossy(&e.name).into_owned();
            let Some(n) = rel(&name) else { continue };
            match e.typeflag {
                flag::SYMLINK | flag::LINK => {
                    if let Some(t) = archive_link_target(&n, e.typeflag, &e.link) {
                        links.insert(n, t);
                    }
                }
                flag::REG | flag::AREG | flag::CONT => {
                    if e.stored_size <= SMALL_MEMBER && kept + e.stored_size <= SMALL_TOTAL {
                        let mut v = vec![0u8; e.stored_size as usize];
                        let mut got = 0;
                        while got < v.len() {
                            let k = tar
                                .read_data(&mut v[got..])
                                .map_err(|e| Error::io(&what, e))?;
                            if k == 0 {
                                break;
                            }
                            got += k;
                        }
                        kept += got as u64;
                        small.insert(n, v);
                    } else {
                        large.insert(n, e.stored_size);
                    }
                }
                _ => {}
            }
        }
        Ok(StreamTarStore {
            path: path.to_path_buf(),
            small,
            large,
            links,
            max_header,
        })
    }

    fn canonical(&self, locator: &str) -> Option<String> {
        let mut name = rel(locator)?;
        for _ in 0..16 {
            match self.links.get(&name) {
                Some(t) => name = t.clone(),
                None => return Some(name),
            }
        }
        None
    }
}

impl BlobStore for StreamTarStore {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        let name = self.canonical(locator);
        if let Some(v) = name.as_ref().and_then(|n| self.small.get(n)) {
            return Ok(Box::new(io::Cursor::new(v.as_slice())));
        }
        let name = name.ok_or_else(|| {
            Error::format(
                self.describe(),
                format!("no member '{locator}' in the archive"),
            )
        })?;
        if !self.large.contains_key(&name) {
            return Err(Error::format(
                self.describe(),
                format!("no member '{locator}' in the archive"),
            ));
        }
        // A large member on its own costs one more pass up to it; scans use `visit` instead.
        let mut tar = TarReader::new(decompressing_reader(&self.path)?, self.max_header);
        while let Some(e) = tar
            .next_entry()
            .map_err(|e| archive_err(&self.describe(), e))?
        {
            if rel(&String::from_utf8_lossy(&e.name)).as_deref() == Some(name.as_str()) {
                return Ok(Box::new(OwnedMember { tar }));
            }
        }
        Err(Error::format(
            self.describe(),
            format!("member '{locator}' vanished between passes"),
        ))
    }

    fn exists(&self, locator: &str) -> bool {
        self.canonical(locator)
            .map(|n| self.small.contains_key(&n) || self.large.contains_key(&n))
            .unwrap_or(false)
    }

    fn sequential(&self) -> bool {
        true
    }

    fn visit(
        &self,
        locators: &[String],
        f: &mut dyn FnMut(usize, &mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        let what = self.describe();
        let mut want: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, l) in locators.iter().enumerate() {
            let n = self
                .canonical(l)
                .ok_or_else(|| Error::format(&what, format!("no member '{l}' in the archive")))?;
            if let Some(v) = self.small.get(&n) {
                f(i, &mut io::Cursor::new(v.as_slice()))?;
            } else if self.large.contains_key(&n) {
                want.entry(n).or_default().push(i);
            } else {
                return Err(Error::format(
                    &what,
                    format!("no member '{l}' in the archive"),
                ));
            }
        }
        if want.is_empty() {
            return Ok(());
        }
        let mut again: Vec<(usize, String)> = Vec::new();
        let mut tar = TarReader::new(decompressing_reader(&self.path)?, self.max_header);
        while let Some(e) = tar.next_entry().map_err(|e| archive_err(&what, e))? {
            let Some(n) = rel(&String::from_utf8_lossy(&e.name)) else {
                continue;
            };
            let Some(idx) = want.remove(&n) else { continue };
            let mut r = MemberReader { tar: &mut tar };
            f(idx[0], &mut r)?;
            // The same member named twice in manifest.json: later uses get a pass of their own.
            again.extend(idx[1..].iter().map(|&i| (i, n.clone())));
            if want.is_empty() {
                break;
            }
        }
        if let Some(n) = want.keys().next() {
            return Err(Error::format(
                &what,
                format!("member '{n}' vanished between passes"),
            ));
        }
        for (i, n) in again {
            let mut r = self.open(&n)?;
            f(i, &mut r)?;
        }
        Ok(())
    }
}

struct OwnedMember {
    tar: TarReader<Box<dyn io::BufRead + Send>>,
}

impl Read for OwnedMember {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tar.read_data(buf)
    }
}

struct MemberReader<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: io::BufRead> Read for MemberReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tar.read_data(buf)
    }
}
