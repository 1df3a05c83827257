//! Which distribution an image is: `os-release` first, then the distribution-specific release
//! files that images without `os-release` (old Alpine, minimal Debian, CentOS 6) still carry.

use crate::text::{lossy, unquote};
use serde::{Deserialize, Serialize};

/// The files we read, most authoritative first.
const FILES: [&str; 5] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    "etc/redhat-release",
];

/// The operating system of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distro {
    /// `os-release` `ID`: `debian`, `alpine`, `rhel`, `centos`, `mariner`, `sles`, …
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_like: Vec<String>,
}

/// Whether `path` is one of the release files.
pub fn wants(path: &str) -> bool {
    let path = crate::normalize(path);
    FILES.contains(&path)
}

impl Distro {
    /// The distribution described by the release files among `files` (paths relative to the
    /// root); `None` when there are none or none can be understood.
    pub fn detect(files: &[(&str, &[u8])]) -> Option<Distro> {
        for name in FILES {
            let Some((_, content)) = files.iter().find(|(p, _)| crate::normalize(p) == name) else {
                continue;
            };
            let found = match name {
                "etc/os-release" | "usr/lib/os-release" => parse_os_release(content),
                "etc/alpine-release" => parse_alpine_release(content),
                "etc/debian_version" => parse_debian_version(content),
                _ => parse_redhat_release(content),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// `distro=` purl qualifier value, e.g. `debian-12`, `alpine-3.10.4`.
    pub fn purl_qualifier(&self) -> String {
        match &self.version_id {
            Some(v) => format!("{}-{}", self.id, v),
            None => self.id.clone(),
        }
    }

    /// OSV ecosystem of this release's OS packages, where OSV publishes one.
    pub fn osv_ecosystem(&self) -> Option<String> {
        let v = self.version_id.as_deref()?;
        let major = v.split('.').next().unwrap_or(v);
        match self.id.as_str() {
            "debian" => Some(format!("Debian:{major}")),
            "alpine" => {
                let minor: Vec<&str> = v.split('.').take(2).collect();
                Some(format!("Alpine:v{}", minor.join(".")))
            }
            "almalinux" => Some(format!("AlmaLinux:{major}")),
            "rocky" => Some(format!("Rocky Linux:{major}")),
            _ => None,
        }
    }
}

/// `KEY=value` lines with shell-style quoting (os-release(5)).
pub fn parse_os_release(content: &[u8]) -> Option<Distro> {
    let text = lossy(content);
    let mut d = Distro::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = unescape(unquote(v));
        if v.is_empty() {
            continue;
        }
        match k.trim() {
            "ID" => d.id = v.to_ascii_lowercase(),
            "VERSION_ID" => d.version_id = Some(v),
            "VERSION_CODENAME" => d.codename = Some(v),
            "PRETTY_NAME" => d.pretty = Some(v),
            "ID_LIKE" => d.id_like = v.split_whitespace().map(str::to_string).collect(),
            _ => {}
        }
    }
    (!d.id.is_empty()).then_some(d)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn first_line(content: &[u8]) -> Option<String> {
    let text = lossy(content);
    let line = text.lines().next()?.trim().to_string();
    (!line.is_empty() && line.len() < 256).then_some(line)
}

pub fn parse_alpine_release(content: &[u8]) -> Option<Distro> {
    let v = first_line(content)?;
    Some(Distro {
        id: "alpine".into(),
        pretty: Some(format!("Alpine Linux v{v}")),
        version_id: Some(v),
        ..Distro::default()
    })
}

/// `12.4` → version 12; `bookworm/sid` (testing) has no number, only a codename.
pub fn parse_debian_version(content: &[u8]) -> Option<Distro> {
    let v = first_line(content)?;
    let mut d = Distro {
        id: "debian".into(),
        ..Distro::default()
    };
    let major = v.split('.').next().unwrap_or("");
    if !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()) {
        d.version_id = Some(major.to_string());
        d.pretty = Some(format!("Debian GNU/Linux {major}"));
    } else {
        d.codename = v.split('/').next().map(str::to_string);
    }
    Some(d)
}

/// `CentOS Linux release 7.9.2009 (Core)`, `Red Hat Enterprise Linux release 8.5 (Ootpa)`.
pub fn parse_redhat_release(content: &[u8]) -> Option<Distro> {
    let line = first_line(content)?;
    let lower = line.to_ascii_lowercase();
    let id = [
        ("centos", "centos"),
        ("red hat", "rhel"),
        ("fedora", "fedora"),
        ("rocky", "rocky"),
        ("almalinux", "almalinux"),
        ("oracle", "ol"),
        ("amazon", "amzn"),
    ]
    .iter()
    .find(|(needle, _)| lower.contains(needle))
    .map(|(_, id)| id.to_string())?;
    let version = lower
        .split_once(" release ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .map(str::to_string);
    let codename = line
        .rsplit_once('(')
        .and_then(|(_, c)| c.strip_suffix(')'))
        .map(str::to_string);
    Some(Distro {
        id,
        version_id: version,
        codename,
        pretty: Some(line),
        ..Distro::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_wins_and_is_unquoted() {
        let osr = b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";
        let d =
            Distro::detect(&[("/etc/debian_version", b"12.4\n"), ("etc/os-release", osr)]).unwrap();
        assert_eq!(d.id, "debian");
        assert_eq!(d.version_id.as_deref(), Some("12"));
        assert_eq!(d.codename.as_deref(), Some("bookworm"));
        assert_eq!(d.pretty.as_deref(), Some("Debian GNU/Linux 12 (bookworm)"));
        assert_eq!(d.purl_qualifier(), "debian-12");
        assert_eq!(d.osv_ecosystem().as_deref(), Some("Debian:12"));
    }

    #[test]
    fn fallbacks() {
        let d = Distro::detect(&[("etc/alpine-release", b"3.10.4\n")]).unwrap();
        assert_eq!(d.purl_qualifier(), "alpine-3.10.4");
        assert_eq!(d.osv_ecosystem().as_deref(), Some("Alpine:v3.10"));
        let d = Distro::detect(&[("etc/debian_version", b"bookworm/sid\n")]).unwrap();
        assert_eq!(
            (d.version_id, d.codename.as_deref()),
            (None, Some("bookworm"))
        );
        let d = Distro::detect(&[(
            "etc/redhat-release",
            b"CentOS Linux release 7.9.2009 (Core)\n",
        )])
        .unwrap();
        assert_eq!(d.id, "centos");
        assert_eq!(d.version_id.as_deref(), Some("7.9.2009"));
        assert_eq!(d.codename.as_deref(), Some("Core"));
        assert!(Distro::detect(&[("etc/os-release", b"garbage\n\x00\xff")]).is_none());
        assert!(wants("/etc/os-release") && !wants("etc/os-release.bak"));
    }
}
