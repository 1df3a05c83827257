//! `dockguard inspect IMAGE`: what an image is made of, layer by layer, including files that
//! later layers delete but that every copy of the image still carries.
//!
//! The JSON shape (`--format json`) is documented in `docs/image-sources.md`; fields may be
//! added, never renamed or removed, without bumping `INSPECT_SCHEMA_VERSION`.

use anyhow::Context as _;
use dockguard_image::{
    Cache, Change, FileEntry, FileKind, Image, Limits, OpenOptions, Platform, RegistryOptions,
    Scan, ScanOptions,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Version of the `inspect --format json` shape.
pub const INSPECT_SCHEMA_VERSION: &str = "1.0";

/// Arguments of `dockguard inspect`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InspectArgs {
    /// Image: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST], oci-archive:PATH, dir:PATH,
    /// registry:REF, docker:REF, or a plain path or reference (autodetected).
    pub image: String,
    /// List the merged filesystem.
    #[arg(long)]
    pub tree: bool,
    /// Platform to pick from a multi-platform image (os/arch[/variant]); default: this host's.
    #[arg(long)]
    pub platform: Option<String>,
    /// Registry user name (old variable DOCKGUARD_USERNAME still read, deprecated).
    #[arg(long, env = "DOCKGUARD_REGISTRY_USERNAME")]
    pub username: Option<String>,
    /// Registry password or token (old variable DOCKGUARD_PASSWORD still read, deprecated).
    #[arg(long, env = "DOCKGUARD_REGISTRY_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Allow plain HTTP to the registry (always allowed for localhost and 127.0.0.1).
    #[arg(long)]
    pub insecure: bool,
    /// Layer cache directory (default: ~/.cache/dockguard).
    #[arg(long, env = "DOCKGUARD_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Read every layer, ignoring and not updating the cache.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub limits: LayerLimitArgs,
}

/// Bounds on reading layers that every command reading images shares (`inspect`, `scan`,
/// `sbom`, `secrets`, `config`, `lint --image`, `profile apparmor`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LayerLimitArgs {
    /// Refuse a layer whose uncompressed size grows past RATIO times its compressed size once
    /// it has produced 1 GiB (decompression-bomb guard) [default: 200].
    #[arg(
        long,
        value_name = "RATIO",
        env = "DOCKGUARD_MAX_LAYER_EXPANSION",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub max_layer_expansion: Option<u64>,
}

impl LayerLimitArgs {
    /// The library's limits with these flags applied; give the same value to
    /// `OpenOptions::limits` and `ScanOptions::limits`.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(ratio) = self.max_layer_expansion {
            limits.max_compression_ratio = ratio;
        }
        limits
    }
}

#[derive(Serialize)]
struct InspectJson<'a> {
    schema_version: &'static str,
    source: &'a str,
    format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    repo_tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    index_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config_digest: Option<String>,
    /// The manifest's annotations.
    annotations: &'a BTreeMap<String, String>,
    /// The annotations of the index entry that selected the manifest.
    index_annotations: &'a BTreeMap<String, String>,
    platform: &'a Platform,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    config: &'a dockguard_image::ImageConfig,
    layers: Vec<LayerJson<'a>>,
    history: &'a [dockguard_image::HistoryEntry],
    totals: Totals,
    deleted_files: Vec<DeletedJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<Vec<&'a FileEntry>>,
}

#[derive(Serialize)]
struct LayerJson<'a> {
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff_id: Option<String>,
    media_type: &'a str,
    compression: Option<dockguard_image::Compression>,
    size: u64,
    uncompressed_size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<&'a str>,
    added: u64,
    changed: u64,
    deleted: u64,
    wasted_bytes: u64,
    from_cache: bool,
}

#[derive(Serialize, Default)]
struct Totals {
    size: u64,
    uncompressed_size: u64,
    wasted_bytes: u64,
    files: u64,
}

#[derive(Serialize)]
struct DeletedJson {
    path: String,
    kind: FileKind,
    /// Bytes of the last version before deletion.
    size: u64,
    history: Vec<dockguard_image::PathEvent>,
}

fn open_options(args: &InspectArgs) -> anyhow::Result<OpenOptions> {
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    Ok(OpenOptions {
        platform,
        registry: RegistryOptions {
            username: legacy_registry_env(args.username.clone(), "USERNAME"),
            password: legacy_registry_env(args.password.clone(), "PASSWORD"),
            insecure: args.insecure,
            progress: true,
            ..RegistryOptions::default()
        },
        limits: args.limits.limits(),
        ..OpenOptions::default()
    })
}

