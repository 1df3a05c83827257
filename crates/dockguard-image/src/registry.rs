//! The OCI distribution client every dockguard crate talks to registries with: the reference
//! grammar, the challenge flow, Docker's credentials, and the handful of endpoints reading an
//! image and storing signatures need.
//!
//! The client is blocking (`ureq` 3 + rustls): every blob is a long sequential stream that a
//! rayon worker decodes as it arrives, so an async runtime would add build time and nothing
//! else. Auth follows the distribution spec's challenge flow: anonymous first, then whatever
//! `WWW-Authenticate` asks for (a Bearer token from the realm, or Basic), with credentials from
//! [`RegistryOptions`], then `$DOCKER_CONFIG/config.json` (`credHelpers`, `auths`,
//! `credsStore`). Plain HTTP is only ever spoken to loopback hosts or with `insecure`.
//!
//! Everything a registry sends is bounded: callers give the size limit of each buffered body,
//! and error messages carry the URL, the HTTP status and the start of the registry's answer.
//!
//! A caller that must not let a registry steer it elsewhere (a server pulling on behalf of
//! API callers) sets [`RegistryOptions::address_filter`]. Names are then resolved inside the
//! client's own resolver and the filter sees each resolved address before the connection is
//! made to exactly those addresses, so a DNS answer that changes between a check and the
//! connection, a redirect (at most [`MAX_REDIRECTS`] hops) or a token realm on another host
//! all meet the same filter. Proxies from the environment are not used then: a proxy resolves
//! names itself, out of the filter's sight.
//!
//! ```no_run
//! use dockguard_image::registry::{Client, Reference};
//! use dockguard_image::RegistryOptions;
//! let client = Client::new(Reference::parse("127.0.0.1:5000/app:1.0")?, &RegistryOptions::default())?;
//! let manifest = client.manifest("1.0", 4 << 20)?;
//! # Ok::<(), dockguard_image::Error>(())
//! ```

use crate::digest::{Algorithm, Digest};
use crate::error::{Error, Result};
pub use crate::source::RegistryOptions;
use base64::Engine as _;
use std::io::{self, IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The `Accept` header for manifests: OCI and Docker, single-platform and index.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const ATTEMPTS: u32 = 5;
/// Bodies nobody keeps (upload answers, error documents) are read this far at most.
const SMALL_BODY: u64 = 64 << 10;
/// A buffered request has this long in total; streams only have the per-phase timeouts.
const BUFFERED_TIMEOUT: Duration = Duration::from_secs(300);
/// Redirects followed per request. Registries send blob downloads to a CDN, sometimes via one
/// more hop; a longer chain is a loop or a registry playing games.
pub const MAX_REDIRECTS: u32 = 5;

type FilterFn = dyn Fn(&str, SocketAddr) -> std::result::Result<(), String> + Send + Sync;

/// A connect-time address policy: called with the host name being connected to (as in the
/// URL, IPv6 literals in brackets) and each address it resolved to, before connecting. `Err`
/// carries the reason, which ends up in the error next to the host and the address. Any
/// refused address fails the connection, even when the name has other, acceptable ones.
#[derive(Clone)]
pub struct AddressFilter(Arc<FilterFn>);

impl AddressFilter {
    pub fn new(
        f: impl Fn(&str, SocketAddr) -> std::result::Result<(), String> + Send + Sync + 'static,
    ) -> AddressFilter {
        AddressFilter(Arc::new(f))
    }

    pub fn check(&self, host: &str, addr: SocketAddr) -> std::result::Result<(), String> {
        (self.0)(host, addr)
    }
}

impl std::fmt::Debug for AddressFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AddressFilter(..)")
    }
}

/// A refusal by the [`AddressFilter`], carried through ureq as the payload of an I/O error so
/// that [`Client::send`] can tell it from a network failure (and not retry it).
#[derive(Debug)]
struct AddressRefused {
    host: String,
    addr: SocketAddr,
    reason: String,
}

impl std::fmt::Display for AddressRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refused to connect to {} at {}: {}",
            self.host, self.addr, self.reason
        )
    }
}

