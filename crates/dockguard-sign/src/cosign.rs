//! Signing, finding, verifying and revoking signatures in cosign's storage conventions.

use crate::error::{Error, Result};
use crate::keyless::{self, KeylessPolicy, VerifiedSigner};
use crate::keys::{PrivateKey, PublicKey};
use crate::layout::{self, Layout};
use crate::oci::{self, Descriptor, Index, Manifest};
use crate::payload::{self, SimpleSigning, COSIGN_SIGNATURE_TYPE, MAX_PAYLOAD_SIZE};
use crate::registry::{Registry, RegistryOptions};
use crate::store::{Deleted, Store};
use base64::Engine as _;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// An image whose signatures are handled: a registry repository or an OCI layout entry.
pub struct Target {
    store: Box<dyn Store>,
    image: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Target({})", self.image)
    }
}

impl Target {
    /// `oci-dir:PATH[:TAG|@DIGEST]` (or `oci:`), `registry:REF`, a path to a layout, or a
    /// plain image reference (a registry).
    pub fn open(image: &str, opts: &RegistryOptions) -> Result<Target> {
        let layout_arg = image
            .strip_prefix("oci-dir:")
            .or_else(|| image.strip_prefix("oci:"))
            .map(str::to_string)
            .or_else(|| {
                let (p, _) = split_layout(image);
                p.join("index.json").is_file().then(|| image.to_string())
            });
        let store: Box<dyn Store> = match layout_arg {
            Some(arg) => {
                let (path, selector) = split_layout(&arg);
                Box::new(Layout::open(&path, selector)?)
            }
            None => {
                let r = image.strip_prefix("registry:").unwrap_or(image);
                let r = r.strip_prefix("docker://").unwrap_or(r);
                if r.is_empty() {
                    return Err(Error::format(image, "empty image reference"));
                }
                Box::new(Registry::open(r, opts)?)
            }
        };
        Ok(Target {
            store,
            image: image.to_string(),
        })
    }

    /// The image argument as given.
    pub fn image(&self) -> &str {
        &self.image
    }

    /// Digest of the manifest or index the image argument names (what gets signed).
    pub fn digest(&self) -> Result<String> {
        Ok(self.store.resolve()?.digest)
    }
}

/// `PATH`, `PATH:TAG`, `PATH@DIGEST`: a `:` starts a tag only when what precedes it exists.
fn split_layout(s: &str) -> (std::path::PathBuf, Option<layout::Selector>) {
    if let Some((p, d)) = s.rsplit_once('@') {
        if oci::check_digest("", d).is_ok() {
            return (p.into(), Some(layout::Selector::Digest(d.to_string())));
        }
    }
    if Path::new(s).exists() {
        return (s.into(), None);
    }
    if let Some((p, t)) = s.rsplit_once(':') {
        if Path::new(p).exists() && !t.is_empty() && !t.contains('/') {
            return (p.into(), Some(layout::Selector::Tag(t.to_string())));
        }
    }
    (s.into(), None)
}

/// Where a signature is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    /// cosign's `sha256-<hex>.sig` tag, one layer per signature.
    #[default]
    Tag,
    /// An OCI 1.1 referrer of the image (the referrers API or its tag-schema fallback).
    Referrer,
}

/// How to sign.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Written into the payload's `optional` section.
    pub annotations: BTreeMap<String, String>,
    pub storage: Storage,
}

/// What signing stored.
#[derive(Debug, Clone, Serialize)]
pub struct SignOutcome {
    pub image_digest: String,
    pub payload_digest: String,
    pub signature: String,
    pub key_id: String,
    pub storage: Storage,
    /// The tag or manifest digest the signature went to.
    pub stored_at: String,
    /// For referrers: whether the registry's API took it, or the tag-schema index was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrers_api: Option<bool>,
}

