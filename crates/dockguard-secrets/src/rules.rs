//! The built-in rule set.
//!
//! Every rule has literal keywords that any match must contain: the engine only runs a rule's
//! regex around places where one of its keywords occurs, which is what keeps a scan fast. A
//! rule's regex captures the secret itself in group 1 (or is the secret as a whole when it has
//! no group); that span is what gets redacted and what entropy and placeholder checks see.
//!
//! Patterns are written in ASCII mode (`(?-u)` is prepended) because the haystack is raw bytes
//! and ASCII word boundaries keep the regex engines on their fast paths.

use dockguard_core::Severity;

/// Extra validation of a candidate secret beyond the regex.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Check {
    None,
    /// Reject values that look like templates, examples or references.
    NotPlaceholder,
    /// Minimum Shannon entropy in bits per byte, plus the placeholder check.
    Entropy(f64),
    /// `"auth": "<base64 of user:password>"` as in `.docker/config.json`.
    DockerAuth,
    /// `user:password@` in a URL: the password must not be a placeholder.
    UrlPassword,
    /// `name = value` with a secret-sounding name: entropy, character mix, stop words.
    GenericAssignment,
}

/// How matches are found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shape {
    /// The regex runs on the line (bounded window) around each keyword hit.
    Line,
    /// A PEM/OpenSSH/PGP private key block from `-----BEGIN` to `-----END`.
    PrivateKeyBlock,
}

pub(crate) struct Spec {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// Case-sensitive keywords (token prefixes).
    pub kw: &'static [&'static str],
    /// ASCII-case-insensitive keywords (words such as `password`).
    pub kwi: &'static [&'static str],
    pub regex: &'static str,
    pub check: Check,
    pub shape: Shape,
    /// When non-empty, the rule only applies to files matching one of these globs.
    pub paths: &'static [&'static str],
    /// A generic rule's match is dropped when a specific rule matched an overlapping span.
    pub generic: bool,
}

const fn line(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    kw: &'static [&'static str],
    regex: &'static str,
) -> Spec {
    Spec {
        id,
        title,
        severity,
        kw,
        kwi: &[],
        regex,
        check: Check::None,
        shape: Shape::Line,
        paths: &[],
        generic: false,
    }
}

use Severity::{Critical, High, Low, Medium};

