//! Secrets in images: the layer analyzer, the config and history, and turning matches into
//! findings that say whether the file is still visible or only extractable from a layer.

use crate::{Error, Scanner, SecretOptions};
use dockguard_core::{Finding, FindingKind, Location, Severity};
use dockguard_image::{
    Change, FileAnalyzer, FileContent, FileEntry, Image, Interest, Scan, ScanOptions,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Name under which [`SecretAnalyzer`] outputs appear in a [`Scan`].
pub const ANALYZER_NAME: &str = "secrets";

/// How much of a file's start is checked for NUL bytes to tell binary from text.
const SNIFF: usize = 8192;

/// The secret scanner as a [`FileAnalyzer`], for a scan shared with other analyzers. Pass it
/// to [`Image::scan`], then call [`findings_from_scan`].
pub struct SecretAnalyzer {
    scanner: Scanner,
    interest: Interest,
    version: String,
}

/// What the analyzer records per match. Only the shown (normally redacted) value is kept,
/// because these records are cached on disk with the layer.
#[derive(Debug, Serialize, Deserialize)]
struct Recorded {
    rule: String,
    line: u32,
    column: u32,
    shown: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(default)]
    example: bool,
}

impl SecretAnalyzer {
    pub fn new(opts: &SecretOptions) -> SecretAnalyzer {
        SecretAnalyzer {
            scanner: Scanner::new(opts),
            interest: Interest::all_files().max_size(opts.max_file_size),
            version: format!(
                "{}+{:016x}",
                env!("CARGO_PKG_VERSION"),
                options_fingerprint(opts)
            ),
        }
    }
}

/// Cache key part: anything that changes what the analyzer records for the same file.
fn options_fingerprint(opts: &SecretOptions) -> u64 {
    let mut text = format!(
        "v1|{}|{}|{:?}",
        opts.show_secrets, opts.max_file_size, opts.disabled_rules
    );
    for r in &opts.rules {
        text.push_str(&format!(
            "|r:{}:{}:{}:{}:{:?}:{}",
            r.id,
            r.title,
            r.severity,
            r.regex.as_str(),
            r.keywords,
            r.secret_group
        ));
    }
    for a in &opts.allow {
        text.push_str(&format!(
            "|a:{}:{:?}:{:?}:{:?}",
            a.id,
            a.rules,
            a.paths_source(),
            a.regex_source()
        ));
    }
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// Text files only: a NUL byte near the start means binary.
fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(SNIFF)]).is_some()
}

impl FileAnalyzer for SecretAnalyzer {
    fn name(&self) -> &str {
        ANALYZER_NAME
    }

    fn version(&self) -> &str {
        &self.version
    }

    fn interest(&self) -> &Interest {
        &self.interest
    }

    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        if content.data.is_empty() || is_binary(content.data) {
            return None;
        }
        let found = self.scanner.scan_bytes(&file.path, content.data);
        if found.is_empty() {
            return None;
        }
        let show = self.scanner.show_secrets();
        let recs: Vec<Recorded> = found
            .into_iter()
            .map(|m| Recorded {
                shown: m.shown(show),
                rule: m.rule_id,
                line: m.line,
                column: m.column,
                detail: m.detail,
                example: m.documentation_example,
            })
            .collect();
        serde_json::to_value(recs).ok()
    }
}

/// Scans every layer (each version of each file, deleted ones included), the config and the
/// history. Reads the image once.
pub fn scan_image(image: &Image, opts: &SecretOptions) -> Result<Vec<Finding>, Error> {
    let analyzer = SecretAnalyzer::new(opts);
    let mut scan_opts: ScanOptions = opts.scan.clone();
    if opts.show_secrets {
        scan_opts.cache = None;
    }
    let scan = image.scan(&[&analyzer], &scan_opts)?;
    Ok(findings_from_scan(image, &scan, &analyzer))
}

/// Scans a directory tree (`dir:` source): symlinks are not followed.
pub fn scan_dir(root: &Path, opts: &SecretOptions) -> Result<Vec<Finding>, Error> {
    let image = dockguard_image::open(
        &format!("dir:{}", root.display()),
        &dockguard_image::OpenOptions::default(),
    )?;
    scan_image(&image, opts)
}

