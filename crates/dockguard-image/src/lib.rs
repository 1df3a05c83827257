//! Image reading.
