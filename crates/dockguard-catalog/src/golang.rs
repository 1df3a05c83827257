//! Go binaries: the build information the Go linker embeds in `.go.buildinfo` — the toolchain
//! version (reported as the `stdlib` package), the main module and every dependency module
//! with its version and `replace` directive.
//!
//! Two layouts exist. Go ≥ 1.18 sets flag bit 2 and stores both strings inline after the
//! 32-byte header as varint-length-prefixed bytes. Older toolchains (the fixture's go1.17.2)
//! store two pointers to Go string headers, which must be resolved through the ELF segments.

use crate::{location, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};
use object::{Object, ObjectSection, ObjectSegment};

const MAGIC: &[u8] = b"\xff Go buildinf:";
const MAX_VERSION_LEN: u64 = 1024;
const MAX_MODINFO_LEN: u64 = 16 << 20;

pub struct GoBinaryCataloger;

impl Cataloger for GoBinaryCataloger {
    fn name(&self) -> &'static str {
        "go-binary"
    }

    fn wants(&self, _path: &str) -> bool {
        false
    }

    fn magic(&self) -> Option<&'static [u8]> {
        Some(b"\x7fELF")
    }

    fn max_size(&self) -> u64 {
        512 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        let info = read_buildinfo(content).map_err(|m| CatalogError::new(path, m))?;
        Ok(packages(path, &info))
    }
}

/// Build information of one binary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// `go1.17.2`, possibly followed by experiment tags.
    pub go_version: String,
    pub main_path: Option<String>,
    pub main: Option<Module>,
    pub deps: Vec<Module>,
    pub settings: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    pub path: String,
    pub version: String,
    pub sum: Option<String>,
    pub replace: Option<Box<Module>>,
}

/// Reads the build information of an ELF Go binary.
pub fn read_buildinfo(content: &[u8]) -> Result<BuildInfo, String> {
    let file = object::File::parse(content).map_err(|e| format!("not a readable ELF file: {e}"))?;
    let section = file
        .section_by_name(".go.buildinfo")
        .ok_or("no .go.buildinfo section (not a Go binary, or built before go1.13)")?;
    let data = section
        .data()
        .map_err(|e| format!(".go.buildinfo unreadable: {e}"))?;
    if data.len() < 32 || !data.starts_with(MAGIC) {
        return Err(".go.buildinfo does not start with the build info magic".into());
    }
    let ptr_size = data[14] as usize;
    let flags = data[15];
    let (version, modinfo) = if flags & 2 != 0 {
        inline_strings(data)?
    } else {
        if ptr_size != 4 && ptr_size != 8 {
            return Err(format!("invalid pointer size {ptr_size} in build info"));
        }
        let big = flags & 1 != 0;
        let at = |off: usize| read_uint(data.get(off..off + ptr_size), big);
        let vptr = at(16).ok_or("truncated build info header")?;
        let mptr = at(16 + ptr_size).ok_or("truncated build info header")?;
        let v = go_string(&file, vptr, ptr_size, big, MAX_VERSION_LEN)?;
        let m = go_string(&file, mptr, ptr_size, big, MAX_MODINFO_LEN)?;
        (v, m)
    };
    let version = String::from_utf8_lossy(&version).into_owned();
    if version.is_empty() {
        return Err("build info has an empty Go version".into());
    }
    Ok(parse_modinfo(&version, &strip_sentinels(&modinfo)))
}

/// The go1.18+ layout: version and modinfo stored inline after the 32-byte header.
pub fn inline_strings(section: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut rest = section.get(32..).ok_or("truncated build info header")?;
    let v = varint_string(&mut rest, MAX_VERSION_LEN)?;
    let m = varint_string(&mut rest, MAX_MODINFO_LEN)?;
    Ok((v, m))
}

fn read_uint(b: Option<&[u8]>, big: bool) -> Option<u64> {
    let b = b?;
    let mut v = 0u64;
    if big {
        for &x in b {
            v = (v << 8) | x as u64;
        }
    } else {
        for &x in b.iter().rev() {
            v = (v << 8) | x as u64;
        }
    }
    Some(v)
}

