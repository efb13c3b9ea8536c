//! The print outputs, checked with the programs a print shop and a reader use: the FOA
//! module and the fixture with every construct are built once (and the FOA module a second
//! time, on one thread, for reproducibility), then pdfinfo, pdffonts, qpdf and pdftotext
//! look at the files.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{TempDir, have, root, run, stderr, temp_dir};

/// A5 in points.
const A5: (f64, f64) = (419.528, 595.276);
/// The bleed of `layouts/print.toml`, in points.
const BLEED: f64 = 3.0 * 72.0 / 25.4;

struct Built {
    _dir: TempDir,
    out: PathBuf,
    id: &'static str,
}

impl Built {
    fn pdf(&self, audience: &str) -> PathBuf {
        self.out.join(format!("booklet/{}-{audience}.pdf", self.id))
    }
    fn imposed(&self, audience: &str) -> PathBuf {
        self.out
            .join(format!("booklet/{}-{audience}-imposed-a4.pdf", self.id))
    }
}

fn build(name: &str, source: &str, id: &'static str, extra: &[&str]) -> Built {
    let tmp = temp_dir(name);
    let out = tmp.join("out");
    let mut args = vec![
        "build",
        "--only",
        "booklet,imposed",
        "--source",
        source,
        "--layouts",
        "layouts",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{source}: {}", stderr(&o));
    Built { _dir: tmp, out, id }
}

fn foa() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build("booklet-foa", "source", "foa", &[]))
}

fn fixture() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        build(
            "booklet-fixture",
            "tests/fixtures/every-construct",
            "uji-lengkap",
            &[],
        )
    })
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let o = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        o.status.success(),
        "{program} {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Text of a PDF (or of pages `first..=last`), soft hyphens removed.
fn text(file: &Path, pages: Option<(u32, u32)>) -> String {
    let mut args = vec![];
    let range;
    if let Some((f, l)) = pages {
        range = [f.to_string(), l.to_string()];
        args = vec!["-f", &range[0], "-l", &range[1]];
    }
    args.push("-layout");
    let o = Command::new("pdftotext")
        .args(&args)
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).replace('\u{AD}', "")
}

fn info(file: &Path) -> String {
    tool("pdfinfo", &["-box"], file)
}

fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(name))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no `{name}` in\n{info}"))
}

fn pdf_box(info: &str, name: &str) -> [f64; 4] {
    let v: Vec<f64> = field(info, name)
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    v.try_into().unwrap()
}

fn pages(info: &str) -> u32 {
    field(info, "Pages:").parse().unwrap()
}

fn both() -> [&'static Built; 2] {
    [foa(), fixture()]
}

#[test]
fn booklets_are_a5_with_bleed_and_trim_boxes_and_a_multiple_of_4_pages() {
    if !have("pdfinfo") {
        return;
    }
    for b in both() {
        for audience in ["participant", "facilitator"] {
            let file = b.pdf(audience);
            let i = info(&file);
            let trim = pdf_box(&i, "TrimBox:");
            let bleed = pdf_box(&i, "BleedBox:");
            let media = pdf_box(&i, "MediaBox:");
            let (w, h) = (trim[2] - trim[0], trim[3] - trim[1]);
            assert!(
                (w - A5.0).abs() < 0.1 && (h - A5.1).abs() < 0.1,
                "{file:?}: trim {w}×{h}"
            );
            for k in 0..4 {
                let sign = if k < 2 { -1.0 } else { 1.0 };
                assert!(
                    (bleed[k] - (trim[k] + sign * BLEED)).abs() < 0.05,
                    "{file:?}: {bleed:?}"
                );
                // Crop marks need room outside the bleed.
                assert!(sign * (media[k] - bleed[k]) >= 15.0, "{file:?}: {media:?}");
            }
            assert_eq!(pages(&i) % 4, 0, "{file:?}");
            assert_eq!(field(&i, "Tagged:"), "yes", "{file:?}");
            assert!(field(&i, "Title:").contains("—"), "{file:?}");
            assert!(!field(&i, "Author:").is_empty());
            assert!(!i.contains("Syntax Error"), "{i}");
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                bytes.windows(9).any(|w| w == b"/Lang(id)"),
                "{file:?}: no document language"
            );
        }
    }
}

#[test]
fn every_font_is_embedded_and_subset_and_qpdf_finds_nothing() {
    if !have("pdffonts") || !have("qpdf") {
        return;
    }
    for b in both() {
        for audience in ["participant", "facilitator"] {
            for file in [b.pdf(audience), b.imposed(audience)] {
                let fonts = tool("pdffonts", &[], &file);
                let rows: Vec<&str> = fonts.lines().skip(2).collect();
                assert!(!rows.is_empty(), "{file:?} has no fonts");
                for row in &rows {
                    let cols: Vec<&str> = row.split_whitespace().collect();
                    let n = cols.len();
                    assert_eq!(
                        &cols[n - 5..n - 2],
                        &["yes", "yes", "yes"],
                        "{file:?}: {row}"
                    );
                }
                let o = Command::new("qpdf")
                    .arg("--check")
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "{file:?}: {}",
                    String::from_utf8_lossy(&o.stdout)
                );
            }
        }
    }
}

