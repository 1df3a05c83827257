//! `db update`: fetch `<mirror>/<Ecosystem>/all.zip` for the ecosystems asked for (or those
//! already present and those recent scans needed), conditionally, verify and import.
//!
//! Change detection is layered: `If-None-Match`/`If-Modified-Since` avoid the download; when a
//! server ignores them, the SHA-256 of the body avoids the re-import. Bodies are checked against
//! `Content-Length` and the bucket's `x-goog-hash: crc32c=…` when present, and each zip entry
//! against its CRC-32 while importing. Downloads go to a temporary file in the database
//! directory, so nothing outside it is written.

use crate::import::{ImportStats, SourceMeta, Unit};
use crate::names::normalize_ecosystem;
use crate::store::{now_rfc3339, Database};
use crate::{Error, Result};
use base64::Engine as _;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

/// The public OSV bucket.
pub const DEFAULT_MIRROR: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Largest `all.zip` we download.
const MAX_DOWNLOAD: u64 = 8 << 30;
const ATTEMPTS: u32 = 3;

/// What to update and from where.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Base URL: `http://`, `https://` or `file://`; `<Ecosystem>/all.zip` is appended.
    pub mirror: String,
    /// Bucket ecosystems (`Debian`, `PyPI`, `Debian:12` is read as `Debian`). Empty: those
    /// already in the database plus those scans recorded as needed.
    pub ecosystems: Vec<String>,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            mirror: DEFAULT_MIRROR.to_string(),
            ecosystems: Vec::new(),
        }
    }
}