fn varint_string(rest: &mut &[u8], max: u64) -> Result<Vec<u8>, String> {
    let mut len = 0u64;
    let mut shift = 0;
    loop {
        let (&b, tail) = rest.split_first().ok_or("truncated varint in build info")?;
        *rest = tail;
        if shift > 63 {
            return Err("overlong varint in build info".into());
        }
        len |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    if len > max || len > rest.len() as u64 {
        return Err(format!(
            "build info string of {len} bytes is truncated or too long"
        ));
    }
    let (s, tail) = rest.split_at(len as usize);
    *rest = tail;
    Ok(s.to_vec())
}

/// Bytes at a virtual address, from whichever segment (or section) maps it.
fn read_addr<'a>(file: &object::File<'a>, addr: u64, size: u64) -> Result<&'a [u8], String> {
    for seg in file.segments() {
        if let Ok(Some(d)) = seg.data_range(addr, size) {
            return Ok(d);
        }
    }
    for sec in file.sections() {
        if let Ok(Some(d)) = sec.data_range(addr, size) {
            return Ok(d);
        }
    }
    Err(format!(
        "address {addr:#x} (+{size}) is not in any loaded segment"
    ))
}

/// A Go string header `{ptr, len}` at `addr`, and the bytes it points to.
fn go_string(
    file: &object::File<'_>,
    addr: u64,
    ptr: usize,
    big: bool,
    max: u64,
) -> Result<Vec<u8>, String> {
    let hdr = read_addr(file, addr, 2 * ptr as u64)?;
    let data = read_uint(Some(&hdr[..ptr]), big).unwrap_or(0);
    let len = read_uint(Some(&hdr[ptr..2 * ptr]), big).unwrap_or(0);
    if len > max {
        return Err(format!(
            "build info string of {len} bytes is over the limit"
        ));
    }
    if len == 0 {
        return Ok(Vec::new());
    }
    Ok(read_addr(file, data, len)?.to_vec())
}

/// The linker wraps modinfo in two 16-byte sentinels so `runtime/debug` can find it.
fn strip_sentinels(m: &[u8]) -> String {
    let s = if m.len() >= 33 && m[m.len() - 17] == b'\n' {
        &m[16..m.len() - 16]
    } else {
        m
    };
    String::from_utf8_lossy(s).into_owned()
}

/// Parses the module lines (`path`, `mod`, `dep`, `=>`, `build`) of `runtime/debug.BuildInfo`.
pub fn parse_modinfo(go_version: &str, modinfo: &str) -> BuildInfo {
    let mut info = BuildInfo {
        go_version: go_version.trim().to_string(),
        ..BuildInfo::default()
    };
    let module = |f: &[&str]| Module {
        path: f.get(1).unwrap_or(&"").to_string(),
        version: f.get(2).unwrap_or(&"").to_string(),
        sum: f.get(3).map(|s| s.to_string()),
        replace: None,
    };
    for line in modinfo.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "path" if f.len() >= 2 => info.main_path = Some(f[1].to_string()),
            "mod" if f.len() >= 3 => info.main = Some(module(&f)),
            "dep" if f.len() >= 3 => info.deps.push(module(&f)),
            "=>" if f.len() >= 2 => {
                // Applies to the module line just before it.
                let target = match info.deps.last_mut() {
                    Some(d) => Some(d),
                    None => info.main.as_mut(),
                };
                if let Some(t) = target {
                    t.replace = Some(Box::new(module(&f)));
                }
            }
            "build" if f.len() >= 2 => {
                let kv = f[1..].join("\t");
                if let Some((k, v)) = kv.split_once('=') {
                    info.settings.push((k.to_string(), v.to_string()));
                }
            }
            _ => {}
        }
    }
    info
}

/// Toolchain version as OSV's `stdlib` uses it: `go1.17.2` → `1.17.2`.
pub fn stdlib_version(go_version: &str) -> Option<String> {
    let first = go_version.split_whitespace().next()?;
    let v = first.strip_prefix("go")?;
    v.chars().next().filter(|c| c.is_ascii_digit())?;
    Some(v.to_string())
}

