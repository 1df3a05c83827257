//! Just enough of the package-URL spec to compare a statement's purl with a finding's.

/// The parts of a purl that identify a package, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Purl {
    ty: String,
    namespace: String,
    name: String,
    version: Option<String>,
    qualifiers: Vec<(String, String)>,
}

impl Purl {
    pub(crate) fn parse(text: &str) -> Option<Purl> {
        let rest = text.trim().strip_prefix("pkg:")?;
        let rest = rest.trim_start_matches('/');
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => (r, q),
            None => (rest, ""),
        };
        let (path, version) = match rest.rsplit_once('@') {
            Some((p, v)) if !v.contains('/') => (p, Some(decode(v))),
            _ => (rest, None),
        };
        let (ty, path) = path.split_once('/')?;
        let path = path.trim_end_matches('/');
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => (ns, n),
            None => ("", path),
        };
        if ty.is_empty() || name.is_empty() {
            return None;
        }
        let mut qs: Vec<(String, String)> = qualifiers
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), decode(v)))
            .collect();
        qs.sort();
        Some(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: namespace
                .split('/')
                .map(decode)
                .collect::<Vec<_>>()
                .join("/"),
            name: decode(name),
            version: version.filter(|v| !v.is_empty()),
            qualifiers: qs,
        })
    }

    /// Whether `self`, as written in a VEX statement or ignore entry, names `candidate`:
    /// no version matches every version, and only the qualifiers the statement gives are
    /// compared (so `pkg:deb/debian/openssl` covers every architecture and release).
    pub(crate) fn covers(&self, candidate: &Purl) -> bool {
        if self.ty != candidate.ty
            || !self.namespace.eq_ignore_ascii_case(&candidate.namespace)
            || !names_equal(&self.ty, &self.name, &candidate.name)
        {
            return false;
        }
        if let Some(v) = &self.version {
            if candidate.version.as_ref() != Some(v) {
                return false;
            }
        }
        self.qualifiers
            .iter()
            .all(|q| candidate.qualifiers.iter().any(|c| c == q))
    }
}

/// Package managers that treat names case-insensitively compare that way.
fn names_equal(ty: &str, a: &str, b: &str) -> bool {
    match ty {
        "pypi" => normalise_pypi(a) == normalise_pypi(b),
        "npm" | "deb" | "apk" | "golang" | "github" | "bitbucket" => a.eq_ignore_ascii_case(b),
        _ => a == b,
    }
}

fn normalise_pypi(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Percent-decoding; malformed escapes are kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(rule: &str, purl: &str) -> bool {
        Purl::parse(rule)
            .unwrap()
            .covers(&Purl::parse(purl).unwrap())
    }

    #[test]
    fn versionless_purl_covers_every_version_and_qualifier() {
        let found = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
        assert!(covers("pkg:deb/debian/libssl3", found));
        assert!(covers("pkg:deb/debian/libssl3@3.0.11-1~deb12u2", found));
        assert!(covers("pkg:deb/debian/libssl3?arch=amd64", found));
        assert!(!covers("pkg:deb/debian/libssl3@3.0.11-1~deb12u1", found));
        assert!(!covers("pkg:deb/debian/libssl3?arch=arm64", found));
        assert!(!covers("pkg:deb/debian/openssl", found));
        assert!(!covers("pkg:rpm/debian/libssl3", found));
    }

    #[test]
    fn decodes_and_normalises_names() {
        assert!(covers("pkg:npm/%40babel/core", "pkg:npm/@babel/core@7.0.0"));
        assert!(covers("pkg:pypi/Django_Rest", "pkg:pypi/django-rest@1.0"));
        assert!(covers(
            "pkg:golang/github.com/foo/bar",
            "pkg:golang/github.com/foo/bar@v1.2.3"
        ));
        assert!(Purl::parse("not a purl").is_none());
        assert!(Purl::parse("pkg:").is_none());
        assert!(Purl::parse("pkg:npm/%zz%4").is_some());
        assert!(Purl::parse("pkg:npm/é%").is_some());
    }
}