/// Signs the image `target` names and stores the signature there.
pub fn sign(target: &Target, key: &PrivateKey, opts: &SignOptions) -> Result<SignOutcome> {
    let store = &*target.store;
    let subject = store.resolve()?;
    let payload = payload::build(&store.identity(), &subject.digest, &opts.annotations);
    let signature = base64::engine::general_purpose::STANDARD.encode(key.sign(&payload));
    let key_id = key.public_key().key_id();
    let mut layer = Descriptor::of(oci::SIMPLESIGNING, &payload);
    layer
        .annotations
        .insert(oci::SIGNATURE_ANNOTATION.into(), signature.clone());
    layer
        .annotations
        .insert(oci::KEY_ID_ANNOTATION.into(), key_id.clone());
    store.put_blob(&layer.digest, &payload)?;
    let payload_digest = layer.digest.clone();
    let (stored_at, referrers_api) = match opts.storage {
        Storage::Tag => {
            let tag = oci::signature_tag(&subject.digest);
            let mut layers = match store.get_manifest(&tag)? {
                Some(f) => {
                    oci::parse_manifest(&format!("{} {tag}", store.describe()), &f.bytes)?.layers
                }
                None => Vec::new(),
            };
            // Signing twice with the same key and payload gives the same signature (RFC 6979):
            // keep one copy.
            layers.retain(|l| l != &layer);
            layers.push(layer);
            put_signature_manifest(store, &tag, layers)?;
            (tag, None)
        }
        Storage::Referrer => {
            let empty = b"{}";
            let config = Descriptor::of(oci::OCI_EMPTY, empty);
            store.put_blob(&config.digest, empty)?;
            let m = Manifest {
                schema_version: 2,
                media_type: Some(oci::OCI_MANIFEST.into()),
                artifact_type: Some(oci::SIGNATURE_ARTIFACT.into()),
                config,
                layers: vec![layer],
                subject: Some(subject.clone()),
                annotations: BTreeMap::new(),
            };
            let bytes = oci::to_json(&m);
            let digest = oci::sha256(&bytes);
            let api = store.put_manifest(&digest, &bytes, oci::OCI_MANIFEST)?;
            if !api {
                let mut d = Descriptor::of(oci::OCI_MANIFEST, &bytes);
                d.artifact_type = Some(oci::SIGNATURE_ARTIFACT.into());
                update_referrers_index(store, &subject.digest, |list| {
                    list.retain(|x| x.digest != d.digest);
                    list.push(d);
                })?;
            }
            (digest, Some(api))
        }
    };
    Ok(SignOutcome {
        image_digest: subject.digest,
        payload_digest,
        signature,
        key_id,
        storage: opts.storage,
        stored_at,
        referrers_api,
    })
}

fn put_signature_manifest(store: &dyn Store, tag: &str, layers: Vec<Descriptor>) -> Result<String> {
    let config_bytes = oci::signature_config(&layers);
    let config = Descriptor::of(oci::OCI_CONFIG, &config_bytes);
    store.put_blob(&config.digest, &config_bytes)?;
    let m = Manifest {
        schema_version: 2,
        media_type: Some(oci::OCI_MANIFEST.into()),
        artifact_type: None,
        config,
        layers,
        subject: None,
        annotations: BTreeMap::new(),
    };
    let bytes = oci::to_json(&m);
    store.put_manifest(tag, &bytes, oci::OCI_MANIFEST)?;
    Ok(oci::sha256(&bytes))
}

fn update_referrers_index(
    store: &dyn Store,
    subject: &str,
    change: impl FnOnce(&mut Vec<Descriptor>),
) -> Result<()> {
    let tag = oci::referrers_tag(subject);
    let mut index = match store.get_manifest(&tag)? {
        Some(f) => oci::parse_index(&format!("{} {tag}", store.describe()), &f.bytes)?,
        None => Index::empty(),
    };
    change(&mut index.manifests);
    index.media_type = Some(oci::OCI_INDEX.into());
    store.put_manifest(&tag, &oci::to_json(&index), oci::OCI_INDEX)?;
    Ok(())
}

/// One signature found beside an image.
#[derive(Debug, Clone, Serialize)]
pub struct FoundSignature {
    pub storage: Storage,
    /// Digest of the manifest holding it (the `.sig` manifest or the referrer).
    pub manifest_digest: String,
    /// The `.sig` tag, or the referrer's digest.
    pub location: String,
    pub payload_digest: String,
    /// Base64 DER signature from the layer annotation.
    pub signature: String,
    /// The key id the signer recorded (a hint; only verification proves it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_key_id: Option<String>,
    /// Keyless signatures carry their certificate instead of naming a key.
    pub has_certificate: bool,
    #[serde(skip)]
    payload: Option<Vec<u8>>,
    #[serde(skip)]
    keyless: KeylessAnnotations,
    #[serde(skip)]
    fetch_error: Option<String>,
}

