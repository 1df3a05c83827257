//! A streaming tar reader with bounded metadata.
//!
//! Own code rather than the `tar` crate because that crate reads GNU long names and PAX headers
//! with no size bound (a hostile layer can make it allocate gigabytes), and because where tar
//! readers disagree we follow Go's `archive/tar`, which is what Docker and containerd extract
//! layers with: a scanner that parses an entry differently from the runtime can be blinded.

use std::io::{self, BufRead};

/// Tar type flags we distinguish.
pub(crate) mod flag {
    pub const REG: u8 = b'0';
    pub const AREG: u8 = 0;
    pub const LINK: u8 = b'1';
    pub const SYMLINK: u8 = b'2';
    pub const CHAR: u8 = b'3';
    pub const BLOCK: u8 = b'4';
    pub const DIR: u8 = b'5';
    pub const FIFO: u8 = b'6';
    pub const CONT: u8 = b'7';
    pub const PAX: u8 = b'x';
    pub const PAX_GLOBAL: u8 = b'g';
    pub const GNU_LONGNAME: u8 = b'L';
    pub const GNU_LONGLINK: u8 = b'K';
    pub const GNU_SPARSE: u8 = b'S';
    pub const GNU_DUMPDIR: u8 = b'D';
}

/// One member as read from the stream, before any path interpretation.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawEntry {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Bytes of data stored in the archive for this member.
    pub stored_size: u64,
    /// The file's logical size (larger than `stored_size` for sparse files).
    pub size: u64,
    pub sparse: bool,
    pub xattrs: Vec<(String, Vec<u8>)>,
}

#[derive(Debug)]
pub(crate) enum TarError {
    /// The underlying stream failed (decompression error, truncation, a size limit).
    Io(io::Error),
    /// The archive is malformed; `entry` names the member when one was being read.
    Format {
        entry: Option<String>,
        message: String,
    },
}

impl From<io::Error> for TarError {
    fn from(e: io::Error) -> Self {
        TarError::Io(e)
    }
}

fn format_err(entry: Option<&[u8]>, message: impl Into<String>) -> TarError {
    TarError::Format {
        entry: entry.map(|e| String::from_utf8_lossy(e).into_owned()),
        message: message.into(),
    }
}

const BLOCK: usize = 512;

pub(crate) struct TarReader<R> {
    r: R,
    data_left: u64,
    pad_left: u64,
    max_meta: u64,
    finished: bool,
    /// Bytes consumed from `r`, so archive indexers can record where each member's data starts.
    pos: u64,
}

#[derive(Default)]
struct Pending {
    pax: Vec<(String, Vec<u8>)>,
    long_name: Option<Vec<u8>>,
    long_link: Option<Vec<u8>>,
}

impl<R: BufRead> TarReader<R> {
    /// `max_meta` bounds each PAX header and GNU long name/link (they are held in memory).
    pub(crate) fn new(r: R, max_meta: u64) -> Self {
        TarReader {
            r,
            data_left: 0,
            pad_left: 0,
            max_meta,
            finished: false,
            pos: 0,
        }
    }

    /// Offset in the stream of the current member's unread data.
    pub(crate) fn position(&self) -> u64 {
        self.pos
    }

    /// Skips the rest of the current member with `seek` (e.g. `BufReader::seek_relative`)
    /// instead of reading through it.
    pub(crate) fn skip_data_with(
        &mut self,
        seek: impl FnOnce(&mut R, u64) -> io::Result<()>,
    ) -> io::Result<()> {
        let n = self.data_left + self.pad_left;
        if n > 0 {
            seek(&mut self.r, n)?;
            self.pos += n;
        }
        self.data_left = 0;
        self.pad_left = 0;
        Ok(())
    }

    pub(crate) fn into_inner(self) -> R {
        self.r
    }

