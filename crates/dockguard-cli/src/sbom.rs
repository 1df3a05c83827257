//! `dockguard sbom IMAGE`: the packages in an image as CycloneDX 1.6, SPDX 2.3, our inventory
//! JSON or a table. `sbom:FILE` reads a stored SBOM instead of an image, which converts
//! between formats.
//!
//! Output is reproducible by default: the serial number comes from the image digest and the
//! timestamp from `SOURCE_DATE_EPOCH` or the image's creation time (see `docs/sbom.md`).

use crate::Output;
use dockguard_catalog::image::{catalog_image_with, Scope, DELETED_LAYER};
use dockguard_catalog::Inventory;
use dockguard_image::{Cache, OpenOptions, Platform, RegistryOptions, ScanOptions, SourceFormat};
use dockguard_sbom::{Format, Subject, WriteOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `dockguard sbom`.
#[derive(clap::Args, Debug, Clone)]
#[command(
    after_help = "Formats (--format): cyclonedx, spdx, json (dockguard inventory), table.\n\
                        Examples:\n  dockguard sbom -f cyclonedx -o app.cdx.json oci-dir:app:1.0\n  \
                        dockguard sbom -f spdx sbom:app.cdx.json"
)]
pub struct SbomArgs {
    /// Image: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST], oci-archive:PATH, dir:PATH,
    /// registry:REF, docker:REF, a plain path or reference; or sbom:FILE (a CycloneDX, SPDX
    /// or dockguard JSON document) to convert.
    pub image: String,
    /// squashed: packages in the final filesystem; all-layers: also those a later layer
    /// deleted.
    #[arg(long, default_value = "squashed", value_parser = ["squashed", "all-layers"])]
    pub scope: String,
    /// Use a random serial number and the current time instead of ones derived from the image.
    #[arg(long)]
    pub random_serial: bool,
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
    pub limits: crate::inspect::LayerLimitArgs,
}

enum Out {
    Document(Format),
    Table,
}

fn out_format(name: &str) -> anyhow::Result<Out> {
    if name == "table" {
        return Ok(Out::Table);
    }
    Format::parse(name)
        .map(Out::Document)
        .ok_or_else(|| anyhow::anyhow!("sbom writes cyclonedx, spdx, json or table, not '{name}'"))
}

/// Runs `sbom`; returns the exit code (always 0: an SBOM has no failure threshold).
pub fn run(args: &SbomArgs, output: &Output) -> anyhow::Result<u8> {
    let format = out_format(&output.format)?;
    let scope: Scope = args.scope.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    let (inv, subject, created) = match args.image.strip_prefix("sbom:") {
        Some(file) => {
            let inv = dockguard_sbom::load_sbom(Path::new(file))?;
            let subject = Subject {
                name: file.to_string(),
                is_image: true,
                ..Subject::default()
            };
            (inv, subject, None)
        }
        None => catalog(args, scope)?,
    };
    if !output.quiet {
        for p in &inv.problems {
            eprintln!("dockguard: warning: {p}");
        }
    }
    let opts = WriteOptions {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        random_serial: args.random_serial,
        timestamp: timestamp(args.random_serial, created.as_deref()),
    };
    match format {
        Out::Document(f) => output.write_result(|out| {
            dockguard_sbom::write(&inv, &subject, f, &opts, out)?;
            Ok(())
        })?,
        Out::Table => output.write_result(|out| table(&inv, &subject, out))?,
    }
    Ok(0)
}

fn catalog(args: &SbomArgs, scope: Scope) -> anyhow::Result<(Inventory, Subject, Option<String>)> {
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    let opts = OpenOptions {
        platform,
        registry: RegistryOptions {
            username: crate::inspect::legacy_registry_env(args.username.clone(), "USERNAME"),
            password: crate::inspect::legacy_registry_env(args.password.clone(), "PASSWORD"),
            insecure: args.insecure,
            progress: true,
            ..RegistryOptions::default()
        },
        limits: args.limits.limits(),
        ..OpenOptions::default()
    };
    let image = dockguard_image::open(&args.image, &opts)?;
    let cache = if args.no_cache {
        None
    } else {
        args.cache_dir
            .clone()
            .or_else(Cache::default_dir)
            .map(Cache::new)
    };
    let scan_opts = ScanOptions {
        limits: opts.limits.clone(),
        cache,
    };
    let inv = catalog_image_with(&image, scope, &scan_opts)?;
    let subject = Subject {
        name: args.image.clone(),
        digest: image
            .manifest_digest
            .as_ref()
            .or(image.config_digest.as_ref())
            .map(|d| d.to_string()),
        tags: image.repo_tags.clone(),
        is_image: image.format != SourceFormat::Dir,
        scope: Some(scope.as_str().to_string()),
    };
    Ok((inv, subject, image.created.clone()))
}