impl std::error::Error for AddressRefused {}

/// ureq's resolver with the filter applied to its answer. ureq connects to exactly the
/// addresses a resolver returns, so the address checked is the address connected to.
#[derive(Debug)]
struct FilteringResolver {
    inner: ureq::unversioned::resolver::DefaultResolver,
    filter: AddressFilter,
}

impl ureq::unversioned::resolver::Resolver for FilteringResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> std::result::Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        for addr in addrs.iter() {
            if let Err(reason) = self.filter.check(host, *addr) {
                return Err(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    AddressRefused {
                        host: host.to_string(),
                        addr: *addr,
                        reason,
                    },
                )));
            }
        }
        Ok(addrs)
    }
}

/// The filter's refusal inside a ureq error, if that is what it is.
fn refusal(e: &ureq::Error) -> Option<&AddressRefused> {
    match e {
        ureq::Error::Io(io) => io.get_ref()?.downcast_ref::<AddressRefused>(),
        _ => None,
    }
}

/// A ureq error for messages: a refusal reads as itself, not as an I/O error.
fn transport_error(e: &ureq::Error) -> String {
    match refusal(e) {
        Some(r) => r.to_string(),
        None => e.to_string(),
    }
}

fn agent(opts: &RegistryOptions) -> ureq::Agent {
    let builder = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(120)))
        .max_redirects(MAX_REDIRECTS)
        .user_agent(concat!("dockguard/", env!("CARGO_PKG_VERSION")));
    match &opts.address_filter {
        None => builder.build().into(),
        Some(filter) => ureq::Agent::with_parts(
            builder.proxy(None).build(),
            ureq::unversioned::transport::DefaultConnector::new(),
            FilteringResolver {
                inner: Default::default(),
                filter: filter.clone(),
            },
        ),
    }
}

/// `[registry/]repository[:tag][@digest]`, Docker's reference grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// As written (`docker.io` when omitted), with any port.
    pub registry: String,
    /// Docker Hub's single-component names get their implied `library/`.
    pub repository: String,
    /// `latest` when neither a tag nor a digest is given.
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

impl Reference {
    pub fn parse(s: &str) -> Result<Reference> {
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
            || repository.len() > 255
            || !repository
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b))
        {
            return Err(bad(
                "invalid repository name (lowercase letters, digits, '.', '_', '-', '/')",
            ));
        }
        // The host ends up in URLs: nothing that could change what the URL means.
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

    /// The host to talk to (Docker Hub's API lives on another name than its references).
    pub fn api_host(&self) -> &str {
        if self.registry == "docker.io" {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }

    /// `localhost`, 127.0.0.0/8 or `[::1]`, with or without a port: spoken to over HTTP.
    pub fn is_loopback(&self) -> bool {
        let host = match self.registry.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => &self.registry,
        };
        // A name such as `127.evil.example` is not loopback: only a literal address counts.
        host == "localhost"
            || host == "[::1]"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// What goes after `/manifests/`: the digest when given, else the tag.
    pub fn tag_or_digest(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => "latest".into(),
        }
    }
}

fn valid_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !t.starts_with(['.', '-'])
}

/// A manifest or index as the registry served it.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    pub bytes: Vec<u8>,
    /// The `Content-Type` the registry gave, parameters stripped.
    pub media_type: Option<String>,
    /// The digest asked for, or the sha256 of the bytes when asked by tag.
    pub digest: Digest,
}

/// What deleting a manifest achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// Gone (or was not there).
    Yes,
    /// The registry refuses deletes (distribution without `delete: enabled`).
    Unsupported,
}

#[derive(Debug, Clone)]
enum Auth {
    Basic(String),
    Bearer(String),
}

/// A client for one repository. Shared between threads: the token it obtains is reused by
/// every request.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    reference: Reference,
    creds: Option<(String, String)>,
    auth: Mutex<Option<Auth>>,
    plain_http: bool,
    push: bool,
    pub(crate) progress: Option<Progress>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({})", self.describe())
    }
}

