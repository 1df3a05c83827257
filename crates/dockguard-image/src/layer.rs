//! Streaming one layer blob: compression sniffed from magic bytes, blob digest and diff_id
//! hashed in the same pass, tar entries turned into [`FileEntry`]s, wanted contents handed to
//! analyzers. Nothing is ever written to disk.

use crate::analyze::{AnalyzerOutput, FileAnalyzer, FileContent, MAGIC_PEEK};
use crate::digest::{Algorithm, Digest, HashingReader, LimitExceeded, RatioExceeded, RatioGuard};
use crate::error::{Error, LayerName, Result};
use crate::fs::{clean_path, FileEntry, FileKind, Xattr};
use crate::tarstream::{flag, RawEntry, TarError, TarReader};
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, BufReader, Read};

const BUF: usize = 256 * 1024;

/// How a layer blob is compressed, as detected from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Bounds that keep hostile images from exhausting memory, disk or time. The defaults are
/// generous enough for real images (multi-gigabyte ML layers, a million files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Uncompressed bytes of one layer (decompression-bomb bound).
    pub max_layer_size: u64,
    /// Stored bytes of a blob whose descriptor gives no size (docker-archive members).
    pub max_blob_size: u64,
    /// Tar entries in one layer.
    pub max_entries_per_layer: u64,
    /// Tar entries in the whole image.
    pub max_entries: u64,
    /// One PAX header or GNU long name (these are held in memory).
    pub max_header_size: u64,
    /// Paths, link targets and xattrs kept for one layer.
    pub max_layer_metadata: u64,
    /// Manifests, indexes, configs and `manifest.json`.
    pub max_metadata_size: u64,
    /// Content handed to analyzers for one file, whatever they ask for.
    pub max_file_content: u64,
    /// Uncompressed/compressed ratio above which a layer is refused as a decompression bomb,
    /// checked once a layer has produced [`Limits::ratio_floor`] bytes (gzip tops out near
    /// 1000:1 on zeros; real layers are below 20:1).
    pub max_compression_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const GIB: u64 = 1 << 30;
        const MIB: u64 = 1 << 20;
        Limits {
            max_layer_size: 64 * GIB,
            max_blob_size: 64 * GIB,
            max_entries_per_layer: 2_000_000,
            max_entries: 4_000_000,
            max_header_size: MIB,
            max_layer_metadata: 512 * MIB,
            max_metadata_size: 16 * MIB,
            max_file_content: 256 * MIB,
            max_compression_ratio: 200,
            ratio_floor: GIB,
        }
    }
}

/// What the reader knows about a layer before reading it.
pub(crate) struct LayerExpect<'a> {
    pub name: LayerName,
    pub index: usize,
    pub digest: Option<&'a Digest>,
    pub size: Option<u64>,
    pub diff_id: Option<&'a Digest>,
}

/// Everything one pass over a layer produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LayerRead {
    pub entries: Vec<FileEntry>,
    pub blob_digest: Digest,
    pub blob_size: u64,
    pub diff_id: Digest,
    pub uncompressed_size: u64,
    pub compression: Compression,
    /// Per analyzer, in the order they were given.
    #[serde(skip)]
    pub outputs: Vec<Vec<AnalyzerOutput>>,
}

fn sniff(head: &[u8]) -> std::result::Result<Compression, &'static str> {
    Ok(match head {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => {
            return Err("xz-compressed layers are not supported")
        }
        [b'B', b'Z', b'h', ..] => return Err("bzip2-compressed layers are not supported"),
        _ => Compression::None,
    })
}

fn describe_io(e: &io::Error, limits: &Limits, what: &str) -> String {
    if let Some(r) = e.get_ref().and_then(|i| i.downcast_ref::<RatioExceeded>()) {
        return format!(
            "{what}: {r}, over the {}:1 limit (decompression bomb?)",
            limits.max_compression_ratio
        );
    }
    if let Some(l) = e.get_ref().and_then(|i| i.downcast_ref::<LimitExceeded>()) {
        if l.0 == limits.max_layer_size {
            return format!(
                "{what}: uncompressed size is over the limit of {} bytes (decompression bomb?)",
                limits.max_layer_size
            );
        }
        return format!(
            "{what}: blob is longer than its recorded size ({} bytes)",
            l.0
        );
    }
    if e.kind() == io::ErrorKind::UnexpectedEof {
        return format!("{what}: unexpected end of data (truncated blob?): {e}");
    }
    format!("{what}: {e}")
}

