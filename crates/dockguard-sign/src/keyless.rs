//! Keyless (Fulcio + Rekor) verification, offline against a [`TrustedRoot`].
//!
//! A keyless signature is trusted when: the log's signed entry timestamp (or an inclusion
//! proof with a signed checkpoint) proves when it was logged; the leaf certificate chains to a
//! trusted CA, every certificate valid at that time; the leaf is a code-signing certificate
//! whose SAN and OIDC-issuer extension match the required identity; the leaf key verifies the
//! signature; and the log entry records this very signature, digest and certificate.

use crate::rekor::{self, LogEntry};
use crate::trustroot::TrustedRoot;
use crate::x509::Cert;
use serde::Serialize;

/// Longest chain walked from a leaf to a trusted certificate.
const MAX_CHAIN: usize = 6;

/// An exact string or a regular expression (unanchored, as cosign's Go regexp matching).
#[derive(Debug, Clone)]
pub enum Matcher {
    Exact(String),
    Regex(regex::Regex),
}

impl Matcher {
    pub fn regex(re: &str) -> crate::Result<Matcher> {
        regex::RegexBuilder::new(re)
            .size_limit(1 << 20)
            .build()
            .map(Matcher::Regex)
            .map_err(|e| crate::Error::format(format!("regular expression '{re}'"), e))
    }

    pub fn matches(&self, s: &str) -> bool {
        match self {
            Matcher::Exact(e) => e == s,
            Matcher::Regex(r) => r.is_match(s),
        }
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Matcher::Exact(s) => write!(f, "'{s}'"),
            Matcher::Regex(r) => write!(f, "/{}/", r.as_str()),
        }
    }
}

/// Who must have signed: a SAN identity (e-mail or URI) and the OIDC issuer that vouched.
#[derive(Debug, Clone)]
pub struct CertificateIdentity {
    pub identity: Matcher,
    pub issuer: Matcher,
}

/// Trust and policy for keyless verification.
#[derive(Debug, Clone)]
pub struct KeylessPolicy {
    pub trusted_root: std::sync::Arc<TrustedRoot>,
    pub identity: CertificateIdentity,
}

/// Who signed, as the verified certificate and log entry say.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VerifiedSigner {
    /// The SAN that matched the policy.
    pub identity: String,
    pub issuer: String,
    /// When the log integrated the entry (Unix seconds).
    pub integrated_time: i64,
    pub log_index: i64,
    /// Hex log id of the transparency log.
    pub log_id: String,
    /// Subject of the trusted CA certificate the chain ended at.
    pub ca: String,
}

/// Which check failed, so every rejection names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Certificate,
    Chain,
    Identity,
    Issuer,
    Signature,
    Sct,
    Set,
    InclusionProof,
    LogEntry,
    Time,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Certificate => "certificate",
            Stage::Chain => "chain",
            Stage::Identity => "identity",
            Stage::Issuer => "issuer",
            Stage::Signature => "signature",
            Stage::Sct => "SCT",
            Stage::Set => "SET",
            Stage::InclusionProof => "inclusion proof",
            Stage::LogEntry => "log entry",
            Stage::Time => "time",
        })
    }
}

/// A keyless verification failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub stage: Stage,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "keyless {}: {}", self.stage, self.message)
    }
}

impl std::error::Error for Failure {}