/// What happened to one ecosystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateOutcome {
    /// Downloaded (or read from a `file://` mirror) and imported.
    Updated,
    /// The server answered 304 Not Modified: nothing downloaded.
    NotModified,
    /// Downloaded, but byte-identical to what is imported: not re-imported.
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct EcosystemUpdate {
    pub ecosystem: String,
    pub url: String,
    pub outcome: UpdateOutcome,
    /// Bytes transferred.
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateStats {
    pub ecosystems: Vec<EcosystemUpdate>,
    pub import: ImportStats,
}

impl UpdateStats {
    pub fn downloaded_bytes(&self) -> u64 {
        self.ecosystems.iter().map(|e| e.bytes).sum()
    }
}

struct Previous {
    source: String,
    etag: Option<String>,
    last_modified: Option<String>,
    sha256: Option<String>,
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_path(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// CRC-32C (Castagnoli), the checksum Cloud Storage publishes in `x-goog-hash`.
pub(crate) struct Crc32c {
    table: [u32; 256],
    value: u32,
}

impl Crc32c {
    pub fn new() -> Self {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0x82F6_3B78
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        Crc32c { table, value: !0 }
    }

    pub fn update(&mut self, data: &[u8]) {
        for &b in data {
            self.value = self.table[((self.value ^ b as u32) & 0xff) as usize] ^ (self.value >> 8);
        }
    }

    pub fn finish(&self) -> u32 {
        !self.value
    }
}

/// The `crc32c=` value of `x-goog-hash` headers, if any.
fn goog_crc32c(resp: &ureq::http::Response<ureq::Body>) -> Option<u32> {
    for v in resp.headers().get_all("x-goog-hash") {
        let Ok(v) = v.to_str() else { continue };
        for part in v.split(',') {
            if let Some(b64) = part.trim().strip_prefix("crc32c=") {
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
                let arr: [u8; 4] = bytes.try_into().ok()?;
                return Some(u32::from_be_bytes(arr));
            }
        }
    }
    None
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl Database {
    fn previous(&self, bucket: &str) -> Result<Option<Previous>> {
        let conn = self.lock();
        conn.query_row(
            "SELECT source, etag, last_modified, sha256 FROM sources WHERE ecosystem = ?1",
            [bucket],
            |r| {
                Ok(Previous {
                    source: r.get(0)?,
                    etag: r.get(1)?,
                    last_modified: r.get(2)?,
                    sha256: r.get(3)?,
                })
            },
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    fn touch(&self, bucket: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<()> {
        let conn = self.lock();
        conn.execute(
            "UPDATE sources SET updated = ?2, etag = coalesce(?3, etag), \
             last_modified = coalesce(?4, last_modified) WHERE ecosystem = ?1",
            params![bucket, now_rfc3339(), etag, last_modified],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    fn targets(&self, options: &UpdateOptions) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |e: &str| {
            let b = normalize_ecosystem(e)
                .split(':')
                .next()
                .unwrap_or("")
                .to_string();
            if !b.is_empty() && !out.contains(&b) {
                out.push(b);
            }
        };
        if options.ecosystems.is_empty() {
            let conn = self.lock();
            for table in ["sources", "wanted"] {
                let mut st = conn
                    .prepare(&format!("SELECT ecosystem FROM {table} ORDER BY ecosystem"))
                    .map_err(|e| self.err(e))?;
                let names = st
                    .query_map([], |r| r.get::<_, String>(0))
                    .map_err(|e| self.err(e))?;
                for n in names.flatten() {
                    add(&n);
                }
            }
        } else {
            for e in &options.ecosystems {
                add(e);
            }
        }
        if out.is_empty() {
            return Err(Error::Usage(
                "no ecosystems to update: name them (for example `dockguard db update Debian \
                 PyPI`) or run a scan first so dockguard knows which ones it needs"
                    .into(),
            ));
        }
        Ok(out)
    }

    /// Downloads and imports per [`UpdateOptions`].
    pub fn update(&self, options: &UpdateOptions) -> Result<UpdateStats> {
        let targets = self.targets(options)?;
        self.remove_stale_downloads();
        let base = options.mirror.trim_end_matches('/').to_string();
        let mut stats = UpdateStats::default();
        let mut units = Vec::new();
        // Temporary downloads live until the import has read them.
        let mut keep = Vec::new();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(Duration::from_secs(120)))
            .user_agent(concat!("dockguard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        for bucket in targets {
            let url = format!("{base}/{}/all.zip", encode_segment(&bucket));
            let prev = self.previous(&bucket)?.filter(|p| p.source == url);
            if let Some(rest) = url.strip_prefix("file://") {
                let path = PathBuf::from(decode_path(rest));
                let sha = sha256_file(&path).map_err(|e| Error::Download {
                    url: url.clone(),
                    message: e.to_string(),
                })?;
                let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                if prev.as_ref().and_then(|p| p.sha256.as_deref()) == Some(sha.as_str()) {
                    self.touch(&bucket, None, None)?;
                    stats.ecosystems.push(EcosystemUpdate {
                        ecosystem: bucket,
                        url,
                        outcome: UpdateOutcome::Unchanged,
                        bytes: 0,
                    });
                    continue;
                }
                units.push((
                    Unit::Zip {
                        bucket: Some(bucket.clone()),
                        path,
                    },
                    SourceMeta {
                        label: url.clone(),
                        sha256: Some(sha),
                        ..SourceMeta::default()
                    },
                ));
                stats.ecosystems.push(EcosystemUpdate {
                    ecosystem: bucket,
                    url,
                    outcome: UpdateOutcome::Updated,
                    bytes,
                });
                continue;
            }
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::Usage(format!(
                    "mirror {base}: expected an http://, https:// or file:// URL"
                )));
            }
            let resp = fetch(&agent, &url, prev.as_ref())?;
            let status = resp.status().as_u16();
            if status == 304 {
                self.touch(&bucket, header(&resp, "etag").as_deref(), None)?;
                stats.ecosystems.push(EcosystemUpdate {
                    ecosystem: bucket,
                    url,
                    outcome: UpdateOutcome::NotModified,
                    bytes: 0,
                });
                continue;
            }
            if status == 404 {
                return Err(Error::Download {
                    url,
                    message: format!("not found: the mirror has no ecosystem named {bucket}"),
                });
            }
            if status != 200 {
                return Err(Error::Download {
                    url,
                    message: format!("HTTP status {status}"),
                });
            }
            let etag = header(&resp, "etag");
            let last_modified = header(&resp, "last-modified");
            let (tmp, sha, bytes) = self.download(resp, &url)?;
            if prev.as_ref().and_then(|p| p.sha256.as_deref()) == Some(sha.as_str()) {
                self.touch(&bucket, etag.as_deref(), last_modified.as_deref())?;
                stats.ecosystems.push(EcosystemUpdate {
                    ecosystem: bucket,
                    url,
                    outcome: UpdateOutcome::Unchanged,
                    bytes,
                });
                continue;
            }
            units.push((
                Unit::Zip {
                    bucket: Some(bucket.clone()),
                    path: tmp.path().to_path_buf(),
                },
                SourceMeta {
                    label: url.clone(),
                    etag,
                    last_modified,
                    sha256: Some(sha),
                },
            ));
            keep.push(tmp);
            stats.ecosystems.push(EcosystemUpdate {
                ecosystem: bucket,
                url,
                outcome: UpdateOutcome::Updated,
                bytes,
            });
        }
        if !units.is_empty() {
            stats.import = self.import_units(units)?;
        }
        drop(keep);
        Ok(stats)
    }

    /// A killed update leaves its partial download behind; remove those old enough that no
    /// running update can still be writing them.
    fn remove_stale_downloads(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if !name.to_string_lossy().starts_with(".download-") {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(6 * 3600));
            if old {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// Streams a response body to a temporary file in the database directory, verifying its
    /// length and CRC-32C when the server states them.
    fn download(
        &self,
        mut resp: ureq::http::Response<ureq::Body>,
        url: &str,
    ) -> Result<(tempfile::NamedTempFile, String, u64)> {
        let fail = |message: String| Error::Download {
            url: url.to_string(),
            message,
        };
        let expected_len =
            header(&resp, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let expected_crc = goog_crc32c(&resp);
        let mut tmp = tempfile::Builder::new()
            .prefix(".download-")
            .suffix(".zip")
            .tempfile_in(&self.dir)
            .map_err(|e| Error::io(&self.dir, e))?;
        let mut reader = resp.body_mut().with_config().limit(MAX_DOWNLOAD).reader();
        let mut sha = Sha256::new();
        let mut crc = Crc32c::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| fail(format!("download interrupted: {e}")))?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            crc.update(&buf[..n]);
            tmp.write_all(&buf[..n])
                .map_err(|e| Error::io(tmp.path(), e))?;
            total += n as u64;
        }
        tmp.flush().map_err(|e| Error::io(tmp.path(), e))?;
        if let Some(len) = expected_len {
            if len != total {
                return Err(fail(format!(
                    "received {total} bytes, Content-Length says {len}"
                )));
            }
        }
        if let Some(want) = expected_crc {
            if crc.finish() != want {
                return Err(fail(format!(
                    "CRC-32C mismatch: got {:08x}, x-goog-hash says {want:08x}",
                    crc.finish()
                )));
            }
        }
        let hex: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok((tmp, hex, total))
    }
}

fn fetch(
    agent: &ureq::Agent,
    url: &str,
    prev: Option<&Previous>,
) -> Result<ureq::http::Response<ureq::Body>> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut req = agent.get(url);
        if let Some(p) = prev {
            if let Some(e) = &p.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(lm) = &p.last_modified {
                req = req.header("If-Modified-Since", lm);
            }
        }
        match req.call() {
            Ok(r) if r.status().is_server_error() && attempt < ATTEMPTS => {}
            Ok(r) => return Ok(r),
            Err(e) if attempt >= ATTEMPTS => {
                return Err(Error::Download {
                    url: url.to_string(),
                    message: format!("{e} (after {ATTEMPTS} attempts)"),
                })
            }
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(500 * u64::from(attempt)));
    }
}

fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
    }
    Ok(sha.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_known_value() {
        let mut c = Crc32c::new();
        c.update(b"123456789");
        assert_eq!(c.finish(), 0xE306_9283);
    }

    #[test]
    fn url_segments() {
        assert_eq!(encode_segment("Rocky Linux"), "Rocky%20Linux");
        assert_eq!(decode_path("/tmp/a%20b/all.zip"), "/tmp/a b/all.zip");
        assert_eq!(decode_path("/x%2"), "/x%2");
    }
}