/// The document time: now for a random serial; else `SOURCE_DATE_EPOCH`, else the image's
/// creation time, else the Unix epoch, so that the same image gives the same bytes.
fn timestamp(random: bool, created: Option<&str>) -> String {
    if random {
        return dockguard_sbom::now_rfc3339();
    }
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return dockguard_sbom::rfc3339_from_epoch(secs);
    }
    let secs = created.and_then(dockguard_sbom::parse_rfc3339).unwrap_or(0);
    dockguard_sbom::rfc3339_from_epoch(secs)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Control characters in names from untrusted metadata must not reach a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn table(inv: &Inventory, subject: &Subject, out: &mut dyn Write) -> anyhow::Result<()> {
    let distro = inv
        .distro
        .as_ref()
        .map(|d| {
            d.pretty
                .clone()
                .unwrap_or_else(|| format!("{} {}", d.id, d.version_id.clone().unwrap_or_default()))
        })
        .unwrap_or_else(|| "no distribution detected".into());
    writeln!(
        out,
        "{}: {} packages, {}",
        printable(&subject.name),
        inv.packages.len(),
        printable(&distro)
    )?;
    if inv.packages.is_empty() {
        return Ok(());
    }
    let rows: Vec<[String; 5]> = inv
        .packages
        .iter()
        .map(|p| {
            let loc = p.locations.first();
            let mut layer = loc
                .and_then(|l| l.layer_index)
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into());
            if let Some(d) = p.metadata.get(DELETED_LAYER) {
                layer = format!("{layer}→{d} (deleted)");
            }
            let mut path = loc
                .and_then(|l| l.path.clone())
                .unwrap_or_else(|| "-".into());
            if p.locations.len() > 1 {
                path = format!("{path} (+{})", p.locations.len() - 1);
            }
            let mut name = printable(&p.name);
            if p.unmatchable.is_some() {
                name.push('*');
            }
            [
                clip(&name, 48),
                clip(&printable(&p.version), 32),
                p.kind.to_string(),
                layer,
                printable(&path),
            ]
        })
        .collect();
    let header = ["NAME", "VERSION", "TYPE", "LAYER", "LOCATION"];
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 5], out: &mut dyn Write| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(header, out)?;
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4]], out)?;
    }
    if inv.packages.iter().any(|p| p.unmatchable.is_some()) {
        writeln!(
            out,
            "* reported but not matched against advisories (not a release; see --format json)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debian() -> Option<String> {
        dockguard_testkit::fixture("images/debian12-app")
            .map(|p| format!("oci-dir:{}", p.display()))
    }

    fn args(image: String) -> SbomArgs {
        SbomArgs {
            image,
            scope: "squashed".into(),
            random_serial: false,
            platform: None,
            username: None,
            password: None,
            insecure: false,
            cache_dir: None,
            no_cache: true,
            limits: Default::default(),
        }
    }

    fn render(args: &SbomArgs, format: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let output = Output {
            format: format.into(),
            path: Some(path.clone()),
            quiet: true,
            color: false,
        };
        assert_eq!(run(args, &output).unwrap(), 0);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn debian12_app_in_every_format_and_back() {
        let Some(image) = debian() else { return };
        let a = args(image);
        let cdx = render(&a, "cyclonedx");
        assert_eq!(cdx, render(&a, "cyclonedx"), "deterministic");
        let v: serde_json::Value = serde_json::from_str(&cdx).unwrap();
        assert_eq!(v["specVersion"], "1.6");
        assert_eq!(
            v["metadata"]["component"]["version"],
            "sha256:09e22632ba5a0ae87085a001986ae3549b7fdfeda8867de540b32ee0eaec7703"
        );
        let spdx = render(&a, "spdx");
        assert!(spdx.contains("\"SPDX-2.3\""));
        let table = render(&a, "table");
        assert!(
            table.lines().next().unwrap().contains("219 packages"),
            "{table}"
        );
        assert!(table.contains("openssl"));
        // sbom:FILE converts a stored document.
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("app.cdx.json");
        std::fs::write(&f, &cdx).unwrap();
        let again = render(&args(format!("sbom:{}", f.display())), "json");
        let v: serde_json::Value = serde_json::from_str(&again).unwrap();
        assert_eq!(v["packages"].as_array().unwrap().len(), 219);
    }

    #[test]
    fn wrong_format_and_scope_are_usage_errors() {
        let output = Output {
            format: "sarif".into(),
            path: None,
            quiet: true,
            color: false,
        };
        let e = run(&args("x".into()), &output).unwrap_err().to_string();
        assert!(e.contains("not 'sarif'"), "{e}");
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(false, Some("2026-01-01T00:00:00Z")).len(), 20);
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            assert_eq!(timestamp(false, Some("garbage")), "1970-01-01T00:00:00Z");
            assert_eq!(
                timestamp(false, Some("2026-01-01T00:00:00Z")),
                "2026-01-01T00:00:00Z"
            );
        }
    }
}
