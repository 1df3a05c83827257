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

/// `YYYY-MM-DDThh:mm:ssZ` for seconds since the Unix epoch (UTC).
pub fn rfc3339_from_epoch(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant's public-domain algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Seconds since the Unix epoch of an RFC 3339 time (`2026-01-01T00:00:00Z`,
/// `2024-05-06T07:08:09.123456789+02:00`); `None` when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let ob = rest.as_bytes();
            if ob.len() != 6 || !matches!(ob[0], b'+' | b'-') || ob[3] != b':' {
                return None;
            }
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            let o = oh * 3600 + om * 60;
            if ob[0] == b'-' {
                -o
            } else {
                o
            }
        }
    };
    // Days-from-civil, the inverse of the conversion in `rfc3339_from_epoch`.
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// The current time as [`rfc3339_from_epoch`] writes it.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339_from_epoch(secs)
}

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
