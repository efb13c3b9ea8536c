//! Pandoc-style attribute lists: `{.activity title="Peta konflik" minutes=30}`.

use crate::diag::Diag;
use crate::model::Span;

/// One item of an attribute list, with its byte range in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// `.name`, or a bare first word (`::: objectives`, `{only …}`).
    Class(String),
    /// `#name`.
    Id(String),
    /// `key=value`, `key="value"` or `key='value'`; `value_start` is where the value begins.
    Pair {
        key: String,
        value: String,
        value_start: usize,
    },
    /// A bare word that is not in first place.
    Word(String),
}

/// An attribute and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub attr: Attr,
    pub start: usize,
    pub end: usize,
}

/// Parse the inside of `{…}` (without the braces); `base` is the byte offset of `text` in
/// the file. A quote left open is an error at its opening quote. Spaces beside an `=`
/// (`minutes = 45`, as `module.toml` writes its keys) are an error added to `noted`, and
/// the pair is read as meant, so that what follows (the heading's minutes, the block's
/// class) raises no errors of its own.
// The error is the one diagnostic of a fence line, made once per bad line: not worth a box.
#[allow(clippy::result_large_err)]
pub fn parse_attrs(
    text: &str,
    base: usize,
    file: u32,
    noted: &mut Vec<Diag>,
) -> Result<Vec<Spanned>, Diag> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let word = &text[start..i];
        curly_quotes(word, base + start, file)?;
        let skip_spaces = |from: usize| from + text[from..].len() - text[from..].trim_start().len();
        let eq = skip_spaces(i);
        let spaced = !word.is_empty()
            && bytes.get(eq) == Some(&b'=')
            && (eq > i || bytes.get(eq + 1).is_some_and(u8::is_ascii_whitespace));
        if spaced {
            noted.push(
                Diag::error("spaces around `=` in attributes")
                    .at(
                        Span::new(file, base + eq, base + eq + 1),
                        "no spaces may stand beside this `=`",
                    )
                    .help(format!(
                        "write `{word}=…` with no spaces, for example `minutes=45` or `title=\"…\"`"
                    )),
            );
            i = eq;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if spaced {
                i = skip_spaces(i);
            }
            let quoted = matches!(bytes.get(i), Some(b'"' | b'\''));
            let (value, value_start, next) = read_value(text, i).map_err(|at| {
                let d = Diag::error("unclosed quote in attributes").at(
                    Span::new(file, base + at, base + at + 1),
                    "this quote is never closed",
                );
                // `title="P2K3”`: closed with a curly quote, which a word processor typed
                // (the last one: `title="Kata “serikat”` holds two).
                match text[at + 1..].chars().rfind(|c| CURLY.contains(c)) {
                    Some(c) => d.help(format!(
                        "it is closed with a curly quote `{c}`: type the straight quote `\"` there (a word processor or phone may have turned it curly)"
                    )),
                    None => d.help("close the value with the same quote it opens with"),
                }
            })?;
            if !quoted {
                curly_quotes(&value, base + value_start, file)?;
            }
            i = next;
            out.push(Spanned {
                attr: Attr::Pair {
                    key: word.to_string(),
                    value,
                    value_start: base + value_start,
                },
                start: base + start,
                end: base + i,
            });
            continue;
        }
        let attr = if let Some(c) = word.strip_prefix('.') {
            Attr::Class(c.to_string())
        } else if let Some(id) = word.strip_prefix('#') {
            Attr::Id(id.to_string())
        } else if out.is_empty() {
            Attr::Class(word.to_string())
        } else {
            Attr::Word(word.to_string())
        };
        out.push(Spanned {
            attr,
            start: base + start,
            end: base + i,
        });
    }
    Ok(out)
}

/// The quotes a word processor or phone types for `"` and `'`.
const CURLY: [char; 4] = ['“', '”', '‘', '’'];

/// A curly quote outside a straight-quoted value (`title=“PT Maju”`, typed by a word
/// processor or a phone) is an error that says so, not a puzzle about stray words.
#[allow(clippy::result_large_err)]
fn curly_quotes(text: &str, base: usize, file: u32) -> Result<(), Diag> {
    match text.char_indices().find(|(_, c)| CURLY.contains(c)) {
        Some((at, c)) => Err(Diag::error(format!("curly quote `{c}` in attributes"))
            .at(
                Span::new(file, base + at, base + at + c.len_utf8()),
                "a curly quote",
            )
            .help("quote attribute values with straight quotes: title=\"…\" (a word processor or phone may have turned them curly)")),
        None => Ok(()),
    }
}