pub(crate) fn fail<T>(stage: Stage, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        stage,
        message: message.into(),
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Walks from `leaf` through `extra` certificates to a certificate of a trusted CA, every
/// link signed, every certificate valid at `t`. Returns the trusted certificate's subject and
/// the leaf's issuer.
pub fn verify_chain(
    leaf: &Cert,
    extra: &[Cert],
    root: &TrustedRoot,
    t: i64,
) -> Result<(String, Cert), Failure> {
    let cas: Vec<_> = root
        .certificate_authorities
        .iter()
        .filter(|ca| ca.valid_for.contains(t))
        .collect();
    if cas.is_empty() {
        return fail(
            Stage::Chain,
            format!(
                "no certificate authority of the trusted root is valid at {}",
                fmt_time(t)
            ),
        );
    }
    if !leaf.valid_at(t) {
        let (a, b) = leaf.validity();
        return fail(
            Stage::Time,
            format!(
                "signing certificate is valid {} to {}, but the signature was logged at {}",
                fmt_time(a),
                fmt_time(b),
                fmt_time(t)
            ),
        );
    }
    let trusted: Vec<&Cert> = cas.iter().flat_map(|ca| ca.chain.iter()).collect();
    let candidates: Vec<&Cert> = trusted.iter().copied().chain(extra.iter()).collect();
    let mut current = leaf;
    let mut leaf_issuer: Option<Cert> = None;
    let mut last_err = String::from("no issuer found");
    for _ in 0..MAX_CHAIN {
        let mut next = None;
        for c in &candidates {
            if *c == current {
                continue;
            }
            if !current.names_issuer(c) {
                continue;
            }
            if let Err(e) = current.signed_by(c) {
                last_err = format!("{}: {e}", c.subject());
                continue;
            }
            if !c.is_ca() {
                last_err = format!("{} is not a CA certificate", c.subject());
                continue;
            }
            if !c.valid_at(t) {
                last_err = format!("{} is not valid at {}", c.subject(), fmt_time(t));
                continue;
            }
            next = Some(*c);
            break;
        }
        let Some(issuer) = next else {
            return fail(
                Stage::Chain,
                format!(
                    "{} does not chain to a trusted certificate authority ({last_err})",
                    current.subject()
                ),
            );
        };
        let leaf_issuer = leaf_issuer.get_or_insert_with(|| issuer.clone());
        if trusted.contains(&issuer) {
            return Ok((issuer.subject(), leaf_issuer.clone()));
        }
        current = issuer;
    }
    fail(Stage::Chain, "certificate chain is too long")
}

/// Checks the leaf's profile and identity against the policy; returns the matching SAN and
/// the issuer.
pub fn verify_identity(
    leaf: &Cert,
    want: &CertificateIdentity,
) -> Result<(String, String), Failure> {
    if let Err(e) = leaf.check_code_signing() {
        return fail(Stage::Certificate, e);
    }
    let sans = leaf.san_identities();
    let Some(id) = sans.iter().find(|s| want.identity.matches(s)) else {
        return fail(
            Stage::Identity,
            format!(
                "certificate identity {} does not match {}",
                if sans.is_empty() {
                    "(none)".to_string()
                } else {
                    sans.join(", ")
                },
                want.identity
            ),
        );
    };
    let Some(issuer) = leaf.oidc_issuer() else {
        return fail(Stage::Issuer, "certificate has no OIDC issuer extension");
    };
    if !want.issuer.matches(&issuer) {
        return fail(
            Stage::Issuer,
            format!("OIDC issuer '{issuer}' does not match {}", want.issuer),
        );
    }
    Ok((id.clone(), issuer))
}

/// How a bundle or signature proves when it was logged.
pub(crate) enum TimeProof {
    /// Only the SET (cosign's bundle annotation, bundle v0.1).
    Set,
    /// Inclusion proof required; the SET, when present, is checked as well.
    Proof,
}

/// What a keyless signature brings with it.
pub(crate) struct Evidence<'a> {
    pub leaf: &'a Cert,
    pub chain: &'a [Cert],
    pub entry: &'a LogEntry,
    pub proof: TimeProof,
}

/// The common checks of a keyless signature; `verify_sig` checks the signature itself with the
/// leaf key, `check_body` that the log entry records what is verified.
pub(crate) fn verify_signed(
    ev: Evidence<'_>,
    policy: &KeylessPolicy,
    verify_sig: impl FnOnce(&crate::x509::EcKey) -> bool,
    check_body: impl FnOnce(&[u8], &Cert) -> Result<(), String>,
) -> Result<VerifiedSigner, Failure> {
    let Evidence {
        leaf,
        chain,
        entry,
        proof,
    } = ev;
    let root = &*policy.trusted_root;
    // The log's signature over integratedTime is what makes the time trustworthy, so it is
    // checked before the time is used for anything.
    match proof {
        TimeProof::Set => {
            if entry.set.is_none() {
                return fail(
                    Stage::Set,
                    "no Rekor signed entry timestamp: the signing time cannot be established offline",
                );
            }
        }
        TimeProof::Proof => {
            if let Err(e) = entry.verify_inclusion(root) {
                return fail(Stage::InclusionProof, e);
            }
            if entry.set.is_none() {
                return fail(
                    Stage::Set,
                    "no signed entry timestamp: the signing time cannot be established offline \
                     (RFC 3161 timestamps are not supported)",
                );
            }
        }
    }
    if let Err(e) = entry.verify_set(root) {
        return fail(Stage::Set, e);
    }
    let t = entry.integrated_time;
    let (ca, issuer_cert) = verify_chain(leaf, chain, root, t)?;
    let (identity, issuer) = verify_identity(leaf, &policy.identity)?;
    let key = match leaf.public_key() {
        Ok(k) => k,
        Err(e) => return fail(Stage::Certificate, format!("signing key: {e}")),
    };
    if !verify_sig(&key) {
        return fail(
            Stage::Signature,
            "signature does not verify with the certificate's key",
        );
    }
    if !root.ctlogs.is_empty() {
        verify_scts(leaf, &issuer_cert, root)?;
    }
    if let Err(e) = check_body(&entry.body, leaf) {
        return fail(Stage::LogEntry, e);
    }
    Ok(VerifiedSigner {
        identity,
        issuer,
        integrated_time: t,
        log_index: entry.log_index,
        log_id: hex(&entry.log_id),
        ca,
    })
}