/// Reads one layer blob from `src`, verifying its digest, size and diff_id when known.
pub(crate) fn read_layer(
    src: &mut dyn Read,
    ex: &LayerExpect<'_>,
    analyzers: &[&dyn FileAnalyzer],
    limits: &Limits,
) -> Result<LayerRead> {
    let layer_err = |message: String| Error::Layer {
        layer: ex.name.clone(),
        message,
    };
    let alg = ex.digest.map(Digest::alg).unwrap_or(Algorithm::Sha256);
    let blob_limit = ex.size.unwrap_or(limits.max_blob_size);
    let mut hashed = HashingReader::new(src, alg, blob_limit);
    let input = hashed.share_count();
    let mut blob = BufReader::with_capacity(BUF, hashed);
    let head = blob
        .fill_buf()
        .map_err(|e| layer_err(describe_io(&e, limits, "reading blob")))?;
    let compression = sniff(head).map_err(|m| layer_err(m.to_string()))?;
    let diff_alg = ex.diff_id.map(Digest::alg).unwrap_or(Algorithm::Sha256);
    let mut collector = Collector {
        ex,
        analyzers,
        limits,
        entries: Vec::new(),
        outputs: vec![Vec::new(); analyzers.len()],
        buf: Vec::new(),
        metadata_bytes: 0,
        raw_count: 0,
        guard: RatioGuard {
            input,
            ratio: limits.max_compression_ratio,
            floor: limits.ratio_floor,
        },
    };
    let decoded = match compression {
        Compression::None => collector.run(&mut blob, diff_alg, false),
        Compression::Gzip => collector.run(
            flate2::bufread::MultiGzDecoder::new(&mut blob),
            diff_alg,
            true,
        ),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(&mut blob) {
            Ok(d) => collector.run(d, diff_alg, true),
            Err(e) => Err(layer_err(format!("zstd: {e}"))),
        },
    };
    // Drain what the decoder left so the blob digest covers every byte; when decoding failed,
    // a digest or size mismatch is the clearer diagnosis (a truncated or tampered blob).
    let drained = io::copy(&mut blob, &mut io::sink());
    let (blob_digest, blob_size) = blob.into_inner().finish();
    if let Err(e) = &drained {
        return Err(layer_err(describe_io(e, limits, "reading blob")));
    }
    if let Some(want) = ex.size {
        if blob_size != want {
            return Err(layer_err(format!(
                "blob is {blob_size} bytes but its descriptor says {want} (truncated?)"
            )));
        }
    }
    if let Some(want) = ex.digest {
        if &blob_digest != want {
            return Err(Error::DigestMismatch {
                what: format!("{} blob", ex.name),
                expected: want.to_string(),
                actual: blob_digest.to_string(),
            });
        }
    }
    let (diff_id, uncompressed_size) = decoded?;
    if let Some(want) = ex.diff_id {
        if &diff_id != want {
            return Err(Error::DigestMismatch {
                what: format!("{} uncompressed content (diff_id)", ex.name),
                expected: want.to_string(),
                actual: diff_id.to_string(),
            });
        }
    }
    let mut entries = collector.entries;
    // A path may appear twice in one tar; extraction keeps the last one, so do we. A whiteout
    // and a file of the same path are different things and both stay.
    entries.sort_by(|a, b| (a.path.as_str(), class(a)).cmp(&(b.path.as_str(), class(b))));
    entries.dedup_by(|later, kept| {
        if later.path == kept.path && class(later) == class(kept) {
            std::mem::swap(later, kept);
            true
        } else {
            false
        }
    });
    entries.shrink_to_fit();
    Ok(LayerRead {
        entries,
        blob_digest,
        blob_size,
        diff_id,
        uncompressed_size,
        compression,
        outputs: collector.outputs,
    })
}

fn class(e: &FileEntry) -> u8 {
    match e.kind {
        FileKind::Whiteout => 1,
        FileKind::OpaqueWhiteout => 2,
        _ => 0,
    }
}

struct Collector<'a> {
    ex: &'a LayerExpect<'a>,
    analyzers: &'a [&'a dyn FileAnalyzer],
    limits: &'a Limits,
    entries: Vec<FileEntry>,
    outputs: Vec<Vec<AnalyzerOutput>>,
    buf: Vec<u8>,
    metadata_bytes: u64,
    raw_count: u64,
    guard: RatioGuard,
}

