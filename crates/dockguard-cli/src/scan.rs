//! `dockguard scan TARGET`: vulnerabilities (and secrets) of an image, a directory or an SBOM.
//!
//! The image is read once: the package catalogers and the secret scanner share one pass over
//! the layers. Matching lives in `dockguard-scan`, the database in `dockguard-vulndb`; this file
//! maps flags, picks the database and decides exit codes. A scan never downloads or updates
//! the database (`db update` does); `--offline` additionally refuses registry images.
//!
//! After matching, `dockguard-policy` takes out what ignore files and VEX documents suppress
//! and, when a `[policy]` table is in effect, the gate decides PASS / WARN / FAIL and with it
//! the exit code.

use crate::db::DbDir;
use crate::Output;
use dockguard_catalog::image::{inventory_from_scan, CatalogAnalyzer, Scope};
use dockguard_catalog::{Inventory, Mode};
use dockguard_core::{Finding, FindingKind, Report, Severity, ToolInfo};
use dockguard_image::{Cache, FileAnalyzer, OpenOptions, Platform, ScanOptions, SourceFormat};
use dockguard_policy::LicensedPackage;
use dockguard_scan::{Filter, MatchOptions};
use dockguard_secrets::{SecretAnalyzer, SecretOptions};
use dockguard_vulndb::Database;
use std::path::{Path, PathBuf};

/// Scanners `--scanners` accepts.
const SCANNERS: [&str; 4] = ["vuln", "secret", "config", "lint"];

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Image, directory or SBOM: docker-archive:PATH, oci-dir:PATH[:TAG|@DIGEST],
    /// oci-archive:PATH, dir:PATH, sbom:FILE, registry:REF, docker:REF, or a plain path or
    /// reference (autodetected).
    #[arg(value_name = "TARGET")]
    target: String,

    /// Comma-separated scanners to run: vuln, secret.
    #[arg(long, value_name = "LIST", default_value = "vuln,secret")]
    scanners: String,

    /// Report only these severities (comma-separated: critical,high,medium,low,info).
    #[arg(long, value_name = "LIST")]
    severity: Option<String>,

    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long)]
    ignore_unfixed: bool,

    /// Exit code when findings remain after filtering (0 never fails).
    #[arg(long, value_name = "N", default_value_t = crate::EXIT_FINDINGS)]
    exit_code: u8,

    /// Never use the network: registry images are refused. (The vulnerability database is
    /// never downloaded by a scan anyway; see `dockguard db update`.)
    #[arg(long)]
    offline: bool,

    /// Match against the OSV records at PATH (a directory of <ID>.json records, a zip, or the
    /// <Ecosystem>/all.zip layout), imported into a temporary database for this scan only;
    /// --db-dir is not used.
    #[arg(long, value_name = "PATH")]
    osv_data: Option<PathBuf>,

    #[command(flatten)]
    db: DbDir,

    /// OSV ecosystem for the OS packages when the release cannot be detected or must be
    /// overridden (Debian:12, Alpine:v3.19, Ubuntu:22.04, AlmaLinux:9).
    #[arg(long, value_name = "ECOSYSTEM")]
    os_ecosystem: Option<String>,

    /// Which packages: squashed (the final filesystem) or all-layers (also those a later layer
    /// removed).
    #[arg(long, default_value = "squashed")]
    scope: Scope,

    /// Platform to pick from a multi-platform image (os/arch[/variant]).
    #[arg(long)]
    platform: Option<String>,

    #[command(flatten)]
    limits: crate::inspect::LayerLimitArgs,

    /// Read every layer, ignoring and not updating the layer cache.
    #[arg(long)]
    no_cache: bool,

    /// Policy file with a [policy] table (default: dockguard.toml, dockguard.yaml or
    /// dockguard.yml in the current directory, when present).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Require a [policy] table and gate on it: PASS / WARN / FAIL on stderr, exit code to
    /// match. (A [policy] table that is found gates without this flag too.)
    #[arg(long)]
    policy: bool,

    /// Ignore file (.dockguardignore in TOML or YAML, .trivyignore, .trivyignore.yaml);
    /// repeatable. Replaces the default of reading those files from the current directory.
    #[arg(long = "ignorefile", value_name = "FILE")]
    ignorefiles: Vec<PathBuf>,

    /// OpenVEX or CycloneDX VEX document; repeatable. `not_affected` and `fixed` statements
    /// suppress the matching findings.
    #[arg(long = "vex", value_name = "FILE")]
    vex: Vec<PathBuf>,

    /// List the findings that ignores and VEX statements suppressed, and why.
    #[arg(long)]
    show_suppressed: bool,

    /// Rego policy evaluated over the JSON report, conftest style: `deny` rules fail the gate
    /// with their message, `warn` rules warn; repeatable.
    #[arg(long = "rego", value_name = "FILE")]
    rego: Vec<PathBuf>,

    /// Dockerfile the image was built from, for the `lint` scanner (adding `lint` to
    /// `--scanners` is implied when this is given). Without it, `--scanners lint` on an image
    /// lints the Dockerfile reconstructed from the image history, as `lint --image` does.
    #[arg(long, value_name = "FILE")]
    dockerfile: Option<PathBuf>,
}

