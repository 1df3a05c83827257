//! dockguard's own rules (`DG…`), each documented in `docs/rules/<CODE>.md`.

use super::catalog::{rule, RuleInfo, H, L, M};

/// dockguard's rules, sorted by code.
pub static DG_RULES: &[RuleInfo] = &[
    rule!("DG0001", H, "Instruction does not parse", "Fix the syntax so that BuildKit accepts the instruction."),
    rule!("DG0002", H, "Unknown instruction", "Use one of the Dockerfile instructions; this looks like a typo."),
    rule!("DG0003", M, "Unknown rule code in an ignore pragma", "Remove or correct the rule code."),
    rule!("DG0004", L, "Empty line inside a line continuation", "Remove the empty line; BuildKit warns about it and may reject it in future."),
];
