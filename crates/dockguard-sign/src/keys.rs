//! ECDSA P-256 keys in cosign's file formats.
//!
//! Public keys are PKIX (`PUBLIC KEY`) PEM. Private keys are PKCS#8 DER sealed the way
//! go-securesystemslib's `encrypted` package does it, which is what cosign writes: a JSON
//! envelope `{"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":
//! "nacl/secretbox","nonce"},"ciphertext"}` inside an `ENCRYPTED SIGSTORE PRIVATE KEY` PEM block
//! (`ENCRYPTED COSIGN PRIVATE KEY` in older files). The scrypt parameters are read from the file,
//! within bounds, so keys written with any of that package's strengths open.

use crate::error::{Error, Result};
use base64::Engine as _;
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::XSalsa20Poly1305;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// PEM label cosign 2 writes for encrypted private keys.
pub const SIGSTORE_PRIVATE_KEY_LABEL: &str = "ENCRYPTED SIGSTORE PRIVATE KEY";
/// PEM label of cosign 1.x key files; still read.
pub const COSIGN_PRIVATE_KEY_LABEL: &str = "ENCRYPTED COSIGN PRIVATE KEY";

/// scrypt strength written by default: go-securesystemslib's default ("legacy") parameters,
/// which every cosign release reads.
const WRITE_LOG_N: u8 = 15;
const WRITE_R: u32 = 8;
const WRITE_P: u32 = 1;
/// Reading bounds: a hostile key file must not make us allocate gigabytes or spin for minutes.
const MAX_SCRYPT_MEMORY: u64 = 256 << 20;
const MAX_SCRYPT_P: u32 = 16;
/// Key files are a few hundred bytes; anything far larger is not a key.
pub(crate) const MAX_KEY_FILE: u64 = 64 << 10;

#[derive(Serialize, Deserialize)]
struct Envelope {
    kdf: Kdf,
    cipher: Cipher,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
struct Kdf {
    name: String,
    params: KdfParams,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct KdfParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(Serialize, Deserialize)]
struct Cipher {
    name: String,
    nonce: String,
}

fn random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::key("random source", e))
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn derive(what: &str, password: &[u8], salt: &[u8], p: &KdfParams) -> Result<[u8; 32]> {
    if p.n < 2 || !p.n.is_power_of_two() {
        return Err(Error::key(
            what,
            format!("scrypt N={} is not a power of two", p.n),
        ));
    }
    let log_n = p.n.trailing_zeros() as u8;
    let memory = 128u64.saturating_mul(p.r as u64).saturating_mul(p.n);
    if p.r == 0 || p.p == 0 || p.p > MAX_SCRYPT_P || memory > MAX_SCRYPT_MEMORY {
        return Err(Error::key(
            what,
            format!(
                "unsupported scrypt parameters N={} r={} p={} (at most {} MiB and p<={MAX_SCRYPT_P})",
                p.n,
                p.r,
                p.p,
                MAX_SCRYPT_MEMORY >> 20
            ),
        ));
    }
    let params = scrypt::Params::new(log_n, p.r, p.p)
        .map_err(|e| Error::key(what, format!("scrypt parameters: {e}")))?;
    let mut key = [0u8; 32];
    scrypt::scrypt(password, salt, &params, &mut key)
        .map_err(|e| Error::key(what, format!("scrypt: {e}")))?;
    Ok(key)
}

/// Seals `plaintext` under `password` into the JSON envelope (not yet PEM-wrapped).
pub fn encrypt_envelope(plaintext: &[u8], password: &[u8]) -> Result<Vec<u8>> {
    let mut salt = [0u8; 32];
    let mut nonce = [0u8; 24];
    random(&mut salt)?;
    random(&mut nonce)?;
    let params = KdfParams {
        n: 1 << WRITE_LOG_N,
        r: WRITE_R,
        p: WRITE_P,
    };
    let key = derive("new key", password, &salt, &params)?;
    let sealed = XSalsa20Poly1305::new(&key.into())
        .encrypt(&nonce.into(), plaintext)
        .map_err(|_| Error::key("new key", "secretbox sealing failed"))?;
    let env = Envelope {
        kdf: Kdf {
            name: "scrypt".into(),
            params,
            salt: b64().encode(salt),
        },
        cipher: Cipher {
            name: "nacl/secretbox".into(),
            nonce: b64().encode(nonce),
        },
        ciphertext: b64().encode(sealed),
    };
    serde_json::to_vec(&env).map_err(|e| Error::key("new key", e))
}

