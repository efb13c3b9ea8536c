//! The preflight report (`out/report.html`, `out/report.json`): opened in a real headless
//! Chromium (screenshot, no broken image, every output listed), and its facts checked
//! against pdfinfo, pdffonts and `pdfimages -list` on the same files.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{chromium, have, headless, run, stderr, temp_dir};
use serde_json::Value;

/// Kept in a static: the folder is removed when the test process exits.
fn build(name: &str, source: &str) -> PathBuf {
    let tmp = temp_dir(name).keep();
    let out = tmp.join("out");
    let o = run(&["build", "--source", source, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{source}: {}", stderr(&o));
    out
}

/// The FOA module, every output.
fn foa() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build("report-foa", "source"))
}

/// The fixture with a 66 ppi picture.
fn risks() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build("report-risks", "tests/fixtures/print-risks"))
}

fn json(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let o = Command::new(program).args(args).arg(file).output().unwrap();
    assert!(
        o.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_report_opens_in_chromium_with_every_output_and_no_broken_image() {
    let Some(browser) = chromium() else {
        return;
    };
    for (name, out) in [("foa", foa()), ("risks", risks())] {
        let dir = temp_dir(&format!("report-chromium-{name}"));
        let shot = dir.join("report.png");
        headless(
            browser,
            &out.join("report.html"),
            &[
                "--window-size=1200,2400",
                &format!("--screenshot={}", shot.display()),
            ],
            &dir.join("profile-shot"),
        );
        let png = std::fs::read(&shot).expect("a screenshot");
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 20_000,
            "{} bytes",
            png.len()
        );
        // A copy of the report with a script that counts the images the browser could not
        // decode once the page has loaded, and the outputs it lists.
        let page = std::fs::read_to_string(out.join("report.html")).unwrap();
        let probe = page.replace(
            "</body>",
            "<script>window.addEventListener('load', () => { \
             const imgs = [...document.images]; \
             document.body.dataset.images = imgs.length; \
             document.body.dataset.broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).length; \
             document.body.dataset.rows = document.querySelectorAll('tr.output-row').length; \
             });</script></body>",
        );
        let copy = dir.join("probe.html");
        std::fs::write(&copy, probe).unwrap();
        let dom = headless(
            browser,
            &copy,
            &["--dump-dom", "--virtual-time-budget=5000"],
            &dir.join("profile-dom"),
        );
        let attr = |k: &str| -> usize {
            let key = format!("data-{k}=\"");
            let i = dom
                .find(&key)
                .unwrap_or_else(|| panic!("no {key} in the DOM"))
                + key.len();
            dom[i..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(
            attr("images") >= 8,
            "{name}: thumbnails shown: {}",
            attr("images")
        );
        assert_eq!(attr("broken"), 0, "{name}: broken images");
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        let outputs = manifest["outputs"].as_array().unwrap();
        assert_eq!(attr("rows"), outputs.len(), "{name}: every output listed");
        for o in outputs {
            let path = o["path"].as_str().unwrap();
            assert!(
                dom.contains(&format!("<code>{path}</code>")),
                "{name}: {path} missing"
            );
        }
    }
}

#[test]
fn report_json_agrees_with_pdfinfo_pdffonts_and_pdfimages() {
    if !have("pdfinfo") || !have("pdffonts") || !have("pdfimages") {
        return;
    }
    for out in [foa(), risks()] {
        let report = json(out);
        let mut pdfs = 0;
        for o in report["outputs"].as_array().unwrap() {
            let Some(facts) = o.get("pdf") else { continue };
            pdfs += 1;
            let file = out.join(o["path"].as_str().unwrap());
            // pdfinfo: pages and boxes.
            let info = tool("pdfinfo", &["-box"], &file);
            let pages: u64 = info
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            assert_eq!(facts["pages"], pages, "{}", file.display());
            let size = |name: &str| -> Option<[f64; 2]> {
                let l = info.lines().find_map(|l| l.strip_prefix(name))?;
                let v: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
                Some([(v[2] - v[0]) * 25.4 / 72.0, (v[3] - v[1]) * 25.4 / 72.0])
            };
            let media = size("MediaBox:").unwrap();
            for k in 0..2 {
                assert!((facts["media_mm"][k].as_f64().unwrap() - media[k]).abs() < 0.1);
            }
            if o["kind"] == "booklet" {
                let trim = size("TrimBox:").unwrap();
                for k in 0..2 {
                    assert!((facts["trim_mm"][k].as_f64().unwrap() - trim[k]).abs() < 0.1);
                }
                let bleed = size("BleedBox:").unwrap();
                let b = facts["bleed_mm"].as_f64().unwrap();
                assert!(((bleed[0] - trim[0]) / 2.0 - b).abs() < 0.1, "bleed {b}");
                assert_eq!(facts["pages_with_trim_box"], pages);
                assert_eq!(facts["pages_with_bleed_box"], pages);
            }
            // pdffonts: the same fonts, embedded and subset as it says.
            let fonts = tool("pdffonts", &[], &file);
            let mut theirs: Vec<(String, bool, bool)> = fonts
                .lines()
                .skip(2)
                .map(|l| {
                    let w: Vec<&str> = l.split_whitespace().collect();
                    let n = w.len();
                    // name … emb sub uni object-id generation
                    (w[0].to_string(), w[n - 5] == "yes", w[n - 4] == "yes")
                })
                .collect();
            theirs.sort();
            theirs.dedup();
            let mut ours: Vec<(String, bool, bool)> = facts["fonts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["name"].as_str().unwrap().to_string(),
                        f["embedded"].as_bool().unwrap(),
                        f["subset"].as_bool().unwrap(),
                    )
                })
                .collect();
            ours.sort();
            ours.dedup();
            assert_eq!(ours, theirs, "{}", file.display());
            // pdfimages -list: each placed image with its page, pixels and resolution.
            let list = tool("pdfimages", &["-list"], &file);
            let mut theirs: Vec<(u64, u64, u64, i64, i64)> = list
                .lines()
                .skip(2)
                .filter(|l| l.split_whitespace().nth(2) == Some("image"))
                .map(|l| {
                    let w: Vec<&str> = l.split_whitespace().collect();
                    (
                        w[0].parse().unwrap(),
                        w[3].parse().unwrap(),
                        w[4].parse().unwrap(),
                        w[12].parse().unwrap(),
                        w[13].parse().unwrap(),
                    )
                })
                .collect();
            let mut ours: Vec<(u64, u64, u64, i64, i64)> = facts["images"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["page"].as_u64().unwrap(),
                        i["width"].as_u64().unwrap(),
                        i["height"].as_u64().unwrap(),
                        i["x_ppi"].as_f64().unwrap() as i64,
                        i["y_ppi"].as_f64().unwrap() as i64,
                    )
                })
                .collect();
            theirs.sort();
            ours.sort();
            assert_eq!(ours, theirs, "{}", file.display());
        }
        assert!(
            pdfs >= 4,
            "two booklets and two imposed editions at least: {pdfs}"
        );
    }
}

