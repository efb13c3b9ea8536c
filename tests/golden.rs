//! Golden files: the generated Typst markup of both booklets, of the deck (canonical and one
//! federation's, with its presenter file) and of the handouts, the normalised main XML parts
//! of one DOCX, and the preflight report's `report.json` of a full build, for the fixture
//! that uses every construct, and the XML parts of one PPTX deck. A change to a writer shows here as a diff in review.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test --release --test golden`.

mod common;

use std::io::Read;
use std::path::Path;

use modulpress::bundle::{Bundle, Folder};
use modulpress::config::Handout;
use modulpress::diag::{Diags, SourceFiles};
use modulpress::model::Audience;

fn project() -> modulpress::Project {
    let root = common::root();
    let bundle = Bundle {
        source: Folder::read(&root.join("tests/fixtures/every-construct")).unwrap(),
        layouts: Folder::read(&root.join("layouts")).unwrap(),
    };
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = modulpress::load_project(bundle, &mut files, &mut diags).unwrap();
    modulpress::render::check_layouts(&project, &mut diags);
    assert!(!diags.has_errors(), "the fixture checks clean");
    project
}

/// Compare `actual` with `tests/golden/NAME`, or write it when `UPDATE_GOLDEN` is set.
fn golden(name: &str, actual: &str) {
    let path = common::root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with UPDATE_GOLDEN=1 to accept the change)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// One tag per line, so that a diff shows the element that changed.
fn normalise_xml(xml: &str) -> String {
    let mut out = xml.replace("><", ">\n<");
    out.push('\n');
    out
}

#[test]
fn booklet_markup_matches_the_golden_files() {
    let project = project();
    for audience in Audience::ALL {
        let m = modulpress::render::booklet::markup_for(&project, audience);
        golden(&format!("booklet-{}-meta.typ", audience.name()), &m.meta);
        golden(&format!("booklet-{}.typ", audience.name()), &m.text);
    }
}

#[test]
fn deck_and_handout_markup_match_the_golden_files() {
    let project = project();
    let (deck, pdfpc) = modulpress::render::slides::deck_markup_for(&project, None);
    golden("slides-meta.typ", &deck.meta);
    golden("slides.typ", &deck.text);
    golden("slides.pdfpc", &String::from_utf8(pdfpc).unwrap());
    // A federation's deck: its name, colour and placeholders.
    let spn = project.federations.iter().find(|f| f.id == "spn").unwrap();
    let (deck, _) = modulpress::render::slides::deck_markup_for(&project, Some(spn));
    golden("slides-spn-meta.typ", &deck.meta);
    golden("slides-spn.typ", &deck.text);
    // The N-up handouts differ only in N; the 3-up (with note lines) stands for them.
    for kind in [Handout::Up3, Handout::Notes] {
        let (meta, text) = modulpress::render::slides::handout_markup_for(&project, kind);
        golden("handouts-meta.typ", &meta);
        golden(&format!("handout-{}.typ", kind.name()), &text);
    }
}

