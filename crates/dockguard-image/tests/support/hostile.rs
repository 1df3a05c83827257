//! Hostile images, generated: each case writes an image under a directory and says what a
//! safe reader must do with it. Used by `tests/hostile.rs` (small scale) and by the
//! `hostile-images` example that `scripts/hostile-images.sh` runs at full scale under
//! `/usr/bin/time -v`.

use super::{gzip, sha256, write_layout, write_tar, Layer, Tamper, TarItem};
use std::io::Write;
use std::path::Path;

/// Sizes for the expensive cases.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Zero bytes inside the bomb layers.
    pub bomb_bytes: u64,
    /// Empty files in the many-files layer.
    pub files: usize,
    /// Logical size of the sparse file.
    pub sparse_bytes: u64,
}

impl Scale {
    pub fn test() -> Scale {
        Scale {
            bomb_bytes: 64 << 20,
            files: 20_000,
            sparse_bytes: 10 << 30,
        }
    }

    pub fn full() -> Scale {
        Scale {
            bomb_bytes: 4 << 30,
            files: 1_000_000,
            sparse_bytes: 10 << 30,
        }
    }
}

pub enum Expect {
    /// Opens and scans; the check gets nothing but must not have failed.
    Ok,
    /// Fails with an error whose message contains every one of these.
    Err(&'static [&'static str]),
}

pub struct Case {
    pub name: &'static str,
    pub expect: Expect,
    /// Writes the image under the given directory and returns its source string.
    pub build: fn(&Path, Scale) -> String,
}

fn layout(dir: &Path, layers: &[Layer]) -> String {
    layout_tampered(dir, layers, &Tamper::default())
}

fn layout_tampered(dir: &Path, layers: &[Layer], t: &Tamper) -> String {
    std::fs::create_dir_all(dir).unwrap();
    write_layout(dir, layers, t);
    format!("oci-dir:{}", dir.display())
}

fn base() -> Vec<TarItem> {
    vec![
        TarItem::dir("etc"),
        TarItem::file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
    ]
}

fn with(extra: Vec<TarItem>) -> Vec<TarItem> {
    let mut v = base();
    v.extend(extra);
    v
}

/// A tar holding one file of `zeros` zero bytes, gzip-compressed as many members of one
/// repeated chunk, so that generating a multi-gigabyte bomb takes no time or memory.
fn zero_bomb(zeros: u64, zstd: bool) -> Layer {
    let item = TarItem {
        size_field: Some(zeros),
        ..TarItem::file("bomb", Vec::new())
    };
    let mut head = Vec::new();
    super::append(&mut head, &item);
    let chunk_len: u64 = 16 << 20;
    let chunk = vec![0u8; chunk_len as usize];
    let enc = |d: &[u8]| {
        if zstd {
            super::zstd(d)
        } else {
            super::gzip_best(d)
        }
    };
    let mut blob = enc(&head);
    let z = enc(&chunk);
    let mut left = zeros;
    while left >= chunk_len {
        blob.extend_from_slice(&z);
        left -= chunk_len;
    }
    let mut tail = vec![0u8; left as usize];
    let pad = (512 - (zeros % 512) as usize) % 512;
    tail.extend(std::iter::repeat_n(0u8, pad + 1024));
    blob.extend(enc(&tail));
    Layer {
        // The bomb must be stopped before the diff_id could be checked, so it is left wrong.
        diff_id: sha256(b"not the diff id"),
        blob,
        media_type: if zstd {
            "application/vnd.oci.image.layer.v1.tar+zstd"
        } else {
            "application/vnd.oci.image.layer.v1.tar+gzip"
        },
    }
}

/// A zstd zero bomb with its true diff_id, in a layout: a reader allowed to expand it this
/// far reads it to the end and accepts it.
pub fn honest_zero_bomb(dir: &Path, zeros: u64) -> String {
    let mut layer = zero_bomb(zeros, true);
    let mut hasher = Sha256Writer::default();
    let item = TarItem {
        size_field: Some(zeros),
        ..TarItem::file("bomb", Vec::new())
    };
    let mut head = Vec::new();
    super::append(&mut head, &item);
    hasher.write_all(&head).unwrap();
    let chunk = vec![0u8; 1 << 20];
    // The file, its padding to a block, and the two end-of-archive blocks: all zeros.
    let mut left = zeros + (512 - zeros % 512) % 512 + 1024;
    while left > 0 {
        let n = left.min(chunk.len() as u64);
        hasher.write_all(&chunk[..n as usize]).unwrap();
        left -= n;
    }
    layer.diff_id = hasher.finish();
    layout(dir, &[layer])
}

