//! `dockguard config IMAGE`: the image configuration and content checks (Dockle/CIS-DI
//! style, attack surface, capabilities). The checks live in `dockguard-imageaudit`; this file
//! maps flags and exit codes.

use crate::{Output, EXIT_FINDINGS};
use dockguard_core::{Report, Severity, ToolInfo};
use dockguard_image::{Cache, OpenOptions, Platform, ScanOptions};
use dockguard_imageaudit::AuditAnalyzer;

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Image: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST], oci-archive:PATH, dir:PATH,
    /// registry:REF, docker:REF, or a plain path or reference (autodetected).
    #[arg(value_name = "IMAGE")]
    image: String,

    /// Exit 1 when a finding is at or above this severity [default: medium].
    #[arg(long, short = 't', value_name = "SEVERITY")]
    failure_threshold: Option<Severity>,

    /// Drop the findings of this check id (repeatable), e.g. --skip DGI102.
    #[arg(long, value_name = "ID")]
    skip: Vec<String>,

    /// Print the image's security facts (user, ports, env names, setuid and world-writable
    /// files, shells, package managers) as JSON instead of findings; --format is ignored.
    #[arg(long)]
    facts: bool,

    /// Platform to pick from a multi-platform image (os/arch[/variant]).
    #[arg(long)]
    platform: Option<String>,

    /// Read every layer, ignoring and not updating the layer cache.
    #[arg(long)]
    no_cache: bool,

    #[command(flatten)]
    limits: crate::inspect::LayerLimitArgs,
}

pub fn run(args: ConfigArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    for id in &args.skip {
        if dockguard_imageaudit::rules::rule(id).is_none() {
            anyhow::bail!("--skip {id}: no such check (see docs/image-checks.md)");
        }
    }
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    let limits = args.limits.limits();
    let image = dockguard_image::open(
        &args.image,
        &OpenOptions {
            platform,
            limits: limits.clone(),
            ..OpenOptions::default()
        },
    )?;
    let cache = if args.no_cache {
        None
    } else {
        Cache::default_dir().map(Cache::new)
    };
    let analyzer = AuditAnalyzer::new();
    let scan = image.scan(&[&analyzer], &ScanOptions { limits, cache })?;
    if args.facts {
        let facts = dockguard_imageaudit::config_facts(&image, &scan);
        output.write(|out| {
            serde_json::to_writer_pretty(&mut *out, &facts)?;
            writeln!(out)
        })?;
        return Ok(0);
    }
    let mut findings = dockguard_imageaudit::findings_from_scan(&image, &scan);
    findings.retain(|f| !args.skip.contains(&f.id));
    let threshold = args.failure_threshold.unwrap_or(Severity::Medium);
    let failing = findings.iter().any(|f| f.severity >= threshold);
    if !output.quiet {
        eprintln!(
            "dockguard: {} config finding(s) in {}",
            findings.len(),
            image.source
        );
    }
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        vec![image.source.clone()],
        findings,
    );
    let render = dockguard_report::RenderOptions {
        color: output.color,
        sources: Default::default(),
    };
    output.write(|out| dockguard_report::render(&report, format, &render, out))?;
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}
