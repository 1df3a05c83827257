//! Test support: a raw tar writer that can produce any header (hostile ones included), an OCI
//! layout writer, compression helpers, and the hostile-image generator.
#![allow(dead_code)]

pub mod hostile;

use sha2::Digest as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether an external tool is installed. Under CI=true it must be.
pub fn tool(name: &str) -> bool {
    dockguard_testkit::tool(name, "--version")
}

#[derive(Clone, Debug)]
pub struct TarItem {
    pub name: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub link: Vec<u8>,
    pub data: Vec<u8>,
    pub pax: Vec<(String, Vec<u8>)>,
    /// Header size field when it must lie about the data.
    pub size_field: Option<u64>,
    /// GNU sparse: logical size (the data is the last chunk of the file).
    pub sparse_real_size: Option<u64>,
}

impl TarItem {
    pub fn file(name: &str, data: impl Into<Vec<u8>>) -> TarItem {
        TarItem {
            name: name.as_bytes().to_vec(),
            typeflag: b'0',
            mode: 0o644,
            uid: 0,
            gid: 0,
            link: Vec::new(),
            data: data.into(),
            pax: Vec::new(),
            size_field: None,
            sparse_real_size: None,
        }
    }

    pub fn dir(name: &str) -> TarItem {
        TarItem {
            typeflag: b'5',
            mode: 0o755,
            ..TarItem::file(name, Vec::new())
        }
    }

    pub fn symlink(name: &str, target: &str) -> TarItem {
        TarItem {
            typeflag: b'2',
            mode: 0o777,
            link: target.as_bytes().to_vec(),
            ..TarItem::file(name, Vec::new())
        }
    }

    pub fn hardlink(name: &str, target: &str) -> TarItem {
        TarItem {
            typeflag: b'1',
            link: target.as_bytes().to_vec(),
            ..TarItem::file(name, Vec::new())
        }
    }

    pub fn mode(mut self, mode: u32) -> TarItem {
        self.mode = mode;
        self
    }

    pub fn pax(mut self, key: &str, value: impl Into<Vec<u8>>) -> TarItem {
        self.pax.push((key.to_string(), value.into()));
        self
    }
}

fn octal(field: &mut [u8], v: u64) {
    let width = field.len() - 1;
    let s = format!("{v:0width$o}");
    if s.len() > width {
        // GNU base-256 for values that do not fit in octal.
        field.fill(0);
        field[0] = 0x80;
        let bytes = v.to_be_bytes();
        let n = field.len();
        field[n - 8..].copy_from_slice(&bytes);
        return;
    }
    field[..width].copy_from_slice(s.as_bytes());
    field[width] = 0;
}

pub fn header(item: &TarItem, name: &[u8], size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    let n = name.len().min(100);
    h[..n].copy_from_slice(&name[..n]);
    octal(&mut h[100..108], item.mode as u64);
    octal(&mut h[108..116], item.uid);
    octal(&mut h[116..124], item.gid);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], 1_767_225_600);
    h[156] = item.typeflag;
    let l = item.link.len().min(100);
    h[157..157 + l].copy_from_slice(&item.link[..l]);
    if let Some(real) = item.sparse_real_size {
        h[257..265].copy_from_slice(b"ustar  \0");
        // One chunk: the stored data sits at the very end of the logical file.
        octal(&mut h[386..398], real - item.data.len() as u64);
        octal(&mut h[398..410], item.data.len() as u64);
        h[482] = 0;
        octal(&mut h[483..495], real);
    } else {
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
    }
    finish_checksum(&mut h);
    h
}

pub fn finish_checksum(h: &mut [u8; 512]) {
    h[148..156].fill(b' ');
    let sum: u64 = h.iter().map(|&b| b as u64).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
}

fn pad(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(512) {
        out.push(0);
    }
}

fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let body_len = key.len() + value.len() + 3;
    let mut len = body_len + 1;
    loop {
        let total = len.to_string().len() + body_len;
        if total == len {
            break;
        }
        len = total;
    }
    let mut r = format!("{len} {key}=").into_bytes();
    r.extend_from_slice(value);
    r.push(b'\n');
    r
}

