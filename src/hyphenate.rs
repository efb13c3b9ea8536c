//! Rule-based Indonesian hyphenation (PUEBI) that marks break points with soft hyphens (U+00AD), because typst has no Indonesian patterns.
//!
//! Rules, following PUEBI ("Pemenggalan Kata") and the KBBI dictionary forms:
//!
//! * Syllables are V, CV, VC, CVC (and loan forms with onset clusters).
//!   The digraphs `ng`, `ny`, `sy`, `kh` count as one consonant
//!   (`ma-sya-ra-kat`, `me-ngam-bil`, `akh-lak`, `kong-res`).
//! * Two vowels side by side are split (`bu-ah`, `ma-in`, `sa-at`), except the
//!   diphthongs `ai`, `au`, `ei`, `oi`. PUEBI lists `ma-in` next to `pan-dai`,
//!   so whether `ai` is a diphthong depends on the word; we treat the pair as a
//!   diphthong only when it closes its syllable: at the end of the stem
//!   (`pan-tai`, `ker-bau`, `se-su-ai-an`) or before a single consonant that
//!   starts the next syllable (`sau-da-ra`, `kai-dah`, `mau-pun`). Before a
//!   closing consonant it is two syllables: `ba-ik`, `ber-sa-ing`, `la-ut`.
//! * `VCV` → `V-CV`; `VCCV` → `VC-CV` (PUEBI: `Ap-ril`, `cap-lok`, `swas-ta`);
//!   three or more consonants → the break goes before the longest permissible
//!   onset (`C+r/l`, `s+C`, `s+C+r/l`), which gives PUEBI's `in-stru-men`,
//!   `ul-tra`, `bang-krut`, and KBBI's `sank-si` where no onset exists.
//!   Two consonants are always split, as PUEBI says, even where KBBI keeps a
//!   loan cluster (`prog-ram`, `de-mok-ra-si`); both are legal breaks. KBBI's
//!   whole `trans-` and `eks-` (`trans-por-ta-si`, `eks-por`) are kept, and
//!   `di-`/`ke-` stay apart from a cluster-initial root (`di-pro-ses`).
//! * Prefixes and suffixes: PUEBI splits derived words by syllable when the
//!   prefix fuses (`me-nu-tup`, `pe-nga-rang`, `pe-ru-sa-ha-an`), which the
//!   syllable rules already do, but keeps the boundary before the suffixes
//!   `-an`/`-kan` and the enclitics `-nya`, `-lah`, `-kah`, `-ku`, `-mu` when
//!   they follow `-an` (`ke-be-bas-an`, `per-tang-gung-ja-wab-an-nya`). Whether a
//!   final `-an` is a suffix (`tekan-an`) or part of the root (`bu-lan`,
//!   `sem-bi-lan`) and whether `…Vkan` is `-k|an` (`pen-di-dik-an`) or `-kan`
//!   (`me-la-ku-kan`) is decided by the heuristics in `suffix_cut` plus small
//!   word lists. The suffix `-i` is never split off (it is one letter anyway).
//! * No break leaves fewer than two letters at the start or end of a word
//!   (`eko-no-mi`, `ke-tua`); PUEBI forbids a lone letter at a line edge.
//!
//! The reference list is `tests/data/hyphenation-id.txt`.

/// The soft hyphen inserted by [`insert_soft_hyphens`].
pub const SOFT_HYPHEN: char = '\u{00AD}';

/// Minimum number of letters kept before the first and after the last break.
const MIN_EDGE: usize = 2;

/// Words whose break points no rule gets right, written as they should be split.
const EXCEPTIONS: &[&str] = &[
    // ke- + root + -kan is a verb here, not a ke-…-an noun on "kemukak".
    "ke-mu-ka-kan",
];

/// Words (or word endings) in which a final consonant + "an" belongs to the
/// root, though the root is long enough to look suffixed.
const NOT_SUFFIXED: &[&str] = &[
    "delapan",
    "sembilan",
    "halaman",
    "teladan",
    "pedoman",
    "selatan",
    "sebulan",
    "sejalan",
    "sepadan",
    "perlahan",
    "kalimantan",
    "ramadan",
    "rembulan",
    "seniman",
    "budiman",
];

