//! `dockguard profile`: write seccomp profiles (Docker's default, edited, or an allow-list from
//! strace output) and check existing ones.

use crate::{Output, EXIT_FINDINGS, EXIT_INPUT_ERROR};
use anyhow::Context as _;
use dockguard_audit::seccomp::{check_profile, syscalls_from_strace, Profile};
use dockguard_core::{Report, Severity, ToolInfo};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProfileCommand {
    /// Write a seccomp profile (Docker's default unless --from-strace) as JSON.
    Seccomp(SeccompArgs),
    /// Validate a seccomp profile: unknown syscalls, duplicates, rules that never apply, a
    /// default action that allows everything.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct SeccompArgs {
    /// Make these syscalls fail with EPERM (comma-separated, repeatable).
    #[arg(long, value_name = "SYSCALLS")]
    deny: Vec<String>,

    /// Allow these syscalls unconditionally (comma-separated, repeatable).
    #[arg(long, value_name = "SYSCALLS")]
    allow: Vec<String>,

    /// Start from an allow-list of the syscalls seen in `strace -f` output instead of the default.
    #[arg(long, value_name = "FILE")]
    from_strace: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The profile to check.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, short = 't', value_name = "SEVERITY", default_value = "low")]
    failure_threshold: Severity,
}

/// strace logs of long runs get big; this is far above any realistic trace of one command.
const MAX_TRACE_BYTES: u64 = 512 * 1024 * 1024;

pub fn run(args: ProfileArgs, output: &Output) -> anyhow::Result<u8> {
    match args.command {
        ProfileCommand::Seccomp(a) => seccomp(a, output),
        ProfileCommand::Check(a) => check(a, output),
    }
}

fn seccomp(args: SeccompArgs, output: &Output) -> anyhow::Result<u8> {
    let mut profile = match &args.from_strace {
        None => Profile::docker_default(),
        Some(path) => {
            let size = std::fs::metadata(path)
                .with_context(|| format!("{}: cannot read", path.display()))?
                .len();
            anyhow::ensure!(
                size <= MAX_TRACE_BYTES,
                "{}: larger than {} MiB",
                path.display(),
                MAX_TRACE_BYTES >> 20
            );
            let bytes =
                std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
            let names = syscalls_from_strace(&String::from_utf8_lossy(&bytes));
            anyhow::ensure!(
                !names.is_empty(),
                "{}: no syscalls found; expected `strace -f` output",
                path.display()
            );
            Profile::allow_list(&names)
        }
    };
    profile.allow(&args.allow)?;
    profile.deny(&args.deny)?;
    let json = profile.to_json();
    output.write(|out| out.write_all(json.as_bytes()))?;
    Ok(0)
}

fn check(args: CheckArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    let shown = args.file.display().to_string();
    let text = match dockguard_audit::read_input(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("dockguard: error: {e}");
            return Ok(EXIT_INPUT_ERROR);
        }
    };
    let findings = match check_profile(&shown, &text) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("dockguard: error: {shown}: {e}");
            return Ok(EXIT_INPUT_ERROR);
        }
    };
    let failing = findings
        .iter()
        .any(|f| f.severity >= args.failure_threshold);
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        vec![shown.clone()],
        findings,
    );
    let options = dockguard_report::RenderOptions {
        color: output.color,
        sources: BTreeMap::from([(shown, text)]),
    };
    output.write(|out| dockguard_report::render(&report, format, &options, out))?;
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}