/// Opens a JSON envelope written by [`encrypt_envelope`], cosign or go-securesystemslib.
pub fn decrypt_envelope(what: &str, envelope: &[u8], password: &[u8]) -> Result<Vec<u8>> {
    let env: Envelope = serde_json::from_slice(envelope)
        .map_err(|e| Error::key(what, format!("not an encrypted key envelope: {e}")))?;
    if env.kdf.name != "scrypt" {
        return Err(Error::key(
            what,
            format!("unsupported KDF '{}'", env.kdf.name),
        ));
    }
    if env.cipher.name != "nacl/secretbox" {
        return Err(Error::key(
            what,
            format!("unsupported cipher '{}'", env.cipher.name),
        ));
    }
    let field = |name: &str, v: &str| {
        b64()
            .decode(v.trim())
            .map_err(|e| Error::key(what, format!("{name} is not base64: {e}")))
    };
    let salt = field("kdf.salt", &env.kdf.salt)?;
    let nonce = field("cipher.nonce", &env.cipher.nonce)?;
    let sealed = field("ciphertext", &env.ciphertext)?;
    let nonce: [u8; 24] = nonce
        .try_into()
        .map_err(|_| Error::key(what, "cipher.nonce is not 24 bytes"))?;
    let key = derive(what, password, &salt, &env.kdf.params)?;
    XSalsa20Poly1305::new(&key.into())
        .decrypt(&nonce.into(), sealed.as_slice())
        .map_err(|_| Error::Password {
            what: what.to_string(),
        })
}

/// A P-256 signing key.
#[derive(Clone)]
pub struct PrivateKey {
    key: SigningKey,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({})", self.public_key().key_id())
    }
}

/// A P-256 verification key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

fn parse_pem(what: &str, text: &[u8]) -> Result<pem::Pem> {
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(Error::key(what, "too large to be a key file"));
    }
    pem::parse(text).map_err(|e| Error::key(what, format!("not a PEM file: {e}")))
}

impl PrivateKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<PrivateKey> {
        loop {
            let mut bytes = [0u8; 32];
            random(&mut bytes)?;
            // Out-of-range scalars are astronomically rare; draw again rather than reduce.
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                return Ok(PrivateKey { key });
            }
        }
    }

    /// The key as cosign's encrypted PEM (`ENCRYPTED SIGSTORE PRIVATE KEY`).
    pub fn to_encrypted_pem(&self, password: &[u8]) -> Result<String> {
        let der = self
            .key
            .to_pkcs8_der()
            .map_err(|e| Error::key("new key", format!("PKCS#8 encoding: {e}")))?;
        let envelope = encrypt_envelope(der.as_bytes(), password)?;
        Ok(pem::encode(&pem::Pem::new(
            SIGSTORE_PRIVATE_KEY_LABEL,
            envelope,
        )))
    }

    /// Whether a key file is encrypted (and so needs a password to open).
    pub fn is_encrypted(what: &str, text: &[u8]) -> Result<bool> {
        let p = parse_pem(what, text)?;
        Ok(matches!(
            p.tag(),
            SIGSTORE_PRIVATE_KEY_LABEL | COSIGN_PRIVATE_KEY_LABEL
        ))
    }

    /// Reads a key file: cosign's encrypted format (needs `password`), or an unencrypted
    /// PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) P-256 key.
    pub fn from_pem(what: &str, text: &[u8], password: Option<&[u8]>) -> Result<PrivateKey> {
        let p = parse_pem(what, text)?;
        match p.tag() {
            SIGSTORE_PRIVATE_KEY_LABEL | COSIGN_PRIVATE_KEY_LABEL => {
                let password = password.ok_or_else(|| {
                    Error::key(what, "the key is encrypted: a password is needed")
                })?;
                let der = decrypt_envelope(what, p.contents(), password)?;
                Self::from_pkcs8(what, &der)
            }
            _ => Self::import_pem(what, text),
        }
    }

    fn from_pkcs8(what: &str, der: &[u8]) -> Result<PrivateKey> {
        match SigningKey::from_pkcs8_der(der) {
            Ok(key) => Ok(PrivateKey { key }),
            Err(e) => Err(Error::key(
                what,
                format!("not an ECDSA P-256 PKCS#8 key ({e}); dockguard signs with P-256 only"),
            )),
        }
    }

    /// Reads an unencrypted PEM key to import: PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`.
    /// RSA keys are recognised and refused with a reason: signing with them would need the
    /// `rsa` crate, which has an unfixed timing advisory.
    pub fn import_pem(what: &str, text: &[u8]) -> Result<PrivateKey> {
        let p = parse_pem(what, text)?;
        match p.tag() {
            "PRIVATE KEY" => Self::from_pkcs8(what, p.contents()),
            "EC PRIVATE KEY" => {
                let sk = p256::SecretKey::from_sec1_der(p.contents()).map_err(|e| {
                    Error::key(
                        what,
                        format!("not a P-256 SEC1 key ({e}); dockguard signs with P-256 only"),
                    )
                })?;
                Ok(PrivateKey { key: sk.into() })
            }
            "RSA PRIVATE KEY" => Err(Error::key(
                what,
                "RSA keys are not supported for signing (ECDSA P-256 only); \
                 generate one with `dockguard key generate`",
            )),
            "ENCRYPTED PRIVATE KEY" => Err(Error::key(
                what,
                "PKCS#8-encrypted keys are not read; decrypt it first \
                 (openssl pkcs8 -in KEY -out plain.pem) and import that",
            )),
            SIGSTORE_PRIVATE_KEY_LABEL | COSIGN_PRIVATE_KEY_LABEL => Err(Error::key(
                what,
                "already a cosign/dockguard encrypted key; use it as it is",
            )),
            other => Err(Error::key(what, format!("unexpected PEM block '{other}'"))),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key: *self.key.verifying_key(),
        }
    }

    /// ASN.1 DER ECDSA signature over SHA-256 of `message`, as cosign stores it.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let sig: Signature = self.key.sign(message);
        let der: DerSignature = sig.to_der();
        der.as_bytes().to_vec()
    }
}

