//! `dockguard audit`: runtime configuration (docker run lines, Compose, Kubernetes, daemon.json,
//! docker inspect) against the runtime checks of `dockguard-audit`.

use crate::{Output, EXIT_FINDINGS, EXIT_INPUT_ERROR};
use dockguard_core::{Finding, Report, Severity, ToolInfo};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

/// Name under which a command line given after `--` appears in reports.
const COMMAND_LINE: &str = "<command line>";

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dockguard audit docker-compose.yml k8s/deploy.yaml /etc/docker/daemon.json\n  \
                        dockguard audit -- docker run --privileged -v /:/host alpine\n  \
                        docker inspect web | dockguard audit -"
)]
pub struct AuditArgs {
    /// Files to audit: text with docker run/create/exec lines, Compose files, Kubernetes
    /// manifests, daemon.json, docker inspect output (`-` reads standard input).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// A docker run/create/exec command line to audit, after `--`.
    #[arg(last = true, value_name = "DOCKER_RUN")]
    docker_run: Vec<String>,

    /// Do not report this check (repeatable), e.g. `--ignore DGR118`.
    #[arg(long, value_name = "ID")]
    ignore: Vec<String>,

    /// Report only findings at or above this severity.
    #[arg(long, value_name = "SEVERITY")]
    severity: Option<Severity>,

    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, short = 't', value_name = "SEVERITY", default_value = "low")]
    failure_threshold: Severity,

    /// Always exit 0 when the input could be read.
    #[arg(long)]
    no_fail: bool,
}

fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(dockguard_audit::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("<stdin>: cannot read: {e}"))?;
    if bytes.len() as u64 > dockguard_audit::MAX_INPUT_BYTES {
        anyhow::bail!(
            "<stdin>: larger than {} MiB",
            dockguard_audit::MAX_INPUT_BYTES >> 20
        );
    }
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("<stdin>: not UTF-8 text"))
}

pub fn run(args: AuditArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    if args.files.is_empty() && args.docker_run.is_empty() {
        anyhow::bail!("nothing to audit: give files, or a command line after `--`");
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut sources = BTreeMap::new();
    let mut targets = Vec::new();
    let mut input_errors = 0;
    for file in &args.files {
        let stdin = file.as_os_str() == "-";
        let shown = if stdin {
            "<stdin>".to_string()
        } else {
            file.display().to_string()
        };
        targets.push(shown.clone());
        let text = if stdin {
            read_stdin()
        } else {
            dockguard_audit::read_input(file).map_err(anyhow::Error::from)
        };
        let dir = if stdin { None } else { file.parent() };
        let result = text.and_then(|text| {
            let found = dockguard_audit::audit_text(&shown, &text, dir)?;
            Ok((found, text))
        });
        match result {
            Ok((found, text)) => {
                findings.extend(found);
                sources.insert(shown, text);
            }
            Err(e) => {
                eprintln!("dockguard: error: {e:#}");
                input_errors += 1;
            }
        }
    }
    if !args.docker_run.is_empty() {
        targets.push(COMMAND_LINE.to_string());
        findings.extend(dockguard_audit::audit_docker_run(
            &args.docker_run,
            COMMAND_LINE,
        ));
        sources.insert(COMMAND_LINE.to_string(), args.docker_run.join(" "));
    }
    findings.retain(|f| !args.ignore.iter().any(|i| i.eq_ignore_ascii_case(&f.id)));
    if let Some(min) = args.severity {
        findings.retain(|f| f.severity >= min);
    }
    let failing = findings
        .iter()
        .any(|f| f.severity >= args.failure_threshold);
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        targets,
        findings,
    );
    let options = dockguard_report::RenderOptions {
        color: output.color,
        sources,
    };
    output.write(|out| dockguard_report::render(&report, format, &options, out))?;
    Ok(if input_errors > 0 {
        EXIT_INPUT_ERROR
    } else if failing && !args.no_fail {
        EXIT_FINDINGS
    } else {
        0
    })
}
