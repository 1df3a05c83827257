//! The single-pass analyzer API and the layer cache, on debian12-app.

use dockguard_image::{
    open, Cache, FileAnalyzer, FileContent, FileEntry, Interest, OpenOptions, ScanOptions,
};
use dockguard_testkit::require_fixture;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a secret scanner looks like: every file, first matching line.
struct KeyFinder {
    interest: Interest,
    calls: AtomicUsize,
}

impl FileAnalyzer for KeyFinder {
    fn name(&self) -> &str {
        "test-keys"
    }
    fn version(&self) -> &str {
        "1"
    }
    fn interest(&self) -> &Interest {
        &self.interest
    }
    fn analyze(&self, _file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let text = String::from_utf8_lossy(content.data);
        let line = text.lines().position(|l| l.contains("PRIVATE KEY-----"))?;
        Some(json!({"line": line + 1}))
    }
}

/// What an SBOM cataloger looks like: a few paths plus ELF binaries by magic.
struct Catalog {
    interest: Interest,
    version: &'static str,
}

impl FileAnalyzer for Catalog {
    fn name(&self) -> &str {
        "test-catalog"
    }
    fn version(&self) -> &str {
        self.version
    }
    fn interest(&self) -> &Interest {
        &self.interest
    }
    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        if content.data.starts_with(b"\x7fELF") {
            return Some(json!({"elf": true, "truncated": content.truncated}));
        }
        if file.path == "/var/lib/dpkg/status" {
            let n = String::from_utf8_lossy(content.data)
                .matches("\nPackage: ")
                .count()
                + 1;
            return Some(json!({"packages": n}));
        }
        Some(json!({"bytes": content.data.len()}))
    }
}

fn analyzers(version: &'static str) -> (KeyFinder, Catalog) {
    (
        KeyFinder {
            interest: Interest::all_files().max_size(1 << 20),
            calls: AtomicUsize::new(0),
        },
        Catalog {
            interest: Interest::paths(["/var/lib/dpkg/status", "**/*.dist-info/METADATA"])
                .unwrap()
                .with_magic(b"\x7fELF")
                .max_size(64 << 10),
            version,
        },
    )
}

#[test]
fn analyzers_see_every_layer_version_in_one_pass() {
    let dir = require_fixture!("images/debian12-app");
    let image = open(
        &format!("oci-dir:{}", dir.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let (keys, catalog) = analyzers("1");
    let scan = image
        .scan(&[&keys, &catalog], &ScanOptions::default())
        .unwrap();
    let found: Vec<(usize, &str)> = scan
        .outputs("test-keys")
        .iter()
        .map(|o| (o.layer_index, o.path.as_str()))
        .collect();
    // The deleted key is seen in both layers that carry it; the TLS key in the last layer.
    assert!(found.contains(&(2, "/root/.ssh/id_rsa")), "{found:?}");
    assert!(found.contains(&(3, "/root/.ssh/id_rsa")), "{found:?}");
    assert!(found.contains(&(11, "/app/certs/server.key")), "{found:?}");
    let visible: Vec<_> = scan
        .outputs("test-keys")
        .iter()
        .filter(|o| scan.fs.get(&o.path).map(|e| e.layer_index) == Some(o.layer_index))
        .map(|o| o.path.as_str())
        .collect();
    assert!(!visible.contains(&"/root/.ssh/id_rsa"));
    let cat = scan.outputs("test-catalog");
    let status: Vec<_> = cat
        .iter()
        .filter(|o| o.path == "/var/lib/dpkg/status")
        .collect();
    assert!(!status.is_empty());
    let last = status.last().unwrap();
    // Cut at the 64 KiB the analyzer asked for.
    assert!(last.value["packages"].as_u64().unwrap() > 50, "{last:?}");
    assert!(cat.iter().any(|o| o.path.ends_with(".dist-info/METADATA")));
    let elves = cat.iter().filter(|o| o.value["elf"] == true).count();
    assert!(elves > 50, "ELF files by magic: {elves}");
    assert!(cat
        .iter()
        .filter(|o| o.value["elf"] == true)
        .any(|o| o.value["truncated"] == true));
}

#[test]
fn second_scan_comes_from_the_cache() {
    let dir = require_fixture!("images/debian12-app");
    let image = open(
        &format!("oci-dir:{}", dir.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let opts = ScanOptions {
        cache: Some(Cache::new(cache_dir.path())),
        ..ScanOptions::default()
    };
    let (keys, catalog) = analyzers("1");
    let first = image.scan(&[&keys, &catalog], &opts).unwrap();
    assert!(first.layers.iter().all(|l| !l.from_cache));
    let calls = keys.calls.load(Ordering::Relaxed);
    assert!(calls > 10_000);

    let started = std::time::Instant::now();
    let second = image.scan(&[&keys, &catalog], &opts).unwrap();
    let cached_time = started.elapsed();
    assert!(second.layers.iter().all(|l| l.from_cache));
    assert_eq!(
        keys.calls.load(Ordering::Relaxed),
        calls,
        "no layer was read again"
    );
    assert_eq!(first.outputs("test-keys"), second.outputs("test-keys"));
    assert_eq!(
        first.outputs("test-catalog"),
        second.outputs("test-catalog")
    );
    assert_eq!(
        first.layers,
        second
            .layers
            .iter()
            .map(|l| dockguard_image::LayerScan {
                from_cache: false,
                ..l.clone()
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(first.fs.merged().count(), second.fs.merged().count());
    assert_eq!(
        first.fs.history("/root/.ssh/id_rsa"),
        second.fs.history("/root/.ssh/id_rsa")
    );
    eprintln!("cached scan: {cached_time:?}");

    // A new analyzer version invalidates that analyzer's results, so layers are read again.
    let (keys2, catalog2) = analyzers("2");
    let third = image.scan(&[&keys2, &catalog2], &opts).unwrap();
    assert!(third.layers.iter().all(|l| !l.from_cache));

    let cache = Cache::new(cache_dir.path());
    assert!(cache.size() > 0);
    assert!(cache.clean().unwrap() > 0);
    assert_eq!(cache.size(), 0);
}

#[test]
fn cache_size_limit_evicts() {
    let dir = require_fixture!("images/debian12-app");
    let image = open(
        &format!("oci-dir:{}", dir.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(cache_dir.path()).with_max_size(256 << 10);
    let opts = ScanOptions {
        cache: Some(cache.clone()),
        ..ScanOptions::default()
    };
    image.scan(&[], &opts).unwrap();
    assert!(cache.size() <= 256 << 10, "{}", cache.size());
}
