//! Remote sources: OCI distribution v2 registries, and the Docker Engine API (`docker:`).
//!
//! The client is blocking (`ureq` 3 + rustls): every blob is a long sequential stream that a
//! rayon worker decodes as it arrives, so an async runtime would add build time and nothing
//! else. Auth follows the distribution spec's challenge flow: anonymous first, then whatever
//! `WWW-Authenticate` asks for (Bearer token from the realm, or Basic), with credentials from
//! options, `$DOCKER_CONFIG/config.json` (`auths`, `credHelpers`, `credsStore`).

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{self, Image, Resolved, SourceFormat};
use crate::platform::Platform;
use crate::source::{OpenOptions, RegistryOptions};
use crate::spec::{Descriptor, Manifest};
use crate::store::BlobStore;
use base64::Engine as _;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

const ATTEMPTS: u32 = 5;

/// `[registry/]repository[:tag][@digest]`, Docker's reference grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

impl Reference {
    pub(crate) fn parse(s: &str) -> Result<Reference> {
        let bad = |m: &str| Error::source(s, m);
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(Digest::parse(d)?)),
            None => (s, None),
        };
        let (registry, path) = match rest.split_once('/') {
            Some((first, p))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), p.to_string())
            }
            _ => ("docker.io".to_string(), rest.to_string()),
        };
        // A ':' after the last '/' starts the tag.
        let (repository, tag) = match path.rsplit_once(':') {
            Some((r, t)) if !t.contains('/') => (r.to_string(), Some(t.to_string())),
            _ => (path, None),
        };
        if repository.is_empty()
            || !repository
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b))
        {
            return Err(bad(
                "invalid repository name (lowercase letters, digits, '.', '_', '-', '/')",
            ));
        }
        let repository = if registry == "docker.io" && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        if let Some(t) = &tag {
            if t.is_empty()
                || t.len() > 128
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                return Err(bad("invalid tag"));
            }
        }
        let tag = if tag.is_none() && digest.is_none() {
            Some("latest".to_string())
        } else {
            tag
        };
        Ok(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// The host to talk to (Docker Hub's API lives on another name than its references).
    fn api_host(&self) -> &str {
        if self.registry == "docker.io" {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }

    fn is_loopback(&self) -> bool {
        let host = self
            .registry
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or(&self.registry);
        host == "localhost" || host.starts_with("127.") || host == "[::1]"
    }

    fn reference(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => "latest".into(),
        }
    }
}

#[derive(Debug, Clone)]
enum Auth {
    Basic(String),
    Bearer(String),
}

/// Registry credentials: options first, then the Docker config.
fn credentials(reg: &str, opts: &RegistryOptions) -> Result<Option<(String, String)>> {
    if let (Some(u), Some(p)) = (&opts.username, &opts.password) {
        return Ok(Some((u.clone(), p.clone())));
    }
    let dir = opts
        .docker_config
        .clone()
        .or_else(|| std::env::var_os("DOCKER_CONFIG").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker")));
    let Some(dir) = dir else { return Ok(None) };
    let path = dir.join("config.json");
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let what = path.display().to_string();
    let cfg: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::format(&what, format!("invalid JSON: {e}")))?;
    let keys: Vec<&str> = if reg == "docker.io" {
        vec![
            "https://index.docker.io/v1/",
            "index.docker.io",
            "docker.io",
            "registry-1.docker.io",
        ]
    } else {
        vec![reg]
    };
    let host_of = |k: &str| -> String {
        let k = k
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        k.split('/').next().unwrap_or("").to_string()
    };
    let matches = |k: &str| {
        keys.iter()
            .any(|want| k == *want || host_of(k) == host_of(want))
    };
    if let Some(helpers) = cfg.get("credHelpers").and_then(|v| v.as_object()) {
        if let Some((k, helper)) = helpers.iter().find(|(k, _)| matches(k)) {
            if let Some(h) = helper.as_str() {
                return helper_get(h, k).map(Some);
            }
        }
    }
    if let Some(auths) = cfg.get("auths").and_then(|v| v.as_object()) {
        if let Some((_, a)) = auths.iter().find(|(k, _)| matches(k)) {
            if let Some(b64) = a
                .get("auth")
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
            {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map_err(|e| {
                        Error::format(&what, format!("auths.{reg}.auth is not base64: {e}"))
                    })?;
                let s = String::from_utf8_lossy(&raw).into_owned();
                let (u, p) = s.split_once(':').ok_or_else(|| {
                    Error::format(&what, format!("auths.{reg}.auth is not user:password"))
                })?;
                return Ok(Some((u.to_string(), p.to_string())));
            }
            if let (Some(u), Some(p)) = (
                a.get("username").and_then(|v| v.as_str()),
                a.get("password").and_then(|v| v.as_str()),
            ) {
                return Ok(Some((u.to_string(), p.to_string())));
            }
        }
    }
    if let Some(store) = cfg.get("credsStore").and_then(|v| v.as_str()) {
        let server = if reg == "docker.io" {
            "https://index.docker.io/v1/"
        } else {
            reg
        };
        // A store that has nothing for this registry means anonymous access, not an error.
        return Ok(helper_get(store, server).ok());
    }
    Ok(None)
}

