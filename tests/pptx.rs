//! The editable PowerPoint decks, checked with the programs trainers and reviewers open
//! them with: python-pptx reads every deck back against the PDF deck (slide count, titles,
//! notes, no facilitator-only text, the federation on its title slide), LibreOffice renders
//! them, and `openxml-audit` (the Open XML SDK's validation rules) finds nothing in any of
//! them; plus byte-identical builds and the PDF deck's shrink factor on a long slide.
//! With `CI` set a missing program fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{
    Built, FEDERATIONS, build_in_temp, have, have_python, openxml_audit, root, run, run_in, squash,
    stderr, temp_dir,
};
use serde_json::Value;

/// The FOA module's decks, PDF and PPTX, for every federation.
fn foa() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build_in_temp("pptx-foa", &["--only", "slides,pptx"]))
}

/// The every-construct fixture's decks, canonical and SPN's.
fn every_construct() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        build_in_temp(
            "pptx-every",
            &[
                "--only",
                "slides,pptx",
                "--federation",
                "spn",
                "--source",
                root()
                    .join("tests/fixtures/every-construct")
                    .to_str()
                    .unwrap(),
            ],
        )
    })
}

fn python_pptx() -> bool {
    have_python("pptx", "python-pptx")
}

/// What python-pptx reads of a deck (`tests/pptx_read.py`).
fn read(pptx: &Path) -> Value {
    let out = Command::new("python3")
        .arg(root().join("tests/pptx_read.py"))
        .arg(pptx)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pptx_read.py {}: {}",
        pptx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("pptx_read.py prints JSON")
}

fn pages(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo {}: {text}", pdf.display()))
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    squash(&String::from_utf8_lossy(&o.stdout))
}

/// Each page's speaker notes from the PDF deck's presenter file, list dashes taken off.
fn pdfpc_notes(pdfpc: &Path) -> Vec<String> {
    let v: Value = serde_json::from_slice(&std::fs::read(pdfpc).unwrap()).unwrap();
    v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let note = p["note"].as_str().unwrap_or("");
            squash(
                &note
                    .lines()
                    .map(|l| l.strip_prefix("- ").unwrap_or(l))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })
        .collect()
}

fn federation_name(id: &str) -> String {
    let text =
        std::fs::read_to_string(root().join(format!("layouts/federations/{id}.toml"))).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    v["name"].as_str().unwrap().to_string()
}

/// The decks of a build: (name without extension, federation id or `None`).
fn decks(module: &str, feds: &[&str]) -> Vec<(String, Option<String>)> {
    std::iter::once((module.to_string(), None))
        .chain(
            feds.iter()
                .map(|f| (format!("{module}-{f}"), Some(f.to_string()))),
        )
        .collect()
}

