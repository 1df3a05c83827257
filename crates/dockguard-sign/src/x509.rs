//! X.509 certificates as Fulcio issues them, and the ECDSA keys they carry.
//!
//! Parsing is x509-cert's (strict DER); the bytes a signature covers are sliced out of the
//! original encoding rather than re-encoded, so a certificate is checked exactly as it was
//! signed. Only ECDSA on P-256 and P-384 is supported: RSA and Ed25519 keys are reported as
//! unsupported rather than guessed at.

use const_oid::ObjectIdentifier;
use der::{Decode as _, Encode as _};
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use p256::pkcs8::DecodePublicKey as _;
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use x509_cert::certificate::CertificateInner;
use x509_cert::ext::pkix::{
    name::GeneralName, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
};

/// Larger than any real certificate; bounds work on hostile input.
pub const MAX_CERT_SIZE: usize = 64 << 10;

const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const OID_ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
const OID_EXT_KEY_USAGE: &str = "2.5.29.15";
const OID_EXT_EKU: &str = "2.5.29.37";
const OID_EXT_BASIC: &str = "2.5.29.19";
const OID_EXT_SAN: &str = "2.5.29.17";
const OID_EKU_CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
/// RFC 6962 embedded SCT list.
const OID_SCT_LIST: &str = "1.3.6.1.4.1.11129.2.4.2";
/// Fulcio's first issuer extension: the issuer URL as raw bytes.
pub const OID_FULCIO_ISSUER_V1: &str = "1.3.6.1.4.1.57264.1.1";
/// Fulcio's second issuer extension: the issuer URL as a DER UTF8String.
pub const OID_FULCIO_ISSUER_V2: &str = "1.3.6.1.4.1.57264.1.8";

fn oid(s: &str) -> ObjectIdentifier {
    // The constants above are valid; a parse failure would be a typo caught by the tests.
    ObjectIdentifier::new(s).unwrap_or(ObjectIdentifier::new_unwrap("0.0"))
}

/// Hash functions a signature may be computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// An ECDSA public key on a curve we verify.
#[derive(Debug, Clone)]
pub enum EcKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

impl EcKey {
    /// Reads a PKIX `SubjectPublicKeyInfo`; other key types get an error naming them.
    pub fn from_spki_der(der: &[u8]) -> Result<EcKey, String> {
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(EcKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(der) {
            return Ok(EcKey::P384(k));
        }
        let alg = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(der)
            .map(|s| s.algorithm.oid.to_string())
            .map_err(|e| format!("not a public key ({e})"))?;
        Err(match alg.as_str() {
            OID_RSA => "RSA keys are not supported (ECDSA P-256/P-384 only)".into(),
            OID_ED25519 => "Ed25519 keys are not supported (ECDSA P-256/P-384 only)".into(),
            OID_EC_PUBLIC_KEY => "unsupported elliptic curve (P-256/P-384 only)".into(),
            other => format!("unsupported key algorithm {other} (ECDSA P-256/P-384 only)"),
        })
    }

    /// The hash Sigstore pairs with this curve for signatures over artifacts.
    pub fn default_hash(&self) -> Hash {
        match self {
            EcKey::P256(_) => Hash::Sha256,
            EcKey::P384(_) => Hash::Sha384,
        }
    }

    /// Checks a DER ECDSA signature over an already computed digest.
    pub fn verify_prehash(&self, digest: &[u8], der_sig: &[u8]) -> bool {
        match self {
            EcKey::P256(k) => p256::ecdsa::Signature::from_der(der_sig)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            EcKey::P384(k) => p384::ecdsa::Signature::from_der(der_sig)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
        }
    }

    /// Checks a DER ECDSA signature over `message` hashed with `hash`.
    pub fn verify(&self, hash: Hash, message: &[u8], der_sig: &[u8]) -> bool {
        self.verify_prehash(&hash.digest(message), der_sig)
    }
}

/// Splits one DER TLV off `input`: (tag, whole TLV length, header length).
pub(crate) fn der_tlv(input: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let total = header.checked_add(len)?;
    (total <= input.len()).then_some((tag, total, header))
}

/// A parsed certificate with its original encoding.
#[derive(Clone)]
pub struct Cert {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    cert: CertificateInner,
}

impl std::fmt::Debug for Cert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cert({})", self.subject())
    }
}

