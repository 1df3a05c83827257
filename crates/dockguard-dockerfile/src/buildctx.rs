//! Build-context awareness: which files `COPY`/`ADD` would bake into a layer.
//! (Being written: `.dockerignore` matching and sensitive-file detection.)

use dockguard_core::Finding;
use std::path::Path;

/// A build context that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BuildContextError {
    pub path: String,
    pub message: String,
}

/// Findings for sensitive files that the Dockerfile's COPY/ADD would take from `context`.
pub fn scan(
    _dockerfile_path: &str,
    _dockerfile: &[u8],
    _context: &Path,
) -> Result<Vec<Finding>, BuildContextError> {
    Ok(Vec::new())
}
