//! Image signing for dockguard, interoperable with cosign's key-based signatures.
//!
//! This crate owns key files (ECDSA P-256; cosign's encrypted private-key format and PKIX
//! public keys), the simple-signing payload, where signatures are stored (cosign's
//! `sha256-<hex>.sig` tag, OCI 1.1 referrers with the tag-schema fallback, or an OCI layout
//! for offline use) and the verification rules. Registries are reached through
//! dockguard-image's distribution client ([`dockguard_image::registry`]).
//!
//! ```no_run
//! use dockguard_sign::{sign, verify, PrivateKey, RegistryOptions, SignOptions, Target, VerifyOptions};
//! let key = PrivateKey::generate()?;
//! let target = Target::open("127.0.0.1:5000/app:1.0", &RegistryOptions::default())?;
//! sign(&target, &key, &SignOptions::default())?;
//! let report = verify(&target, &[key.public_key()], &VerifyOptions::default())?;
//! assert!(report.is_valid());
//! # Ok::<(), dockguard_sign::Error>(())
//! ```
//!
//! Signatures, payloads and manifests are untrusted input: every fetch is size-bounded and
//! checked against its digest, and a malformed signature is reported as a problem with that
//! signature, never a crash.

mod cosign;
mod error;
mod keys;
mod layout;
mod oci;
mod password;
mod payload;
mod registry;
mod store;

pub use cosign::{
    revoke, sign, verify, FoundSignature, RevokeOutcome, RevokeSelector, SignOptions, SignOutcome,
    SignatureCheck, Storage, Target, VerifyOptions, VerifyReport,
};
pub use error::{Error, Result};
pub use keys::{
    decrypt_envelope, encrypt_envelope, PrivateKey, PublicKey, COSIGN_PRIVATE_KEY_LABEL,
    SIGSTORE_PRIVATE_KEY_LABEL,
};
pub use password::{read_password, PASSWORD_VARS};
pub use payload::{SimpleSigning, COSIGN_SIGNATURE_TYPE};
pub use registry::RegistryOptions;

/// Media types and annotation keys of cosign's storage format.
pub mod media {
    pub use crate::oci::{
        CERTIFICATE_ANNOTATION, KEY_ID_ANNOTATION, SIGNATURE_ANNOTATION, SIGNATURE_ARTIFACT,
        SIMPLESIGNING,
    };
}
