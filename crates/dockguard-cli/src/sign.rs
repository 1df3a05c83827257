//! `dockguard key generate|import`, `dockguard sign`, `dockguard verify` and
//! `dockguard trust inspect|revoke`: cosign-compatible key-based image signing.
//!
//! Key passwords come from `DOCKGUARD_PASSWORD`/`COSIGN_PASSWORD` or a terminal prompt, never
//! a flag. Registry credentials use `--registry-username`/`--registry-password`
//! (`DOCKGUARD_REGISTRY_USERNAME`/`DOCKGUARD_REGISTRY_PASSWORD`) because `DOCKGUARD_PASSWORD`
//! is the key password here, as cosign's users expect.

use crate::Output;
use anyhow::Context as _;
use dockguard_sign::{
    PrivateKey, PublicKey, RegistryOptions, RevokeSelector, SignOptions, Storage, Target,
    VerifyOptions, VerifyReport,
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

/// `dockguard verify`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Image: a registry reference or oci-dir:PATH[:TAG|@DIGEST].
    pub image: String,
    /// Public key file; repeat to accept a signature by any of them.
    #[arg(long, short = 'k', required = true)]
    pub key: Vec<PathBuf>,
    /// Require the payload annotation KEY=VALUE (repeatable).
    #[arg(long = "annotation", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    #[command(flatten)]
    pub registry: RegistryArgs,
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
        } else if c.verified_key_id.is_some() {
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

pub fn run_verify(a: VerifyArgs, out: &Output) -> anyhow::Result<u8> {
    let keys = load_public(&a.key)?;
    let opts = VerifyOptions {
        annotations: parse_annotations(&a.annotations)?,
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
}