#[test]
fn no_colour_of_the_booklet_is_set_on_all_four_plates() {
    if !have("qpdf") {
        return;
    }
    // print.toml's colours use two or three plates each; the activity label's `darken`ed
    // warm set 7.5 pt text in cyan, magenta, yellow and black (registration fringes). The
    // crop marks alone are on all four, as registration: eight strokes a page.
    let dir = temp_dir("booklet-plates");
    let pdf = foa().pdf("participant");
    let flat = dir.join("flat.pdf");
    let o = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&flat)
        .output()
        .unwrap();
    assert!(o.status.success());
    let bytes = std::fs::read(&flat).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut seen = 0;
    let mut registration = 0;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(5) {
            if w[4] != "k" && w[4] != "K" {
                continue;
            }
            let Ok(cmyk) = w[..4]
                .iter()
                .map(|x| x.parse::<f64>())
                .collect::<Result<Vec<f64>, _>>()
            else {
                continue;
            };
            seen += 1;
            if w[4] == "K" && cmyk == [1.0, 1.0, 1.0, 1.0] {
                registration += 1;
                continue;
            }
            assert!(cmyk.contains(&0.0), "four plates: {line}");
        }
    }
    assert!(seen > 100, "{seen} CMYK colours set");
    assert_eq!(
        registration,
        8 * pages(&info(&pdf)),
        "the crop marks, eight a page"
    );
}