/// At least one embedded SCT must verify with a CT log of the trusted root, as cosign
/// requires by default.
fn verify_scts(leaf: &Cert, issuer: &Cert, root: &TrustedRoot) -> Result<(), Failure> {
    let scts = match leaf.embedded_scts() {
        Ok(s) => s,
        Err(e) => return fail(Stage::Sct, e),
    };
    let mut last = String::from("certificate has no embedded signed certificate timestamp");
    for sct in &scts {
        let Some(log) = root.ctlogs.iter().find(|l| l.log_id == sct.log_id) else {
            last = format!("CT log {} is not in the trusted root", hex(&sct.log_id));
            continue;
        };
        let at = (sct.timestamp / 1000) as i64;
        if !log.valid_for.contains(at) {
            last = format!(
                "CT log {} was not trusted at {}",
                hex(&sct.log_id),
                fmt_time(at)
            );
            continue;
        }
        let key = match &log.key {
            Ok(k) => k,
            Err(e) => {
                last = format!("CT log {}: {e}", hex(&sct.log_id));
                continue;
            }
        };
        match leaf.verify_sct(sct, issuer, key) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    fail(Stage::Sct, last)
}

/// Verifies a cosign keyless signature layer: the certificate, chain and bundle annotations.
pub(crate) fn verify_cosign(
    payload: &[u8],
    signature: &[u8],
    certificate_pem: &str,
    chain_pem: Option<&str>,
    bundle_json: Option<&str>,
    policy: &KeylessPolicy,
) -> Result<VerifiedSigner, Failure> {
    let leaf = match Cert::from_pem_chain(certificate_pem.as_bytes()) {
        Ok(mut c) => c.remove(0),
        Err(e) => return fail(Stage::Certificate, e),
    };
    let chain = match chain_pem {
        Some(p) => match Cert::from_pem_chain(p.as_bytes()) {
            Ok(c) => c,
            Err(e) => return fail(Stage::Chain, format!("chain annotation: {e}")),
        },
        None => Vec::new(),
    };
    let Some(bundle) = bundle_json else {
        return fail(
            Stage::Set,
            "no Rekor bundle annotation: the signing time cannot be established offline",
        );
    };
    let entry = match parse_cosign_bundle(bundle) {
        Ok(e) => e,
        Err(e) => return fail(Stage::Set, e),
    };
    let digest = hex(&crate::x509::Hash::Sha256.digest(payload));
    verify_signed(
        Evidence {
            leaf: &leaf,
            chain: &chain,
            entry: &entry,
            proof: TimeProof::Set,
        },
        policy,
        |key| key.verify(key.default_hash(), payload, signature),
        |body, leaf| rekor::check_body(body, signature, &digest, leaf),
    )
}

/// cosign's `dev.sigstore.cosign/bundle` annotation:
/// `{"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime", "logIndex", "logID": hex}}`.
fn parse_cosign_bundle(json: &str) -> Result<LogEntry, String> {
    #[derive(serde::Deserialize)]
    struct Outer {
        #[serde(rename = "SignedEntryTimestamp")]
        set: String,
        #[serde(rename = "Payload")]
        payload: Inner,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        body: String,
        integrated_time: i64,
        log_index: i64,
        #[serde(rename = "logID")]
        log_id: String,
    }
    let o: Outer =
        serde_json::from_str(json).map_err(|e| format!("bundle annotation is malformed ({e})"))?;
    let log_id = (0..o.payload.log_id.len())
        .step_by(2)
        .map(|i| {
            o.payload
                .log_id
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or("bundle annotation: logID is not hex")?;
    Ok(LogEntry {
        body: crate::trustroot::b64("body", &o.payload.body).map_err(|e| e.to_string())?,
        integrated_time: o.payload.integrated_time,
        log_index: o.payload.log_index,
        log_id,
        set: Some(
            crate::trustroot::b64("SignedEntryTimestamp", &o.set).map_err(|e| e.to_string())?,
        ),
        proof: None,
    })
}

/// `YYYY-MM-DDTHH:MM:SSZ` for messages.
pub use dockguard_core::time::format_rfc3339 as fmt_time;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        for t in [0i64, 951818400, 1615087229, 4102444800] {
            assert_eq!(crate::trustroot::parse_rfc3339(&fmt_time(t)), Some(t));
        }
    }

    #[test]
    fn matchers() {
        let m = Matcher::regex("@example\\.com$").unwrap();
        assert!(m.matches("a@example.com"));
        assert!(!m.matches("a@example.com.evil"));
        assert!(Matcher::Exact("x".into()).matches("x"));
        assert!(!Matcher::Exact("x".into()).matches("xx"));
        assert!(Matcher::regex("(").is_err());
    }
}