#[test]
fn a_low_resolution_picture_is_marked_red_at_the_top() {
    let report = json(risks());
    let problems = report["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["output"] == "booklet/risiko-participant.pdf"
                && p["message"].as_str().unwrap().contains("prints at 66 dpi")
                && p["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("picture `images/kecil.png` (")),
        "{problems:?}"
    );
    let html = std::fs::read_to_string(risks().join("report.html")).unwrap();
    let verdict = html.find("class=\"verdict bad\"").expect("a red verdict");
    let outputs = html.find("id=\"outputs\"").unwrap();
    assert!(verdict < outputs, "the problems come first");
    assert!(html[verdict..outputs].contains("prints at 66 dpi"));
    // The FOA module's outputs have nothing a print shop would reject, and its warnings
    // name their source lines.
    let foa_report = json(foa());
    assert_eq!(
        foa_report["problems"].as_array().unwrap().len(),
        0,
        "{:?}",
        foa_report["problems"]
    );
    let html = std::fs::read_to_string(foa().join("report.html")).unwrap();
    assert!(html.contains("class=\"verdict good\""));
    // The edition it reports on, beside the date.
    assert!(
        html.contains("Kebebasan Berserikat · Edisi 1 · 2025-"),
        "the edition"
    );
    assert_eq!(foa_report["module"]["edition"], "Edisi 1");
    // The imposed editions say how much paper one copy takes, not only its sheet sides.
    for o in foa_report["outputs"].as_array().unwrap() {
        if o["kind"] == "imposed" {
            let sides = o["pages"].as_u64().unwrap();
            let said = format!(
                "{sides} (A4, print duplex, flip on the short edge): {} sheets of A4 per copy",
                sides.div_ceil(2)
            );
            assert!(html.contains(&said), "{said}");
            // Folded as one with the default creep (80 g paper): no note that the middle
            // sheets stand out.
            let sheets = sides.div_ceil(2);
            assert_eq!(o["creep_mm"], 0.1, "{o}");
            let fold = format!("{sheets} sheets folded as one booklet; creep 0.1 mm a sheet</dd>");
            assert!(html.contains(&fold), "{fold}");
            assert!(!html.contains("the middle sheets stand out about"));
            // Which file is for whom: the imposed edition names the booklet to send.
            let booklet = o["path"].as_str().unwrap().replace("-imposed-a4", "");
            let send = format!("for a print shop, send <code>{booklet}</code>");
            assert!(html.contains(&send), "{send}");
        }
    }
    let risks = json(risks());
    let booklet = &risks["outputs"][0];
    assert!(
        booklet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["place"] == "tests/fixtures/print-risks/01-risiko.md:5")
    );
}

/// The copies that carry one of the stand-in monograms modulpress ships are named under the
/// verdict, each with the file to replace; a federation whose logo was replaced is not.
#[test]
fn stand_in_logos_are_named_until_replaced() {
    let foa_report = json(foa());
    let stand_ins = foa_report["stand_in_logos"].as_array().unwrap();
    assert_eq!(stand_ins.len(), 8, "{stand_ins:?}");
    assert!(
        stand_ins
            .iter()
            .any(|s| s["federation"] == "FSPMI" && s["logo"] == "layouts/federations/fspmi.svg")
    );
    let html = std::fs::read_to_string(foa().join("report.html")).unwrap();
    let card = html.find("id=\"stand-in-logos\"").expect("the card");
    assert!(card < html.find("id=\"outputs\"").unwrap());
    assert!(html.contains("Before the copies go out: 8 stand-in logos"));

    // SPN's own logo in place of its stand-in; the booklets alone have no federation.
    let tmp = temp_dir("report-logos");
    let layouts = tmp.path().join("layouts");
    common::copy_dir(Path::new("layouts"), &layouts);
    let spn = layouts.join("federations/spn.svg");
    let own = std::fs::read_to_string(&spn)
        .unwrap()
        .replace("modulpress placeholder logo", "SPN's emblem");
    std::fs::write(&spn, own).unwrap();
    let out = tmp.path().join("out");
    let build = |only: &str| {
        let o = run(&[
            "build",
            "--source",
            "tests/fixtures/print-risks",
            "--layouts",
            layouts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--only",
            only,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&out)
    };
    // FSPMI's logo a 120-pixel PNG: its copies' entries carry the profile's warning.
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 120, 120);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[40u8; 120 * 120 * 3]).unwrap();
    }
    std::fs::write(layouts.join("federations/fspmi-kecil.png"), png).unwrap();
    let profile = layouts.join("federations/fspmi.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("logo = \"fspmi.svg\"", "logo = \"fspmi-kecil.png\"");
    std::fs::write(&profile, text).unwrap();
    let report = build("docx");
    for o in report["outputs"].as_array().unwrap() {
        let said = o["warnings"].to_string();
        let blurred = said.contains("logo `fspmi-kecil.png` is only 120 pixels wide");
        assert_eq!(blurred, o["federation"] == "fspmi", "{}: {said}", o["path"]);
    }
    let names: Vec<&str> = report["stand_in_logos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["federation"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(
        !names.contains(&"SPN") && !names.contains(&"FSPMI"),
        "{names:?}"
    );
    // The copies stay in the folder, so a build of the booklets still names their logos.
    let report = build("booklet");
    assert_eq!(report["stand_in_logos"].as_array().unwrap().len(), 6);
    std::fs::remove_dir_all(&out).unwrap();
    let report = build("booklet");
    assert!(report.get("stand_in_logos").is_none(), "{report}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("stand-in-logos"));
}

