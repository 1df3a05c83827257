//! Image signing for dockguard, interoperable with cosign's key-based signatures.
//!
//! This crate owns key files (ECDSA P-256; cosign's encrypted private-key format and PKIX
//! public keys), the simple-signing payload, where signatures are stored (cosign's
//! `sha256-<hex>.sig` tag, OCI 1.1 referrers with the tag-schema fallback, or an OCI layout
//! for offline use) and the verification rules. Registries are reached through
//! dockguard-image's distribution client ([`dockguard_image::registry`]).
//!
//! Keyless signatures (a Fulcio certificate and a Rekor entry) are verified offline against a
//! Sigstore [`TrustedRoot`]: on images through [`VerifyOptions::keyless`], and for files with a
//! Sigstore [`Bundle`] (v0.1 to v0.3, message signature or DSSE) through [`verify_bundle`].
//! Certificates, chains, SETs, inclusion proofs and checkpoints are checked with our own code
//! on x509-cert's parser and the RustCrypto ECDSA curves (P-256, P-384).
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

mod bundle;
mod cosign;
mod error;
mod keyless;
mod keys;
mod layout;
mod oci;
mod password;
mod payload;
mod registry;
mod rekor;
mod store;
mod trustroot;
mod x509;

pub use bundle::{sha256_file, verify_bundle, Bundle, BundleVersion};
pub use cosign::{
    revoke, sign, verify, FoundSignature, RevokeOutcome, RevokeSelector, SignOptions, SignOutcome,
    SignatureCheck, Storage, Target, VerifyOptions, VerifyReport,
};
pub use error::{Error, Result};
pub use keyless::{
    fmt_time as format_time, CertificateIdentity, Failure, KeylessPolicy, Matcher, Stage,
    VerifiedSigner,
};
pub use keys::{
    decrypt_envelope, encrypt_envelope, PrivateKey, PublicKey, COSIGN_PRIVATE_KEY_LABEL,
    SIGSTORE_PRIVATE_KEY_LABEL,
};
pub use password::{read_password, PASSWORD_VARS};
pub use payload::{SimpleSigning, COSIGN_SIGNATURE_TYPE};
pub use registry::RegistryOptions;
pub use trustroot::TrustedRoot;

/// Media types and annotation keys of cosign's storage format.
pub mod media {
    pub use crate::oci::{
        BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, KEY_ID_ANNOTATION,
        SIGNATURE_ANNOTATION, SIGNATURE_ARTIFACT, SIMPLESIGNING,
    };
}
