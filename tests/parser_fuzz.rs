//! No panic on hostile input: random bytes and random Markdown-like text through the parser,
//! and every diagnostic it makes printed (codespan panics on spans that are out of range).

use modulpress::diag::{Diags, SourceFiles};
use modulpress::parse::parse_session;
use modulpress::text::normalize_text;
use proptest::prelude::*;

fn parse_and_print(bytes: &[u8]) {
    let Ok(text) = normalize_text(bytes) else {
        return;
    };
    let mut files = SourceFiles::default();
    let file = files.add("x.md".into(), text.clone());
    let mut diags = Diags::default();
    let _ = parse_session(&text, file, "x.md", &mut diags);
    let mut sink = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    for d in &diags.list {
        if let Some(span) = d.at {
            assert!(
                span.start <= span.end && span.end as usize <= text.len(),
                "span {span:?} outside the text"
            );
            assert!(
                text.is_char_boundary(span.start as usize)
                    && text.is_char_boundary(span.end as usize)
            );
        }
        files.emit(&mut sink, d);
    }
}

/// Pieces that exercise the format's corners.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# Judul {#id minutes=30}\n".to_string()),
        Just("::: objectives\n".to_string()),
        Just(":::: {.activity title=\"A\" minutes=10}\n".to_string()),
        Just("::: {.slide title=\"S\"}\n".to_string()),
        Just("::: notes\n".to_string()),
        Just("::: {.only audience=\"facilitator\"}\n".to_string()),
        Just(":::\n".to_string()),
        Just("::::\n".to_string()),
        Just("```\n".to_string()),
        Just("- item\n".to_string()),
        Just("1. langkah\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("![C](images/x.svg){width=50%}\n".to_string()),
        Just("[^1]: catatan\n".to_string()),
        Just("teks[^1] {{org.name}} \\{{ {{x\n".to_string()),
        Just("## Bagian {#b}\n".to_string()),
        Just("<!-- komentar -->\n".to_string()),
        Just("> kutipan\n".to_string()),
        Just("\n".to_string()),
        "[ -~éñ\u{E000}\t{}:#*_`]{0,30}\n",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        parse_and_print(&bytes);
    }

    #[test]
    fn random_markdown_never_panics(text in markdownish()) {
        parse_and_print(text.as_bytes());
    }
}
