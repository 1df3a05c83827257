//! File-level problems: instructions that do not parse, unknown instructions, empty
//! continuation lines, instructions before FROM.

use super::RuleFn;
use crate::ast::Keyword;
use crate::lint::{Context, Hits};

pub(super) const RULES: &[RuleFn] = &[syntax_errors, unknown_instructions, empty_continuations];

/// DG0001: an instruction BuildKit would reject.
fn syntax_errors(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        if let Some(error) = &instruction.error {
            hits.add_msg("DG0001", instruction, error.clone());
        }
    }
}

/// DG0002: `FORM alpine` and other words that are not instructions.
fn unknown_instructions(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        let sub_unknown = instruction
            .sub
            .as_ref()
            .is_some_and(|s| s.keyword == Keyword::Unknown);
        if instruction.keyword == Keyword::Unknown || sub_unknown {
            let word = match &instruction.sub {
                Some(sub) => &sub.keyword_text,
                None => &instruction.keyword_text,
            };
            hits.add_msg(
                "DG0002",
                instruction,
                format!("unknown instruction '{word}'; the build will fail here"),
            );
        }
    }
}

/// DG0004: whitespace-only lines inside a continuation.
fn empty_continuations(cx: &Context, hits: &mut Hits) {
    for &line in &cx.df.empty_continuation_lines {
        hits.add_at("DG0004", line, 1, None);
    }
}