/// The annotations a keyless signature layer carries besides the signature.
#[derive(Debug, Clone, Default)]
struct KeylessAnnotations {
    certificate: Option<String>,
    chain: Option<String>,
    bundle: Option<String>,
}

fn signatures_in(
    store: &dyn Store,
    storage: Storage,
    manifest_digest: &str,
    location: &str,
    manifest: &Manifest,
    out: &mut Vec<FoundSignature>,
) {
    for l in manifest
        .layers
        .iter()
        .filter(|l| l.media_type == oci::SIMPLESIGNING)
    {
        let (payload, fetch_error) = if l.size > MAX_PAYLOAD_SIZE {
            (
                None,
                Some(format!("payload of {} bytes is larger than 1 MiB", l.size)),
            )
        } else {
            match store.get_blob(&l.digest, MAX_PAYLOAD_SIZE) {
                Ok(b) => (Some(b), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        out.push(FoundSignature {
            storage,
            manifest_digest: manifest_digest.to_string(),
            location: location.to_string(),
            payload_digest: l.digest.clone(),
            signature: l
                .annotations
                .get(oci::SIGNATURE_ANNOTATION)
                .cloned()
                .unwrap_or_default(),
            claimed_key_id: l.annotations.get(oci::KEY_ID_ANNOTATION).cloned(),
            has_certificate: l.annotations.contains_key(oci::CERTIFICATE_ANNOTATION),
            payload,
            fetch_error,
            keyless: KeylessAnnotations {
                certificate: l.annotations.get(oci::CERTIFICATE_ANNOTATION).cloned(),
                chain: l.annotations.get(oci::CHAIN_ANNOTATION).cloned(),
                bundle: l.annotations.get(oci::BUNDLE_ANNOTATION).cloned(),
            },
        });
    }
}

/// Every signature stored for `digest`, in both storage modes.
fn discover(store: &dyn Store, digest: &str) -> Result<Vec<FoundSignature>> {
    let mut out = Vec::new();
    let tag = oci::signature_tag(digest);
    if let Some(f) = store.get_manifest(&tag)? {
        let m = oci::parse_manifest(&format!("{} {tag}", store.describe()), &f.bytes)?;
        signatures_in(store, Storage::Tag, &f.digest, &tag, &m, &mut out);
    }
    let referrers = match store.referrers(digest)? {
        Some(list) => list,
        None => match store.get_manifest(&oci::referrers_tag(digest))? {
            Some(f) => {
                oci::parse_index(
                    &format!("{} {}", store.describe(), oci::referrers_tag(digest)),
                    &f.bytes,
                )?
                .manifests
            }
            None => Vec::new(),
        },
    };
    for r in referrers.iter().take(oci::MAX_ENTRIES) {
        if r.artifact_type
            .as_deref()
            .is_some_and(|a| a != oci::SIGNATURE_ARTIFACT)
        {
            continue;
        }
        let Some(f) = store.get_manifest(&r.digest)? else {
            continue;
        };
        let what = format!("{} referrer {}", store.describe(), r.digest);
        let m = oci::parse_manifest(&what, &f.bytes)?;
        if m.artifact_type.as_deref() != Some(oci::SIGNATURE_ARTIFACT) {
            continue;
        }
        // A referrer listed under another subject is not a signature of this image.
        if m.subject.as_ref().map(|s| s.digest.as_str()) != Some(digest) {
            continue;
        }
        signatures_in(store, Storage::Referrer, &f.digest, &r.digest, &m, &mut out);
    }
    Ok(out)
}

/// How to verify.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Annotations the payload must carry with exactly these values.
    pub annotations: BTreeMap<String, String>,
    /// Verify keyless (certificate) signatures with this trust and identity policy.
    pub keyless: Option<KeylessPolicy>,
}

/// The verdict on one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    #[serde(flatten)]
    pub signature: FoundSignature,
    /// The payload, when it could be read and parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<SimpleSigning>,
    /// Id of the given key the signature verifies with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_key_id: Option<String>,
    /// The verified keyless signer, when the certificate, chain, identity and log entry hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyless_signer: Option<VerifiedSigner>,
    /// Why this signature does not count; empty when it is valid.
    pub problems: Vec<String>,
}

impl SignatureCheck {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
            && (self.verified_key_id.is_some() || self.keyless_signer.is_some())
    }

    /// Whether the signer was established (by key or certificate), even if other checks failed.
    pub fn signer_verified(&self) -> bool {
        self.verified_key_id.is_some() || self.keyless_signer.is_some()
    }
}