/// A buffered answer, or a body still to be read.
struct Reply {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
    stream: Option<ureq::Body>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// How a request's body is taken: read up to a limit, or left as a stream.
#[derive(Clone, Copy)]
enum Take {
    Buffer(u64),
    Stream { range_from: u64 },
}

impl Client {
    /// A client that pulls from `reference`'s repository.
    pub fn new(reference: Reference, opts: &RegistryOptions) -> Result<Client> {
        let plain = opts.insecure || reference.is_loopback();
        let base = format!(
            "{}://{}",
            if plain { "http" } else { "https" },
            reference.api_host()
        );
        let agent = agent(opts);
        let creds = credentials(&reference.registry, opts)?;
        Ok(Client {
            agent,
            base,
            creds,
            auth: Mutex::new(None),
            plain_http: plain,
            push: false,
            progress: (opts.progress && io::stderr().is_terminal()).then(Progress::default),
            reference,
        })
    }

    /// Asks token servers for push access too, so one token serves a whole write sequence.
    pub fn with_push(mut self) -> Client {
        self.push = true;
        self
    }

    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// `registry/repository`, for messages.
    pub fn describe(&self) -> String {
        format!("{}/{}", self.reference.registry, self.reference.repository)
    }

    /// The URL of `path` under the repository (`manifests/1.0`, `blobs/sha256:…`).
    pub fn url(&self, path: &str) -> String {
        format!("{}/v2/{}/{path}", self.base, self.reference.repository)
    }

    /// A manifest or index by tag or digest; `None` when the registry does not know it.
    /// Asked by digest, the bytes are checked against it.
    pub fn manifest(&self, reference: &str, limit: u64) -> Result<Option<FetchedManifest>> {
        let (url, r) = self.get_manifest(reference, limit)?;
        if r.status == 404 {
            return Ok(None);
        }
        manifest_from(reference, &url, r).map(Some)
    }

    /// Like [`Client::manifest`], but a missing manifest is an error quoting the registry.
    pub fn require_manifest(&self, reference: &str, limit: u64) -> Result<FetchedManifest> {
        let (url, r) = self.get_manifest(reference, limit)?;
        manifest_from(reference, &url, r)
    }

    fn get_manifest(&self, reference: &str, limit: u64) -> Result<(String, Reply)> {
        let url = self.url(&format!("manifests/{reference}"));
        let r = self.send(
            "GET",
            &url,
            &[("Accept", MANIFEST_ACCEPT)],
            None,
            Take::Buffer(limit),
        )?;
        Ok((url, r))
    }

    /// Stores a manifest under a tag or its digest. Returns whether the registry took note
    /// of a `subject` (an OCI 1.1 registry answers with `OCI-Subject`).
    pub fn put_manifest(&self, reference: &str, bytes: &[u8], media_type: &str) -> Result<bool> {
        let url = self.url(&format!("manifests/{reference}"));
        let r = self.send(
            "PUT",
            &url,
            &[("Content-Type", media_type)],
            Some(bytes),
            Take::Buffer(SMALL_BODY),
        )?;
        if !(200..=202).contains(&r.status) {
            return Err(unexpected("PUT", &url, &r));
        }
        Ok(r.header("oci-subject").is_some())
    }

    pub fn delete_manifest(&self, digest: &Digest) -> Result<Deleted> {
        let url = self.url(&format!("manifests/{digest}"));
        let r = self.send("DELETE", &url, &[], None, Take::Buffer(SMALL_BODY))?;
        match r.status {
            200 | 202 | 204 | 404 => Ok(Deleted::Yes),
            400 | 405 => Ok(Deleted::Unsupported),
            _ => Err(unexpected("DELETE", &url, &r)),
        }
    }

    pub fn has_blob(&self, digest: &Digest) -> Result<bool> {
        let url = self.url(&format!("blobs/{digest}"));
        let r = self.send("HEAD", &url, &[], None, Take::Buffer(0))?;
        match r.status {
            200 => Ok(true),
            404 => Ok(false),
            _ => Err(unexpected("HEAD", &url, &r)),
        }
    }