/// The session titles as the source writes them (first heading of each file).
fn session_titles(dir: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    for f in files {
        let t = std::fs::read_to_string(f).unwrap();
        let line = t.lines().find(|l| l.starts_with("# ")).unwrap();
        titles.push(line[2..line.find(" {").unwrap()].replace('*', ""));
    }
    titles
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_session_title_is_printed_and_no_placeholder_is_left() {
    if !have("pdftotext") {
        return;
    }
    for audience in ["participant", "facilitator"] {
        let t = squash(&text(&foa().pdf(audience), None));
        for title in session_titles("source") {
            assert!(t.contains(&squash(&title)), "{audience}: no `{title}`");
        }
        assert!(!t.contains("{{"), "{audience}: a placeholder is left");
        assert!(t.contains("Konfederasi Serikat Pekerja Indonesia"));
    }
    let t = squash(&text(&fixture().pdf("participant"), None));
    for title in session_titles("tests/fixtures/every-construct") {
        assert!(t.contains(&squash(&title)), "no `{title}`");
    }
    // Placeholders resolved to the publisher; `\{{` and code print their braces as written.
    for needle in [
        "Konfederasi Serikat Pekerja Contoh (KSPC)",
        "Modul Uji Lengkap",
        "Peta Masalah KSPC",
        "Tulisan {{org.name}} tetap",
        "kode tidak diubah {{org.name}}",
    ] {
        assert!(t.contains(needle), "no `{needle}` in the fixture");
    }
}

#[test]
fn text_that_looks_like_typst_prints_as_written() {
    if !have("pdftotext") {
        return;
    }
    let t = squash(&text(&fixture().pdf("participant"), None));
    for needle in [
        "#set text(red)",
        "$x$",
        "\\textbf{tebal}",
        "#set page(width: 10cm)",
        "(https://www.ilo.org/)",
    ] {
        assert!(t.contains(needle), "no `{needle}` in\n{t}");
    }
}

#[test]
fn each_audience_sees_what_the_routing_table_says() {
    if !have("pdftotext") {
        return;
    }
    let p = squash(&text(&fixture().pdf("participant"), None));
    let f = squash(&text(&fixture().pdf("facilitator"), None));
    for only_f in [
        "Hanya untuk fasilitator.",
        "Ingatkan waktu setiap 10 menit.",
        "Jelaskan perbedaan kedua konvensi.",
        "Agenda Pelatihan",
        // The first slide is the deck's fourth page: title, two sessions' dividers.
        "SLIDE 4",
    ] {
        assert!(f.contains(only_f), "facilitator lacks `{only_f}`");
        assert!(!p.contains(only_f), "participant shows `{only_f}`");
    }
    for both in [
        "Studi Kasus",
        "Lembar Kerja",
        "Poin Penting",
        "Tujuan Pembelajaran",
    ] {
        let up = both.to_uppercase();
        assert!(p.contains(&up) && f.contains(&up), "`{both}` missing");
    }
    // A federation's `only` block is not in the canonical booklets.
    assert!(!p.contains("sektor logam") && !f.contains("sektor logam"));
    // Internal links carry the page of their target.
    assert!(p.contains("sesi lanjutan (hlm. "), "{p}");
    // The agenda adds up the sessions.
    assert!(f.contains("150 menit"), "no agenda total");
}

#[test]
fn sessions_open_on_right_hand_pages_and_padding_pages_are_ruled_notes() {
    if !have("pdftotext") {
        return;
    }
    let file = foa().pdf("participant");
    let n = pages(&info(&file));
    let mut openers = Vec::new();
    for page in 1..=n {
        let t = text(&file, Some((page, page)));
        if t.trim_start().starts_with("SESI ") {
            openers.push(page);
        }
        if page > 4 && page < n && t.trim().is_empty() {
            panic!("page {page} is blank: blank pages must be notes pages");
        }
    }
    assert_eq!(openers.len(), session_titles("source").len(), "{openers:?}");
    assert!(openers.iter().all(|p| p % 2 == 1), "{openers:?}");
}

#[test]
fn imposed_editions_pair_pages_for_saddle_stitching() {
    if !have("pdfinfo") || !have("pdftotext") {
        return;
    }
    for b in both() {
        for audience in ["participant", "facilitator"] {
            let booklet = b.pdf(audience);
            let imposed = b.imposed(audience);
            let n = pages(&info(&booklet));
            let i = info(&imposed);
            assert_eq!(pages(&i), n / 2, "{imposed:?}");
            let media = pdf_box(&i, "MediaBox:");
            assert!((media[2] - 841.89).abs() < 0.1 && (media[3] - 595.28).abs() < 0.1);
            // Side 1 holds pages n and 1 (back and front cover), side 2 pages 2 and n−1,
            // side 3 pages n−2 and 3: each placed page's text is on its side.
            let words = |t: String| -> std::collections::BTreeSet<String> {
                t.split_whitespace().map(str::to_string).collect()
            };
            for (side, pair) in [(1, [n, 1]), (2, [2, n - 1]), (3, [n - 2, 3])] {
                let sheet = words(text(&imposed, Some((side, side))));
                for page in pair {
                    let own = words(text(&booklet, Some((page, page))));
                    let missing: Vec<_> = own.difference(&sheet).collect();
                    assert!(
                        missing.is_empty(),
                        "{imposed:?} side {side} lacks page {page}: {missing:?}"
                    );
                }
            }
            // Fonts are stored once, not once per placed page.
            let count = |f: &Path| tool("pdffonts", &[], f).lines().count();
            assert!(count(&imposed) <= count(&booklet), "{imposed:?}");
        }
    }
}

#[test]
fn page_numbers_are_on_the_outer_corner() {
    if !have("pdftotext") {
        return;
    }
    // pdftotext -bbox: the number of page 6 (left-hand) is left of the text block's middle,
    // that of page 7 (right-hand) right of it.
    let file = foa().pdf("participant");
    for (page, left) in [(6, true), (7, false)] {
        let o = Command::new("pdftotext")
            .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap();
        let xml = String::from_utf8_lossy(&o.stdout);
        let needle = format!(">{page}</word>");
        let line = xml
            .lines()
            .find(|l| l.ends_with(&needle))
            .expect("a page number");
        let x: f64 = line
            .split("xMin=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(x < 238.0, left, "page {page}: number at x = {x}");
    }
}

/// Every output file under `dir`; not the build's own records (the manifest and the cache
/// hold timings).
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        if name == ".modulpress" || name == "manifest.json" {
            continue;
        }
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push((
                p.file_name().unwrap().to_string_lossy().into(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn builds_are_byte_identical_across_runs_and_thread_counts() {
    let again = build("booklet-foa-again", "source", "foa", &["--jobs", "1"]);
    let a = files_under(&foa().out);
    let b = files_under(&again.out);
    assert_eq!(a.len(), b.len());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between builds");
    }
}

#[test]
fn the_manifest_lists_every_output_with_its_checksum() {
    use sha2::{Digest, Sha256};
    for b in both() {
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(b.out.join("manifest.json")).unwrap()).unwrap();
        let outputs = m["outputs"].as_array().unwrap();
        assert_eq!(outputs.len(), 4);
        for e in outputs {
            let path = e["path"].as_str().unwrap();
            let bytes = std::fs::read(b.out.join(path)).unwrap();
            let hex: String = Sha256::digest(&bytes)
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect();
            assert_eq!(e["sha256"], hex, "{path}");
            assert_eq!(e["bytes"], bytes.len(), "{path}");
            assert!(e["pages"].as_u64().unwrap() > 0);
            assert!(matches!(e["kind"].as_str(), Some("booklet" | "imposed")));
            assert!(e["federation"].is_null());
        }
    }
}

#[test]
fn print_risks_are_warnings_on_stderr_and_in_the_manifest() {
    let tmp = temp_dir("booklet-risks");
    let out = tmp.join("out");
    let o = run(&[
        "build",
        "--only",
        "booklet",
        "--source",
        "tests/fixtures/print-risks",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: image `images/kecil.png` prints at 66 dpi"),
        "{err}"
    );
    // How large a picture to ask for: 115 mm at 300 dpi.
    assert!(
        err.contains("help: use a picture at least 1359 pixels wide"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/fixtures/print-risks/01-risiko.md:5:1"),
        "{err}"
    );
    assert!(
        err.contains("warning: table is wider than the text block"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/fixtures/print-risks/01-risiko.md:9:1"),
        "{err}"
    );
    assert_eq!(
        err.matches("prints at 66 dpi").count(),
        1,
        "shown once: {err}"
    );
    let m = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(m.contains("\"warnings\"") && m.contains("66 dpi"), "{m}");
}

#[test]
fn a_broken_template_is_reported_at_its_line() {
    let dir = temp_dir("booklet-broken-template");
    common::copy_dir(&root().join("layouts"), &dir.join("layouts"));
    let template = dir.join("layouts/booklet.typ");
    let t = std::fs::read_to_string(&template).unwrap();
    let t = t.replacen(
        "box-frame(labels.objectives,",
        "box-frame(labels.objectivez,",
        1,
    );
    std::fs::write(&template, &t).unwrap();
    let line = t
        .lines()
        .position(|l| l.contains("labels.objectivez"))
        .unwrap()
        + 1;
    let out = dir.join("out");
    let o = run(&[
        "build",
        "--only",
        "booklet",
        "--source",
        "tests/fixtures/every-construct",
        "--layouts",
        dir.join("layouts").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("dictionary does not contain key \"objectivez\""),
        "{err}"
    );
    assert!(
        err.contains(&format!("layouts/booklet.typ:{line}:")),
        "{err}"
    );
    // The source block that used the broken function is named too.
    assert!(err.contains("every-construct/01-dasar.md:4"), "{err}");
}

#[test]
fn an_english_module_gets_english_labels() {
    if !have("pdftotext") {
        return;
    }
    let dir = temp_dir("booklet-en");
    common::copy_dir(
        &root().join("tests/fixtures/every-construct"),
        &dir.join("m"),
    );
    let toml = dir.join("m/module.toml");
    let t = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("lang = \"id\"", "lang = \"en\"");
    std::fs::write(&toml, t).unwrap();
    let out = dir.join("out");
    let o = run(&[
        "build",
        "--only",
        "booklet",
        "--source",
        dir.join("m").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = text(&out.join("booklet/uji-lengkap-participant.pdf"), None);
    for label in ["LEARNING OBJECTIVES", "Contents", "Participant", "ACTIVITY"] {
        assert!(
            t.to_uppercase().contains(&label.to_uppercase()),
            "no `{label}`"
        );
    }
}

#[test]
fn the_text_layer_has_no_break_points_inside_words() {
    if !have("pdftotext") {
        return;
    }
    for built in both() {
        for audience in ["participant", "facilitator"] {
            let pdf = built.pdf(audience);
            let o = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let mut ends = 0;
            for line in text.lines() {
                let body = line.strip_suffix('\u{AD}').unwrap_or(line);
                ends += usize::from(body.len() != line.len());
                assert!(
                    !body.contains('\u{AD}'),
                    "{}: a soft hyphen inside the line {line:?}",
                    pdf.display()
                );
            }
            if built.id == "foa" {
                assert!(
                    ends > 20,
                    "the booklet should still hyphenate: {ends} breaks"
                );
                // Words that the booklet breaks at line ends, found whole once the
                // breaks are joined, as a viewer's search joins them.
                let joined = text.replace("\u{AD}\n", "").to_lowercase();
                for word in [
                    "internasional",
                    "konfederasi",
                    "ketenagakerjaan",
                    "fasilitator",
                    "diskriminasi",
                    "diselenggarakan",
                    "keterampilan",
                    "keseimbangan",
                    "kepentingannya",
                    "diperjuangkan",
                ] {
                    assert!(
                        joined.contains(word),
                        "{}: no whole {word:?}",
                        pdf.display()
                    );
                }
            }
        }
    }
}

/// Words of a page with their boxes, from `pdftotext -bbox`: (word, xmin, ymin, xmax, ymax).
fn words_on_page(file: &Path, page: u32) -> Vec<(String, f64, f64, f64, f64)> {
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-bbox", "-f", &p, "-l", &p])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout);
    let attr = |l: &str, k: &str| -> f64 {
        let i = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        l[i..].split('"').next().unwrap().parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let word = l.split('>').nth(1).unwrap().split('<').next().unwrap();
            let word = word.replace('\u{AD}', "");
            (
                word,
                attr(l, "xMin"),
                attr(l, "yMin"),
                attr(l, "xMax"),
                attr(l, "yMax"),
            )
        })
        .collect()
}

#[test]
fn tables_fit_a5_by_their_content_and_wide_ones_turn() {
    if !have("pdftotext") {
        return;
    }
    let tmp = temp_dir("booklet-tables");
    let out = tmp.join("out");
    let o = run(&[
        "build",
        "--only",
        "booklet",
        "--source",
        "tests/fixtures/tables",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // The narrow table warns at its line, with the hint; the six-column table that fits
    // and the wide table do not.
    assert_eq!(err.matches("warning: table column").count(), 1, "{err}");
    assert!(
        err.contains("--> tests/fixtures/tables/01-tabel.md:19:1"),
        "{err}"
    );
    assert!(err.contains("`{.wide}`"), "{err}");
    let pdf = out.join("booklet/tabel-participant.pdf");
    let pages = pages(&info(&pdf));
    let page_of = |needle: &str| -> Vec<u32> {
        (1..=pages)
            .filter(|&p| text(&pdf, Some((p, p))).contains(needle))
            .collect()
    };
    // The six-column table: every row on one page, all on the same one.
    let first = page_of("Pelaksanaan");
    assert_eq!(first.len(), 1, "{first:?}");
    for row in [
        "Bipartit",
        "Pencatatan",
        "Konsiliasi",
        "Kasasi",
        "Dapat kasasi",
    ] {
        assert_eq!(page_of(row), first, "{row}");
    }
    // Columns follow their content: the short columns keep their text on one line.
    let t = text(&pdf, Some((first[0], first[0])));
    assert_eq!(t.matches("30 hari").count(), 5, "{t}");
    for word in ["Pelaksanaan", "Pencatatan", "Konsiliasi"] {
        assert!(t.contains(word), "{word} is broken in\n{t}");
    }
    // The wide table is turned: its words run up the page.
    let wide = page_of("Tabel yang sama");
    let turned: Vec<(u32, usize, usize)> = (wide[0] + 1..=pages)
        .map(|p| {
            let words = words_on_page(&pdf, p);
            let up = words
                .iter()
                .filter(|(w, x0, y0, x1, y1)| w.len() > 3 && (y1 - y0) > 1.5 * (x1 - x0))
                .count();
            (p, up, words.len())
        })
        .filter(|(_, up, n)| *n > 40 && up * 2 > *n)
        .collect();
    assert_eq!(turned.len(), 1, "{turned:?}");
    let turned = turned[0].0;
    assert_eq!(turned, wide[0] + 1);
    // Alone on its page: the text after it starts on the next one.
    assert_eq!(page_of("kembali ke halaman tegak"), vec![turned + 1]);
}

#[test]
fn the_facilitator_agenda_gives_each_day_its_clock_times() {
    let b = foa();
    let front = squash(&text(&b.pdf("facilitator"), Some((1, 8))));
    for expected in [
        "Agenda Pelatihan",
        "Hari 1 08:00–16:30",
        "08:00–09:15 1",
        "10:30–10:45 Istirahat kopi 15 menit",
        "11:45–12:45 Ishoma (istirahat, salat, makan siang) 60 menit",
        "14:40–16:30 5",
        "Hari 2 08:00–16:30",
        // Day 2 opens with S6, the complaint paths (115 minutes, with the day-2 opener).
        "08:00–09:55 6",
        "09:55–10:10 Istirahat kopi 15 menit",
        "14:30–16:30 9",
        "Jumlah 420 menit",
    ] {
        assert!(front.contains(expected), "no `{expected}` in\n{front}");
    }
    let participant = squash(&text(&b.pdf("participant"), None));
    assert!(
        !participant.contains("08:00–09:15"),
        "the participant book has no agenda"
    );
    // Without a schedule the agenda lists minutes only.
    let plain = squash(&text(&fixture().pdf("facilitator"), Some((1, 8))));
    assert!(plain.contains("Agenda Pelatihan") && !plain.contains("Pukul"));
}

#[test]
fn a_paragraph_that_introduces_a_list_is_never_alone_at_a_page_foot() {
    if !have("pdftotext") {
        return;
    }
    // In the FOA module this lead-in fell at the foot of a page, its list on the next.
    let pdf = foa().pdf("participant");
    let pages = pages(&info(&pdf));
    let lead = "mempunyai nomor bukti pencatatan berhak:";
    let first_item = "membuat perjanjian kerja bersama (PKB) dengan pengusaha;";
    let on = |needle: &str| -> Vec<u32> {
        (1..=pages)
            .filter(|&p| squash(&text(&pdf, Some((p, p)))).contains(needle))
            .collect()
    };
    let lead_pages = on(lead);
    assert_eq!(lead_pages.len(), 1, "{lead_pages:?}");
    assert_eq!(
        on(first_item),
        lead_pages,
        "the list starts on the lead-in's page"
    );
}

#[test]
fn a_short_table_is_never_split_across_pages() {
    if !have("pdftotext") {
        return;
    }
    // In the FOA module the "Susunan Pelatihan" table left its header and first row at
    // the foot of a page, the other eight rows on the next.
    let pdf = foa().pdf("participant");
    let pages = pages(&info(&pdf));
    let on = |needle: &str| -> Vec<u32> {
        (1..=pages)
            .filter(|&p| squash(&text(&pdf, Some((p, p)))).contains(needle))
            .collect()
    };
    let first = on("Pembukaan dan kontrak belajar (hlm.");
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(on("Rencana aksi dan evaluasi (hlm."), first, "the last row");
}

#[test]
fn a_worksheet_that_fits_on_a_page_is_never_split() {
    if !have("pdftotext") {
        return;
    }
    // In the FOA module this worksheet began at the foot of a page (title and four items)
    // and ended on the next; participants fill it in.
    for audience in ["participant", "facilitator"] {
        let pdf = foa().pdf(audience);
        let pages = pages(&info(&pdf));
        let on = |needle: &str| -> Vec<u32> {
            (1..=pages)
                .filter(|&p| squash(&text(&pdf, Some((p, p)))).contains(needle))
                .collect()
        };
        let title = on("Lembar Catatan Wawancara Saksi");
        assert_eq!(title.len(), 1, "{audience}: {title:?}");
        assert_eq!(
            on("Apakah saksi bersedia memberi"),
            title,
            "{audience}: the worksheet's last item is on its title's page"
        );
    }
}

#[test]
fn a_sessions_key_points_are_never_split_across_pages() {
    if !have("pdftotext") {
        return;
    }
    // The box began at a page foot with its label and a point or two, and its other points
    // opened the next page without a label (FOA participant pages 11, 38, 49 and 60).
    for audience in ["participant", "facilitator"] {
        let pdf = foa().pdf(audience);
        let pages = pages(&info(&pdf));
        let mut seen = 0;
        for p in 1..pages {
            if !text(&pdf, Some((p, p))).contains("POIN PENTING") {
                continue;
            }
            seen += 1;
            let next = text(&pdf, Some((p + 1, p + 1)));
            // The running head, then the first line of the page.
            let first = next
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .nth(1)
                .unwrap_or_default();
            assert!(
                !first.starts_with('•'),
                "{audience}: the key points of page {p} run on to page {}: {first}",
                p + 1
            );
        }
        assert!(seen >= 9, "{audience}: {seen} pages with key points");
    }
}

#[test]
fn a_facilitator_notes_one_line_lead_in_stays_with_what_it_introduces() {
    if !have("pdftotext") {
        return;
    }
    // "Kartu peran (salin dan potong; …)." and the note's label stood at the foot of
    // facilitator page 51, the role cards it introduces on page 52.
    let pdf = foa().pdf("facilitator");
    let on = |needle: &str| -> Vec<u32> {
        (1..=pages(&info(&pdf)))
            .filter(|&p| squash(&text(&pdf, Some((p, p)))).contains(needle))
            .collect()
    };
    let lead = on("(salin dan potong; satu set untuk setiap kelompok)");
    assert_eq!(lead.len(), 1, "{lead:?}");
    assert_eq!(on("Kartu Sari, ketua serikat."), lead);
}

#[test]
fn a_speaker_notes_label_is_never_left_with_one_line_at_a_page_foot() {
    if !have("pdftotext") {
        return;
    }
    // The label and the note's text were one paragraph, so Typst's orphan control let the
    // label and a single line stay behind (FOA facilitator pages 38 and 53).
    let pdf = foa().pdf("facilitator");
    let label = "CATATAN PEMBICARA";
    let mut seen = 0;
    for p in 1..=pages(&info(&pdf)) {
        let page = text(&pdf, Some((p, p)));
        let mut lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        seen += lines.iter().filter(|l| **l == label).count();
        if lines
            .last()
            .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
        {
            lines.pop();
        }
        let n = lines.len();
        assert!(
            !lines[n.saturating_sub(2)..].contains(&label),
            "page {p} ends with the label and at most one line of its note: {:?}",
            &lines[n.saturating_sub(3)..]
        );
    }
    assert!(
        seen > 20,
        "the facilitator guide shows its speaker notes ({seen})"
    );
}

/// Words of a PDF page range with their boxes, from `pdftotext -bbox`: (xMin, xMax, word).
fn word_boxes(file: &Path, first: u32, last: u32) -> Vec<(f64, f64, String)> {
    let o = Command::new("pdftotext")
        .args(["-bbox", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let word = rest.split("</word>").next().unwrap().to_string();
            (attr(tag, "xMin"), attr(tag, "xMax"), word)
        })
        .collect()
}

#[test]
fn long_addresses_and_codes_wrap_inside_the_trim_and_copy_whole() {
    if !have("pdftotext") || !have("pdfinfo") {
        return;
    }
    let b = build(
        "booklet-long-strings",
        "tests/corpus/long-strings-break/source",
        "uji",
        &[],
    );
    let pdf = b.pdf("participant");
    let info = info(&pdf);
    let trim = pdf_box(&info, "TrimBox:");
    let last = pages(&info);
    let words = word_boxes(&pdf, 5, last);
    assert!(words.iter().any(|w| w.2.contains("3f9a2b7c")), "{words:?}");
    for (x0, x1, word) in &words {
        assert!(
            *x0 >= trim[0] && *x1 <= trim[2],
            "`{word}` runs past the trim ({x0}..{x1}, trim {trim:?})"
        );
    }
    // The break points are not in the text layer: the address is found whole once its
    // line ends are joined.
    let body = text(&pdf, Some((5, last)));
    assert!(
        !body.contains('\u{200B}'),
        "zero-width spaces in the text layer"
    );
    let joined: String = body.split_whitespace().collect();
    assert!(
        joined.contains(
            "sekretariat.pendidikan.latihan.anggota@federasi-serikatpekerja-indonesia-bersatu.or.id"
        ),
        "{body}"
    );
    assert!(joined.contains(&"3f9a2b7c".repeat(8)), "{body}");
    let _ = std::fs::remove_dir_all(b.out.parent().unwrap());
}

#[test]
fn a_word_that_cannot_break_is_a_warning_at_its_line_and_red_in_the_report() {
    let tmp = temp_dir("booklet-cut-off");
    let out = tmp.join("out");
    let o = run(&[
        "build",
        "--only",
        "booklet,slides",
        "--federation",
        "spn",
        "--source",
        "tests/corpus/long-word-cut-off/source",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: text runs 56 mm past the trim"),
        "{err}"
    );
    assert!(
        err.contains("warning: text runs past the edge of slide 2"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/corpus/long-word-cut-off/source/01-uji.md:1:3"),
        "{err}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let red: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert!(
        red.iter().any(|m| m.contains("past the trim")
            && m.ends_with("(tests/corpus/long-word-cut-off/source/01-uji.md:1)")),
        "{red:?}"
    );
    assert!(
        red.iter().any(|m| m.contains("past the edge of slide 2")),
        "{red:?}"
    );
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

#[test]
fn a_footnote_in_a_heading_is_printed_once_and_kept_out_of_contents_and_bookmarks() {
    if !have("pdftotext") || !have("qpdf") {
        return;
    }
    let b = build(
        "booklet-heading-note",
        "tests/corpus/footnote-in-heading/source",
        "uji",
        &[],
    );
    let pdf = b.pdf("participant");
    let all = text(&pdf, None);
    assert_eq!(all.matches("UU No. 21 Tahun 2000").count(), 1, "{all}");
    let contents = text(&pdf, Some((3, 3)));
    assert!(contents.contains("Dasar Hukum"), "{contents}");
    assert!(
        !contents.contains("UU No") && !contents.contains("Hukum1"),
        "{contents}"
    );
    let outlines = tool("qpdf", &["--json", "--json-key=outlines"], &pdf);
    assert!(
        outlines.contains("\"title\": \"Dasar Hukum\""),
        "{outlines}"
    );
    assert!(!outlines.contains("UU No"), "{outlines}");
    let _ = std::fs::remove_dir_all(b.out.parent().unwrap());
}

/// The contents and the cross-references are links, pointed at their targets after layout
/// (`render/booklet/links.rs`): none keeps the placeholder address, each leads to a named
/// place and says where, as Typst describes a link to a heading ("6, halaman 49").
#[test]
fn internal_links_lead_to_their_targets_and_say_where() {
    if !have("qpdf") {
        return;
    }
    let tmp = temp_dir("booklet-links");
    let qdf = tmp.join("participant.pdf");
    let o = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(foa().pdf("participant"))
        .arg(&qdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    assert!(!text.contains("modulpress:"), "a link kept its placeholder");
    let links = text.matches("/Subtype /Link").count();
    let named = text
        .lines()
        .filter(|l| l.trim().starts_with("/Dest ("))
        .count();
    let described: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("/Contents ("))
        .filter(|c| c.contains(", halaman "))
        .collect();
    assert!(links > 50, "{links} links");
    assert!(named > 50, "{named} of {links} links lead to a named place");
    assert!(
        described.len() > 50
            && described.iter().all(|c| c
                .trim_end_matches(')')
                .rsplit(' ')
                .next()
                .is_some_and(|n| n.parse::<u32>().is_ok())),
        "{described:?}"
    );
}

/// The number a `-layout` text line ends with, after two spaces or more.
fn trailing_number(line: &str) -> Option<u32> {
    let t = line.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &t[..t.len() - digits];
    (digits > 0 && rest.ends_with("  ")).then(|| t[t.len() - digits..].parse().ok())?
}

#[test]
fn contents_and_cross_references_give_the_pages_of_their_targets() {
    // The numbers are written into the laid-out pages (`render/booklet/page_refs.rs`):
    // each session's entry in the contents must name its opening page, whatever its digit
    // count (the facilitator's guide runs past page 100), and every "see page N" a page
    // the contents names.
    if !have("pdftotext") {
        return;
    }
    for (audience, contents_pages) in [("participant", (3, 4)), ("facilitator", (3, 4))] {
        let pdf = foa().pdf(audience);
        let contents = text(&pdf, Some(contents_pages));
        let mut numbers = std::collections::BTreeSet::new();
        let mut sessions = 0;
        for line in contents.lines() {
            let Some(page) = trailing_number(line) else {
                continue;
            };
            numbers.insert(page);
            // A session's line: its number first, then the title (not wrapped).
            let first = line.split_whitespace().next().unwrap_or("");
            if let Ok(n) = first.parse::<u32>()
                && (1..=9).contains(&n)
                && line.trim_start().len() > first.len() + 3
            {
                let opener = squash(&text(&pdf, Some((page, page))));
                assert!(
                    opener.contains(&format!("SESI {n}")),
                    "{audience}: the contents give page {page} for session {n}, which shows:\n{opener}"
                );
                sessions += 1;
            }
        }
        assert!(
            sessions >= 7,
            "{audience}: {sessions} session lines read in:\n{contents}"
        );
        if audience == "facilitator" {
            assert!(
                numbers.iter().any(|&p| p < 10) && numbers.iter().any(|&p| p >= 100),
                "{numbers:?}"
            );
        }
        let all = squash(&text(&pdf, None));
        let mut refs = 0;
        // "(hlm. 49)": the locale's `see_page` and the number; "(lihat Sesi 6, hlm. 51)"
        // for a reference in parentheses, never "(lihat Sesi 6 (hlm. 51))".
        assert!(
            all.contains(", hlm. "),
            "{audience}: no reference in parentheses"
        );
        assert!(
            !all.split("(hlm. ").skip(1).any(|p| p
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with("))")),
            "{audience}: a page number in double parentheses"
        );
        for part in all
            .split("(hlm. ")
            .skip(1)
            .chain(all.split(", hlm. ").skip(1))
        {
            let n: String = part.chars().take_while(char::is_ascii_digit).collect();
            let n: u32 = n
                .parse()
                .unwrap_or_else(|_| panic!("{audience}: {part:.40}"));
            assert!(
                numbers.contains(&n),
                "{audience}: see page {n} is no page of the contents {numbers:?}"
            );
            refs += 1;
        }
        assert!(refs > 10, "{audience}: {refs} cross-references");
    }
}

/// Each footnote's mark and the page its link leads to, for every mark of `file`: Typst
/// writes a mark as a link whose alternative text is "Footnote N", to its note.
fn footnote_pages(file: &Path) -> Vec<(String, u32, u32)> {
    let doc = lopdf::Document::load(file).unwrap();
    let pages = doc.get_pages();
    let number_of = |id: lopdf::ObjectId| pages.iter().find(|(_, p)| **p == id).map(|(n, _)| *n);
    let mut out = Vec::new();
    for (&page, &id) in &pages {
        for annot in doc.get_page_annotations(id).unwrap_or_default() {
            let contents = annot
                .get(b"Contents")
                .ok()
                .and_then(|c| lopdf::decode_text_string(c).ok())
                .unwrap_or_default();
            if !contents.starts_with("Footnote") {
                continue;
            }
            let dest = annot.get(b"Dest").unwrap();
            let dest = match dest {
                lopdf::Object::Reference(r) => doc.get_object(*r).unwrap(),
                other => other,
            };
            let target = dest.as_array().unwrap()[0].as_reference().unwrap();
            out.push((contents, page, number_of(target).unwrap()));
        }
    }
    out
}

#[test]
fn every_footnote_is_on_its_marks_page() {
    // Typst can set a note a page before its mark when widow and orphan control moves the
    // mark's line on (the FOA book's footnote 2 did): the build lays such a paragraph out
    // again without that control (`render/booklet/footnotes.rs`).
    for b in both() {
        for audience in ["participant", "facilitator"] {
            let marks = footnote_pages(&b.pdf(audience));
            if b.id == "foa" {
                assert!(marks.len() > 20, "{marks:?}");
            }
            for (mark, page, note) in marks {
                assert_eq!(page, note, "{mark} of {} {audience}", b.id);
            }
        }
    }
}

#[test]
fn the_empty_page_before_the_facilitators_agenda_is_ruled_for_notes() {
    if !have("pdftotext") {
        return;
    }
    // `init`'s module: contents on page 3, the agenda opens on page 5. Page 4 had only its
    // number; the participant book's empty pages are ruled "Catatan" pages.
    let dir = temp_dir("booklet-agenda-filler");
    let o = common::run_in(&dir, &["init", "m", "--id", "uji"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let layouts = root().join("layouts");
    let args = [
        "build",
        "--source",
        "m",
        "--only",
        "booklet",
        "--layouts",
        layouts.to_str().unwrap(),
    ];
    let o = common::run_in(&dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = dir.join("out/booklet/uji-facilitator.pdf");
    assert!(squash(&text(&pdf, Some((5, 5)))).contains("Agenda Pelatihan"));
    let four = squash(&text(&pdf, Some((4, 4))));
    assert!(four.contains("Catatan"), "page 4: {four}");
}

/// A paragraph that introduces a list (it ends with a colon, `lead-in`) is justified like
/// the others: its first line, which breaks with a hyphen, reaches the right edge of the
/// text as the line above it does.
#[test]
fn a_paragraph_introducing_a_list_is_justified() {
    if !have("pdftotext") {
        return;
    }
    let pdf = foa().pdf("participant");
    let page = (1..=pages(&info(&pdf)))
        .find(|&p| {
            let words = words_on_page(&pdf, p);
            words
                .windows(4)
                .any(|w| w[0].0 == "Beberapa" && w[1].0 == "kasus" && w[3].0 == "yang")
        })
        .expect("the lead-in of the Indonesian cases");
    let words = words_on_page(&pdf, page);
    let start = words
        .windows(4)
        .position(|w| w[0].0 == "Beberapa" && w[1].0 == "kasus" && w[3].0 == "yang")
        .unwrap();
    let y = words[start].2;
    let line_end = words
        .iter()
        .filter(|w| (w.2 - y).abs() < 1.0)
        .map(|w| w.3)
        .fold(0.0, f64::max);
    // The paragraph above, "Bagi serikat di Indonesia …", is justified: its first line's end.
    let above = words.iter().position(|w| w.0 == "Bagi").unwrap();
    let above_end = words
        .iter()
        .filter(|w| (w.2 - words[above].2).abs() < 1.0)
        .map(|w| w.3)
        .fold(0.0, f64::max);
    assert!(
        (line_end - above_end).abs() < 1.5,
        "the lead-in's first line ends at {line_end:.1} pt, the justified line above at {above_end:.1} pt"
    );
}
