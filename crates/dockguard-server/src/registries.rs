//! Which registries API callers may make the server pull from. An allow-list of
//! `host[:port]` patterns (`*` and `?` wildcards) limits the hosts; independently of it, a
//! registry whose address is internal (loopback, private, link-local, …) is refused unless an
//! entry names it exactly, so a caller cannot use the server to probe the network it sits in.
//!
//! Names are resolved and every address is checked when the scan is submitted (that check
//! gives the API's 403). The job then pulls with [`RegistryRules::address_filter`] installed in
//! the registry client, which checks every connection it makes — to the registry, to the
//! token server its challenge names, to every redirect target — at the address actually
//! connected to, so DNS rebinding, redirects and token realms cannot reach the internal
//! network either.

use crate::Error;
use dockguard_image::registry::AddressFilter;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};

/// One `--allowed-registries` entry.
#[derive(Debug, Clone)]
struct Pattern {
    host: String,
    /// `None`: any port (and none).
    port: Option<String>,
    /// No wildcard: names one registry, so it may be on an internal address.
    exact: bool,
}

/// The registry rules of a server.
#[derive(Debug, Clone, Default)]
pub struct RegistryRules {
    /// Empty: any registry (internal addresses still refused).
    patterns: Vec<Pattern>,
}

/// Why a registry is refused; the message names the registry and the flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub String);

/// `host[:port]` → (lower-cased host, port). Keeps IPv6 literals' brackets.
fn split_host_port(s: &str) -> (String, Option<String>) {
    let s = s.trim().to_ascii_lowercase();
    if let Some(rest) = s.strip_prefix('[') {
        if let Some((h, after)) = rest.split_once(']') {
            let port = after.strip_prefix(':').map(str::to_string);
            return (format!("[{h}]"), port);
        }
    }
    match s.rsplit_once(':') {
        // One colon only: a second one would make it an unbracketed IPv6 literal.
        Some((h, p)) if !h.contains(':') => (h.to_string(), Some(p.to_string())),
        _ => (s, None),
    }
}

/// Wildcard match: `*` any run of characters, `?` one character.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

impl Pattern {
    fn matches(&self, host: &str, port: Option<&str>) -> bool {
        if !wildcard(self.host.as_bytes(), host.as_bytes()) {
            return false;
        }
        match (&self.port, port) {
            (None, _) => true,
            (Some(want), Some(have)) => wildcard(want.as_bytes(), have.as_bytes()),
            (Some(_), None) => false,
        }
    }
}

/// Loopback, private, link-local, shared (CGNAT), unspecified, multicast and reserved
/// addresses: everything that is not an ordinary public unicast address.
pub(crate) fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address.
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return internal_v4(Ipv4Addr::new(a, b, c, d));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // old site-local fec0::/10
                || s[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible ::a.b.c.d
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || a == 0 // 0.0.0.0/8 reaches the host itself on Linux
        || (a == 100 && (64..128).contains(&b)) // shared address space 100.64.0.0/10
        || a >= 240 // reserved
}

/// The address literal of a host, if it is one.
fn literal(host: &str) -> Option<IpAddr> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

impl RegistryRules {
    /// Any registry on a public address.
    pub fn any() -> RegistryRules {
        RegistryRules::default()
    }

