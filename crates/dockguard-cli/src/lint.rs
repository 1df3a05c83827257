//! `dockguard lint`: configuration discovery, reading Dockerfiles, and the exit code; with
//! `--image`, the Dockerfile reconstructed from an image's history.

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
    #[arg(required_unless_present = "image", value_name = "DOCKERFILE")]
    files: Vec<String>,

    /// Lint the Dockerfile reconstructed from this image's history (any source `inspect`
    /// reads: oci-dir:, docker-archive:, oci-archive:, registry:, docker:, …); repeatable.
    #[arg(long, value_name = "SOURCE")]
    image: Vec<String>,

    /// Platform to pick from a multi-platform image given with --image (os/arch[/variant]).
    #[arg(long, value_name = "PLATFORM", requires = "image")]
    platform: Option<String>,

    #[command(flatten)]
    limits: crate::inspect::LayerLimitArgs,

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

/// The configuration found in the current directory (`.hadolint.yaml`, `.hadolint.yml`,
/// `dockguard.toml`), as `lint` without `--config` and the `scan` lint scanner read it.
pub(crate) fn discovered_config() -> anyhow::Result<LintConfig> {
    let mut config = LintConfig::default();
    for name in [".hadolint.yaml", ".hadolint.yml", "dockguard.toml"] {
        let path = Path::new(name);
        if path.is_file() {
            config.merge_file(path)?;
        }
    }
    Ok(config)
}

fn load_config(args: &LintArgs) -> anyhow::Result<LintConfig> {
    let mut config = match &args.config {
        Some(path) => {
            let mut config = LintConfig::default();
            config.merge_file(path)?;
            config
        }
        None => discovered_config()?,
    };
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

/// One image's reconstructed Dockerfile, for the output.
pub(crate) struct Rebuilt {
    /// The image source, which the findings carry as their path.
    pub(crate) source: String,
    pub(crate) text: String,
    /// History index of each line (index = line - 1).
    history_of_line: Vec<Option<usize>>,
    entries: Vec<serde_json::Value>,
}

/// Opens one image (its config only: no layer is read) and lints its reconstructed
/// Dockerfile.
fn lint_image(
    source: &str,
    platform: Option<&str>,
    limits: &crate::inspect::LayerLimitArgs,
    config: &LintConfig,
) -> anyhow::Result<(Vec<Finding>, Rebuilt)> {
    let options = dockguard_image::OpenOptions {
        platform: platform.map(str::parse).transpose()?,
        registry: dockguard_image::RegistryOptions {
            username: crate::inspect::legacy_registry_env(None, "USERNAME"),
            password: crate::inspect::legacy_registry_env(None, "PASSWORD"),
            ..dockguard_image::RegistryOptions::default()
        },
        limits: limits.limits(),
        ..dockguard_image::OpenOptions::default()
    };
    let image = dockguard_image::open(source, &options)?;
    lint_history(&image, config)
}

/// Reconstructs and lints the Dockerfile of an opened image; `lint --image` and the `scan`
/// lint scanner both report through this. Findings carry the image source as their path,
/// the history entry in the message and the layer it made in the location.
pub(crate) fn lint_history(
    image: &dockguard_image::Image,
    config: &LintConfig,
) -> anyhow::Result<(Vec<Finding>, Rebuilt)> {
    let created_by: Vec<Option<&str>> = image
        .history
        .iter()
        .map(|h| h.created_by.as_deref())
        .collect();
    let rebuilt = dockguard_dockerfile::history::reconstruct(&created_by);
    let path = image.source.clone();
    let mut findings = dockguard_dockerfile::history::lint_reconstructed(&path, &rebuilt, config)
        .map_err(|e| anyhow::anyhow!("{path}: reconstructed Dockerfile: {e}"))?;
    for f in &mut findings {
        let Some(index) = f.location.line.and_then(|l| rebuilt.history_index(l)) else {
            continue;
        };
        f.message = format!("history[{index}]: {}", f.message);
        if let Some(layer) = image.history.get(index).and_then(|h| h.layer_index) {
            f.location.layer_index = u32::try_from(layer).ok();
            f.location.layer_digest = image
                .layers
                .get(layer)
                .and_then(|l| l.digest.as_ref().or(l.diff_id.as_ref()))
                .map(|d| d.to_string());
        }
    }
    let mut first_line: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, h) in rebuilt.history_of_line.iter().enumerate() {
        if let Some(h) = h {
            first_line.entry(*h).or_insert(i + 1);
        }
    }
    let entries = image
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            // `created_by` itself is left out: it can hold build-argument values (tokens).
            serde_json::json!({
                "index": i,
                "instruction": rebuilt.entries.get(i).cloned().flatten(),
                "line": first_line.get(&i),
                "layer_index": h.layer_index,
            })
        })
        .collect();
    Ok((
        findings,
        Rebuilt {
            source: path,
            text: rebuilt.text,
            history_of_line: rebuilt.history_of_line,
            entries,
        },
    ))
}

