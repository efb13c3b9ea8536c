//! A small XML tree over docx-rs's parts, borrowing names, attributes and text from the
//! part it was read from: a scanner finds the tags, their bytes are kept as written, and
//! only the elements the post-processing touches are rewritten.

use std::borrow::Cow;

/// A parsed XML element, borrowing from the part it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Element<'a> {
    pub name: Cow<'a, [u8]>,
    /// The attributes exactly as written (` k="v"`, escaped), edited only when needed:
    /// most elements pass through untouched.
    attrs: Cow<'a, [u8]>,
    pub children: Vec<Node<'a>>,
}

/// A child: an element, or text exactly as written (escaped).
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    El(Element<'a>),
    Text(Cow<'a, [u8]>),
}

/// The attributes of a raw attribute string, as (key, escaped value).
fn pairs(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = rest[..eq].trim_ascii_end();
        let after = &rest[eq + 1..];
        let q = after.iter().position(|&b| b == b'"' || b == b'\'')?;
        let quote = after[q];
        let body = &after[q + 1..];
        let end = body.iter().position(|&b| b == quote)?;
        rest = &body[end + 1..];
        Some((key, &body[..end]))
    })
}

impl<'a> Element<'a> {
    pub fn new(name: &'static str) -> Element<'a> {
        Element {
            name: Cow::Borrowed(name.as_bytes()),
            attrs: Cow::Borrowed(b""),
            children: Vec::new(),
        }
    }

    /// The element with its own copy of every byte it borrowed.
    pub fn into_owned(self) -> Element<'static> {
        Element {
            name: Cow::Owned(self.name.into_owned()),
            attrs: Cow::Owned(self.attrs.into_owned()),
            children: self
                .children
                .into_iter()
                .map(|c| match c {
                    Node::El(e) => Node::El(e.into_owned()),
                    Node::Text(t) => Node::Text(Cow::Owned(t.into_owned())),
                })
                .collect(),
        }
    }

    /// An attribute's value as written (escaped).
    pub fn attr(&self, key: &str) -> Option<&[u8]> {
        pairs(&self.attrs)
            .find(|(k, _)| *k == key.as_bytes())
            .map(|(_, v)| v)
    }

    pub fn has_attrs(&self) -> bool {
        self.attrs.iter().any(|b| !b.is_ascii_whitespace())
    }

    /// Set an attribute (the value is escaped here).
    pub fn set(&mut self, key: &str, value: &str) {
        self.set_raw(key.as_bytes(), &escape(value));
    }

    /// Set an attribute to a value that is already escaped.
    pub fn set_raw(&mut self, key: &[u8], value: &[u8]) {
        let mut out = Vec::with_capacity(self.attrs.len() + value.len() + key.len() + 4);
        let mut found = false;
        for (k, v) in pairs(&self.attrs) {
            let v = if k == key {
                found = true;
                value
            } else {
                v
            };
            push_attr(&mut out, k, v);
        }
        if !found {
            push_attr(&mut out, key, value);
        }
        self.attrs = Cow::Owned(out);
    }

    /// Drop an attribute.
    pub fn remove(&mut self, key: &str) {
        if self.attr(key).is_none() {
            return;
        }
        let mut out = Vec::with_capacity(self.attrs.len());
        for (k, v) in pairs(&self.attrs).filter(|(k, _)| *k != key.as_bytes()) {
            push_attr(&mut out, k, v);
        }
        self.attrs = Cow::Owned(out);
    }