    /// Parses `--allowed-registries`: comma-separated `host[:port]` with `*`/`?` wildcards.
    pub fn parse(list: &str) -> Result<RegistryRules, Error> {
        let mut patterns = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = |m: &str| Error::Config(format!("--allowed-registries: '{entry}': {m}"));
            if entry.contains('/') {
                return Err(bad(
                    "a registry host[:port] only (no scheme, repository or path)",
                ));
            }
            if !entry
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]*?".contains(&b))
            {
                return Err(bad("unexpected character"));
            }
            let (host, port) = split_host_port(entry);
            if host.is_empty() || port.as_deref() == Some("") {
                return Err(bad("empty host or port"));
            }
            let exact = !entry.contains(['*', '?']);
            patterns.push(Pattern { host, port, exact });
        }
        if patterns.is_empty() {
            return Err(Error::Config(
                "--allowed-registries: empty list (leave the flag out to allow any public \
                 registry)"
                    .into(),
            ));
        }
        Ok(RegistryRules { patterns })
    }

    /// Whether the list is the default (any public registry).
    pub fn is_any(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Checks `registry` (as written in the reference: `docker.io`, `ghcr.io`,
    /// `localhost:5000`) against the list. `Ok(true)` when an entry names it exactly, so it
    /// may be on an internal address.
    fn listed(&self, registry: &str) -> Result<bool, Refused> {
        if self.patterns.is_empty() {
            return Ok(false);
        }
        let (host, port) = split_host_port(registry);
        let hits: Vec<&Pattern> = self
            .patterns
            .iter()
            .filter(|p| p.matches(&host, port.as_deref()))
            .collect();
        if hits.is_empty() {
            return Err(Refused(format!(
                "registry {registry} is not allowed on this server (start it with \
                 --allowed-registries including {registry} to allow it)"
            )));
        }
        Ok(hits.iter().any(|p| p.exact))
    }

    /// Checks the registry name and, unless an entry names it exactly, every address in
    /// `addresses` (the API host's resolved addresses).
    fn check_addresses(
        &self,
        registry: &str,
        explicit: bool,
        addresses: &[IpAddr],
    ) -> Result<(), Refused> {
        if explicit {
            return Ok(());
        }
        if let Some(ip) = addresses.iter().find(|ip| is_internal(**ip)) {
            return Err(Refused(format!(
                "registry {registry} is on an internal address ({ip}): loopback, private and \
                 link-local registries are refused unless --allowed-registries names \
                 {registry} exactly"
            )));
        }
        Ok(())
    }

    /// The registry part of a checked reference and whether it was named exactly. Invalid
    /// references are not refused here: opening them reports the problem.
    pub(crate) fn admit_name(
        &self,
        reference: &str,
    ) -> Result<Option<(dockguard_image::registry::Reference, bool)>, Refused> {
        let Ok(r) = dockguard_image::registry::Reference::parse(reference) else {
            return Ok(None);
        };
        let explicit = self.listed(&r.registry)?;
        // A literal address needs no lookup.
        if let Some(ip) = literal(&split_host_port(r.api_host()).0) {
            self.check_addresses(&r.registry, explicit, &[ip])?;
        }
        Ok(Some((r, explicit)))
    }

    /// The full check for a `registry:` reference, resolving the host (blocking). A name that
    /// does not resolve is let through: the connection fails the same way.
    pub(crate) fn check_blocking(&self, reference: &str) -> Result<(), Refused> {
        let Some((r, explicit)) = self.admit_name(reference)? else {
            return Ok(());
        };
        let host = split_host_port(r.api_host()).0;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addresses: Vec<IpAddr> = (bare, 443)
            .to_socket_addrs()
            .map(|a| a.map(|s: SocketAddr| s.ip()).collect())
            .unwrap_or_default();
        self.check_addresses(&r.registry, explicit, &addresses)
    }

    /// [`RegistryRules::check_blocking`] for the API: lookups on a blocking thread, bounded
    /// in time (a slow resolver is left to the job, which checks again).
    pub(crate) async fn check(&self, reference: &str) -> Result<(), Refused> {
        let Some((r, explicit)) = self.admit_name(reference)? else {
            return Ok(());
        };
        let host = split_host_port(r.api_host()).0;
        let bare = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let lookup = tokio::net::lookup_host((bare, 443));
        let addresses: Vec<IpAddr> =
            match tokio::time::timeout(std::time::Duration::from_secs(5), lookup).await {
                Ok(Ok(a)) => a.map(|s| s.ip()).collect(),
                _ => Vec::new(),
            };
        self.check_addresses(&r.registry, explicit, &addresses)
    }
}

/// Where a job's [`RegistryRules::address_filter`] notes its first refusal, so that the job
/// fails for good instead of being retried.
pub(crate) type RefusalNote = Arc<Mutex<Option<String>>>;

impl RegistryRules {
    /// Whether an exact entry names `host` on `port` (an entry without a port names every
    /// port of its host).
    fn names_exactly(&self, host: &str, port: u16) -> bool {
        let port = port.to_string();
        self.patterns
            .iter()
            .any(|p| p.exact && p.matches(host, Some(&port)))
    }

    /// The connect-time policy of a scan job: public addresses anywhere (token servers and
    /// blob CDNs are other hosts than the registry), internal ones only for a `host:port` an
    /// entry names exactly. A refusal is also written to `note`.
    pub(crate) fn address_filter(&self, note: RefusalNote) -> AddressFilter {
        let rules = self.clone();
        AddressFilter::new(move |host, addr| {
            if !is_internal(addr.ip()) {
                return Ok(());
            }
            let host = host.to_ascii_lowercase();
            // The URL's host keeps IPv6 brackets; entries are written with them too.
            let host = if host.contains(':') && !host.starts_with('[') {
                format!("[{host}]")
            } else {
                host
            };
            if rules.names_exactly(&host, addr.port()) {
                return Ok(());
            }
            let reason = format!(
                "{} is an internal address; the server connects to loopback, private and \
                 link-local addresses only for a registry --allowed-registries names exactly \
                 (a redirect or token server the registry points to included)",
                addr.ip()
            );
            if let Ok(mut n) = note.lock() {
                n.get_or_insert_with(|| reason.clone());
            }
            Err(reason)
        })
    }
}

/// The reference of a `registry:` target, if it is one.
pub(crate) fn registry_reference(target: &str) -> Option<&str> {
    target.strip_prefix("registry:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_recognised() {
        for a in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_internal(ip(a)), "{a}");
        }
        for a in [
            "8.8.8.8",
            "172.32.0.1",
            "172.15.255.255",
            "192.169.0.1",
            "100.128.0.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(ip(a)), "{a}");
        }
    }

    #[test]
    fn patterns_match_hosts_and_ports() {
        let r = RegistryRules::parse("ghcr.io, *.example.com, localhost:5000, [::1]:*, reg?.io")
            .unwrap();
        assert_eq!(r.listed("ghcr.io"), Ok(true));
        assert_eq!(r.listed("GHCR.io:443"), Ok(true));
        assert_eq!(r.listed("a.b.example.com"), Ok(false));
        assert_eq!(r.listed("localhost:5000"), Ok(true));
        assert_eq!(r.listed("[::1]:5000"), Ok(false));
        assert_eq!(r.listed("reg1.io"), Ok(false));
        for refused in [
            "docker.io",
            "localhost",
            "localhost:5001",
            "example.com",
            "reg12.io",
        ] {
            let e = r.listed(refused).unwrap_err().0;
            assert!(
                e.contains(refused) && e.contains("--allowed-registries"),
                "{e}"
            );
        }
        assert!(RegistryRules::any().listed("anything.io").is_ok());
        for bad in ["", " , ", "https://ghcr.io", "ghcr.io/acme", "a b", "host:"] {
            assert!(RegistryRules::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard(b"*", b""));
        assert!(wildcard(b"*.io", b"a.b.io"));
        assert!(!wildcard(b"*.io", b"a.ioo"));
        assert!(wildcard(b"a*b*c", b"aXXbYYc"));
        assert!(!wildcard(b"a?c", b"ac"));
    }

    #[test]
    fn internal_registries_need_an_exact_entry() {
        let any = RegistryRules::any();
        for r in [
            "10.0.0.5:5000/app:1",
            "127.0.0.1:5000/app",
            "[::1]:5000/app",
            "169.254.169.254/latest:1",
            "localhost/app",
            "localhost:1/app",
        ] {
            let e = any.check_blocking(r).unwrap_err().0;
            assert!(e.contains("internal address"), "{r}: {e}");
        }
        // Globs do not open the internal network; an exact entry does.
        let glob = RegistryRules::parse("*").unwrap();
        assert!(glob.check_blocking("10.0.0.5:5000/app").is_err());
        let exact = RegistryRules::parse("10.0.0.5:5000,localhost:1").unwrap();
        assert!(exact.check_blocking("10.0.0.5:5000/app").is_ok());
        assert!(exact.check_blocking("localhost:1/app").is_ok());
        assert!(exact.check_blocking("10.0.0.6:5000/app").is_err());
        // Public literals pass by default, without a lookup.
        assert!(any.check_blocking("8.8.8.8:5000/app").is_ok());
    }

    #[test]
    fn connect_time_filter_follows_the_exact_entries() {
        let sa = |s: &str| -> SocketAddr { s.parse().unwrap() };
        let rules =
            RegistryRules::parse("127.0.0.1:5000,localhost:6000,[::1]:7000,reg.internal,*.corp")
                .unwrap();
        let note = RefusalNote::default();
        let f = rules.address_filter(note.clone());
        assert!(f.check("127.0.0.1", sa("127.0.0.1:5000")).is_ok());
        assert!(f.check("localhost", sa("127.0.0.1:6000")).is_ok());
        assert!(f.check("localhost", sa("[::1]:6000")).is_ok());
        assert!(f.check("[::1]", sa("[::1]:7000")).is_ok());
        assert!(f.check("::1", sa("[::1]:7000")).is_ok());
        assert!(f.check("REG.internal", sa("10.0.0.1:443")).is_ok());
        assert!(f.check("reg.internal", sa("10.0.0.1:5000")).is_ok());
        // Public addresses: any host (token servers, CDNs).
        assert!(f.check("cdn.example", sa("8.8.8.8:443")).is_ok());
        assert!(note.lock().unwrap().is_none());
        for (host, addr) in [
            ("127.0.0.1", "127.0.0.1:5001"),
            ("localhost", "127.0.0.1:5000"),
            ("x.corp", "10.0.0.1:443"),
            ("reg.internal.evil", "10.0.0.1:443"),
            ("rebound.example", "169.254.169.254:80"),
        ] {
            let e = f.check(host, sa(addr)).unwrap_err();
            assert!(
                e.contains("internal address") && e.contains("--allowed-registries"),
                "{e}"
            );
        }
        assert!(note
            .lock()
            .unwrap()
            .as_deref()
            .unwrap()
            .contains("127.0.0.1"));
        let any = RegistryRules::any().address_filter(RefusalNote::default());
        assert!(any.check("localhost", sa("127.0.0.1:5000")).is_err());
        assert!(any.check("ghcr.io", sa("140.82.112.33:443")).is_ok());
    }
}
