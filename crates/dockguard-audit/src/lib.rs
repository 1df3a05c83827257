//! Runtime configuration audit and seccomp profiles.
//!
//! This crate owns everything about how a container is *run*, as opposed to how its image is
//! built: it reads `docker run`/`create`/`exec` command lines, Compose files, Kubernetes
//! manifests, Docker's `daemon.json` and `docker inspect` output, maps each onto one normalised
//! container view, and reports the runtime checks (ids `DGR1xx` for containers, `DGR2xx` for the
//! daemon) with CIS Docker Benchmark and KSV references through the shared
//! [`dockguard_core::Finding`] model. It also owns the seccomp profile model ([`seccomp`]): Docker's
//! default profile, deny/allow edits, allow-lists from `strace`, and profile validation.
//!
//! Nothing here panics on input: every reader works on an owned, position-carrying tree with
//! depth and size limits.

pub mod apparmor;
pub mod catalog;
mod compose;
mod daemon;
mod dockerrun;
mod inspect;
mod k8s;
pub mod record;
pub mod seccomp;
mod spec;
mod tree;

pub use catalog::{Check, Syntax, CHECKS};
use dockguard_core::Finding;
use std::io::Read;
use std::path::Path;

/// Input files larger than this are refused: no runtime configuration is that big.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    // The io error is part of the message rather than a `#[source]`, so chains printed with
    // `{:#}` do not repeat it.
    #[error("{path}: cannot read: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: larger than {} MiB", MAX_INPUT_BYTES >> 20)]
    TooLarge { path: String },
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("{path}: invalid {format}: {message}")]
    Parse {
        path: String,
        format: &'static str,
        message: String,
    },
    #[error("{path}: not a docker run/create/exec command, Compose file, Kubernetes manifest, daemon.json or docker inspect output")]
    Unrecognised { path: String },
}

/// What kind of input a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    DockerRun,
    Compose,
    Kubernetes,
    DaemonJson,
    Inspect,
}

