//! Read-only reader of the Berkeley DB *hash* files rpm < 4.16 kept as `Packages`.
//!
//! We do not walk the hash buckets: every hash page is visited in file order and each value
//! item is taken. Values are rpm header blobs, nearly always too large for a page, so they sit
//! on chains of overflow pages referenced by `H_OFFPAGE` items. Layout facts (from the Berkeley
//! DB on-disk format documentation): 72-byte generic metadata page at offset 0 (magic at 12,
//! page size at 20, type at 25, last page at 32), 26-byte page headers (entries at 20, free
//! offset at 22, type at 25), host byte order throughout.

const HASH_MAGIC: u32 = 0x0006_1561;
const DB_TYPE_HASH: u8 = 8;
const PAGE_HEADER: usize = 26;
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASH: u8 = 13;
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;

/// No rpm header is anywhere near this; a longer overflow chain is corrupt or hostile.
const MAX_VALUE_LEN: usize = 64 << 20;

/// A stored `(key, value)` pair.
pub type KeyValue = (Vec<u8>, Vec<u8>);

#[derive(Clone, Copy)]
struct Reader<'a> {
    data: &'a [u8],
    big_endian: bool,
    page_size: usize,
}

impl<'a> Reader<'a> {
    fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.data.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn page(&self, no: u32) -> Option<&'a [u8]> {
        let start = (no as usize).checked_mul(self.page_size)?;
        self.data.get(start..start.checked_add(self.page_size)?)
    }
}

/// Whether `data` starts like a Berkeley DB hash file.
pub fn is_bdb_hash(data: &[u8]) -> bool {
    let Some(m) = data.get(12..16) else {
        return false;
    };
    let le = u32::from_le_bytes([m[0], m[1], m[2], m[3]]);
    let be = u32::from_be_bytes([m[0], m[1], m[2], m[3]]);
    le == HASH_MAGIC || be == HASH_MAGIC
}

/// Every `(key, value)` stored in the hash file, in page order. Only keys stored on the page
/// are returned; an off-page key comes back empty.
pub fn values(data: &[u8]) -> Result<Vec<KeyValue>, String> {
    let magic = data
        .get(12..16)
        .ok_or("file is shorter than a Berkeley DB metadata page")?;
    let big_endian = if u32::from_le_bytes([magic[0], magic[1], magic[2], magic[3]]) == HASH_MAGIC {
        false
    } else if u32::from_be_bytes([magic[0], magic[1], magic[2], magic[3]]) == HASH_MAGIC {
        true
    } else {
        return Err("not a Berkeley DB hash file (bad magic)".into());
    };
    let mut r = Reader {
        data,
        big_endian,
        page_size: 0,
    };
    let page_size = r.u32(20).ok_or("truncated metadata page")? as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("invalid Berkeley DB page size {page_size}"));
    }
    r.page_size = page_size;
    if data.get(25) != Some(&DB_TYPE_HASH) {
        return Err("Berkeley DB file is not of hash type".into());
    }
    if data.get(24).is_some_and(|&e| e != 0) {
        return Err("encrypted Berkeley DB files are not supported".into());
    }
    let last_page = r.u32(32).ok_or("truncated metadata page")?;
    let pages_in_file = (data.len() / page_size) as u32;
    if pages_in_file == 0 || last_page >= pages_in_file {
        return Err(format!(
            "metadata says the last page is {last_page} but the file holds {pages_in_file} pages"
        ));
    }
    let mut out = Vec::new();
    for no in 1..=last_page {
        let page = r
            .page(no)
            .ok_or_else(|| format!("page {no} is truncated"))?;
        let ty = page[25];
        if ty != P_HASH && ty != P_HASH_UNSORTED {
            continue;
        }
        let base = no as usize * page_size;
        let entries = r.u16(base + 20).unwrap_or(0) as usize;
        if PAGE_HEADER + entries * 2 > page_size {
            return Err(format!(
                "hash page {no} claims {entries} entries, more than fit"
            ));
        }
        let offset = |i: usize| r.u16(base + PAGE_HEADER + 2 * i).map(|o| o as usize);
        // Items alternate key, value; values are the odd ones.
        for i in (1..entries).step_by(2) {
            let Some(off) = offset(i) else { break };
            if off >= page_size {
                return Err(format!(
                    "hash page {no} item {i} offset {off} is outside the page"
                ));
            }
            let prev = if i >= 2 { offset(i - 2) } else { None };
            let key = item_inline(page, offset(i - 1), prev, page_size);
            match page[off] {
                H_OFFPAGE => {
                    let pgno = r.u32(base + off + 4).ok_or("truncated off-page item")?;
                    let len = r.u32(base + off + 8).ok_or("truncated off-page item")? as usize;
                    out.push((key, overflow_chain(&r, pgno, len, last_page)?));
                }
                H_KEYDATA => {
                    // Items are packed from the end of the page down: an item ends where the
                    // previous one in index order starts.
                    let end = if i == 0 {
                        page_size
                    } else {
                        offset(i - 1).unwrap_or(page_size)
                    };
                    if end <= off || end > page_size {
                        return Err(format!("hash page {no} item {i} has a bad length"));
                    }
                    out.push((key, page[off + 1..end].to_vec()));
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Bytes of an inline (`H_KEYDATA`) item that starts at `off` and ends where the item before it
/// in index order starts (`prev`), or the page end for the first item.
fn item_inline(page: &[u8], off: Option<usize>, prev: Option<usize>, page_size: usize) -> Vec<u8> {
    let Some(off) = off else { return Vec::new() };
    let end = prev.unwrap_or(page_size).min(page_size);
    if off >= end || page.get(off) != Some(&H_KEYDATA) {
        return Vec::new();
    }
    page[off + 1..end].to_vec()
}

fn overflow_chain(
    r: &Reader<'_>,
    first: u32,
    len: usize,
    last_page: u32,
) -> Result<Vec<u8>, String> {
    if len > MAX_VALUE_LEN {
        return Err(format!(
            "value of {len} bytes is over the {MAX_VALUE_LEN}-byte limit"
        ));
    }
    let mut out = Vec::with_capacity(len);
    let mut no = first;
    let mut visited = 0u32;
    while no != 0 && out.len() < len {
        if no > last_page || visited > last_page {
            return Err(format!(
                "overflow chain from page {first} leaves the file or loops"
            ));
        }
        visited += 1;
        let page = r
            .page(no)
            .ok_or_else(|| format!("overflow page {no} is truncated"))?;
        if page[25] != P_OVERFLOW {
            return Err(format!(
                "page {no} in an overflow chain is not an overflow page"
            ));
        }
        let base = no as usize * r.page_size;
        // On overflow pages the "free offset" field holds the bytes used on the page.
        let used = r.u16(base + 22).unwrap_or(0) as usize;
        let take = used.min(r.page_size - PAGE_HEADER).min(len - out.len());
        out.extend_from_slice(&page[PAGE_HEADER..PAGE_HEADER + take]);
        no = r.u32(base + 16).unwrap_or(0);
    }
    if out.len() != len {
        return Err(format!(
            "overflow chain from page {first} holds {} of {len} bytes",
            out.len()
        ));
    }
    Ok(out)
}