struct Scanners {
    vuln: bool,
    secret: bool,
    config: bool,
    lint: bool,
}

fn parse_scanners(list: &str) -> anyhow::Result<Scanners> {
    let mut s = Scanners {
        vuln: false,
        secret: false,
        config: false,
        lint: false,
    };
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name {
            "vuln" | "vulnerability" | "vulnerabilities" => s.vuln = true,
            "secret" | "secrets" => s.secret = true,
            "config" | "misconfig" => s.config = true,
            "lint" => s.lint = true,
            other => anyhow::bail!(
                "unknown scanner '{other}' (valid scanners: {})",
                SCANNERS.join(", ")
            ),
        }
    }
    if !s.vuln && !s.secret && !s.config && !s.lint {
        anyhow::bail!(
            "--scanners is empty (valid scanners: {})",
            SCANNERS.join(", ")
        );
    }
    Ok(s)
}

fn parse_severities(list: &str) -> anyhow::Result<Vec<Severity>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Severity>().map_err(anyhow::Error::from))
        .collect()
}

/// The database to match against, and the temporary directory holding it when it was
/// imported for this scan.
fn open_db(args: &ScanArgs, quiet: bool) -> anyhow::Result<(Database, Option<tempfile::TempDir>)> {
    if let Some(data) = &args.osv_data {
        let tmp = tempfile::tempdir()
            .map_err(|e| anyhow::anyhow!("cannot create a temporary database: {e}"))?;
        let stats = dockguard_vulndb::import(tmp.path(), data)?;
        if !quiet {
            for w in &stats.warnings {
                eprintln!("dockguard: warning: {w}");
            }
        }
        let db = Database::open(tmp.path())?;
        return Ok((db, Some(tmp)));
    }
    let dir = args.db.path();
    match Database::open(&dir) {
        Ok(db) => Ok((db, None)),
        Err(dockguard_vulndb::Error::Missing { dir }) => anyhow::bail!(
            "no vulnerability database in {}: run `dockguard db update` to download the OSV \
             data, or `dockguard db import PATH` to import a local copy (a directory of OSV \
             records or the <Ecosystem>/all.zip layout); or scan with `--osv-data PATH` to use \
             OSV records without a database, or `--scanners secret` to skip vulnerabilities",
            dir.display()
        ),
        Err(e) => Err(e.into()),
    }
}