    /// Advances to the next file member, skipping unread data of the current one. `Ok(None)` at
    /// the end-of-archive marker or at a clean end of stream.
    pub(crate) fn next_entry(&mut self) -> Result<Option<RawEntry>, TarError> {
        if self.finished {
            return Ok(None);
        }
        let skip = self.data_left + self.pad_left;
        self.skip(skip, None)?;
        self.data_left = 0;
        self.pad_left = 0;
        let mut pending = Pending::default();
        loop {
            let mut header = [0u8; BLOCK];
            let got = read_block(&mut self.r, &mut header)?;
            self.pos += BLOCK as u64;
            match got {
                BlockRead::Eof if pending.is_empty() => {
                    self.finished = true;
                    return Ok(None);
                }
                BlockRead::Eof => {
                    return Err(format_err(
                        None,
                        "archive ends after an extended header, before its file",
                    ));
                }
                BlockRead::Partial => {
                    return Err(format_err(
                        None,
                        "archive ends inside a header block (truncated)",
                    ));
                }
                BlockRead::Full => {}
            }
            if header.iter().all(|&b| b == 0) {
                self.finished = true;
                return Ok(None);
            }
            let raw_name = cstr(&header[0..100]).to_vec();
            if !checksum_ok(&header) {
                // The name of a corrupt header is noise; its offset is what helps.
                return Err(format_err(
                    None,
                    format!(
                        "tar header at offset {} has a bad checksum (corrupt, or not a tar stream)",
                        self.pos - BLOCK as u64
                    ),
                ));
            }
            let typeflag = header[156];
            let size = parse_num(&header[124..136])
                .ok_or_else(|| format_err(Some(&raw_name), "invalid size field"))?;
            match typeflag {
                flag::PAX => {
                    let data = self.read_meta(size, &raw_name, "PAX header")?;
                    for (k, v) in parse_pax(&data).map_err(|m| format_err(Some(&raw_name), m))? {
                        // A later record for the same key wins, as in Go.
                        pending.pax.retain(|(key, _)| key != &k);
                        pending.pax.push((k, v));
                    }
                }
                flag::PAX_GLOBAL => {
                    // Global headers set archive-wide defaults that Docker ignores when
                    // extracting; honouring them would make our view differ from the runtime's.
                    self.skip(padded(size), Some(&raw_name))?;
                }
                flag::GNU_LONGNAME => {
                    let mut v = self.read_meta(size, &raw_name, "GNU long name")?;
                    trim_nul(&mut v);
                    pending.long_name = Some(v);
                }
                flag::GNU_LONGLINK => {
                    let mut v = self.read_meta(size, &raw_name, "GNU long link name")?;
                    trim_nul(&mut v);
                    pending.long_link = Some(v);
                }
                _ => {
                    return self
                        .finish_entry(&header, typeflag, size, raw_name, pending)
                        .map(Some)
                }
            }
        }
    }

