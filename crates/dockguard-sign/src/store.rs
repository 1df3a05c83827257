//! Where signatures are read from and written to: a registry or an OCI image layout, behind
//! one small interface so signing and verification do not care which.

use crate::error::Result;
use crate::oci::Descriptor;

/// A fetched manifest or index.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    pub bytes: Vec<u8>,
    pub media_type: String,
    pub digest: String,
}

/// What a delete achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deleted {
    Yes,
    /// The store refuses deletes (a registry without delete enabled).
    Unsupported,
}

pub(crate) trait Store {
    /// The repository or layout, for messages.
    fn describe(&self) -> String;
    /// The identity signed into payloads (`registry/repository`, as cosign writes it).
    fn identity(&self) -> String;
    /// The top-level manifest or index the image argument names.
    fn resolve(&self) -> Result<Descriptor>;
    /// A manifest by tag or digest; `None` when absent.
    fn get_manifest(&self, reference: &str) -> Result<Option<Fetched>>;
    /// Stores a manifest under a tag or its digest; returns whether the store took note of
    /// a `subject` (an OCI 1.1 registry answering with `OCI-Subject`).
    fn put_manifest(&self, reference: &str, bytes: &[u8], media_type: &str) -> Result<bool>;
    fn put_blob(&self, digest: &str, bytes: &[u8]) -> Result<()>;
    /// A blob, checked against its digest, at most `limit` bytes.
    fn get_blob(&self, digest: &str, limit: u64) -> Result<Vec<u8>>;
    fn delete_manifest(&self, digest: &str) -> Result<Deleted>;
    /// The referrers API's answer; `None` when the store has no such API.
    fn referrers(&self, digest: &str) -> Result<Option<Vec<Descriptor>>>;
}
