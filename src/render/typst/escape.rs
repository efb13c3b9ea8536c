//! Writing values into Typst source safely: markup text, string literals, dictionaries.
//!
//! Source text must never act as Typst: `#set`, `$x$`, `*`, `_`, `//`, `<label>` and `@ref`
//! all print as written. Markup text escapes every character that is special anywhere in
//! markup; everything else goes through string literals.

use std::fmt::Write;

/// Characters that are markup syntax wherever they stand (strong, emphasis, raw, math,
/// code, labels, references, content blocks, non-breaking space).
fn always_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~'
    )
}

/// Append `text` as Typst markup that prints exactly `text` (line breaks become spaces).
///
/// Escapes are kept to what the Typst lexer would otherwise read as syntax, because every
/// escape splits the text into more elements and slows layout: `-` before `-`, `?` or a
/// digit (dashes, soft hyphen, minus), `/` before `/` or `*` (comments), and a first
/// character that could open a heading, list or enumeration at the start of a line or
/// content block. Smart quotes and `...` are left to Typst's typography.
pub fn markup_text(text: &str, out: &mut String) {
    // At the start of a line or content block, after any spaces (Typst reads `  - x` as a
    // list item too).
    let before = out.trim_end_matches([' ', '\t']);
    let mut at_start = before.is_empty() || before.ends_with(['\n', '[']);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        let escape = always_special(c)
            || (c == '-' && next.is_none_or(|n| n == '-' || n == '?' || n.is_numeric()))
            || (c == '/' && next.is_none_or(|n| n == '/' || n == '*'))
            || (at_start && (matches!(c, '=' | '+' | '-' | '/') || c.is_ascii_digit()));
        if escape {
            out.push('\\');
        }
        out.push(c);
        at_start = at_start && c == ' ';
    }
}

/// Append a Typst string literal holding `text`.
pub fn string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A Typst string literal holding `text`.
pub fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    string(text, &mut s);
    s
}

/// A Typst length in millimetres (`12.5mm`), written with enough digits and no exponent.
pub fn mm(value: f64) -> String {
    let v = (value * 1000.0).round() / 1000.0;
    format!("{v}mm")
}

/// A JSON value (strings, numbers, booleans, arrays, objects) as a Typst literal:
/// objects become dictionaries, arrays become arrays (with a trailing comma, so that one
/// element stays an array).
pub fn value(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("none"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('(');
            for item in items {
                value(item, out);
                out.push_str(", ");
            }
            out.push(')');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("(:)");
                return;
            }
            out.push('(');
            for (k, item) in map {
                string(k, out);
                out.push_str(": ");
                value(item, out);
                out.push_str(", ");
            }
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        let mut out = String::new();
        markup_text(s, &mut out);
        out
    }

    #[test]
    fn markup_that_looks_like_typst_is_escaped() {
        assert_eq!(text("#set text(red)"), "\\#set text(red)");
        assert_eq!(text("$x$ and *b* _i_"), "\\$x\\$ and \\*b\\* \\_i\\_");
        assert_eq!(text("a // b /* c */"), "a \\// b \\/\\* c \\*\\/");
        assert_eq!(text("<lbl> @ref `raw`"), "\\<lbl\\> \\@ref \\`raw\\`");
        assert_eq!(text("\\textbf{x}"), "\\\\textbf{x}");
        assert_eq!(text("= h"), "\\= h");
        assert_eq!(text("- l"), "\\- l");
        assert_eq!(text("+ e"), "\\+ e");
        assert_eq!(text("1. x"), "\\1. x");
        assert_eq!(
            text("a--b ~ c-?d -1 hak-hak"),
            "a\\--b \\~ c\\-?d \\-1 hak-hak"
        );
        assert_eq!(text("[x]"), "\\[x\\]");
        assert_eq!(text("https://ilo.org a/b"), "https:\\//ilo.org a/b");
        let mut out = "#emph[".to_string();
        markup_text("- x", &mut out);
        assert_eq!(out, "#emph[\\- x");
        let mut out = "x ".to_string();
        markup_text("- x -", &mut out);
        assert_eq!(out, "x - x \\-");
        assert_eq!(text("Jum'at \"kutip\" 100% é"), "Jum'at \"kutip\" 100% é");
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(quoted("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u{1}\"");
    }

    #[test]
    fn values_become_typst_literals() {
        let v = serde_json::json!({"a": ["x"], "b": {"c": 1}, "d": null, "e": true});
        let mut out = String::new();
        value(&v, &mut out);
        assert_eq!(
            out,
            "(\"a\": (\"x\", ), \"b\": (\"c\": 1, ), \"d\": none, \"e\": true, )"
        );
        assert_eq!(mm(148.0), "148mm");
        assert_eq!(mm(3.25), "3.25mm");
    }

    /// What Typst's parser makes of `markup`: the text it prints, or the first node that
    /// would act as syntax.
    fn printed(markup: &str) -> Result<String, String> {
        use typst::syntax::{SyntaxKind, SyntaxNode};
        fn walk(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
            match node.kind() {
                SyntaxKind::Markup => {
                    for child in node.children() {
                        walk(child, out)?;
                    }
                }
                SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::SmartQuote => {
                    out.push_str(&node.full_text())
                }
                SyntaxKind::Escape => out.push_str(&node.full_text()[1..]),
                SyntaxKind::Shorthand if node.full_text().as_str() == "..." => out.push_str("..."),
                kind => return Err(format!("{kind:?} `{}`", node.full_text())),
            }
            Ok(())
        }
        let mut out = String::new();
        walk(&typst::syntax::parse(markup), &mut out)?;
        Ok(out)
    }

    #[test]
    fn no_text_is_ever_read_as_typst_syntax() {
        // A fixed pseudo-random walk over the characters that matter, plus letters.
        let alphabet: Vec<char> = "#$*_`<>@[]~=+-/\\.:'\"?!1 \na9()h".chars().collect();
        let mut seed: u64 = 0x5eed;
        for case in 0..3000 {
            let mut s = String::new();
            let len = 1 + case % 12;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            for prefix in ["", "#emph[", "x "] {
                let mut out = prefix.to_string();
                let start = out.len();
                markup_text(&s, &mut out);
                // After `#emph[` the text starts a content block: parse it as a block start.
                let wrapped = if prefix == "#emph[" {
                    out[start..].to_string()
                } else {
                    out.clone()
                };
                let expected = format!(
                    "{}{}",
                    if prefix == "x " { "x " } else { "" },
                    s.replace('\n', " ")
                );
                match printed(&wrapped) {
                    Ok(text) => assert_eq!(text, expected, "{s:?} wrote {out:?}"),
                    Err(node) => panic!("{s:?} wrote {out:?}: {node}"),
                }
            }
        }
    }
}
