//! `dockguard key generate|import`, `dockguard sign`, `dockguard verify`, `dockguard
//! verify-blob` and `dockguard trust inspect|revoke`: cosign-compatible image signing, with
//! key-based and keyless (Fulcio certificate + Rekor, verified offline against a Sigstore
//! trusted root) verification.
//!
//! Key passwords come from `DOCKGUARD_PASSWORD`/`COSIGN_PASSWORD` or a terminal prompt, never
//! a flag. Registry credentials use `--registry-username`/`--registry-password`
//! (`DOCKGUARD_REGISTRY_USERNAME`/`DOCKGUARD_REGISTRY_PASSWORD`) because `DOCKGUARD_PASSWORD`
//! is the key password here, as cosign's users expect.

use crate::Output;
use anyhow::Context as _;
use dockguard_sign::{
    CertificateIdentity, KeylessPolicy, Matcher, PrivateKey, PublicKey, RegistryOptions,
    RevokeSelector, SignOptions, Storage, Target, TrustedRoot, VerifiedSigner, VerifyOptions,
    VerifyReport,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit code of `verify` when no valid signature is found.
pub const EXIT_UNVERIFIED: u8 = 1;

/// Registry access shared by the commands that talk to one.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RegistryArgs {
    /// Registry user name (old variable DOCKGUARD_USERNAME still read, deprecated).
    #[arg(long, env = "DOCKGUARD_REGISTRY_USERNAME")]
    pub registry_username: Option<String>,
    /// Registry password or token.
    #[arg(long, env = "DOCKGUARD_REGISTRY_PASSWORD", hide_env_values = true)]
    pub registry_password: Option<String>,
    /// Allow plain HTTP to the registry (always allowed for localhost and 127.0.0.1).
    #[arg(long)]
    pub insecure: bool,
}

impl RegistryArgs {
    fn options(&self) -> RegistryOptions {
        RegistryOptions {
            // Only the user name falls back: DOCKGUARD_PASSWORD is the key password here.
            username: crate::inspect::legacy_registry_env(
                self.registry_username.clone(),
                "USERNAME",
            ),
            password: self.registry_password.clone(),
            insecure: self.insecure,
            docker_config: None,
        }
    }
}

/// `dockguard key …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum KeyCommand {
    /// Generate an ECDSA P-256 key pair in cosign's formats (PREFIX.key, PREFIX.pub).
    Generate(KeyGenerateArgs),
    /// Re-encrypt an existing PKCS#8 or SEC1 P-256 PEM key into cosign's format.
    Import(KeyImportArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct KeyGenerateArgs {
    /// Write PREFIX.key and PREFIX.pub.
    #[arg(long, default_value = "dockguard", value_name = "PREFIX")]
    pub output_prefix: PathBuf,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct KeyImportArgs {
    /// Unencrypted PEM private key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`).
    #[arg(long, short = 'k')]
    pub key: PathBuf,
    /// Write PREFIX.key and PREFIX.pub.
    #[arg(long, default_value = "import-dockguard", value_name = "PREFIX")]
    pub output_prefix: PathBuf,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

/// `dockguard sign`
#[derive(clap::Args, Debug, Clone)]
pub struct SignArgs {
    /// Image: a registry reference (REGISTRY/REPO:TAG or @DIGEST) or oci-dir:PATH[:TAG|@DIGEST].
    pub image: String,
    /// Private key file (cosign or dockguard format).
    #[arg(long, short = 'k')]
    pub key: PathBuf,
    /// Annotation KEY=VALUE for the payload's `optional` section (repeatable).
    #[arg(long = "annotation", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    /// Store the signature as an OCI 1.1 referrer (tag-schema fallback on older registries)
    /// instead of cosign's sha256-<hex>.sig tag.
    #[arg(long)]
    pub referrers: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Keyless signer policy, with cosign's flag names.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct KeylessArgs {
    /// Keyless: the signer identity (certificate SAN e-mail or URI) that must match exactly.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "certificate_identity_regexp"
    )]
    pub certificate_identity: Option<String>,
    /// Keyless: a regular expression the signer identity must match (unanchored, as cosign).
    #[arg(long, value_name = "RE")]
    pub certificate_identity_regexp: Option<String>,
    /// Keyless: the OIDC issuer recorded in the certificate, exactly.
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "certificate_oidc_issuer_regexp"
    )]
    pub certificate_oidc_issuer: Option<String>,
    /// Keyless: a regular expression the OIDC issuer must match.
    #[arg(long, value_name = "RE")]
    pub certificate_oidc_issuer_regexp: Option<String>,
    /// Sigstore trusted_root.json (default: $XDG_CONFIG_HOME/dockguard/trusted_root.json,
    /// else ~/.config/dockguard/trusted_root.json).
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
}

