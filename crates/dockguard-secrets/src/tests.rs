//! Rule tests: each rule finds its format and ignores look-alikes. Fake values are assembled
//! at run time so that this file itself holds no complete token.

use super::*;

fn ids(path: &str, text: &str) -> Vec<String> {
    scan_bytes(path, text.as_bytes(), &SecretOptions::default())
        .into_iter()
        .map(|m| m.rule_id)
        .collect()
}

fn hit(rule: &str, path: &str, text: &str) {
    let found = ids(path, text);
    assert!(
        found.iter().any(|r| r == rule),
        "{rule} not found in {text:?} (found {found:?})"
    );
}

fn miss(rule: &str, path: &str, text: &str) {
    let found = ids(path, text);
    assert!(
        !found.iter().any(|r| r == rule),
        "{rule} wrongly found in {text:?}"
    );
}

/// 36 mixed-case alphanumerics.
const R36: &str = "VNtbPuLUvNg5jBP3nLuOxDmAoT8JzdYchbeQ";

#[test]
fn every_builtin_regex_compiles_and_has_keywords() {
    for spec in rules::builtin() {
        if !spec.regex.is_empty() {
            regex::bytes::Regex::new(&format!("(?-u){}", spec.regex))
                .unwrap_or_else(|e| panic!("{}: {e}", spec.id));
        }
        assert!(
            !spec.kw.is_empty() || !spec.kwi.is_empty(),
            "{} has no keywords",
            spec.id
        );
    }
    let scanner = Scanner::new(&SecretOptions::default());
    assert_eq!(scanner.rules.len(), rules::builtin().len());
}

#[test]
fn aws() {
    let key = format!("AKIA{}", "4UIZ7M2WBIZJ7KNQ");
    hit(
        "aws-access-key-id",
        "x.env",
        &format!("AWS_ACCESS_KEY_ID={key}"),
    );
    miss("aws-access-key-id", "x.env", "AKIA is a prefix; AKIAshort");
    let secret = format!("SbAdc9y/9sgqORchknIKBB{}", "EnV5rmWMyIEL19oiOQ");
    hit(
        "aws-secret-access-key",
        "creds",
        &format!("aws_secret_access_key = {secret}"),
    );
    hit(
        "aws-secret-access-key",
        "x.json",
        &format!("{{\"SecretAccessKey\": \"{secret}\"}}"),
    );
    miss(
        "aws-secret-access-key",
        "creds",
        "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY_FROM_THE_VAULT_XX}",
    );
}

