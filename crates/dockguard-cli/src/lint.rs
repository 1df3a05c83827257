//! `dockguard lint`: configuration discovery, reading Dockerfiles, and the exit code.

use crate::{Output, EXIT_FINDINGS, EXIT_INPUT_ERROR};
use anyhow::Context as _;
use dockguard_core::{Finding, Report, Severity, ToolInfo};
use dockguard_dockerfile::lint::{lint_bytes, LintConfig};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Dockerfiles larger than this are refused rather than read into memory.
const MAX_DOCKERFILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Dockerfiles to lint (`-` reads standard input).
    #[arg(required = true, value_name = "DOCKERFILE")]
    files: Vec<String>,

    /// Configuration file (.hadolint.yaml or dockguard.toml). Default: .hadolint.yaml,
    /// .hadolint.yml and dockguard.toml in the current directory, when present.
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,

    /// Do not report this rule (repeatable), e.g. `--ignore DL3008`.
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,

    /// Report only findings at or above this severity
    /// (critical, high, medium, low, info; or hadolint's error, warning, info, style).
    #[arg(long, value_name = "SEVERITY")]
    severity: Option<Severity>,

    /// Exit 1 when a finding is at or above this severity [default: low, or the config's].
    #[arg(long, short = 't', value_name = "SEVERITY")]
    failure_threshold: Option<Severity>,

    /// Registry that FROM may use (repeatable); enables DL3026.
    #[arg(long, value_name = "REGISTRY")]
    trusted_registry: Vec<String>,

    /// Build context directory: report secrets and credentials that COPY/ADD would bake into
    /// a layer, honouring .dockerignore.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,

    /// Always exit 0 when the input could be read.
    #[arg(long)]
    no_fail: bool,
}

fn load_config(args: &LintArgs) -> anyhow::Result<LintConfig> {
    let mut config = LintConfig::default();
    match &args.config {
        Some(path) => config.merge_file(path)?,
        None => {
            for name in [".hadolint.yaml", ".hadolint.yml", "dockguard.toml"] {
                let path = Path::new(name);
                if path.is_file() {
                    config.merge_file(path)?;
                }
            }
        }
    }
    config.ignored.extend(args.ignore.iter().cloned());
    config
        .trusted_registries
        .extend(args.trusted_registry.iter().cloned());
    if let Some(t) = args.failure_threshold {
        config.failure_threshold = t;
    }
    config.no_fail |= args.no_fail;
    Ok(config)
}

fn read_input(name: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin()
            .take(MAX_DOCKERFILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("<stdin>: cannot read")?;
    } else {
        let file = std::fs::File::open(name).with_context(|| format!("{name}: cannot open"))?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            anyhow::bail!("{name}: is a directory, not a Dockerfile");
        }
        file.take(MAX_DOCKERFILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{name}: cannot read"))?;
    }
    if bytes.len() as u64 > MAX_DOCKERFILE_BYTES {
        anyhow::bail!(
            "{name}: larger than {} MiB; not a Dockerfile",
            MAX_DOCKERFILE_BYTES >> 20
        );
    }
    Ok(bytes)
}

pub fn run(args: LintArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    let config = load_config(&args)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut sources = BTreeMap::new();
    let mut input_errors = 0;
    for name in &args.files {
        let shown = if name == "-" {
            "<stdin>"
        } else {
            name.as_str()
        };
        let bytes = match read_input(name) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("dockguard: error: {e:#}");
                input_errors += 1;
                continue;
            }
        };
        match lint_bytes(shown, &bytes, &config) {
            Ok(mut found) => {
                if let Some(dir) = &args.context {
                    match dockguard_dockerfile::buildctx::scan(shown, &bytes, dir) {
                        Ok(extra) => {
                            found.extend(extra.into_iter().filter(|f| !config.is_ignored(&f.id)))
                        }
                        Err(e) => {
                            eprintln!("dockguard: error: {e}");
                            input_errors += 1;
                        }
                    }
                }
                findings.extend(found);
                if let Ok(text) = String::from_utf8(bytes) {
                    sources.insert(shown.to_string(), text);
                }
            }
            Err(e) => {
                eprintln!("dockguard: error: {shown}: {e}");
                input_errors += 1;
            }
        }
    }
    if let Some(min) = args.severity {
        findings.retain(|f| f.severity >= min);
    }
    let failing = findings
        .iter()
        .any(|f| f.severity >= config.failure_threshold);
    let targets = args
        .files
        .iter()
        .map(|f| {
            if f == "-" {
                "<stdin>".to_string()
            } else {
                f.clone()
            }
        })
        .collect();
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
    } else if failing && !config.no_fail {
        EXIT_FINDINGS
    } else {
        0
    })
}
