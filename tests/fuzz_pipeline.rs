//! Fuzzing the whole text path: hostile Markdown through parse, check and routing, then
//! both generators. Input with errors must give diagnostics inside the text (and no
//! panic); input without errors must give Typst markup that parses with no error (for
//! both audiences) and a DOCX whose every XML part is well-formed.
//!
//! `cargo test` runs a short bounded run; the long run is ignored by default:
//! `FUZZ_SECONDS=600 cargo test --release --test fuzz_pipeline -- --ignored`.
//! Each failure it finds becomes a case in `tests/corpus/`.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use modulpress::bundle::{Bundle, FileBytes, Folder};
use modulpress::diag::{Diags, SourceFiles};
use modulpress::model::Audience;
use modulpress::render::booklet::markup;
use modulpress::route::{Org, Target, view};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const MODULE_TOML: &str = "id = \"uji\"\ntitle = \"Modul <Uji> & \\\"kutip\\\" #judul $x$\"\npublisher = \"Konfederasi ]]> Contoh\"\npublisher_short = \"K&C\"\ndate = 2025-09-29\n";

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="10" height="10"/></svg>"#;

/// Pieces that exercise the format's corners, the escapes of both outputs, control
/// characters and character references.
fn hostile() -> impl Strategy<Value = String> {
    // Pieces that keep the input valid, weighted high, so that most inputs reach both
    // generators; pieces that make errors, weighted low, so that the error paths run too.
    let valid = prop_oneof![
        Just("::: objectives\n- tujuan \\<b> & #c\n:::\n".to_string()),
        Just("::: {.activity title=\"A \\<b> & #c $d$ [e] ]]>\" minutes=5}\nLangkah *satu*.\n\n::: facilitator\nCatatan & \\<i>\n:::\n:::\n".to_string()),
        Just("::: {.case title=\"Kasus ]]> *x* @y\"}\nIsi \"kutip\" 'satu'.\n:::\n".to_string()),
        Just("::: {.worksheet title=\"Lembar\" lines=3}\nTulis.\n:::\n".to_string()),
        Just("::: {.slide title=\"S #1\"}\n- poin\n\n::: notes\nCatatan pembicara.\n:::\n:::\n".to_string()),
        Just("::: keypoints\n1. satu\n2. dua\n:::\n".to_string()),
        Just("::: {.only audience=\"facilitator\"}\nHanya fasilitator.\n:::\n".to_string()),
        Just("::: {.only federation=\"spn\"}\nHanya SPN.\n:::\n".to_string()),
        Just("```typst\n#panic() ]]> \\<x> &amp;\n```\n".to_string()),
        Just("- item\n  - sub *x*\n    - subsub `k`\n".to_string()),
        Just("> kutipan\n> > dalam\n".to_string()),
        Just("| a | b |\n|---|:-:|\n| 1 | *2* & \\<3> |\n".to_string()),
        Just("![C \\<x> & y #z](images/x.svg){width=50%}\n".to_string()),
        Just("![Foto](images/x.png)\n".to_string()),
        Just("Teks[^n] {{org.name}} {{org.short}} \\{{ x }}.\n\n[^n]: catatan *penting* & \\<b>\n".to_string()),
        Just("## Bagian {#b}\n\nLihat [bagian](#b).\n".to_string()),
        Just("### Sub \\<b> & #c $x$\n".to_string()),
        Just("[luar](https://a.b/?x=1&y=2&z=\"q\") <https://c.d/]]>>\n".to_string()),
        Just("&amp; &lt; &#11; &nbsp; &#x1F600; &#x2028; &quot;\n".to_string()),
        Just("a\u{0B}b \u{2028} \u{AD} \u{200B} \u{FEFF} \u{E000} \u{10FFFF}\n".to_string()),
        Just("#set page(width: 1pt) $ x^2 $ @ref \\<label> // c /* d */ \\ ~ --- ... = - + 1.\n".to_string()),
        Just("]]> \\<![CDATA[ x ]]> \\<?xml ?> \"' \n".to_string()),
        Just("**tebal _miring `kode` miring_ tebal** ***x*** ~~c~~\n".to_string()),
        Just("\n".to_string()),
        "[ -;=-~éñ\t\u{0B}]{0,40}\n",
    ];
    let broken = prop_oneof![
        Just(":::\n".to_string()),
        Just("::: notes\n".to_string()),
        Just("```\n".to_string()),
        Just("{{x {{}} {{nama}}\n".to_string()),
        Just("&#1; &#0; &#xFFFE; &#x85;\n".to_string()),
        Just("a\u{0}b\u{1}c\u{7F}d\u{85}e\u{FFFE}f\n".to_string()),
        Just("[x](#tidak-ada) <b>html</b>\n".to_string()),
        Just("> > > > > > > > > > > > > > > > > dalam\n".to_string()),
    ];
    let piece = prop_oneof![20 => valid, 1 => broken];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.join("\n"))
}

