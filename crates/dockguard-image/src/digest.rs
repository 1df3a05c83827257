use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest as _;
use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A content digest, `algorithm:hex`, as used by OCI descriptors and Docker configs.
///
/// Only `sha256` and `sha512` are accepted: they are the registered OCI algorithms, and
/// refusing anything else keeps a hostile digest string from ever becoming a file path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Sha256,
    Sha512,
}

impl Digest {
    /// `sha256:…` or `sha512:…` with lowercase hex of the right length.
    pub fn parse(s: &str) -> Result<Digest> {
        let bad = |why: &str| Error::format(format!("digest '{}'", truncate(s, 80)), why);
        let (alg, hex) = s.split_once(':').ok_or_else(|| bad("missing ':'"))?;
        let want = match alg {
            "sha256" => 64,
            "sha512" => 128,
            _ => return Err(bad("unsupported algorithm (expected sha256 or sha512)")),
        };
        if hex.len() != want
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad("expected lowercase hex of the algorithm's length"));
        }
        Ok(Digest(s.to_string()))
    }

    pub(crate) fn sha256_hex(hex: &str) -> Result<Digest> {
        Digest::parse(&format!("sha256:{hex}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn algorithm(&self) -> &str {
        self.0.split_once(':').map(|(a, _)| a).unwrap_or("")
    }

    pub fn hex(&self) -> &str {
        self.0.split_once(':').map(|(_, h)| h).unwrap_or("")
    }

    /// The first 12 hex digits, as `docker images` shows them.
    pub fn short(&self) -> &str {
        let h = self.hex();
        &h[..h.len().min(12)]
    }

    pub(crate) fn alg(&self) -> Algorithm {
        if self.algorithm() == "sha512" {
            Algorithm::Sha512
        } else {
            Algorithm::Sha256
        }
    }

    /// The `sha256:` digest of `data`, as a descriptor for it would name it.
    pub fn sha256_of(data: &[u8]) -> Digest {
        Digest::of(Algorithm::Sha256, data)
    }

    /// Digest of an in-memory blob with the given algorithm.
    pub(crate) fn of(alg: Algorithm, data: &[u8]) -> Digest {
        let mut h = Hasher::new(alg);
        h.update(data);
        h.finish()
    }

    /// Checks `data` against this digest, naming `what` on mismatch.
    pub(crate) fn verify(&self, what: impl fmt::Display, data: &[u8]) -> Result<()> {
        let actual = Digest::of(self.alg(), data);
        if &actual != self {
            return Err(Error::DigestMismatch {
                what: what.to_string(),
                expected: self.0.clone(),
                actual: actual.0,
            });
        }
        Ok(())
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Digest {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Digest::parse(s)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Digest::parse(&s).map_err(serde::de::Error::custom)
    }
}

pub(crate) enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub(crate) fn new(alg: Algorithm) -> Hasher {
        match alg {
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub(crate) fn finish(self) -> Digest {
        let (alg, bytes): (&str, Vec<u8>) = match self {
            Hasher::Sha256(h) => ("sha256", h.finalize().to_vec()),
            Hasher::Sha512(h) => ("sha512", h.finalize().to_vec()),
        };
        Digest(format!("{alg}:{}", to_hex(&bytes)))
    }
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Hashes and counts everything read through it, and refuses to read past `limit` bytes so
/// that a blob can never be longer than its descriptor says (or than a decompression bound).
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
    count: u64,
    limit: u64,
    shared: Option<Arc<AtomicU64>>,
    ratio: Option<RatioGuard>,
}

/// Stops decompression once output outgrows input by more than `ratio` (past `floor` bytes):
/// a bomb is caught after a second of work instead of after the absolute size limit.
#[derive(Clone)]
pub(crate) struct RatioGuard {
    pub input: Arc<AtomicU64>,
    pub ratio: u64,
    pub floor: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R, alg: Algorithm, limit: u64) -> Self {
        HashingReader {
            inner,
            hasher: Hasher::new(alg),
            count: 0,
            limit,
            shared: None,
            ratio: None,
        }
    }

    /// Publishes the running byte count (for a [`RatioGuard`] reading the other side).
    pub(crate) fn share_count(&mut self) -> Arc<AtomicU64> {
        let c = Arc::new(AtomicU64::new(self.count));
        self.shared = Some(c.clone());
        c
    }

    pub(crate) fn with_ratio_guard(mut self, g: RatioGuard) -> Self {
        self.ratio = Some(g);
        self
    }

    pub(crate) fn finish(self) -> (Digest, u64) {
        (self.hasher.finish(), self.count)
    }
}

/// Error payload used when a [`HashingReader`] hits its limit, so callers can tell it apart.
#[derive(Debug)]
pub(crate) struct LimitExceeded(pub u64);

/// Error payload for a [`RatioGuard`] trip: (output bytes, input bytes).
#[derive(Debug)]
pub(crate) struct RatioExceeded(pub u64, pub u64);

impl fmt::Display for RatioExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes from {} compressed", self.0, self.1)
    }
}

impl std::error::Error for RatioExceeded {}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for LimitExceeded {}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.count >= self.limit {
            // Probe one byte: reaching the limit exactly is fine, going past it is not.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LimitExceeded(self.limit))),
            };
        }
        let room = (self.limit - self.count).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        if let Some(s) = &self.shared {
            s.store(self.count, Ordering::Relaxed);
        }
        if let Some(g) = &self.ratio {
            if self.count > g.floor {
                let input = g.input.load(Ordering::Relaxed).max(1);
                if self.count / input > g.ratio {
                    return Err(io::Error::other(RatioExceeded(self.count, input)));
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let d = Digest::parse(
            "sha256:9d1fc29f476414911b803e43b230423aa81067c8c6fcae22555a36cf257d1b1e",
        )
        .unwrap();
        assert_eq!(d.short(), "9d1fc29f4764");
        assert!(Digest::parse("sha256:../../etc/passwd").is_err());
        assert!(Digest::parse("md5:abcd").is_err());
        assert!(Digest::parse("sha256:ABCDEF").is_err());
    }

    #[test]
    fn hashing_reader_limits() {
        let data = vec![7u8; 100];
        let mut r = HashingReader::new(&data[..], Algorithm::Sha256, 100);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(r.finish().0, Digest::of(Algorithm::Sha256, &data));
        let mut r = HashingReader::new(&data[..], Algorithm::Sha256, 99);
        assert!(r.read_to_end(&mut Vec::new()).is_err());
    }
}