/// All signatures of an image and the verdict on each.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub image: String,
    pub digest: String,
    pub signatures: Vec<SignatureCheck>,
}

impl VerifyReport {
    /// True when at least one signature is valid under the given keys.
    pub fn is_valid(&self) -> bool {
        self.signatures.iter().any(SignatureCheck::is_valid)
    }
}

/// The checks of cosign's published verification steps, for one signature: the payload
/// matches its layer digest (checked on fetch), the base64 DER ECDSA signature over SHA-256 of
/// the payload verifies with a key, and the payload binds this image's digest.
fn check(
    found: FoundSignature,
    digest: &str,
    keys: &[PublicKey],
    opts: &VerifyOptions,
) -> SignatureCheck {
    let mut problems = Vec::new();
    let mut verified_key_id = None;
    let mut keyless_signer = None;
    let mut parsed = None;
    if let Some(e) = &found.fetch_error {
        problems.push(format!("payload unreadable: {e}"));
    }
    if let Some(bytes) = &found.payload {
        match base64::engine::general_purpose::STANDARD.decode(found.signature.trim()) {
            Err(_) if found.signature.is_empty() => problems.push("no signature annotation".into()),
            Err(e) => problems.push(format!("signature is not base64: {e}")),
            Ok(sig) => {
                verified_key_id = keys
                    .iter()
                    .find(|k| k.verify(bytes, &sig))
                    .map(PublicKey::key_id);
                let keyless = match (&opts.keyless, &found.keyless.certificate) {
                    (Some(policy), Some(cert)) if verified_key_id.is_none() => {
                        Some(keyless::verify_cosign(
                            bytes,
                            &sig,
                            cert,
                            found.keyless.chain.as_deref(),
                            found.keyless.bundle.as_deref(),
                            policy,
                        ))
                    }
                    _ => None,
                };
                match keyless {
                    Some(Ok(signer)) => keyless_signer = Some(signer),
                    Some(Err(f)) => problems.push(f.to_string()),
                    None if verified_key_id.is_some() => {}
                    None => problems.push(if keys.is_empty() && opts.keyless.is_some() {
                        "no certificate: not a keyless signature (verify it with --key)".into()
                    } else if keys.is_empty() {
                        "not verified (no key given)".into()
                    } else if found.has_certificate {
                        "keyless signature (certificate): not verified by the given keys \
                         (check it with --certificate-identity and --certificate-oidc-issuer)"
                            .into()
                    } else {
                        "signature does not verify with any given key".into()
                    }),
                }
            }
        }
        match SimpleSigning::parse(&found.payload_digest, bytes) {
            Err(e) => problems.push(e.to_string()),
            Ok(p) => {
                if p.kind != COSIGN_SIGNATURE_TYPE {
                    problems.push(format!(
                        "payload type is '{}', not a cosign container image signature",
                        p.kind
                    ));
                }
                if p.manifest_digest != digest {
                    problems.push(format!(
                        "payload signs {} but the image is {digest}",
                        p.manifest_digest
                    ));
                }
                for (k, v) in &opts.annotations {
                    match p.annotation(k) {
                        Some(actual) if &actual == v => {}
                        Some(actual) => {
                            problems.push(format!("annotation {k}={actual}, required {v}"))
                        }
                        None => problems.push(format!("annotation {k} missing, required {v}")),
                    }
                }
                parsed = Some(p);
            }
        }
    }
    SignatureCheck {
        signature: found,
        payload: parsed,
        verified_key_id,
        keyless_signer,
        problems,
    }
}

/// Finds every signature of the image and checks each against `keys` (any of them).
pub fn verify(target: &Target, keys: &[PublicKey], opts: &VerifyOptions) -> Result<VerifyReport> {
    let store = &*target.store;
    let digest = store.resolve()?.digest;
    let found = discover(store, &digest)?;
    Ok(VerifyReport {
        image: target.image.clone(),
        signatures: found
            .into_iter()
            .map(|f| check(f, &digest, keys, opts))
            .collect(),
        digest,
    })
}

/// Which signatures to revoke.
#[derive(Debug, Clone)]
pub enum RevokeSelector {
    All,
    /// Those that verify with any of these keys.
    Keys(Vec<PublicKey>),
}

