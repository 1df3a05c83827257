//! Read-only reader of rpm's own "ndb" package database (`Packages.db`, SUSE since 15 SP3).
//!
//! Layout (rpm `lib/backend/ndb/rpmpkg.c`, little-endian): a 32-byte header (`RpmP`, version,
//! generation, number of slot pages), then slot entries of 16 bytes (`Slot`, package index,
//! block offset, block count) filling the slot pages; each non-empty slot points at a blob of
//! 16-byte blocks that starts with a 16-byte blob header (`BlbS`, package index, checksum,
//! length) followed by the rpm header.

const HEADER_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_MAGIC: &[u8; 4] = b"BlbS";
const SLOT_PAGE_SIZE: usize = 4096;
const SLOT_SIZE: usize = 16;
const BLOCK_SIZE: usize = 16;
/// The header takes the place of the first two slots.
const FIRST_SLOT: usize = 2;
const MAX_SLOT_PAGES: usize = 4096;
const MAX_BLOB_LEN: usize = 64 << 20;

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub fn is_ndb(data: &[u8]) -> bool {
    data.starts_with(HEADER_MAGIC)
}

/// `(package index, header blob)` for every installed package, in slot order.
pub fn blobs(data: &[u8]) -> Result<Vec<(u32, &[u8])>, String> {
    if !is_ndb(data) {
        return Err("not an rpm ndb database (bad magic)".into());
    }
    let version = le32(data, 4).ok_or("truncated header")?;
    if version != 0 {
        return Err(format!("unsupported ndb version {version}"));
    }
    let slot_pages = le32(data, 12).ok_or("truncated header")? as usize;
    if slot_pages == 0 || slot_pages > MAX_SLOT_PAGES {
        return Err(format!("implausible number of slot pages: {slot_pages}"));
    }
    let slot_end = slot_pages * SLOT_PAGE_SIZE;
    if data.len() < slot_end {
        return Err(format!(
            "file is {} bytes but its {slot_pages} slot page(s) need {slot_end}",
            data.len()
        ));
    }
    let mut out = Vec::new();
    for slot in FIRST_SLOT..slot_end / SLOT_SIZE {
        let at = slot * SLOT_SIZE;
        if &data[at..at + 4] != SLOT_MAGIC {
            return Err(format!("slot {slot} has a bad magic"));
        }
        let pkg = le32(data, at + 4).unwrap_or(0);
        if pkg == 0 {
            continue;
        }
        let blk_off = le32(data, at + 8).unwrap_or(0) as usize;
        let blk_cnt = le32(data, at + 12).unwrap_or(0) as usize;
        let start = blk_off * BLOCK_SIZE;
        let span = blk_cnt * BLOCK_SIZE;
        if start < slot_end
            || !(BLOCK_SIZE..=MAX_BLOB_LEN).contains(&span)
            || start + span > data.len()
        {
            return Err(format!(
                "slot {slot} (package {pkg}) points outside the blob area"
            ));
        }
        let blob = &data[start..start + span];
        if &blob[..4] != BLOB_MAGIC || le32(blob, 4) != Some(pkg) {
            return Err(format!("blob of package {pkg} has a bad header"));
        }
        let len = le32(blob, 12).unwrap_or(0) as usize;
        if BLOCK_SIZE + len > span {
            return Err(format!(
                "blob of package {pkg} is longer than its {blk_cnt} blocks"
            ));
        }
        out.push((pkg, &blob[BLOCK_SIZE..BLOCK_SIZE + len]));
    }
    Ok(out)
}
