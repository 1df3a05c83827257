//! `dockguard evaluate REPORT.json`: the post-scan steps of `dockguard scan` (ignores, VEX, the
//! `[policy]` gate, Rego) applied to a JSON report written earlier, without reading the image
//! again. A scan's report carries `subject` (user, reference, creation time, base image,
//! licences), so the image rules decide exactly as they did in the scan.

use crate::scan::{self, JsonExtras, PolicyFlags, PostScan};
use crate::Output;
use dockguard_core::{Finding, FindingKind, Report};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reports larger than this are refused rather than read into memory.
const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// JSON report written by `dockguard scan --format json` or `dockguard lint --format json`.
    #[arg(value_name = "REPORT")]
    report: PathBuf,

    /// Policy file with a [policy] table (default: dockguard.toml, dockguard.yaml or
    /// dockguard.yml in the current directory, when present).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Require a [policy] table and gate on it.
    #[arg(long)]
    policy: bool,

    /// Ignore file (.dockguardignore, .trivyignore, .trivyignore.yaml); repeatable. Replaces
    /// the default of reading those files from the current directory.
    #[arg(long = "ignorefile", value_name = "FILE")]
    ignorefiles: Vec<PathBuf>,

    /// OpenVEX or CycloneDX VEX document; repeatable.
    #[arg(long = "vex", value_name = "FILE")]
    vex: Vec<PathBuf>,

    /// Rego policy evaluated over the report (`deny` fails, `warn` warns); repeatable.
    #[arg(long = "rego", value_name = "FILE")]
    rego: Vec<PathBuf>,

    /// List the findings that ignores and VEX statements suppressed, and why.
    #[arg(long)]
    show_suppressed: bool,

    /// Exit code when the gate fails (or, without a gate, when findings remain).
    #[arg(long, value_name = "N", default_value_t = crate::EXIT_FINDINGS)]
    exit_code: u8,
}

/// A report as `evaluate` needs it: the core report and, from a scan, its subject.
struct Loaded {
    report: Report,
    subject: Option<dockguard_policy::Subject>,
}

fn load_report(path: &Path) -> anyhow::Result<Loaded> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        anyhow::bail!(
            "{shown}: larger than {} MiB; not a dockguard report",
            MAX_REPORT_BYTES >> 20
        );
    }
    let not_ours = |why: &str| {
        anyhow::anyhow!(
            "{shown}: not a dockguard JSON report ({why}); evaluate reads the output of \
             `dockguard scan --format json` or `dockguard lint --format json`"
        )
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| not_ours(&format!("invalid JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(not_ours("not a JSON object"));
    };
    if obj
        .get("tool")
        .and_then(|t| t.get("name"))
        .and_then(|n| n.as_str())
        != Some("dockguard")
    {
        return Err(not_ours("no `tool.name` \"dockguard\""));
    }
    let version = obj
        .get("schema_version")
        .and_then(|v| v.as_str())
        .ok_or_else(|| not_ours("no `schema_version`"))?;
    let major = |v: &str| v.split('.').next().unwrap_or("").to_string();
    if major(version) != major(dockguard_core::SCHEMA_VERSION) {
        anyhow::bail!(
            "{shown}: report schema version {version} is not readable by this dockguard \
             (schema {})",
            dockguard_core::SCHEMA_VERSION
        );
    }
    if !obj.get("findings").is_some_and(|f| f.is_array()) {
        return Err(not_ours("no `findings` array"));
    }
    let subject = match obj.get("subject") {
        Some(s) => Some(
            serde_json::from_value(s.clone())
                .map_err(|e| anyhow::anyhow!("{shown}: invalid `subject`: {e}"))?,
        ),
        None => None,
    };
    // The policy, suppressed and subject fields of the scan are not part of the core report;
    // dropping them gives Rego the same input the scan gave it.
    let report: Report = serde_json::from_value(value)
        .map_err(|e| anyhow::anyhow!("{shown}: invalid report: {e}"))?;
    Ok(Loaded { report, subject })
}

/// Runs `dockguard evaluate`; returns the exit code.
pub fn run(args: EvaluateArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    if !matches!(
        format,
        dockguard_report::Format::Table | dockguard_report::Format::Json
    ) {
        anyhow::bail!("evaluate writes table or json, not '{}'", output.format);
    }
    let post = PostScan::load_from(&PolicyFlags {
        ignorefiles: &args.ignorefiles,
        vex: &args.vex,
        config: args.config.as_ref(),
        require_policy: args.policy,
    })?;
    let loaded = load_report(&args.report)?;
    let had_subject = loaded.subject.is_some();
    let subject = match loaded.subject {
        Some(s) => s,
        None => {
            if !output.quiet && post.policy.as_ref().is_some_and(|p| p.has_image_rules()) {
                eprintln!(
                    "dockguard: note: {} has no `subject` (it was not written by `dockguard \
                     scan`), so the rules about the image (deny-root, allowed-registries, \
                     max-image-age-days, allowed-base-images) are not checked",
                    args.report.display()
                );
            }
            dockguard_policy::Subject::default()
        }
    };
    let outcome = post.apply(loaded.report.findings, output.quiet, args.show_suppressed);
    let report = Report::new(loaded.report.tool, loaded.report.targets, outcome.kept);
    let verdict = scan::gate(
        post.policy.as_ref(),
        &report,
        &subject,
        &args.rego,
        output.quiet,
    )?;
    let suppressed = if args.show_suppressed {
        outcome.suppressed
    } else {
        Vec::new()
    };
    let render = dockguard_report::RenderOptions {
        color: output.color,
        sources: Default::default(),
    };
    output.write(|out| {
        if format == dockguard_report::Format::Json {
            return scan::write_json(
                &report,
                &JsonExtras {
                    verdict: verdict.as_ref(),
                    suppressed: &suppressed,
                    expired: &outcome.expired,
                    subject: had_subject.then_some(&subject),
                },
                out,
            );
        }
        let (vulns, others): (Vec<Finding>, Vec<Finding>) = report
            .findings
            .iter()
            .cloned()
            .partition(|f| f.kind == FindingKind::Vulnerability);
        if !vulns.is_empty() {
            dockguard_scan::write_table(&vulns, output.color, out)?;
        }
        if !others.is_empty() {
            if !vulns.is_empty() {
                writeln!(out)?;
            }
            let rest = Report {
                findings: others,
                ..report.clone()
            };
            dockguard_report::render(&rest, format, &render, out)?;
        }
        if report.findings.is_empty() {
            writeln!(out, "no findings remain")?;
        }
        if args.show_suppressed {
            writeln!(out)?;
            scan::write_suppressed(&suppressed, out)?;
        }
        Ok(())
    })?;
    Ok(scan::exit_code(
        verdict.as_ref(),
        report.findings.is_empty(),
        args.exit_code,
    ))
}