impl PublicKey {
    /// Reads a `PUBLIC KEY` (PKIX) PEM file.
    pub fn from_pem(what: &str, text: &[u8]) -> Result<PublicKey> {
        let p = parse_pem(what, text)?;
        if p.tag() != "PUBLIC KEY" {
            return Err(Error::key(
                what,
                format!("expected a PUBLIC KEY PEM block, found '{}'", p.tag()),
            ));
        }
        let key = VerifyingKey::from_public_key_der(p.contents())
            .map_err(|e| Error::key(what, format!("not an ECDSA P-256 public key ({e})")))?;
        Ok(PublicKey { key })
    }

    /// PKIX DER encoding.
    pub fn to_der(&self) -> Vec<u8> {
        self.key
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default()
    }

    /// PKIX PEM encoding, as cosign writes `cosign.pub`.
    pub fn to_pem(&self) -> String {
        pem::encode(&pem::Pem::new("PUBLIC KEY", self.to_der()))
    }

    /// `sha256:<hex>` of the PKIX DER encoding: the key id shown by `trust inspect` and
    /// recorded beside signatures.
    pub fn key_id(&self) -> String {
        let mut hex = String::from("sha256:");
        for b in Sha256::digest(self.to_der()) {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }

    /// Checks an ASN.1 DER ECDSA signature over SHA-256 of `message`.
    pub fn verify(&self, message: &[u8], der_signature: &[u8]) -> bool {
        match Signature::from_der(der_signature) {
            Ok(sig) => self.key.verify(message, &sig).is_ok(),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published vectors of go-securesystemslib's `encrypted` package (the code cosign calls):
    // passphrase "supersecret", one per scrypt strength. They were made with its `Marshal`,
    // so the sealed plaintext is the JSON string of base64("reallyimportant").
    pub(crate) const GO_VECTORS: &[&str] = &[
        r#"{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"WO3mVvyTwJ9vwT5/Tk5OW5WPIBUofMjcpEfrLnfY4uA="},"cipher":{"name":"nacl/secretbox","nonce":"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX"},"ciphertext":"08n43p5G5yviPEZpO7tPPF4aZQkWiWjkv4taFdhDBA0tamKH4nw="}"#,
        r#"{"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs="},"cipher":{"name":"nacl/secretbox","nonce":"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE"},"ciphertext":"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8="}"#,
        r#"{"kdf":{"name":"scrypt","params":{"N":131072,"r":8,"p":1},"salt":"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k="},"cipher":{"name":"nacl/secretbox","nonce":"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc"},"ciphertext":"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI="}"#,
    ];

    #[test]
    fn reference_envelopes_open() {
        for v in GO_VECTORS {
            let plain = decrypt_envelope("vector", v.as_bytes(), b"supersecret").unwrap();
            let inner: String = serde_json::from_slice(&plain).unwrap();
            assert_eq!(b64().decode(inner).unwrap(), b"reallyimportant");
            assert!(matches!(
                decrypt_envelope("vector", v.as_bytes(), b"supersecreT"),
                Err(Error::Password { .. })
            ));
        }
    }

    #[test]
    fn reference_plain_encrypt_vector() {
        // go-securesystemslib's TestDecrypt: `Encrypt("reallyimportant", "supersecret")`.
        let v = r#"{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g="},"cipher":{"name":"nacl/secretbox","nonce":"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik"},"ciphertext":"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ=="}"#;
        let plain = decrypt_envelope("vector", v.as_bytes(), b"supersecret").unwrap();
        assert_eq!(plain, b"reallyimportant");
    }

    #[test]
    fn hostile_parameters_are_refused() {
        let v = GO_VECTORS[0].replace("32768", "1073741824");
        let e = decrypt_envelope("k", v.as_bytes(), b"x").unwrap_err();
        assert!(
            e.to_string().contains("unsupported scrypt parameters"),
            "{e}"
        );
        let v = GO_VECTORS[0].replace("32768", "1000");
        assert!(decrypt_envelope("k", v.as_bytes(), b"x").is_err());
        let v = GO_VECTORS[0].replace("\"p\":1", "\"p\":4000000000");
        assert!(decrypt_envelope("k", v.as_bytes(), b"x").is_err());
        assert!(decrypt_envelope("k", b"{}", b"x").is_err());
        assert!(decrypt_envelope("k", b"\xff\x00", b"x").is_err());
    }

    #[test]
    fn key_round_trip_and_tamper() {
        let key = PrivateKey::generate().unwrap();
        let pem = key.to_encrypted_pem(b"pw").unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
        let back = PrivateKey::from_pem("k", pem.as_bytes(), Some(b"pw")).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        let wrong = PrivateKey::from_pem("k", pem.as_bytes(), Some(b"pW")).unwrap_err();
        assert_eq!(wrong.to_string(), "k: wrong password or damaged key file");
        assert!(PrivateKey::from_pem("k", pem.as_bytes(), None).is_err());

        let sig = key.sign(b"payload");
        let pubkey = PublicKey::from_pem("p", key.public_key().to_pem().as_bytes()).unwrap();
        assert!(pubkey.verify(b"payload", &sig));
        assert!(!pubkey.verify(b"payloaD", &sig));
        assert!(!pubkey.verify(b"payload", &sig[1..]));
        let other = PrivateKey::generate().unwrap().public_key();
        assert!(!other.verify(b"payload", &sig));
        assert!(pubkey.key_id().starts_with("sha256:") && pubkey.key_id().len() == 71);
    }

    #[test]
    fn imports() {
        let key = PrivateKey::generate().unwrap();
        let pkcs8 = key.key.to_pkcs8_pem(Default::default()).unwrap();
        let k = PrivateKey::import_pem("k", pkcs8.as_bytes()).unwrap();
        assert_eq!(k.public_key(), key.public_key());
        let sk: p256::SecretKey = key.key.clone().into();
        let sec1 = sk.to_sec1_pem(Default::default()).unwrap();
        let k = PrivateKey::import_pem("k", sec1.as_bytes()).unwrap();
        assert_eq!(k.public_key(), key.public_key());
        let rsa = pem::encode(&pem::Pem::new("RSA PRIVATE KEY", vec![0x30, 0]));
        let e = PrivateKey::import_pem("k", rsa.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("RSA"), "{e}");
        assert!(PrivateKey::import_pem("k", b"garbage").is_err());
        assert!(PublicKey::from_pem("k", pkcs8.as_bytes()).is_err());
    }
}
