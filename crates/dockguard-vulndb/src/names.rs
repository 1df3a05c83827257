//! Canonical ecosystem and package names, applied identically when indexing advisories and when
//! looking packages up, so `Ubuntu:22.04` finds `Ubuntu:22.04:LTS` records and `Foo_Bar` finds
//! PyPI's `foo-bar`.

/// Canonical form of an OSV ecosystem: known names in their OSV spelling, distribution releases
/// reduced to the granularity OSV uses (`Debian:12.5` → `Debian:12`, `Alpine:3.19.1` →
/// `Alpine:v3.19`, `AlmaLinux:9.3` → `AlmaLinux:9`), Ubuntu's `:LTS` marker dropped.
pub fn normalize_ecosystem(ecosystem: &str) -> String {
    let ecosystem = ecosystem.trim();
    let (base, release) = match ecosystem.split_once(':') {
        Some((b, r)) => (b.trim(), Some(r.trim())),
        None => (ecosystem, None),
    };
    const KNOWN: [&str; 22] = [
        "AlmaLinux",
        "Alpine",
        "Bitnami",
        "Chainguard",
        "crates.io",
        "Debian",
        "Go",
        "Hex",
        "Mageia",
        "Maven",
        "npm",
        "NuGet",
        "openSUSE",
        "Packagist",
        "Pub",
        "PyPI",
        "Red Hat",
        "Rocky Linux",
        "RubyGems",
        "SUSE",
        "Ubuntu",
        "Wolfi",
    ];
    let base = KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(base))
        .map_or_else(|| base.to_string(), |k| k.to_string());
    let Some(release) = release.filter(|r| !r.is_empty()) else {
        return base;
    };
    let major_minor = |r: &str| r.split('.').take(2).collect::<Vec<_>>().join(".");
    let release = match base.as_str() {
        "Debian" | "AlmaLinux" | "Rocky Linux" => {
            if release.starts_with(|c: char| c.is_ascii_digit()) {
                release.split('.').next().unwrap_or(release).to_string()
            } else {
                release.to_string()
            }
        }
        "Alpine" => {
            let r = release.strip_prefix('v').unwrap_or(release);
            if r.starts_with(|c: char| c.is_ascii_digit()) {
                format!("v{}", major_minor(r))
            } else {
                release.to_string()
            }
        }
        "Ubuntu" => release.strip_suffix(":LTS").unwrap_or(release).to_string(),
        _ => release.to_string(),
    };
    format!("{base}:{release}")
}

/// Canonical package name within an (already normalised) ecosystem.
pub fn normalize_name(ecosystem: &str, name: &str) -> String {
    let name = name.trim();
    match ecosystem.split(':').next().unwrap_or("") {
        // PEP 503: case-insensitive, runs of `-`, `_`, `.` are one separator.
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.extend(c.to_lowercase());
                }
            }
            out
        }
        "npm" | "NuGet" | "Packagist" | "crates.io" | "Hex" | "Pub" => name.to_ascii_lowercase(),
        // Maven coordinates are case-sensitive but some producers write `group/artifact`.
        "Maven" => name.replacen('/', ":", 1),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems() {
        assert_eq!(normalize_ecosystem("Debian:12"), "Debian:12");
        assert_eq!(normalize_ecosystem("debian:12.5"), "Debian:12");
        assert_eq!(normalize_ecosystem("Alpine:3.19.1"), "Alpine:v3.19");
        assert_eq!(normalize_ecosystem("Alpine:v3.10"), "Alpine:v3.10");
        assert_eq!(normalize_ecosystem("Ubuntu:22.04:LTS"), "Ubuntu:22.04");
        assert_eq!(normalize_ecosystem("AlmaLinux:9.3"), "AlmaLinux:9");
        assert_eq!(normalize_ecosystem("pypi"), "PyPI");
        assert_eq!(normalize_ecosystem("SomethingNew:1"), "SomethingNew:1");
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("PyPI", "Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(normalize_name("npm", "@Scope/Pkg"), "@scope/pkg");
        assert_eq!(
            normalize_name("Maven", "org.apache:tomcat"),
            "org.apache:tomcat"
        );
        assert_eq!(normalize_name("Debian:12", "libssl3"), "libssl3");
    }
}