    pub fn with(mut self, key: &str, value: &str) -> Element<'a> {
        self.set(key, value);
        self
    }

    pub fn child(mut self, c: Element<'a>) -> Element<'a> {
        self.children.push(Node::El(c));
        self
    }

    /// An element holding text (escaped here).
    pub fn text(name: &'static str, text: &str) -> Element<'a> {
        let mut e = Element::new(name);
        e.children.push(Node::Text(Cow::Owned(escape(text))));
        e
    }

    pub fn is(&self, name: &str) -> bool {
        *self.name == *name.as_bytes()
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element<'a>> {
        self.children.iter_mut().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn has_child(&self, name: &str) -> bool {
        self.elements().any(|e| e.is(name))
    }
}

fn push_attr(out: &mut Vec<u8>, k: &[u8], v: &[u8]) {
    out.push(b' ');
    out.extend_from_slice(k);
    out.extend_from_slice(b"=\"");
    out.extend_from_slice(v);
    out.push(b'"');
}

/// Text as docx-rs keeps it escaped for XML, unescaped (the five named entities).
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        // Last, so that an escaped entity (`&amp;lt;`) stays the text `&lt;`.
        .replace("&amp;", "&")
}

/// Escape text for an attribute value or element content.
pub fn escape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(b),
        }
    }
    out
}

/// One step through a part: a start tag (as an element without children), an empty
/// element, an end tag, or text exactly as written.
pub enum Token<'a> {
    Open(Element<'a>),
    Empty(Element<'a>),
    Close,
    Text(&'a [u8]),
    Eof,
}

/// The tags of a part, with their bytes as written.
///
/// docx-rs writes plain, well-formed XML (no DTD, no entities beyond the five, no CDATA);
/// a scanner that knows where tags start and end (quotes included) is all the
/// post-processing needs, and it is several times faster than a general parser here.
pub struct Tokens<'a> {
    xml: &'a [u8],
    pos: usize,
}

fn tag(raw: &[u8], name_len: usize, tail: usize) -> Element<'_> {
    Element {
        name: Cow::Borrowed(&raw[1..1 + name_len]),
        attrs: Cow::Borrowed(&raw[1 + name_len..raw.len() - tail]),
        children: Vec::new(),
    }
}

/// Where `needle` next occurs in `hay` from `from` on.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p)
}

impl<'a> Tokens<'a> {
    pub fn new(xml: &'a [u8]) -> Result<Tokens<'a>, String> {
        Ok(Tokens { xml, pos: 0 })
    }

    pub fn next(&mut self) -> Result<Token<'a>, String> {
        let xml = self.xml;
        loop {
            let pos = self.pos;
            let Some(&first) = xml.get(pos) else {
                return Ok(Token::Eof);
            };
            if first != b'<' {
                let end = memchr::memchr(b'<', &xml[pos..]).map_or(xml.len(), |p| pos + p);
                self.pos = end;
                return Ok(Token::Text(&xml[pos..end]));
            }
            let unclosed = || format!("unclosed markup at byte {pos}");
            match xml.get(pos + 1) {
                Some(b'/') => {
                    let end = find(xml, pos, b">").ok_or_else(unclosed)?;
                    self.pos = end + 1;
                    return Ok(Token::Close);
                }
                Some(b'?') => {
                    self.pos = find(xml, pos, b"?>").ok_or_else(unclosed)? + 2;
                }
                Some(b'!') if xml[pos..].starts_with(b"<!--") => {
                    self.pos = find(xml, pos, b"-->").ok_or_else(unclosed)? + 3;
                }
                Some(b'!') if xml[pos..].starts_with(b"<![CDATA[") => {
                    // Kept as written: it is written back as it came.
                    let end = find(xml, pos, b"]]>").ok_or_else(unclosed)? + 3;
                    self.pos = end;
                    return Ok(Token::Text(&xml[pos..end]));
                }
                Some(b'!') => {
                    self.pos = find(xml, pos, b">").ok_or_else(unclosed)? + 1;
                }
                _ => {
                    // The tag ends at the first `>` outside quotes.
                    let mut i = pos + 1;
                    loop {
                        let at =
                            memchr::memchr3(b'>', b'"', b'\'', &xml[i..]).ok_or_else(unclosed)?;
                        i += at;
                        if xml[i] == b'>' {
                            break;
                        }
                        let quote = xml[i];
                        i += 1 + memchr::memchr(quote, &xml[i + 1..]).ok_or_else(unclosed)?;
                        i += 1;
                    }
                    let raw = &xml[pos..=i];
                    let name_len = raw[1..]
                        .iter()
                        .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
                        .unwrap_or(raw.len() - 2);
                    self.pos = i + 1;
                    return Ok(if raw.len() >= 3 && raw[raw.len() - 2] == b'/' {
                        Token::Empty(tag(raw, name_len, 2))
                    } else {
                        Token::Open(tag(raw, name_len, 1))
                    });
                }
            }
        }
    }

