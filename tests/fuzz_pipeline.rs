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
    let piece = prop_oneof![20 => valid, 1 => broken, 2 => marks()];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.join("\n"))
}

/// A letter with a run of combining marks (literal or as character references), around
/// the limit of 30 and far past it.
fn marks() -> impl Strategy<Value = String> {
    let mark = prop::sample::select(vec![
        "\u{301}",
        "\u{300}",
        "\u{323}",
        "\u{200D}",
        "\u{FE0F}",
        "&#x301;",
        "&#769;",
        "&DownBreve;",
    ]);
    let count = prop_oneof![0usize..40, Just(31usize), 200usize..3000];
    ("[a-zA-Zé ]", prop::collection::vec(mark, 1..3), count).prop_map(|(base, marks, n)| {
        let run: String = (0..n).map(|i| marks[i % marks.len()]).collect();
        format!("Teks {base}{run} teks.\n")
    })
}

/// The size of the SVG picture the session can show: ordinary, thin, huge and tiny.
fn svg_size() -> impl Strategy<Value = (f64, f64)> {
    let side = prop_oneof![
        4 => 1.0f64..400.0,
        1 => prop::sample::select(vec![0.001, 0.5, 10.0, 2000.0, 1e5, 1e7, 1e12]),
    ];
    (side.clone(), side)
}

/// Ancillary chunks put into the PNG picture: text, colour profiles (some inflating past
/// the 8 MB limit), unknown ones, and lengths that lie.
fn png_chunks() -> impl Strategy<Value = Vec<(String, u8, bool)>> {
    let kind = prop::sample::select(vec!["iCCP", "zTXt", "iTXt", "tEXt", "eXIf", "abCd"]);
    // (kind, payload: 0 raw bytes, 1 a small stream, 2 a stream past the limit, lies)
    prop::collection::vec(
        (
            kind.prop_map(String::from),
            0u8..3,
            prop::bool::weighted(0.05),
        ),
        0..4,
    )
}

/// One fuzzed input: a session, the SVG's size, the PNG's extra chunks.
type Input = (String, (f64, f64), Vec<(String, u8, bool)>);

/// Zeros compressed (zlib): 1,000 bytes, and a stream that inflates past the PNG
/// metadata limit.
fn streams() -> &'static (Vec<u8>, Vec<u8>) {
    static S: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let z = |n| miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; n], 9);
        (z(1000), z(9 << 20))
    })
}

/// The PNG with `chunks` after its header; whether one lies about its length or inflates
/// past the limit (the checks must then refuse it).
fn png_with(chunks: &[(String, u8, bool)]) -> (Vec<u8>, bool) {
    let plain = tiny_png();
    let mut out = plain[..33].to_vec();
    let mut bad = false;
    for (kind, payload, lies) in chunks {
        let mut data = match kind.as_str() {
            "iCCP" | "zTXt" => b"k\0\0".to_vec(),
            "iTXt" => b"k\0\x01\0\0\0".to_vec(),
            _ => b"k\0".to_vec(),
        };
        let compressed = matches!(kind.as_str(), "iCCP" | "zTXt" | "iTXt");
        match payload {
            0 => data.extend(b"teks"),
            1 => data.extend(&streams().0),
            _ => {
                data.extend(&streams().1);
                bad |= compressed;
            }
        }
        let len = if *lies {
            data.len() as u32 + 1_000_000
        } else {
            data.len() as u32
        };
        bad |= lies;
        out.extend(len.to_be_bytes());
        let mut c = kind.as_bytes().to_vec();
        c.extend(&data);
        out.extend(&c);
        out.extend(common::crc32(&c).to_be_bytes());
    }
    out.extend(&plain[33..]);
    (out, bad)
}

/// The module folder around one fuzzed session.
fn bundle(session: &str, svg: &str, png: &[u8]) -> Bundle {
    let mut files: BTreeMap<String, FileBytes> = BTreeMap::new();
    let mut add = |name: &str, bytes: &[u8]| {
        files.insert(name.into(), FileBytes::from(bytes));
    };
    add("module.toml", MODULE_TOML.as_bytes());
    add(
        "01-uji.md",
        format!("# Sesi \\<Uji> & #1 {{#uji minutes=90}}\n\n{session}").as_bytes(),
    );
    add("images/x.svg", svg.as_bytes());
    add("images/x.png", png);
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
fn pipeline((session, (w, h), chunks): &Input) -> Result<(), String> {
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let svg = SVG
        .replace("width=\"40\"", &format!("width=\"{w}\""))
        .replace("height=\"20\"", &format!("height=\"{h}\""));
    let (png, png_bad) = png_with(chunks);
    let project = modulpress::load_project(bundle(session, &svg, &png), &mut files, &mut diags);
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
    // What the checks must refuse: too many marks on one character, a thin picture, a PNG
    // whose chunks lie or inflate past the limit (each shown by the session, or not).
    let mut shown = Vec::new();
    for s in &project.module.sessions {
        modulpress::model::walk_blocks(&s.blocks, &mut |b| {
            if let modulpress::model::Block::Figure { src, .. } = b {
                shown.push(src.clone());
            }
        });
    }
    let shows = |name: &str| shown.iter().any(|s| s == name);
    let too_many_marks = {
        use unicode_segmentation::UnicodeSegmentation;
        session.graphemes(true).any(|g| g.chars().count() > 31)
    };
    let thin = (w / h).max(h / w) > 50.0;
    let must_refuse = [
        (
            too_many_marks,
            "a character with more than 30 combining marks",
        ),
        (thin && shows("images/x.svg"), "an SVG thinner than 1:50"),
        (
            png_bad && shows("images/x.png"),
            "a PNG whose chunks lie or inflate past 8 MB",
        ),
    ];
    for (bad, what) in must_refuse {
        if bad && !diags.has_errors() {
            return Err(format!("{what} passed the checks"));
        }
    }
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
        let job = modulpress::render::docx::job(&project, audience, "spn");
        let docx = modulpress::render::render(&job, &project, &ENGINES)
            .map_err(|d| format!("DOCX failed: {:?}", d.first().map(|d| &d.message)))?;
        let problems = common::outputs::docx_xml_problems(&docx[0].bytes);
        if !problems.is_empty() {
            return Err(format!("{audience:?} DOCX: {}", problems.join("; ")));
        }
        if let Some(px) = largest_picture(&docx[0].bytes)
            && px > modulpress::limits::MAX_DRAWN_PIXELS
        {
            return Err(format!("{audience:?} DOCX: a picture of {px} pixels"));
        }
    }
    Ok(())
}

/// The most pixels of a PNG picture in a DOCX package (the drawn SVGs, and the PNG as it
/// is).
fn largest_picture(docx: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).ok()?;
    let mut most = None;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        if !f.name().starts_with("word/media/") {
            continue;
        }
        let mut head = [0u8; 24];
        if std::io::Read::read_exact(&mut f, &mut head).is_ok() && head.starts_with(b"\x89PNG") {
            let w = u32::from_be_bytes([head[16], head[17], head[18], head[19]]);
            let h = u32::from_be_bytes([head[20], head[21], head[22], head[23]]);
            most = most.max(Some(u64::from(w) * u64::from(h)));
        }
    }
    most
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
        let input = (hostile(), svg_size(), png_chunks());
        let result = runner.run(&input, |s| {
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
