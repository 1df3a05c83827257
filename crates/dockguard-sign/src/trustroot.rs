//! Sigstore's `trusted_root.json` (media type
//! `application/vnd.dev.sigstore.trustedroot+json;version=0.1`): the Fulcio certificate
//! authorities, Rekor transparency-log keys, CT-log keys and timestamp authorities a verifier
//! trusts, each with the period it is trusted for. A `ClientTrustConfig` document, which wraps
//! one under `trustedRoot`, is read too.

use crate::error::{Error, Result};
use crate::x509::{Cert, EcKey};
use base64::Engine as _;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Trusted roots are a few kilobytes; anything this large is not one.
const MAX_TRUSTED_ROOT: u64 = 4 << 20;
/// Bounds the work one hostile document can cause.
const MAX_ENTRIES: usize = 256;

/// A period of trust: `start` and optional `end`, Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl Validity {
    pub fn contains(&self, t: i64) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t <= e)
    }
}

/// A Fulcio-like certificate authority: its chain, leaf-most first, ending at the root.
#[derive(Debug, Clone)]
pub struct CertificateAuthority {
    pub chain: Vec<Cert>,
    pub valid_for: Validity,
}

/// A transparency-log (or CT-log) key with the log id it signs as.
#[derive(Debug, Clone)]
pub struct LogKey {
    /// SHA-256 of the DER public key, as logs name themselves.
    pub log_id: Vec<u8>,
    /// None when the key type is one we do not verify; the reason is kept.
    pub key: std::result::Result<EcKey, String>,
    pub valid_for: Validity,
}

