//! Unit tests of the parser, one per construct of docs/source-format.md.

use super::{Parent, parse_blocks, parse_session};
use crate::diag::Diags;
use crate::model::{Audience, Block, DivKind, Inline, Placeholder};

fn blocks(text: &str) -> Vec<Block> {
    let mut diags = Diags::default();
    let parsed = parse_blocks(text, 0, Parent::Session, &mut diags);
    assert!(!diags.has_errors(), "{:?}", diags.list);
    parsed.blocks
}

fn inlines(text: &str) -> Vec<Inline> {
    match blocks(text).remove(0) {
        Block::Paragraph { content } => content,
        other => panic!("not a paragraph: {other:?}"),
    }
}

fn errors(text: &str) -> Vec<String> {
    let mut diags = Diags::default();
    parse_blocks(text, 0, Parent::Session, &mut diags);
    diags.list.into_iter().map(|d| d.message).collect()
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

#[test]
fn emphasis_strong_code() {
    assert_eq!(
        inlines("a *b* **c** `d`"),
        vec![
            t("a "),
            Inline::Emph {
                content: vec![t("b")]
            },
            t(" "),
            Inline::Strong {
                content: vec![t("c")]
            },
            t(" "),
            Inline::Code { text: "d".into() }
        ]
    );
}

#[test]
fn links_external_and_internal() {
    let i = inlines("[ILO](https://www.ilo.org/) dan [sesi](#sejarah)");
    assert_eq!(
        i[0],
        Inline::Link {
            url: "https://www.ilo.org/".into(),
            content: vec![t("ILO")]
        }
    );
    assert!(matches!(&i[2], Inline::InternalLink { target, .. } if target == "sejarah"));
}

#[test]
fn footnotes_are_placed_where_referenced() {
    let b = blocks("Teks.[^a]\n\n[^a]: Catatan *kaki*.\n");
    assert_eq!(b.len(), 1);
    let Block::Paragraph { content } = &b[0] else {
        panic!()
    };
    let Inline::Footnote { label, content } = &content[1] else {
        panic!("{content:?}")
    };
    assert_eq!(label, "a");
    assert!(matches!(&content[0], Block::Paragraph { .. }));
}

#[test]
fn nested_and_ordered_lists() {
    let b = blocks("3. satu\n4. dua\n   - a\n   - b\n");
    let Block::List {
        ordered: true,
        start: 3,
        items,
    } = &b[0]
    else {
        panic!("{b:?}")
    };
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[1].content[1],
        Block::List { ordered: false, .. }
    ));
}

#[test]
fn gfm_tables_with_alignment() {
    let b = blocks("| A | B |\n|:--|--:|\n| 1 | *2* |\n| 3 | 4 |\n");
    let Block::Table(table) = &b[0] else { panic!() };
    assert_eq!(table.header, vec![vec![t("A")], vec![t("B")]]);
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        table.aligns,
        vec![crate::model::Align::Left, crate::model::Align::Right]
    );
}

