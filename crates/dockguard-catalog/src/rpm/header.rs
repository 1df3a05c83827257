//! The rpm header blob as stored in every rpm database: `il` and `dl` (big-endian u32), `il`
//! 16-byte index entries (tag, type, offset, count), then `dl` bytes of data. There is no lead
//! and no header magic in the database copy.

use std::fmt;

pub const TAG_NAME: i32 = 1000;
pub const TAG_VERSION: i32 = 1001;
pub const TAG_RELEASE: i32 = 1002;
pub const TAG_EPOCH: i32 = 1003;
pub const TAG_SIZE: i32 = 1009;
pub const TAG_VENDOR: i32 = 1011;
pub const TAG_LICENSE: i32 = 1014;
pub const TAG_ARCH: i32 = 1022;
pub const TAG_SOURCERPM: i32 = 1044;
pub const TAG_MODULARITYLABEL: i32 = 5096;

const TYPE_INT8: u32 = 2;
const TYPE_INT16: u32 = 3;
const TYPE_INT32: u32 = 4;
const TYPE_INT64: u32 = 5;
const TYPE_STRING: u32 = 6;
const TYPE_BIN: u32 = 7;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// rpm's own limits (`HEADER_TAGS_MAX`, `HEADER_DATA_MAX`): anything larger is corrupt.
const MAX_INDEX_ENTRIES: u32 = 0xffff;
const MAX_DATA_LEN: u32 = 0x0fff_ffff;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError(pub String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fields of an installed rpm that inventories and advisories need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpmHeader {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    pub arch: Option<String>,
    pub source_rpm: Option<String>,
    pub license: Option<String>,
    pub vendor: Option<String>,
    pub modularity_label: Option<String>,
    pub size: Option<u64>,
}

impl RpmHeader {
    /// `name-epoch:version-release.arch` as `rpm -qa --qf '%{NAME}-%{EPOCHNUM}:…'` prints it.
    pub fn nevra(&self) -> String {
        format!(
            "{}-{}:{}-{}.{}",
            self.name,
            self.epoch.unwrap_or(0),
            self.version,
            self.release,
            self.arch.as_deref().unwrap_or("(none)")
        )
    }
}

struct Entry {
    tag: i32,
    ty: u32,
    offset: usize,
    count: usize,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Parses one header blob.
pub fn parse(blob: &[u8]) -> Result<RpmHeader, HeaderError> {
    let err = |m: String| HeaderError(m);
    let il = be32(blob, 0).ok_or_else(|| err("header blob shorter than 8 bytes".into()))?;
    let dl = be32(blob, 4).ok_or_else(|| err("header blob shorter than 8 bytes".into()))?;
    if il == 0 || il > MAX_INDEX_ENTRIES {
        return Err(err(format!(
            "header has {il} index entries (allowed 1..={MAX_INDEX_ENTRIES})"
        )));
    }
    if dl > MAX_DATA_LEN {
        return Err(err(format!("header data length {dl} is over rpm's limit")));
    }
    let index_len = il as usize * 16;
    let data_start = 8 + index_len;
    let data_end = data_start + dl as usize;
    if blob.len() < data_end {
        return Err(err(format!(
            "header blob is {} bytes but its index and data need {data_end}",
            blob.len()
        )));
    }
    let data = &blob[data_start..data_end];
    let mut entries = Vec::with_capacity(il as usize);
    for i in 0..il as usize {
        let at = 8 + i * 16;
        let (Some(tag), Some(ty), Some(offset), Some(count)) = (
            be32(blob, at),
            be32(blob, at + 4),
            be32(blob, at + 8),
            be32(blob, at + 12),
        ) else {
            return Err(err(format!("index entry {i} is truncated")));
        };
        entries.push(Entry {
            tag: tag as i32,
            ty,
            offset: offset as usize,
            count: count as usize,
        });
    }
    let find = |tag: i32| entries.iter().find(|e| e.tag == tag);
    let string = |tag: i32| -> Result<Option<String>, HeaderError> {
        let Some(e) = find(tag) else { return Ok(None) };
        if !matches!(e.ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) {
            return Err(err(format!(
                "tag {tag} has type {} where a string was expected",
                e.ty
            )));
        }
        let rest = data
            .get(e.offset..)
            .ok_or_else(|| err(format!("tag {tag} points past the header data")))?;
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| err(format!("tag {tag} string is not NUL-terminated")))?;
        Ok(Some(String::from_utf8_lossy(&rest[..end]).into_owned()))
    };
    let int = |tag: i32| -> Result<Option<u64>, HeaderError> {
        let Some(e) = find(tag) else { return Ok(None) };
        if e.count == 0 {
            return Ok(None);
        }
        let width = match e.ty {
            TYPE_INT8 => 1,
            TYPE_INT16 => 2,
            TYPE_INT32 => 4,
            TYPE_INT64 => 8,
            TYPE_BIN => return Ok(None),
            t => {
                return Err(err(format!(
                    "tag {tag} has type {t} where an integer was expected"
                )))
            }
        };
        let b = data
            .get(e.offset..e.offset.saturating_add(width))
            .ok_or_else(|| err(format!("tag {tag} points past the header data")))?;
        Ok(Some(b.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64)))
    };
    let name = string(TAG_NAME)?.ok_or_else(|| err("header has no NAME tag".into()))?;
    let version =
        string(TAG_VERSION)?.ok_or_else(|| err(format!("package {name} has no VERSION tag")))?;
    let release = string(TAG_RELEASE)?.unwrap_or_default();
    let epoch = int(TAG_EPOCH)?.map(|e| e as u32);
    Ok(RpmHeader {
        name,
        epoch,
        version,
        release,
        arch: string(TAG_ARCH)?,
        source_rpm: string(TAG_SOURCERPM)?,
        license: string(TAG_LICENSE)?,
        vendor: string(TAG_VENDOR)?,
        modularity_label: string(TAG_MODULARITYLABEL)?,
        size: int(TAG_SIZE)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(entries: &[(i32, u32, &[u8])]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut data = Vec::new();
        for (tag, ty, bytes) in entries {
            index.extend_from_slice(&tag.to_be_bytes());
            index.extend_from_slice(&ty.to_be_bytes());
            index.extend_from_slice(&(data.len() as u32).to_be_bytes());
            index.extend_from_slice(&1u32.to_be_bytes());
            data.extend_from_slice(bytes);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(data);
        out
    }

    #[test]
    fn parses_and_rejects_truncation() {
        let b = blob(&[
            (TAG_NAME, TYPE_STRING, b"bash\0"),
            (TAG_VERSION, TYPE_STRING, b"5.1\0"),
            (TAG_RELEASE, TYPE_STRING, b"2.el9\0"),
            (TAG_EPOCH, TYPE_INT32, &3u32.to_be_bytes()),
            (TAG_ARCH, TYPE_STRING, b"x86_64\0"),
        ]);
        let h = parse(&b).unwrap();
        assert_eq!(h.nevra(), "bash-3:5.1-2.el9.x86_64");
        for cut in 0..b.len() {
            assert!(parse(&b[..cut]).is_err());
        }
        let mut huge = b.clone();
        huge[0..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(parse(&huge).is_err());
    }
}