/// `docker-credential-NAME get`, server URL on stdin, `{"Username","Secret"}` on stdout.
fn helper_get(name: &str, server: &str) -> Result<(String, String)> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(Error::source(
            server,
            format!("invalid credential helper name '{name}'"),
        ));
    }
    let prog = format!("docker-credential-{name}");
    let mut child = std::process::Command::new(&prog)
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Error::remote(&prog, format!("cannot run: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::remote(&prog, e))?;
    if !out.status.success() {
        return Err(Error::remote(
            &prog,
            format!(
                "get {server} failed: {}",
                String::from_utf8_lossy(&out.stdout).trim()
            ),
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| Error::remote(&prog, e))?;
    let user = v
        .get("Username")
        .and_then(|x| x.as_str())
        .unwrap_or_default();
    let secret = v.get("Secret").and_then(|x| x.as_str()).unwrap_or_default();
    Ok((user.to_string(), secret.to_string()))
}

fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Bearer realm="…",service="…",scope="…"` → (scheme, params).
fn parse_challenge(h: &str) -> (String, Vec<(String, String)>) {
    let h = h.trim();
    let (scheme, rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((k, v)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let v = v.trim_start();
        let (val, remain) = if let Some(stripped) = v.strip_prefix('"') {
            match stripped.find('"') {
                Some(end) => (&stripped[..end], &stripped[end + 1..]),
                None => (stripped, ""),
            }
        } else {
            match v.find(',') {
                Some(end) => (&v[..end], &v[end..]),
                None => (v, ""),
            }
        };
        params.push((k, val.to_string()));
        rest = remain.trim_start_matches([',', ' ']);
    }
    (scheme.to_ascii_lowercase(), params)
}

pub(crate) struct Client {
    agent: ureq::Agent,
    base: String,
    reference: Reference,
    creds: Option<(String, String)>,
    auth: Mutex<Option<Auth>>,
    insecure: bool,
    progress: Option<Progress>,
}

impl Client {
    fn new(r: Reference, opts: &RegistryOptions) -> Result<Client> {
        let plain = opts.insecure || r.is_loopback();
        let base = format!(
            "{}://{}",
            if plain { "http" } else { "https" },
            r.api_host()
        );
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(Duration::from_secs(120)))
            .user_agent(concat!("dockguard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let creds = credentials(&r.registry, opts)?;
        Ok(Client {
            agent,
            base,
            creds,
            auth: Mutex::new(None),
            insecure: plain,
            progress: (opts.progress && io::stderr().is_terminal()).then(Progress::default),
            reference: r,
        })
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}/v2/{}/{path}", self.base, self.reference.repository)
    }

    fn authenticate(&self, challenge: Option<&str>, url: &str) -> Result<()> {
        let Some(challenge) = challenge else {
            return Err(Error::remote(
                url,
                "401 Unauthorized without a WWW-Authenticate challenge",
            ));
        };
        let (scheme, params) = parse_challenge(challenge);
        let param = |k: &str| {
            params
                .iter()
                .find(|(pk, _)| pk == k)
                .map(|(_, v)| v.as_str())
        };
        let basic = self
            .creds
            .as_ref()
            .map(|(u, p)| base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}")));
        let auth = match scheme.as_str() {
            "basic" => Auth::Basic(basic.ok_or_else(|| {
                Error::remote(
                    url,
                    "the registry requires a login: give --username/--password or run docker login",
                )
            })?),
            "bearer" => {
                let realm = param("realm")
                    .ok_or_else(|| Error::remote(url, "Bearer challenge without a realm"))?;
                if !(realm.starts_with("https://")
                    || (self.insecure && realm.starts_with("http://")))
                {
                    return Err(Error::remote(
                        url,
                        format!("refusing token realm '{realm}' (not https)"),
                    ));
                }
                let scope = param("scope")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("repository:{}:pull", self.reference.repository));
                let mut token_url = format!("{realm}?scope={}", query_escape(&scope));
                if let Some(s) = param("service") {
                    token_url.push_str(&format!("&service={}", query_escape(s)));
                }
                let mut req = self.agent.get(&token_url);
                if let Some(b) = &basic {
                    req = req.header("Authorization", &format!("Basic {b}"));
                }
                let mut resp = req.call().map_err(|e| Error::remote(&token_url, e))?;
                let status = resp.status().as_u16();
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(1 << 20)
                    .read_to_vec()
                    .map_err(|e| Error::remote(&token_url, e))?;
                if status != 200 {
                    return Err(Error::remote(
                        &token_url,
                        format!(
                            "token request failed with HTTP {status}: {}",
                            snippet(&body)
                        ),
                    ));
                }
                let v: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|e| Error::remote(&token_url, format!("token response: {e}")))?;
                let token = v
                    .get("token")
                    .or_else(|| v.get("access_token"))
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| Error::remote(&token_url, "token response has no token"))?;
                Auth::Bearer(token.to_string())
            }
            other => {
                return Err(Error::remote(
                    url,
                    format!("unsupported auth scheme '{other}'"),
                ))
            }
        };
        if let Ok(mut a) = self.auth.lock() {
            *a = Some(auth);
        }
        Ok(())
    }

    /// GET with auth, retries and backoff. Returns any non-retryable response.
    fn get(
        &self,
        url: &str,
        accept: Option<&str>,
        range_from: u64,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let mut authed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self.agent.get(url);
            if let Some(a) = accept {
                req = req.header("Accept", a);
            }
            if range_from > 0 {
                req = req.header("Range", &format!("bytes={range_from}-"));
            }
            let auth = self.auth.lock().ok().and_then(|a| a.clone());
            match auth {
                Some(Auth::Basic(b)) => req = req.header("Authorization", &format!("Basic {b}")),
                Some(Auth::Bearer(t)) => req = req.header("Authorization", &format!("Bearer {t}")),
                None => {}
            }
            let resp = match req.call() {
                Ok(r) => r,
                Err(e) if attempt < ATTEMPTS => {
                    backoff(attempt, None);
                    let _ = e;
                    continue;
                }
                Err(e) => {
                    return Err(Error::remote(
                        url,
                        format!("{e} (after {ATTEMPTS} attempts)"),
                    ))
                }
            };
            let status = resp.status().as_u16();
            if status == 401 && !authed {
                authed = true;
                let ch = resp
                    .headers()
                    .get("www-authenticate")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                self.authenticate(ch.as_deref(), url)?;
                continue;
            }
            if (status == 429 || (500..600).contains(&status)) && attempt < ATTEMPTS {
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|s| s.trim().parse::<u64>().ok());
                backoff(attempt, retry_after);
                continue;
            }
            return Ok(resp);
        }
    }

    fn fetch_small(
        &self,
        url: &str,
        accept: Option<&str>,
        limit: u64,
    ) -> Result<(Vec<u8>, Option<String>)> {
        let mut resp = self.get(url, accept, 0)?;
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(';').next().unwrap_or("").trim().to_string());
        let body = resp
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| Error::remote(url, e))?;
        if status != 200 {
            return Err(Error::remote(
                url,
                format!("HTTP {status}: {}", snippet(&body)),
            ));
        }
        Ok((body, ctype))
    }
}

fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(300)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn backoff(attempt: u32, retry_after: Option<u64>) {
    let secs = retry_after.unwrap_or(0).min(30);
    let ms = (250u64 << attempt.min(6)).max(secs * 1000);
    std::thread::sleep(Duration::from_millis(ms));
}

/// A one-line byte counter on stderr, redrawn at most ten times a second.
#[derive(Default)]
struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn add(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let total = self.total.load(Ordering::Relaxed).max(1);
        let pct = (done * 100 / total).min(100);
        let bar = "#".repeat((pct / 4) as usize);
        eprint!(
            "\rpulling [{bar:<25}] {pct:>3}% {:.1}/{:.1} MiB",
            done as f64 / 1048576.0,
            total as f64 / 1048576.0
        );
    }
}

/// Blobs of one repository. Locators are `blobs/<alg>/<hex>` (layers, configs) or
/// `manifests/<digest>`.
pub(crate) struct RegistryStore {
    client: Arc<Client>,
}

impl BlobStore for RegistryStore {
    fn describe(&self) -> String {
        format!(
            "{}/{}",
            self.client.reference.registry, self.client.reference.repository
        )
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        let path = if let Some(rest) = locator.strip_prefix("blobs/") {
            let (alg, hex) = rest
                .split_once('/')
                .ok_or_else(|| Error::format(self.describe(), format!("bad locator {locator}")))?;
            format!("blobs/{}", Digest::parse(&format!("{alg}:{hex}"))?)
        } else if let Some(d) = locator.strip_prefix("manifests/") {
            format!("manifests/{}", Digest::parse(d)?)
        } else {
            return Err(Error::format(
                self.describe(),
                format!("bad locator {locator}"),
            ));
        };
        let url = self.client.endpoint(&path);
        let accept = path.starts_with("manifests/").then_some(MANIFEST_ACCEPT);
        let resp = self.client.get(&url, accept, 0)?;
        let status = resp.status().as_u16();
        if status != 200 {
            let mut resp = resp;
            let body = resp
                .body_mut()
                .with_config()
                .limit(4096)
                .read_to_vec()
                .unwrap_or_default();
            return Err(Error::remote(
                &url,
                format!("HTTP {status}: {}", snippet(&body)),
            ));
        }
        Ok(Box::new(ResumableBlob {
            client: &self.client,
            url,
            accept,
            body: Some(resp.into_body().into_reader()),
            pos: 0,
            resumes: 0,
        }))
    }

    fn exists(&self, _locator: &str) -> bool {
        true
    }

    fn manifest_locator(&self, d: &Digest) -> String {
        format!("manifests/{d}")
    }
}

/// A blob stream that picks up where it broke with a `Range` request: a dropped connection
/// 3 GB into a layer costs one request, not the whole download. Integrity is still checked
/// end to end by the layer reader's digest.
struct ResumableBlob<'a> {
    client: &'a Client,
    url: String,
    accept: Option<&'static str>,
    body: Option<ureq::BodyReader<'static>>,
    pos: u64,
    resumes: u32,
}

impl Read for ResumableBlob<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(b) = self.body.as_mut() {
                match b.read(buf) {
                    Ok(n) => {
                        self.pos += n as u64;
                        if let Some(p) = &self.client.progress {
                            p.add(n as u64);
                        }
                        return Ok(n);
                    }
                    Err(e) if self.resumes >= ATTEMPTS => return Err(e),
                    Err(_) => self.body = None,
                }
            }
            self.resumes += 1;
            backoff(self.resumes, None);
            let resp = self
                .client
                .get(&self.url, self.accept, self.pos)
                .map_err(|e| io::Error::other(e.to_string()))?;
            let mut reader = resp.into_body().into_reader();
            match self.pos {
                0 => {}
                // A server that ignores Range sends everything again: skip what we have.
                p => {
                    let mut skip = (&mut reader).take(p);
                    io::copy(&mut skip, &mut io::sink())?;
                }
            }
            self.body = Some(reader);
        }
    }
}

pub(crate) fn open_registry(
    source: &str,
    reference: &str,
    opts: &OpenOptions,
    platform: &Platform,
) -> Result<Image> {
    let r = Reference::parse(reference)?;
    let client = Arc::new(Client::new(r.clone(), &opts.registry)?);
    let limits = &opts.limits;
    let url = client.endpoint(&format!("manifests/{}", r.reference()));
    let (bytes, ctype) =
        client.fetch_small(&url, Some(MANIFEST_ACCEPT), limits.max_metadata_size)?;
    let digest = match &r.digest {
        Some(d) => {
            d.verify(format!("manifest {d} from {url}"), &bytes)?;
            d.clone()
        }
        None => Digest::of(crate::digest::Algorithm::Sha256, &bytes),
    };
    let top = Descriptor {
        media_type: ctype.unwrap_or_default(),
        digest,
        size: bytes.len() as u64,
        annotations: None,
        platform: None,
    };
    let store: Arc<dyn BlobStore> = Arc::new(RegistryStore {
        client: client.clone(),
    });
    let (index_digest, md, manifest): (Option<Digest>, Descriptor, Manifest) =
        image::descend(&*store, top, platform, limits, None)?;
    if let Some(p) = &client.progress {
        p.total.store(
            manifest.layers.iter().map(|l| l.size).sum(),
            Ordering::Relaxed,
        );
    }
    let resolved = Resolved {
        index_digest,
        manifest_digest: md.digest,
        manifest_media_type: manifest
            .media_type
            .clone()
            .or(Some(md.media_type))
            .filter(|m| !m.is_empty()),
        manifest,
        reference: Some(reference.to_string()),
    };
    image::image_from_manifest(
        store,
        source.to_string(),
        SourceFormat::Registry,
        resolved,
        limits,
    )
}

/// A plain reference: the local Docker daemon when one answers, else the registry.
pub(crate) fn open_reference(
    source: &str,
    reference: &str,
    opts: &OpenOptions,
    platform: &Platform,
) -> Result<Image> {
    if crate::daemon::available(opts) {
        match crate::daemon::open_daemon(&format!("docker:{source}"), reference, opts) {
            Ok(i) => return Ok(i),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    open_registry(&format!("registry:{source}"), reference, opts, platform)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("docker.io", "library/alpine", Some("latest"))
        );
        let r = Reference::parse("127.0.0.1:5000/dg/app:1.0").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("127.0.0.1:5000", "dg/app", Some("1.0"))
        );
        assert!(r.is_loopback());
        let r = Reference::parse(
            "ghcr.io/o/r@sha256:a57b076ab437d3e56d2b1463a415c2774a6bcc5229b9bc024dbc12730a2680d6",
        )
        .unwrap();
        assert_eq!(r.tag, None);
        assert!(r.digest.is_some());
        assert!(Reference::parse("UPPER/case").is_err());
    }

    #[test]
    fn challenges() {
        let (s, p) = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        );
        assert_eq!(s, "bearer");
        assert_eq!(
            p[0],
            ("realm".into(), "https://auth.docker.io/token".into())
        );
        assert_eq!(p[2].1, "repository:library/alpine:pull");
        let (s, p) = parse_challenge(r#"Basic realm="basic-realm""#);
        assert_eq!((s.as_str(), p[0].1.as_str()), ("basic", "basic-realm"));
    }

    #[test]
    fn docker_config_auths() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret");
        std::fs::write(
            dir.path().join("config.json"),
            format!(r#"{{"auths":{{"http://127.0.0.1:5000":{{"auth":"{auth}"}},"https://index.docker.io/v1/":{{"username":"bob","password":"pw"}}}}}}"#),
        )
        .unwrap();
        let opts = RegistryOptions {
            docker_config: Some(dir.path().to_path_buf()),
            ..RegistryOptions::default()
        };
        assert_eq!(
            credentials("127.0.0.1:5000", &opts).unwrap(),
            Some(("alice".into(), "s3cret".into()))
        );
        assert_eq!(
            credentials("docker.io", &opts).unwrap(),
            Some(("bob".into(), "pw".into()))
        );
        assert_eq!(credentials("quay.io", &opts).unwrap(), None);
    }
}