#[test]
fn aws_documentation_examples_are_low_and_marked() {
    let text = format!(
        "aws_access_key_id = {}\naws_secret_access_key = {}\n",
        "AKIAIOSFODNN7EXAMPLE",
        ["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYEXAMPLEKEY"].concat()
    );
    let found = scan_bytes(
        "/root/.aws/credentials",
        text.as_bytes(),
        &SecretOptions::default(),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    for m in &found {
        assert_eq!(m.severity, Severity::Low);
        assert!(m.documentation_example);
    }
    assert_eq!((found[0].line, found[1].line), (1, 2));
}

#[test]
fn gcp_and_azure() {
    hit(
        "gcp-api-key",
        "a.js",
        &format!("key: 'AIza{}'", "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"),
    );
    miss("gcp-api-key", "a.js", "AIzaShort");
    hit(
        "gcp-service-account-key",
        "sa.json",
        r#"{"type": "service_account", "private_key_id": "0123456789abcdef0123456789abcdef01234567"}"#,
    );
    let account_key = format!("{}==", "A".repeat(40) + &"b9+/".repeat(11) + "xy");
    hit(
        "azure-storage-account-key",
        "app.config",
        &format!("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={account_key};"),
    );
    hit(
        "azure-ad-client-secret",
        "x.env",
        &format!(
            "AZURE_CLIENT_SECRET=abc8Q~{}",
            "Xr2.kP9_vLm3TqZ8wN1yB4cD6eF7gH0jK"
        ),
    );
}

#[test]
fn source_hosting() {
    hit("github-pat", "x", &format!("token=ghp_{R36}"));
    miss("github-pat", "x", &format!("ghp_{}", &R36[..20]));
    hit("github-oauth-token", "x", &format!("gho_{R36}"));
    hit("github-app-token", "x", &format!("ghs_{R36}"));
    hit("github-refresh-token", "x", &format!("ghr_{R36}"));
    hit(
        "github-fine-grained-pat",
        "x",
        &format!("github_pat_{}", "A1b2C3d4E5".repeat(8) + "xy"),
    );
    hit(
        "gitlab-pat",
        "x",
        &format!("glpat-{}", "xR2kP9vLm3TqZ8wN1yB4"),
    );
    hit(
        "gitlab-pipeline-trigger-token",
        "x",
        &format!("glptt-{}", "0a1b2c3d4e".repeat(4)),
    );
    hit(
        "gitlab-runner-token",
        "x",
        &format!("glrt-{}", "xR2kP9vLm3TqZ8wN1yB4"),
    );
    hit(
        "bitbucket-app-password",
        "x",
        &format!("ATBB{}", "xR2kP9vLm3TqZ8wN1yB4cD6eF7gH0jK1"),
    );
    hit(
        "atlassian-api-token",
        "x",
        &format!("ATATT3{}", "xFfGF0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT".repeat(6)),
    );
}

#[test]
fn chat_payments_messaging() {
    hit(
        "slack-bot-token",
        ".env",
        &format!(
            "SLACK={}",
            [
                "xoxb-",
                "194898342100-6134781248020-",
                "WhhbZFIfQ0vb3YInb9cL9fmq"
            ]
            .concat()
        ),
    );
    miss("slack-bot-token", ".env", "xoxb-not-a-token");
    hit(
        "slack-webhook-url",
        "x",
        &format!(
            "https://hooks.slack.com/services/{}",
            "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
        ),
    );
    hit(
        "stripe-secret-key",
        "x",
        &["sk_", "live_", "OoZLMLyXCzLPDkdw7wNogghQ"].concat(),
    );
    miss("stripe-secret-key", "x", "sk_live_short");
    hit(
        "stripe-test-secret-key",
        "x",
        &["sk_", "test_", "OoZLMLyXCzLPDkdw7wNogghQ"].concat(),
    );
    hit(
        "twilio-api-key",
        ".env",
        &format!("TWILIO_API_KEY=SK{}", "9f3a1c2b7d4e6f8091a2b3c4d5e6f7a8"),
    );
    miss("twilio-api-key", "x", &format!("DISK{}", "0".repeat(32)));
    hit(
        "sendgrid-api-token",
        "x",
        &[
            "SG.",
            "qap9yAumLsNuIpxO1L5c5t.",
            "aBG4qRD2ZiELt9KSkOTjFXhqzMyEW9FBy0Ulw69akbQ",
        ]
        .concat(),
    );
    miss("sendgrid-api-token", "x", "SG.short.thing");
}

#[test]
fn package_registries() {
    hit("npm-access-token", "x", &format!("npm_{R36}"));
    hit(
        "npmrc-auth",
        "/root/.npmrc",
        "//registry.example/:_authToken=Zk3q9XvB2mLp7RtY8wQe",
    );
    miss(
        "npmrc-auth",
        "/root/.npmrc",
        "//registry.example/:_authToken=${NPM_TOKEN}",
    );
    hit(
        "pypi-upload-token",
        "x",
        &format!(
            "pypi-AgEIcHlwaS5vcmc{}",
            "CJDk3ZGVhZWFlLTFiZmQtNGM2Yi1hZjJjLWQ0ZTY4NzJmMmE0NAACKlsz"
        ),
    );
    hit(
        "pypirc-password",
        "/home/u/.pypirc",
        "[pypi]\nusername = someone\npassword = Zk3q9XvB2mLp7RtY\n",
    );
    miss(
        "pypirc-password",
        "/home/u/notes.cfg",
        "password = Zk3q9XvB2mLp7RtY\n",
    );
    hit(
        "maven-settings-password",
        "/root/.m2/settings.xml",
        "<server><id>x</id><password>Zk3q9XvB2mLp7RtY</password></server>",
    );
    miss(
        "maven-settings-password",
        "/root/.m2/settings.xml",
        "<password>${env.MAVEN_PASSWORD}</password>",
    );
    hit(
        "dockerhub-pat",
        "x",
        &format!("dckr_pat_{}", "xR2kP9vLm3TqZ8wN1yB4cD6eF7g"),
    );
    // base64("robot:s3cr3t-Pa55")
    hit(
        "docker-config-auth",
        "/root/.docker/config.json",
        r#"{"auths": {"registry.example": {"auth": "cm9ib3Q6czNjcjN0LVBhNTU="}}}"#,
    );
    miss(
        "docker-config-auth",
        "/root/.docker/config.json",
        r#"{"auths": {"registry.example": {"auth": "anVzdGF1c2Vy"}}}"#,
    );
}

#[test]
fn ai_services() {
    hit(
        "openai-api-key",
        "x",
        &format!(
            "sk-proj-{}T3BlbkFJ{}",
            "xR2kP9vLm3TqZ8wN1yB4", "cD6eF7gH0jK1xR2kP9vL"
        ),
    );
    hit(
        "anthropic-api-key",
        "x",
        &format!(
            "sk-ant-api03-{}AA",
            "xR2kP9vLm3TqZ8wN1yB4cD6eF7gH0jK1".repeat(3)
        ),
    );
    hit(
        "huggingface-token",
        "x",
        &format!("hf_{}", "xRkPvLmTqZwNyBcDeFgHjKxRkPvLmTqZwN"),
    );
    miss("huggingface-token", "x", &format!("hf_{}", "a".repeat(34)));
}

#[test]
fn jwt() {
    let jwt = [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0",
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
    .concat();
    hit("jwt", "x", &format!("Authorization: Bearer {jwt}"));
    miss("jwt", "x", "eyJ alone is nothing");
}

#[test]
fn private_keys_of_every_kind() {
    let body = "MIIEowIBAAKCAQEA1O0WDh1va7SUHJqTvEyd4OaGb2M2Nz5wYsh5hEQ9iFw1totK\n".repeat(4);
    for label in [
        "RSA PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "EC PRIVATE KEY",
        "DSA PRIVATE KEY",
        "PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "PGP PRIVATE KEY BLOCK",
    ] {
        let text = format!("x\n-----BEGIN {label}-----\n{body}-----END {label}-----\n");
        let found = scan_bytes("k", text.as_bytes(), &SecretOptions::default());
        assert_eq!(found.len(), 1, "{label}");
        assert_eq!(found[0].rule_id, "private-key");
        assert_eq!(found[0].line, 2, "{label}: reported at the BEGIN line");
        assert_eq!(found[0].detail.as_deref(), Some(label));
    }
    // A JSON-escaped key (GCP service account files).
    let escaped = format!(
        r#"{{"private_key": "-----BEGIN PRIVATE KEY-----\n{}-----END PRIVATE KEY-----\n"}}"#,
        body.replace('\n', "\\n")
    );
    hit("private-key", "sa.json", &escaped);
    // Code and docs that only name the markers.
    miss(
        "private-key",
        "ssl.py",
        "PEM_HEADER = b'-----BEGIN RSA PRIVATE KEY-----'\nFOOTER = b'-----END RSA PRIVATE KEY-----'",
    );
    miss(
        "private-key",
        "README",
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
    );
    miss(
        "private-key",
        "cert.pem",
        &format!("-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----"),
    );
}

#[test]
fn passwords_in_urls() {
    hit(
        "password-in-url",
        ".env",
        "DATABASE_URL=postgres://orders:Pr0d-tNykZRqfp1uQ!@db.internal:5432/orders",
    );
    for text in [
        "https://user:password@example.com/",
        "https://${USER}:${PASS}@host/",
        "mysql://root:$MYSQL_ROOT_PASSWORD@db/",
        "see http://example.com/a:b@c",
        "git@github.com:owner/repo.git",
    ] {
        miss("password-in-url", "x", text);
    }
}

#[test]
fn generic_assignments_with_entropy_and_stop_words() {
    hit(
        "generic-password",
        "/app/.env",
        "DB_PASSWORD=Pr0d-tNykZRqfp1uQ!",
    );
    hit(
        "generic-password",
        "/etc/app.yaml",
        "  api_key: \"Zk3q9XvB2mLp7RtY8wQe\"",
    );
    for text in [
        "DB_PASSWORD=changeme",
        "DB_PASSWORD=${DB_PASSWORD}",
        "password: password123",
        "PASSWORD_FILE=/run/secrets/db",
        "token_type = bearer_token_x",
        "password = get_password()",
        "secret: <your-secret-here>",
    ] {
        miss("generic-password", "/app/.env", text);
    }
    // Source code is left to the specific rules.
    miss(
        "generic-password",
        "/app/app.py",
        "DB_PASSWORD = 'Pr0d-tNykZRqfp1uQ!'",
    );
}

#[test]
fn generic_is_dropped_when_a_specific_rule_covers_the_value() {
    let text = format!("GITHUB_TOKEN=ghp_{R36}\n");
    assert_eq!(ids("/app/.env", &text), vec!["github-pat".to_string()]);
}

#[test]
fn lines_columns_and_redaction() {
    let text = format!("a\nb\n  GITHUB=ghp_{R36}\n");
    let found = scan_bytes("x", text.as_bytes(), &SecretOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].line, found[0].column), (3, 10));
    assert_eq!(found[0].redacted(), "gh****eQ");
    assert!(!format!("{:?}", found[0]).contains(R36));
    assert_eq!(redact("abc"), "****");
    assert_eq!(redact("abcdefghij"), "a****j");
    assert_eq!(redact("é€ü😀é€ü😀é€ü😀é€ü😀"), "é€****ü😀");
}

