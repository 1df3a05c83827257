//! The [`FileAnalyzer`] half of the audit: the few small files whose content matters
//! (accounts and the OS release). Everything else the checks need is file metadata, which the
//! image scan records for every entry anyway.
//!
//! Outputs are cached on disk with the layer, so password hashes never enter them: only the
//! names of accounts whose password field is empty.

use dockguard_image::{FileAnalyzer, FileContent, FileEntry, Interest};
use serde::{Deserialize, Serialize};

/// Name under which [`AuditAnalyzer`] outputs appear in a [`dockguard_image::Scan`].
pub const ANALYZER_NAME: &str = "imageaudit";

/// Account files are small; anything bigger is cut rather than trusted.
const MAX_CONTENT: u64 = 1024 * 1024;
/// Bounds the recorded entries of one account file, whatever its line count.
const MAX_ENTRIES: usize = 20_000;

const PATHS: [&str; 5] = [
    "/etc/passwd",
    "/etc/group",
    "/etc/shadow",
    "/etc/os-release",
    "/usr/lib/os-release",
];

/// Reads `/etc/passwd`, `/etc/group`, `/etc/shadow` and `os-release` while the layers stream
/// past. Register it with [`dockguard_image::Image::scan`] next to other analyzers, then call
/// [`crate::findings_from_scan`].
pub struct AuditAnalyzer {
    interest: Interest,
}

impl Default for AuditAnalyzer {
    fn default() -> Self {
        AuditAnalyzer::new()
    }
}

impl AuditAnalyzer {
    pub fn new() -> AuditAnalyzer {
        AuditAnalyzer {
            // The patterns are literals without glob syntax; they cannot fail to compile.
            interest: Interest::paths(PATHS)
                .unwrap_or_default()
                .max_size(MAX_CONTENT),
        }
    }
}

/// One account line: only what the checks use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Account {
    pub name: String,
    pub id: u32,
}

/// What the analyzer records per file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Recorded {
    Passwd {
        users: Vec<Account>,
        /// Users whose password field in `/etc/passwd` itself is empty (no `x`).
        empty_password: Vec<String>,
    },
    Group {
        groups: Vec<Account>,
    },
    Shadow {
        empty_password: Vec<String>,
    },
    OsRelease {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
}

fn lines(data: &[u8]) -> impl Iterator<Item = &str> {
    data.split(|&b| b == b'\n')
        .filter_map(|l| std::str::from_utf8(l).ok())
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(MAX_ENTRIES)
}

/// `name:password:id:…` files (passwd and group share the first three fields).
fn accounts(data: &[u8]) -> (Vec<Account>, Vec<String>) {
    let mut out = Vec::new();
    let mut empty = Vec::new();
    for line in lines(data) {
        let mut f = line.split(':');
        let (Some(name), Some(pw), Some(id)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        // NIS compat lines (`+`, `-name`) are not local accounts.
        if name.is_empty() || name.starts_with('+') || name.starts_with('-') {
            continue;
        }
        let Ok(id) = id.trim().parse::<u32>() else {
            continue;
        };
        if pw.is_empty() {
            empty.push(name.to_string());
        }
        out.push(Account {
            name: name.to_string(),
            id,
        });
    }
    (out, empty)
}

pub(crate) fn parse(path: &str, data: &[u8]) -> Option<Recorded> {
    match path {
        "/etc/passwd" => {
            let (users, empty_password) = accounts(data);
            Some(Recorded::Passwd {
                users,
                empty_password,
            })
        }
        "/etc/group" => Some(Recorded::Group {
            groups: accounts(data).0,
        }),
        "/etc/shadow" => {
            // An empty second field lets anyone log in as that user without a password;
            // `*`, `!`, `!!` and `!hash` are all locked.
            let empty_password = lines(data)
                .filter_map(|l| {
                    let mut f = l.split(':');
                    let name = f.next()?;
                    let pw = f.next()?;
                    (!name.is_empty() && pw.is_empty()).then(|| name.to_string())
                })
                .collect();
            Some(Recorded::Shadow { empty_password })
        }
        "/etc/os-release" | "/usr/lib/os-release" => {
            let mut id = None;
            let mut version_id = None;
            for l in lines(data) {
                let Some((k, v)) = l.split_once('=') else {
                    continue;
                };
                let v = v.trim().trim_matches('"').trim_matches('\'');
                let v: String = v.chars().take(64).collect();
                match k.trim() {
                    "ID" => id = Some(v),
                    "VERSION_ID" => version_id = Some(v),
                    _ => {}
                }
            }
            Some(Recorded::OsRelease { id, version_id })
        }
        _ => None,
    }
}

impl FileAnalyzer for AuditAnalyzer {
    fn name(&self) -> &str {
        ANALYZER_NAME
    }

    fn version(&self) -> &str {
        "1"
    }

    fn interest(&self) -> &Interest {
        &self.interest
    }

    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        let rec = parse(&file.path, content.data)?;
        serde_json::to_value(rec).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_records_only_names_of_empty_passwords() {
        let rec = parse(
            "/etc/shadow",
            b"root:*:19000:0:99999:7:::\nbob::19000::::::\nalice:$6$salt$hash:1::::::\nlocked:!:1::::::\n",
        )
        .unwrap();
        assert_eq!(
            rec,
            Recorded::Shadow {
                empty_password: vec!["bob".into()]
            }
        );
        let json = serde_json::to_string(&rec).unwrap();
        assert!(!json.contains("$6$"));
    }

    #[test]
    fn passwd_skips_garbage_and_nis_lines() {
        let Some(Recorded::Passwd {
            users,
            empty_password,
        }) = parse(
            "/etc/passwd",
            b"root:x:0:0:root:/root:/bin/bash\n+::::::\nbad line\ntoor::0:0::/:/bin/sh\nx:x:notanumber:0::/:\n",
        )
        else {
            panic!("not passwd");
        };
        assert_eq!(
            users,
            vec![
                Account {
                    name: "root".into(),
                    id: 0
                },
                Account {
                    name: "toor".into(),
                    id: 0
                }
            ]
        );
        assert_eq!(empty_password, vec!["toor".to_string()]);
    }

    #[test]
    fn os_release_fields() {
        assert_eq!(
            parse(
                "/usr/lib/os-release",
                b"PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\nVERSION_ID=\"12\"\n"
            ),
            Some(Recorded::OsRelease {
                id: Some("debian".into()),
                version_id: Some("12".into())
            })
        );
        assert_eq!(parse("/etc/hosts", b"x"), None);
    }
}
