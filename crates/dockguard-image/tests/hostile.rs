//! The hostile-input suite at test scale: every case either opens safely or fails with an
//! error naming the layer and entry. `scripts/hostile-images.sh` runs the same cases at full
//! scale (a million files, multi-gigabyte bombs) and measures memory.

mod support;

use dockguard_image::{open, FileKind, OpenOptions, ScanOptions};
use support::hostile::{cases, honest_zero_bomb, Expect, Scale};

fn scan(source: &str) -> Result<dockguard_image::Scan, dockguard_image::Error> {
    let image = open(source, &OpenOptions::default())?;
    let mut opts = ScanOptions::default();
    // Test-scale bombs are small: make the size bound trip them.
    opts.limits.max_layer_size = 32 << 20;
    image.scan(&[], &opts)
}

#[test]
fn every_hostile_case_is_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tmp.path().join(case.name);
        let source = (case.build)(&dir, Scale::test());
        let result = std::panic::catch_unwind(|| scan(&source));
        match (result, &case.expect) {
            (Err(_), _) => failures.push(format!("{}: panicked", case.name)),
            (Ok(Ok(_)), Expect::Ok) => {}
            (Ok(Err(e)), Expect::Ok) => {
                failures.push(format!("{}: unexpected error: {e}", case.name))
            }
            (Ok(Ok(_)), Expect::Err(_)) => {
                failures.push(format!("{}: opened, expected an error", case.name))
            }
            (Ok(Err(e)), Expect::Err(parts)) => {
                let msg = e.to_string();
                for p in *parts {
                    if !msg.contains(p) {
                        failures.push(format!("{}: error lacks '{p}': {msg}", case.name));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn case_source(name: &str, dir: &std::path::Path) -> String {
    let c = cases().into_iter().find(|c| c.name == name).unwrap();
    (c.build)(&dir.join(name), Scale::test())
}

#[test]
fn symlinks_resolve_inside_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scan(&case_source("symlink-out-of-root", tmp.path())).unwrap();
    let esc = s.fs.get("/escape").unwrap();
    assert_eq!(esc.kind, FileKind::Symlink);
    assert!(
        s.fs.resolve("/escape").is_none(),
        "/etc/shadow is not in the image"
    );
    assert_eq!(
        s.fs.resolve("/root-link/etc/passwd").unwrap().path,
        "/etc/passwd"
    );
    assert_eq!(s.fs.resolve("/up/etc/passwd").unwrap().path, "/etc/passwd");
    assert!(s.fs.resolve("/loop-a").is_none());
    // The entry written "through" the symlink stays a path of the image, nothing more.
    assert!(s.fs.get("/up/host-file").is_some());
}

#[test]
fn duplicates_keep_the_last_entry_like_extraction() {
    let tmp = tempfile::tempdir().unwrap();
    let src = case_source("duplicate-entries", tmp.path());
    let image = open(&src, &OpenOptions::default()).unwrap();
    let s = image.scan(&[], &ScanOptions::default()).unwrap();
    let e = s.fs.get("/app/config").unwrap();
    assert_eq!(e.kind, FileKind::Regular);
    assert_eq!(
        s.fs.layer(0)
            .iter()
            .filter(|e| e.path == "/app/config")
            .count(),
        1
    );
    let (data, _) = image.read_file(e, 1024).unwrap();
    assert_eq!(data, b"third\n");
}

#[test]
fn sparse_files_report_their_logical_size() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scan(&case_source("sparse-10g", tmp.path())).unwrap();
    assert_eq!(s.fs.get("/var/sparse.img").unwrap().size, 10 << 30);
    assert_eq!(s.fs.get("/var/pax-sparse.img").unwrap().size, 10 << 30);
}

#[test]
fn many_files_are_all_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scan(&case_source("many-empty-files", tmp.path())).unwrap();
    assert_eq!(
        s.fs.merged()
            .filter(|e| e.kind == FileKind::Regular)
            .count(),
        Scale::test().files
    );
}

#[test]
fn default_limits_stop_a_large_bomb_by_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    let c = cases().into_iter().find(|c| c.name == "zstd-bomb").unwrap();
    let scale = Scale {
        bomb_bytes: 3 << 30,
        ..Scale::test()
    };
    let src = (c.build)(&tmp.path().join("z"), scale);
    let image = open(&src, &OpenOptions::default()).unwrap();
    let mut opts = ScanOptions::default();
    opts.limits.ratio_floor = 64 << 20;
    let err = image.scan(&[], &opts).unwrap_err().to_string();
    assert!(
        err.contains("decompression bomb") && err.contains("200:1"),
        "{err}"
    );
}