/// A registry credential not given by flag or `DOCKGUARD_REGISTRY_{what}`: the old
/// `DOCKGUARD_{what}`, with a warning. `sign` reads `DOCKGUARD_PASSWORD` as the key password,
/// hence the rename; scripts written against the old names keep working meanwhile.
pub(crate) fn legacy_registry_env(given: Option<String>, what: &str) -> Option<String> {
    given.or_else(|| {
        let (old, new) = (
            format!("DOCKGUARD_{what}"),
            format!("DOCKGUARD_REGISTRY_{what}"),
        );
        let value = std::env::var(&old).ok()?;
        eprintln!("warning: {old} is deprecated for registry credentials; set {new} instead");
        Some(value)
    })
}

fn cache_for(args: &InspectArgs) -> Option<Cache> {
    if args.no_cache {
        return None;
    }
    args.cache_dir
        .clone()
        .or_else(Cache::default_dir)
        .map(Cache::new)
}

/// Runs `inspect`. Errors (unreadable or hostile images) are for `main` to turn into exit 2.
pub fn run(args: &InspectArgs, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let opts = open_options(args)?;
    let image = dockguard_image::open(&args.image, &opts)?;
    let scan_opts = ScanOptions {
        limits: opts.limits.clone(),
        cache: cache_for(args),
    };
    let scan = image.scan(&[], &scan_opts)?;
    if json {
        let doc = to_json(&image, &scan, args.tree);
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    } else {
        write_human(&image, &scan, args.tree, out)?;
    }
    Ok(())
}

/// `dockguard cache clean`: removes every cached layer result.
pub fn clean_cache(cache_dir: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = cache_dir
        .map(Path::to_path_buf)
        .or_else(Cache::default_dir)
        .context("no cache directory: set --cache-dir or HOME")?;
    let freed = Cache::new(&dir).clean()?;
    writeln!(out, "removed {} from {}", human_size(freed), dir.display())?;
    Ok(())
}

fn deleted_files(scan: &Scan) -> Vec<DeletedJson> {
    scan.fs
        .deleted_paths()
        .filter_map(|(path, history)| {
            // The version that was deleted: the last non-deletion before the last deletion.
            let last_del = history.iter().rposition(|e| e.change == Change::Deleted)?;
            let before = history[..last_del]
                .iter()
                .rev()
                .find(|e| e.change != Change::Deleted)?;
            let entry = scan
                .fs
                .layer(before.layer_index)
                .iter()
                .find(|e| e.path == path && !e.kind.is_whiteout())?;
            // Directories a layer removes wholesale are listed through their files.
            if entry.kind == FileKind::Directory {
                return None;
            }
            Some(DeletedJson {
                path: path.to_string(),
                kind: entry.kind,
                size: entry.size,
                history,
            })
        })
        .collect()
}

fn to_json<'a>(image: &'a Image, scan: &'a Scan, tree: bool) -> InspectJson<'a> {
    let mut totals = Totals::default();
    let layers = image
        .layers
        .iter()
        .zip(&scan.layers)
        .map(|(l, s)| {
            let st = scan.fs.stats(l.index);
            totals.size += s.size;
            totals.uncompressed_size += s.uncompressed_size;
            totals.wasted_bytes += st.wasted_bytes;
            LayerJson {
                index: l.index,
                digest: s
                    .digest
                    .as_ref()
                    .or(l.digest.as_ref())
                    .map(ToString::to_string),
                diff_id: s
                    .diff_id
                    .as_ref()
                    .or(l.diff_id.as_ref())
                    .map(ToString::to_string),
                media_type: &l.media_type,
                compression: s.compression,
                size: s.size,
                uncompressed_size: s.uncompressed_size,
                created_by: l.created_by.as_deref(),
                added: st.added,
                changed: st.changed,
                deleted: st.deleted,
                wasted_bytes: st.wasted_bytes,
                from_cache: s.from_cache,
            }
        })
        .collect();
    totals.files = scan
        .fs
        .merged()
        .filter(|e| e.kind != FileKind::Directory)
        .count() as u64;
    InspectJson {
        schema_version: INSPECT_SCHEMA_VERSION,
        source: &image.source,
        format: image.format.to_string(),
        reference: image.reference.as_deref(),
        repo_tags: &image.repo_tags,
        index_digest: image.index_digest.as_ref().map(ToString::to_string),
        manifest_digest: image.manifest_digest.as_ref().map(ToString::to_string),
        config_digest: image.config_digest.as_ref().map(ToString::to_string),
        annotations: &image.annotations,
        index_annotations: &image.index_annotations,
        platform: &image.platform,
        created: image.created.as_deref(),
        config: &image.config,
        layers,
        history: &image.history,
        totals,
        deleted_files: deleted_files(scan),
        tree: tree.then(|| scan.fs.merged().collect()),
    }
}