/// Roots ending in vowel + k that form nouns with -an, so "…kan" after them is
/// "-k|an" (`tin-dak-an`, `per-ba-ik-an`) rather than the verbal "-kan".
const K_ROOTS: &[&str] = &[
    "ajak", "baik", "banyak", "bentuk", "bijak", "budak", "cetak", "desak", "didik", "duduk",
    "gerak", "golak", "injak", "layak", "letak", "masak", "masuk", "mogok", "naik", "pajak",
    "rusak", "sidik", "tarik", "tebak", "tegak", "tembak", "teriak", "tindak", "tolak", "tumpuk",
    "tunjuk",
];

/// Vowel-final roots that take per-…-kan as a verb (`per-ha-ti-kan`); other
/// per-…Vkan words are read as per-…-an nouns (`per-ge-rak-an`).
const PER_VERBS: &[&str] = &[
    "baru", "caya", "guna", "hati", "kira", "laku", "sama", "satu", "sila", "tanya", "temu",
];

/// Roots that begin like di- + onset cluster but are not prefixed (KBBI `dip-lo-ma`).
const NOT_PREFIXED: &[&str] = &["diplom"];

/// Byte offsets in `word` where a line break may occur, sorted and unique.
///
/// `word` should consist of letters, optionally joined by hyphens (`hak-hak`),
/// in which case every part is hyphenated on its own and no point is reported
/// at the hyphen itself. Parts containing anything other than (Latin) letters
/// get no points. Matching is case-insensitive. No point leaves fewer than two
/// letters on either side of a part.
pub fn hyphenation_points(word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for_each_point(word, |p| out.push(p));
    out
}

/// Calls `f` with every break offset of `word`, in increasing order; the
/// allocation-free core of [`hyphenation_points`].
fn for_each_point(word: &str, mut f: impl FnMut(usize)) {
    let mut base = 0;
    for part in word.split('-') {
        part_points(part, base, &mut f);
        base += part.len() + 1;
    }
}

/// `word` with `-` at every point from [`hyphenation_points`]; for tests and debugging.
pub fn hyphenate_word(word: &str) -> String {
    let points = hyphenation_points(word);
    let mut s = String::with_capacity(word.len() + points.len());
    let mut last = 0;
    for p in points {
        s.push_str(&word[last..p]);
        s.push('-');
        last = p;
    }
    s.push_str(&word[last..]);
    s
}

/// Inserts soft hyphens into running text at every permitted break point.
///
/// Words are runs of alphabetic characters; everything else is copied
/// unchanged. Left untouched: whitespace-separated tokens containing a digit,
/// a URL (`://` or starting `www.`), an e-mail address (`@`), a dot between
/// letters (domains, `S.H.`), or an existing soft hyphen; words without
/// lowercase letters (acronyms such as `UU`, `KSPI`, `PKB`); words shorter
/// than five letters. Parts of hyphenated compounds (`undang-undang`) are
/// treated as separate words. Case is preserved.
pub fn insert_soft_hyphens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut rest = text;
    while !rest.is_empty() {
        let ws = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        if is_opaque(token) {
            out.push_str(token);
        } else {
            hyphenate_token(token, &mut out);
        }
        rest = &rest[end..];
    }
    out
}

/// Tokens we must not touch: a soft hyphen inside a URL, address or number
/// would end up in copied links and searches.
fn is_opaque(token: &str) -> bool {
    if token.contains("://") || token.contains('@') || token.contains(SOFT_HYPHEN) {
        return true;
    }
    if token.chars().any(char::is_numeric) {
        return true;
    }
    let trimmed = token.trim_start_matches(|c: char| !c.is_alphanumeric());
    if trimmed
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    token.match_indices('.').any(|(i, _)| {
        let before = token[..i].chars().next_back();
        let after = token[i + 1..].chars().next();
        before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
    })
}

