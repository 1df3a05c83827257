//! Bearer-token authentication of the API. Tokens come from a token file (`TOKEN ROLE` per
//! line) and/or one submit token given by the operator; the server keeps only their SHA-256,
//! and a presented token is hashed and compared with every known one in constant time, so
//! neither the comparison nor the number of tokens checked tells a caller how close a guess
//! came.

use crate::Error;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Largest token file read; a token file is a handful of lines, so anything bigger is a
/// mistake (the wrong file) rather than something to read partially.
pub const MAX_TOKEN_FILE: u64 = 1 << 20;
/// Shortest token accepted: short tokens can be guessed over the network.
pub const MIN_TOKEN_LEN: usize = 16;
/// Longest token accepted (also bounds what a request's header is hashed for).
const MAX_TOKEN_LEN: usize = 4096;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `GET` every route.
    Read,
    /// `Read`, and `POST` scans and SBOMs.
    Submit,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        match s {
            "read" => Some(Role::Read),
            "submit" => Some(Role::Submit),
            _ => None,
        }
    }
}

/// The tokens the API accepts. Empty: no authentication (then the server only listens on
/// loopback unless told otherwise; see [`crate::Config::insecure_no_auth`]).
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Vec<([u8; 32], Role)>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the tokens, not even their hashes: logs get copied around.
        write!(f, "Tokens({} configured)", self.entries.len())
    }
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Equality whose time does not depend on where the inputs differ.
fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold back into an early exit.
    std::hint::black_box(diff) == 0
}

/// Why a token is unusable; `None` when it is fine.
fn token_problem(token: &str) -> Option<String> {
    if token.len() < MIN_TOKEN_LEN {
        return Some(format!(
            "token is shorter than {MIN_TOKEN_LEN} characters (use a random one, e.g. 32 hex \
             digits)"
        ));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Some(format!("token is longer than {MAX_TOKEN_LEN} characters"));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Some("token has characters other than printable ASCII".into());
    }
    None
}

impl Tokens {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds one token (e.g. from `DOCKGUARD_SERVER_TOKEN`); `origin` names it in errors.
    pub fn add(&mut self, token: &str, role: Role, origin: &str) -> Result<(), Error> {
        let token = token.trim();
        if let Some(p) = token_problem(token) {
            return Err(Error::Config(format!("{origin}: {p}")));
        }
        let h = hash(token);
        if self.entries.iter().any(|(e, _)| e == &h) {
            return Err(Error::Config(format!(
                "{origin}: the same token is configured twice"
            )));
        }
        self.entries.push((h, role));
        Ok(())
    }

    /// Reads a token file: one `TOKEN ROLE` per line (ROLE `read` or `submit`), blank lines
    /// and `#` comment lines ignored.
    pub fn load(path: &Path) -> Result<Tokens, Error> {
        use std::io::Read;
        let shown = path.display();
        let f = std::fs::File::open(path)
            .map_err(|e| Error::Config(format!("{shown}: cannot open the token file: {e}")))?;
        let mut bytes = Vec::new();
        f.take(MAX_TOKEN_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Config(format!("{shown}: cannot read the token file: {e}")))?;
        if bytes.len() as u64 > MAX_TOKEN_FILE {
            return Err(Error::Config(format!(
                "{shown}: token file is larger than {MAX_TOKEN_FILE} bytes"
            )));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::Config(format!("{shown}: token file is not UTF-8 text")))?;
        Tokens::parse(&text, &shown.to_string())
    }

    /// [`Tokens::load`] on text already read; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Tokens, Error> {
        let mut tokens = Tokens::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{file}:{}", i + 1);
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [token, role] = fields[..] else {
                // The line may hold a token: never echo it.
                return Err(Error::Config(format!(
                    "{at}: expected `TOKEN ROLE` (two fields), found {}",
                    fields.len()
                )));
            };
            let role = Role::parse(role).ok_or_else(|| {
                Error::Config(format!(
                    "{at}: unknown role '{}' (expected read or submit)",
                    role.chars().take(32).collect::<String>()
                ))
            })?;
            tokens.add(token, role, &at)?;
        }
        if tokens.is_empty() {
            return Err(Error::Config(format!(
                "{file}: the token file has no tokens (every API request would be refused)"
            )));
        }
        Ok(tokens)
    }

    /// The role of a presented token. Every entry is compared, match or not.
    fn role_of(&self, presented: &str) -> Option<Role> {
        let h = hash(presented);
        let mut found = None;
        for (e, role) in &self.entries {
            if ct_eq(e, &h) {
                found = Some(*role);
            }
        }
        found
    }
}