/// Registry references need the network; everything else is local (the Docker daemon is
/// reached over its local socket).
fn needs_network(target: &str) -> bool {
    const LOCAL: [&str; 7] = [
        "docker-archive:",
        "oci-dir:",
        "oci:",
        "oci-archive:",
        "dir:",
        "sbom:",
        "docker:",
    ];
    if target.starts_with("registry:") {
        return true;
    }
    if LOCAL.iter().any(|p| target.starts_with(p)) {
        return false;
    }
    let path = target.split_once('@').map_or(target, |(p, _)| p);
    !Path::new(path).exists() && !Path::new(target).exists()
}

struct Scanned {
    source: String,
    inventory: Option<Inventory>,
    /// Findings of the scanners other than `vuln` (secrets, image config).
    secrets: Vec<Finding>,
    /// The lint scanner's findings on the Dockerfile reconstructed from the image history,
    /// when no `--dockerfile` was given.
    reconstructed: Option<(Vec<Finding>, crate::lint::Rebuilt)>,
    subject: dockguard_policy::Subject,
}

/// Where the base image is read from: what the image declares (annotations, then the config
/// label), else the Dockerfile's final stage.
fn base_image(
    image: &dockguard_image::Image,
    dockerfile: Option<&Path>,
) -> (Option<String>, Option<String>) {
    if let Some((base, from)) = image.declared_base() {
        return (Some(base), Some(from));
    }
    match dockerfile.and_then(|d| dockerfile_base(d).map(|b| (b, d))) {
        Some((base, d)) => (Some(base), Some(format!("Dockerfile {}", d.display()))),
        None => (None, None),
    }
}

/// The base image of the Dockerfile's final stage: its `FROM` chain followed through earlier
/// stages to an external image, with global `ARG`s expanded. `None` when a variable stays
/// unresolved or the file does not parse (the lint scanner reports that).
fn dockerfile_base(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let df = dockguard_dockerfile::parse_bytes(&bytes).ok()?;
    let model = dockguard_dockerfile::stages::Model::build(&df);
    let mut stage = model.final_stage()?;
    // Each step goes to an earlier stage, so this ends; the bound guards against a cycle.
    for _ in 0..model.stages.len() {
        match stage.parent.and_then(|p| model.stages.get(p)) {
            Some(parent) => stage = parent,
            None => break,
        }
    }
    let base = stage.base_expanded.trim();
    (!base.is_empty() && !base.contains('$')).then(|| base.to_string())
}