fn hyphenate_token(token: &str, out: &mut String) {
    let mut last = 0;
    let mut chars = token.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_alphabetic() {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        out.push_str(&token[last..start]);
        push_word(&token[start..end], out);
        last = end;
    }
    out.push_str(&token[last..]);
}

fn push_word(word: &str, out: &mut String) {
    let letters = word.chars().count();
    // No lowercase letter: an acronym (or a shouted heading), which we leave whole.
    if letters < 5 || !word.chars().any(char::is_lowercase) {
        out.push_str(word);
        return;
    }
    let mut last = 0;
    for_each_point(word, |p| {
        out.push_str(&word[last..p]);
        out.push(SOFT_HYPHEN);
        last = p;
    });
    out.push_str(&word[last..]);
}

/// Lower-case ASCII letter for `c`, folding accented vowels; `None` for
/// anything else, so foreign scripts and symbols are never hyphenated.
fn fold(c: char) -> Option<u8> {
    if c.is_ascii_alphabetic() {
        return Some(c.to_ascii_lowercase() as u8);
    }
    let b = match c.to_lowercase().next()? {
        'à' | 'á' | 'â' | 'ä' => b'a',
        'è' | 'é' | 'ê' | 'ë' => b'e',
        'ì' | 'í' | 'î' | 'ï' => b'i',
        'ò' | 'ó' | 'ô' | 'ö' => b'o',
        'ù' | 'ú' | 'û' | 'ü' => b'u',
        _ => return None,
    };
    Some(b)
}

/// Longer "words" (chemical names, run-together junk) are left alone; this
/// bounds the stack buffers so the hot path never allocates.
const MAX_LETTERS: usize = 48;