/// The built-in rules. Ids are stable: allow rules and `disable` lists refer to them.
pub(crate) fn builtin() -> Vec<Spec> {
    vec![
        // --- cloud providers -------------------------------------------------------------
        line(
            "aws-access-key-id",
            "AWS access key ID",
            Critical,
            &["AKIA", "ASIA", "ABIA", "ACCA"],
            r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b",
        ),
        Spec {
            kw: &[],
            kwi: &[
                "secret_access_key",
                "secretaccesskey",
                "secret-access-key",
                "aws_secret",
                "aws-secret",
                "secret_key",
                "secretkey",
            ],
            check: Check::NotPlaceholder,
            ..line(
                "aws-secret-access-key",
                "AWS secret access key",
                Critical,
                &[],
                r#"(?i)(?:aws)?[_.\- ]?secret[_.\- ]?(?:access)?[_.\- ]?key["']?\s*(?:=|:=|:|=>)\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
            )
        },
        Spec {
            kwi: &["aws_session_token", "awssessiontoken", "aws-session-token"],
            check: Check::NotPlaceholder,
            ..line(
                "aws-session-token",
                "AWS session token",
                High,
                &[],
                r#"(?i)aws[_\-]?session[_\-]?token["']?\s*(?:=|:=|:|=>)\s*["']?([A-Za-z0-9/+=]{100,})"#,
            )
        },
        line(
            "gcp-api-key",
            "Google API key",
            High,
            &["AIza"],
            r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
        ),
        line(
            "gcp-service-account-key",
            "GCP service account key",
            Critical,
            &["private_key_id"],
            r#""private_key_id"\s*:\s*"([a-f0-9]{40})""#,
        ),
        line(
            "google-oauth-client-secret",
            "Google OAuth client secret",
            High,
            &["GOCSPX-"],
            r"\b(GOCSPX-[A-Za-z0-9_\-]{28})(?:[^A-Za-z0-9_\-]|$)",
        ),
        line(
            "azure-storage-account-key",
            "Azure storage account key",
            Critical,
            &["AccountKey="],
            r"AccountKey=([A-Za-z0-9+/]{86}==)",
        ),
        Spec {
            check: Check::Entropy(3.0),
            // "Q~" alone is too short for the prefilter; these secrets sit next to such names.
            kwi: &["azure", "client_secret", "clientsecret", "client-secret"],
            ..line(
                "azure-ad-client-secret",
                "Azure AD client secret",
                High,
                &[],
                r"(?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)",
            )
        },
        line(
            "digitalocean-token",
            "DigitalOcean token",
            Critical,
            &["dop_v1_", "doo_v1_", "dor_v1_"],
            r"\b(do[opr]_v1_[a-f0-9]{64})\b",
        ),
        line(
            "alibaba-access-key-id",
            "Alibaba Cloud AccessKey ID",
            High,
            &["LTAI"],
            r"\b(LTAI[A-Za-z0-9]{20})\b",
        ),
        // --- source hosting and CI ----------------------------------------------------------
        line(
            "github-pat",
            "GitHub personal access token",
            Critical,
            &["ghp_"],
            r"\b(ghp_[A-Za-z0-9]{36})\b",
        ),
        line(
            "github-fine-grained-pat",
            "GitHub fine-grained personal access token",
            Critical,
            &["github_pat_"],
            r"\b(github_pat_[A-Za-z0-9_]{82})\b",
        ),
        line(
            "github-oauth-token",
            "GitHub OAuth access token",
            Critical,
            &["gho_"],
            r"\b(gho_[A-Za-z0-9]{36})\b",
        ),
        line(
            "github-app-token",
            "GitHub App token",
            Critical,
            &["ghu_", "ghs_"],
            r"\b(gh[us]_[A-Za-z0-9]{36})\b",
        ),
        line(
            "github-refresh-token",
            "GitHub refresh token",
            Critical,
            &["ghr_"],
            r"\b(ghr_[A-Za-z0-9]{36,76})\b",
        ),
        line(
            "gitlab-pat",
            "GitLab personal access token",
            Critical,
            &["glpat-"],
            r"\b(glpat-[A-Za-z0-9_\-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?)(?:[^A-Za-z0-9_\-.]|$)",
        ),
        line(
            "gitlab-pipeline-trigger-token",
            "GitLab pipeline trigger token",
            Critical,
            &["glptt-"],
            r"\b(glptt-[0-9a-f]{40})\b",
        ),
        line(
            "gitlab-runner-token",
            "GitLab runner token",
            Critical,
            &["glrt-", "GR1348941"],
            r"\b((?:glrt-|GR1348941)[A-Za-z0-9_\-]{20,64})(?:[^A-Za-z0-9_\-]|$)",
        ),
        line(
            "gitlab-deploy-token",
            "GitLab deploy token",
            Critical,
            &["gldt-"],
            r"\b(gldt-[A-Za-z0-9_\-]{20,64})(?:[^A-Za-z0-9_\-]|$)",
        ),
        line(
            "bitbucket-app-password",
            "Bitbucket app password",
            Critical,
            &["ATBB"],
            r"\b(ATBB[A-Za-z0-9_=.\-]{28,40})\b",
        ),
        line(
            "atlassian-api-token",
            "Atlassian / Bitbucket API or access token",
            Critical,
            &["ATATT3", "ATCTT3"],
            r"\b(AT[AC]TT3[A-Za-z0-9_\-=]{150,250})",
        ),
        Spec {
            kw: &[],
            kwi: &["bitbucket"],
            check: Check::Entropy(3.5),
            ..line(
                "bitbucket-client-secret",
                "Bitbucket OAuth client secret",
                Critical,
                &[],
                r#"(?i)bitbucket[a-z0-9_ .\-]{0,25}secret["']?\s*(?:=|:=|:|=>)\s*["']?([a-z0-9_\-]{32,64})(?:[^a-z0-9_\-]|$)"#,
            )
        },
        // --- chat, payments, messaging -----------------------------------------------------
        line(
            "slack-bot-token",
            "Slack bot token",
            High,
            &["xoxb-"],
            r"\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-?[A-Za-z0-9]{24,34})\b",
        ),
        line(
            "slack-user-token",
            "Slack user token",
            High,
            &["xoxp-", "xoxe-", "xoxa-", "xoxs-"],
            r"\b(xox[paes]-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z\-]{10,80})\b",
        ),
        line(
            "slack-app-token",
            "Slack app-level token",
            High,
            &["xapp-"],
            r"\b(xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]{32,80})\b",
        ),
        line(
            "slack-webhook-url",
            "Slack incoming webhook URL",
            High,
            &["hooks.slack.com"],
            r"(https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_\-]{40,80})",
        ),
        line(
            "stripe-secret-key",
            "Stripe live secret key",
            Critical,
            &["sk_live_", "rk_live_"],
            r"\b([sr]k_live_[0-9A-Za-z]{20,99})\b",
        ),
        line(
            "stripe-test-secret-key",
            "Stripe test-mode secret key",
            Low,
            &["sk_test_", "rk_test_"],
            r"\b([sr]k_test_[0-9A-Za-z]{20,99})\b",
        ),
        Spec {
            check: Check::Entropy(3.0),
            // "SK" alone is too short for the prefilter: require the service name on the line.
            kwi: &["twilio"],
            ..line(
                "twilio-api-key",
                "Twilio API key",
                High,
                &[],
                r"(?i:twilio)[^\n]{0,80}?\b(SK[0-9a-fA-F]{32})\b",
            )
        },
        Spec {
            check: Check::Entropy(3.0),
            kwi: &["twilio"],
            ..line(
                "twilio-auth-token",
                "Twilio auth token",
                High,
                &[],
                r#"(?i)twilio[a-z0-9_.\-]{0,20}auth[_\-]?token["']?\s*(?:=|:=|:|=>)\s*["']?([a-f0-9]{32})(?:[^a-f0-9]|$)"#,
            )
        },
        line(
            "sendgrid-api-token",
            "SendGrid API key",
            High,
            &["SG."],
            r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
        ),
        Spec {
            kwi: &["mailgun"],
            ..line(
                "mailgun-api-key",
                "Mailgun API key",
                High,
                &[],
                r"(?i:mailgun)[^\n]{0,40}\b(key-[0-9a-f]{32})\b",
            )
        },
        line(
            "shopify-token",
            "Shopify access token or shared secret",
            High,
            &["shpat_", "shpss_", "shpca_", "shppa_"],
            r"\b(shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})\b",
        ),
        line(
            "square-access-token",
            "Square access token",
            High,
            &["sq0atp-", "sq0csp-"],
            r"\b(sq0(?:atp|csp)-[0-9A-Za-z\-_]{22,43})\b",
        ),
        line(
            "telegram-bot-token",
            "Telegram bot token",
            Medium,
            &[":AA"],
            r"\b([0-9]{8,10}:AA[0-9A-Za-z_\-]{33})(?:[^0-9A-Za-z_\-]|$)",
        ),
        // --- package registries ----------------------------------------------------------
        line(
            "npm-access-token",
            "npm access token",
            Critical,
            &["npm_"],
            r"\b(npm_[A-Za-z0-9]{36})\b",
        ),
        Spec {
            kw: &[],
            kwi: &["_authtoken", "_auth", "_password"],
            check: Check::NotPlaceholder,
            paths: &["**/.npmrc", "**/npmrc", "**/.yarnrc", "**/.yarnrc.yml"],
            ..line(
                "npmrc-auth",
                "npm registry credentials (.npmrc)",
                Critical,
                &[],
                r#"(?i)(?:^|[\s:/])(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'#;]{8,})"#,
            )
        },
        line(
            "pypi-upload-token",
            "PyPI upload token",
            Critical,
            &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
            r"\b(pypi-Ag[A-Za-z0-9_\-]{16,30}[A-Za-z0-9_\-]{50,})",
        ),
        Spec {
            kw: &[],
            kwi: &["password"],
            check: Check::NotPlaceholder,
            paths: &["**/.pypirc"],
            ..line(
                "pypirc-password",
                "Package index password (.pypirc)",
                High,
                &[],
                r"(?im)^[ \t]*password[ \t]*[:=][ \t]*(\S{4,})",
            )
        },
        Spec {
            kw: &[],
            kwi: &["<password>"],
            check: Check::NotPlaceholder,
            paths: &["**/*.xml"],
            ..line(
                "maven-settings-password",
                "Password in Maven settings",
                High,
                &[],
                r"(?i)<password>\s*([^<\s{$][^<]{3,255}?)\s*</password>",
            )
        },
        line(
            "dockerhub-pat",
            "Docker Hub access token",
            Critical,
            &["dckr_pat_", "dckr_oat_"],
            r"\b(dckr_(?:pat|oat)_[A-Za-z0-9_\-]{27,})",
        ),
        Spec {
            kw: &[],
            kwi: &["\"auth\""],
            check: Check::DockerAuth,
            paths: &["**/config.json", "**/.dockercfg", "**/auth.json"],
            ..line(
                "docker-config-auth",
                "Registry credentials in Docker config.json",
                Critical,
                &[],
                r#""auth"\s*:\s*"([A-Za-z0-9+/=]{8,})""#,
            )
        },
        // --- AI services ---------------------------------------------------------------------
        line(
            "openai-api-key",
            "OpenAI API key",
            Critical,
            &["T3BlbkFJ"],
            r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,160}T3BlbkFJ[A-Za-z0-9_\-]{16,160})",
        ),
        line(
            "anthropic-api-key",
            "Anthropic API key",
            Critical,
            &["sk-ant-"],
            r"\b(sk-ant-[a-z]{3,8}[0-9]{2}-[A-Za-z0-9_\-]{80,120})",
        ),
        Spec {
            check: Check::Entropy(3.0),
            ..line(
                "huggingface-token",
                "Hugging Face access token",
                High,
                &["hf_", "api_org_"],
                r"\b((?:hf_|api_org_)[A-Za-z]{34})\b",
            )
        },
        // --- other services -----------------------------------------------------------------
        line(
            "hashicorp-vault-token",
            "HashiCorp Vault token",
            High,
            &["hvs.", "hvb."],
            r"\b(hv[sb]\.[A-Za-z0-9_\-]{24,200})",
        ),
        line(
            "terraform-cloud-token",
            "Terraform Cloud API token",
            High,
            &[".atlasv1."],
            r"\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{60,70})",
        ),
        line(
            "grafana-token",
            "Grafana API or service account token",
            High,
            &["glc_", "glsa_"],
            r"\b(gl(?:c|sa)_[A-Za-z0-9+/=_]{32,400})",
        ),
        line(
            "new-relic-user-key",
            "New Relic user API key",
            High,
            &["NRAK-"],
            r"\b(NRAK-[A-Z0-9]{27})\b",
        ),
        line(
            "postman-api-key",
            "Postman API key",
            High,
            &["PMAK-"],
            r"\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
        ),
        line(
            "linear-api-key",
            "Linear API key",
            High,
            &["lin_api_"],
            r"\b(lin_api_[A-Za-z0-9]{40})\b",
        ),
        line(
            "doppler-token",
            "Doppler API token",
            High,
            &["dp.pt."],
            r"\b(dp\.pt\.[A-Za-z0-9]{43})\b",
        ),
        line(
            "age-secret-key",
            "age encryption secret key",
            High,
            &["AGE-SECRET-KEY-1"],
            r"(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
        ),
        Spec {
            check: Check::Entropy(3.0),
            ..line(
                "jwt",
                "JSON Web Token",
                Medium,
                &["eyJ"],
                r"\b(eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,})",
            )
        },
        // --- keys and passwords -----------------------------------------------------------
        Spec {
            shape: Shape::PrivateKeyBlock,
            ..line("private-key", "Private key", High, &["-----BEGIN"], "")
        },
        Spec {
            kw: &[],
            kwi: &["://"],
            check: Check::UrlPassword,
            ..line(
                "password-in-url",
                "Password in URL",
                High,
                &[],
                r#"(?i)\b[a-z][a-z0-9+.\-]{1,30}://([^\s:/?#@"'<>\[\]`]{1,128}):([^\s/?#@"'<>\[\]`]{1,256})@[a-z0-9.\-]+"#,
            )
        },
        Spec {
            kw: &[],
            // Every name the regex accepts contains one of these ("key" covers api_key,
            // access_key, auth_key, private_key).
            kwi: &["passw", "pwd", "secret", "token", "key"],
            check: Check::GenericAssignment,
            paths: &[],
            generic: true,
            ..line(
                "generic-password",
                "Hard-coded password or secret",
                High,
                &[],
                // Key, optional closing quote, assignment, then a quoted or bare value.
                r#"(?i)(?:^|[^A-Za-z0-9_.\-])([A-Za-z0-9_.\-]{0,40}(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|auth[_\-]?key|private[_\-]?key)[A-Za-z0-9_.\-]{0,20})["']?[ \t]*(?:=|:=|:|=>)[ \t]*(?:"([^"\r\n]{1,200})"|'([^'\r\n]{1,200})'|([^\s"'`,;#]{1,200}))"#,
            )
        },
    ]
}