impl KeylessArgs {
    fn given(&self) -> bool {
        self.certificate_identity.is_some()
            || self.certificate_identity_regexp.is_some()
            || self.certificate_oidc_issuer.is_some()
            || self.certificate_oidc_issuer_regexp.is_some()
    }

    fn policy(&self) -> anyhow::Result<KeylessPolicy> {
        let identity = match (
            &self.certificate_identity,
            &self.certificate_identity_regexp,
        ) {
            (Some(id), _) => Matcher::Exact(id.clone()),
            (None, Some(re)) => Matcher::regex(re)?,
            (None, None) => anyhow::bail!(
                "keyless verification needs --certificate-identity or --certificate-identity-regexp"
            ),
        };
        let issuer = match (&self.certificate_oidc_issuer, &self.certificate_oidc_issuer_regexp) {
            (Some(i), _) => Matcher::Exact(i.clone()),
            (None, Some(re)) => Matcher::regex(re)?,
            (None, None) => anyhow::bail!(
                "keyless verification needs --certificate-oidc-issuer or --certificate-oidc-issuer-regexp"
            ),
        };
        let path = match &self.trusted_root {
            Some(p) => p.clone(),
            None => TrustedRoot::default_path().ok_or_else(|| {
                anyhow::anyhow!("no trusted root: pass --trusted-root FILE (HOME is not set)")
            })?,
        };
        if self.trusted_root.is_none() && !path.exists() {
            anyhow::bail!(
                "{}: no Sigstore trusted root. Keyless verification is offline and needs one: \
                 pass --trusted-root FILE, or save the trusted_root.json of Sigstore's TUF \
                 repository (for example the output of `cosign trusted-root create`, or the \
                 file sigstore clients cache from TUF) at that path",
                path.display()
            );
        }
        Ok(KeylessPolicy {
            trusted_root: std::sync::Arc::new(TrustedRoot::load(&path)?),
            identity: CertificateIdentity { identity, issuer },
        })
    }
}

/// `dockguard verify`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Image: a registry reference or oci-dir:PATH[:TAG|@DIGEST].
    pub image: String,
    /// Public key file; repeat to accept a signature by any of them.
    #[arg(long, short = 'k')]
    pub key: Vec<PathBuf>,
    #[command(flatten)]
    pub keyless: KeylessArgs,
    /// Require the payload annotation KEY=VALUE (repeatable).
    #[arg(long = "annotation", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `dockguard verify-blob`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyBlobArgs {
    /// The file the bundle signs.
    pub file: PathBuf,
    /// Sigstore bundle (v0.1 to v0.3 JSON), as `cosign sign-blob --bundle` or sigstore
    /// clients write it.
    #[arg(long, value_name = "BUNDLE.json")]
    pub bundle: PathBuf,
    #[command(flatten)]
    pub keyless: KeylessArgs,
}

/// `dockguard trust …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum TrustCommand {
    /// List an image's signatures, signer key ids, annotations and digests.
    Inspect(TrustInspectArgs),
    /// Delete signatures (all of them, or those made with the given keys).
    Revoke(TrustRevokeArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct TrustInspectArgs {
    pub image: String,
    /// Public keys to check signatures against (optional; repeatable).
    #[arg(long, short = 'k')]
    pub key: Vec<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(clap::Args, Debug, Clone)]
pub struct TrustRevokeArgs {
    pub image: String,
    /// Remove the signatures that verify with these public keys (repeatable).
    #[arg(long, short = 'k', conflicts_with = "all")]
    pub key: Vec<PathBuf>,
    /// Remove every signature of the image.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    anyhow::ensure!(
        meta.len() <= 64 << 10,
        "{}: too large to be a key file",
        path.display()
    );
    std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
}