#[test]
fn wide_tables_take_their_attribute_from_the_line_under_the_last_row() {
    let b = blocks("| A | B |\n|---|---|\n| 1 | 2 |\n{.wide}\n\nTeks.\n");
    let Block::Table(table) = &b[0] else {
        panic!("{b:?}")
    };
    assert!(table.wide);
    assert_eq!(table.rows.len(), 1, "the attribute line is not a row");
    assert!(matches!(&b[1], Block::Paragraph { .. }), "{b:?}");
    let b = blocks("| A | B |\n|---|---|\n| 1 | 2 |\n\nTeks.\n");
    let Block::Table(table) = &b[0] else { panic!() };
    assert!(!table.wide);
    let e = errors("| A | B |\n|---|---|\n| 1 | 2 |\n{.lebar}\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("unknown table attribute"), "{e:?}");
}

#[test]
fn quotes_rules_code_and_breaks() {
    let b = blocks("> kutipan\n\n---\n\n```sh\nls {{x}}\n```\n\nsatu\\\ndua  \ntiga\n");
    assert!(matches!(b[0], Block::Quote { .. }));
    assert!(matches!(b[1], Block::Rule));
    assert_eq!(
        b[2],
        Block::Code {
            lang: Some("sh".into()),
            text: "ls {{x}}\n".into()
        }
    );
    let Block::Paragraph { content } = &b[3] else {
        panic!()
    };
    assert_eq!(
        content.iter().filter(|i| **i == Inline::LineBreak).count(),
        2
    );
}

#[test]
fn figures_with_and_without_width() {
    let b = blocks("![Alur *kasus*](images/a.svg){width=60%}\n\n![Foto](images/b.png)\n");
    let Block::Figure {
        src,
        caption,
        width,
        ..
    } = &b[0]
    else {
        panic!()
    };
    assert_eq!((src.as_str(), *width), ("images/a.svg", Some(60.0)));
    assert_eq!(caption[0], t("Alur "));
    assert!(matches!(b[1], Block::Figure { width: None, .. }));
}

#[test]
fn placeholders_and_literal_braces() {
    let i = inlines("Di {{org.name}} ({{ org.short }}), \\{{org.name}} tetap.");
    assert!(matches!(
        i[1],
        Inline::Placeholder {
            name: Placeholder::OrgName,
            ..
        }
    ));
    assert!(matches!(
        i[3],
        Inline::Placeholder {
            name: Placeholder::OrgShort,
            ..
        }
    ));
    assert_eq!(i[4], t("), {{org.name}} tetap."));
    assert_eq!(
        inlines("`\\{{x}}`"),
        vec![Inline::Code {
            text: "\\{{x}}".into()
        }]
    );
}

#[test]
fn a_placeholder_in_single_braces_is_a_warning_at_it() {
    let text = "Di {org.name} dan {{org.short}}.\n";
    // The second of two, after a placeholder that holds it: at its own place.
    let mut diags = Diags::default();
    parse_blocks(
        "{{org.name}} dan {org.name}\n",
        0,
        Parent::Session,
        &mut diags,
    );
    let span = diags.list[0].at.unwrap();
    assert_eq!((span.start, span.end), (17, 27), "{:?}", diags.list);
    let mut diags = Diags::default();
    parse_blocks(text, 0, Parent::Session, &mut diags);
    assert_eq!(diags.list.len(), 1, "{:?}", diags.list);
    let d = &diags.list[0];
    assert_eq!(
        d.message,
        "`{org.name}` has single braces: it prints as written"
    );
    assert_eq!(d.severity, crate::diag::Severity::Warning);
    let span = d.at.unwrap();
    assert_eq!((span.start, span.end), (3, 13));
    assert_eq!(
        d.help.as_deref(),
        Some("write `{{org.name}}` to have it replaced")
    );
}

#[test]
fn an_unclosed_placeholder_written_with_an_escape_is_placed_on_its_brace() {
    // `{\{` is `{{` once Markdown has read it, but not in the file: the span must still
    // be on the file's characters (it ended inside `é`; found by the fuzz target).
    let text = "!é{\\{0\n";
    let mut diags = Diags::default();
    parse_blocks(text, 0, Parent::Session, &mut diags);
    let span = diags.list[0].at.unwrap();
    assert_eq!(
        diags.list[0].message,
        "`{{` opens a placeholder that is never closed"
    );
    assert_eq!((span.start, span.end), (3, 5), "`{{\\`");
}

#[test]
fn html_comments_dropped_raw_html_refused() {
    assert_eq!(
        blocks("<!-- catatan -->\n\nteks <!-- x --> lagi\n").len(),
        1
    );
    assert_eq!(errors("<b>tebal</b>\n"), ["raw HTML is not allowed"; 2]);
}

#[test]
fn text_that_looks_like_typst_stays_text() {
    assert_eq!(
        inlines("#set text(red) dan $x$ dan \\\\textbf"),
        vec![t("#set text(red) dan $x$ dan \\textbf")]
    );
}

#[test]
fn every_block_class_with_its_attributes() {
    let b = blocks(concat!(
        "::: objectives\n- a\n:::\n\n",
        ":::: {.activity title=\"Peta {{org.short}}\" minutes=30 method=\"diskusi kelompok\"}\n1. x\n\n",
        "::: facilitator\ntip\n:::\n\n::: {.worksheet title=\"LK\" lines=3}\nisi\n:::\n::::\n\n",
        "::: keypoints\n- k\n:::\n\n::: {.case title=\"Kasus\"}\ncerita\n:::\n\n",
        "::::: {.slide title=\"S\"}\n- p\n\n::: notes\nn\n:::\n:::::\n\n",
        "::: {.only audience=\"facilitator\" federation=\"fspmi spn\"}\nx\n:::\n",
    ));
    let kinds: Vec<&DivKind> = b
        .iter()
        .map(|b| match b {
            Block::Div(d) => &d.kind,
            _ => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(kinds[0], &DivKind::Objectives);
    let DivKind::Activity {
        title,
        minutes: 30,
        method: Some(m),
    } = kinds[1]
    else {
        panic!()
    };
    assert!(matches!(
        title[1],
        Inline::Placeholder {
            name: Placeholder::OrgShort,
            ..
        }
    ));
    assert_eq!(m, "diskusi kelompok");
    let Block::Div(act) = &b[1] else { panic!() };
    assert!(matches!(act.content[1], Block::Div(ref d) if d.kind == DivKind::Facilitator));
    assert!(
        matches!(act.content[2], Block::Div(ref d) if matches!(d.kind, DivKind::Worksheet { lines: 3, .. }))
    );
    assert_eq!(kinds[2], &DivKind::Keypoints);
    assert!(matches!(kinds[3], DivKind::Case { .. }));
    let Block::Div(slide) = &b[4] else { panic!() };
    assert!(matches!(slide.content[1], Block::Div(ref d) if d.kind == DivKind::Notes));
    assert_eq!(
        kinds[5],
        &DivKind::Only {
            audience: Some(Audience::Facilitator),
            federations: vec!["fspmi".into(), "spn".into()]
        }
    );
}

#[test]
fn worksheet_lines_default_to_six() {
    let b = blocks("::: {.worksheet title=\"LK\"}\nisi\n:::\n");
    assert!(
        matches!(&b[0], Block::Div(d) if matches!(d.kind, DivKind::Worksheet { lines: 6, .. }))
    );
}

#[test]
fn nesting_rules() {
    assert_eq!(
        errors("::: {.only audience=\"participant\"}\n::: notes\nx\n:::\n:::\n"),
        ["a `notes` block must stand directly inside a `slide`"]
    );
    assert_eq!(
        errors(":::: {.case title=\"K\"}\n::: facilitator\nx\n:::\n::::\n"),
        ["a `facilitator` block cannot stand inside a `case`"]
    );
    assert!(errors(":::: {.activity title=\"A\" minutes=5}\n::: {.only audience=\"facilitator\"}\n::: facilitator\nx\n:::\n:::\n::::\n").is_empty());
}

#[test]
fn session_heading_ids_and_sections() {
    let mut diags = Diags::default();
    let (s, _) = parse_session("\n# Sejarah *Serikat* {#sejarah minutes=90}\n\n## Pasal 28 UU No. 21/2000\n\nSetext\n------\n", 0, "a.md", &mut diags).unwrap();
    assert!(diags.list.is_empty(), "{:?}", diags.list);
    assert_eq!((s.id.as_str(), s.minutes), ("sejarah", 90));
    assert!(
        matches!(&s.blocks[0], Block::Heading { level: 2, id, .. } if id == "pasal-28-uu-no.-212000")
    );
    assert!(matches!(&s.blocks[1], Block::Heading { level: 2, id, .. } if id == "setext"));
}

#[test]
fn a_row_with_more_cells_than_columns_is_an_error_and_escaped_pipes_are_not_cells() {
    let table = "| a | b |\n|---|---|\n| 1 | 2 |\n| `x\\|y` | z \\| w |\n| 3 |\n";
    assert!(errors(table).is_empty(), "{:?}", errors(table));
    let ragged = "| a | b |\n|---|---|\n| dua | tiga | HILANG |\n";
    assert_eq!(
        errors(ragged),
        vec!["this row has 3 cells, but the table has 2 columns"]
    );
    let mut diags = Diags::default();
    parse_blocks(ragged, 0, Parent::Session, &mut diags);
    let at = diags.list[0].at.unwrap();
    assert_eq!(&ragged[at.start as usize..at.end as usize], "HILANG |");
    // Without outer pipes too.
    assert_eq!(errors("a | b\n--|--\n1 | 2 | 3\n").len(), 1);
}

#[test]
fn links_go_to_the_web_mail_phone_or_a_heading_only() {
    for ok in [
        "[a](https://x.org)",
        "[a](HTTP://x.org)",
        "[a](mailto:a@x.org)",
        "[a](tel:+62215550000)",
        "[a](#sesi)",
        "<https://x.org/a>",
        "<a@x.org>",
    ] {
        assert!(errors(ok).is_empty(), "{ok}: {:?}", errors(ok));
    }
    for bad in [
        "[a](javascript:alert(1))",
        "[a](file:///etc/passwd)",
        "[a](\\\\\\\\host\\\\share)",
        "[a](lampiran.pdf)",
        "[a](//x.org)",
        "[a](https://)",
        "<file:///etc/passwd>",
    ] {
        assert_eq!(errors(bad).len(), 1, "{bad}: {:?}", errors(bad));
    }
    // The text of a refused link stays; an e-mail autolink is a mail link.
    let mut diags = Diags::default();
    let p = parse_blocks(
        "[klik](javascript:x) <a@x.org>",
        0,
        Parent::Session,
        &mut diags,
    );
    let Block::Paragraph { content } = &p.blocks[0] else {
        panic!()
    };
    assert_eq!(content[0], t("klik "));
    assert!(
        matches!(&content[1], Inline::Link { url, .. } if url == "mailto:a@x.org"),
        "{content:?}"
    );
}

#[test]
fn braces_in_a_heading_attribute_list_are_an_error_but_a_trailing_placeholder_is_not() {
    assert!(errors("## Peran {{org.short}}\n").is_empty());
    assert!(errors("## Peran \\{{org.short}}\n").is_empty());
    assert_eq!(
        errors("## X {#peran-{{org.short}}}\n"),
        vec!["the braces at the end of this heading are not an attribute list"]
    );
    assert_eq!(errors("## X {{org.short}}}\n").len(), 1);
}

/// A folder of `(path, text)` files, for `parse_module`.
fn folder(files: &[(&str, &str)]) -> crate::bundle::Folder {
    crate::bundle::Folder {
        display: "m".into(),
        files: files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().into()))
            .collect(),
        links_out: Default::default(),
    }
}

/// module.toml, or a folder, that is a link out of the module folder is named as such, not
/// as missing.
#[test]
fn a_linked_module_toml_or_images_folder_is_told_as_a_link() {
    let mut source = folder(&[("01-a.md", "# A {#a minutes=30}\n")]);
    source.links_out.insert("module.toml".into());
    source.links_out.insert("images".into());
    let mut files = crate::diag::SourceFiles::default();
    let mut diags = Diags::default();
    assert!(super::parse_module(&source, &mut files, &mut diags).is_none());
    assert_eq!(
        diags.list[0].message,
        "module.toml in `m` is a link to a file outside the module folder"
    );
    assert_eq!(source.link_out_of("images/a.svg"), Some("images"));
    assert_eq!(source.link_out_of("images"), Some("images"));
    assert_eq!(source.link_out_of("gambar/a.svg"), None);
}

#[test]
fn a_session_file_sessions_leaves_out_is_a_warning_and_a_note_file_is_not() {
    let toml = "id = \"m\"\ntitle = \"M\"\npublisher = \"P\"\npublisher_short = \"P\"\ndate = 2025-01-01\nlang = \"id\"\nsessions = [\"01-a.md\"]\n";
    let source = folder(&[
        ("module.toml", toml),
        ("01-a.md", "# A {#a minutes=30}\n\nTeks.\n"),
        ("02-b.md", "<!-- baru -->\n\n# B {#b minutes=45}\n\nTeks.\n"),
        ("catatan.md", "# Catatan\n\nBukan sesi.\n"),
        ("draf/03-c.md", "# C {#c minutes=30}\n"),
    ]);
    let mut files = crate::diag::SourceFiles::default();
    let mut diags = Diags::default();
    let module = super::parse_module(&source, &mut files, &mut diags).unwrap();
    assert_eq!(module.sessions.len(), 1);
    assert_eq!(diags.list.len(), 1, "{:?}", diags.list);
    let d = &diags.list[0];
    assert_eq!(d.severity, crate::diag::Severity::Warning);
    assert_eq!(
        d.message,
        "`02-b.md` is a session, but `sessions` in module.toml does not list it: it is not built"
    );
    let at = d.at.unwrap();
    assert_eq!(files.line_col(at.file, at.start as usize), (3, 1));
}

#[test]
fn a_sub_section_before_any_section_is_a_warning_once() {
    let mut diags = Diags::default();
    let text = "# A {#a minutes=30}\n\n### Satu\n\nteks\n\n### Dua\n\n## Bagian\n\n### Tiga\n";
    assert!(parse_session(text, 0, "01-a.md", &mut diags).is_some());
    assert_eq!(diags.list.len(), 1, "{:?}", diags.list);
    let d = &diags.list[0];
    assert_eq!(d.severity, crate::diag::Severity::Warning);
    assert_eq!(
        d.message,
        "a `###` sub-section before any `##` section of this session"
    );
    assert_eq!(d.at.unwrap().start, 21);
}

#[test]
fn a_heading_without_its_space_is_told_and_a_number_or_an_escape_is_not() {
    assert_eq!(
        errors("#Judul Tanpa Spasi\n\nTeks.\n"),
        ["`#Judul` prints as text, not as a heading: a heading has a space after its `#`"]
    );
    assert_eq!(
        errors("Teks pertama\n##Bagian\n"),
        ["`##Bagian` prints as text, not as a heading: a heading has a space after its `##`"]
    );
    assert!(
        errors("# Judul\n\n#1 di daftar\n\n\\#SerikatKuat hari ini.\n\nNomor #5.\n").is_empty()
    );
}

#[test]
fn a_heading_without_its_space_below_the_title_is_told_to_be_a_section() {
    let help = |text: &str| {
        let mut diags = Diags::default();
        parse_blocks(text, 0, Parent::Session, &mut diags);
        diags.list[0].help.clone().unwrap_or_default()
    };
    assert!(help("Teks.\n\n#Bagian Baru\n").starts_with("write `## Bagian Baru` for a heading"));
    assert!(help("#Judul Sesi\n\nTeks.\n").starts_with("write `# Judul Sesi` for a heading"));
}

#[test]
fn an_indented_paragraph_is_told_it_prints_as_code_and_a_fenced_block_is_not() {
    assert_eq!(
        errors("Teks.\n\n\tSerikat harus siap dengan data.\n"),
        [
            "this text is indented by a tab, so it prints as code: in a typewriter font, exactly as written"
        ]
    );
    assert_eq!(
        errors("Teks.\n\n    Dua baris\n    kode.\n"),
        [
            "this text is indented by four spaces or more, so it prints as code: in a typewriter font, exactly as written"
        ]
    );
    assert!(errors("Teks.\n\n```\n    kode\n```\n\n- butir\n\n  lanjutan butir\n").is_empty());
}