/// `report.json` of a full build of the fixture, as written: it holds no timings or
/// paths of the machine, and is byte-identical from build to build, so nothing is
/// normalised.
#[test]
fn report_json_matches_the_golden_file() {
    let tmp = common::temp_dir("golden-report");
    let out = tmp.join("out");
    let o = common::run(&[
        "build",
        "--quiet",
        "--source",
        "tests/fixtures/every-construct",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    golden(
        "report.json",
        &std::fs::read_to_string(out.join("report.json")).unwrap(),
    );
}

#[test]
fn docx_parts_match_the_golden_files() {
    let project = project();
    let bytes = docx_bytes(&project, Audience::Facilitator, "spn");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for part in ["document", "styles", "numbering"] {
        let mut xml = String::new();
        zip.by_name(&format!("word/{part}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        golden(
            &format!("docx-spn-facilitator-{part}.xml"),
            &normalise_xml(&xml),
        );
    }
    assert!(Path::new(&common::root().join("tests/golden")).is_dir());
}

/// The slides, notes pages and master of SPN's PPTX deck, one tag per line (the pure
/// writer, without the PDF deck's shrink factors: every slide is set at full size or
/// estimated).
#[test]
fn pptx_parts_match_the_golden_file() {
    let project = project();
    let spn = project.federations.iter().find(|f| f.id == "spn").unwrap();
    let deck = modulpress::route::deck(&project.module, &modulpress::route::Org::federation(spn));
    let fit = modulpress::render::pptx::Fit::default();
    let (bytes, _) =
        modulpress::render::pptx::write(&deck, &project, Some(spn), &fit, &Default::default())
            .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    let mut all = String::new();
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
    {
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        all.push_str(&format!("===== {name}\n"));
        all.push_str(&normalise_xml(&xml));
    }
    golden("pptx-spn.xml", &all);
}

fn docx_bytes(project: &modulpress::Project, audience: Audience, fed: &str) -> Vec<u8> {
    let job = modulpress::render::docx::job(project, audience, fed);
    let engines = modulpress::render::Engines::default();
    let mut artifacts = modulpress::render::render(&job, project, &engines)
        .unwrap_or_else(|d| panic!("the DOCX renders: {d:?}"));
    artifacts.remove(0).bytes
}

/// `dump --typst DIR`: per booklet the very markup of the golden files and its furniture
/// document, with the module and layouts folders (fonts included) under the paths the build
/// serves them at; a folder that is not empty is refused with nothing written.
#[test]
fn dump_typst_writes_what_the_build_compiles() {
    let root = common::root();
    let tmp = common::temp_dir("dump-typst");
    let dir = tmp.join("typst");
    let dir_s = dir.to_str().unwrap();
    let args = [
        "dump",
        "--source",
        "tests/fixtures/every-construct",
        "--layouts",
        "layouts",
        "--typst",
        dir_s,
    ];
    let o = common::run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("typst compile --root"),
        "{}",
        common::stderr(&o)
    );
    let read = |rel: &str| std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    for audience in ["participant", "facilitator"] {
        let golden_file = |name: &str| std::fs::read(root.join("tests/golden").join(name)).unwrap();
        assert_eq!(
            read(&format!("{audience}/uji-lengkap-{audience}.typ")),
            golden_file(&format!("booklet-{audience}.typ")),
            "{audience}: the main file is the golden markup"
        );
        assert_eq!(
            read(&format!("{audience}/meta.typ")),
            golden_file(&format!("booklet-{audience}-meta.typ"))
        );
        // The furniture document: one call per page of the 12-page book, the cover first.
        let furniture = String::from_utf8(read(&format!(
            "{audience}/uji-lengkap-{audience}-furniture.typ"
        )))
        .unwrap();
        assert!(
            furniture.starts_with("#import \"/layouts/booklet.typ\": furniture-pages\n"),
            "{furniture}"
        );
        assert_eq!(furniture.matches("(page: ").count(), 12, "{furniture}");
        assert!(
            furniture.contains("(page: 1, side: \"right\", kind: \"cover\", session: none)")
                && furniture.contains("kind: \"back-cover\"")
                && furniture.contains("kind: \"opener\", session: (number: 1"),
            "{furniture}"
        );
        for (prefix, folder) in [
            ("src", root.join("tests/fixtures/every-construct")),
            ("layouts", root.join("layouts")),
        ] {
            let files = Folder::read(&folder).unwrap().files;
            assert!(files.keys().any(|k| k.ends_with(".ttf")) || prefix == "src");
            for (rel, bytes) in files {
                assert_eq!(
                    read(&format!("{audience}/{prefix}/{rel}")),
                    &bytes[..],
                    "{audience}/{prefix}/{rel}"
                );
            }
        }
    }
    // Again into the same, now full, folder: refused, nothing changed.
    std::fs::write(dir.join("participant/meta.typ"), "changed").unwrap();
    let o = common::run(&args);
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("is not empty"),
        "{}",
        common::stderr(&o)
    );
    assert_eq!(read("participant/meta.typ"), b"changed");
    // Never into the module or layouts folder.
    for inside in ["tests/fixtures/every-construct/typst", "layouts/typst"] {
        let mut args = args;
        args[6] = inside;
        let o = common::run(&args);
        assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
        assert!(
            common::stderr(&o).contains("is inside the"),
            "{}",
            common::stderr(&o)
        );
        assert!(!root.join(inside).exists(), "{inside} was written");
    }
}
