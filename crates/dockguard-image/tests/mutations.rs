//! A stable-toolchain stand-in for the cargo-fuzz target: mutates valid and hostile layers
//! (byte flips, truncation, splices, header-field garbage) and checks the reader never panics.

mod support;

use dockguard_image::fuzzing::read_layer_bytes;
use support::{gzip, write_tar, zstd, TarItem};

/// xorshift: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let tar = write_tar(&[
        TarItem::dir("etc"),
        TarItem::file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
        TarItem::symlink("bin/sh", "/bin/busybox"),
        TarItem::hardlink("bin/ash", "bin/sh"),
        TarItem::file("etc/.wh.shadow", Vec::new()),
        TarItem::file("var/.wh..wh..opq", Vec::new()),
        TarItem::file(&"long/".repeat(40), "x")
            .pax("SCHILY.xattr.security.capability", vec![1, 0, 0, 2]),
        TarItem::file("bin/tool", b"\x7fELF\x02\x01\x01".to_vec()).mode(0o4755),
    ]);
    vec![tar.clone(), gzip(&tar), zstd(&tar)]
}

#[test]
fn mutated_layers_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds = seeds();
    for s in &seeds {
        assert!(read_layer_bytes(s), "seed must be accepted");
    }
    for round in 0..20_000 {
        let mut d = seeds[rng.below(seeds.len())].clone();
        for _ in 0..1 + rng.below(8) {
            let len = d.len();
            match rng.below(5) {
                0 => {
                    let i = rng.below(len);
                    d[i] ^= 1 << rng.below(8);
                }
                1 => d.truncate(rng.below(len)),
                2 => {
                    let i = rng.below(len);
                    d[i] = [0, 0xff, b'0', b'7', b' ', b'/', b'.'][rng.below(7)];
                }
                3 => {
                    // Garbage in a header field of some block (size, typeflag, …), with the
                    // checksum fixed up so that the reader gets past it on uncompressed seeds.
                    let block = rng.below(len / 512 + 1) * 512;
                    let field =
                        [100, 108, 124, 136, 156, 157, 257, 263, 345, 482, 483, 495][rng.below(12)];
                    if block + 512 <= len {
                        d[block + field] = rng.next() as u8;
                        let mut h = [0u8; 512];
                        h.copy_from_slice(&d[block..block + 512]);
                        support::finish_checksum(&mut h);
                        d[block..block + 512].copy_from_slice(&h);
                    }
                }
                _ => {
                    let a = rng.below(len);
                    let b = rng.below(len);
                    let chunk = d[a.min(b)..a.max(b)].to_vec();
                    let at = rng.below(d.len());
                    d.splice(at..at, chunk);
                }
            }
            if d.is_empty() {
                break;
            }
        }
        let r = std::panic::catch_unwind(|| read_layer_bytes(&d));
        assert!(r.is_ok(), "round {round} panicked on {} bytes", d.len());
    }
}