fn part_points(part: &str, base: usize, out: &mut impl FnMut(usize)) {
    let mut letters = [0u8; MAX_LETTERS];
    let mut offsets = [0usize; MAX_LETTERS];
    let mut n = 0;
    for (i, c) in part.char_indices() {
        if n == MAX_LETTERS {
            return;
        }
        match fold(c) {
            Some(b) => {
                letters[n] = b;
                offsets[n] = i;
                n += 1;
            }
            None => return,
        }
    }
    if n < 2 * MIN_EDGE {
        return;
    }
    let mut marks = [false; MAX_LETTERS];
    breaks(&letters[..n], &mut marks);
    for (b, &m) in marks
        .iter()
        .enumerate()
        .take(n - MIN_EDGE + 1)
        .skip(MIN_EDGE)
    {
        if m {
            out(base + offsets[b]);
        }
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn is_consonant(c: u8) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// Marks every syllable break of a lower-case word (letter indices in
/// `1..len`), before the two-letter edge rule is applied.
fn breaks(w: &[u8], marks: &mut [bool; MAX_LETTERS]) {
    if exception(w, marks) {
        return;
    }
    let mut cuts = [false; MAX_LETTERS];
    morph_cuts(w, &mut cuts);
    let mut start = 0;
    for cut in (1..w.len())
        .filter(|&c| cuts[c])
        .chain(std::iter::once(w.len()))
    {
        syllable_breaks(&w[start..cut], &mut |b| marks[start + b] = true);
        if cut < w.len() {
            marks[cut] = true;
        }
        start = cut;
    }
}

fn exception(w: &[u8], marks: &mut [bool; MAX_LETTERS]) -> bool {
    let e = EXCEPTIONS.iter().find(|e| {
        e.len() - e.matches('-').count() == w.len()
            && e.bytes().filter(|&b| b != b'-').eq(w.iter().copied())
    });
    let Some(e) = e else { return false };
    let mut i = 0;
    for b in e.bytes() {
        if b == b'-' {
            marks[i] = true;
        } else {
            i += 1;
        }
    }
    true
}

/// Marks morpheme boundaries that force a break and split the word into
/// parts that are syllabified separately.
fn morph_cuts(w: &[u8], cuts: &mut [bool; MAX_LETTERS]) {
    let n = w.len();
    let mut cut = |c: usize| {
        if c > 0 && c < n {
            cuts[c] = true;
        }
    };

    // "ketidak-" before a vowel-initial root: ke-ti-dak-a-dil-an, not -da-ka-.
    if w.starts_with(b"ketidak") && n > 9 {
        cut(7);
    } else if (w.starts_with(b"di") || w.starts_with(b"ke"))
        && n > 5
        && cluster_onset(&w[2..])
        && !NOT_PREFIXED.iter().any(|p| w.starts_with(p.as_bytes()))
    {
        // di-/ke- before a loan root starting with a cluster: di-pro-ses, not dip-ro-ses.
        cut(2);
    }
    // KBBI keeps the loan prefixes whole: trans-por-ta-si, eks-por, teks-til.
    for i in 0..n.saturating_sub(3) {
        if w[i] != b't' && w[i] != b'e' {
            continue;
        }
        let r = &w[i..];
        if r.starts_with(b"trans") && n > i + 5 && is_consonant(w[i + 5]) {
            cut(i + 5);
        } else if r.starts_with(b"eks") && is_consonant(w[i + 3]) {
            cut(i + 3);
        }
    }

    // Enclitics matter only when they expose an -an to analyse; elsewhere the
    // syllable rules already break before them.
    let mut end = n;
    if end > 6 && (w.ends_with(b"lah") || w.ends_with(b"kah")) && w[..end - 3].ends_with(b"an") {
        end -= 3;
        cut(end);
    }
    if end > 6 && w[..end].ends_with(b"nya") && w[..end - 3].ends_with(b"an") {
        end -= 3;
        cut(end);
    } else if end > 5
        && (w[..end].ends_with(b"ku") || w[..end].ends_with(b"mu"))
        && w[..end - 2].ends_with(b"an")
    {
        end -= 2;
        cut(end);
    }
    if let Some(c) = suffix_cut(&w[..end]) {
        cut(c);
    }
}

/// True if `rest` starts with consonant + r/l + vowel (pr, kl, tr, …).
fn cluster_onset(rest: &[u8]) -> bool {
    rest.len() >= 3
        && matches!(rest[0], b'p' | b'b' | b't' | b'd' | b'k' | b'g' | b'f')
        && matches!(rest[1], b'r' | b'l')
        && is_vowel(rest[2])
}

/// Where the suffix -an or -kan starts in `s`, if it has one.
fn suffix_cut(s: &[u8]) -> Option<usize> {
    let n = s.len();
    if n < 5 || !s.ends_with(b"an") {
        return None;
    }
    let c = s[n - 3];
    if is_vowel(c) {
        // A vowel-final stem: the break falls here anyway, but the cut keeps a
        // stem-final diphthong whole (pe-ga-wai-an, ke-mau-an).
        return Some(n - 2);
    }
    if c == b'k' {
        if is_vowel(s[n - 4]) && k_stem_is_noun(s) {
            return Some(n - 2);
        }
        return Some(n - 3);
    }
    // Glides before -an are root endings: kar-ya-wan, pe-la-yan.
    if c == b'w' || c == b'y' {
        return None;
    }
    if NOT_SUFFIXED.iter().any(|r| s.ends_with(r.as_bytes())) {
        return None;
    }
    let stem = &s[..n - 2];
    // Native roots end in one consonant after a vowel; a cluster (kon-sul-tan,
    // Pa-kis-tan) means the "an" is part of a loan word.
    let coda = if stem.ends_with(b"ng") { 2 } else { 1 };
    if stem.len() <= coda || !is_vowel(stem[stem.len() - coda - 1]) {
        return None;
    }
    // Indonesian roots have two or more syllables, so a one-syllable remainder
    // means the "an" belongs to the root (bu-lan, ber-ja-lan, me-na-han).
    // Only ber-, di- and me- are discounted: se-, ke-, per-, ter- and pe- also
    // begin common roots (se-rang-an, ke-luh-an, pe-ran-an, ter-bit-an).
    let prefix =
        usize::from(stem.starts_with(b"ber") || stem.starts_with(b"di") || stem.starts_with(b"me"));
    if syllable_count(stem).saturating_sub(prefix) >= 2 {
        Some(n - 2)
    } else {
        None
    }
}

/// For `s` ending in vowel + "kan": is it root-final k + noun suffix -an?
fn k_stem_is_noun(s: &[u8]) -> bool {
    let stem = &s[..s.len() - 2];
    for p in ["", "ber", "ter", "se", "per", "ke", "pe"] {
        if let Some(root) = stem.strip_prefix(p.as_bytes())
            && K_ROOTS.iter().any(|r| r.as_bytes() == root)
        {
            return true;
        }
    }
    // me-/di- mark verbs, which take -kan.
    if stem.starts_with(b"me") || stem.starts_with(b"di") {
        return false;
    }
    // ke-…-an and peN-/per-…-an are nouns; the prefix plus a root of two or
    // more syllables gives at least three.
    let long = syllable_count(stem) >= 3;
    if stem.starts_with(b"per") {
        let root = &s[3..s.len() - 3];
        return long && !PER_VERBS.iter().any(|r| r.as_bytes() == root);
    }
    if stem.starts_with(b"pe") {
        return long;
    }
    if stem.starts_with(b"ke") && onset_ok(&stem[2..]) {
        return long;
    }
    false
}

/// Could `rest` start a syllable? (Rules out ker-ja-kan, kem-ba-li-kan as ke-.)
fn onset_ok(rest: &[u8]) -> bool {
    match rest {
        [v, ..] if is_vowel(*v) => true,
        [a, b, v, ..] if is_digraph(*a, *b) && is_vowel(*v) => true,
        [_, v, ..] if is_vowel(*v) => true,
        _ => cluster_onset(rest),
    }
}

fn is_digraph(a: u8, b: u8) -> bool {
    matches!(
        (a, b),
        (b'n', b'g') | (b'n', b'y') | (b's', b'y') | (b'k', b'h')
    )
}

fn syllable_count(seg: &[u8]) -> usize {
    if !seg.iter().any(|&c| is_vowel(c)) {
        return 0;
    }
    let mut count = 1;
    syllable_breaks(seg, &mut |_| count += 1);
    count
}

/// A sound unit of a segment: a letter or a digraph (ng, ny, sy, kh).
#[derive(Clone, Copy, Default)]
struct Unit {
    start: u8,
    len: u8,
}

/// Calls `mark` with the offset of every syllable break inside one segment
/// that contains no morpheme boundary.
fn syllable_breaks(seg: &[u8], mark: &mut impl FnMut(usize)) {
    let mut buf = [Unit::default(); MAX_LETTERS];
    let mut n = 0;
    let mut i = 0;
    while i < seg.len() {
        let len = if i + 1 < seg.len() && is_digraph(seg[i], seg[i + 1]) {
            2
        } else {
            1
        };
        buf[n] = Unit {
            start: i as u8,
            len: len as u8,
        };
        n += 1;
        i += len;
    }
    let u = &buf[..n];
    let vowel = |k: usize| u[k].len == 1 && is_vowel(seg[u[k].start as usize]);
    let mut prev: Option<usize> = None;
    // The previous vowel already ends a diphthong; "aiu" must not merge twice.
    let mut merged = false;
    for j in 0..n {
        if !vowel(j) {
            continue;
        }
        if let Some(a) = prev {
            let cut = match j - a - 1 {
                0 => {
                    let pair = (seg[u[a].start as usize], seg[u[j].start as usize]);
                    let diphthong = matches!(
                        pair,
                        (b'a', b'i') | (b'a', b'u') | (b'e', b'i') | (b'o', b'i')
                    );
                    // Closes its syllable: end of segment, or one consonant then a vowel.
                    let closes = j + 1 == n || (!vowel(j + 1) && j + 2 < n && vowel(j + 2));
                    if diphthong && closes && !merged {
                        merged = true;
                        prev = Some(j);
                        continue;
                    }
                    j
                }
                1 => a + 1,
                2 => a + 2,
                _ => onset_start(seg, u, a, j),
            };
            mark(u[cut].start as usize);
        }
        merged = false;
        prev = Some(j);
    }
}

/// First unit of the onset when three or more consonants stand between the
/// vowels at units `a` and `j`: the longest permissible onset, leaving at
/// least one consonant to close the previous syllable.
fn onset_start(seg: &[u8], u: &[Unit], a: usize, j: usize) -> usize {
    (a + 2..j)
        .find(|&s| is_onset(seg, &u[s..j]))
        .unwrap_or(j - 1)
}

fn is_onset(seg: &[u8], u: &[Unit]) -> bool {
    if u.len() == 1 {
        return true;
    }
    if u.len() > 3 || u.iter().any(|x| x.len != 1) {
        return false;
    }
    let c = |k: usize| seg[u[k].start as usize];
    let liquid = |x: u8| matches!(x, b'r' | b'l');
    if u.len() == 2 {
        (matches!(c(0), b'p' | b'b' | b't' | b'd' | b'k' | b'g' | b'f' | b'v') && liquid(c(1)))
            || (c(0) == b's' && matches!(c(1), b'p' | b't' | b'k' | b'l' | b'm' | b'n' | b'w'))
    } else {
        c(0) == b's' && matches!(c(1), b'p' | b't' | b'k') && liquid(c(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = include_str!("../tests/data/hyphenation-id.txt");

    /// The list gives full syllabification; drop breaks that would leave a
    /// single letter at either end, as the hyphenator must.
    fn expected_points(entry: &str) -> String {
        let letters = entry.chars().filter(|&c| c != '-').count();
        let mut out = String::new();
        let mut seen = 0;
        for c in entry.chars() {
            if c == '-' {
                if seen >= MIN_EDGE && letters - seen >= MIN_EDGE {
                    out.push('-');
                }
            } else {
                out.push(c);
                seen += 1;
            }
        }
        out
    }

    fn entries() -> Vec<&'static str> {
        LIST.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    #[test]
    fn word_list() {
        let entries = entries();
        assert!(
            entries.len() >= 200,
            "only {} words in the list",
            entries.len()
        );
        let mut bad = Vec::new();
        for e in &entries {
            let word: String = e.chars().filter(|&c| c != '-').collect();
            let want = expected_points(e);
            let got = hyphenate_word(&word);
            if got != want {
                bad.push(format!("{word}: expected {want}, got {got}"));
            }
        }
        assert!(
            bad.is_empty(),
            "{} of {} words wrong:\n{}",
            bad.len(),
            entries.len(),
            bad.join("\n")
        );
    }

    #[test]
    fn list_has_no_duplicates() {
        let mut words: Vec<String> = entries()
            .iter()
            .map(|e| e.replace('-', "").to_lowercase())
            .collect();
        let n = words.len();
        words.sort();
        words.dedup();
        assert_eq!(n, words.len(), "duplicate entries in the word list");
    }

    #[test]
    fn two_letter_minimum() {
        assert_eq!(hyphenate_word("ekonomi"), "eko-no-mi");
        assert_eq!(hyphenate_word("ketua"), "ke-tua");
        assert_eq!(hyphenate_word("iuran"), "iur-an");
        assert_eq!(hyphenate_word("atas"), "atas");
        assert_eq!(hyphenate_word("upah"), "upah");
        assert_eq!(hyphenate_word("ia"), "ia");
        assert_eq!(hyphenation_points(""), Vec::<usize>::new());
        for e in entries() {
            let word: String = e.chars().filter(|&c| c != '-').collect();
            let n = word.len();
            let pts = hyphenation_points(&word);
            assert!(
                pts.windows(2).all(|p| p[0] < p[1]),
                "{word}: {pts:?} not sorted"
            );
            assert!(pts.iter().all(|&p| p >= 2 && n - p >= 2), "{word}: {pts:?}");
        }
    }

    #[test]
    fn points_are_byte_offsets_and_case_insensitive() {
        assert_eq!(hyphenation_points("pekerja"), vec![2, 5]);
        assert_eq!(hyphenation_points("PEKERJA"), vec![2, 5]);
        assert_eq!(hyphenate_word("Perusahaan"), "Pe-ru-sa-ha-an");
        // é is two bytes in UTF-8; offsets stay on character boundaries.
        assert_eq!(hyphenate_word("kafétaria"), "ka-fé-ta-ria");
        assert_eq!(hyphenation_points("hak-hak"), Vec::<usize>::new());
        assert_eq!(hyphenate_word("undang-undang"), "un-dang-un-dang");
        // Non-Latin letters are not hyphenated.
        assert_eq!(hyphenation_points("пекерджа"), Vec::<usize>::new());
    }

    #[test]
    fn soft_hyphens_in_text() {
        let s = |t: &str| t.replace('|', "\u{ad}");
        assert_eq!(
            insert_soft_hyphens("Serikat pekerja memperjuangkan kebebasan."),
            s("Se|ri|kat pe|ker|ja mem|per|ju|ang|kan ke|be|bas|an.")
        );
        // Punctuation and whitespace kept exactly.
        assert_eq!(
            insert_soft_hyphens("(perundingan),\t\"pemogokan\"!\n  masyarakat;"),
            s("(pe|run|ding|an),\t\"pe|mo|gok|an\"!\n  ma|sya|ra|kat;")
        );
        // Capitals preserved; all-caps words are acronyms and stay whole.
        assert_eq!(insert_soft_hyphens("Pemerintah"), s("Pe|me|rin|tah"));
        assert_eq!(
            insert_soft_hyphens("UU KSPI PKB KSBSI PERUSAHAAN"),
            "UU KSPI PKB KSBSI PERUSAHAAN"
        );
        // Short words untouched.
        assert_eq!(
            insert_soft_hyphens("upah hak cuti buku"),
            "upah hak cuti buku"
        );
        assert_eq!(insert_soft_hyphens("kerja"), s("ker|ja"));
        // Hyphenated compounds: each part on its own.
        assert_eq!(insert_soft_hyphens("hak-hak"), "hak-hak");
        assert_eq!(insert_soft_hyphens("undang-undang"), s("un|dang-un|dang"));
        assert_eq!(
            insert_soft_hyphens("peraturan-peraturan"),
            s("pe|ra|tur|an-pe|ra|tur|an")
        );
        // Numbers, URLs, e-mail, domains.
        assert_eq!(
            insert_soft_hyphens("Pasal 156 ayat (2)"),
            s("Pa|sal 156 ayat (2)")
        );
        assert_eq!(
            insert_soft_hyphens("UU13/2003 pekerja2 ke-2"),
            "UU13/2003 pekerja2 ke-2"
        );
        assert_eq!(
            insert_soft_hyphens("https://kspi.or.id/perlindungan www.perusahaan.co.id"),
            "https://kspi.or.id/perlindungan www.perusahaan.co.id"
        );
        assert_eq!(
            insert_soft_hyphens("(www.serikatpekerja.org)"),
            "(www.serikatpekerja.org)"
        );
        assert_eq!(
            insert_soft_hyphens("serikat.pekerja@contoh.id kemnaker.go.id"),
            "serikat.pekerja@contoh.id kemnaker.go.id"
        );
        // Sentence-final dot is not a domain.
        assert_eq!(insert_soft_hyphens("perusahaan."), s("pe|ru|sa|ha|an."));
        // Idempotent: already hyphenated tokens are left alone.
        let once = insert_soft_hyphens("pertanggungjawabannya dibahas bersama");
        assert_eq!(insert_soft_hyphens(&once), once);
        assert_eq!(insert_soft_hyphens(""), "");
        assert_eq!(insert_soft_hyphens("   "), "   ");
    }
}
