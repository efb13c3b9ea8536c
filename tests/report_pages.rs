//! The report's booklet pages since an earlier edition (`build --since OLD`): its changed
//! pages are exactly those whose text differs between the two editions' booklets, each
//! built alone (`pdftotext` per page); its changed sheets are exactly the sheets of the
//! imposed editions whose sides differ; and the report shows them in headless Chromium.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{chromium, chromium_probe, copy_dir, have, root, run, stderr, temp_dir};
use serde_json::Value;

/// `pdftotext` of each page of `pdf`.
fn page_texts(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (1..=pages)
        .map(|p| {
            let p = p.to_string();
            let o = Command::new("pdftotext")
                .args(["-f", &p, "-l", &p])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            assert!(o.status.success(), "pdftotext {}", pdf.display());
            String::from_utf8_lossy(&o.stdout).into_owned()
        })
        .collect()
}

/// The pages (1-based) whose text differs, pairing by number.
fn differing(old: &[String], new: &[String]) -> Vec<u32> {
    (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .map(|i| i as u32 + 1)
        .collect()
}

fn build(source: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--source",
        source.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "booklet,imposed",
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Build `old` alone, then `new` with `--since old`; check the report against pdftotext on
/// both builds' booklets and imposed editions. Gives the report's `changes.booklets` and the
/// new build's folder.
fn check(dir: &Path, old: &Path, new: &Path) -> (Vec<Value>, PathBuf) {
    let out_old = dir.join("out-old");
    let out_new = dir.join("out-new");
    build(old, &out_old, &[]);
    build(new, &out_new, &["--since", old.to_str().unwrap()]);
    let report: Value =
        serde_json::from_slice(&std::fs::read(out_new.join("report.json")).unwrap()).unwrap();
    let booklets = report["changes"]["booklets"].as_array().unwrap().clone();
    assert_eq!(booklets.len(), 2, "both booklets: {booklets:?}");
    for b in &booklets {
        let path = b["booklet"].as_str().unwrap();
        let old_pages = page_texts(&out_old.join(path));
        let new_pages = page_texts(&out_new.join(path));
        let expected = differing(&old_pages, &new_pages);
        let reported: Vec<u32> = b["changed_pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(reported, expected, "{path}: changed pages");
        assert_eq!(b["pages_before"], old_pages.len(), "{path}");
        assert_eq!(b["pages_after"], new_pages.len(), "{path}");
        // The imposed editions: a sheet is sides 2N-1 and 2N; the sheets whose sides differ
        // are the ones the report names (every sheet when the page count changed).
        let imposed = path.replace(".pdf", "-imposed-a4.pdf");
        let old_sides = page_texts(&out_old.join(&imposed));
        let new_sides = page_texts(&out_new.join(&imposed));
        let sheets: BTreeSet<u32> = differing(&old_sides, &new_sides)
            .iter()
            .map(|side| side.div_ceil(2))
            .collect();
        let i = &b["imposed"];
        let named: BTreeSet<u32> = i["changed_sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_u64().unwrap() as u32)
            .collect();
        if i["all_new"] == true {
            assert_ne!(old_pages.len(), new_pages.len(), "{path}");
            assert_eq!(named.len(), new_sides.len() / 2, "{path}: every sheet");
        } else {
            assert_eq!(named, sheets, "{imposed}: changed sheets");
        }
        assert_eq!(i["changed"] == true, !named.is_empty(), "{path}");
        assert_eq!(i["sheets_after"], new_sides.len() / 2, "{imposed}");
    }
    (booklets, out_new)
}

/// Open the report in headless Chromium: each booklet's changed pages as the DOM shows
/// them, and no broken thumbnail.
fn chromium_shows(out: &Path, booklets: &[Value], dir: &Path) {
    let Some(browser) = chromium() else {
        return;
    };
    let probe = chromium_probe(
        browser,
        &out.join("report.html"),
        "const imgs = [...document.querySelectorAll('.pages-since img')]; \
         document.body.dataset.images = imgs.length; \
         document.body.dataset.broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).length; \
         document.body.dataset.pages = [...document.querySelectorAll('.pages-since')] \
           .map(b => b.dataset.booklet + ':' + [...b.querySelectorAll('figure.pair')].map(f => f.dataset.page).join(',')).join(';');",
        dir,
    );
    let attr = |k: &str| probe.attr(k);
    assert_eq!(attr("broken"), "0", "broken thumbnails");
    let shown: Vec<String> = booklets
        .iter()
        .map(|b| {
            let pages: Vec<String> = b["changed_pages"]
                .as_array()
                .unwrap()
                .iter()
                .take(16)
                .map(|p| p.to_string())
                .collect();
            format!("{}:{}", b["booklet"].as_str().unwrap(), pages.join(","))
        })
        .collect();
    assert_eq!(attr("pages"), shown.join(";"), "the pages the report shows");
    // Two thumbnails per shown page, less the pages one edition lacks.
    let images: usize = attr("images").parse().unwrap();
    let pairs: usize = booklets
        .iter()
        .map(|b| b["changed_pages"].as_array().unwrap().len().min(16))
        .sum();
    assert!(
        images <= 2 * pairs && images >= pairs,
        "{images} thumbnails for {pairs} pages"
    );
}

#[test]
fn foa_one_sentence_in_session_4_changes_one_page_per_booklet() {
    if !have("pdftotext") || !have("pdfinfo") {
        assert!(std::env::var_os("CI").is_none(), "CI needs poppler");
        return;
    }
    let dir = temp_dir("report-pages-foa");
    let old = root().join("source");
    let new = dir.join("new");
    copy_dir(&old, &new);
    let session = new.join("04-hukum-nasional.md");
    let text = std::fs::read_to_string(&session).unwrap();
    let sentence = "Kebebasan berserikat dijamin oleh konstitusi, hukum tertinggi di negara kita.";
    assert!(text.contains(sentence));
    std::fs::write(
        &session,
        text.replace(
            sentence,
            "Kebebasan berserikat dijamin oleh konstitusi, hukum tertinggi di negara kita, sejak 1945.",
        ),
    )
    .unwrap();
    let (booklets, out) = check(&dir, &old, &new);
    for b in &booklets {
        assert_eq!(
            b["changed_pages"].as_array().unwrap().len(),
            1,
            "one page: {b}"
        );
        assert_eq!(b["imposed"]["changed_sheets"].as_array().unwrap().len(), 1);
    }
    chromium_shows(&out, &booklets, &dir);
}

#[test]
fn a_small_module_with_a_session_added_changes_its_page_count_and_every_sheet() {
    if !have("pdftotext") || !have("pdfinfo") {
        assert!(std::env::var_os("CI").is_none(), "CI needs poppler");
        return;
    }
    let dir = temp_dir("report-pages-small");
    let old = root().join("tests/fixtures/every-construct");
    let new = dir.join("new");
    copy_dir(&old, &new);
    // A word changed in session 2, and a third session of several pages.
    let lanjut = new.join("02-lanjut.md");
    let text = std::fs::read_to_string(&lanjut).unwrap();
    let sentence = "Pengurus serikat dimutasi setelah membentuk serikat.";
    assert!(text.contains(sentence));
    std::fs::write(
        &lanjut,
        text.replace(
            sentence,
            "Pengurus serikat dipindahkan setelah membentuk serikat.",
        ),
    )
    .unwrap();
    let para = "Serikat pekerja berunding dengan pengusaha tentang upah, jam kerja, dan \
                keselamatan kerja; hasilnya dituangkan dalam perjanjian kerja bersama. ";
    let mut session = String::from("# Sesi Baru {#baru minutes=30}\n\n");
    for i in 1..=30 {
        session.push_str(&format!("Paragraf {i}. {}\n\n", para.repeat(3)));
    }
    std::fs::write(new.join("03-baru.md"), session).unwrap();
    let toml = new.join("module.toml");
    let meta = std::fs::read_to_string(&toml).unwrap().replace(
        "sessions = [\"01-dasar.md\", \"02-lanjut.md\"]",
        "sessions = [\"01-dasar.md\", \"02-lanjut.md\", \"03-baru.md\"]",
    );
    std::fs::write(&toml, meta).unwrap();
    let (booklets, out) = check(&dir, &old, &new);
    for b in &booklets {
        assert_eq!(b["imposed"]["all_new"], true, "{b}");
    }
    chromium_shows(&out, &booklets, &dir);
}

#[test]
fn a_change_only_facilitators_read_leaves_the_participant_book_unchanged() {
    if !have("pdftotext") || !have("pdfinfo") {
        assert!(std::env::var_os("CI").is_none(), "CI needs poppler");
        return;
    }
    let dir = temp_dir("report-pages-facilitator-only");
    let old = root().join("tests/fixtures/every-construct");
    let new = dir.join("new");
    copy_dir(&old, &new);
    let lanjut = new.join("02-lanjut.md");
    let text = std::fs::read_to_string(&lanjut).unwrap();
    // A slide's speaker notes: printed in the facilitator guide only.
    let notes = "Jelaskan perbedaan kedua konvensi.";
    assert!(text.contains(notes));
    std::fs::write(
        &lanjut,
        text.replace(notes, "Jelaskan dengan contoh perbedaan kedua konvensi."),
    )
    .unwrap();
    let (booklets, _) = check(&dir, &old, &new);
    let changed = |audience: &str| {
        booklets.iter().find(|b| b["audience"] == audience).unwrap()["changed_pages"]
            .as_array()
            .unwrap()
            .len()
    };
    // The participant book's view is the old one: not laid out again, and no page changed.
    assert_eq!(changed("participant"), 0, "{booklets:?}");
    assert!(changed("facilitator") >= 1, "{booklets:?}");
}