/// Every deck read back: its slides are the PDF deck's pages, with the same titles, the
/// same notes on the slide's notes page, and a federation's name on its title slide.
fn check_against_pdf(out: &Path, module: &str, feds: &[&str], sessions: usize) -> usize {
    let mut checked = 0;
    for (name, fed) in decks(module, feds) {
        let pptx = out.join(format!("slides/{name}.pptx"));
        let pdf = out.join(format!("slides/{name}.pdf"));
        let deck = read(&pptx);
        let slides = deck["slides"].as_array().unwrap();
        assert_eq!(slides.len(), pages(&pdf), "{name}: slides and PDF pages");
        let notes = pdfpc_notes(&out.join(format!("slides/{name}.pdfpc")));
        for (i, s) in slides.iter().enumerate() {
            let title = squash(
                s["title"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: slide {} has no title placeholder", i + 1)),
            );
            assert!(
                !title.is_empty(),
                "{name}: slide {} has an empty title",
                i + 1
            );
            let text = page_text(&pdf, i + 1);
            assert!(
                text.contains(&title),
                "{name}: slide {} title `{title}` is not on the PDF page: {text}",
                i + 1
            );
            // The number a reader shows is the slide's own, not the field's `‹#›`.
            if i > 0 {
                let texts = s["texts"].as_array().unwrap();
                let number = (i + 1).to_string();
                assert!(
                    texts.iter().any(|t| t.as_str() == Some(number.as_str())),
                    "{name}: slide {number} shows no number: {texts:?}"
                );
                assert!(
                    !texts
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| t.contains('‹'))),
                    "{name}: slide {number}: {texts:?}"
                );
            }
            let note = squash(s["notes"].as_str().unwrap_or(""));
            assert_eq!(note, notes[i], "{name}: slide {} notes", i + 1);
            assert_eq!(
                s["placeholders_only"],
                true,
                "{name}: slide {} has text outside a placeholder",
                i + 1
            );
        }
        let layouts: Vec<&str> = slides
            .iter()
            .map(|s| s["layout"].as_str().unwrap())
            .collect();
        assert_eq!(layouts[0], "Title Slide", "{name}");
        let dividers = layouts.iter().filter(|l| **l == "Section Header").count();
        assert_eq!(dividers, sessions, "{name}: a divider per session");
        assert!(layouts[1..].iter().all(|l| *l != "Title Slide"), "{name}");
        let first = slides[0]["texts"].as_array().unwrap();
        let cover = squash(
            &first
                .iter()
                .map(|t| t.as_str().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" "),
        );
        if let Some(fed) = &fed {
            let fed_name = federation_name(fed);
            assert!(cover.contains(&fed_name), "{name}: title slide: {cover}");
            assert_eq!(slides[0]["pictures"], 1, "{name}: the federation's logo");
        } else {
            assert_eq!(
                slides[0]["pictures"], 0,
                "{name}: the canonical deck has no logo"
            );
        }
        let layouts: Vec<&str> = deck["layouts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(
            layouts,
            ["Title Slide", "Section Header", "Title and Content"]
        );
        checked += 1;
    }
    checked
}

#[test]
fn python_pptx_reads_each_foa_deck_as_the_pdf_deck_shows_it() {
    if !python_pptx() || !have("pdftotext") {
        return;
    }
    assert_eq!(check_against_pdf(&foa().out, "foa", &FEDERATIONS, 9), 9);
}

#[test]
fn the_every_construct_deck_has_a_real_table_a_picture_and_list_levels() {
    if !python_pptx() || !have("pdftotext") {
        return;
    }
    let out = &every_construct().out;
    assert_eq!(check_against_pdf(out, "uji-lengkap", &["spn"], 2), 2);
    let deck = read(&out.join("slides/uji-lengkap.pptx"));
    let slides = deck["slides"].as_array().unwrap();
    let tables: u64 = slides.iter().map(|s| s["tables"].as_u64().unwrap()).sum();
    let pictures: u64 = slides.iter().map(|s| s["pictures"].as_u64().unwrap()).sum();
    assert!(tables >= 1, "a table slide");
    assert!(pictures >= 1, "a picture slide");
    // A slide that opens with text: the picture's caption in its own box right under the
    // picture, not the last line of the text above it.
    let slide = slides
        .iter()
        .find(|s| {
            s["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Melapor ke "))
        })
        .expect("the slide with text, a table and a picture");
    let shapes = slide["shapes"].as_array().unwrap();
    let at = |kind: &str| {
        shapes
            .iter()
            .find(|s| s[0] == kind)
            .unwrap_or_else(|| panic!("no {kind}: {shapes:?}"))
    };
    let (picture, caption, body) = (at("picture"), at("caption"), at("body"));
    assert_eq!(caption[2], "Alur pengaduan", "{shapes:?}");
    assert!(
        caption[1].as_i64() >= picture[1].as_i64(),
        "under the picture: {shapes:?}"
    );
    assert!(
        body[1].as_i64() < picture[1].as_i64(),
        "the text above: {shapes:?}"
    );
    let text: Vec<&str> = slide["texts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        text.iter().filter(|t| t.contains("Alur pengaduan")).count() == 1,
        "the caption once, in its box: {text:?}"
    );
    // The SVG diagram is stored as PowerPoint stores one: a PNG, and the SVG beside it.
    let bytes = std::fs::read(out.join("slides/uji-lengkap.pptx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = z.file_names().map(str::to_string).collect();
    assert!(names.iter().any(|n| n.ends_with(".svg")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".png")), "{names:?}");
    let mut xml = String::new();
    for n in names
        .iter()
        .filter(|n| n.starts_with("ppt/slides/slide") && n.ends_with(".xml"))
    {
        use std::io::Read;
        z.by_name(n).unwrap().read_to_string(&mut xml).unwrap();
    }
    assert!(xml.contains("<asvg:svgBlip"), "the SVG extension of a:blip");
    assert!(xml.contains("<a:tbl>"), "a real table");
    assert!(
        xml.contains("<a:buAutoNum type=\"arabicPeriod\""),
        "a numbered list"
    );
    assert!(xml.contains("type=\"slidenum\""), "slide numbers");
}