fn with_ext(prefix: &Path, ext: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// Writes atomically; the private key is created owner-only before any byte is written.
fn write_new(path: &Path, bytes: &[u8], force: bool, private: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        force || !path.exists(),
        "{}: already exists (use --force to replace it)",
        path.display()
    );
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    #[cfg(unix)]
    if !private {
        use std::os::unix::fs::PermissionsExt as _;
        // tempfile creates 0600; a public key should be readable like any other file.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("{}: cannot set permissions", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", path.display(), e.error))?;
    Ok(())
}

fn write_pair(prefix: &Path, key: &PrivateKey, force: bool, out: &Output) -> anyhow::Result<()> {
    let key_path = with_ext(prefix, ".key");
    let pub_path = with_ext(prefix, ".pub");
    for p in [&key_path, &pub_path] {
        anyhow::ensure!(
            force || !p.exists(),
            "{}: already exists (use --force to replace it)",
            p.display()
        );
    }
    let password = dockguard_sign::read_password(&key_path.display().to_string(), true)?;
    let pem = key.to_encrypted_pem(&password)?;
    write_new(&key_path, pem.as_bytes(), force, true)?;
    write_new(
        &pub_path,
        key.public_key().to_pem().as_bytes(),
        force,
        false,
    )?;
    let report = KeyReport {
        private_key: key_path.display().to_string(),
        public_key: pub_path.display().to_string(),
        key_id: key.public_key().key_id(),
    };
    output(out, &report, |w| {
        writeln!(w, "Private key written to {}", report.private_key)?;
        writeln!(w, "Public key written to {}", report.public_key)?;
        writeln!(w, "Key id: {}", report.key_id)
    })
}

#[derive(Serialize)]
struct KeyReport {
    private_key: String,
    public_key: String,
    key_id: String,
}

/// Renders `value` as JSON with `--format json`, else with `text`.
fn output<T: Serialize>(
    out: &Output,
    value: &T,
    text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match out.format.as_str() {
        "json" => out.write(|w| {
            serde_json::to_writer_pretty(&mut *w, value)?;
            writeln!(w)
        }),
        "table" => out.write(text),
        other => anyhow::bail!("this command writes table or json, not '{other}'"),
    }
}

pub fn run_key(cmd: KeyCommand, out: &Output) -> anyhow::Result<u8> {
    match cmd {
        KeyCommand::Generate(a) => {
            let key = PrivateKey::generate()?;
            write_pair(&a.output_prefix, &key, a.force, out)?;
        }
        KeyCommand::Import(a) => {
            let what = a.key.display().to_string();
            let key = PrivateKey::import_pem(&what, &read_file(&a.key)?)?;
            write_pair(&a.output_prefix, &key, a.force, out)?;
        }
    }
    Ok(0)
}

fn parse_annotations(pairs: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for p in pairs {
        let (k, v) = p
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| anyhow::anyhow!("annotation '{p}' is not KEY=VALUE"))?;
        m.insert(k.to_string(), v.to_string());
    }
    Ok(m)
}

fn load_private(path: &Path) -> anyhow::Result<PrivateKey> {
    let what = path.display().to_string();
    let text = read_file(path)?;
    let password = if PrivateKey::is_encrypted(&what, &text)? {
        Some(dockguard_sign::read_password(&what, false)?)
    } else {
        None
    };
    Ok(PrivateKey::from_pem(&what, &text, password.as_deref())?)
}

fn load_public(paths: &[PathBuf]) -> anyhow::Result<Vec<PublicKey>> {
    paths
        .iter()
        .map(|p| {
            Ok(PublicKey::from_pem(
                &p.display().to_string(),
                &read_file(p)?,
            )?)
        })
        .collect()
}

pub fn run_sign(a: SignArgs, out: &Output) -> anyhow::Result<u8> {
    let annotations = parse_annotations(&a.annotations)?;
    let key = load_private(&a.key)?;
    let target = Target::open(&a.image, &a.registry.options())?;
    let storage = if a.referrers {
        Storage::Referrer
    } else {
        Storage::Tag
    };
    let done = dockguard_sign::sign(
        &target,
        &key,
        &SignOptions {
            annotations,
            storage,
        },
    )?;
    output(out, &done, |w| {
        writeln!(w, "Signed {} ({})", a.image, done.image_digest)?;
        writeln!(w, "  key id:    {}", done.key_id)?;
        let place = match (done.storage, done.referrers_api) {
            (Storage::Tag, _) => format!("tag {}", done.stored_at),
            (Storage::Referrer, Some(true)) => format!("referrer {}", done.stored_at),
            (Storage::Referrer, _) => format!(
                "referrer {} (listed in the referrers tag index: the registry has no referrers API)",
                done.stored_at
            ),
        };
        writeln!(w, "  stored as: {place}")
    })?;
    Ok(0)
}