/// The facilitator guide's "SLIDE N" is the slide the deck shows as N (its page): a
/// trainer who jumps to slide 27 finds the guide's slide 27.
#[test]
fn the_guides_slide_numbers_are_the_decks() {
    if !have("pdftotext") {
        return;
    }
    let text = |pdf: &Path, page: Option<u32>| {
        let mut c = Command::new("pdftotext");
        if let Some(n) = page {
            c.args(["-f", &n.to_string(), "-l", &n.to_string()]);
        }
        let o = c.arg(pdf).arg("-").output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let guide = text(&foa().join("booklet/foa-facilitator.pdf"), None);
    let lines: Vec<&str> = guide
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut checked = 0;
    for pair in lines.windows(2) {
        let Some(n) = pair[0].strip_prefix("SLIDE ") else {
            continue;
        };
        let Ok(n) = n.parse::<u32>() else { continue };
        let page = text(&foa().join("slides/foa.pdf"), Some(n));
        let first = page
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        // A long title wraps in the guide: its first line starts the deck's.
        assert!(
            first.starts_with(pair[1]) || pair[1].starts_with(first),
            "guide SLIDE {n} `{}`, deck page {n} `{first}`",
            pair[1]
        );
        checked += 1;
    }
    assert_eq!(checked, 43, "every slide of the FOA module");
}
