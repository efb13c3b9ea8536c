//! The slide deck, the branded decks, the presenter notes and the handouts, checked with
//! pdfinfo, pdffonts, pdftotext and qpdf against what `dump` says the module holds.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{Built, build_in_temp, have, root, run, squash, stderr, temp_dir};

/// The decks and handouts built into a fresh temporary folder `name`.
fn build_into(name: &str, extra: &[&str]) -> Built {
    let mut args = vec!["--only", "slides,handout"];
    args.extend(extra);
    build_in_temp(name, &args)
}

fn foa() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build_into("slides-foa", &[]))
}

/// `build --source SOURCE --out OUT --only ONLY`, which must succeed: what it said.
fn build_source(source: &Path, out: &Path, only: &str) -> String {
    let o = run(&[
        "build",
        "--source",
        source.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        only,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stderr(&o)
}

/// The checked module as `dump` prints it.
fn dump() -> &'static serde_json::Value {
    static D: OnceLock<serde_json::Value> = OnceLock::new();
    D.get_or_init(|| {
        let o = run(&["dump"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    })
}

/// Every block of a dumped block list, depth first.
fn walk<'a>(blocks: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    for block in blocks.as_array().into_iter().flatten() {
        out.push(block);
        walk(&block["content"], out);
        for item in block["items"].as_array().into_iter().flatten() {
            walk(&item["content"], out);
        }
    }
}

fn blocks() -> Vec<&'static serde_json::Value> {
    let mut out = Vec::new();
    for s in dump()["module"]["sessions"].as_array().unwrap() {
        walk(&s["blocks"], &mut out);
    }
    out
}