impl PartialEq for Cert {
    fn eq(&self, other: &Cert) -> bool {
        self.der == other.der
    }
}

impl Cert {
    pub fn from_der(der: &[u8]) -> Result<Cert, String> {
        if der.len() > MAX_CERT_SIZE {
            return Err(format!("certificate of {} bytes is too large", der.len()));
        }
        let cert = CertificateInner::from_der(der)
            .map_err(|e| format!("not a DER X.509 certificate ({e})"))?;
        // Certificate ::= SEQUENCE { tbsCertificate, ... }: the first inner TLV is what the
        // issuer signed.
        let (_, _, outer_header) = der_tlv(der).ok_or("truncated certificate")?;
        let (_, tbs_len, _) = der_tlv(&der[outer_header..]).ok_or("truncated certificate")?;
        Ok(Cert {
            der: der.to_vec(),
            tbs: outer_header..outer_header + tbs_len,
            cert,
        })
    }

    /// Every `CERTIFICATE` block of a PEM text, in order.
    pub fn from_pem_chain(text: &[u8]) -> Result<Vec<Cert>, String> {
        let blocks = pem::parse_many(text).map_err(|e| format!("not PEM ({e})"))?;
        let mut out = Vec::new();
        for b in blocks.iter().take(16) {
            if b.tag() != "CERTIFICATE" {
                return Err(format!(
                    "expected CERTIFICATE PEM blocks, found '{}'",
                    b.tag()
                ));
            }
            out.push(Cert::from_der(b.contents())?);
        }
        if out.is_empty() {
            return Err("no CERTIFICATE PEM block".into());
        }
        Ok(out)
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn subject(&self) -> String {
        self.cert.tbs_certificate().subject().to_string()
    }

    fn subject_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate()
            .subject()
            .to_der()
            .unwrap_or_default()
    }

    fn issuer_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate()
            .issuer()
            .to_der()
            .unwrap_or_default()
    }

    /// notBefore and notAfter in Unix seconds.
    pub fn validity(&self) -> (i64, i64) {
        let v = self.cert.tbs_certificate().validity();
        let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
        (secs(v.not_before), secs(v.not_after))
    }

    pub fn valid_at(&self, t: i64) -> bool {
        let (a, b) = self.validity();
        a <= t && t <= b
    }

    pub fn spki_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap_or_default()
    }

    pub fn public_key(&self) -> Result<EcKey, String> {
        EcKey::from_spki_der(&self.spki_der())
    }

    fn extension(&self, id: &str) -> Option<&[u8]> {
        let id = oid(id);
        self.cert
            .tbs_certificate()
            .extensions()?
            .iter()
            .find(|e| e.extn_id == id)
            .map(|e| e.extn_value.as_bytes())
    }

    /// Whether this certificate may issue others: basicConstraints CA, and keyCertSign when a
    /// key usage is given.
    pub fn is_ca(&self) -> bool {
        let ca = self
            .extension(OID_EXT_BASIC)
            .and_then(|b| BasicConstraints::from_der(b).ok())
            .is_some_and(|b| b.ca);
        let sign = match self.extension(OID_EXT_KEY_USAGE) {
            None => true,
            Some(b) => KeyUsage::from_der(b).is_ok_and(|k| k.0.contains(KeyUsages::KeyCertSign)),
        };
        ca && sign
    }

    /// Code-signing extended key usage, and digitalSignature when a key usage is given.
    pub fn check_code_signing(&self) -> Result<(), String> {
        let eku = self
            .extension(OID_EXT_EKU)
            .ok_or("certificate has no extended key usage")?;
        let eku =
            ExtendedKeyUsage::from_der(eku).map_err(|e| format!("bad extended key usage ({e})"))?;
        if !eku.0.contains(&oid(OID_EKU_CODE_SIGNING)) {
            return Err("extended key usage does not include code signing".into());
        }
        if let Some(b) = self.extension(OID_EXT_KEY_USAGE) {
            let ku = KeyUsage::from_der(b).map_err(|e| format!("bad key usage ({e})"))?;
            if !ku.0.contains(KeyUsages::DigitalSignature) {
                return Err("key usage does not include digital signature".into());
            }
        }
        if self
            .extension(OID_EXT_BASIC)
            .and_then(|b| BasicConstraints::from_der(b).ok())
            .is_some_and(|b| b.ca)
        {
            return Err("signing certificate is a CA certificate".into());
        }
        Ok(())
    }

    /// E-mail addresses and URIs of the subject alternative name: the signer identities.
    pub fn san_identities(&self) -> Vec<String> {
        let Some(b) = self.extension(OID_EXT_SAN) else {
            return Vec::new();
        };
        let Ok(san) = SubjectAltName::from_der(b) else {
            return Vec::new();
        };
        san.0
            .iter()
            .filter_map(|n| match n {
                GeneralName::Rfc822Name(s) | GeneralName::UniformResourceIdentifier(s) => {
                    Some(s.to_string())
                }
                _ => None,
            })
            .collect()
    }

    /// The OIDC issuer Fulcio recorded: the DER-encoded extension when present, else the
    /// older raw one.
    pub fn oidc_issuer(&self) -> Option<String> {
        if let Some(v) = self.extension(OID_FULCIO_ISSUER_V2) {
            if let Ok(s) = der::asn1::Utf8StringRef::from_der(v) {
                return Some(s.to_string());
            }
        }
        self.extension(OID_FULCIO_ISSUER_V1)
            .and_then(|v| std::str::from_utf8(v).ok())
            .map(str::to_string)
    }

    /// Whether `issuer`'s subject is this certificate's issuer name.
    pub fn names_issuer(&self, issuer: &Cert) -> bool {
        self.issuer_der() == issuer.subject_der()
    }

    /// Whether `issuer`'s key signed this certificate.
    pub fn signed_by(&self, issuer: &Cert) -> Result<(), String> {
        let alg = self.cert.signature_algorithm().oid.to_string();
        let hash = match alg.as_str() {
            OID_ECDSA_SHA256 => Hash::Sha256,
            OID_ECDSA_SHA384 => Hash::Sha384,
            OID_ECDSA_SHA512 => Hash::Sha512,
            other => return Err(format!("unsupported signature algorithm {other}")),
        };
        let key = issuer.public_key()?;
        let sig = self
            .cert
            .signature()
            .as_bytes()
            .ok_or("signature bit string has unused bits")?;
        if key.verify(hash, &self.der[self.tbs.clone()], sig) {
            Ok(())
        } else {
            Err("signature does not verify".into())
        }
    }
}

