//! `dockguard profile`: write seccomp profiles (Docker's default, edited, an allow-list from
//! strace output or from a command recorded under ptrace), check existing ones, and write
//! AppArmor profiles for an image's entrypoint.

use crate::{Output, EXIT_FINDINGS, EXIT_INPUT_ERROR};
use anyhow::Context as _;
use dockguard_audit::record::{record, RecordOptions};
use dockguard_audit::seccomp::{check_profile, syscalls_from_strace, Profile};
use dockguard_core::{Report, Severity, ToolInfo};
use dockguard_image::{Cache, OpenOptions, Platform, RegistryOptions, ScanOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProfileCommand {
    /// Write a seccomp profile (Docker's default unless --from-strace or --record) as JSON.
    Seccomp(SeccompArgs),
    /// Write an AppArmor profile for an image's entrypoint: only the binaries it needs may run,
    /// writes only to volumes, WORKDIR and temp directories, no mount, ptrace or raw sockets.
    #[command(name = "apparmor")]
    AppArmor(AppArmorArgs),
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
    #[arg(long, value_name = "FILE", conflicts_with = "record")]
    from_strace: Option<PathBuf>,

    /// Run the command given after `--` under ptrace (Linux x86_64/aarch64) and start from an
    /// allow-list of the syscalls it and its children make, plus those the container runtime
    /// needs to start it.
    #[arg(long, requires = "command")]
    record: bool,

    /// With --record: kill the command after this many seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        requires = "record"
    )]
    timeout: u64,

    /// The command to record (after `--`).
    #[arg(last = true, value_name = "CMD", requires = "record")]
    command: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct AppArmorArgs {
    /// Image: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST], oci-archive:PATH, dir:PATH,
    /// registry:REF, docker:REF, or a plain path or reference (autodetected).
    image: String,
    /// Profile name (default: dockguard-<image name>).
    #[arg(long)]
    name: Option<String>,
    /// Platform to pick from a multi-platform image (os/arch[/variant]); default: this host's.
    #[arg(long)]
    platform: Option<String>,
    /// Registry user name (old variable DOCKGUARD_USERNAME still read, deprecated).
    #[arg(long, env = "DOCKGUARD_REGISTRY_USERNAME")]
    username: Option<String>,
    /// Registry password or token (old variable DOCKGUARD_PASSWORD still read, deprecated).
    #[arg(long, env = "DOCKGUARD_REGISTRY_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Allow plain HTTP to the registry (always allowed for localhost and 127.0.0.1).
    #[arg(long)]
    insecure: bool,
    /// Layer cache directory (default: ~/.cache/dockguard).
    #[arg(long, env = "DOCKGUARD_CACHE_DIR")]
    cache_dir: Option<PathBuf>,
    /// Read every layer, ignoring and not updating the cache.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    limits: crate::inspect::LayerLimitArgs,
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
        ProfileCommand::AppArmor(a) => apparmor(a, output),
        ProfileCommand::Check(a) => check(a, output),
    }
}

fn seccomp(args: SeccompArgs, output: &Output) -> anyhow::Result<u8> {
    let mut profile = match &args.from_strace {
        None if args.record => recorded(&args, output)?,
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

fn recorded(args: &SeccompArgs, output: &Output) -> anyhow::Result<Profile> {
    let opts = RecordOptions {
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let rec = record(&args.command, &opts)?;
    let shown = args.command.join(" ");
    if !output.quiet {
        eprintln!(
            "dockguard: recorded {} syscalls from `{shown}` ({})",
            rec.syscalls.len(),
            rec.exit
        );
    }
    if rec.timed_out {
        eprintln!(
            "dockguard: warning: `{shown}` was killed after {} s; the profile covers only what it did until then",
            opts.timeout.as_secs()
        );
    }
    if !rec.unknown.is_empty() {
        let numbers: Vec<String> = rec.unknown.iter().map(u64::to_string).collect();
        eprintln!(
            "dockguard: warning: syscall numbers without a name here (32-bit or newer than our table) are not in the profile: {}",
            numbers.join(", ")
        );
    }
    Ok(rec.profile())
}

fn apparmor(args: AppArmorArgs, output: &Output) -> anyhow::Result<u8> {
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    let open_opts = OpenOptions {
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
    let image = dockguard_image::open(&args.image, &open_opts)?;
    let scan_opts = ScanOptions {
        limits: open_opts.limits.clone(),
        cache: if args.no_cache {
            None
        } else {
            args.cache_dir
                .clone()
                .or_else(Cache::default_dir)
                .map(Cache::new)
        },
    };
    let profile =
        dockguard_audit::apparmor::profile_for_image(&image, &scan_opts, args.name.as_deref())
            .with_context(|| args.image.clone())?;
    if !output.quiet {
        for w in &profile.warnings {
            eprintln!("dockguard: warning: {}: {w}", args.image);
        }
    }
    output.write(|out| out.write_all(profile.text.as_bytes()))?;
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
