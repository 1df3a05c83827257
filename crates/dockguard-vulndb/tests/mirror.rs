//! `db update` against a local HTTP mirror serving the fixture zips, with ETag and
//! Last-Modified support, written here because common test servers send no ETags.

use dockguard_vulndb::{Database, UpdateOptions, UpdateOutcome};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LAST_MODIFIED: &str = "Tue, 01 Oct 2024 00:00:00 GMT";

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    body_bytes: AtomicU64,
    /// When set, the server ignores conditional headers (a mirror without ETag support).
    ignore_conditionals: AtomicBool,
    /// When set, the server flips one byte of every body (a corrupted transfer).
    corrupt: AtomicBool,
    stop: AtomicBool,
}

fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn serve_one(mut stream: TcpStream, root: &Path, c: &Counters) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut if_none_match = None;
    let mut if_modified_since = None;
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "if-none-match" => if_none_match = Some(v.trim().to_string()),
                "if-modified-since" => if_modified_since = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    c.requests.fetch_add(1, Ordering::SeqCst);
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let rel = path.trim_start_matches('/').replace("%20", " ");
    let file: PathBuf = root.join(&rel);
    if rel.contains("..") || !file.is_file() {
        return write!(
            stream,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }
    let mut body = std::fs::read(&file)?;
    let etag = format!("\"{:08x}-{}\"", crc32c(&body), body.len());
    let conditional = !c.ignore_conditionals.load(Ordering::SeqCst);
    if conditional
        && (if_none_match.as_deref() == Some(etag.as_str())
            || (if_none_match.is_none() && if_modified_since.as_deref() == Some(LAST_MODIFIED)))
    {
        return write!(
            stream,
            "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
        );
    }
    let hash = format!("crc32c={}", b64(&crc32c(&body).to_be_bytes()));
    if c.corrupt.load(Ordering::SeqCst) {
        let mid = body.len() / 2;
        body[mid] ^= 0xff;
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nETag: {etag}\r\n\
         Last-Modified: {LAST_MODIFIED}\r\nx-goog-hash: {hash}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    c.body_bytes.fetch_add(body.len() as u64, Ordering::SeqCst);
    Ok(())
}

/// Starts the server; it stops when `stop` is set or after two minutes, whichever is first.
fn start(root: PathBuf) -> (String, Arc<Counters>, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let counters = Arc::new(Counters::default());
    let c = counters.clone();
    let handle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !c.stop.load(Ordering::SeqCst) && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = serve_one(stream, &root, &c);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    (url, counters, handle)
}

fn opts(url: &str, ecosystems: &[&str]) -> UpdateOptions {
    UpdateOptions {
        mirror: url.to_string(),
        ecosystems: ecosystems.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn update_from_http_mirror_then_nothing_to_download() {
    let osv = dockguard_testkit::require_fixture!("osv");
    let (url, counters, handle) = start(osv.clone());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // Nothing named and nothing known yet: the error says what to do.
    let err = dockguard_vulndb::update(dir, &opts(&url, &[])).unwrap_err();
    assert!(
        err.to_string().contains("dockguard db update Debian"),
        "{err}"
    );

    let first = dockguard_vulndb::update(dir, &opts(&url, &["Debian", "npm", "Maven"])).unwrap();
    assert!(first
        .ecosystems
        .iter()
        .all(|e| e.outcome == UpdateOutcome::Updated));
    let sent = counters.body_bytes.load(Ordering::SeqCst);
    assert!(sent > 0);
    assert_eq!(first.downloaded_bytes(), sent);
    let db = Database::open(dir).unwrap();
    let status = db.status().unwrap();
    assert_eq!(status.len(), 3);
    assert!(status.iter().all(|s| s.source.starts_with(&url)));
    assert!(!db.affecting("npm", "lodash", "4.17.15").unwrap().is_empty());

    // Second run, nothing named: updates what is there; ETags make it download nothing.
    let second = dockguard_vulndb::update(dir, &opts(&url, &[])).unwrap();
    assert_eq!(second.ecosystems.len(), 3);
    assert!(
        second
            .ecosystems
            .iter()
            .all(|e| e.outcome == UpdateOutcome::NotModified),
        "{second:?}"
    );
    assert_eq!(counters.body_bytes.load(Ordering::SeqCst), sent);

    // A mirror without conditional requests: downloaded again, recognised by checksum.
    counters.ignore_conditionals.store(true, Ordering::SeqCst);
    let third = dockguard_vulndb::update(dir, &opts(&url, &["npm"])).unwrap();
    assert_eq!(third.ecosystems[0].outcome, UpdateOutcome::Unchanged);
    assert_eq!(third.import.records, 0);

    // A corrupted transfer is refused and the data stays as it was.
    counters.corrupt.store(true, Ordering::SeqCst);
    let before = db
        .affecting("Debian:12", "openssl", "3.0.11-1~deb12u2")
        .unwrap();
    // Force a real download by asking for an ecosystem not yet present.
    let err = dockguard_vulndb::update(dir, &opts(&url, &["crates.io"])).unwrap_err();
    assert!(err.to_string().contains("CRC-32C mismatch"), "{err}");
    assert_eq!(
        db.affecting("Debian:12", "openssl", "3.0.11-1~deb12u2")
            .unwrap(),
        before
    );
    assert_eq!(db.status().unwrap().len(), 3);
    counters.corrupt.store(false, Ordering::SeqCst);

    // An unknown ecosystem names the URL.
    let err = dockguard_vulndb::update(dir, &opts(&url, &["NoSuchEco"])).unwrap_err();
    assert!(err.to_string().contains("NoSuchEco/all.zip"), "{err}");

    // Ecosystems recorded by scans are fetched by a bare update.
    db.note_needed(&["Alpine:v3.10"]);
    counters.ignore_conditionals.store(false, Ordering::SeqCst);
    let fourth = dockguard_vulndb::update(dir, &opts(&url, &[])).unwrap();
    let alpine = fourth
        .ecosystems
        .iter()
        .find(|e| e.ecosystem == "Alpine")
        .unwrap();
    assert_eq!(alpine.outcome, UpdateOutcome::Updated);

    // No temporary download is left behind.
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        assert!(!e.file_name().to_string_lossy().starts_with(".download-"));
    }
    counters.stop.store(true, Ordering::SeqCst);
    handle.join().unwrap();
    assert!(counters.requests.load(Ordering::SeqCst) >= 10);
}

#[test]
fn update_from_file_mirror() {
    let osv = dockguard_testkit::require_fixture!("osv");
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("file://{}", osv.display());
    let first = dockguard_vulndb::update(tmp.path(), &opts(&url, &["Debian"])).unwrap();
    assert_eq!(first.ecosystems[0].outcome, UpdateOutcome::Updated);
    let second = dockguard_vulndb::update(tmp.path(), &opts(&url, &["Debian"])).unwrap();
    assert_eq!(second.ecosystems[0].outcome, UpdateOutcome::Unchanged);
}