/// One signed certificate timestamp (RFC 6962 section 3.2).
#[derive(Debug, Clone)]
pub struct Sct {
    pub log_id: Vec<u8>,
    /// Milliseconds since the epoch.
    pub timestamp: u64,
    pub extensions: Vec<u8>,
    /// (hash algorithm, signature algorithm) TLS codes.
    pub algorithms: (u8, u8),
    pub signature: Vec<u8>,
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn uint(&mut self, n: usize) -> Option<u64> {
        Some(
            self.take(n)?
                .iter()
                .fold(0u64, |a, b| (a << 8) | u64::from(*b)),
        )
    }
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.uint(2)? as usize;
        self.take(n)
    }
}

fn der_wrap(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        v.push(0x80 | bytes.len() as u8);
        v.extend(bytes);
    }
    v.extend_from_slice(content);
    v
}

/// The TLVs inside a constructed DER value.
fn der_children(content: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (_, total, _) = der_tlv(rest)?;
        out.push(&rest[..total]);
        rest = &rest[total..];
    }
    Some(out)
}

impl Cert {
    /// The SCTs embedded in this certificate.
    pub fn embedded_scts(&self) -> Result<Vec<Sct>, String> {
        let v = self
            .extension(OID_SCT_LIST)
            .ok_or("certificate has no embedded signed certificate timestamp")?;
        let list = match der_tlv(v) {
            Some((0x04, total, header)) if total == v.len() => &v[header..],
            _ => return Err("malformed SCT list extension".into()),
        };
        let mut r = Reader(list);
        let mut entries = Reader(r.vec16().ok_or("truncated SCT list")?);
        let mut out = Vec::new();
        while !entries.0.is_empty() && out.len() < 16 {
            let mut e = Reader(entries.vec16().ok_or("truncated SCT")?);
            let bad = || "truncated SCT".to_string();
            if e.uint(1).ok_or_else(bad)? != 0 {
                return Err("unknown SCT version".into());
            }
            out.push(Sct {
                log_id: e.take(32).ok_or_else(bad)?.to_vec(),
                timestamp: e.uint(8).ok_or_else(bad)?,
                extensions: e.vec16().ok_or_else(bad)?.to_vec(),
                algorithms: (
                    e.uint(1).ok_or_else(bad)? as u8,
                    e.uint(1).ok_or_else(bad)? as u8,
                ),
                signature: e.vec16().ok_or_else(bad)?.to_vec(),
            });
        }
        Ok(out)
    }