fn read_target(
    args: &ScanArgs,
    scanners: &Scanners,
    need_inventory: bool,
    quiet: bool,
) -> anyhow::Result<Scanned> {
    if let Some(file) = args.target.strip_prefix("sbom:") {
        if scanners.secret && !quiet && args.scanners != "vuln,secret" {
            eprintln!(
                "dockguard: note: an SBOM has no file contents; the secret scanner is skipped"
            );
        }
        // The error's message already names its cause; `{:#}` would print the cause twice.
        let inventory =
            dockguard_sbom::load_sbom(Path::new(file)).map_err(|e| anyhow::anyhow!("{e}"))?;
        let subject = dockguard_policy::Subject {
            licensed_packages: Some(LicensedPackage::from_packages(&inventory.packages)),
            ..dockguard_policy::Subject::default()
        };
        return Ok(Scanned {
            source: args.target.clone(),
            inventory: Some(inventory),
            secrets: Vec::new(),
            reconstructed: None,
            subject,
        });
    }
    let platform = match &args.platform {
        Some(p) => Some(p.parse::<Platform>()?),
        None => None,
    };
    let limits = args.limits.limits();
    let image = dockguard_image::open(
        &args.target,
        &OpenOptions {
            platform,
            limits: limits.clone(),
            ..OpenOptions::default()
        },
    )?;
    // Before the layers are read: a directory has no history to rebuild a Dockerfile from,
    // and that should not cost a full read first.
    let reconstructed = if scanners.lint && args.dockerfile.is_none() {
        if image.format == SourceFormat::Dir {
            anyhow::bail!(
                "{}: the lint scanner needs --dockerfile PATH for a directory (only an image \
                 has a history to reconstruct a Dockerfile from)",
                image.source
            );
        }
        if !quiet {
            eprintln!(
                "dockguard: note: no --dockerfile given: linting the Dockerfile reconstructed \
                 from the image history of {} (not the original; the base image and COPY/ADD \
                 sources are placeholders)",
                image.source
            );
        }
        let config = crate::lint::discovered_config()?;
        Some(crate::lint::lint_history(&image, &config)?)
    } else {
        None
    };
    let mode = if image.format == SourceFormat::Dir {
        Mode::Dir
    } else {
        Mode::Image
    };
    let catalog = CatalogAnalyzer::new(mode);
    let secret_opts = SecretOptions::default();
    let secrets = SecretAnalyzer::new(&secret_opts);
    let audit = dockguard_imageaudit::AuditAnalyzer::new();
    let mut analyzers: Vec<&dyn FileAnalyzer> = Vec::new();
    if need_inventory {
        analyzers.push(&catalog);
    }
    if scanners.secret {
        analyzers.push(&secrets);
    }
    if scanners.config {
        analyzers.push(&audit);
    }
    let cache = if args.no_cache {
        None
    } else {
        Cache::default_dir().map(Cache::new)
    };
    let scan = image.scan(&analyzers, &ScanOptions { limits, cache })?;
    let inventory = need_inventory.then(|| inventory_from_scan(&scan, args.scope));
    let mut secrets = if scanners.secret {
        dockguard_secrets::findings_from_scan(&image, &scan, &secrets)
    } else {
        Vec::new()
    };
    if scanners.config {
        secrets.extend(dockguard_imageaudit::findings_from_scan(&image, &scan));
    }
    // Only a registry or daemon reference (or a docker-archive's tag) says where the image
    // comes from; an OCI layout's tag is a bare name.
    let reference = if args.target.starts_with("registry:") || args.target.starts_with("docker:") {
        image.reference.clone()
    } else {
        image.repo_tags.first().cloned()
    };
    let (base_image, base_image_from) = base_image(&image, args.dockerfile.as_deref());
    let subject = dockguard_policy::Subject {
        is_image: image.format != SourceFormat::Dir,
        user: image.config.user.clone(),
        reference,
        created: image.created.clone(),
        base_image,
        base_image_from,
        licensed_packages: inventory
            .as_ref()
            .map(|i| LicensedPackage::from_packages(&i.packages)),
    };
    Ok(Scanned {
        source: image.source.clone(),
        inventory,
        secrets,
        reconstructed,
        subject,
    })
}

/// The `lint` scanner: the Dockerfile linted with `.hadolint.yaml` / `dockguard.toml` from the
/// current directory when present, as `dockguard lint` does.
fn lint_dockerfile(path: &Path) -> anyhow::Result<Vec<Finding>> {
    let config = crate::lint::discovered_config()?;
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    let shown = path.display().to_string();
    dockguard_dockerfile::lint::lint_bytes(&shown, &bytes, &config)
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))
}

