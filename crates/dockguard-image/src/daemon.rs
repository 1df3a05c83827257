//! `docker:REF`: export an image from the Docker Engine API (`/var/run/docker.sock`,
//! `$DOCKER_HOST`; Podman's `podman system service` speaks the same API).
//!
//! The export (`GET /images/{name}/get`) is a `docker save` tar stream. It is spooled to one
//! file in dockguard's cache directory (deleted when the image is dropped) so that layers can
//! then be read in parallel like any docker-archive. HTTP over the unix socket is a dozen lines
//! of HTTP/1.1, which is cheaper than teaching the registry client about unix sockets.

use crate::error::{Error, Result};
use crate::image::{self, Image};
use crate::source::OpenOptions;
use crate::store::{BlobStore, TarStore};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const API: &str = "/v1.41";

fn endpoint(opts: &OpenOptions) -> String {
    opts.docker_host
        .clone()
        .or_else(|| std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()))
        .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

pub(crate) fn available(opts: &OpenOptions) -> bool {
    match endpoint(opts).strip_prefix("unix://") {
        Some(p) => Path::new(p).exists(),
        None => false,
    }
}

#[cfg(unix)]
fn request(host: &str, path: &str) -> Result<(u16, Box<dyn Read + Send>)> {
    let sock = host
        .strip_prefix("unix://")
        .ok_or_else(|| Error::remote(host, "only unix:// Docker hosts are supported"))?;
    let mut s =
        std::os::unix::net::UnixStream::connect(sock).map_err(|e| Error::remote(host, e))?;
    write!(
        s,
        "GET {API}{path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| Error::remote(host, e))?;
    let mut r = BufReader::with_capacity(256 * 1024, s);
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| Error::remote(host, e))?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| Error::remote(host, format!("not an HTTP response: {}", line.trim())))?;
    let mut chunked = false;
    let mut length: Option<u64> = None;
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(|e| Error::remote(host, e))? == 0 || line == "\r\n" {
            break;
        }
        if line.len() > 16 * 1024 {
            return Err(Error::remote(host, "response header line too long"));
        }
        let l = line.to_ascii_lowercase();
        if l.starts_with("transfer-encoding:") && l.contains("chunked") {
            chunked = true;
        }
        if let Some(v) = l.strip_prefix("content-length:") {
            length = v.trim().parse().ok();
        }
    }
    let body: Box<dyn Read + Send> = if chunked {
        Box::new(Chunked {
            r,
            left: 0,
            done: false,
        })
    } else if let Some(n) = length {
        Box::new(r.take(n))
    } else {
        Box::new(r)
    };
    Ok((status, body))
}

#[cfg(not(unix))]
fn request(host: &str, _path: &str) -> Result<(u16, Box<dyn Read + Send>)> {
    Err(Error::remote(
        host,
        "the Docker daemon source needs a unix socket",
    ))
}

/// HTTP/1.1 chunked transfer decoding.
struct Chunked<R> {
    r: R,
    left: u64,
    done: bool,
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.r.read_line(&mut line)?;
            if line == "\r\n" {
                line.clear();
                self.r.read_line(&mut line)?;
            }
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = u64::from_str_radix(size, 16).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad chunk size '{}'", line.trim()),
                )
            })?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let want = (buf.len() as u64).min(self.left) as usize;
        let n = self.r.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside a chunk",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn path_escape(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The spooled export; removed with the last reference to the image.
struct SpooledArchive {
    tar: TarStore,
    path: PathBuf,
}

impl Drop for SpooledArchive {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl BlobStore for SpooledArchive {
    fn describe(&self) -> String {
        self.tar.describe()
    }
    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        self.tar.open(locator)
    }
    fn exists(&self, locator: &str) -> bool {
        self.tar.exists(locator)
    }
}

pub(crate) fn open_daemon(source: &str, reference: &str, opts: &OpenOptions) -> Result<Image> {
    let host = endpoint(opts);
    let name = path_escape(reference);
    let (status, mut body) = request(&host, &format!("/images/{name}/json"))?;
    let mut info = Vec::new();
    (&mut body)
        .take(1 << 20)
        .read_to_end(&mut info)
        .map_err(|e| Error::remote(&host, e))?;
    match status {
        200 => {}
        404 => {
            return Err(Error::NotFound {
                message: format!("{host}: no image '{reference}' in the daemon"),
            })
        }
        s => {
            return Err(Error::remote(
                &host,
                format!(
                    "HTTP {s}: {}",
                    String::from_utf8_lossy(&info[..info.len().min(300)]).trim()
                ),
            ))
        }
    }
    let dir = opts
        .work_dir
        .clone()
        .or_else(|| crate::cache::Cache::default_dir().map(|d| d.join("tmp")))
        .ok_or_else(|| {
            Error::source(
                source,
                "no directory to export the image into (set HOME or a cache dir)",
            )
        })?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    let path = dir.join(format!(
        "docker-export-{}-{}.tar",
        std::process::id(),
        unique()
    ));
    let (status, mut body) = request(&host, &format!("/images/{name}/get"))?;
    if status != 200 {
        return Err(Error::remote(
            &host,
            format!("export of '{reference}' failed with HTTP {status}"),
        ));
    }
    let mut write = || -> io::Result<()> {
        let mut f = std::fs::File::create(&path)?;
        let n = io::copy(&mut (&mut body).take(opts.limits.max_blob_size + 1), &mut f)?;
        if n > opts.limits.max_blob_size {
            return Err(io::Error::other(
                "export is larger than the blob size limit",
            ));
        }
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&path);
        return Err(Error::remote(
            &host,
            format!("exporting '{reference}': {e}"),
        ));
    }
    let tar = match TarStore::open(&path, opts.limits.max_header_size) {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };
    let store: Arc<dyn BlobStore> = Arc::new(SpooledArchive { tar, path });
    let mut img = image::image_from_docker_archive(store, source.to_string(), None, &opts.limits)?;
    img.format = crate::image::SourceFormat::Docker;
    img.reference = Some(reference.to_string());
    Ok(img)
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