    /// The TBS the CT log signed for a precertificate: this TBS without the SCT list.
    fn precert_tbs(&self) -> Option<Vec<u8>> {
        let tbs = &self.der[self.tbs.clone()];
        let (_, _, header) = der_tlv(tbs)?;
        let sct_oid = der_wrap(0x06, oid(OID_SCT_LIST).as_bytes());
        let mut content = Vec::new();
        for field in der_children(&tbs[header..])? {
            if field[0] != 0xa3 {
                content.extend_from_slice(field);
                continue;
            }
            let (_, _, h) = der_tlv(field)?;
            let seq = &field[h..];
            let (_, _, sh) = der_tlv(seq)?;
            let kept: Vec<u8> = der_children(&seq[sh..])?
                .into_iter()
                .filter(|ext| {
                    der_tlv(ext).is_some_and(|(_, _, eh)| !ext[eh..].starts_with(&sct_oid))
                })
                .flatten()
                .copied()
                .collect();
            content.extend(der_wrap(0xa3, &der_wrap(0x30, &kept)));
        }
        Some(der_wrap(0x30, &content))
    }

    /// Checks an embedded SCT against a CT log key: RFC 6962's `digitally-signed` struct
    /// over the precertificate entry issued by `issuer`.
    pub fn verify_sct(&self, sct: &Sct, issuer: &Cert, key: &EcKey) -> Result<(), String> {
        let hash = match sct.algorithms {
            (4, 3) => Hash::Sha256,
            (5, 3) => Hash::Sha384,
            (h, s) => {
                return Err(format!(
                    "unsupported SCT algorithms (hash {h}, signature {s})"
                ))
            }
        };
        let tbs = self
            .precert_tbs()
            .ok_or("cannot rebuild the precertificate")?;
        if tbs.len() >= 1 << 24 || sct.extensions.len() >= 1 << 16 {
            return Err("precertificate too large".into());
        }
        let mut signed = vec![0u8, 0u8];
        signed.extend_from_slice(&sct.timestamp.to_be_bytes());
        signed.extend_from_slice(&1u16.to_be_bytes());
        signed.extend_from_slice(&Hash::Sha256.digest(&issuer.spki_der()));
        signed.extend_from_slice(&(tbs.len() as u32).to_be_bytes()[1..]);
        signed.extend_from_slice(&tbs);
        signed.extend_from_slice(&(sct.extensions.len() as u16).to_be_bytes());
        signed.extend_from_slice(&sct.extensions);
        if key.verify(hash, &signed, &sct.signature) {
            Ok(())
        } else {
            Err("SCT signature does not verify with the CT log key".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_parse() {
        for s in [
            OID_EC_PUBLIC_KEY,
            OID_RSA,
            OID_ED25519,
            OID_ECDSA_SHA256,
            OID_ECDSA_SHA384,
            OID_ECDSA_SHA512,
            OID_EXT_KEY_USAGE,
            OID_EXT_EKU,
            OID_EXT_BASIC,
            OID_EXT_SAN,
            OID_EKU_CODE_SIGNING,
            OID_FULCIO_ISSUER_V1,
            OID_FULCIO_ISSUER_V2,
            OID_SCT_LIST,
        ] {
            assert!(ObjectIdentifier::new(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn hostile_der_never_panics() {
        assert!(der_tlv(&[]).is_none());
        assert!(der_tlv(&[0x30, 0x85, 1, 2, 3, 4, 5]).is_none());
        assert!(der_tlv(&[0x30, 0x82, 0xff]).is_none());
        assert!(der_tlv(&[0x30, 0x03, 1]).is_none());
        assert_eq!(der_tlv(&[0x30, 0x01, 1]), Some((0x30, 3, 2)));
        for junk in [&b""[..], b"\x30", b"\x30\x80", b"garbage", &[0x30; 300]] {
            assert!(Cert::from_der(junk).is_err());
        }
        assert!(Cert::from_pem_chain(b"nope").is_err());
        assert!(EcKey::from_spki_der(b"\x30\x00").is_err());
    }
}