/// Runs `dockguard scan`; returns the exit code.
pub fn run(args: ScanArgs, output: &Output) -> anyhow::Result<u8> {
    let started = dockguard_policy::utc_timestamp(std::time::SystemTime::now());
    let format: dockguard_report::Format = output.format.parse()?;
    let mut scanners = parse_scanners(&args.scanners)?;
    scanners.lint |= args.dockerfile.is_some();
    if scanners.lint && args.dockerfile.is_none() && args.target.starts_with("sbom:") {
        anyhow::bail!(
            "{}: the lint scanner needs --dockerfile PATH for an SBOM (only an image has a \
             history to reconstruct a Dockerfile from)",
            args.target
        );
    }
    // Policy inputs are read before the image so a typo costs no image read.
    let post = PostScan::load(&args)?;
    let filter = Filter {
        severities: match &args.severity {
            Some(list) => parse_severities(list)?,
            None => Vec::new(),
        },
        ignore_unfixed: args.ignore_unfixed,
    };
    if args.offline && needs_network(&args.target) {
        anyhow::bail!(
            "{}: --offline: a registry image needs the network; scan a local copy \
             (oci-dir:, docker-archive:, oci-archive:, dir:, sbom:) instead",
            args.target
        );
    }
    // The database is checked before the image is read: a missing one is a usage error that
    // should not cost a full read of a large image first.
    let db = if scanners.vuln {
        Some(open_db(&args, output.quiet)?)
    } else {
        None
    };
    // A JSON report carries the licences so `dockguard evaluate` can apply deny-licenses later.
    let need_inventory = scanners.vuln
        || format == dockguard_report::Format::Json
        || post
            .policy
            .as_ref()
            .is_some_and(|p| !p.deny_licenses.is_empty());
    let scanned = read_target(&args, &scanners, need_inventory, output.quiet)?;
    let mut findings: Vec<Finding> = Vec::new();
    if let (Some((db, _tmp)), Some(inventory)) = (&db, &scanned.inventory) {
        let matched = dockguard_scan::match_inventory(
            db,
            inventory,
            &MatchOptions {
                os_ecosystem: args.os_ecosystem.clone(),
            },
        )?;
        if !output.quiet {
            for p in &inventory.problems {
                eprintln!("dockguard: warning: {p}");
            }
            for n in &matched.notes {
                eprintln!("dockguard: note: {n}");
            }
            // Records given with --osv-data are all there is; a gap there is the user's
            // choice, not a stale database.
            let have: Vec<String> = db
                .status()
                .map(|s| s.into_iter().map(|e| e.ecosystem).collect())
                .unwrap_or_default();
            let missing: Vec<&str> = matched
                .ecosystems
                .iter()
                .map(|e| e.split(':').next().unwrap_or(e))
                .filter(|b| !have.iter().any(|h| h == b))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !missing.is_empty() && args.osv_data.is_none() {
                eprintln!(
                    "dockguard: warning: the database has no data for {}; `dockguard db update` \
                     fetches it",
                    missing.join(", ")
                );
            }
            eprintln!(
                "dockguard: {} package(s) checked{}, {} vulnerability finding(s)",
                matched.packages_checked,
                matched
                    .os_ecosystem
                    .as_deref()
                    .map(|e| format!(" (OS packages as {e})"))
                    .unwrap_or_default(),
                matched.findings.len()
            );
        }
        findings.extend(matched.findings);
    }
    findings.extend(scanned.secrets);
    if let Some(path) = &args.dockerfile {
        findings.extend(lint_dockerfile(path)?);
    }
    let rebuilt: Vec<crate::lint::Rebuilt> = match scanned.reconstructed {
        Some((found, rebuilt)) => {
            findings.extend(found);
            vec![rebuilt]
        }
        None => Vec::new(),
    };
    findings.retain(|f| filter.keeps(f));
    let outcome = post.apply(findings, output.quiet, args.show_suppressed);
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        vec![scanned.source],
        outcome.kept,
    );
    let verdict = gate(
        post.policy.as_ref(),
        &report,
        &scanned.subject,
        &args.rego,
        output.quiet,
    )?;
    let suppressed = if args.show_suppressed {
        outcome.suppressed
    } else {
        Vec::new()
    };
    if args.show_suppressed
        && format != dockguard_report::Format::Table
        && format != dockguard_report::Format::Json
    {
        let mut err = std::io::stderr().lock();
        write_suppressed(&suppressed, &mut err)?;
    }
    let render = dockguard_report::RenderOptions {
        color: output.color,
        sources: rebuilt
            .iter()
            .map(|r| (r.source.clone(), r.text.clone()))
            .collect(),
    };
    output.write(|out| {
        if format == dockguard_report::Format::Json {
            let mut value = json_value(
                &report,
                &JsonExtras {
                    verdict: verdict.as_ref(),
                    suppressed: &suppressed,
                    expired: &outcome.expired,
                    subject: Some(&scanned.subject),
                },
            )?;
            if !rebuilt.is_empty() {
                crate::lint::add_reconstructed(&mut value, &report, &rebuilt);
            }
            return write_value(&value, out);
        }
        if format == dockguard_report::Format::GitlabContainerScanning {
            // The one format whose schema requires the scan's real start and end.
            let ended = dockguard_policy::utc_timestamp(std::time::SystemTime::now());
            let text = dockguard_report::gitlab_container_scanning(&report, &started, &ended)?;
            return out.write_all(text.as_bytes());
        }
        if format != dockguard_report::Format::Table {
            return dockguard_report::render(&report, format, &render, out);
        }
        if scanners.vuln {
            dockguard_scan::write_table(&report.findings, output.color, out)?;
        }
        let others: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Vulnerability)
            .cloned()
            .collect();
        if scanners.secret || scanners.config || scanners.lint {
            if scanners.vuln {
                writeln!(out)?;
            }
            if others.is_empty() {
                let kinds: Vec<&str> = [
                    (scanners.secret, "secrets"),
                    (scanners.config, "image configuration problems"),
                    (scanners.lint, "Dockerfile problems"),
                ]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| *name)
                .collect();
                writeln!(out, "no {} found", kinds.join(" or "))?;
            } else {
                let rest = Report {
                    findings: others,
                    ..report.clone()
                };
                dockguard_report::render(&rest, format, &render, out)?;
            }
        }
        if args.show_suppressed {
            writeln!(out)?;
            write_suppressed(&suppressed, out)?;
        }
        Ok(())
    })?;
    Ok(exit_code(
        verdict.as_ref(),
        report.findings.is_empty(),
        args.exit_code,
    ))
}