fn render_checks(w: &mut dyn Write, r: &VerifyReport, verbose: bool) -> std::io::Result<()> {
    writeln!(w, "Image: {}", r.image)?;
    writeln!(w, "Digest: {}", r.digest)?;
    if r.signatures.is_empty() {
        return writeln!(w, "No signatures found.");
    }
    writeln!(w)?;
    for (i, c) in r.signatures.iter().enumerate() {
        let s = &c.signature;
        let status = if c.is_valid() {
            "VALID"
        } else if c.signer_verified() {
            "REJECTED"
        } else {
            "UNVERIFIED"
        };
        writeln!(w, "Signature {} [{status}]", i + 1)?;
        let storage = match s.storage {
            Storage::Tag => "tag",
            Storage::Referrer => "referrer",
        };
        writeln!(w, "  stored:          {storage} {}", s.location)?;
        writeln!(w, "  payload digest:  {}", s.payload_digest)?;
        match (&c.verified_key_id, &s.claimed_key_id) {
            _ if c.keyless_signer.is_some() => {
                if let Some(k) = &c.keyless_signer {
                    write_signer(w, k)?;
                }
            }
            (Some(k), _) => writeln!(w, "  signer key id:   {k} (verified)")?,
            (None, Some(k)) => writeln!(w, "  signer key id:   {k} (claimed, not verified)")?,
            (None, None) if s.has_certificate => {
                writeln!(w, "  signer:          keyless (certificate)")?
            }
            (None, None) => writeln!(w, "  signer key id:   unknown")?,
        }
        if let Some(p) = &c.payload {
            writeln!(w, "  signed digest:   {}", p.manifest_digest)?;
            if !p.docker_reference.is_empty() {
                writeln!(w, "  identity:        {}", p.docker_reference)?;
            }
            for k in p.optional.keys() {
                writeln!(
                    w,
                    "  annotation:      {k}={}",
                    p.annotation(k).unwrap_or_default()
                )?;
            }
        }
        if verbose || !c.is_valid() {
            for p in &c.problems {
                writeln!(w, "  problem:         {p}")?;
            }
        }
    }
    Ok(())
}

fn write_signer(w: &mut dyn Write, k: &VerifiedSigner) -> std::io::Result<()> {
    writeln!(w, "  signer:          {} (keyless, verified)", k.identity)?;
    writeln!(w, "  OIDC issuer:     {}", k.issuer)?;
    writeln!(w, "  certificate CA:  {}", k.ca)?;
    writeln!(
        w,
        "  logged:          {} (log index {}, log {})",
        dockguard_sign::format_time(k.integrated_time),
        k.log_index,
        k.log_id
    )
}

pub fn run_verify(a: VerifyArgs, out: &Output) -> anyhow::Result<u8> {
    anyhow::ensure!(
        !a.key.is_empty() || a.keyless.given(),
        "say how to verify: --key PUBLIC_KEY, or --certificate-identity[-regexp] with \
         --certificate-oidc-issuer[-regexp] for keyless signatures"
    );
    let keys = load_public(&a.key)?;
    let opts = VerifyOptions {
        annotations: parse_annotations(&a.annotations)?,
        keyless: if a.keyless.given() {
            Some(a.keyless.policy()?)
        } else {
            None
        },
    };
    let target = Target::open(&a.image, &a.registry.options())?;
    let report = dockguard_sign::verify(&target, &keys, &opts)?;
    let ok = report.is_valid();
    output(out, &report, |w| {
        render_checks(w, &report, false)?;
        writeln!(w)?;
        if ok {
            let n = report.signatures.iter().filter(|c| c.is_valid()).count();
            writeln!(w, "Verified: {n} valid signature(s).")
        } else {
            writeln!(
                w,
                "Verification FAILED: no valid signature for {}.",
                report.digest
            )
        }
    })?;
    if !ok && !out.quiet && out.path.is_some() {
        eprintln!("dockguard: no valid signature for {}", a.image);
    }
    Ok(if ok { 0 } else { EXIT_UNVERIFIED })
}