fn refuse(status: StatusCode, message: &str, challenge: Option<&'static str>) -> Response {
    let mut r = crate::api::ApiError::new(status, message).into_response();
    if let Some(c) = challenge {
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(c));
    }
    r
}

/// The role a request needs: none for the health check, submit for anything that is not a
/// read, read for everything else (including `/metrics` and unknown paths, so an
/// unauthenticated caller cannot even map the API).
fn needed(method: &Method, path: &str) -> Option<Role> {
    if path == "/healthz" {
        return None;
    }
    if method == Method::GET || method == Method::HEAD {
        Some(Role::Read)
    } else {
        Some(Role::Submit)
    }
}

/// The middleware: passes requests through when no token is configured.
pub(crate) async fn check(
    State(shared): State<Arc<crate::Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let tokens = &shared.config.tokens;
    if tokens.is_empty() {
        return next.run(request).await;
    }
    let Some(need) = needed(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let Some(presented) = presented.filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_LEN) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "authentication required: send `Authorization: Bearer TOKEN`",
            Some("Bearer realm=\"dockguard\""),
        );
    };
    match tokens.role_of(presented) {
        None => refuse(
            StatusCode::UNAUTHORIZED,
            "invalid token",
            Some("Bearer realm=\"dockguard\", error=\"invalid_token\""),
        ),
        Some(role) if role < need => refuse(
            StatusCode::FORBIDDEN,
            "this token may only read: submitting needs a token with the submit role",
            None,
        ),
        Some(_) => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123";
    const B: &str = "fedcba9876543210fedc";

    #[test]
    fn token_files_parse_with_comments_and_roles() {
        let t = Tokens::parse(
            &format!("# ci\n\n{A} submit\n  {B}   read  \n# end\n"),
            "tokens",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.role_of(A), Some(Role::Submit));
        assert_eq!(t.role_of(B), Some(Role::Read));
        assert_eq!(t.role_of("0123456789abcdef012"), None);
        assert_eq!(t.role_of(""), None);
    }

    #[test]
    fn token_file_errors_name_the_line_and_never_the_token() {
        let cases = [
            (format!("# x\n{A}\n"), "tokens:2: expected `TOKEN ROLE`"),
            (format!("{A} admin\n"), "tokens:1: unknown role 'admin'"),
            ("short read\n".to_string(), "tokens:1: token is shorter"),
            (
                format!("{A} read\n{A} submit\n"),
                "tokens:2: the same token",
            ),
            (format!("{A} read extra\n"), "tokens:1: expected"),
            (
                "# only comments\n".to_string(),
                "tokens: the token file has no",
            ),
        ];
        for (text, want) in cases {
            let e = Tokens::parse(&text, "tokens").unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
            assert!(!e.contains(A), "{e}");
        }
    }

    #[test]
    fn oversized_token_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'#'; (MAX_TOKEN_FILE + 1) as usize]).unwrap();
        let e = Tokens::load(&p).unwrap_err().to_string();
        assert!(e.contains("larger than"), "{e}");
        let e = Tokens::load(&dir.path().join("none"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot open"), "{e}");
    }

    #[test]
    fn roles_needed_per_route() {
        assert_eq!(needed(&Method::GET, "/healthz"), None);
        assert_eq!(needed(&Method::GET, "/metrics"), Some(Role::Read));
        assert_eq!(needed(&Method::GET, "/v1/artifacts"), Some(Role::Read));
        assert_eq!(needed(&Method::POST, "/v1/scans"), Some(Role::Submit));
        assert_eq!(needed(&Method::DELETE, "/v1/jobs/x"), Some(Role::Submit));
        assert!(Role::Submit > Role::Read);
        let debug = format!("{:?}", Tokens::parse(&format!("{A} read"), "t").unwrap());
        assert!(!debug.contains(A), "{debug}");
    }
}