/// The exit code of `scan` and `evaluate`: the gate's when one ran, else `fail_code` when
/// findings remain.
pub(crate) fn exit_code(
    verdict: Option<&dockguard_policy::Verdict>,
    no_findings: bool,
    fail_code: u8,
) -> u8 {
    match verdict {
        Some(v) => v.exit_code(fail_code),
        None if no_findings => 0,
        None => fail_code,
    }
}

/// The `[policy]` gate and the Rego policies over `report`; the verdict goes to stderr (always
/// when it fails, otherwise unless quiet). `None` when neither is in effect.
pub(crate) fn gate(
    policy: Option<&dockguard_policy::Policy>,
    report: &Report,
    subject: &dockguard_policy::Subject,
    rego: &[PathBuf],
    quiet: bool,
) -> anyhow::Result<Option<dockguard_policy::Verdict>> {
    let mut verdict = policy.map(|p| dockguard_policy::evaluate(p, &report.findings, subject));
    if !rego.is_empty() {
        // Rego sees exactly what `--format json` prints (docs/json-report.md).
        let input = serde_json::to_value(report)?;
        let gate = verdict.get_or_insert_with(dockguard_policy::Verdict::default);
        for file in rego {
            let messages = dockguard_policy::eval_rego(file, &input)?;
            dockguard_policy::add_to_verdict(gate, &messages);
        }
    }
    if let Some(v) = &verdict {
        if !quiet || v.decision == dockguard_policy::Decision::Fail {
            eprintln!("dockguard: policy: {}", v.summary());
        }
    }
    Ok(verdict)
}

/// What the scan reads besides the target: ignore files, VEX documents, the policy.
pub(crate) struct PostScan {
    pub(crate) ignores: dockguard_policy::Ignores,
    pub(crate) vex: Vec<dockguard_policy::VexStatement>,
    pub(crate) policy: Option<dockguard_policy::Policy>,
}