#[test]
fn config_custom_and_allow_rules() {
    let mut opts = SecretOptions::default();
    opts.merge_config_str(
        r#"
[lint]
ignored = ["DL3008"]

[secrets]
max-file-size = 1024
disable = ["jwt"]

[[secrets.rules]]
id = "acme-key"
title = "ACME API key"
severity = "critical"
regex = 'acme_([a-z0-9]{16})'
keywords = ["acme_"]
secret-group = 1

[[secrets.allow]]
id = "fixtures"
paths = ["**/testdata/**"]

[[secrets.allow]]
id = "known-dummy"
rules = ["github-pat"]
regex = "^ghp_VNtb"
"#,
    )
    .unwrap();
    assert_eq!(opts.max_file_size, 1024);
    let scan = |p: &str, t: &str| -> Vec<String> {
        scan_bytes(p, t.as_bytes(), &opts)
            .into_iter()
            .map(|m| format!("{}={}", m.rule_id, m.secret))
            .collect()
    };
    assert_eq!(
        scan("/a", "k = acme_0123456789abcdef"),
        vec!["acme-key=0123456789abcdef"]
    );
    assert!(scan("/src/testdata/x", "acme_0123456789abcdef").is_empty());
    assert!(scan("/a", &format!("ghp_{R36}")).is_empty());
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk";
    assert!(scan("/a", jwt).is_empty());

    let bad = SecretOptions::default()
        .merge_config_str("[[secrets.rules]]\nid = \"broken\"\nregex = \"(unclosed\"\n");
    assert!(
        matches!(bad, Err(Error::Rule { ref id, .. }) if id == "broken"),
        "{bad:?}"
    );
    let unknown = SecretOptions::default().merge_config_str("[secrets]\nbogus = 1\n");
    assert!(unknown.is_err());
}

