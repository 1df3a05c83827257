//! Dockerfile parsing and linting (placeholder while the parser lands).
