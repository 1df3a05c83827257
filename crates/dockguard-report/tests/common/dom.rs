//! A tiny DOM over quick-xml: enough to check that XML output is well-formed and to walk it.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use quick_xml::XmlVersion;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let name = start.name().as_ref().to_string();
    let mut attrs = BTreeMap::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
        let key = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(XmlVersion::Explicit1_0)
            .map_err(|e| format!("bad value of {key} in <{name}>: {e}"))?
            .into_owned();
        if attrs.insert(key.clone(), value).is_some() {
            return Err(format!("duplicate attribute {key} in <{name}>"));
        }
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

/// The `Char` production of XML 1.0: what may appear in a document at all, literally or as a
/// character reference.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Parses `xml`, requiring an XML declaration, exactly one root element, matching end tags,
/// well-formed attributes and only known entity references. Returns the root.
pub fn parse(xml: &str) -> Result<Element, String> {
    if let Some(bad) = xml.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("character {bad:?} is not allowed in XML 1.0"));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut seen_decl = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Decl(_) => {
                if seen_decl || !stack.is_empty() || root.is_some() {
                    return Err("misplaced XML declaration".into());
                }
                seen_decl = true;
            }
            Event::Start(start) => {
                if root.is_some() {
                    return Err("content after the root element".into());
                }
                stack.push(element(&start)?);
            }
            Event::Empty(start) => {
                let el = element(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err("second root element".into()),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(format!("text outside the root: {content:?}")),
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) if is_xml_char(c) => c.to_string(),
                    Some(c) => return Err(format!("reference to forbidden character {c:?}")),
                    None => resolve_predefined_entity(&reference.xml10_content())
                        .ok_or_else(|| format!("unknown entity {:?}", &*reference))?
                        .to_string(),
                };
                let el = stack.last_mut().ok_or("reference outside the root")?;
                el.text.push_str(&resolved);
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {
                return Err(format!("unexpected {event:?}"));
            }
            Event::Eof => break,
        }
    }
    if !seen_decl {
        return Err("missing XML declaration".into());
    }
    if !stack.is_empty() {
        return Err("unclosed elements at end of input".into());
    }
    root.ok_or_else(|| "no root element".into())
}