/// What revoking did.
#[derive(Debug, Clone, Serialize)]
pub struct RevokeOutcome {
    pub digest: String,
    pub removed: usize,
    pub actions: Vec<String>,
}

/// Removes signatures: deletes manifests where the store allows, else rewrites the `.sig`
/// tag or referrers index without them. Afterwards `verify` no longer finds them.
pub fn revoke(target: &Target, selector: &RevokeSelector) -> Result<RevokeOutcome> {
    let store = &*target.store;
    let digest = store.resolve()?.digest;
    let keys: &[PublicKey] = match selector {
        RevokeSelector::All => &[],
        RevokeSelector::Keys(k) => k,
    };
    let checks: Vec<SignatureCheck> = discover(store, &digest)?
        .into_iter()
        .map(|f| check(f, &digest, keys, &VerifyOptions::default()))
        .collect();
    let chosen = |c: &SignatureCheck| match selector {
        RevokeSelector::All => true,
        RevokeSelector::Keys(_) => c.verified_key_id.is_some(),
    };
    let mut actions = Vec::new();
    let mut removed = 0;

    // The .sig tag: keep the layers not chosen.
    let tag_sigs: Vec<&SignatureCheck> = checks
        .iter()
        .filter(|c| c.signature.storage == Storage::Tag)
        .collect();
    let drop_payloads: Vec<(&str, &str)> = tag_sigs
        .iter()
        .filter(|c| chosen(c))
        .map(|c| {
            (
                c.signature.payload_digest.as_str(),
                c.signature.signature.as_str(),
            )
        })
        .collect();
    if !drop_payloads.is_empty() {
        let tag = oci::signature_tag(&digest);
        if let Some(f) = store.get_manifest(&tag)? {
            let m = oci::parse_manifest(&tag, &f.bytes)?;
            let before = m.layers.len();
            let keep: Vec<Descriptor> = m
                .layers
                .into_iter()
                .filter(|l| {
                    let sig = l
                        .annotations
                        .get(oci::SIGNATURE_ANNOTATION)
                        .map(String::as_str)
                        .unwrap_or("");
                    !(l.media_type == oci::SIMPLESIGNING
                        && drop_payloads.contains(&(l.digest.as_str(), sig)))
                })
                .collect();
            let dropped = before - keep.len();
            removed += dropped;
            if keep.is_empty() {
                match store.delete_manifest(&f.digest)? {
                    Deleted::Yes => {
                        actions.push(format!("deleted signature manifest {} ({tag})", f.digest))
                    }
                    Deleted::Unsupported => {
                        put_signature_manifest(store, &tag, Vec::new())?;
                        actions.push(format!(
                            "the registry refuses deletes: {tag} now points at an empty signature manifest"
                        ));
                    }
                }
            } else {
                let new = put_signature_manifest(store, &tag, keep)?;
                actions.push(format!(
                    "rewrote {tag} without {dropped} signature(s) (now {new})"
                ));
                if store.delete_manifest(&f.digest)? == Deleted::Yes {
                    actions.push(format!(
                        "deleted the previous signature manifest {}",
                        f.digest
                    ));
                }
            }
        }
    }

    // Referrers: one signature per manifest.
    let gone: Vec<String> = checks
        .iter()
        .filter(|c| c.signature.storage == Storage::Referrer && chosen(c))
        .map(|c| c.signature.manifest_digest.clone())
        .collect();
    if !gone.is_empty() {
        let api = store.referrers(&digest)?.is_some();
        for d in &gone {
            match store.delete_manifest(d)? {
                Deleted::Yes => actions.push(format!("deleted referrer {d}")),
                Deleted::Unsupported if api => {
                    return Err(Error::registry(
                        store.describe(),
                        format!("the registry refuses to delete referrer {d}; it stays listed by the referrers API"),
                    ))
                }
                Deleted::Unsupported => {}
            }
            removed += 1;
        }
        if !api {
            update_referrers_index(store, &digest, |list| {
                list.retain(|x| !gone.contains(&x.digest))
            })?;
            actions.push(format!(
                "removed {} referrer(s) from the {} index",
                gone.len(),
                oci::referrers_tag(&digest)
            ));
        }
    }
    Ok(RevokeOutcome {
        digest,
        removed,
        actions,
    })
}