/// Paths where the generic assignment rule does not look: source code and documentation say
/// `password = get_password()` far more often than they hold one, and the specific rules
/// still run there.
pub(crate) const GENERIC_SKIP_PATHS: &[&str] = &[
    "**/*.{py,pyi,js,mjs,cjs,ts,tsx,jsx,go,rs,c,h,cc,cpp,hpp,java,kt,scala,rb,php,pl,pm,lua,cs,swift,m,vue,svelte,coffee}",
    "**/*.{md,rst,txt,html,htm,xhtml,adoc,tex,texi,info,1,2,3,4,5,6,7,8,gz,map,po,pot,mo,css,scss,less,svg}",
    "**/*.d.ts",
    "**/node_modules/**",
    "**/site-packages/**",
    "**/dist-packages/**",
    "usr/share/**",
    "usr/include/**",
    "usr/lib/**",
    "usr/libexec/**",
    "var/lib/dpkg/**",
    "var/lib/apt/**",
    "var/cache/**",
    "var/log/**",
    "etc/ssl/**",
];

/// Values that are clearly not real secrets: templates, references, examples.
pub(crate) fn is_placeholder(v: &[u8]) -> bool {
    let s = String::from_utf8_lossy(v).to_ascii_lowercase();
    let s = s.trim();
    if s.is_empty() {
        return true;
    }
    const MARKERS: &[&str] = &[
        "${",
        "$(",
        "{{",
        "}}",
        "%(",
        "%s",
        "<%",
        "<",
        ">",
        "***",
        "xxx",
        "...",
        "example",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "your_",
        "your-",
        "yourpass",
        "dummy",
        "redacted",
        "replace",
        "insert",
        "enter_",
        "todo",
        "fixme",
        "sample",
        "process.env",
        "os.environ",
        "getenv",
        "env(",
        "secrets.",
    ];
    if MARKERS.iter().any(|m| s.contains(m)) {
        return true;
    }
    const WHOLE: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "token",
        "null",
        "none",
        "nil",
        "undefined",
        "true",
        "false",
        "empty",
        "string",
        "test",
        "admin",
        "root",
        "user",
        "username",
        "foo",
        "bar",
        "foobar",
        "123456",
        "12345678",
        "qwerty",
        "letmein",
    ];
    if WHOLE.contains(&s) {
        return true;
    }
    // `$NAME`, `@NAME@`, `%NAME%`: a reference resolved elsewhere.
    let b = s.as_bytes();
    b[0] == b'$'
        || (b[0] == b'@' && b[b.len() - 1] == b'@')
        || (b[0] == b'%' && b[b.len() - 1] == b'%')
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(v: &[u8]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in v {
        counts[b as usize] += 1;
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Character classes present: lower, upper, digit, other.
fn classes(v: &[u8]) -> u32 {
    let mut c = [false; 4];
    for &b in v {
        let i = if b.is_ascii_lowercase() {
            0
        } else if b.is_ascii_uppercase() {
            1
        } else if b.is_ascii_digit() {
            2
        } else {
            3
        };
        c[i] = true;
    }
    c.iter().filter(|&&x| x).count() as u32
}

/// Whether a generic `name = value` assignment holds something that looks like a real secret.
pub(crate) fn generic_value_ok(name: &[u8], value: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    // Names that describe a secret without holding one.
    const NAME_STOP: &[&str] = &[
        "_file",
        "_path",
        "_dir",
        "_url",
        "_uri",
        "_env",
        "_name",
        "_type",
        "_length",
        "_len",
        "_min",
        "_max",
        "_hash",
        "_id",
        "_prompt",
        "_field",
        "_label",
        "_policy",
        "_regex",
        "_pattern",
        "_header",
        "_cmd",
        "_command",
        "_ref",
        "_arn",
        "_version",
        "_expir",
        "_timeout",
        "_ttl",
        "_count",
        "_endpoint",
        "tokenizer",
        "token_type",
        "is_",
        "has_",
        "_required",
        "_enabled",
        "_mode",
        "_format",
        "_method",
        "_key_id",
        "keyid",
        "_size",
        "_reset",
        "_change",
        "_hint",
        "_strength",
        "_validator",
        "forgot",
        "_provider",
    ];
    let name_norm = name.replace(['-', '.'], "_");
    if NAME_STOP.iter().any(|s| name_norm.contains(s)) {
        return false;
    }
    if value.len() < 8 || is_placeholder(value) {
        return false;
    }
    // Paths, URLs without credentials, numbers and identifiers are configuration, not secrets.
    if value.starts_with(b"/") || value.starts_with(b"./") || value.starts_with(b"~/") {
        return false;
    }
    if value.windows(3).any(|w| w == b"://") {
        return false;
    }
    if value.iter().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if value
        .iter()
        .any(|&b| matches!(b, b'(' | b')' | b' ' | b'[' | b']' | b'{' | b'}'))
    {
        return false;
    }
    // `module.attribute` and `snake_case_words` are code or config references.
    if value
        .iter()
        .all(|&b| b.is_ascii_lowercase() || b == b'_' || b == b'.' || b == b'-')
    {
        return false;
    }
    let e = entropy(value);
    let c = classes(value);
    (c >= 3 && e >= 3.0) || (value.len() >= 16 && c >= 2 && e >= 3.5)
}

/// `.docker/config.json` `auth`: base64 of `user:password` with both parts present.
pub(crate) fn docker_auth_ok(v: &[u8]) -> bool {
    use base64::Engine as _;
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(v) else {
        return false;
    };
    match decoded.iter().position(|&b| b == b':') {
        Some(i) => i > 0 && i + 1 < decoded.len() && !is_placeholder(&decoded[i + 1..]),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "${NPM_TOKEN}",
            "$TOKEN",
            "changeme",
            "<your-token>",
            "xxxxxxxx",
            "password",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "Pr0d-tNykZRqfp1un!",
            "ghp_VNtbPuLUvNg5jBP3nLuOxDmAoT8JzdYchbeL",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn generic_values_need_entropy_and_mix() {
        assert!(generic_value_ok(b"DB_PASSWORD", b"Pr0d-tNykZRqfp1un!"));
        assert!(!generic_value_ok(b"DB_PASSWORD", b"password123"));
        assert!(!generic_value_ok(b"password", b"self.password"));
        assert!(!generic_value_ok(b"PASSWORD_FILE", b"Qz8#kLm2Vx9!pR"));
        assert!(!generic_value_ok(b"token", b"get_token()"));
        assert!(!generic_value_ok(b"secret", b"aaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn docker_auth_must_decode_to_user_and_password() {
        // "robot:s3cr3t-Pa55"
        assert!(docker_auth_ok(b"cm9ib3Q6czNjcjN0LVBhNTU="));
        // "justauser"
        assert!(!docker_auth_ok(b"anVzdGF1c2Vy"));
        assert!(!docker_auth_ok(b"not base64!"));
    }

    #[test]
    fn entropy_orders_random_above_repetitive() {
        assert!(entropy(b"aaaaaaaa") < 0.01);
        assert!(entropy(b"SbAdc9y/9sgqORchknIKBBEnV5rmWMyIEL19oiOC") > 4.0);
    }
}