fn many_files(n: usize) -> Layer {
    let mut hasher = Sha256Writer::default();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut buf = Vec::with_capacity(1 << 20);
    let flush =
        |buf: &mut Vec<u8>, gz: &mut flate2::write::GzEncoder<Vec<u8>>, h: &mut Sha256Writer| {
            h.write_all(buf).unwrap();
            gz.write_all(buf).unwrap();
            buf.clear();
        };
    for d in 0..n.div_ceil(1000) {
        super::append(&mut buf, &TarItem::dir(&format!("d{d:04}")));
        for f in 0..1000.min(n - d * 1000) {
            super::append(
                &mut buf,
                &TarItem::file(&format!("d{d:04}/f{f:04}"), Vec::new()),
            );
        }
        if buf.len() > 512 << 10 {
            flush(&mut buf, &mut gz, &mut hasher);
        }
    }
    buf.extend_from_slice(&[0u8; 1024]);
    flush(&mut buf, &mut gz, &mut hasher);
    Layer {
        diff_id: hasher.finish(),
        blob: gz.finish().unwrap(),
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
    }
}

#[derive(Default)]
struct Sha256Writer(sha2::Sha256);

impl Write for Sha256Writer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sha256Writer {
    fn finish(self) -> String {
        let h = sha2::Digest::finalize(self.0);
        let mut s = String::from("sha256:");
        for b in h.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "dotdot-entry",
            expect: Expect::Err(&["layer 0", "../../etc/shadow", "escapes the image root"]),
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&with(vec![TarItem::file(
                        "../../etc/shadow",
                        "x",
                    )]))],
                )
            },
        },
        Case {
            name: "absolute-paths",
            expect: Expect::Ok,
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&[
                        TarItem::dir("/etc"),
                        TarItem::file("/etc/hostname", "h\n"),
                    ])],
                )
            },
        },
        Case {
            name: "symlink-out-of-root",
            expect: Expect::Ok,
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&with(vec![
                        TarItem::symlink("escape", "../../../../../etc/shadow"),
                        TarItem::symlink("root-link", "/"),
                        TarItem::symlink("up", "../../.."),
                        // A file "through" a symlink: extraction tools must not follow it.
                        TarItem::file("up/host-file", "x"),
                        TarItem::symlink("loop-a", "loop-b"),
                        TarItem::symlink("loop-b", "loop-a"),
                    ]))],
                )
            },
        },
        Case {
            name: "hardlink-out-of-root",
            expect: Expect::Err(&[
                "layer 0",
                "entry 'evil'",
                "hard link target",
                "escapes the image root",
            ]),
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&with(vec![TarItem::hardlink(
                        "evil",
                        "../../../etc/shadow",
                    )]))],
                )
            },
        },
        Case {
            name: "whiteout-dotdot",
            expect: Expect::Err(&["layer 1", "etc/.wh...", "whiteout of '..'"]),
            build: |d, _| {
                layout(
                    d,
                    &[
                        Layer::gzip(&base()),
                        Layer::gzip(&[TarItem::file("etc/.wh...", Vec::new())]),
                    ],
                )
            },
        },
        Case {
            name: "duplicate-entries",
            expect: Expect::Ok,
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&with(vec![
                        TarItem::file("app/config", "first\n"),
                        TarItem::file("app/config", "second\n"),
                        TarItem::dir("app/config"),
                        TarItem::file("app/config", "third\n"),
                    ]))],
                )
            },
        },
        Case {
            name: "truncated-blob",
            expect: Expect::Err(&["layer 0", "blob is", "descriptor says"]),
            build: |d, _| {
                let mut l = Layer::gzip(&with(vec![TarItem::file("data", vec![7u8; 100_000])]));
                let full = l.blob.len();
                l.blob.truncate(full / 2);
                layout_tampered(
                    d,
                    &[l],
                    &Tamper {
                        layer_size: Some((0, full as u64)),
                        ..Tamper::default()
                    },
                )
            },
        },
        Case {
            name: "truncated-gzip-stream",
            expect: Expect::Err(&["layer 0"]),
            build: |d, _| {
                let t = write_tar(&with(vec![TarItem::file("data", vec![7u8; 100_000])]));
                let mut gz = gzip(&t);
                gz.truncate(gz.len() / 2);
                // Descriptor matches the truncated blob: only the stream itself is short.
                layout(d, &[Layer::raw(t, gz)])
            },
        },
        Case {
            name: "wrong-blob-digest",
            expect: Expect::Err(&["layer 0", "digest mismatch", "blob"]),
            build: |d, _| {
                let l = Layer::gzip(&with(vec![TarItem::file("data", vec![7u8; 10_000])]));
                let name = sha256(&l.blob)[7..].to_string();
                let src = layout(d, &[l]);
                // Same size, one byte changed: the file no longer matches the name it is stored under.
                let p = d.join("blobs/sha256").join(name);
                let mut b = std::fs::read(&p).unwrap();
                let mid = b.len() / 2;
                b[mid] ^= 0x55;
                std::fs::write(&p, b).unwrap();
                src
            },
        },
        Case {
            name: "missing-blob",
            expect: Expect::Err(&["layer 0", "sha256:1111"]),
            build: |d, _| {
                layout_tampered(
                    d,
                    &[Layer::gzip(&base())],
                    &Tamper {
                        layer_digest: Some((0, format!("sha256:{}", "1".repeat(64)))),
                        ..Tamper::default()
                    },
                )
            },
        },
        Case {
            name: "wrong-diff-id",
            expect: Expect::Err(&["layer 0", "diff_id", "digest mismatch"]),
            build: |d, _| {
                layout_tampered(
                    d,
                    &[Layer::gzip(&base())],
                    &Tamper {
                        diff_id: Some((0, format!("sha256:{}", "2".repeat(64)))),
                        ..Tamper::default()
                    },
                )
            },
        },
        Case {
            name: "gzip-bomb",
            expect: Expect::Err(&["layer 0", "decompression bomb"]),
            build: |d, s| layout(d, &[zero_bomb(s.bomb_bytes, false)]),
        },
        Case {
            name: "zstd-bomb",
            expect: Expect::Err(&["layer 0", "decompression bomb"]),
            build: |d, s| layout(d, &[zero_bomb(s.bomb_bytes, true)]),
        },
        Case {
            name: "sparse-10g",
            expect: Expect::Ok,
            build: |d, s| {
                let gnu = TarItem {
                    sparse_real_size: Some(s.sparse_bytes),
                    ..TarItem::file("var/sparse.img", vec![1u8; 512])
                };
                // The PAX 1.0 flavour: data starts with a text map; the name is in the PAX record.
                let map = b"1\n0\n0\n".to_vec();
                let mut data = map.clone();
                data.resize(512, 0);
                let pax = TarItem::file("var/GNUSparseFile.0/pax.img", data)
                    .pax("GNU.sparse.major", "1")
                    .pax("GNU.sparse.minor", "0")
                    .pax("GNU.sparse.name", "var/pax-sparse.img")
                    .pax("GNU.sparse.realsize", s.sparse_bytes.to_string());
                layout(
                    d,
                    &[Layer::gzip(&with(vec![TarItem::dir("var"), gnu, pax]))],
                )
            },
        },
        Case {
            name: "many-empty-files",
            expect: Expect::Ok,
            build: |d, s| layout(d, &[many_files(s.files)]),
        },
        Case {
            name: "huge-pax-header",
            expect: Expect::Err(&["layer 0", "PAX header", "limit"]),
            build: |d, _| {
                let big = TarItem::file("f", "x").pax("comment", vec![b'a'; 2 << 20]);
                layout(d, &[Layer::gzip(&with(vec![big]))])
            },
        },
        Case {
            name: "huge-gnu-longname",
            expect: Expect::Err(&["layer 0", "GNU long name", "limit"]),
            build: |d, _| {
                let mut t = Vec::new();
                let name = vec![b'a'; 3 << 20];
                let ln = TarItem {
                    typeflag: b'L',
                    ..TarItem::file("././@LongLink", name)
                };
                super::append(&mut t, &ln);
                super::append(&mut t, &TarItem::file("short", "x"));
                t.extend_from_slice(&[0u8; 1024]);
                layout(d, &[Layer::raw(t.clone(), gzip(&t))])
            },
        },
        Case {
            name: "garbage-layer",
            expect: Expect::Err(&["layer 0", "checksum"]),
            build: |d, _| {
                let junk: Vec<u8> = (0..100_000u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                    .collect();
                layout(d, &[Layer::raw(junk.clone(), gzip(&junk))])
            },
        },
        Case {
            name: "uid-out-of-range",
            expect: Expect::Err(&["layer 0", "uid", "out of range"]),
            build: |d, _| {
                layout(
                    d,
                    &[Layer::gzip(&with(vec![
                        TarItem::file("f", "x").pax("uid", "1099511627776")
                    ]))],
                )
            },
        },
        Case {
            name: "deep-path",
            expect: Expect::Ok,
            build: |d, _| {
                let deep = "d/".repeat(4000) + "file";
                layout(d, &[Layer::gzip(&with(vec![TarItem::file(&deep, "x")]))])
            },
        },
        Case {
            name: "index-digest-traversal",
            expect: Expect::Err(&["index.json", "digest"]),
            build: |d, _| {
                let src = layout(d, &[Layer::gzip(&base())]);
                let index = r#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../etc/passwd","size":10}]}"#;
                std::fs::write(d.join("index.json"), index).unwrap();
                src
            },
        },
        Case {
            name: "docker-archive-member-traversal",
            expect: Expect::Err(&["../../../../etc/hostname"]),
            build: |d, _| {
                std::fs::create_dir_all(d).unwrap();
                let cfg = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#;
                let cfg_name = format!("{}.json", &sha256(cfg)[7..]);
                let manifest = format!(
                    r#"[{{"Config":"{cfg_name}","RepoTags":["x:1"],"Layers":["../../../../etc/hostname"]}}]"#
                );
                let tar = write_tar(&[
                    TarItem::file(&cfg_name, cfg.to_vec()),
                    TarItem::file("manifest.json", manifest.into_bytes()),
                ]);
                let p = d.join("archive.tar");
                std::fs::write(&p, tar).unwrap();
                format!("docker-archive:{}", p.display())
            },
        },
    ]
}