/// What `verify-blob` reports.
#[derive(Serialize)]
struct BlobReport {
    file: String,
    bundle: String,
    sha256: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer: Option<VerifiedSigner>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

pub fn run_verify_blob(a: VerifyBlobArgs, out: &Output) -> anyhow::Result<u8> {
    let policy = a.keyless.policy()?;
    let bundle = dockguard_sign::Bundle::load(&a.bundle)?;
    let digest = dockguard_sign::sha256_file(&a.file)?;
    let result = dockguard_sign::verify_bundle(&bundle, &digest, &policy);
    let report = BlobReport {
        file: a.file.display().to_string(),
        bundle: a.bundle.display().to_string(),
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        valid: result.is_ok(),
        problem: result.as_ref().err().map(ToString::to_string),
        signer: result.ok(),
    };
    output(out, &report, |w| {
        writeln!(w, "File:   {} (sha256:{})", report.file, report.sha256)?;
        writeln!(w, "Bundle: {}", report.bundle)?;
        if let Some(k) = &report.signer {
            write_signer(w, k)?;
            writeln!(w)?;
            writeln!(w, "Verified OK.")
        } else {
            writeln!(
                w,
                "  problem:         {}",
                report.problem.as_deref().unwrap_or("")
            )?;
            writeln!(w)?;
            writeln!(w, "Verification FAILED.")
        }
    })?;
    if !report.valid && !out.quiet && out.path.is_some() {
        eprintln!("dockguard: {}", report.problem.as_deref().unwrap_or(""));
    }
    Ok(if report.valid { 0 } else { EXIT_UNVERIFIED })
}

#[derive(Serialize)]
struct RevokeReport<'a> {
    image: &'a str,
    #[serde(flatten)]
    outcome: &'a dockguard_sign::RevokeOutcome,
}