/// The module folder around one fuzzed session.
fn bundle(session: &str) -> Bundle {
    let mut files: BTreeMap<String, FileBytes> = BTreeMap::new();
    let mut add = |name: &str, bytes: &[u8]| {
        files.insert(name.into(), FileBytes::from(bytes));
    };
    add("module.toml", MODULE_TOML.as_bytes());
    add(
        "01-uji.md",
        format!("# Sesi \\<Uji> & #1 {{#uji minutes=90}}\n\n{session}").as_bytes(),
    );
    add("images/x.svg", SVG.as_bytes());
    add("images/x.png", &tiny_png());
    Bundle {
        source: Folder {
            display: "source".into(),
            files,
            links_out: Default::default(),
        },
        layouts: layouts(),
    }
}

fn layouts() -> Folder {
    static L: std::sync::OnceLock<Folder> = std::sync::OnceLock::new();
    L.get_or_init(|| Folder::read(&common::root().join("layouts")).unwrap())
        .clone()
}

fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([10, 20, 30]));
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The backends' engines, shared by every case as a build shares them between jobs.
static ENGINES: std::sync::LazyLock<modulpress::render::Engines> =
    std::sync::LazyLock::new(Default::default);

/// How many inputs passed the checks and reached both generators.
static REACHED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// One input through the pipeline; `Err` says what went wrong.
fn pipeline(session: &str) -> Result<(), String> {
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = modulpress::load_project(bundle(session), &mut files, &mut diags);
    let mut sink = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    for d in &diags.list {
        if let Some(span) = d.at {
            let text = files.text(span.file);
            if span.start > span.end
                || span.end as usize > text.len()
                || !text.is_char_boundary(span.start as usize)
                || !text.is_char_boundary(span.end as usize)
            {
                return Err(format!("span {span:?} of `{}` outside its text", d.message));
            }
        }
        files.emit(&mut sink, d);
    }
    let Some(project) = project else {
        return Ok(());
    };
    if diags.has_errors() {
        if std::env::var_os("FUZZ_DEBUG").is_some() {
            eprintln!(
                "{:?}",
                diags.list.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
        }
        return Ok(());
    }
    REACHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    for audience in Audience::ALL {
        let routed = view(
            &project.module,
            Target::Document(audience),
            &Org::publisher(&project.module.meta),
        );
        let opts = markup::Options {
            audience,
            locale: &project.locale,
            print: &project.print,
            template: "/layouts/booklet.typ",
            hyphenate: Some(modulpress::hyphenate::insert_soft_hyphens),
            notes_pages: None,
        };
        let m = markup::generate(&routed, &project.bundle.source, &opts);
        for (name, text) in [("main", &m.text), ("meta", &m.meta)] {
            let root = typst::syntax::parse(text);
            if let Some(e) = root.errors_and_warnings().0.first() {
                return Err(format!(
                    "{audience:?} {name} markup does not parse: {}\n--- markup\n{text}",
                    e.message
                ));
            }
        }
        let job = modulpress::plan::Job::Docx {
            audience,
            federation: "spn".into(),
        };
        let docx = modulpress::render::render(&job, &project, &ENGINES)
            .map_err(|d| format!("DOCX failed: {:?}", d.first().map(|d| &d.message)))?;
        let problems = common::outputs::docx_xml_problems(&docx[0].bytes);
        if !problems.is_empty() {
            return Err(format!("{audience:?} DOCX: {}", problems.join("; ")));
        }
    }
    Ok(())
}

fn run_for(cases: u32, deadline: Option<Instant>) -> (u64, Duration) {
    let start = Instant::now();
    let mut total = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&hostile(), |s| {
            pipeline(&s).map_err(|e| TestCaseError::fail(format!("{e}\n--- input\n{s:?}")))
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        total += u64::from(cases);
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    (total, start.elapsed())
}

#[test]
fn hostile_markdown_gives_parseable_markup_and_well_formed_docx() {
    let (n, took) = run_for(48, None);
    let reached = REACHED.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{n} cases in {took:?}, {reached} reached both generators");
    assert!(
        reached * 4 >= n,
        "too few inputs pass the checks: {reached} of {n}"
    );
}

#[test]
#[ignore = "the long run: FUZZ_SECONDS (default 600)"]
fn long_fuzz_run() {
    let secs: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let (n, took) = run_for(200, Some(Instant::now() + Duration::from_secs(secs)));
    let reached = REACHED.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "long fuzz run: {n} cases in {took:?}, {reached} reached both generators, no failure"
    );
}