pub fn append(out: &mut Vec<u8>, item: &TarItem) {
    let mut pax = item.pax.clone();
    if item.name.len() > 100 && !pax.iter().any(|(k, _)| k == "path") {
        pax.push(("path".into(), item.name.clone()));
    }
    if !pax.is_empty() {
        let mut data = Vec::new();
        for (k, v) in &pax {
            data.extend(pax_record(k, v));
        }
        let ph = TarItem {
            typeflag: b'x',
            ..TarItem::file("PaxHeader", Vec::new())
        };
        out.extend_from_slice(&header(&ph, b"PaxHeader", data.len() as u64));
        out.extend_from_slice(&data);
        pad(out);
    }
    let size = item.size_field.unwrap_or(item.data.len() as u64);
    let mut it = item.clone();
    if item.sparse_real_size.is_some() {
        it.typeflag = b'S';
    }
    out.extend_from_slice(&header(&it, &item.name, size));
    out.extend_from_slice(&item.data);
    pad(out);
}

pub fn write_tar(items: &[TarItem]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in items {
        append(&mut out, i);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Maximum compression: what a decompression bomb uses (about 1000:1 on zeros).
pub fn gzip_best(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).unwrap()
}

pub fn sha256(data: &[u8]) -> String {
    let h = sha2::Sha256::digest(data);
    let mut s = String::from("sha256:");
    for b in h.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A layer as stored plus its diff_id.
pub struct Layer {
    pub blob: Vec<u8>,
    pub diff_id: String,
    pub media_type: &'static str,
}

impl Layer {
    pub fn tar(items: &[TarItem]) -> Layer {
        let t = write_tar(items);
        Layer {
            diff_id: sha256(&t),
            blob: t,
            media_type: "application/vnd.oci.image.layer.v1.tar",
        }
    }

    pub fn gzip(items: &[TarItem]) -> Layer {
        let t = write_tar(items);
        Layer {
            diff_id: sha256(&t),
            blob: gzip(&t),
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
        }
    }

    /// zstd-compressed, but labelled gzip: the reader must go by magic bytes, not media type.
    pub fn zstd_tar(items: &[TarItem]) -> Layer {
        let t = write_tar(items);
        Layer {
            diff_id: sha256(&t),
            blob: zstd(&t),
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
        }
    }

    pub fn raw(tar: Vec<u8>, blob: Vec<u8>) -> Layer {
        Layer {
            diff_id: sha256(&tar),
            blob,
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
        }
    }
}

/// Knobs to make a layout lie about its blobs.
#[derive(Default, Clone)]
pub struct Tamper {
    /// Replace the descriptor digest of layer i.
    pub layer_digest: Option<(usize, String)>,
    /// Replace the descriptor size of layer i.
    pub layer_size: Option<(usize, u64)>,
    /// Replace the diff_id of layer i in the config.
    pub diff_id: Option<(usize, String)>,
}

/// Writes an OCI layout with one image (tag `latest`) and returns its directory.
pub fn write_layout(dir: &Path, layers: &[Layer], tamper: &Tamper) -> PathBuf {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| -> String {
        let d = sha256(data);
        std::fs::write(blobs.join(&d[7..]), data).unwrap();
        d
    };
    let mut diff_ids: Vec<String> = layers.iter().map(|l| l.diff_id.clone()).collect();
    if let Some((i, d)) = &tamper.diff_id {
        diff_ids[*i] = d.clone();
    }
    let history: Vec<serde_json::Value> = (0..layers.len())
        .map(|i| serde_json::json!({"created_by": format!("layer {i}")}))
        .collect();
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"User": "0"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    let cfg = serde_json::to_vec(&config).unwrap();
    let cfg_digest = put(&cfg);
    let mut descs = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let mut d = put(&l.blob);
        let mut size = l.blob.len() as u64;
        if let Some((ti, td)) = &tamper.layer_digest {
            if *ti == i {
                d = td.clone();
            }
        }
        if let Some((ti, ts)) = &tamper.layer_size {
            if *ti == i {
                size = *ts;
            }
        }
        descs.push(serde_json::json!({"mediaType": l.media_type, "digest": d, "size": size}));
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg.len()},
        "layers": descs,
    });
    let m = serde_json::to_vec(&manifest).unwrap();
    let md = put(&m);
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": m.len(),
                        "annotations": {"org.opencontainers.image.ref.name": "latest"}}],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    dir.to_path_buf()
}
