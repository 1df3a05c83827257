//! `--max-layer-expansion RATIO` / `DOCKGUARD_MAX_LAYER_EXPANSION`: a layer that expands past
//! the ratio once it has produced 1 GiB is refused, unless a higher ratio is allowed.
//!
//! The bomb is a zstd frame written by hand (no compressor needed): one raw block holding the
//! tar header, then run-length blocks of zeros, 4 bytes for every 128 KiB, about 32000:1.

use dockguard_image::Digest;
use std::path::Path;
use std::process::{Command, Output};

/// Zero bytes of the one file in the layer: just past the 1 GiB the ratio check waits for.
const FILE_SIZE: u64 = (1 << 30) + (64 << 20);

/// sha256 of the uncompressed tar (header, `FILE_SIZE` zeros, two zero end blocks). Fixed, as
/// the tar is; computing it here would mean holding or hashing a gigabyte in the test.
const DIFF_ID: &str = "sha256:b28d1191049da8782305f2200dd323650f8370eaefcc78fe9753f170fa2c17a8";

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockguard"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("DOCKGUARD_FORMAT")
        .env_remove("DOCKGUARD_MAX_LAYER_EXPANSION")
        .env("XDG_CACHE_HOME", cwd.join(".cache"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run dockguard")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn tar_header(name: &str, size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    let mut put = |at: usize, b: &[u8]| h[at..at + b.len()].copy_from_slice(b);
    put(0, name.as_bytes());
    put(100, b"0000644\0");
    put(108, b"0000000\0");
    put(116, b"0000000\0");
    put(124, format!("{size:011o}\0").as_bytes());
    put(136, b"00000000000\0");
    put(148, b"        ");
    put(156, b"0");
    put(257, b"ustar\0");
    put(263, b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// A zstd frame: the header as a raw block, then `zeros` zero bytes as RLE blocks.
fn zstd_bomb(header: &[u8], zeros: u64) -> Vec<u8> {
    const BLOCK: u64 = 128 << 10;
    // Magic, frame header descriptor (no content size, no checksum), window 2^17.
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    let block_header = |out: &mut Vec<u8>, size: u64, kind: u64, last: bool| {
        let v = (size << 3) | (kind << 1) | u64::from(last);
        out.extend_from_slice(&v.to_le_bytes()[..3]);
    };
    block_header(&mut out, header.len() as u64, 0, false);
    out.extend_from_slice(header);
    let mut left = zeros;
    while left > 0 {
        let n = left.min(BLOCK);
        left -= n;
        block_header(&mut out, n, 1, left == 0);
        out.push(0);
    }
    out
}

/// An OCI layout holding one image of one bomb layer; returns its source string.
fn bomb_layout(dir: &Path) -> String {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| -> String {
        let d = Digest::sha256_of(data);
        std::fs::write(blobs.join(d.hex()), data).unwrap();
        d.to_string()
    };
    let layer = zstd_bomb(&tar_header("bomb", FILE_SIZE), FILE_SIZE + 1024);
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [DIFF_ID]},
        "history": [{"created_by": "COPY bomb / # buildkit"}],
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": put(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
                    "digest": put(&layer), "size": layer.len()}],
    }))
    .unwrap();
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": put(&manifest), "size": manifest.len()}],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    format!("oci-dir:{}", dir.display())
}

#[test]
fn a_bomb_is_refused_by_default_and_read_with_a_higher_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    let source = bomb_layout(&tmp.path().join("bomb"));

    let out = run(tmp.path(), &["inspect", "--no-cache", &source], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("layer 0") && err.contains("decompression bomb") && err.contains("200:1"),
        "{err}"
    );

    let out = run(
        tmp.path(),
        &[
            "inspect",
            "--no-cache",
            "-f",
            "json",
            "--max-layer-expansion",
            "100000",
            &source,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["layers"][0]["uncompressed_size"].as_u64(),
        Some(512 + FILE_SIZE + 1024)
    );
    assert_eq!(doc["layers"][0]["diff_id"], DIFF_ID);
}

/// Every command that reads layers takes the setting, from the flag or the variable; a
/// ratio of 300 shows in the refusal, so it is the setting (not the default) that refused.
#[test]
fn every_image_command_takes_the_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    let source = bomb_layout(&tmp.path().join("bomb"));
    let commands: [&[&str]; 6] = [
        &["scan", "--scanners", "secret", "--no-cache"],
        &["sbom", "--no-cache"],
        &["secrets", "--no-cache"],
        &["config", "--no-cache"],
        &["profile", "apparmor", "--no-cache"],
        &["inspect", "--no-cache"],
    ];
    for (i, cmd) in commands.iter().enumerate() {
        let mut args: Vec<&str> = cmd.to_vec();
        // Half through the flag, half through the environment.
        let env: &[(&str, &str)] = if i % 2 == 0 {
            args.extend(["--max-layer-expansion", "300"]);
            &[]
        } else {
            &[("DOCKGUARD_MAX_LAYER_EXPANSION", "300")]
        };
        args.push(&source);
        let out = run(tmp.path(), &args, env);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {err}");
        assert!(
            err.contains("decompression bomb") && err.contains("300:1"),
            "{cmd:?}: {err}"
        );
    }
}

#[test]
fn the_ratio_is_checked_and_documented() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["0", "1.5", "lots"] {
        let out = run(
            tmp.path(),
            &["inspect", "--max-layer-expansion", bad, "oci-dir:nowhere"],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("--max-layer-expansion"), "{bad}");
    }
    let help: [&[&str]; 7] = [
        &["inspect"],
        &["scan"],
        &["sbom"],
        &["secrets"],
        &["config"],
        &["lint"],
        &["profile", "apparmor"],
    ];
    for cmd in help {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = run(tmp.path(), &args, &[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("--max-layer-expansion <RATIO>")
                && text.contains("DOCKGUARD_MAX_LAYER_EXPANSION"),
            "{cmd:?}: {text}"
        );
    }
}