/// Annotation values come from whoever built the image: one line each, control characters
/// shown escaped so that they cannot rewrite the terminal.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn truncate(s: &str, n: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        one_line
            .chars()
            .take(n.saturating_sub(1))
            .collect::<String>()
            + "…"
    }
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(", ")
    }
}

fn mode_string(e: &FileEntry) -> String {
    let mut s = String::with_capacity(10);
    s.push(e.kind.symbol());
    let bits = [
        (0o400, 'r'),
        (0o200, 'w'),
        (0o100, 'x'),
        (0o040, 'r'),
        (0o020, 'w'),
        (0o010, 'x'),
        (0o004, 'r'),
        (0o002, 'w'),
        (0o001, 'x'),
    ];
    for (i, (bit, c)) in bits.iter().enumerate() {
        let set = e.mode & bit != 0;
        let special = match i {
            2 => e.mode & 0o4000 != 0,
            5 => e.mode & 0o2000 != 0,
            8 => e.mode & 0o1000 != 0,
            _ => false,
        };
        s.push(match (set, special, i) {
            (true, true, 8) => 't',
            (false, true, 8) => 'T',
            (true, true, _) => 's',
            (false, true, _) => 'S',
            (true, false, _) => *c,
            (false, false, _) => '-',
        });
    }
    s
}