impl PostScan {
    /// Applies the ignore files and VEX documents, warning on stderr (unless `quiet`) about
    /// expired ignore entries and, without `show_suppressed`, how many findings were dropped.
    pub(crate) fn apply(
        &self,
        findings: Vec<Finding>,
        quiet: bool,
        show_suppressed: bool,
    ) -> dockguard_policy::Outcome {
        let outcome = dockguard_policy::apply(
            findings,
            &self.ignores,
            &self.vex,
            dockguard_policy::Date::today(),
        );
        if !quiet {
            for rule in &outcome.expired {
                eprintln!(
                    "dockguard: warning: ignore entry {} ({}) expired on {} and no longer applies",
                    rule.id,
                    rule.origin,
                    rule.expires.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            if !outcome.suppressed.is_empty() && !show_suppressed {
                eprintln!(
                    "dockguard: {} finding(s) suppressed by ignores or VEX (--show-suppressed lists them)",
                    outcome.suppressed.len()
                );
            }
        }
        outcome
    }
}

/// The flags `scan` and `evaluate` share for [`PostScan::load_from`].
pub(crate) struct PolicyFlags<'a> {
    pub(crate) ignorefiles: &'a [PathBuf],
    pub(crate) vex: &'a [PathBuf],
    pub(crate) config: Option<&'a PathBuf>,
    pub(crate) require_policy: bool,
}

impl PostScan {
    fn load(args: &ScanArgs) -> anyhow::Result<PostScan> {
        Self::load_from(&PolicyFlags {
            ignorefiles: &args.ignorefiles,
            vex: &args.vex,
            config: args.config.as_ref(),
            require_policy: args.policy,
        })
    }

    pub(crate) fn load_from(args: &PolicyFlags<'_>) -> anyhow::Result<PostScan> {
        let ignores = if args.ignorefiles.is_empty() {
            dockguard_policy::Ignores::discover(Path::new("."))?
        } else {
            let mut all = dockguard_policy::Ignores::default();
            for f in args.ignorefiles {
                all.rules.extend(dockguard_policy::Ignores::load(f)?.rules);
            }
            all
        };
        let mut vex = Vec::new();
        for f in args.vex {
            vex.extend(dockguard_policy::load_vex(f)?);
        }
        let config = match args.config {
            Some(c) => {
                if !c.is_file() {
                    anyhow::bail!("{}: --config: no such file", c.display());
                }
                Some(c.clone())
            }
            None => dockguard_policy::find_config(Path::new(".")),
        };
        let policy = match &config {
            Some(c) => dockguard_policy::load_policy(c)?,
            None => None,
        };
        if args.require_policy && policy.is_none() {
            anyhow::bail!(
                "--policy: no [policy] table in {} (see docs/policy.md)",
                config.map_or_else(
                    || "dockguard.toml (none in the current directory; use --config FILE)"
                        .to_string(),
                    |c| c.display().to_string()
                )
            );
        }
        Ok(PostScan {
            ignores,
            vex,
            policy,
        })
    }
}

pub(crate) fn write_suppressed(
    suppressed: &[dockguard_policy::Suppressed],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if suppressed.is_empty() {
        return writeln!(out, "no findings suppressed");
    }
    writeln!(out, "suppressed ({}):", suppressed.len())?;
    for s in suppressed {
        let package = s
            .finding
            .package
            .as_ref()
            .map(|p| format!(" {} {}", p.name, p.version))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}{package}  {} {}{}",
            s.finding.id,
            s.by,
            s.origin,
            s.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The fields a scan adds to the core JSON report.
pub(crate) type JsonExtras<'a> = dockguard_policy::GateFields<'a>;

/// The JSON report plus the optional `policy`, `suppressed`, `expired_ignores` and `subject`
/// fields (docs/json-report.md); the core report shape is unchanged.
pub(crate) fn write_json(
    report: &Report,
    extras: &JsonExtras<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_value(&json_value(report, extras)?, out)
}

fn write_value(value: &serde_json::Value, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// The report as [`write_json`] writes it.
fn json_value(report: &Report, extras: &JsonExtras<'_>) -> std::io::Result<serde_json::Value> {
    dockguard_policy::gated_report_json(report, extras).map_err(std::io::Error::other)
}
