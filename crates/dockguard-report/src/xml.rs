//! Minimal XML writing helpers. Our XML formats are a handful of fixed elements, so escaping is
//! the only part worth sharing, and the only part where a mistake corrupts the document.

pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Escapes text for use inside a double-quoted attribute value.
///
/// Whitespace other than the plain space is written as a character reference because XML
/// attribute-value normalisation would otherwise turn newlines and tabs into spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(xml_char(c)),
        }
    }
    out
}

/// Escapes text for use as element content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // `]]>` is forbidden in content; escaping every `>` is the simplest way to avoid it.
            '>' => out.push_str("&gt;"),
            // A literal CR would be folded into LF by any parser.
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c => out.push(xml_char(c)),
        }
    }
    out
}

/// XML 1.0 cannot carry most C0 controls or U+FFFE/U+FFFF at all, not even as character
/// references, so they are replaced rather than dropping the whole message.
fn xml_char(c: char) -> char {
    match c {
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
            char::REPLACEMENT_CHARACTER
        }
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_escaping_covers_markup_quotes_and_whitespace() {
        assert_eq!(
            attr("a<b>&\"c'\n\r\td"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#13;&#9;d"
        );
    }

    #[test]
    fn text_escaping_keeps_newlines_and_blocks_cdata_end() {
        assert_eq!(text("x]]>y\n<z>&"), "x]]&gt;y\n&lt;z&gt;&amp;");
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        assert_eq!(attr("a\u{1b}b\u{0}"), "a\u{fffd}b\u{fffd}");
        assert_eq!(text("\u{ffff}é漢"), "\u{fffd}é漢");
    }
}