/// The ratio is a setting (`--max-layer-expansion`): the same bomb is refused at the default
/// and read to the end, diff_id verified, when a higher ratio is allowed.
#[test]
fn the_expansion_ratio_can_be_raised() {
    let tmp = tempfile::tempdir().unwrap();
    let src = honest_zero_bomb(&tmp.path().join("bomb"), 64 << 20);
    let image = open(&src, &OpenOptions::default()).unwrap();
    let mut opts = ScanOptions::default();
    // A small bomb: start checking early instead of past the default 1 GiB.
    opts.limits.ratio_floor = 16 << 20;
    let err = image.scan(&[], &opts).unwrap_err().to_string();
    assert!(
        err.contains("decompression bomb") && err.contains("200:1") && err.contains("layer 0"),
        "{err}"
    );
    opts.limits.max_compression_ratio = 1_000_000;
    let scan = image
        .scan(&[], &opts)
        .unwrap_or_else(|e| panic!("with a raised ratio: {e}"));
    assert_eq!(scan.fs.get("/bomb").unwrap().size, 64 << 20);
    assert!(scan.layers[0].uncompressed_size > 64 << 20);
}

#[test]
fn metadata_links_and_opaque_dirs() {
    use dockguard_image::Change;
    use support::{write_layout, Layer, Tamper, TarItem};
    let tmp = tempfile::tempdir().unwrap();
    let cap = vec![
        1u8, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let l0 = Layer::gzip(&[
        TarItem::dir("usr/bin"),
        TarItem::file("usr/bin/ping", b"\x7fELF".to_vec())
            .mode(0o4755)
            .pax("SCHILY.xattr.security.capability", cap.clone()),
        TarItem::hardlink("usr/bin/ping6", "./usr/bin/ping"),
        TarItem::dir("var/cache"),
        TarItem::file("var/cache/a", vec![0u8; 100]),
        TarItem {
            uid: 1000,
            gid: 1001,
            ..TarItem::file("home/u/.profile", "x")
        },
    ]);
    let l1 = Layer::zstd_tar(&[
        TarItem::dir("var/cache"),
        TarItem::file("var/cache/.wh..wh..opq", Vec::new()),
        TarItem::file("var/cache/b", "new"),
    ]);
    write_layout(tmp.path(), &[l0, l1], &Tamper::default());
    let s = scan(&format!("oci-dir:{}", tmp.path().display())).unwrap();
    let ping = s.fs.get("/usr/bin/ping").unwrap();
    assert!(ping.is_setuid());
    assert_eq!(ping.xattr("security.capability"), Some(cap.as_slice()));
    let ping6 = s.fs.get("/usr/bin/ping6").unwrap();
    assert_eq!(ping6.kind, FileKind::HardLink);
    assert_eq!(ping6.link_target.as_deref(), Some("/usr/bin/ping"));
    let profile = s.fs.get("/home/u/.profile").unwrap();
    assert_eq!((profile.uid, profile.gid), (1000, 1001));
    assert!(s.fs.get("/var/cache/a").is_none());
    assert_eq!(
        s.fs.history("/var/cache/a").last().unwrap().change,
        Change::Deleted
    );
    assert!(s.fs.get("/var/cache/b").is_some());
    assert_eq!(s.fs.stats(0).wasted_bytes, 100);
    assert_eq!(
        s.layers[1].compression,
        Some(dockguard_image::Compression::Zstd)
    );
    let opq =
        s.fs.layer(1)
            .iter()
            .find(|e| e.kind == FileKind::OpaqueWhiteout)
            .unwrap();
    assert_eq!(opq.path, "/var/cache");
    assert_eq!(s.fs.glob("/usr/bin/*").unwrap().len(), 2);
}

#[test]
fn dir_source_never_follows_host_symlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("rootfs");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "img\n").unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "host secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("escape")).unwrap();
    let image = open(&format!("dir:{}", root.display()), &OpenOptions::default()).unwrap();
    let s = image.scan(&[], &ScanOptions::default()).unwrap();
    let (data, _) = image
        .read_file(s.fs.get("/etc/hostname").unwrap(), 100)
        .unwrap();
    assert_eq!(data, b"img\n");
    #[cfg(unix)]
    {
        assert_eq!(s.fs.get("/escape").unwrap().kind, FileKind::Symlink);
        assert!(
            s.fs.get("/escape/secret").is_none(),
            "the walk does not enter host symlinks"
        );
        let mut fake = s.fs.get("/etc/hostname").unwrap().clone();
        fake.path = "/escape/secret".into();
        assert!(image.read_file(&fake, 100).is_err());
    }
}