/// The JSON report plus `reconstructed` (one entry per image) and, for findings in a
/// reconstructed file, `location.history_index`.
fn write_json(
    report: &Report,
    rebuilt: &[Rebuilt],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut value = serde_json::to_value(report).map_err(std::io::Error::other)?;
    add_reconstructed(&mut value, report, rebuilt);
    let mut text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// Adds to a JSON report (`value`, serialised from `report`) what a reconstructed Dockerfile
/// contributes: `location.history_index` on its findings and the `reconstructed` list.
pub(crate) fn add_reconstructed(
    value: &mut serde_json::Value,
    report: &Report,
    rebuilt: &[Rebuilt],
) {
    if let Some(findings) = value.get_mut("findings").and_then(|f| f.as_array_mut()) {
        for (f, json) in report.findings.iter().zip(findings.iter_mut()) {
            let r = rebuilt
                .iter()
                .find(|r| f.location.path.as_deref() == Some(r.source.as_str()));
            let index = r.and_then(|r| {
                let line = usize::try_from(f.location.line?).ok()?;
                r.history_of_line
                    .get(line.checked_sub(1)?)
                    .copied()
                    .flatten()
            });
            if let (Some(index), Some(loc)) = (index, json.get_mut("location")) {
                if let Some(loc) = loc.as_object_mut() {
                    loc.insert("history_index".into(), index.into());
                }
            }
        }
    }
    if let Some(obj) = value.as_object_mut() {
        let list: Vec<serde_json::Value> = rebuilt
            .iter()
            .map(|r| {
                serde_json::json!({
                    "image": r.source,
                    "dockerfile": r.text,
                    "history": r.entries,
                })
            })
            .collect();
        obj.insert("reconstructed".into(), list.into());
    }
}

pub fn run(args: LintArgs, output: &Output) -> anyhow::Result<u8> {
    let format: dockguard_report::Format = output.format.parse()?;
    let config = load_config(&args)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut sources = BTreeMap::new();
    let mut input_errors = 0;
    let mut rebuilt: Vec<Rebuilt> = Vec::new();
    for source in &args.image {
        match lint_image(source, args.platform.as_deref(), &args.limits, &config) {
            Ok((found, r)) => {
                findings.extend(found);
                sources.insert(r.source.clone(), r.text.clone());
                rebuilt.push(r);
            }
            Err(e) => {
                eprintln!("dockguard: error: {e:#}");
                input_errors += 1;
            }
        }
    }
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
        .chain(rebuilt.iter().map(|r| r.source.clone()))
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
    output.write(|out| {
        if rebuilt.is_empty() {
            return dockguard_report::render(&report, format, &options, out);
        }
        match format {
            dockguard_report::Format::Json => write_json(&report, &rebuilt, out),
            dockguard_report::Format::Table => {
                // First, so nobody mistakes the lines shown for the image's real Dockerfile.
                for r in &rebuilt {
                    writeln!(
                        out,
                        "# {}: Dockerfile reconstructed from the image history (not the \
                         original; the base image and COPY/ADD sources are placeholders)",
                        r.source
                    )?;
                }
                dockguard_report::render(&report, format, &options, out)
            }
            _ => dockguard_report::render(&report, format, &options, out),
        }
    })?;
    Ok(if input_errors > 0 {
        EXIT_INPUT_ERROR
    } else if failing && !config.no_fail {
        EXIT_FINDINGS
    } else {
        0
    })
}