    /// A small blob, read whole (at most `limit` bytes) and checked against its digest.
    pub fn blob(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>> {
        let url = self.url(&format!("blobs/{digest}"));
        let r = self.send("GET", &url, &[], None, Take::Buffer(limit))?;
        if r.status != 200 {
            return Err(unexpected("GET", &url, &r));
        }
        digest.verify(&url, &r.body)?;
        Ok(r.body)
    }

    /// A blob as a stream that resumes with a `Range` request when the connection breaks.
    /// Not checked here: the reader hashes as it goes (layers are too big to buffer).
    pub fn open_blob(&self, digest: &Digest) -> Result<BlobReader<'_>> {
        self.open_stream(&format!("blobs/{digest}"), None)
    }

    /// `path` under the repository as a resumable stream; any answer but 200 is an error.
    pub(crate) fn open_stream(
        &self,
        path: &str,
        accept: Option<&'static str>,
    ) -> Result<BlobReader<'_>> {
        let url = self.url(path);
        let mut r = self.get_stream(&url, accept, 0)?;
        if r.status != 200 {
            return Err(unexpected("GET", &url, &r));
        }
        Ok(BlobReader {
            client: self,
            body: r.stream.take().map(|b| b.into_reader()),
            url,
            accept,
            pos: 0,
            resumes: 0,
        })
    }

    /// Uploads a blob unless the registry has it: one POST, then one monolithic PUT.
    pub fn upload_blob(&self, digest: &Digest, bytes: &[u8]) -> Result<()> {
        if self.has_blob(digest)? {
            return Ok(());
        }
        let url = self.url("blobs/uploads/");
        let r = self.send(
            "POST",
            &url,
            &[("Content-Length", "0")],
            Some(&[]),
            Take::Buffer(SMALL_BODY),
        )?;
        if r.status != 202 {
            return Err(unexpected("POST", &url, &r));
        }
        let loc = r
            .header("location")
            .ok_or_else(|| Error::remote(&url, "upload started without a Location"))?;
        let mut put_url = self.resolve_location(&loc);
        put_url.push(if put_url.contains('?') { '&' } else { '?' });
        put_url.push_str(&format!("digest={}", query_escape(digest.as_str())));
        let r = self.send(
            "PUT",
            &put_url,
            &[("Content-Type", "application/octet-stream")],
            Some(bytes),
            Take::Buffer(SMALL_BODY),
        )?;
        if !matches!(r.status, 201 | 204) {
            return Err(unexpected("PUT", &put_url, &r));
        }
        Ok(())
    }

    /// The referrers API's index for `digest` (raw bytes, at most `limit`); `None` when the
    /// registry has no such API. The tag-schema fallback is the caller's, because it is the
    /// same on any store.
    pub fn referrers(&self, digest: &Digest, limit: u64) -> Result<Option<Vec<u8>>> {
        let url = self.url(&format!("referrers/{digest}"));
        let r = self.send(
            "GET",
            &url,
            &[("Accept", OCI_INDEX)],
            None,
            Take::Buffer(limit),
        )?;
        match r.status {
            200 => Ok(Some(r.body)),
            404 | 400 | 405 => Ok(None),
            _ => Err(unexpected("GET", &url, &r)),
        }
    }

    fn resolve_location(&self, loc: &str) -> String {
        if loc.starts_with("http://") || loc.starts_with("https://") {
            loc.to_string()
        } else {
            format!(
                "{}{}{loc}",
                self.base,
                if loc.starts_with('/') { "" } else { "/" }
            )
        }
    }