/// Reads a regular file as UTF-8 text, refusing more than [`MAX_INPUT_BYTES`].
pub fn read_input(path: &Path) -> Result<String, AuditError> {
    let shown = path.display().to_string();
    let io = |error| AuditError::Io {
        path: shown.clone(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(AuditError::Io {
            path: shown.clone(),
            error: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(AuditError::TooLarge { path: shown });
    }
    String::from_utf8(bytes).map_err(|_| AuditError::NotText { path: shown })
}

/// Audits one file, recognising its kind from its content (and, for YAML/JSON, its extension).
/// Compose `extends.file` is resolved relative to the file.
pub fn audit_path(path: &Path) -> Result<Vec<Finding>, AuditError> {
    let text = read_input(path)?;
    let shown = path.display().to_string();
    audit_text(&shown, &text, path.parent())
}

/// Audits text already in memory; `dir` resolves Compose `extends.file` (none when `None`).
pub fn audit_text(name: &str, text: &str, dir: Option<&Path>) -> Result<Vec<Finding>, AuditError> {
    let (kind, docs) = detect(name, text)?;
    let syntax = match kind {
        InputKind::DockerRun => Syntax::DockerRun,
        InputKind::Compose => Syntax::Compose,
        InputKind::Kubernetes => Syntax::Kubernetes,
        InputKind::DaemonJson => Syntax::DaemonJson,
        InputKind::Inspect => Syntax::Inspect,
    };
    let mut out = spec::Emitter::new(name, syntax);
    match kind {
        InputKind::DockerRun => {
            for command in dockerrun::split_commands(text) {
                dockerrun::audit_command(&command, &mut out);
            }
        }
        InputKind::Compose => {
            for doc in docs.iter().filter(|d| d.get("services").is_some()) {
                compose::audit(doc, dir, &mut out);
            }
        }
        InputKind::Kubernetes => {
            for doc in docs.iter().filter(|d| k8s::is_manifest(d)) {
                k8s::audit(doc, &mut out);
            }
        }
        InputKind::DaemonJson => docs.iter().for_each(|d| daemon::audit(d, &mut out)),
        InputKind::Inspect => docs.iter().for_each(|d| inspect::audit(d, &mut out)),
    }
    Ok(out.findings)
}

/// Which kind of input `text` is, with its parsed documents (empty for command lines).
pub fn detect_kind(name: &str, text: &str) -> Result<InputKind, AuditError> {
    detect(name, text).map(|(k, _)| k)
}

fn detect(name: &str, text: &str) -> Result<(InputKind, Vec<tree::Node>), AuditError> {
    let lower = name.to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let is_json = lower.ends_with(".json") || trimmed.starts_with('{') || trimmed.starts_with('[');
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_json && !is_yaml {
        let doc = tree::load_json(text).map_err(|e| AuditError::Parse {
            path: name.to_string(),
            format: "JSON",
            message: e.to_string(),
        })?;
        let kind = if inspect::is_inspect(&doc) {
            InputKind::Inspect
        } else if k8s::is_manifest(&doc) {
            InputKind::Kubernetes
        } else if doc.get("services").is_some() {
            InputKind::Compose
        } else if daemon::is_daemon_json(&doc) || lower.ends_with("daemon.json") {
            InputKind::DaemonJson
        } else {
            return Err(AuditError::Unrecognised {
                path: name.to_string(),
            });
        };
        return Ok((kind, vec![doc]));
    }
    let yaml = tree::load_yaml(text);
    if let Ok(docs) = &yaml {
        if docs.iter().any(k8s::is_manifest) {
            return Ok((InputKind::Kubernetes, yaml.unwrap_or_default()));
        }
        if docs
            .iter()
            .any(|d| d.get("services").is_some_and(tree::Node::is_map))
        {
            return Ok((InputKind::Compose, yaml.unwrap_or_default()));
        }
    }
    if is_yaml {
        return match yaml {
            Err(e) => Err(AuditError::Parse {
                path: name.to_string(),
                format: "YAML",
                message: e.to_string(),
            }),
            Ok(_) => Err(AuditError::Unrecognised {
                path: name.to_string(),
            }),
        };
    }
    let has_docker = dockerrun::split_commands(text).iter().any(|cmd| {
        let mut probe = spec::Emitter::new(name, Syntax::DockerRun);
        dockerrun::audit_command(cmd, &mut probe)
    });
    if has_docker {
        Ok((InputKind::DockerRun, Vec::new()))
    } else {
        Err(AuditError::Unrecognised {
            path: name.to_string(),
        })
    }
}

/// Audits one command line given as arguments (`dockguard audit -- docker run …`). The words
/// may start with `docker`, with the subcommand (`run`, `create`, `exec`, `container run`), or
/// directly with the flags of `docker run`. Columns count characters of the arguments joined
/// by single spaces; the line is 1.
pub fn audit_docker_run(args: &[String], origin: &str) -> Vec<Finding> {
    let mut col = 1u32;
    let mut words: Vec<dockerrun::Word> = Vec::new();
    let first = args.first().map(String::as_str);
    let prefix: &[&str] = match first {
        Some(f)
            if f.rsplit('/').next() == Some("docker") || f.rsplit('/').next() == Some("podman") =>
        {
            &[]
        }
        Some("run" | "create" | "exec" | "container") => &["docker"],
        _ => &["docker", "run"],
    };
    for p in prefix {
        words.push(dockerrun::Word {
            text: p.to_string(),
            pos: tree::Pos { line: 1, col: 1 },
        });
    }
    for a in args {
        words.push(dockerrun::Word {
            text: a.clone(),
            pos: tree::Pos { line: 1, col },
        });
        col = col
            .saturating_add(u32::try_from(a.chars().count()).unwrap_or(u32::MAX))
            .saturating_add(1);
    }
    let mut out = spec::Emitter::new(origin, Syntax::DockerRun);
    dockerrun::audit_command(&words, &mut out);
    out.findings
}