pub fn run_trust(cmd: TrustCommand, out: &Output) -> anyhow::Result<u8> {
    match cmd {
        TrustCommand::Inspect(a) => {
            let keys = load_public(&a.key)?;
            let target = Target::open(&a.image, &a.registry.options())?;
            let report = dockguard_sign::verify(&target, &keys, &VerifyOptions::default())?;
            output(out, &report, |w| {
                render_checks(w, &report, !keys.is_empty())
            })?;
            Ok(0)
        }
        TrustCommand::Revoke(a) => {
            anyhow::ensure!(
                a.all || !a.key.is_empty(),
                "say which signatures to revoke: --key PUBLIC_KEY (repeatable) or --all"
            );
            let selector = if a.all {
                RevokeSelector::All
            } else {
                RevokeSelector::Keys(load_public(&a.key)?)
            };
            let target = Target::open(&a.image, &a.registry.options())?;
            let outcome = dockguard_sign::revoke(&target, &selector)?;
            let report = RevokeReport {
                image: &a.image,
                outcome: &outcome,
            };
            output(out, &report, |w| {
                if outcome.removed == 0 {
                    return writeln!(
                        w,
                        "No matching signatures on {} ({}).",
                        a.image, outcome.digest
                    );
                }
                writeln!(
                    w,
                    "Revoked {} signature(s) of {} ({}):",
                    outcome.removed, a.image, outcome.digest
                )?;
                for act in &outcome.actions {
                    writeln!(w, "  {act}")?;
                }
                Ok(())
            })?;
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_and_prefixes() {
        let m = parse_annotations(&["env=prod".into(), "url=a=b".into()]).unwrap();
        assert_eq!(m["env"], "prod");
        assert_eq!(m["url"], "a=b");
        assert!(parse_annotations(&["novalue".into()]).is_err());
        assert!(parse_annotations(&["=x".into()]).is_err());
        assert_eq!(
            with_ext(Path::new("keys/dockguard"), ".pub"),
            PathBuf::from("keys/dockguard.pub")
        );
    }

    /// Keyless material generated by dockguard-sign's tests (a throwaway Fulcio-like CA, Rekor
    /// key, bundle and keyless-signed OCI layout), checked there against its generator.
    fn keyless_data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../dockguard-sign/tests/data/keyless")
    }

    fn keyless(identity: &str, issuer: &str) -> KeylessArgs {
        KeylessArgs {
            certificate_identity: Some(identity.into()),
            certificate_oidc_issuer: Some(issuer.into()),
            trusted_root: Some(keyless_data().join("trusted_root.json")),
            ..KeylessArgs::default()
        }
    }

    fn json_out(dir: &Path) -> Output {
        Output {
            format: "json".into(),
            path: Some(dir.join("out.json")),
            quiet: true,
            color: false,
        }
    }

    const ID: &str = "signer@example.test";
    const ISS: &str = "https://issuer.example.test";

    #[test]
    fn verify_blob_keyless() {
        let tmp = tempfile::tempdir().unwrap();
        let out = json_out(tmp.path());
        let args = |file: PathBuf, k: KeylessArgs| VerifyBlobArgs {
            file,
            bundle: keyless_data().join("bundle.json"),
            keyless: k,
        };
        let artifact = keyless_data().join("artifact.txt");
        assert_eq!(
            run_verify_blob(args(artifact.clone(), keyless(ID, ISS)), &out).unwrap(),
            0
        );
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(tmp.path().join("out.json")).unwrap()).unwrap();
        assert_eq!(r["valid"], true);
        assert_eq!(r["signer"]["identity"], ID);
        assert_eq!(r["signer"]["integrated_time"], 1748779200);

        let regexp = KeylessArgs {
            certificate_identity: None,
            certificate_identity_regexp: Some("^signer@".into()),
            ..keyless(ID, ISS)
        };
        assert_eq!(
            run_verify_blob(args(artifact.clone(), regexp), &out).unwrap(),
            0
        );

        let code = run_verify_blob(args(artifact.clone(), keyless("x@example.test", ISS)), &out);
        assert_eq!(code.unwrap(), EXIT_UNVERIFIED);
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(tmp.path().join("out.json")).unwrap()).unwrap();
        assert!(
            r["problem"]
                .as_str()
                .unwrap()
                .starts_with("keyless identity:"),
            "{r}"
        );

        let tampered = tmp.path().join("tampered.txt");
        std::fs::write(&tampered, b"hello from dockguard!\n").unwrap();
        assert_eq!(
            run_verify_blob(args(tampered, keyless(ID, ISS)), &out).unwrap(),
            EXIT_UNVERIFIED
        );

        // Input errors are errors (exit 2), each naming its file.
        let missing_root = KeylessArgs {
            trusted_root: Some(tmp.path().join("nope.json")),
            ..keyless(ID, ISS)
        };
        let e = run_verify_blob(args(artifact.clone(), missing_root), &out).unwrap_err();
        assert!(e.to_string().contains("nope.json"), "{e}");
        let no_issuer = KeylessArgs {
            certificate_oidc_issuer: None,
            ..keyless(ID, ISS)
        };
        let e = run_verify_blob(args(artifact, no_issuer), &out).unwrap_err();
        assert!(e.to_string().contains("--certificate-oidc-issuer"), "{e}");
    }

    #[test]
    fn verify_image_keyless() {
        let tmp = tempfile::tempdir().unwrap();
        let out = json_out(tmp.path());
        let image = format!("oci-dir:{}:app", keyless_data().join("layout").display());
        let args = |k: KeylessArgs| VerifyArgs {
            image: image.clone(),
            key: Vec::new(),
            keyless: k,
            annotations: Vec::new(),
            registry: RegistryArgs::default(),
        };
        assert_eq!(run_verify(args(keyless(ID, ISS)), &out).unwrap(), 0);
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(tmp.path().join("out.json")).unwrap()).unwrap();
        assert_eq!(r["signatures"][0]["keyless_signer"]["issuer"], ISS);
        assert_eq!(
            run_verify(args(keyless(ID, "https://accounts.example.test")), &out).unwrap(),
            EXIT_UNVERIFIED
        );
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(tmp.path().join("out.json")).unwrap()).unwrap();
        let problem = r["signatures"][0]["problems"][0].as_str().unwrap();
        assert!(problem.starts_with("keyless issuer:"), "{problem}");
        // Neither a key nor an identity: a usage error.
        assert!(run_verify(args(KeylessArgs::default()), &out).is_err());
        // Text rendering names the keyless signer.
        let text = Output {
            format: "table".into(),
            ..json_out(tmp.path())
        };
        assert_eq!(run_verify(args(keyless(ID, ISS)), &text).unwrap(), 0);
        let t = std::fs::read_to_string(tmp.path().join("out.json")).unwrap();
        assert!(
            t.contains("signer:          signer@example.test (keyless, verified)"),
            "{t}"
        );
        assert!(t.contains("logged:          2025-06-01T12:00:00Z"), "{t}");
    }
}
