//! A small blocking OCI distribution client for the write side signing needs: blob upload,
//! manifest PUT/DELETE, referrers. dockguard-image keeps its (read-only) client private, so
//! this one repeats the few pieces it needs: the reference grammar, the Basic/Bearer
//! challenge flow and Docker's `config.json` credentials.

use crate::error::{Error, Result};
use crate::oci::{self, Descriptor, MAX_MANIFEST_SIZE};
use crate::store::{Deleted, Fetched, Store};
use base64::Engine as _;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";
const ATTEMPTS: u32 = 4;

/// Registry credentials and transport settings.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    pub username: Option<String>,
    pub password: Option<String>,
    /// Allow plain HTTP (always allowed for localhost and 127.0.0.0/8).
    pub insecure: bool,
    /// Directory holding `config.json`; `$DOCKER_CONFIG` or `~/.docker` when unset.
    pub docker_config: Option<PathBuf>,
}

/// `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    pub(crate) fn parse(s: &str) -> Result<Reference> {
        let bad = |m: &str| Error::format(s, m);
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                oci::check_digest(s, d)?;
                (r, Some(d.to_string()))
            }
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
        let (repository, tag) = match path.rsplit_once(':') {
            Some((r, t)) if !t.contains('/') => (r.to_string(), Some(t.to_string())),
            _ => (path, None),
        };
        if repository.is_empty()
            || repository.len() > 255
            || !repository
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b))
        {
            return Err(bad(
                "invalid repository name (lowercase letters, digits, '.', '_', '-', '/')",
            ));
        }
        if registry.is_empty()
            || !registry
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        {
            return Err(bad("invalid registry host"));
        }
        let repository = if registry == "docker.io" && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        if let Some(t) = &tag {
            if !valid_tag(t) {
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

    fn api_host(&self) -> &str {
        if self.registry == "docker.io" {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }

    fn is_loopback(&self) -> bool {
        let host = match self.registry.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => &self.registry,
        };
        host == "localhost" || host.starts_with("127.") || host == "[::1]"
    }

    /// cosign's `Repository.Name()`: Docker Hub appears as `index.docker.io`.
    pub(crate) fn identity(&self) -> String {
        let reg = if self.registry == "docker.io" {
            "index.docker.io"
        } else {
            &self.registry
        };
        format!("{reg}/{}", self.repository)
    }
}

fn valid_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !t.starts_with(['.', '-'])
}

#[derive(Clone)]
enum Auth {
    Basic(String),
    Bearer(String),
}

pub(crate) struct Registry {
    agent: ureq::Agent,
    base: String,
    reference: Reference,
    creds: Option<(String, String)>,
    auth: Mutex<Option<Auth>>,
    insecure: bool,
}