    fn get_stream(&self, url: &str, accept: Option<&str>, range_from: u64) -> Result<Reply> {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        self.send("GET", url, &headers, None, Take::Stream { range_from })
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        read: Take,
    ) -> std::result::Result<Reply, ureq::Error> {
        let mut b = ureq::http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        if let Take::Stream { range_from } = read {
            if range_from > 0 {
                b = b.header("Range", format!("bytes={range_from}-"));
            }
        }
        match self.auth.lock().ok().and_then(|a| a.clone()) {
            Some(Auth::Basic(x)) => b = b.header("Authorization", format!("Basic {x}")),
            Some(Auth::Bearer(t)) => b = b.header("Authorization", format!("Bearer {t}")),
            None => {}
        }
        let buffered = matches!(read, Take::Buffer(_));
        let resp = match body {
            Some(data) => self.agent.run(self.bounded(b.body(data)?, buffered))?,
            None => self.agent.run(self.bounded(b.body(())?, buffered))?,
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = resp.into_body();
        let ok_stream = matches!(status, 200 | 206);
        let (body, stream) = match read {
            _ if method == "HEAD" => (Vec::new(), None),
            Take::Buffer(limit) => (body.with_config().limit(limit).read_to_vec()?, None),
            Take::Stream { .. } if ok_stream => (Vec::new(), Some(body)),
            // An error document: kept for the message, never more than a little of it.
            Take::Stream { .. } => (
                body.with_config()
                    .limit(SMALL_BODY)
                    .read_to_vec()
                    .unwrap_or_default(),
                None,
            ),
        };
        Ok(Reply {
            status,
            headers,
            body,
            stream,
        })
    }

    /// Buffered requests get a total time budget; streams only the per-phase timeouts, as a
    /// multi-gigabyte layer may rightly take long.
    fn bounded<S: ureq::AsSendBody>(
        &self,
        req: ureq::http::Request<S>,
        buffered: bool,
    ) -> ureq::http::Request<S> {
        if buffered {
            self.agent
                .configure_request(req)
                .timeout_global(Some(BUFFERED_TIMEOUT))
                .build()
        } else {
            req
        }
    }

    /// One request with the challenge flow, and retries with backoff on transport errors,
    /// 429 and 5xx. A refused login is an error; any other answer is the caller's to judge.
    fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        read: Take,
    ) -> Result<Reply> {
        let mut authed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let r = match self.send_once(method, url, headers, body, read) {
                Ok(r) => r,
                // A retry meets the same filter and the same redirect chain: both are final.
                Err(e) if refusal(&e).is_some() || matches!(e, ureq::Error::TooManyRedirects) => {
                    return Err(Error::remote(
                        url,
                        format!("{method}: {}", transport_error(&e)),
                    ))
                }
                Err(_) if attempt < ATTEMPTS => {
                    backoff(attempt, None);
                    continue;
                }
                Err(e) => {
                    return Err(Error::remote(
                        url,
                        format!(
                            "{method}: {} (after {ATTEMPTS} attempts)",
                            transport_error(&e)
                        ),
                    ))
                }
            };
            if r.status == 401 && !authed {
                authed = true;
                self.authenticate(r.header("www-authenticate").as_deref(), url)?;
                continue;
            }
            if (r.status == 429 || r.status >= 500) && attempt < ATTEMPTS {
                let retry_after = r
                    .header("retry-after")
                    .and_then(|s| s.trim().parse::<u64>().ok());
                backoff(attempt, retry_after);
                continue;
            }
            if r.status == 401 || r.status == 403 {
                return Err(Error::remote(
                    url,
                    format!(
                        "{method} denied (HTTP {}): {}; check --username/--password or docker login",
                        r.status,
                        snippet(&r.body)
                    ),
                ));
            }
            return Ok(r);
        }
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
                    || (self.plain_http && realm.starts_with("http://")))
                {
                    return Err(Error::remote(
                        url,
                        format!("refusing token realm '{realm}' (not https)"),
                    ));
                }
                let actions = if self.push { "pull,push" } else { "pull" };
                let scope = param("scope").map(str::to_string).unwrap_or_else(|| {
                    format!("repository:{}:{actions}", self.reference.repository)
                });
                let mut token_url = format!("{realm}?scope={}", query_escape(&scope));
                if let Some(s) = param("service") {
                    token_url.push_str(&format!("&service={}", query_escape(s)));
                }
                let mut req = self.agent.get(&token_url);
                if let Some(b) = &basic {
                    req = req.header("Authorization", &format!("Basic {b}"));
                }
                let mut resp = req
                    .config()
                    .timeout_global(Some(BUFFERED_TIMEOUT))
                    .build()
                    .call()
                    .map_err(|e| {
                        Error::remote(
                            &token_url,
                            format!("token request: {}", transport_error(&e)),
                        )
                    })?;
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
}

