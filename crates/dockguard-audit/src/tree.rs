//! A position-carrying document tree shared by the YAML and JSON readers.
//!
//! Checks need the line of the key that caused a finding, which serde does not keep; so both
//! YAML (via the `granit-parser` event stream that `serde-saphyr` re-exports) and JSON (a small
//! reader of our own) are loaded into this tree instead of into typed structs.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// 1-based line and column of a node or key in its source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// Every scalar is kept as text: Compose and Kubernetes accept `"true"`, `true`, `512m`,
    /// `0.5` interchangeably in many places, so typing is left to the reader of each field.
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// Limits that keep hostile documents (alias bombs, deep nesting) from exhausting memory or
/// the stack.
const MAX_DEPTH: usize = 200;
const MAX_NODES: usize = 2_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    pub message: String,
    pub pos: Pos,
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.pos.line, self.message)
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.name == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Position of `key` itself (not its value), which is where a reader looks for the setting.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.name == key)
                .map(|(k, _)| k.pos),
            _ => None,
        }
    }

    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()?.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_str()?.trim().parse().ok()
    }

    pub fn seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    fn count(&self) -> usize {
        let mut total = 0;
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            total += 1;
            match &n.value {
                Value::Seq(items) => stack.extend(items.iter()),
                Value::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        total
    }
}

fn pos_of(marker: &serde_saphyr::granit_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(marker.line()).unwrap_or(u32::MAX),
        col: u32::try_from(marker.col())
            .unwrap_or(u32::MAX)
            .saturating_add(1),
    }
}

enum Frame {
    Seq(Node, usize),
    Map(Node, usize, Option<(Key, bool)>),
}

/// Loads every document of a YAML stream. Merge keys (`<<`) are applied, because Compose files
/// lean on `<<: *defaults` and a check must see the merged service.
pub fn load_yaml(text: &str) -> Result<Vec<Node>, TreeError> {
    let mut docs = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut budget = 0usize;
    let mut root: Option<Node> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| TreeError {
            message: e.info().to_string(),
            pos: pos_of(e.marker()),
        })?;
        let pos = pos_of(&span.start);
        let finished: Option<(Node, usize)> = match event {
            Event::DocumentStart(..) => {
                anchors.clear();
                None
            }
            Event::DocumentEnd => {
                if let Some(node) = root.take() {
                    docs.push(node);
                }
                None
            }
            Event::Scalar(text, style, anchor, _) => {
                let is_null = style == ScalarStyle::Plain
                    && matches!(&*text, "" | "~" | "null" | "Null" | "NULL");
                let value = if is_null {
                    Value::Null
                } else {
                    Value::Scalar(text.into_owned())
                };
                budget += 1;
                Some((Node { value, pos }, anchor))
            }
            Event::Alias(id) => {
                let node = anchors.get(&id).cloned().ok_or_else(|| TreeError {
                    message: "alias to an unknown anchor".into(),
                    pos,
                })?;
                budget += node.count();
                Some((node, 0))
            }
            Event::SequenceStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TreeError {
                        message: "nesting too deep".into(),
                        pos,
                    });
                }
                stack.push(Frame::Seq(
                    Node {
                        value: Value::Seq(Vec::new()),
                        pos,
                    },
                    anchor,
                ));
                None
            }
            Event::MappingStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TreeError {
                        message: "nesting too deep".into(),
                        pos,
                    });
                }
                stack.push(Frame::Map(
                    Node {
                        value: Value::Map(Vec::new()),
                        pos,
                    },
                    anchor,
                    None,
                ));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(node, anchor)) | Some(Frame::Map(node, anchor, _)) => {
                    Some((node, anchor))
                }
                None => None,
            },
            _ => None,
        };
        if budget > MAX_NODES {
            return Err(TreeError {
                message: "document expands to too many nodes (alias bomb?)".into(),
                pos,
            });
        }
        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        attach(&mut stack, &mut root, node);
    }
    if let Some(node) = root.take() {
        docs.push(node);
    }
    Ok(docs)
}

fn key_text(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => s.clone(),
        Value::Null => String::new(),
        // Complex keys never name a field we read; keep them distinct from real keys.
        _ => "\u{0}complex".to_string(),
    }
}

fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Frame::Seq(parent, _)) => {
            if let Value::Seq(items) = &mut parent.value {
                items.push(node);
            }
        }
        Some(Frame::Map(parent, _, pending)) => match pending.take() {
            None => {
                let merge = node.as_str() == Some("<<");
                *pending = Some((
                    Key {
                        name: key_text(&node),
                        pos: node.pos,
                    },
                    merge,
                ));
            }
            Some((key, merge)) => {
                if let Value::Map(entries) = &mut parent.value {
                    if merge {
                        merge_into(entries, node);
                    } else {
                        entries.push((key, node));
                    }
                }
            }
        },
    }
}

/// YAML merge keys: explicit keys win over merged ones, earlier merge sources over later.
fn merge_into(entries: &mut Vec<(Key, Node)>, source: Node) {
    let sources: Vec<Node> = match source.value {
        Value::Seq(items) => items,
        _ => vec![source],
    };
    for src in sources {
        if let Value::Map(more) = src.value {
            for (k, v) in more {
                if !entries.iter().any(|(e, _)| e.name == k.name) {
                    entries.push((k, v));
                }
            }
        }
    }
}