/// Read a value at `i`: quoted or up to whitespace. Returns (value, value start, next index),
/// or the index of an unclosed quote.
fn read_value(text: &str, i: usize) -> Result<(String, usize, usize), usize> {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let mut value = String::new();
            let mut j = i + 1;
            let mut chars = text[j..].char_indices();
            while let Some((k, c)) = chars.next() {
                if c == '\\' {
                    if let Some((_, next)) = chars.next() {
                        value.push(next);
                    }
                } else if c as u32 == q as u32 {
                    j += k + 1;
                    return Ok((value, i + 1, j));
                } else {
                    value.push(c);
                }
            }
            Err(i)
        }
        _ => {
            let mut j = i;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            Ok((text[i..j].to_string(), i, j))
        }
    }
}

/// The attribute an author writing in Indonesian most likely meant by `key` (`judul` for
/// `title`), or `None`.
pub(super) fn meant_in_english(key: &str) -> Option<&'static str> {
    Some(match key.to_lowercase().as_str() {
        "judul" | "nama" => "title",
        "menit" | "durasi" | "waktu" | "minute" | "min" => "minutes",
        "metode" | "metoda" | "cara" => "method",
        "baris" | "garis" => "lines",
        "peserta" | "untuk" | "audiens" => "audience",
        "federasi" => "federation",
        "lebar" | "ukuran" => "width",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(s: &str) -> Vec<Attr> {
        parse_attrs(s, 0, 0, &mut Vec::new())
            .unwrap()
            .into_iter()
            .map(|a| a.attr)
            .collect()
    }

    #[test]
    fn classes_ids_and_pairs() {
        assert_eq!(
            attrs(r#".activity title="Peta \"konflik\"" minutes=30"#),
            vec![
                Attr::Class("activity".into()),
                Attr::Pair {
                    key: "title".into(),
                    value: "Peta \"konflik\"".into(),
                    value_start: 17
                },
                Attr::Pair {
                    key: "minutes".into(),
                    value: "30".into(),
                    value_start: 43
                },
            ]
        );
        assert_eq!(
            attrs("#sejarah minutes=90"),
            vec![
                Attr::Id("sejarah".into()),
                Attr::Pair {
                    key: "minutes".into(),
                    value: "90".into(),
                    value_start: 17
                },
            ]
        );
        assert_eq!(
            attrs("only audience='facilitator'")[0],
            Attr::Class("only".into())
        );
        assert_eq!(attrs("a b")[1], Attr::Word("b".into()));
    }

    #[test]
    fn spaces_around_an_equals_sign_are_one_error_and_the_pair_is_read() {
        for text in ["#a minutes = 45", "#a minutes= 45", "#a minutes =45"] {
            let mut noted = Vec::new();
            let attrs: Vec<Attr> = parse_attrs(text, 0, 0, &mut noted)
                .unwrap()
                .into_iter()
                .map(|a| a.attr)
                .collect();
            assert_eq!(noted.len(), 1, "{text}");
            assert_eq!(noted[0].message, "spaces around `=` in attributes");
            assert_eq!(
                attrs,
                [
                    Attr::Id("a".into()),
                    Attr::Pair {
                        key: "minutes".into(),
                        value: "45".into(),
                        value_start: text.len() - 2,
                    }
                ],
                "{text}"
            );
        }
        let mut noted = Vec::new();
        assert!(parse_attrs("#a minutes=45 title=\"a = b\"", 0, 0, &mut noted).is_ok());
        assert!(noted.is_empty());
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        let e = parse_attrs(r#".case title="Kasus"#, 10, 0, &mut Vec::new()).unwrap_err();
        assert_eq!(e.at.unwrap().start, 22);
        // Closed with a curly quote: the last one is named.
        let e = parse_attrs(".case title=\"Kata “serikat”", 0, 0, &mut Vec::new()).unwrap_err();
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .starts_with("it is closed with a curly quote `”`"),
            "{:?}",
            e.help
        );
    }
}