fn manifest_from(reference: &str, url: &str, r: Reply) -> Result<FetchedManifest> {
    if r.status != 200 {
        return Err(unexpected("GET", url, &r));
    }
    let digest = if reference.contains(':') {
        let d = Digest::parse(reference)?;
        d.verify(format!("manifest {d} from {url}"), &r.body)?;
        d
    } else {
        Digest::of(Algorithm::Sha256, &r.body)
    };
    let media_type = r
        .header("content-type")
        .map(|c| c.split(';').next().unwrap_or("").trim().to_string())
        .filter(|c| !c.is_empty());
    Ok(FetchedManifest {
        bytes: r.body,
        media_type,
        digest,
    })
}

fn unexpected(method: &str, url: &str, r: &Reply) -> Error {
    Error::remote(
        url,
        format!(
            "{method} failed with HTTP {}: {}",
            r.status,
            snippet(&r.body)
        ),
    )
}

/// The start of a registry's answer, on one line: its JSON error document says what is wrong.
fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(300)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn backoff(attempt: u32, retry_after: Option<u64>) {
    let secs = retry_after.unwrap_or(0).min(30);
    let ms = (250u64 << attempt.min(6)).max(secs * 1000);
    std::thread::sleep(Duration::from_millis(ms));
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
    while let Some((k, v)) = rest.split_once('=') {
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
    if name.is_empty()
        || !name
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
        .stderr(std::process::Stdio::null())
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
            format!("get {server} failed: {}", snippet(&out.stdout)),
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| Error::remote(&prog, e))?;
    let field = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Ok((field("Username"), field("Secret")))
}

/// A one-line byte counter on stderr, redrawn at most ten times a second.
#[derive(Default)]
pub(crate) struct Progress {
    done: AtomicU64,
    pub(crate) total: AtomicU64,
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

/// A blob stream that picks up where it broke with a `Range` request: a dropped connection
/// 3 GB into a layer costs one request, not the whole download.
pub struct BlobReader<'a> {
    client: &'a Client,
    url: String,
    accept: Option<&'static str>,
    body: Option<ureq::BodyReader<'static>>,
    pos: u64,
    resumes: u32,
}

impl Read for BlobReader<'_> {
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
            let mut r = self
                .client
                .get_stream(&self.url, self.accept, self.pos)
                .map_err(|e| io::Error::other(e.to_string()))?;
            let Some(stream) = r.stream.take() else {
                return Err(io::Error::other(
                    unexpected("GET", &self.url, &r).to_string(),
                ));
            };
            let mut reader = stream.into_reader();
            // A server that ignores Range sends everything again: skip what we have.
            if r.status == 200 && self.pos > 0 {
                let mut skip = (&mut reader).take(self.pos);
                io::copy(&mut skip, &mut io::sink())?;
            }
            self.body = Some(reader);
        }
    }
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
    fn loopback_hosts() {
        for (host, want) in [
            ("localhost:5000/a", true),
            ("127.0.0.9/a", true),
            ("[::1]:5000/a", true),
            ("[::1]/a", true),
            ("10.0.0.1:5000/a", false),
            ("127.evil.example/a", false),
            ("127.0.0.1.example:5000/a", false),
            ("ghcr.io/a", false),
        ] {
            assert_eq!(
                Reference::parse(host).unwrap().is_loopback(),
                want,
                "{host}"
            );
        }
        assert!(Reference::parse("ho$t.io/a").is_err());
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
    fn challenge_with_push_scope() {
        let (s, p) = parse_challenge(
            r#"Bearer realm="https://a/token",service="reg",scope="repository:x:pull,push""#,
        );
        assert_eq!(s, "bearer");
        assert_eq!(p[2].1, "repository:x:pull,push");
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