/// The dumped module's blocks, depth first.
fn walk<'a>(blocks: &'a Value, out: &mut Vec<&'a Value>) {
    for block in blocks.as_array().into_iter().flatten() {
        out.push(block);
        walk(&block["content"], out);
        for item in block["items"].as_array().into_iter().flatten() {
            walk(&item["content"], out);
        }
    }
}

/// The text of dumped blocks (every `text` field), words joined by one space.
fn text_of(v: &Value) -> String {
    fn collect(v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => {
                if map.get("type").and_then(|t| t.as_str()) == Some("text")
                    && let Some(t) = map.get("text").and_then(|t| t.as_str())
                {
                    out.push_str(t);
                }
                for (k, child) in map {
                    if k != "text" {
                        collect(child, out);
                    }
                }
            }
            Value::Array(list) => list.iter().for_each(|c| {
                collect(c, out);
                out.push(' ');
            }),
            _ => {}
        }
    }
    let mut out = String::new();
    collect(v, &mut out);
    squash(&out)
}

#[test]
fn no_facilitator_text_on_any_slide() {
    if !python_pptx() {
        return;
    }
    let o = run(&["dump"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dump: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut blocks = Vec::new();
    for s in dump["module"]["sessions"].as_array().unwrap() {
        walk(&s["blocks"], &mut blocks);
    }
    let hidden: Vec<String> = blocks
        .into_iter()
        .filter(|b| b["class"] == "facilitator" || b["audience"] == "facilitator")
        .map(|b| {
            text_of(&b["content"])
                .split(' ')
                .take(5)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| t.split(' ').count() >= 4)
        .collect();
    assert!(hidden.len() > 5, "the FOA module has facilitator blocks");
    for (name, _) in decks("foa", &FEDERATIONS) {
        let deck = read(&foa().out.join(format!("slides/{name}.pptx")));
        for (i, s) in deck["slides"].as_array().unwrap().iter().enumerate() {
            let mut text = s["title"].as_str().unwrap_or("").to_string();
            for t in s["texts"].as_array().unwrap() {
                text.push(' ');
                text.push_str(t.as_str().unwrap_or(""));
            }
            let text = squash(&text);
            for h in &hidden {
                assert!(
                    !text.contains(h.as_str()),
                    "{name}: slide {} shows `{h}`",
                    i + 1
                );
            }
        }
    }
}

/// Convert decks to PDF with LibreOffice (its own profile), into `dir`.
fn soffice_pdf(files: &[PathBuf], dir: &Path) {
    let profile = temp_dir("pptx-soffice-profile");
    let o = Command::new("timeout")
        .arg("300")
        .arg("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(
        o.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn libreoffice_renders_every_slide() {
    if !have("soffice") || !have("pdftoppm") || !have("pdfinfo") {
        return;
    }
    let tmp = temp_dir("pptx-rendered");
    let foa_out = &foa().out;
    let every = &every_construct().out;
    let files = [
        foa_out.join("slides/foa.pptx"),
        foa_out.join("slides/foa-spn.pptx"),
        every.join("slides/uji-lengkap-spn.pptx"),
    ];
    soffice_pdf(&files, &tmp);
    for (pptx, pdf) in [
        ("slides/foa.pptx", foa_out.join("slides/foa.pdf")),
        ("slides/foa-spn.pptx", foa_out.join("slides/foa-spn.pdf")),
    ] {
        let name = Path::new(pptx).file_stem().unwrap().to_str().unwrap();
        let rendered = tmp.join(format!("{name}.pdf"));
        assert_eq!(
            pages(&rendered),
            pages(&pdf),
            "{pptx} as LibreOffice renders it"
        );
    }
    let rendered = tmp.join("uji-lengkap-spn.pdf");
    assert_eq!(
        pages(&rendered),
        pages(&every.join("slides/uji-lengkap-spn.pdf"))
    );
    // The title slide, a divider, a slide with a table and one with a diagram, as PNG; to
    // look at them, run with MODULPRESS_KEEP_RENDERS=DIR.
    let keep = std::env::var_os("MODULPRESS_KEEP_RENDERS").map(PathBuf::from);
    for (pdf, page, what) in [
        (tmp.join("foa-spn.pdf"), 1, "title"),
        (tmp.join("foa-spn.pdf"), 2, "divider"),
        (tmp.join("uji-lengkap-spn.pdf"), 5, "table"),
        (tmp.join("foa-spn.pdf"), 22, "diagram"),
    ] {
        let stem = tmp.join(what);
        let p = page.to_string();
        let o = Command::new("pdftoppm")
            .args(["-r", "50", "-png", "-singlefile", "-f", &p, "-l", &p])
            .arg(&pdf)
            .arg(&stem)
            .output()
            .unwrap();
        assert!(o.status.success(), "pdftoppm {what}");
        let png = stem.with_extension("png");
        let img = std::fs::read(&png).unwrap();
        assert!(img.len() > 2000, "{what}: an empty render");
        if let Some(dir) = &keep {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::copy(&png, dir.join(format!("{what}.png"))).unwrap();
        }
    }
}

#[test]
fn every_pptx_passes_the_open_xml_sdk_rules_powerpoint_applies() {
    if !have("openxml-audit") {
        return;
    }
    let mut files: Vec<PathBuf> = decks("foa", &FEDERATIONS)
        .into_iter()
        .map(|(n, _)| foa().out.join(format!("slides/{n}.pptx")))
        .collect();
    files.extend(
        decks("uji-lengkap", &["spn"])
            .into_iter()
            .map(|(n, _)| every_construct().out.join(format!("slides/{n}.pptx"))),
    );
    // The samples `init` writes, in Indonesian and in English, with every kind of block.
    let tmp = temp_dir("pptx-init");
    for (dir, lang) in [("sampel", "id"), ("sample", "en")] {
        let o = run_in(&tmp, &["init", dir, "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = tmp.join(format!("{dir}-out"));
        let o = run_in(
            &tmp,
            &[
                "build",
                "--source",
                dir,
                "--out",
                out.to_str().unwrap(),
                "--only",
                "pptx",
                "--federation",
                "spn",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        for entry in std::fs::read_dir(out.join("slides")).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "pptx") {
                files.push(p);
            }
        }
    }
    assert_eq!(files.len(), 9 + 2 + 4);
    for file in files {
        openxml_audit(&file);
    }
}

#[test]
fn decks_are_byte_identical_from_build_to_build() {
    let a = build_in_temp("pptx-again", &["--only", "pptx", "--jobs", "1"]);
    for (name, _) in decks("foa", &FEDERATIONS) {
        let path = format!("slides/{name}.pptx");
        let first = std::fs::read(foa().out.join(&path)).unwrap();
        let again = std::fs::read(a.out.join(&path)).unwrap();
        assert!(first == again, "{path} differs between builds");
    }
    // In the manifest as kind `pptx`, and in the report with its slides counted.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(a.out.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["outputs"].as_array().unwrap();
    assert_eq!(entries.len(), 9, "{manifest:#}");
    for e in entries {
        assert_eq!(e["kind"], "pptx");
    }
    let report: Value =
        serde_json::from_slice(&std::fs::read(a.out.join("report.json")).unwrap()).unwrap();
    let outputs = report["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 9);
    for o in outputs {
        assert_eq!(o["pages"], 53, "{o:#}");
    }
    // Built once; then current.
    let o = run(&["build", "--out", a.out.to_str().unwrap(), "--only", "pptx"]);
    let said = String::from_utf8_lossy(&o.stdout).to_string() + &stderr(&o);
    assert!(said.contains("built 0, current 9"), "{said}");
}

/// A one-session module in `dir/source` whose one slide holds 14 long bullets: too long for
/// the slide at its size, so the PDF deck sets it smaller.
fn long_slide_module(dir: &Path) -> PathBuf {
    let bullets: String = (1..=14)
        .map(|i| format!("- Butir panjang nomor {i} tentang hak berserikat di tempat kerja\n"))
        .collect();
    common::small_module(
        dir,
        &format!("::::: {{.slide title=\"Panjang\"}}\n{bullets}:::::\n"),
    )
}

#[test]
fn a_long_slide_shrinks_in_powerpoint_as_in_the_pdf_deck() {
    let tmp = temp_dir("pptx-long");
    let src = long_slide_module(&tmp);
    let out = tmp.join("out");
    let o = run(&[
        "build",
        "--source",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "slides,pptx",
        "--federation",
        "spn",
    ]);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    // "its text was set at 20 pt instead of 26 pt to fit"
    let size: f32 = said
        .split("was set at ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the PDF deck shrinks the slide: {said}"));
    let bytes = std::fs::read(out.join("slides/uji.pptx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    use std::io::Read;
    z.by_name("ppt/slides/slide3.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let scale = ((size / 26.0) * 100_000.0).round() as u32;
    assert!(
        xml.contains(&format!("<a:normAutofit fontScale=\"{scale}\"")),
        "{scale}: {xml}"
    );
}

/// An edit to `pptx.toml` rebuilds the PPTX decks alone: the PDF decks stay current, so
/// their backend does not set the deck, and the PPTX backend's own job sets it, for the
/// shrink factors a long slide still gets.
#[test]
fn a_settings_edit_rebuilds_the_pptx_decks_alone_with_the_shrink_factors() {
    let tmp = temp_dir("pptx-settings");
    let src = long_slide_module(&tmp);
    let layouts = tmp.join("layouts");
    common::copy_dir(&root().join("layouts"), &layouts);
    let out = tmp.join("out");
    let args = [
        "build",
        "--source",
        src.to_str().unwrap(),
        "--layouts",
        layouts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "slides,pptx",
        "--federation",
        "spn",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let part = |name: &str| {
        let bytes = std::fs::read(out.join("slides/uji-spn.pptx")).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        use std::io::Read;
        z.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    let slide = || part("ppt/slides/slide3.xml");
    let before = slide();
    assert!(!part("ppt/theme/theme1.xml").contains("202020"));
    assert!(before.contains("<a:normAutofit fontScale=\""), "{before}");
    let toml = std::fs::read_to_string(layouts.join("pptx.toml")).unwrap();
    std::fs::write(
        layouts.join("pptx.toml"),
        toml.replace("ink = \"#1F1F1F\"", "ink = \"#202020\""),
    )
    .unwrap();
    let o = run(&args);
    let said = String::from_utf8_lossy(&o.stdout).to_string() + &stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("built 2, current 4"), "{said}");
    let theme = part("ppt/theme/theme1.xml");
    assert!(theme.contains("202020"), "the new colour: {theme}");
    let after = slide();
    // The same shrink factor as before the edit: the deck was set for the PPTX alone.
    let scale = |xml: &str| {
        xml.split("<a:normAutofit fontScale=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string)
    };
    assert_eq!(scale(&after), scale(&before));
}

#[test]
fn a_slide_that_opens_with_a_picture_has_its_caption_right_under_it() {
    if !python_pptx() {
        return;
    }
    // The sample of `init`: a picture, its caption, a sentence. The caption stood above
    // the picture, with the sentence.
    let dir = temp_dir("pptx-picture-first");
    let o = run_in(&dir, &["init", "m", "--id", "uji"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let layouts = root().join("layouts");
    let o = run_in(
        &dir,
        &[
            "build",
            "--source",
            "m",
            "--only",
            "pptx",
            "--layouts",
            layouts.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let deck = read(&dir.join("out/slides/uji.pptx"));
    let slide = deck["slides"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Empat Langkah PKB")
        .expect("the sample's picture slide");
    let shapes = slide["shapes"].as_array().unwrap();
    let top = |kind: &str| {
        shapes
            .iter()
            .find(|s| s[0] == kind)
            .unwrap_or_else(|| panic!("no {kind}: {shapes:?}"))
    };
    let (picture, body) = (top("picture"), top("body"));
    assert!(
        body[1].as_i64() > picture[1].as_i64(),
        "the text under the picture: {shapes:?}"
    );
    assert_eq!(
        body[2], "Empat langkah membuat PKB",
        "the caption first: {shapes:?}"
    );
}
