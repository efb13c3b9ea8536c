//! Soft hyphens for Indonesian running text (Typst has no Indonesian patterns).

/// Indonesian running text with soft hyphens where a line may break: the points of
/// `hyphenate`, kept only in words of at least 8 letters and at least 3 letters from either
/// end. Every soft hyphen makes Typst's line breaker try one more break (each point costs
/// layout time); with character-level justification in the template, these are enough
/// for justified A5 lines without gaps (widest word space 2.0× a normal one on the FOA
/// module, against 5.6× with neither).
pub fn soft_hyphens(text: &str) -> String {
    thin_soft_hyphens(&crate::hyphenate::insert_soft_hyphens(text), 3, 3, 8)
}

/// Keep only the soft hyphens that leave at least `left` letters before and `right` letters
/// after them, in words of at least `min_word` letters.
pub fn thin_soft_hyphens(text: &str, left: usize, right: usize, min_word: usize) -> String {
    const SHY: char = '\u{AD}';
    if !text.contains(SHY) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String| {
        let letters = word.iter().filter(|c| **c != SHY).count();
        let mut seen = 0;
        for &c in word.iter() {
            if c == SHY {
                if seen >= left && letters - seen >= right && letters >= min_word {
                    out.push(c);
                }
            } else {
                seen += 1;
                out.push(c);
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() || c == SHY {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_hyphens_keep_three_letters_each_side_in_long_words() {
        let shy = |s: &str| s.replace('\u{AD}', "-");
        assert_eq!(
            shy(&thin_soft_hyphens("ke\u{AD}be\u{AD}bas\u{AD}an", 3, 3, 8)),
            "kebe-basan"
        );
        assert_eq!(
            shy(&thin_soft_hyphens("se\u{AD}ri\u{AD}kat", 3, 3, 8)),
            "serikat"
        );
        assert_eq!(
            shy(&thin_soft_hyphens(
                "a pe\u{AD}nyu\u{AD}sun\u{AD}an.",
                2,
                2,
                0
            )),
            "a pe-nyu-sun-an."
        );
        assert_eq!(
            shy(&soft_hyphens("pertanggungjawabannya")),
            "per-tang-gung-ja-wab-an-nya"
        );
        assert_eq!(shy(&soft_hyphens("Hak-hak KSPI 2025")), "Hak-hak KSPI 2025");
    }
}