    fn finish_entry(
        &mut self,
        header: &[u8; BLOCK],
        typeflag: u8,
        size: u64,
        raw_name: Vec<u8>,
        pending: Pending,
    ) -> Result<RawEntry, TarError> {
        let magic = &header[257..263];
        let mut name = raw_name;
        if magic == b"ustar\0" {
            let prefix = cstr(&header[345..500]);
            if !prefix.is_empty() {
                let mut full = prefix.to_vec();
                full.push(b'/');
                full.extend_from_slice(&name);
                name = full;
            }
        }
        let mut e = RawEntry {
            name,
            link: cstr(&header[157..257]).to_vec(),
            typeflag,
            mode: parse_num(&header[100..108]).unwrap_or(0) as u32 & 0o7777,
            uid: parse_num(&header[108..116]).unwrap_or(0),
            gid: parse_num(&header[116..124]).unwrap_or(0),
            stored_size: size,
            size,
            sparse: false,
            xattrs: Vec::new(),
        };
        if let Some(n) = pending.long_name {
            e.name = n;
        }
        if let Some(l) = pending.long_link {
            e.link = l;
        }
        let mut sparse_name = None;
        let mut sparse_real = None;
        for (k, v) in pending.pax {
            let num = |v: &[u8]| -> Result<u64, TarError> {
                let s = std::str::from_utf8(v).unwrap_or("");
                // mtime-style values may carry a fraction; ids and sizes must not.
                s.split('.')
                    .next()
                    .and_then(|i| i.parse::<u64>().ok())
                    .ok_or_else(|| format_err(Some(&e.name), format!("invalid PAX {k} value")))
            };
            match k.as_str() {
                "path" => e.name = v,
                "linkpath" => e.link = v,
                "size" => {
                    e.stored_size = num(&v)?;
                    e.size = e.stored_size;
                }
                "uid" => e.uid = num(&v)?,
                "gid" => e.gid = num(&v)?,
                "GNU.sparse.name" => sparse_name = Some(v),
                "GNU.sparse.realsize" | "GNU.sparse.size" => sparse_real = Some(num(&v)?),
                _ => {
                    if let Some(x) = k.strip_prefix("SCHILY.xattr.") {
                        e.xattrs.push((x.to_string(), v));
                    }
                }
            }
        }
        if let Some(n) = sparse_name {
            e.name = n;
            e.sparse = true;
        }
        if let Some(r) = sparse_real {
            e.size = r;
            e.sparse = true;
        }
        if typeflag == flag::GNU_SPARSE {
            e.sparse = true;
            e.size = parse_num(&header[483..495])
                .ok_or_else(|| format_err(Some(&e.name), "invalid GNU sparse real size"))?;
            // Extension blocks follow the header while the "isextended" byte is set; their
            // entries only describe holes, which we never expand.
            let mut extended = header[482] != 0;
            while extended {
                let mut block = [0u8; BLOCK];
                self.pos += BLOCK as u64;
                if !matches!(read_block(&mut self.r, &mut block)?, BlockRead::Full) {
                    return Err(format_err(
                        Some(&e.name),
                        "archive ends inside a GNU sparse map (truncated)",
                    ));
                }
                extended = block[504] != 0;
            }
        }
        // Like Go's reader: link, device, directory and FIFO members never carry data, whatever
        // their size field says.
        if matches!(
            typeflag,
            flag::LINK | flag::SYMLINK | flag::CHAR | flag::BLOCK | flag::DIR | flag::FIFO
        ) {
            e.stored_size = 0;
            e.size = 0;
        }
        self.data_left = e.stored_size;
        self.pad_left = padded(e.stored_size) - e.stored_size;
        Ok(e)
    }

    /// Reads the current member's data; 0 at its end.
    pub(crate) fn read_data(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data_left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = (self.data_left.min(buf.len() as u64)) as usize;
        let n = self.r.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "archive ends inside a file's data (truncated)",
            ));
        }
        self.data_left -= n as u64;
        self.pos += n as u64;
        Ok(n)
    }

    fn read_meta(&mut self, size: u64, name: &[u8], what: &str) -> Result<Vec<u8>, TarError> {
        if size > self.max_meta {
            return Err(format_err(
                Some(name),
                format!(
                    "{what} of {size} bytes is over the {} byte limit",
                    self.max_meta
                ),
            ));
        }
        let mut v = vec![0u8; size as usize];
        self.pos += size;
        self.r.read_exact(&mut v).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                format_err(
                    Some(name),
                    format!("archive ends inside a {what} (truncated)"),
                )
            } else {
                TarError::Io(e)
            }
        })?;
        self.skip(padded(size) - size, Some(name))?;
        Ok(v)
    }

    /// Skips without copying: the bytes still pass through (and are hashed by) the readers below.
    fn skip(&mut self, mut n: u64, entry: Option<&[u8]>) -> Result<(), TarError> {
        while n > 0 {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Err(format_err(
                    entry,
                    "archive ends inside a file's data (truncated)",
                ));
            }
            let k = (buf.len() as u64).min(n) as usize;
            self.r.consume(k);
            self.pos += k as u64;
            n -= k as u64;
        }
        Ok(())
    }
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.pax.is_empty() && self.long_name.is_none() && self.long_link.is_none()
    }
}

