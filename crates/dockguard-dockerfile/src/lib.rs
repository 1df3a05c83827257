//! Dockerfile parsing and linting.
pub mod shell;