struct Response {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(300)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let (scheme, mut rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut params = Vec::new();
    while let Some((k, v)) = rest.split_once('=') {
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let v = v.trim_start();
        let (val, remain) = if let Some(q) = v.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => (q, ""),
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

impl Registry {
    pub(crate) fn new(reference: Reference, opts: &RegistryOptions) -> Result<Registry> {
        let plain = opts.insecure || reference.is_loopback();
        let base = format!(
            "{}://{}",
            if plain { "http" } else { "https" },
            reference.api_host()
        );
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_global(Some(Duration::from_secs(300)))
            .user_agent(concat!("dockguard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let creds = credentials(&reference.registry, opts)?;
        Ok(Registry {
            agent,
            base,
            reference,
            creds,
            auth: Mutex::new(None),
            insecure: plain,
        })
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}/v2/{}/{path}", self.base, self.reference.repository)
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        limit: u64,
    ) -> std::result::Result<Response, ureq::Error> {
        let mut b = ureq::http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        match self.auth.lock().ok().and_then(|a| a.clone()) {
            Some(Auth::Basic(x)) => b = b.header("Authorization", format!("Basic {x}")),
            Some(Auth::Bearer(t)) => b = b.header("Authorization", format!("Bearer {t}")),
            None => {}
        }
        let resp = match body {
            Some(data) => self.agent.run(b.body(data)?)?,
            None => self.agent.run(b.body(())?)?,
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = resp.into_body();
        let body = if method == "HEAD" {
            Vec::new()
        } else {
            body.with_config().limit(limit).read_to_vec()?
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// One request with the challenge flow, retries on 429/5xx and transport errors.
    fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        limit: u64,
    ) -> Result<Response> {
        let mut authed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let resp = match self.send_once(method, url, headers, body, limit) {
                Ok(r) => r,
                Err(_) if attempt < ATTEMPTS => {
                    backoff(attempt);
                    continue;
                }
                Err(e) => return Err(Error::registry(url, format!("{method}: {e}"))),
            };
            if resp.status == 401 && !authed {
                authed = true;
                self.authenticate(resp.header("www-authenticate").as_deref(), url)?;
                continue;
            }
            if (resp.status == 429 || resp.status >= 500) && attempt < ATTEMPTS {
                backoff(attempt);
                continue;
            }
            if resp.status == 401 || resp.status == 403 {
                return Err(Error::registry(
                    url,
                    format!(
                        "{method} denied (HTTP {}): {}; check --username/--password or docker login",
                        resp.status,
                        snippet(&resp.body)
                    ),
                ));
            }
            return Ok(resp);
        }
    }

    fn authenticate(&self, challenge: Option<&str>, url: &str) -> Result<()> {
        let challenge = challenge.ok_or_else(|| {
            Error::registry(url, "401 Unauthorized without a WWW-Authenticate challenge")
        })?;
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
                Error::registry(
                    url,
                    "the registry requires a login: give --username/--password or run docker login",
                )
            })?),
            "bearer" => {
                let realm = param("realm")
                    .ok_or_else(|| Error::registry(url, "Bearer challenge without a realm"))?;
                if !(realm.starts_with("https://")
                    || (self.insecure && realm.starts_with("http://")))
                {
                    return Err(Error::registry(
                        url,
                        format!("refusing token realm '{realm}' (not https)"),
                    ));
                }
                // Ask for push as well: one token then serves the whole sign/revoke sequence.
                let scope = param("scope").map(str::to_string).unwrap_or_else(|| {
                    format!("repository:{}:pull,push", self.reference.repository)
                });
                let mut token_url = format!("{realm}?scope={}", query_escape(&scope));
                if let Some(s) = param("service") {
                    token_url.push_str(&format!("&service={}", query_escape(s)));
                }
                let mut req = self.agent.get(&token_url);
                if let Some(b) = &basic {
                    req = req.header("Authorization", &format!("Basic {b}"));
                }
                let mut resp = req.call().map_err(|e| Error::registry(&token_url, e))?;
                let status = resp.status().as_u16();
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(1 << 20)
                    .read_to_vec()
                    .map_err(|e| Error::registry(&token_url, e))?;
                if status != 200 {
                    return Err(Error::registry(
                        &token_url,
                        format!(
                            "token request failed with HTTP {status}: {}",
                            snippet(&body)
                        ),
                    ));
                }
                let v: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|e| Error::registry(&token_url, format!("token response: {e}")))?;
                let token = v
                    .get("token")
                    .or_else(|| v.get("access_token"))
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| Error::registry(&token_url, "token response has no token"))?;
                Auth::Bearer(token.to_string())
            }
            other => {
                return Err(Error::registry(
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

    fn resolve_location(&self, loc: &str) -> String {
        if loc.starts_with("http://") || loc.starts_with("https://") {
            loc.to_string()
        } else {
            format!(
                "{}{}",
                self.base,
                if loc.starts_with('/') { "" } else { "/" }
            ) + loc
        }
    }
}

fn backoff(attempt: u32) {
    std::thread::sleep(Duration::from_millis(200u64 << attempt.min(5)));
}

fn unexpected(method: &str, url: &str, r: &Response) -> Error {
    Error::registry(
        url,
        format!(
            "{method} failed with HTTP {}: {}",
            r.status,
            snippet(&r.body)
        ),
    )
}

impl Store for Registry {
    fn describe(&self) -> String {
        format!("{}/{}", self.reference.registry, self.reference.repository)
    }

    fn identity(&self) -> String {
        self.reference.identity()
    }

    fn resolve(&self) -> Result<Descriptor> {
        let r = match (&self.reference.digest, &self.reference.tag) {
            (Some(d), _) => d.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => "latest".into(),
        };
        let f = self.get_manifest(&r)?.ok_or_else(|| {
            Error::registry(
                self.endpoint(&format!("manifests/{r}")),
                "no such image (manifest unknown)",
            )
        })?;
        Ok(Descriptor {
            size: f.bytes.len() as u64,
            ..Descriptor::of(&f.media_type, &f.bytes)
        })
    }

    fn get_manifest(&self, reference: &str) -> Result<Option<Fetched>> {
        let url = self.endpoint(&format!("manifests/{reference}"));
        let r = self.send(
            "GET",
            &url,
            &[("Accept", MANIFEST_ACCEPT)],
            None,
            MAX_MANIFEST_SIZE,
        )?;
        match r.status {
            200 => {}
            404 => return Ok(None),
            _ => return Err(unexpected("GET", &url, &r)),
        }
        let digest = oci::sha256(&r.body);
        if reference.contains(':') {
            oci::verify_digest(&url, reference, &r.body)?;
        }
        let media_type = r
            .header("content-type")
            .map(|c| c.split(';').next().unwrap_or("").trim().to_string())
            .filter(|c| !c.is_empty())
            .or_else(|| {
                serde_json::from_slice::<serde_json::Value>(&r.body)
                    .ok()
                    .and_then(|v| v.get("mediaType")?.as_str().map(str::to_string))
            })
            .unwrap_or_else(|| oci::OCI_MANIFEST.to_string());
        Ok(Some(Fetched {
            bytes: r.body,
            media_type,
            digest: if reference.contains(':') {
                reference.to_string()
            } else {
                digest
            },
        }))
    }

    fn put_manifest(&self, reference: &str, bytes: &[u8], media_type: &str) -> Result<bool> {
        let url = self.endpoint(&format!("manifests/{reference}"));
        let r = self.send(
            "PUT",
            &url,
            &[("Content-Type", media_type)],
            Some(bytes),
            1 << 16,
        )?;
        if r.status != 201 && r.status != 200 && r.status != 202 {
            return Err(unexpected("PUT", &url, &r));
        }
        Ok(r.header("oci-subject").is_some())
    }

    fn put_blob(&self, digest: &str, bytes: &[u8]) -> Result<()> {
        let head_url = self.endpoint(&format!("blobs/{digest}"));
        let h = self.send("HEAD", &head_url, &[], None, 0)?;
        if h.status == 200 {
            return Ok(());
        }
        let url = self.endpoint("blobs/uploads/");
        let r = self.send("POST", &url, &[("Content-Length", "0")], Some(&[]), 1 << 16)?;
        if r.status != 202 {
            return Err(unexpected("POST", &url, &r));
        }
        let loc = r
            .header("location")
            .ok_or_else(|| Error::registry(&url, "upload started without a Location"))?;
        let mut put_url = self.resolve_location(&loc);
        put_url.push(if put_url.contains('?') { '&' } else { '?' });
        put_url.push_str(&format!("digest={}", query_escape(digest)));
        let r = self.send(
            "PUT",
            &put_url,
            &[("Content-Type", "application/octet-stream")],
            Some(bytes),
            1 << 16,
        )?;
        if r.status != 201 && r.status != 204 {
            return Err(unexpected("PUT", &put_url, &r));
        }
        Ok(())
    }

    fn get_blob(&self, digest: &str, limit: u64) -> Result<Vec<u8>> {
        oci::check_digest(&self.describe(), digest)?;
        let url = self.endpoint(&format!("blobs/{digest}"));
        let r = self.send("GET", &url, &[], None, limit)?;
        if r.status != 200 {
            return Err(unexpected("GET", &url, &r));
        }
        oci::verify_digest(&url, digest, &r.body)?;
        Ok(r.body)
    }

    fn delete_manifest(&self, digest: &str) -> Result<Deleted> {
        let url = self.endpoint(&format!("manifests/{digest}"));
        let r = self.send("DELETE", &url, &[], None, 1 << 16)?;
        match r.status {
            200 | 202 | 204 | 404 => Ok(Deleted::Yes),
            400 | 405 => Ok(Deleted::Unsupported),
            _ => Err(unexpected("DELETE", &url, &r)),
        }
    }

    fn referrers(&self, digest: &str) -> Result<Option<Vec<Descriptor>>> {
        let url = self.endpoint(&format!("referrers/{digest}"));
        let r = self.send(
            "GET",
            &url,
            &[("Accept", oci::OCI_INDEX)],
            None,
            MAX_MANIFEST_SIZE,
        )?;
        match r.status {
            200 => {
                // A registry that answers 200 with something other than an index has no API.
                match oci::parse_index(&url, &r.body) {
                    Ok(i) => Ok(Some(i.manifests)),
                    Err(_) => Ok(None),
                }
            }
            404 | 400 | 405 => Ok(None),
            _ => Err(unexpected("GET", &url, &r)),
        }
    }
}

/// Credentials: options first, then Docker's `config.json` (`credHelpers`, `auths`,
/// `credsStore`).
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
    let wanted: Vec<&str> = if reg == "docker.io" {
        vec!["index.docker.io", "docker.io", "registry-1.docker.io"]
    } else {
        vec![reg]
    };
    let host_of = |k: &str| -> String {
        let k = k
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        k.split('/').next().unwrap_or("").to_string()
    };
    let matches = |k: &str| wanted.iter().any(|w| host_of(k) == *w);
    if let Some(helpers) = cfg.get("credHelpers").and_then(|v| v.as_object()) {
        if let Some((k, h)) = helpers.iter().find(|(k, _)| matches(k)) {
            if let Some(h) = h.as_str() {
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
        return Ok(helper_get(store, server).ok());
    }
    Ok(None)
}

/// `docker-credential-NAME get`: server on stdin, `{"Username","Secret"}` on stdout.
fn helper_get(name: &str, server: &str) -> Result<(String, String)> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(Error::format(
            server,
            format!("invalid credential helper name '{name}'"),
        ));
    }
    let prog = format!("docker-credential-{name}");
    let mut child = std::process::Command::new(&prog)
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Error::registry(&prog, format!("cannot run: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::registry(&prog, e))?;
    if !out.status.success() {
        return Err(Error::registry(&prog, format!("get {server} failed")));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| Error::registry(&prog, e))?;
    let field = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Ok((field("Username"), field("Secret")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_identity() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(r.identity(), "index.docker.io/library/alpine");
        assert_eq!(r.tag.as_deref(), Some("latest"));
        let r = Reference::parse("127.0.0.1:5000/dg/app:1.0").unwrap();
        assert_eq!(r.identity(), "127.0.0.1:5000/dg/app");
        assert!(r.is_loopback());
        assert!(Reference::parse("Upper/case").is_err());
        assert!(Reference::parse("a/b@sha256:xyz").is_err());
        assert!(Reference::parse("a/b:-bad").is_err());
    }

    #[test]
    fn challenge() {
        let (s, p) = parse_challenge(
            r#"Bearer realm="https://a/token",service="reg",scope="repository:x:pull,push""#,
        );
        assert_eq!(s, "bearer");
        assert_eq!(p[2].1, "repository:x:pull,push");
    }
}
