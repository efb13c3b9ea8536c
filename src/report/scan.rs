//! A fast scan of a PDF content stream for the few operators the preflight report needs
//! (matrices, colours, placed XObjects): text is skipped, not parsed. lopdf's full content
//! parser took about 200 ms a booklet; this takes a few.

/// Call `f(operator, numbers, last name)` for every operator of `content`.
pub fn operators(content: &[u8], mut f: impl FnMut(&[u8], &[f64], Option<&[u8]>)) {
    let mut nums: Vec<f64> = Vec::with_capacity(8);
    let mut name: Option<&[u8]> = None;
    let n = content.len();
    let mut i = 0;
    let delim = |c: u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
    while i < n {
        let c = content[i];
        match c {
            c if c.is_ascii_whitespace() => i += 1,
            b'%' => {
                while i < n && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut depth = 0usize;
                while i < n {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if content.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                while i < n && content[i] != b'>' {
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                // An array (the glyphs and kerning of `TJ`): nothing the report needs.
                i += 1;
                while i < n && content[i] != b']' {
                    match content[i] {
                        b'(' => {
                            let mut depth = 0usize;
                            while i < n {
                                match content[i] {
                                    b'\\' => i += 1,
                                    b'(' => depth += 1,
                                    b')' => {
                                        depth -= 1;
                                        if depth == 0 {
                                            break;
                                        }
                                    }
                                    _ => {}
                                }
                                i += 1;
                            }
                        }
                        b'<' => {
                            while i < n && content[i] != b'>' {
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'>' | b']' | b'{' | b'}' => i += 1,
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < n && !delim(content[i]) {
                    i += 1;
                }
                name = Some(&content[start..i]);
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = i;
                while i < n && !delim(content[i]) {
                    i += 1;
                }
                if let Some(v) = std::str::from_utf8(&content[start..i])
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                {
                    nums.push(v);
                }
            }
            _ => {
                let start = i;
                while i < n && !delim(content[i]) {
                    i += 1;
                }
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
                    f(op, &nums, name);
                }
                nums.clear();
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
        operators(content, |op, nums, name| {
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
    }
}