enum BlockRead {
    Full,
    Partial,
    Eof,
}

fn read_block<R: BufRead>(r: &mut R, buf: &mut [u8; BLOCK]) -> io::Result<BlockRead> {
    let mut got = 0;
    while got < BLOCK {
        let n = match r.read(&mut buf[got..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(if got == 0 {
                BlockRead::Eof
            } else {
                BlockRead::Partial
            });
        }
        got += n;
    }
    Ok(BlockRead::Full)
}

fn padded(n: u64) -> u64 {
    n.div_ceil(BLOCK as u64).saturating_mul(BLOCK as u64)
}

fn cstr(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..end]
}

fn trim_nul(v: &mut Vec<u8>) {
    if let Some(p) = v.iter().position(|&b| b == 0) {
        v.truncate(p);
    }
}

fn checksum_ok(h: &[u8; BLOCK]) -> bool {
    let Some(want) = parse_num(&h[148..156]) else {
        return false;
    };
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in h.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += b as u64;
        signed += (b as i8) as i64;
    }
    // Some historic writers summed signed bytes; Go accepts both.
    want == unsigned || want as i64 == signed
}

/// Octal (space/NUL padded) or GNU base-256 numbers. Negative base-256 values are rejected.
pub(crate) fn parse_num(field: &[u8]) -> Option<u64> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            if first == 0xff {
                return None;
            }
            let mut v: u64 = (first & 0x7f) as u64;
            for &b in &field[1..] {
                if v > (u64::MAX >> 8) {
                    return None;
                }
                v = (v << 8) | b as u64;
            }
            return Some(v);
        }
    }
    let s = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ' || b == 0)
        .take_while(|&b| b != b' ' && b != 0);
    let mut v: u64 = 0;
    let mut any = false;
    for b in s {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add((b - b'0') as u64)?;
        any = true;
    }
    if !any {
        return Some(0);
    }
    Some(v)
}

/// `"%d %s=%s\n"` records. Values are raw bytes (xattr values are binary).
fn parse_pax(mut data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    while !data.is_empty() {
        if data.iter().all(|&b| b == 0) {
            break;
        }
        let sp = data
            .iter()
            .position(|&b| b == b' ')
            .ok_or("PAX record without a length")?;
        let len: usize = std::str::from_utf8(&data[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("PAX record with a bad length")?;
        if len <= sp + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err("PAX record length does not match its content".into());
        }
        let rec = &data[sp + 1..len - 1];
        let eq = rec
            .iter()
            .position(|&b| b == b'=')
            .ok_or("PAX record without '='")?;
        let key = String::from_utf8_lossy(&rec[..eq]).into_owned();
        out.push((key, rec[eq + 1..].to_vec()));
        data = &data[len..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_num(b"0000644\0"), Some(0o644));
        assert_eq!(parse_num(b"   17 \0"), Some(0o17));
        assert_eq!(parse_num(b"\0\0\0"), Some(0));
        assert_eq!(
            parse_num(&[0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
            Some(256)
        );
        assert_eq!(parse_num(&[0xff; 12]), None);
        assert_eq!(parse_num(b"99"), None);
    }

    #[test]
    fn pax_records() {
        let r = parse_pax(b"26 SCHILY.xattr.user.x=\x00\x01\n11 path=ab\n").unwrap();
        assert_eq!(r[0].0, "SCHILY.xattr.user.x");
        assert_eq!(r[0].1, vec![0, 1]);
        assert_eq!(r[1], ("path".into(), b"ab".to_vec()));
        assert!(parse_pax(b"99 path=ab\n").is_err());
    }
}