/// What a verifier trusts.
#[derive(Debug, Clone, Default)]
pub struct TrustedRoot {
    pub(crate) certificate_authorities: Vec<CertificateAuthority>,
    pub(crate) tlogs: Vec<LogKey>,
    pub(crate) ctlogs: Vec<LogKey>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDoc {
    #[serde(default)]
    media_type: String,
    #[serde(default)]
    trusted_root: Option<Box<RawDoc>>,
    #[serde(default)]
    tlogs: Vec<RawLog>,
    #[serde(default)]
    ctlogs: Vec<RawLog>,
    #[serde(default)]
    certificate_authorities: Vec<RawCa>,
    #[serde(default)]
    timestamp_authorities: Vec<RawCa>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    public_key: RawPublicKey,
    log_id: RawLogId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPublicKey {
    #[serde(default)]
    raw_bytes: String,
    #[serde(default)]
    key_details: String,
    #[serde(default)]
    valid_for: Option<RawRange>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    key_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCa {
    cert_chain: RawChain,
    #[serde(default)]
    valid_for: Option<RawRange>,
}

#[derive(Deserialize)]
struct RawChain {
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCert {
    raw_bytes: String,
}

#[derive(Deserialize)]
struct RawRange {
    start: Option<String>,
    end: Option<String>,
}

pub(crate) fn b64(what: &str, s: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .map_err(|e| Error::format(what, format!("not base64 ({e})")))
}

fn range(what: &str, r: &Option<RawRange>) -> Result<Validity> {
    let parse = |s: &Option<String>| -> Result<Option<i64>> {
        s.as_deref()
            .map(|s| parse_rfc3339(s).ok_or_else(|| Error::format(what, format!("bad time '{s}'"))))
            .transpose()
    };
    Ok(match r {
        None => Validity {
            start: None,
            end: None,
        },
        Some(r) => Validity {
            start: parse(&r.start)?,
            end: parse(&r.end)?,
        },
    })
}

fn log(what: &str, l: &RawLog) -> Result<LogKey> {
    let raw = b64(&format!("{what} publicKey"), &l.public_key.raw_bytes)?;
    let key = if l.public_key.key_details.starts_with("PKIX_RSA") {
        Err(format!(
            "{} keys are not supported (ECDSA P-256/P-384 only)",
            l.public_key.key_details
        ))
    } else {
        EcKey::from_spki_der(&raw)
    };
    Ok(LogKey {
        log_id: b64(&format!("{what} logId"), &l.log_id.key_id)?,
        key,
        valid_for: range(what, &l.public_key.valid_for)?,
    })
}

fn ca(what: &str, c: &RawCa) -> Result<CertificateAuthority> {
    let mut chain = Vec::new();
    for (i, cert) in c.cert_chain.certificates.iter().enumerate().take(16) {
        let w = format!("{what} certificate {i}");
        let der = b64(&w, &cert.raw_bytes)?;
        chain.push(Cert::from_der(&der).map_err(|e| Error::format(&w, e))?);
    }
    if chain.is_empty() {
        return Err(Error::format(what, "empty certChain"));
    }
    Ok(CertificateAuthority {
        chain,
        valid_for: range(what, &c.valid_for)?,
    })
}

impl TrustedRoot {
    /// Parses a trusted root (or a client trust config holding one); `what` names it in errors.
    pub fn from_json(what: &str, bytes: &[u8]) -> Result<TrustedRoot> {
        let mut doc: RawDoc = serde_json::from_slice(bytes)
            .map_err(|e| Error::format(what, format!("not a Sigstore trusted root ({e})")))?;
        if let Some(inner) = doc.trusted_root.take() {
            doc = *inner;
        }
        if !doc.media_type.is_empty()
            && !doc
                .media_type
                .starts_with("application/vnd.dev.sigstore.trustedroot")
        {
            return Err(Error::format(
                what,
                format!("media type '{}' is not a trusted root", doc.media_type),
            ));
        }
        let too_many = doc.tlogs.len().max(doc.ctlogs.len()).max(
            doc.certificate_authorities
                .len()
                .max(doc.timestamp_authorities.len()),
        ) > MAX_ENTRIES;
        if too_many {
            return Err(Error::format(what, "too many entries"));
        }
        let root = TrustedRoot {
            certificate_authorities: doc
                .certificate_authorities
                .iter()
                .enumerate()
                .map(|(i, c)| ca(&format!("{what}: certificateAuthorities[{i}]"), c))
                .collect::<Result<_>>()?,
            tlogs: doc
                .tlogs
                .iter()
                .enumerate()
                .map(|(i, l)| log(&format!("{what}: tlogs[{i}]"), l))
                .collect::<Result<_>>()?,
            ctlogs: doc
                .ctlogs
                .iter()
                .enumerate()
                .map(|(i, l)| log(&format!("{what}: ctlogs[{i}]"), l))
                .collect::<Result<_>>()?,
        };
        // Timestamp authorities are not used (RFC 3161 timestamps are not verified), but a
        // malformed one still means a malformed file.
        for (i, c) in doc.timestamp_authorities.iter().enumerate() {
            ca(&format!("{what}: timestampAuthorities[{i}]"), c)?;
        }
        if root.certificate_authorities.is_empty() {
            return Err(Error::format(what, "no certificate authorities"));
        }
        if root.tlogs.is_empty() {
            return Err(Error::format(what, "no transparency logs (tlogs)"));
        }
        Ok(root)
    }

    /// Reads a trusted root file.
    pub fn load(path: &Path) -> Result<TrustedRoot> {
        let what = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(&what, e))?;
        if meta.len() > MAX_TRUSTED_ROOT {
            return Err(Error::format(&what, "too large to be a trusted root"));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(&what, e))?;
        TrustedRoot::from_json(&what, &bytes)
    }

    /// `$XDG_CONFIG_HOME/dockguard/trusted_root.json`, else `~/.config/dockguard/…`.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| PathBuf::from(h).join(".config"))
            })?;
        Some(base.join("dockguard").join("trusted_root.json"))
    }

    /// The transparency log whose id is `log_id`.
    pub(crate) fn tlog(&self, log_id: &[u8]) -> Option<&LogKey> {
        self.tlogs.iter().find(|l| l.log_id == log_id)
    }
}

pub use dockguard_core::time::parse_rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2021-03-07T03:20:29.000Z"), Some(1615087229));
        assert_eq!(parse_rfc3339("2022-04-13T20:06:15Z"), Some(1649880375));
        assert_eq!(parse_rfc3339("2000-02-29T12:00:00+02:00"), Some(951818400));
        for bad in [
            "",
            "2021-13-01T00:00:00Z",
            "2021-01-01 00:00:00",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00+0200",
            "20é1-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn rejects_non_roots() {
        for (doc, msg) in [
            (&b"\"x\""[..], "not a Sigstore trusted root"),
            (br#"{"mediaType":"text/plain"}"#, "is not a trusted root"),
            (br#"{}"#, "no certificate authorities"),
            (
                br#"{"certificateAuthorities":[{"certChain":{"certificates":[{"rawBytes":"AAAA"}]}}]}"#,
                "certificate 0",
            ),
        ] {
            let e = TrustedRoot::from_json("root.json", doc).unwrap_err().to_string();
            assert!(e.contains(msg) && e.starts_with("root.json"), "{e}");
        }
    }
}
