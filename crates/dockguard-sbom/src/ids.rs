//! Serial numbers, identifiers and timestamps.

use crate::{Format, Subject, WriteOptions};
use sha2::{Digest, Sha256};
use std::hash::{BuildHasher, Hasher};

/// A UUID in the form CycloneDX's `serialNumber` pattern accepts (version nibble 5, RFC 4122
/// variant) built from 16 bytes.
fn uuid(bytes: [u8; 16]) -> String {
    let mut b = bytes;
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The document's UUID: derived from what identifies the subject (its digest, else its name),
/// the format, the scope and the tool version, so the same image gives the same serial until
/// any of those changes; random when asked.
pub(crate) fn document_uuid(subject: &Subject, format: Format, opts: &WriteOptions) -> String {
    if opts.random_serial {
        return uuid(random_bytes());
    }
    let mut h = Sha256::new();
    for part in [
        "dockguard-sbom",
        subject.digest.as_deref().unwrap_or(&subject.name),
        format.as_str(),
        subject.scope.as_deref().unwrap_or(""),
        &opts.tool_version,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid(b)
}

/// 16 unpredictable-enough bytes for a unique serial (not a secret): the standard library's
/// randomly keyed hasher over the time and process id.
fn random_bytes() -> [u8; 16] {
    let mut out = [0u8; 16];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u32(std::process::id());
        if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(t.as_nanos());
        }
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

/// A short stable hex digest of `parts`, for identifiers that must be unique and stable.
pub(crate) fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()[..8]
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Timestamps as SBOMs write them; the conversions are shared with the rest of dockguard.
pub use dockguard_core::time::{format_rfc3339 as rfc3339_from_epoch, now_rfc3339, parse_rfc3339};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formatting() {
        assert_eq!(rfc3339_from_epoch(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_epoch(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_epoch(951_825_599), "2000-02-29T11:59:59Z");
    }

    #[test]
    fn parsing_round_trips() {
        for t in [0, 1_767_225_600, 951_825_599, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&rfc3339_from_epoch(t)), Some(t));
        }
        assert_eq!(
            parse_rfc3339("2026-01-01T02:00:00.5+02:00"),
            Some(1_767_225_600)
        );
        for bad in [
            "",
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "x\u{e9}xxxxxxxxxxxxxxxxxxxxx",
            "2026-01-01T00:00:0\u{e9}Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn derived_serials_are_stable_and_random_ones_differ() {
        let s = Subject {
            digest: Some("sha256:abc".into()),
            ..Subject::default()
        };
        let o = WriteOptions::default();
        let a = document_uuid(&s, Format::CycloneDx, &o);
        assert_eq!(a, document_uuid(&s, Format::CycloneDx, &o));
        assert_ne!(a, document_uuid(&s, Format::Spdx, &o));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        let r = WriteOptions {
            random_serial: true,
            ..o
        };
        assert_ne!(
            document_uuid(&s, Format::CycloneDx, &r),
            document_uuid(&s, Format::CycloneDx, &r)
        );
    }
}
