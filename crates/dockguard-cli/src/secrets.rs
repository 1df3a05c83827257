//! `dockguard secrets TARGET`: secrets in an image (every layer, config, history) or a
//! directory. The scanning lives in `dockguard-secrets`; this file maps flags and exit codes.

use crate::{Output, EXIT_FINDINGS};
use dockguard_core::{Report, Severity, ToolInfo};
use dockguard_image::{Cache, OpenOptions, Platform, ScanOptions};
use dockguard_secrets::SecretOptions;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    /// Image or directory: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST], oci-archive:PATH,
    /// dir:PATH, registry:REF, docker:REF, or a plain path or reference (autodetected).
    #[arg(value_name = "TARGET")]
    target: String,

    /// Print secret values in full instead of redacted (first and last characters only).
    #[arg(long)]
    show_secrets: bool,

    /// Scan at most this many bytes of each file [default: 10 MiB, or the config's].
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,

    /// Configuration file whose [secrets] table adds custom rules, allow rules and disabled
    /// rules. Default: dockguard.toml in the current directory, when present.
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,

    /// Exit 1 when a secret is at or above this severity [default: low].
    #[arg(long, short = 't', value_name = "SEVERITY")]
    failure_threshold: Option<Severity>,

    /// Platform to pick from a multi-platform image (os/arch[/variant]).
    #[arg(long)]
    platform: Option<String>,

    /// Read every layer, ignoring and not updating the layer cache.
    #[arg(long)]
    no_cache: bool,

    #[command(flatten)]
    limits: crate::inspect::LayerLimitArgs,
}

fn options(args: &SecretsArgs) -> anyhow::Result<SecretOptions> {
    let mut opts = SecretOptions::default();
    match &args.config {
        Some(path) => opts.merge_config_file(path)?,
        None => {
            let path = Path::new("dockguard.toml");
            if path.is_file() {
                opts.merge_config_file(path)?;
            }
        }
    }
    opts.show_secrets = args.show_secrets;
    if let Some(m) = args.max_file_size {
        opts.max_file_size = m;
    }
    // Raw values must never reach the on-disk cache, so --show-secrets reads every layer.
    let cache = if args.no_cache || args.show_secrets {
        None
    } else {
        Cache::default_dir().map(Cache::new)
    };
    opts.scan = ScanOptions {
        limits: args.limits.limits(),
        cache,
    };
    Ok(opts)
}

pub fn run(args: SecretsArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    let opts = options(&args)?;
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    let image = dockguard_image::open(
        &args.target,
        &OpenOptions {
            platform,
            limits: opts.scan.limits.clone(),
            ..OpenOptions::default()
        },
    )?;
    let findings = dockguard_secrets::scan_image(&image, &opts)?;
    let threshold = args.failure_threshold.unwrap_or(Severity::Low);
    let failing = findings.iter().any(|f| f.severity >= threshold);
    if !output.quiet {
        eprintln!(
            "dockguard: {} secret finding(s) in {}",
            findings.len(),
            image.source
        );
    }
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        vec![image.source.clone()],
        findings,
    );
    // No source text is handed to the renderers: the table would print the offending line,
    // secret included.
    let render = dockguard_report::RenderOptions {
        color: output.color,
        sources: Default::default(),
    };
    output.write(|out| dockguard_report::render(&report, format, &render, out))?;
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}