/// The text of dumped inlines or blocks (every `text` field), words joined by one space.
fn text_of(v: &serde_json::Value) -> String {
    fn collect(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(map) => {
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
            serde_json::Value::Array(list) => list.iter().for_each(|c| {
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

fn pdftotext(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext {}", path.display());
    squash(&String::from_utf8_lossy(&o.stdout))
}

fn pdfinfo(path: &Path) -> String {
    let o = Command::new("pdfinfo").arg(path).output().unwrap();
    assert!(o.status.success(), "pdfinfo {}", path.display());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn pages(path: &Path) -> u32 {
    pdfinfo(path)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

/// Page size in points from pdfinfo.
fn page_size(path: &Path) -> (f64, f64) {
    let info = pdfinfo(path);
    let line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[0], nums[1])
}

const HANDOUTS: [(&str, u32); 6] = [
    ("1up", 1),
    ("2up", 2),
    ("3up", 3),
    ("4up", 4),
    ("6up", 6),
    ("notes", 2),
];

fn deck() -> PathBuf {
    foa().out.join("slides/foa.pdf")
}

fn handout(name: &str) -> PathBuf {
    foa().out.join(format!("handouts/foa-{name}.pdf"))
}

/// The slides a participant's deck shows: `slide` blocks outside facilitator-only blocks.
fn slides() -> Vec<&'static serde_json::Value> {
    blocks()
        .into_iter()
        .filter(|b| b["class"] == "slide")
        .collect()
}

#[test]
fn the_deck_has_a_title_page_a_divider_per_session_and_a_page_per_slide() {
    if !have("pdfinfo") {
        return;
    }
    let sessions = dump()["module"]["sessions"].as_array().unwrap().len() as u32;
    let expected = 1 + sessions + slides().len() as u32;
    assert_eq!(pages(&deck()), expected);
    let (w, h) = page_size(&deck());
    assert!((w / h - 16.0 / 9.0).abs() < 0.01, "16:9, not {w} x {h}");
    for (name, k) in HANDOUTS {
        assert_eq!(pages(&handout(name)), expected.div_ceil(k), "{name}");
        let (w, h) = page_size(&handout(name));
        // The 4-up lies across the sheet: upright its slides were no larger than the 6-up's.
        let (w, h) = if name == "4up" { (h, w) } else { (w, h) };
        assert!(
            (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0,
            "{name} is A4 (the 4-up landscape): {w} x {h}"
        );
    }
}

#[test]
fn every_slide_title_is_in_the_deck_and_every_handout() {
    if !have("pdftotext") {
        return;
    }
    let mut files = vec![deck()];
    files.extend(HANDOUTS.iter().map(|(n, _)| handout(n)));
    for file in files {
        let text = pdftotext(&file);
        for slide in slides() {
            let title = text_of(&slide["title"]);
            assert!(
                text.contains(&title),
                "{}: no slide `{title}`",
                file.display()
            );
        }
    }
}

/// The speaker notes of every slide: the text of its `notes` block.
fn notes() -> Vec<String> {
    slides()
        .iter()
        .flat_map(|s| s["content"].as_array().unwrap().iter())
        .filter(|b| b["class"] == "notes")
        .map(|b| text_of(&b["content"]))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The first words of a text: enough to tell it apart, short enough not to be split by a
/// page or column.
fn opening(text: &str) -> String {
    text.split(' ').take(5).collect::<Vec<_>>().join(" ")
}

#[test]
fn speaker_notes_are_in_the_notes_handout_only() {
    if !have("pdftotext") {
        return;
    }
    let notes = notes();
    assert!(notes.len() > 10, "the FOA slides have notes");
    let notes_text = pdftotext(&handout("notes"));
    for note in &notes {
        assert!(
            notes_text.contains(&opening(note)),
            "notes handout lacks `{note}`"
        );
    }
    let mut participant = vec![deck()];
    participant.extend(
        HANDOUTS
            .iter()
            .filter(|(n, _)| *n != "notes")
            .map(|(n, _)| handout(n)),
    );
    for file in participant {
        let text = pdftotext(&file);
        for note in &notes {
            assert!(
                !text.contains(&opening(note)),
                "{} shows the note `{note}`",
                file.display()
            );
        }
    }
}

#[test]
fn no_facilitator_text_reaches_a_deck() {
    if !have("pdftotext") {
        return;
    }
    let hidden: Vec<String> = blocks()
        .into_iter()
        .filter(|b| b["class"] == "facilitator" || b["audience"] == "facilitator")
        .map(|b| opening(&text_of(&b["content"])))
        .filter(|t| t.split(' ').count() >= 4)
        .collect();
    assert!(hidden.len() > 5, "the FOA module has facilitator blocks");
    for entry in std::fs::read_dir(foa().out.join("slides")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let text = pdftotext(&path);
            for h in &hidden {
                assert!(!text.contains(h.as_str()), "{} shows `{h}`", path.display());
            }
        }
    }
}

#[test]
fn fonts_are_embedded_and_stored_once_per_handout() {
    if !have("pdffonts") {
        return;
    }
    let mut files = vec![deck()];
    files.extend(HANDOUTS.iter().map(|(n, _)| handout(n)));
    for file in files {
        let o = Command::new("pdffonts").arg(&file).output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let mut names = Vec::new();
        for line in text.lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let emb = cols[cols.len() - 5];
            assert_eq!(emb, "yes", "{}: not embedded: {line}", file.display());
            let name = cols[0].split_once('+').map_or(cols[0], |(_, n)| n);
            names.push(name.to_string());
        }
        if file != deck() {
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                names.len(),
                "{}: a font is stored twice: {names:?}",
                file.display()
            );
        }
        let size = std::fs::metadata(&file).unwrap().len();
        let deck_size = std::fs::metadata(deck()).unwrap().len();
        assert!(
            size * 2 <= deck_size * 3,
            "{} is {size} bytes, over 1.5 times the deck",
            file.display()
        );
    }
}

#[test]
fn every_file_passes_qpdf_and_builds_are_byte_identical() {
    if !have("qpdf") {
        return;
    }
    let again = build_into("slides-foa-again", &["--jobs", "1"]);
    let mut checked = 0;
    for dir in ["slides", "handouts"] {
        for entry in std::fs::read_dir(foa().out.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap();
            let twin = again.out.join(dir).join(name);
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(&twin).unwrap(),
                "{} differs",
                path.display()
            );
            if path.extension().is_some_and(|e| e == "pdf") {
                let o = Command::new("qpdf")
                    .arg("--check")
                    .arg(&path)
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "qpdf --check {}: {}",
                    path.display(),
                    String::from_utf8_lossy(&o.stdout)
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 9 * 2 + 6,
        "decks, presenter files and handouts: {checked}"
    );
}

#[test]
fn a_branded_deck_names_its_federation_on_its_title_page() {
    if !have("pdftotext") {
        return;
    }
    let o = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(foa().out.join("slides/foa-spn.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let page1 = squash(&String::from_utf8_lossy(&o.stdout));
    assert!(page1.contains("Serikat Pekerja Nasional"), "{page1}");
    let canonical = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(deck())
        .arg("-")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&canonical.stdout).contains("Serikat Pekerja Nasional"));
    // A slide that names `{{org.name}}` names the federation in its deck (the page is set
    // for the brand and placed over the deck's), and the publisher in the canonical deck.
    let with_name = slides()
        .iter()
        .filter(|s| s.to_string().contains("\"org.name\""))
        .count();
    assert!(with_name >= 1, "the FOA slides use {{{{org.name}}}}");
    let spn = pdftotext(&foa().out.join("slides/foa-spn.pdf"));
    assert_eq!(
        spn.matches("Serikat Pekerja Nasional").count(),
        1 + with_name,
        "{spn}"
    );
    let publisher = dump()["module"]["meta"]["publisher"].as_str().unwrap();
    let canonical = pdftotext(&deck());
    assert!(canonical.matches(publisher).count() > with_name);
}

#[test]
fn the_presenter_file_carries_each_slides_notes_on_its_page() {
    if !have("pdftotext") {
        return;
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(foa().out.join("slides/foa.pdfpc")).unwrap())
            .unwrap();
    let list = json["pages"].as_array().unwrap();
    assert_eq!(list.len() as u32, pages(&deck()));
    let with_notes: Vec<&serde_json::Value> =
        list.iter().filter(|p| p.get("note").is_some()).collect();
    assert_eq!(with_notes.len(), notes().len());
    // The page that shows a slide's title carries that slide's notes.
    for slide in slides().iter().take(8) {
        let title = text_of(&slide["title"]);
        let note = slide["content"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["class"] == "notes")
            .map(|b| text_of(&b["content"]));
        let Some(note) = note else { continue };
        let page = list
            .iter()
            .position(|p| {
                p["note"]
                    .as_str()
                    .is_some_and(|n| squash(n).starts_with(&opening(&note)))
            })
            .unwrap_or_else(|| panic!("no page has the notes of `{title}`"));
        let o = Command::new("pdftotext")
            .args(["-f", &(page + 1).to_string(), "-l", &(page + 1).to_string()])
            .arg(deck())
            .arg("-")
            .output()
            .unwrap();
        assert!(
            squash(&String::from_utf8_lossy(&o.stdout)).contains(&title),
            "page {} is not `{title}`",
            page + 1
        );
    }
}

/// `dir/source`: a module `uji` whose one session is `01.md` (each test writes it).
fn one_session_module(dir: &Path) -> PathBuf {
    let src = dir.join("source");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("module.toml"),
        "id = \"uji\"\ntitle = \"Uji\"\npublisher = \"P\"\npublisher_short = \"P\"\ndate = 2025-01-02\nsessions = [\"01.md\"]\n",
    )
    .unwrap();
    src
}

#[test]
fn a_long_slide_shrinks_with_a_warning_and_a_too_long_one_is_an_error_at_its_line() {
    let dir = temp_dir("slides-fit");
    let src = one_session_module(&dir);
    let bullets = |n: usize| {
        (1..=n)
            .map(|i| format!("- Butir nomor {i} dari daftar panjang\n"))
            .collect::<String>()
    };
    let long = format!(
        "# Sesi {{#sesi minutes=30}}\n\n::: {{.slide title=\"Panjang\"}}\n{}:::\n",
        bullets(12)
    );
    let out = dir.join("out");
    let layouts = root().join("layouts");
    // Build the deck of a session text: the exit code and the messages.
    let build = |text: &str| {
        std::fs::write(src.join("01.md"), text).unwrap();
        let args = [
            "build",
            "--only",
            "slides",
            "--layouts",
            layouts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        let o = common::run_in(&dir, &args);
        (o.status.code(), stderr(&o))
    };
    let (code, err) = build(&long);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: slide 3 (`Panjang`) is long"),
        "{err}"
    );
    assert!(err.contains("source/01.md:3:1"), "{err}");
    let too_long = format!(
        "# Sesi {{#sesi minutes=30}}\n\nTeks.\n\n::: {{.slide title=\"Terlalu Panjang\"}}\n{}:::\n",
        bullets(40)
    );
    let (code, err) = build(&too_long);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: slide 3 (`Terlalu Panjang`) is "),
        "{err}"
    );
    assert!(
        err.contains("% too long for one slide: split it or cut bullets"),
        "{err}"
    );
    assert!(err.contains("source/01.md:5:1"), "{err}");
    // `check` lays the deck out too: it does not say `ok` to what stops a build.
    let args = ["check", "--layouts", layouts.to_str().unwrap()];
    let o = common::run_in(&dir, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: slide 3 (`Terlalu Panjang`) is "),
        "{}",
        stderr(&o)
    );
    std::fs::write(src.join("01.md"), &long).unwrap();
    let o = common::run_in(&dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: slide 3 (`Panjang`) is long"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn long_speaker_notes_get_a_page_of_their_own_in_the_notes_handout() {
    if !have("pdftotext") {
        return;
    }
    let dir = temp_dir("slides-long-notes");
    let src = one_session_module(&dir);
    // About 1,400 characters of notes: more than half a page holds, even at 7.5 pt; then
    // notes four times as long, more than a page holds.
    let sentence = "Sambut peserta dengan hangat dan jelaskan jadwal hari ini secara rinci. ";
    let session = |paragraphs: usize| {
        let para = sentence.repeat(5);
        let notes = vec![para.trim_end(); paragraphs].join("\n\n");
        format!(
            "# Sesi {{#sesi minutes=30}}\n\n::: {{.slide title=\"Pertama\"}}\n- Satu\n\n:::: notes\n{notes} Akhir catatan.\n::::\n:::\n\n::: {{.slide title=\"Kedua\"}}\n- Dua\n\n:::: notes\nCatatan pendek.\n::::\n:::\n"
        )
    };
    let layouts = root().join("layouts");
    let out = dir.join("out");
    for paragraphs in [4, 16] {
        std::fs::write(src.join("01.md"), session(paragraphs)).unwrap();
        let args = [
            "build",
            "--only",
            "handout",
            "--layouts",
            layouts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        let o = common::run_in(&dir, &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pdf = out.join("handouts/uji-notes.pdf");
        let page_text = |p: u32| {
            let o = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            squash(&String::from_utf8_lossy(&o.stdout))
        };
        let texts: Vec<String> = (1..=pages(&pdf)).map(page_text).collect();
        let on = |needle: &str| -> Vec<usize> {
            (0..texts.len())
                .filter(|&i| texts[i].contains(needle))
                .collect()
        };
        let first = on("Pertama");
        let end = on("Akhir catatan.");
        let second = on("Kedua");
        // The long notes' page (or pages) hold no other slide: nothing is drawn over them.
        assert_eq!(end.len(), 1, "{paragraphs}: {end:?}");
        assert!(end[0] >= first[0], "{paragraphs}: {first:?} {end:?}");
        assert!(
            second.iter().all(|p| *p > end[0]),
            "{paragraphs}: {second:?} {end:?}"
        );
        if paragraphs == 16 {
            assert!(
                end[0] > first[0],
                "the longest notes run on to the next page"
            );
        }
    }
}

/// The handouts show the publisher's deck: a federation whose deck has a slide of its own
/// is told where its numbers part from the handouts'; the FOA module's decks do not part.
#[test]
fn a_federation_deck_whose_numbers_part_from_the_handouts_is_told() {
    let quiet = run(&["check", "--source", root().join("source").to_str().unwrap()]);
    assert_eq!(quiet.status.code(), Some(0), "{}", stderr(&quiet));
    let dir = temp_dir("slides-own-slide");
    let source = dir.join("source");
    common::copy_dir(&root().join("source"), &source);
    let session = source.join("01-pembukaan.md");
    let text = std::fs::read_to_string(&session).unwrap();
    // Before the session's first slide, at the start of its fence line.
    let at = text.find("{.slide").unwrap();
    let at = text[..at].rfind('\n').unwrap() + 1;
    let line = text[..at].lines().count() + 2;
    let own = "::: {.only federation=\"fspmi\"}\n::: {.slide title=\"Salam FSPMI\"}\n- Selamat datang\n:::\n:::\n\n";
    std::fs::write(&session, format!("{}{own}{}", &text[..at], &text[at..])).unwrap();
    let err = build_source(&source, &dir.join("out"), "handout");
    assert!(
        err.contains("warning: FSPMI's deck has 54 slides, the handouts show the publisher's 53: from slide 3 on"),
        "{err}"
    );
    assert!(err.contains(&format!("01-pembukaan.md:{line}:1")), "{err}");
    assert_eq!(err.matches("the decks part here").count(), 1, "{err}");
    let foa = run(&[
        "build",
        "--out",
        dir.join("foa").to_str().unwrap(),
        "--only",
        "handout",
    ]);
    assert_eq!(foa.status.code(), Some(0), "{}", stderr(&foa));
    assert!(!stderr(&foa).contains("the decks part"), "{}", stderr(&foa));
}

/// A federation whose overlay changes a slide's speaker notes (what `absorb` takes from its
/// facilitator copy) gets a notes handout of its own, with its notes on its branded deck's
/// pages, and the slide handouts, which show no notes, stay the publisher's alone; one whose
/// overlay changes a slide gets every handout of its own.
#[test]
fn a_federation_whose_overlay_changes_its_deck_gets_the_handouts_that_show_it() {
    if !have("pdftotext") {
        return;
    }
    let dir = temp_dir("slides-own-handout");
    let source = dir.join("source");
    common::copy_dir(&root().join("source"), &source);
    std::fs::create_dir_all(source.join("overlays")).unwrap();
    std::fs::write(
        source.join("overlays/spn.md"),
        "# Pembukaan dan Kontrak Belajar {#pembukaan}\n\n::: {.replace}\n::: {.canonical}\nBacakan tujuan ini dan hubungkan dengan kata kunci pengalaman yang muncul saat perkenalan. Misalnya: \"Tadi Bapak Ahmad menyebut mutasi pengurus; itu akan kita bahas pada Sesi 5.\" Tanyakan apakah ada tujuan penting yang menurut peserta belum tercantum.\n:::\nCATATAN SPN: bacakan tujuan ini pelan-pelan.\n:::\n",
    )
    .unwrap();
    let out = dir.join("out");
    let build = || build_source(&source, &out, "slides,handout");
    build();
    let mut handouts: Vec<String> = std::fs::read_dir(out.join("handouts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    handouts.sort();
    let mut expected: Vec<String> = HANDOUTS
        .iter()
        .map(|(n, _)| format!("foa-{n}.pdf"))
        .collect();
    expected.push("foa-spn-notes.pdf".into());
    expected.sort();
    assert_eq!(handouts, expected);
    let own = pdftotext(&out.join("handouts/foa-spn-notes.pdf"));
    assert!(
        own.contains("CATATAN SPN: bacakan tujuan ini pelan-pelan."),
        "{own}"
    );
    // Its deck's pages: the title slide names SPN.
    assert!(own.contains("Serikat Pekerja Nasional"));
    assert_eq!(
        pages(&out.join("handouts/foa-spn-notes.pdf")),
        pages(&out.join("handouts/foa-notes.pdf"))
    );
    assert!(!pdftotext(&out.join("handouts/foa-notes.pdf")).contains("CATATAN SPN"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["path"] == "handouts/foa-spn-notes.pdf")
        .unwrap();
    assert_eq!(entry["federation"], "spn");
    assert_eq!(entry["audience"], "facilitator");
    assert!(build().contains("built 0,"), "a second build is a no-op");

    // FSPMI's overlay changes a slide: every handout of its own, its deck made once for
    // them all (built alone, `--only handout`, its deck's pages are set by the handouts).
    std::fs::write(
        source.join("overlays/fspmi.md"),
        "# Pembukaan dan Kontrak Belajar {#pembukaan}\n\n::: {.replace}\n::: {.canonical}\nDua hari, sembilan sesi\n:::\nDua hari, sembilan sesi, di Batam\n:::\n",
    )
    .unwrap();
    let alone = dir.join("handouts-alone");
    build_source(&source, &alone, "handout");
    for (kind, _) in HANDOUTS {
        let own = pdftotext(&alone.join(format!("handouts/foa-fspmi-{kind}.pdf")));
        assert!(own.contains("Dua hari, sembilan sesi, di Batam"), "{kind}");
        let publishers = pdftotext(&alone.join(format!("handouts/foa-{kind}.pdf")));
        assert!(!publishers.contains("di Batam"), "{kind}");
    }
}