#[test]
fn hostile_input_does_not_panic() {
    let scanner = Scanner::new(&SecretOptions::default());
    let mut junk = Vec::new();
    for i in 0..20_000u32 {
        junk.extend_from_slice(b"-----BEGIN ");
        junk.push((i % 251) as u8);
        junk.extend_from_slice(b"AKIA://:@eyJ password=\"");
    }
    let _ = scanner.scan_bytes("x", &junk);
    let _ = scanner.scan_bytes("x", b"-----BEGIN");
    // Many key headers and no END: must stay linear (was one 256 KiB search per header, which
    // would not finish in a CI run).
    let headers = "-----BEGIN RSA PRIVATE KEY-----\n".repeat(300_000);
    assert!(scanner.scan_bytes("x", headers.as_bytes()).is_empty());
    let key_after = format!(
        "{headers}{}-----END RSA PRIVATE KEY-----\n",
        "MIIEowIBAAKCAQEA1O0WDh1va7SUHJqTvEyd4OaGb2M2Nz5wYsh5hEQ9iFw1totK\n".repeat(2)
    );
    let found = scanner.scan_bytes("x", key_after.as_bytes());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 300_000, "the header right above the body");
    let _ = scanner.scan_bytes("x", b"");
    let long_line = "a".repeat(100_000) + "ghp_" + R36 + &"b".repeat(100_000);
    assert_eq!(scanner.scan_bytes("x", long_line.as_bytes()).len(), 0);
    let spaced = "a ".repeat(50_000) + "ghp_" + R36 + " " + &"b ".repeat(50_000);
    assert_eq!(scanner.scan_bytes("x", spaced.as_bytes()).len(), 1);
}

/// docs/secrets.md lists every rule and shows a configuration that must keep parsing.
#[test]
fn documentation_matches_the_code() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/secrets.md"
    ))
    .expect("docs/secrets.md");
    for spec in rules::builtin() {
        assert!(
            doc.contains(&format!("| `{}` |", spec.id)),
            "{} not documented",
            spec.id
        );
    }
    let toml = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("toml example");
    let mut opts = SecretOptions::default();
    opts.merge_config_str(toml)
        .expect("documented config parses");
    assert_eq!(opts.rules.len(), 1);
    assert_eq!(opts.allow.len(), 1);
}