    /// The rest of the element `open` started: its children, up to its end tag.
    pub fn subtree(&mut self, open: Element<'a>) -> Result<Element<'a>, String> {
        let mut stack = vec![open];
        loop {
            let done = match self.next()? {
                Token::Open(e) => {
                    stack.push(e);
                    None
                }
                Token::Empty(e) => Some(e),
                Token::Close => Some(stack.pop().ok_or("unbalanced end tag")?),
                Token::Text(raw) => {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Text(Cow::Borrowed(raw)));
                    }
                    None
                }
                Token::Eof => return Err("unclosed element".into()),
            };
            if let Some(el) = done {
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::El(el)),
                    None => return Ok(el),
                }
            }
        }
    }
}

/// Read a part into its root element. The tree borrows names, attributes and text from
/// `xml`.
pub fn parse(xml: &[u8]) -> Result<Element<'_>, String> {
    let mut tokens = Tokens::new(xml)?;
    loop {
        match tokens.next()? {
            Token::Open(e) => return tokens.subtree(e),
            Token::Empty(e) => return Ok(e),
            Token::Eof => return Err("no root element".into()),
            Token::Close | Token::Text(_) => {}
        }
    }
}

/// The XML declaration every part starts with.
pub const DECLARATION: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// Write a root element as a standalone XML part.
pub fn serialize(root: &Element) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(DECLARATION);
    write_element(root, &mut out);
    out
}

/// A start tag alone.
pub fn write_open(el: &Element, out: &mut Vec<u8>) {
    out.push(b'<');
    out.extend_from_slice(&el.name);
    if el.has_attrs() {
        out.extend_from_slice(el.attrs.trim_ascii_end());
    }
    out.push(b'>');
}

/// An element and everything under it.
pub fn write_element(el: &Element, out: &mut Vec<u8>) {
    out.push(b'<');
    out.extend_from_slice(&el.name);
    if el.has_attrs() {
        out.extend_from_slice(el.attrs.trim_ascii_end());
    }
    if el.children.is_empty() {
        out.extend_from_slice(b"/>");
        return;
    }
    out.push(b'>');
    for c in &el.children {
        match c {
            Node::El(e) => write_element(e, out),
            Node::Text(t) => out.extend_from_slice(t),
        }
    }
    out.extend_from_slice(b"</");
    out.extend_from_slice(&el.name);
    out.push(b'>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_text_and_markup_are_found_as_written() {
        let xml = br#"<?xml version="1.0"?><!-- c --><a x="1>2" y='q'>t &amp; u<b/><c z="3" /><![CDATA[<raw>]]></a>"#;
        let root = parse(xml).unwrap();
        assert_eq!(&*root.name, b"a");
        assert_eq!(root.attr("x"), Some(&b"1>2"[..]));
        assert_eq!(root.attr("y"), Some(&b"q"[..]));
        let kids: Vec<String> = root
            .children
            .iter()
            .map(|c| match c {
                Node::El(e) => format!("<{}>", String::from_utf8_lossy(&e.name)),
                Node::Text(t) => String::from_utf8_lossy(t).to_string(),
            })
            .collect();
        assert_eq!(kids, ["t &amp; u", "<b>", "<c>", "<![CDATA[<raw>]]>"]);
        let out = String::from_utf8(serialize(&root)).unwrap();
        assert!(
            out.ends_with(r#"<a x="1>2" y='q'>t &amp; u<b/><c z="3"/><![CDATA[<raw>]]></a>"#),
            "{out}"
        );
        assert!(parse(b"<a><b></a").is_err() || parse(b"<a x=\"1").is_err());
        assert!(parse(b"<a x=\"1").is_err());
    }
}
