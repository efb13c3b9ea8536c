//! A fast scan of a PDF content stream for the few operators the preflight report needs
//! (matrices, colours, placed XObjects): text is skipped, not parsed. lopdf's full content
//! parser took about 200 ms a booklet; this takes a few. Text is skipped with `memchr`, and
//! operands are read as numbers only for the operators that the caller asks about.

/// Bytes that end a token: white space and the PDF delimiters.
const DELIM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_whitespace()
            || matches!(
                c,
                b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
            );
        i += 1;
    }
    t
};

/// The end of the token that starts at `i`.
fn token_end(content: &[u8], mut i: usize) -> usize {
    while i < content.len() && !DELIM[content[i] as usize] {
        i += 1;
    }
    i
}

/// The index just past the literal string that opens at `i` (balanced parentheses,
/// backslash escapes), or the end of `content`.
fn string_end(content: &[u8], mut i: usize) -> usize {
    let n = content.len();
    let mut depth = 0usize;
    while i < n {
        match content[i] {
            b'\\' => i += 2,
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            // Plain text: jump to the next byte that matters.
            _ => match memchr::memchr3(b'\\', b'(', b')', &content[i..]) {
                Some(p) => i += p,
                None => return n,
            },
        }
    }
    n
}

/// Call `f(operator, numbers, last name)` for every operator of `content`. The numbers
/// are read only for the operators in `numeric` (most operands, the text's positions and
/// sizes, are of no interest): other operators get none.
pub fn operators(
    content: &[u8],
    numeric: &[&[u8]],
    mut f: impl FnMut(&[u8], &[f64], Option<&[u8]>),
) {
    // The operands since the last operator, as byte ranges: parsed only when wanted.
    let mut operands: Vec<(usize, usize)> = Vec::with_capacity(8);
    let mut nums: Vec<f64> = Vec::with_capacity(8);
    let mut name: Option<&[u8]> = None;
    let n = content.len();
    let mut i = 0;
    while i < n {
        let c = content[i];
        match c {
            c if c.is_ascii_whitespace() => i += 1,
            b'%' => {
                i = memchr::memchr2(b'\n', b'\r', &content[i..]).map_or(n, |p| i + p);
            }
            b'(' => i = string_end(content, i),
            b'<' if content.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                i = memchr::memchr(b'>', &content[i..]).map_or(n, |p| i + p) + 1;
            }
            b'[' => {
                // An array (the glyphs and kerning of `TJ`): nothing the report needs.
                i += 1;
                while i < n {
                    match memchr::memchr3(b'(', b'<', b']', &content[i..]) {
                        None => i = n,
                        Some(p) => {
                            i += p;
                            match content[i] {
                                b'(' => i = string_end(content, i),
                                b'<' => {
                                    i = memchr::memchr(b'>', &content[i..]).map_or(n, |p| i + p)
                                        + 1;
                                }
                                _ => {
                                    i += 1;
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            b'>' | b']' | b'{' | b'}' => i += 1,
            b'/' => {
                let start = i + 1;
                i = token_end(content, start);
                name = Some(&content[start..i]);
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = i;
                i = token_end(content, i);
                operands.push((start, i));
            }
            _ => {
                let start = i;
                i = token_end(content, i);
                let op = &content[start..i];
                if op == b"BI" {
                    // An inline image: its data runs to `EI`.
                    while i + 2 < n
                        && !(content[i].is_ascii_whitespace() && &content[i + 1..i + 3] == b"EI")
                    {
                        i += 1;
                    }
                    i += 3;
                } else {
                    nums.clear();
                    if numeric.contains(&op) {
                        nums.extend(operands.iter().filter_map(|&(a, b)| {
                            std::str::from_utf8(&content[a..b])
                                .ok()?
                                .parse::<f64>()
                                .ok()
                        }));
                    }
                    f(op, &nums, name);
                }
                operands.clear();
                name = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_with_their_operands_and_text_skipped() {
        let content = b"q 1 0 0 1 10.5 -2 cm /Im1 Do Q BT /F1 9 Tf [(a) -20 (b\\) cm)] TJ ET 0.1 0.2 0.3 0.4 k /Cs1 cs <<>> BDC";
        let mut seen = Vec::new();
        operators(content, &[b"cm", b"k"], |op, nums, name| {
            seen.push((
                String::from_utf8_lossy(op).into_owned(),
                nums.to_vec(),
                name.map(|n| String::from_utf8_lossy(n).into_owned()),
            ));
        });
        let ops: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            ops,
            [
                "q", "cm", "Do", "Q", "BT", "Tf", "TJ", "ET", "k", "cs", "BDC"
            ]
        );
        assert_eq!(seen[1].1, [1.0, 0.0, 0.0, 1.0, 10.5, -2.0]);
        assert_eq!(seen[2].2.as_deref(), Some("Im1"));
        assert_eq!(seen[8].1, [0.1, 0.2, 0.3, 0.4]);
        assert_eq!(seen[5].1, [] as [f64; 0], "Tf is not in the numeric list");
    }

    #[test]
    fn strings_with_nested_and_escaped_parentheses_are_skipped_whole() {
        // A `cm` inside strings and arrays is text, not an operator; an unclosed string or
        // array at the end stops the scan without a panic.
        let content = b"(a (b) \\) cm \\\\) Tj [(x) <20 63 6d> (y\\(cm)] TJ 2 0 0 2 0 0 cm [(z";
        let mut seen = Vec::new();
        operators(content, &[b"cm"], |op, nums, _| {
            seen.push((String::from_utf8_lossy(op).into_owned(), nums.to_vec()))
        });
        assert_eq!(
            seen,
            [
                ("Tj".to_string(), vec![]),
                ("TJ".to_string(), vec![]),
                ("cm".to_string(), vec![2.0, 0.0, 0.0, 2.0, 0.0, 0.0]),
            ]
        );
    }
}