pub fn packages(path: &str, info: &BuildInfo) -> Vec<Package> {
    let mut out = Vec::new();
    let mut std = Package::new(
        PackageKind::GoStdlib,
        "stdlib",
        stdlib_version(&info.go_version).unwrap_or_else(|| info.go_version.clone()),
    );
    if stdlib_version(&info.go_version).is_none() {
        std.unmatchable = Some(format!(
            "toolchain version {:?} is not a release",
            info.go_version
        ));
    }
    std.metadata
        .insert("go_version".into(), info.go_version.clone());
    std.locations.push(location(path));
    out.push(std);
    let mut push = |m: &Module, main: bool| {
        if m.path.is_empty() {
            return;
        }
        let (name, version) = match &m.replace {
            Some(r) if !r.version.is_empty() => (r.path.clone(), r.version.clone()),
            _ => (m.path.clone(), m.version.clone()),
        };
        let mut p = Package::new(PackageKind::GoModule, name, version.clone());
        if let Some(r) = &m.replace {
            p.metadata
                .insert("replaces".into(), format!("{} {}", m.path, m.version));
            if r.version.is_empty() {
                p.unmatchable = Some(format!("replaced by local directory {}", r.path));
            }
        }
        if main {
            p.metadata.insert("main_module".into(), "true".into());
            if version == "(devel)" || version.is_empty() {
                p.unmatchable = Some(
                    "main module built from a source checkout: (devel) is not a release".into(),
                );
            }
        }
        if let Some(s) = m
            .replace
            .as_ref()
            .and_then(|r| r.sum.clone())
            .or_else(|| m.sum.clone())
        {
            p.metadata.insert("h1".into(), s);
        }
        p.locations.push(location(path));
        out.push(p);
    };
    if let Some(m) = &info.main {
        push(m, true);
    }
    for d in &info.deps {
        push(d, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modinfo_with_replace() {
        let m = "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/sys\tv0.1.0\th1:abc=\ndep\tgithub.com/a/b\tv1.0.0\th1:x=\n=>\tgithub.com/fork/b\tv1.0.1\th1:y=\ndep\tgithub.com/c/d\tv1.2.0\n=>\t../d\t\t\nbuild\tGOOS=linux\n";
        let info = parse_modinfo("go1.21.5", m);
        let p = packages("usr/bin/app", &info);
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.unmatchable.is_some()))
            .collect();
        assert_eq!(
            got,
            [
                ("stdlib", "1.21.5", false),
                ("example.com/app", "(devel)", true),
                ("golang.org/x/sys", "v0.1.0", false),
                ("github.com/fork/b", "v1.0.1", false),
                ("github.com/c/d", "v1.2.0", true),
            ]
        );
        assert_eq!(p[3].metadata["replaces"], "github.com/a/b v1.0.0");
        assert_eq!(stdlib_version("devel go1.22-abc"), None);
    }

    #[test]
    fn inline_layout_of_go_1_18_and_later() {
        let modinfo =
            "path\tex.com/m\nmod\tex.com/m\tv1.0.0\th1:x=\ndep\tgolang.org/x/text\tv0.3.7\th1:y=\n";
        let mut wrapped = vec![0x30u8; 16];
        wrapped.extend_from_slice(modinfo.as_bytes());
        wrapped.extend_from_slice(&[0xf9u8; 16]);
        let mut sec = MAGIC.to_vec();
        sec.extend_from_slice(&[8, 2]);
        sec.resize(32, 0);
        sec.push(8);
        sec.extend_from_slice(b"go1.21.5");
        // 2-byte varint: the length is over 127.
        let n = wrapped.len() + 100;
        wrapped.resize(n, b'\n');
        sec.extend_from_slice(&[(n as u8 & 0x7f) | 0x80, (n >> 7) as u8]);
        sec.extend_from_slice(&wrapped);
        let (v, m) = inline_strings(&sec).unwrap();
        assert_eq!(v, b"go1.21.5");
        let info = parse_modinfo("go1.21.5", &String::from_utf8_lossy(&m));
        assert_eq!(info.main.unwrap().version, "v1.0.0");
        assert_eq!(info.deps[0].path, "golang.org/x/text");
        for cut in 0..sec.len() {
            let _ = inline_strings(&sec[..cut]);
        }
        assert!(inline_strings(&sec[..40]).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read_buildinfo(b"\x7fELF\x02\x01\x01").is_err());
        assert!(read_buildinfo(b"").is_err());
    }
}