/// Loads one JSON document with positions. Small and strict on purpose: `daemon.json` and
/// `docker inspect` output are machine-written, and anything odd is an input error.
pub fn load_json(text: &str) -> Result<Node, TreeError> {
    let mut reader = JsonReader {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        depth: 0,
    };
    if reader.bytes.starts_with(b"\xEF\xBB\xBF") {
        reader.at = 3;
        reader.line_start = 3;
    }
    let node = reader.value()?;
    reader.skip_ws();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters after JSON value"));
    }
    Ok(node)
}

struct JsonReader<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
    depth: usize,
}

impl JsonReader<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: u32::try_from(self.at - self.line_start + 1).unwrap_or(u32::MAX),
        }
    }

    fn error(&self, message: &str) -> TreeError {
        TreeError {
            message: message.to_string(),
            pos: self.pos(),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self) -> Result<Node, TreeError> {
        self.skip_ws();
        let pos = self.pos();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end of JSON")),
            Some(b'{') => {
                self.enter()?;
                let mut entries = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_ws();
                        let key_pos = self.pos();
                        if self.bytes.get(self.at) != Some(&b'"') {
                            return Err(self.error("expected a string key"));
                        }
                        let name = self.string()?;
                        self.skip_ws();
                        if self.bytes.get(self.at) != Some(&b':') {
                            return Err(self.error("expected ':'"));
                        }
                        self.at += 1;
                        let v = self.value()?;
                        entries.push((Key { name, pos: key_pos }, v));
                        self.skip_ws();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or '}'")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node {
                    value: Value::Map(entries),
                    pos,
                })
            }
            Some(b'[') => {
                self.enter()?;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.skip_ws();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or ']'")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node {
                    value: Value::Seq(items),
                    pos,
                })
            }
            Some(b'"') => Ok(Node {
                value: Value::Scalar(self.string()?),
                pos,
            }),
            Some(_) => {
                let start = self.at;
                while let Some(&b) = self.bytes.get(self.at) {
                    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                let word = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("");
                match word {
                    "" => Err(self.error("unexpected character")),
                    "null" => Ok(Node {
                        value: Value::Null,
                        pos,
                    }),
                    "true" | "false" => Ok(Node {
                        value: Value::Scalar(word.to_string()),
                        pos,
                    }),
                    _ if word.parse::<f64>().is_ok() => Ok(Node {
                        value: Value::Scalar(word.to_string()),
                        pos,
                    }),
                    _ => Err(TreeError {
                        message: format!("invalid JSON literal '{word}'"),
                        pos,
                    }),
                }
            }
        }
    }

    fn enter(&mut self) -> Result<(), TreeError> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, TreeError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(
                std::str::from_utf8(&self.bytes[start..self.at])
                    .map_err(|_| self.error("invalid UTF-8"))?,
            );
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let esc = *self
                        .bytes
                        .get(self.at)
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.at += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.bytes.get(self.at..self.at + 2) == Some(b"\\u")
                            {
                                self.at += 2;
                                let lo = self.hex4()?;
                                char::from_u32(
                                    0x10000
                                        + ((hi - 0xD800) << 10)
                                        + (lo.wrapping_sub(0xDC00) & 0x3FF),
                                )
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                _ => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, TreeError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("short \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.at += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keeps_key_lines_and_merges() {
        let docs =
            load_yaml("x: &d\n  a: 1\n  b: 2\ny:\n  <<: *d\n  b: 3\n---\nz: [1, 2]\n").unwrap();
        assert_eq!(docs.len(), 2);
        let y = docs[0].get("y").unwrap();
        assert_eq!(y.get("a").unwrap().as_str(), Some("1"));
        assert_eq!(y.get("b").unwrap().as_str(), Some("3"));
        assert_eq!(docs[0].key_pos("y").unwrap().line, 4);
        assert_eq!(docs[1].get("z").unwrap().seq().len(), 2);
    }

    #[test]
    fn yaml_alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(load_yaml(&text).is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        assert!(load_yaml(&"[".repeat(10_000)).is_err());
        assert!(load_json(&"[".repeat(10_000)).is_err());
    }

    #[test]
    fn json_positions_and_escapes() {
        let n =
            load_json("{\n  \"a\": \"x\\u00e9\\ud83d\\ude00\",\n\t\"b\": [true, null, -1.5e3]\n}")
                .unwrap();
        assert_eq!(n.get("a").unwrap().as_str(), Some("xé😀"));
        assert_eq!(n.key_pos("b"), Some(Pos { line: 3, col: 2 }));
        assert_eq!(n.get("b").unwrap().seq()[1].value, Value::Null);
        for bad in [
            "{",
            "[1,]",
            "{\"a\" 1}",
            "\"\\x\"",
            "tru",
            "{} x",
            "\"\\ud800",
        ] {
            assert!(load_json(bad).is_err(), "{bad}");
        }
    }
}
