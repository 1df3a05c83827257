//! Rego policies over the JSON report, as conftest users write them: `deny` / `violation` /
//! `warn` rules (partial sets, in any package) whose values are messages or objects with a
//! `msg` field. Evaluated with `regorus`, a pure-Rust interpreter: no OPA binary.

use crate::gate::{Decision, Verdict};
use crate::{read_bounded, Error};
use serde_json::Value;
use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

/// Wall-clock limit for one policy file, so a runaway policy cannot hang a CI job.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// Rule names and the decision their messages carry (conftest's conventions).
const RULES: [(&str, Decision); 3] = [
    ("deny", Decision::Fail),
    ("violation", Decision::Fail),
    ("warn", Decision::Warn),
];

/// One message a Rego rule produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegoMessage {
    pub decision: Decision,
    /// `data.<package>.<rule>`.
    pub rule: String,
    pub message: String,
}

/// Evaluates the Rego file at `path` with `input` (the JSON report) and returns its messages,
/// sorted. Rego v1 syntax is tried first, then v0 (`deny[msg] { … }`).
pub fn eval_rego(path: &Path, input: &Value) -> Result<Vec<RegoMessage>, Error> {
    let text = read_bounded(path)?;
    let file = path.display().to_string();
    eval_rego_text(&text, &file, input).map_err(|message| Error::Invalid { file, message })
}

/// [`eval_rego`] on policy text; `file` names it in messages.
pub fn eval_rego_text(text: &str, file: &str, input: &Value) -> Result<Vec<RegoMessage>, String> {
    let input =
        regorus::Value::from_json_str(&input.to_string()).map_err(|e| format!("input: {e}"))?;
    let mut last_err = String::new();
    for v0 in [false, true] {
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(v0);
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: TIME_LIMIT,
            check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
        });
        let package = match engine.add_policy(file.to_string(), text.to_string()) {
            Ok(p) => p,
            Err(e) => {
                if !v0 {
                    last_err = e.to_string();
                    continue;
                }
                // The v1 error is the more useful one for a policy that is not v0 either.
                return Err(format!("{last_err}\n(as Rego v0: {e})"));
            }
        };
        engine.set_input(input.clone());
        let mut out = Vec::new();
        for (rule, decision) in RULES {
            let path = format!("{package}.{rule}");
            // A query, not `eval_rule`: a rule the policy does not define is simply undefined.
            let results = engine
                .eval_query(path.clone(), false)
                .map_err(|e| format!("{path}: {e}"))?;
            let Some(value) = results
                .result
                .into_iter()
                .next()
                .and_then(|r| r.expressions.into_iter().next())
                .map(|e| e.value)
            else {
                continue;
            };
            if value == regorus::Value::Undefined {
                continue;
            }
            let json = value.to_json_str().map_err(|e| format!("{path}: {e}"))?;
            let json: Value = serde_json::from_str(&json).map_err(|e| format!("{path}: {e}"))?;
            let items = match json {
                Value::Array(a) => a,
                Value::Bool(false) | Value::Null => Vec::new(),
                other => vec![other],
            };
            for item in items {
                let message = match item {
                    Value::String(s) => s,
                    Value::Object(o) => match o.get("msg") {
                        Some(Value::String(s)) => s.clone(),
                        _ => Value::Object(o).to_string(),
                    },
                    Value::Bool(true) => format!("{rule} rule is true"),
                    other => other.to_string(),
                };
                out.push(RegoMessage {
                    decision,
                    rule: path.clone(),
                    message,
                });
            }
        }
        out.sort_by(|a, b| (&a.rule, &a.message).cmp(&(&b.rule, &b.message)));
        return Ok(out);
    }
    Err(last_err)
}

/// Adds the messages to `verdict` as reasons (`rego deny: …`).
pub fn add_to_verdict(verdict: &mut Verdict, messages: &[RegoMessage]) {
    for m in messages {
        let rule = m.rule.rsplit('.').next().unwrap_or(&m.rule);
        verdict.add(m.decision, format!("rego {rule}: {}", m.message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({"schema_version": "1.0", "tool": {"name": "dockguard", "version": "0"},
               "findings": [{"id": "CVE-2019-10744", "kind": "vulnerability", "severity": "critical",
                              "package": {"name": "lodash", "version": "4.17.4"}},
                             {"id": "DL3008", "kind": "lint", "severity": "medium"}]})
    }

    #[test]
    fn v0_deny_and_warn_like_conftest() {
        let policy = r#"
package main

deny[msg] {
  f := input.findings[_]
  f.severity == "critical"
  msg := sprintf("%s in %s is critical", [f.id, f.package.name])
}

warn[msg] {
  f := input.findings[_]
  f.kind == "lint"
  msg := sprintf("lint finding %s", [f.id])
}
"#;
        let msgs = eval_rego_text(policy, "p.rego", &report()).unwrap();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0].decision, Decision::Fail);
        assert_eq!(msgs[0].message, "CVE-2019-10744 in lodash is critical");
        assert_eq!(msgs[1].decision, Decision::Warn);
        let mut v = Verdict::default();
        add_to_verdict(&mut v, &msgs);
        assert_eq!(v.decision, Decision::Fail);
        assert_eq!(
            v.reasons[0].message,
            "rego deny: CVE-2019-10744 in lodash is critical"
        );
    }

    #[test]
    fn v1_contains_if_and_msg_objects() {
        let policy = r#"
package dockguard.gate

deny contains {"msg": m} if {
  count(input.findings) > 1
  m := "too many findings"
}

violation contains "never" if { false }
"#;
        let msgs = eval_rego_text(policy, "p.rego", &report()).unwrap();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert_eq!(msgs[0].message, "too many findings");
        assert_eq!(msgs[0].rule, "data.dockguard.gate.deny");
    }

    #[test]
    fn broken_policy_is_an_error() {
        let e = eval_rego_text("package x\n deny[ {", "bad.rego", &report()).unwrap_err();
        assert!(!e.is_empty());
        assert!(eval_rego_text("", "empty.rego", &report()).is_err());
    }
}