fn write_human(image: &Image, scan: &Scan, tree: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let doc = to_json(image, scan, false);
    let c = &image.config;
    let kv = |out: &mut dyn Write, k: &str, v: &str| writeln!(out, "{k:<12}{v}");
    kv(out, "Image", &image.source)?;
    if let Some(d) = &doc.index_digest {
        kv(out, "Index", d)?;
    }
    kv(
        out,
        "Digest",
        doc.manifest_digest.as_deref().unwrap_or("- (no manifest)"),
    )?;
    kv(out, "Config", doc.config_digest.as_deref().unwrap_or("-"))?;
    if !image.repo_tags.is_empty() {
        kv(out, "Tags", &image.repo_tags.join(", "))?;
    }
    kv(out, "Platform", &image.platform.to_string())?;
    kv(out, "Created", image.created.as_deref().unwrap_or("-"))?;
    kv(out, "User", c.user.as_deref().unwrap_or("(root: no USER)"))?;
    kv(out, "Workdir", c.working_dir.as_deref().unwrap_or("-"))?;
    let json_list = |v: &Option<Vec<String>>| {
        v.as_ref()
            .map(|v| serde_json::to_string(v).unwrap_or_default())
            .unwrap_or_else(|| "-".into())
    };
    kv(out, "Entrypoint", &json_list(&c.entrypoint))?;
    kv(out, "Cmd", &json_list(&c.cmd))?;
    kv(out, "Ports", &list(&c.exposed_ports))?;
    kv(out, "Volumes", &list(&c.volumes))?;
    let hc = match &c.healthcheck {
        None => "none".to_string(),
        Some(h) if h.is_disabled() => "disabled (NONE)".to_string(),
        Some(h) => serde_json::to_string(&h.test).unwrap_or_default(),
    };
    kv(out, "Healthcheck", &hc)?;
    if c.env.is_empty() {
        kv(out, "Env", "-")?;
    }
    for (i, e) in c.env.iter().enumerate() {
        kv(out, if i == 0 { "Env" } else { "" }, e)?;
    }
    if c.labels.is_empty() {
        kv(out, "Labels", "-")?;
    }
    for (i, (k, v)) in c.labels.iter().enumerate() {
        kv(out, if i == 0 { "Labels" } else { "" }, &format!("{k}={v}"))?;
    }
    // Sources without a manifest have no annotations to show at all.
    if image.manifest_digest.is_some() {
        let mut lines: Vec<String> = image
            .annotations
            .iter()
            .map(|(k, v)| printable(&format!("{k}={v}")))
            .collect();
        // The tag is shown as the reference already.
        lines.extend(
            image
                .index_annotations
                .iter()
                .filter(|(k, _)| k.as_str() != "org.opencontainers.image.ref.name")
                .map(|(k, v)| printable(&format!("{k}={v}")) + "  (index entry)"),
        );
        if lines.is_empty() {
            kv(out, "Annotations", "-")?;
        }
        for (i, line) in lines.iter().enumerate() {
            kv(out, if i == 0 { "Annotations" } else { "" }, line)?;
        }
    }

    writeln!(out, "\nLayers")?;
    writeln!(
        out,
        "{:>3}  {:<12}  {:>10}  {:>7}  {:>6}  {:>6}  {:>10}  CREATED BY",
        "#", "DIGEST", "SIZE", "+ADDED", "~CHG", "-DEL", "WASTED"
    )?;
    for l in &doc.layers {
        let short = l
            .digest
            .as_deref()
            .and_then(|d| d.split_once(':'))
            .map(|(_, h)| h[..h.len().min(12)].to_string())
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:>3}  {:<12}  {:>10}  {:>7}  {:>6}  {:>6}  {:>10}  {}{}",
            l.index,
            short,
            human_size(l.size),
            l.added,
            l.changed,
            l.deleted,
            human_size(l.wasted_bytes),
            truncate(l.created_by.unwrap_or("-"), 70),
            if l.from_cache { "  (cached)" } else { "" }
        )?;
    }
    writeln!(
        out,
        "Total: {} stored, {} uncompressed, {} files, {} wasted by files later layers overwrite or delete",
        human_size(doc.totals.size),
        human_size(doc.totals.uncompressed_size),
        doc.totals.files,
        human_size(doc.totals.wasted_bytes)
    )?;

    if !doc.deleted_files.is_empty() {
        writeln!(
            out,
            "\nDeleted by a later layer but still stored in the image ({})",
            doc.deleted_files.len()
        )?;
        const SHOWN: usize = 50;
        for d in doc.deleted_files.iter().take(SHOWN) {
            let steps: Vec<String> = d
                .history
                .iter()
                .map(|e| {
                    let what = match e.change {
                        Change::Added => "added",
                        Change::Changed => "changed",
                        Change::Deleted => "deleted",
                    };
                    format!("{what} in layer {}", e.layer_index)
                })
                .collect();
            writeln!(
                out,
                "  {}  ({}; {})",
                d.path,
                human_size(d.size),
                steps.join(", ")
            )?;
        }
        if doc.deleted_files.len() > SHOWN {
            writeln!(
                out,
                "  … {} more (see --format json)",
                doc.deleted_files.len() - SHOWN
            )?;
        }
    }

    if tree {
        writeln!(out, "\nFilesystem")?;
        for e in scan.fs.merged() {
            let link = match (&e.kind, &e.link_target) {
                (FileKind::Symlink, Some(t)) => format!(" -> {t}"),
                (FileKind::HardLink, Some(t)) => format!(" => {t}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "{} {:>5}:{:<5} {:>10}  L{:<2} {}{}",
                mode_string(e),
                e.uid,
                e.gid,
                e.size,
                e.layer_index,
                e.path,
                link
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debian() -> Option<String> {
        let p = dockguard_testkit::fixture("images/debian12-app")?;
        Some(format!("oci-dir:{}:1.3.0", p.display()))
    }

    fn args(image: String) -> InspectArgs {
        InspectArgs {
            image,
            platform: Some("linux/amd64".into()),
            no_cache: true,
            ..InspectArgs::default()
        }
    }

    #[test]
    fn debian12_app_shows_the_deleted_ssh_key() {
        let Some(src) = debian() else { return };
        let mut human = Vec::new();
        run(&args(src.clone()), false, &mut human).unwrap();
        let human = String::from_utf8(human).unwrap();
        assert!(human.contains("/root/.ssh/id_rsa"), "{human}");
        assert!(
            human.contains("added in layer 2, changed in layer 3, deleted in layer 10"),
            "{human}"
        );
        assert!(human
            .contains("sha256:09e22632ba5a0ae87085a001986ae3549b7fdfeda8867de540b32ee0eaec7703"));

        let mut json = Vec::new();
        run(&args(src), true, &mut json).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["layers"].as_array().unwrap().len(), 12);
        let key = v["deleted_files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == "/root/.ssh/id_rsa")
            .unwrap();
        assert_eq!(key["history"][0]["layer_index"], 2);
        assert_eq!(key["history"][2]["change"], "deleted");
        assert!(v["layers"][2]["wasted_bytes"].as_u64().unwrap() > 0);
    }

    #[test]
    fn mode_strings() {
        let mut e = FileEntry {
            path: "/x".into(),
            kind: FileKind::Regular,
            mode: 0o4755,
            uid: 0,
            gid: 0,
            size: 0,
            link_target: None,
            xattrs: vec![],
            layer_index: 0,
        };
        assert_eq!(mode_string(&e), "-rwsr-xr-x");
        e.kind = FileKind::Directory;
        e.mode = 0o1777;
        assert_eq!(mode_string(&e), "drwxrwxrwt");
    }
}