/// Turns the analyzer's outputs of a finished scan, plus the image config and history, into
/// findings.
pub fn findings_from_scan(image: &Image, scan: &Scan, analyzer: &SecretAnalyzer) -> Vec<Finding> {
    let scanner = &analyzer.scanner;
    let mut out = Vec::new();
    for o in scan.outputs(ANALYZER_NAME) {
        let Ok(recs) = serde_json::from_value::<Vec<Recorded>>(o.value.clone()) else {
            continue;
        };
        let status = version_status(scan, &o.path, o.layer_index);
        let digest = scan
            .layers
            .get(o.layer_index)
            .and_then(|l| l.digest.as_ref())
            .map(|d| d.to_string());
        for r in recs {
            let Some(rule) = scanner.rule(&r.rule) else {
                continue;
            };
            let severity = if r.example {
                Severity::Low
            } else {
                rule.severity
            };
            let mut message = describe(&rule.title, &r.shown, r.detail.as_deref(), &r.rule);
            if let Some(s) = &status {
                message.push_str("; ");
                message.push_str(s);
            }
            let location = Location {
                path: Some(o.path.clone()),
                line: Some(r.line),
                column: Some(r.column),
                layer_digest: digest.clone(),
                layer_index: Some(o.layer_index as u32),
                ..Location::default()
            };
            out.push(finding(
                &r.rule,
                severity,
                &rule.title,
                message,
                location,
                status.is_some(),
            ));
        }
    }
    out.extend(config_findings(image, scanner));
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

fn describe(title: &str, shown: &str, detail: Option<&str>, rule: &str) -> String {
    match (rule, detail) {
        ("private-key", Some(label)) if shown.contains("****") => {
            format!("{title}: {label} (key material redacted)")
        }
        ("private-key", Some(label)) => format!("{title}: {label}: {shown}"),
        (_, Some(d)) => format!("{title} '{shown}' ({d})"),
        (_, None) => format!("{title} '{shown}'"),
    }
}

fn finding(
    id: &str,
    severity: Severity,
    title: &str,
    message: String,
    location: Location,
    removed_later: bool,
) -> Finding {
    let fix = if removed_later {
        "Revoke and rotate this credential. Deleting a file in a later layer does not remove it \
         from the image: rebuild without it (multi-stage build or a BuildKit secret mount)."
    } else {
        "Revoke and rotate this credential, and keep it out of the image: pass it at run time \
         or with a BuildKit secret mount."
    };
    Finding::new(id, FindingKind::Secret, severity, title, message, location).with_fix(fix)
}

/// `None` when this version of the file is what the final filesystem shows; otherwise which
/// layer removed or replaced it.
fn version_status(scan: &Scan, path: &str, layer: usize) -> Option<String> {
    if scan.fs.get(path).map(|e| e.layer_index) == Some(layer) {
        return None;
    }
    let history = scan.fs.history(path);
    let later: Vec<_> = history.iter().filter(|e| e.layer_index > layer).collect();
    let gone = scan.fs.get(path).is_none();
    if gone {
        if let Some(d) = later.iter().rev().find(|e| e.change == Change::Deleted) {
            return Some(format!(
                "deleted in layer {} — still extractable from layer {layer}",
                d.layer_index
            ));
        }
    }
    let by = later.first().map(|e| e.layer_index);
    Some(match by {
        Some(k) => format!(
            "overwritten in layer {k} — this version is still extractable from layer {layer}"
        ),
        None => {
            format!("not visible in the final filesystem — still extractable from layer {layer}")
        }
    })
}

/// Env, labels, entrypoint/cmd, healthcheck, ONBUILD and every history `created_by` (where
/// build arguments appear as `|N NAME=value …`).
fn config_findings(image: &Image, scanner: &Scanner) -> Vec<Finding> {
    let c = &image.config;
    let mut texts: Vec<(String, String, Option<usize>)> = Vec::new();
    if !c.env.is_empty() {
        texts.push(("config.Env".into(), c.env.join("\n"), None));
    }
    if !c.labels.is_empty() {
        let labels: Vec<String> = c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        texts.push(("config.Labels".into(), labels.join("\n"), None));
    }
    for (name, v) in [("config.Entrypoint", &c.entrypoint), ("config.Cmd", &c.cmd)] {
        if let Some(v) = v {
            texts.push((name.into(), v.join(" "), None));
        }
    }
    if let Some(h) = &c.healthcheck {
        texts.push(("config.Healthcheck".into(), h.test.join(" "), None));
    }
    if !c.on_build.is_empty() {
        texts.push(("config.OnBuild".into(), c.on_build.join("\n"), None));
    }
    for (i, h) in image.history.iter().enumerate() {
        if let Some(cb) = &h.created_by {
            texts.push((
                format!("history[{i}].created_by"),
                cb.clone(),
                h.layer_index,
            ));
        }
    }
    let show = scanner.show_secrets();
    let mut out = Vec::new();
    for (path, text, layer) in texts {
        for m in scanner.scan_bytes(&path, text.as_bytes()) {
            let shown = m.shown(show);
            let message = describe(&m.title, &shown, m.detail.as_deref(), &m.rule_id)
                + if path.starts_with("history") {
                    "; recorded in the image history, visible to anyone who can pull the image"
                } else {
                    "; in the image configuration, visible to anyone who can pull the image"
                };
            let location = Location {
                path: Some(path.clone()),
                line: Some(m.line),
                column: Some(m.column),
                layer_digest: layer
                    .and_then(|l| image.layers.get(l))
                    .and_then(|l| l.digest.as_ref())
                    .map(|d| d.to_string()),
                layer_index: layer.map(|l| l as u32),
                ..Location::default()
            };
            out.push(finding(
                &m.rule_id, m.severity, &m.title, message, location, false,
            ));
        }
    }
    out
}