impl Collector<'_> {
    fn layer_err(&self, message: String) -> Error {
        Error::Layer {
            layer: self.ex.name.clone(),
            message,
        }
    }

    fn entry_err(&self, entry: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Entry {
            layer: self.ex.name.clone(),
            entry: entry.into(),
            message: message.into(),
        }
    }

    fn tar_err(&self, e: TarError, last: Option<&str>) -> Error {
        match e {
            TarError::Io(e) => {
                let msg = describe_io(&e, self.limits, "decompressing");
                match last {
                    Some(l) => self.entry_err(l, msg),
                    None => self.layer_err(msg),
                }
            }
            TarError::Format { entry, message } => match entry.as_deref().or(last) {
                Some(en) => self.entry_err(en, message),
                None => self.layer_err(message),
            },
        }
    }

    /// Tar-parses the decoded stream and returns (diff_id, uncompressed size).
    fn run<R: Read>(
        &mut self,
        decoded: R,
        alg: Algorithm,
        compressed: bool,
    ) -> Result<(Digest, u64)> {
        let mut diff = HashingReader::new(decoded, alg, self.limits.max_layer_size);
        if compressed {
            diff = diff.with_ratio_guard(self.guard.clone());
        }
        let mut tar = TarReader::new(
            BufReader::with_capacity(BUF, &mut diff),
            self.limits.max_header_size,
        );
        let mut last_name: Option<String> = None;
        loop {
            let raw = match tar.next_entry() {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => return Err(self.tar_err(e, last_name.as_deref())),
            };
            self.raw_count += 1;
            if self.raw_count > self.limits.max_entries_per_layer {
                return Err(self.layer_err(format!(
                    "more than {} tar entries (limit)",
                    self.limits.max_entries_per_layer
                )));
            }
            let display = String::from_utf8_lossy(&raw.name).into_owned();
            let sparse = raw.sparse;
            let entry = match convert(raw, self.ex.index) {
                Ok(Some(e)) => e,
                Ok(None) => {
                    last_name = Some(display);
                    continue;
                }
                Err(m) => return Err(self.entry_err(display, m)),
            };
            self.metadata_bytes += (entry.path.len()
                + entry.link_target.as_ref().map_or(0, String::len)
                + entry
                    .xattrs
                    .iter()
                    .map(|x| x.name.len() + x.value.len())
                    .sum::<usize>()) as u64;
            if self.metadata_bytes > self.limits.max_layer_metadata {
                return Err(self.entry_err(
                    display,
                    format!(
                        "layer metadata (paths, links, xattrs) over the limit of {} bytes",
                        self.limits.max_layer_metadata
                    ),
                ));
            }
            if entry.kind == FileKind::Regular && !sparse && !self.analyzers.is_empty() {
                self.deliver(&mut tar, &entry)
                    .map_err(|e| self.tar_err(e, Some(&display)))?;
            }
            self.entries.push(entry);
            last_name = Some(display);
        }
        // Bytes after the end-of-archive marker are part of the diff_id too.
        let mut rest = tar.into_inner();
        io::copy(&mut rest, &mut io::sink())
            .map_err(|e| self.layer_err(describe_io(&e, self.limits, "decompressing")))?;
        drop(rest);
        Ok(diff.finish())
    }

    fn deliver<R: BufRead>(
        &mut self,
        tar: &mut TarReader<R>,
        entry: &FileEntry,
    ) -> std::result::Result<(), TarError> {
        let mut wanted: Vec<usize> = Vec::new();
        let mut peek: Vec<usize> = Vec::new();
        for (i, a) in self.analyzers.iter().enumerate() {
            let interest = a.interest();
            if interest.wants_without_content(entry) {
                wanted.push(i);
            } else if interest.needs_magic() {
                peek.push(i);
            }
        }
        if wanted.is_empty() && peek.is_empty() {
            return Ok(());
        }
        self.buf.clear();
        if !peek.is_empty() {
            fill(
                tar,
                &mut self.buf,
                entry.size.min(MAGIC_PEEK as u64) as usize,
            )?;
            for i in peek {
                if self.analyzers[i].interest().wants_magic(&self.buf) {
                    wanted.push(i);
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let want_max = wanted
            .iter()
            .map(|&i| self.analyzers[i].interest().max_file_size())
            .max()
            .unwrap_or(0)
            .min(self.limits.max_file_content);
        fill(tar, &mut self.buf, entry.size.min(want_max) as usize)?;
        wanted.sort_unstable();
        for i in wanted {
            let a = self.analyzers[i];
            let lim = (a.interest().max_file_size() as usize).min(self.buf.len());
            let content = FileContent {
                data: &self.buf[..lim],
                truncated: entry.size > lim as u64,
            };
            if let Some(value) = a.analyze(entry, content) {
                self.outputs[i].push(AnalyzerOutput {
                    layer_index: self.ex.index,
                    path: entry.path.clone(),
                    value,
                });
            }
        }
        Ok(())
    }
}

/// Reads the current tar member's data until `buf` holds `target` bytes.
fn fill<R: BufRead>(
    tar: &mut TarReader<R>,
    buf: &mut Vec<u8>,
    target: usize,
) -> std::result::Result<(), TarError> {
    let start = buf.len();
    if target <= start {
        return Ok(());
    }
    buf.resize(target, 0);
    let mut got = start;
    while got < target {
        let n = tar.read_data(&mut buf[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    buf.truncate(got);
    Ok(())
}

/// Turns a raw tar member into an entry of the layer's view; `Ok(None)` for members that are
/// not part of it (the root directory itself, AUFS bookkeeping).
fn convert(raw: RawEntry, layer_index: usize) -> std::result::Result<Option<FileEntry>, String> {
    let name = String::from_utf8_lossy(&raw.name);
    let path = clean_path(&name).map_err(str::to_string)?;
    let uid = u32::try_from(raw.uid).map_err(|_| format!("uid {} is out of range", raw.uid))?;
    let gid = u32::try_from(raw.gid).map_err(|_| format!("gid {} is out of range", raw.gid))?;
    let xattrs = raw
        .xattrs
        .into_iter()
        .map(|(name, value)| Xattr { name, value })
        .collect();
    let mut entry = FileEntry {
        path,
        kind: FileKind::Regular,
        mode: raw.mode,
        uid,
        gid,
        size: 0,
        link_target: None,
        xattrs,
        layer_index,
    };
    if entry.path == "/" {
        return Ok(None);
    }
    let (parent, base) = entry.path.rsplit_once('/').unwrap_or(("", ""));
    if let Some(target) = base.strip_prefix(".wh.") {
        let parent = if parent.is_empty() { "/" } else { parent };
        if base == ".wh..wh..opq" {
            entry.kind = FileKind::OpaqueWhiteout;
            entry.path = parent.to_string();
        } else if target.starts_with(".wh.") {
            // `.wh..wh.plnk`, `.wh..wh.aufs`: AUFS internals, not image content.
            return Ok(None);
        } else if target.is_empty() || target == "." || target == ".." {
            return Err(format!("whiteout of '{target}' is not a file name"));
        } else {
            entry.kind = FileKind::Whiteout;
            entry.path = if parent == "/" {
                format!("/{target}")
            } else {
                format!("{parent}/{target}")
            };
        }
        return Ok(Some(entry));
    }
    match raw.typeflag {
        flag::REG | flag::CONT | flag::GNU_SPARSE => entry.size = raw.size,
        flag::AREG if name.ends_with('/') => entry.kind = FileKind::Directory,
        flag::AREG => entry.size = raw.size,
        flag::DIR | flag::GNU_DUMPDIR => entry.kind = FileKind::Directory,
        flag::SYMLINK => {
            entry.kind = FileKind::Symlink;
            entry.link_target = Some(String::from_utf8_lossy(&raw.link).into_owned());
        }
        flag::LINK => {
            entry.kind = FileKind::HardLink;
            let target = clean_path(&String::from_utf8_lossy(&raw.link)).map_err(|m| {
                format!(
                    "hard link target '{}': {m}",
                    String::from_utf8_lossy(&raw.link)
                )
            })?;
            if target == "/" {
                return Err("hard link to the image root".to_string());
            }
            entry.link_target = Some(target);
        }
        flag::CHAR => entry.kind = FileKind::CharDevice,
        flag::BLOCK => entry.kind = FileKind::BlockDevice,
        flag::FIFO => entry.kind = FileKind::Fifo,
        other => {
            return Err(format!(
                "unsupported tar entry type '{}'",
                (other as char).escape_default()
            ))
        }
    }
    Ok(Some(entry))
}
