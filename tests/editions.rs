//! `build --since`: two editions of a small module (`tests/fixtures/editions/v1` and `v2`: a
//! changed sentence, a word removed, a paragraph added, a list item removed, a table row
//! changed and one added, a heading renamed, a session added), their changes copies read by real programs
//! (pandoc accepting, rejecting and listing the tracked changes; LibreOffice; python-docx;
//! openxml-audit), the report's section, the cache, a git revision, bad input, and a
//! one-sentence change of the FOA module marked in all 16 changes copies.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{FEDERATIONS, have, have_python, openxml_audit, root, run_in, stderr, temp_dir};

fn fixture(v: &str) -> PathBuf {
    root().join("tests/fixtures/editions").join(v)
}

/// `modulpress ARGS` in the repository root; must succeed.
fn ok(args: &[&str]) -> String {
    let o = run_in(&root(), args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stderr(&o)
}

/// The arguments that make SPN's changes copies of `new` since `old` into `out`.
fn spn_changes<'a>(new: &'a Path, old: &'a Path, out: &'a Path) -> Vec<&'a str> {
    spn(new, old, out, "docx-changes")
}

/// The arguments that make SPN's outputs of the kinds `only` of `new` since `old` into
/// `out`.
fn spn<'a>(new: &'a Path, old: &'a Path, out: &'a Path, only: &'a str) -> Vec<&'a str> {
    vec![
        "--source",
        s(new),
        "--since",
        s(old),
        "--out",
        s(out),
        "--only",
        only,
        "--federation",
        "spn",
    ]
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A part of a DOCX package.
fn part(docx: &Path, name: &str) -> String {
    let bytes = std::fs::read(docx).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    z.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

fn pandoc(docx: &Path, track: &str, to: &str) -> String {
    let o = Command::new("pandoc")
        .args(["-f", "docx", &format!("--track-changes={track}"), "-t", to])
        .arg(docx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The words (letters and digits) of the body, from the last occurrence of the first
/// session's heading on (the contents list it first): what the sessions say, list markers
/// and table rulings aside.
fn body_words(text: &str, first_heading: &str) -> Vec<String> {
    let at = text
        .rfind(first_heading)
        .expect("the first session's heading");
    text[at..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The paragraphs (`w:p`) of a document that hold a tracked change, as their text.
fn changed_paragraphs(document: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = document;
    while let Some(start) = rest.find("<w:p ").or_else(|| rest.find("<w:p>")) {
        let end = rest[start..]
            .find("</w:p>")
            .map_or(rest.len(), |e| start + e + 6);
        let p = &rest[start..end];
        if p.contains("<w:ins ") || p.contains("<w:del ") {
            let mut text = String::new();
            for piece in p.split('<').skip(1) {
                if let Some(t) = piece
                    .strip_prefix("w:t>")
                    .or_else(|| piece.strip_prefix("w:t xml:space=\"preserve\">"))
                    .or_else(|| piece.strip_prefix("w:delText>"))
                    .or_else(|| piece.strip_prefix("w:delText xml:space=\"preserve\">"))
                {
                    text.push_str(t);
                }
            }
            out.push(text);
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_changes_copy_accepts_to_the_new_edition_and_rejects_to_the_old() {
    let tmp = temp_dir("editions-fixture");
    let (new, old) = (tmp.join("new"), tmp.join("old"));
    let log = ok(&[
        "build",
        "--source",
        s(&fixture("v2")),
        "--since",
        s(&fixture("v1")),
        "--out",
        s(&new),
        "--only",
        "docx,docx-changes",
        "--federation",
        "spn",
    ]);
    assert!(!log.contains("identical"), "{log}");
    ok(&[
        "build",
        "--source",
        s(&fixture("v1")),
        "--out",
        s(&old),
        "--only",
        "docx",
        "--federation",
        "spn",
    ]);
    // The manifest lists each changes copy beside its copy.
    let manifest = std::fs::read_to_string(new.join("manifest.json")).unwrap();
    for a in ["participant", "facilitator"] {
        assert!(manifest.contains(&format!("\"docx/spn/edisi-{a}-changes.docx\"")));
    }
    let docs = |a: &str| {
        (
            new.join(format!("docx/spn/edisi-{a}-changes.docx")),
            new.join(format!("docx/spn/edisi-{a}.docx")),
            old.join(format!("docx/spn/edisi-{a}.docx")),
        )
    };
    let (changes, _, _) = docs("participant");
    let document = part(&changes, "word/document.xml");
    // Each change, word by word inside its paragraph, whole where a block came or went.
    let changed = changed_paragraphs(&document);
    for expected in [
        "Dasar hukum nasional",
        "Serikat pekerja buruh berhak berunding dengan pengusaha secara bebasbersama.",
        "Setiap pekerja berhak menjadi anggota serikat yang sangat kuat.",
        "Paragraf baru di edisi kedua.",
        "Pertemuan kedua",
        "28E ayat 3",
        "Sesi 3: Sesi Baru",
        "Isi sesi baru yang ditambahkan di edisi kedua.",
    ] {
        assert!(
            changed.iter().any(|p| p.contains(expected)),
            "no change `{expected}` in {changed:#?}"
        );
    }
    for unchanged in [
        "Paragraf ini tetap sama",
        "Pertemuan pertama",
        "Rencana aksi",
    ] {
        assert!(
            !changed.iter().any(|p| p.contains(unchanged)),
            "`{unchanged}` is marked: {changed:#?}"
        );
    }
    assert!(document.contains("<w:delText"));
    // The row added: its row, its paragraph mark and its text inserted.
    assert!(
        document
            .split("<w:trPr>")
            .skip(1)
            .any(|r| r[..r.find("</w:trPr>").unwrap()].contains("<w:ins ")),
        "no row marked inserted"
    );
    assert!(changed.iter().any(|p| p == "Mogok") && changed.iter().any(|p| p == "137"));
    // Every change has its own id.
    let ids: Vec<&str> = document
        .split("<w:ins w:id=\"")
        .chain(document.split("<w:del w:id=\""))
        .filter(|p| !p.starts_with('<'))
        .map(|p| &p[..p.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "w:id used twice");

    if have("pandoc") {
        for a in ["participant", "facilitator"] {
            let (changes, copy, before) = docs(a);
            let first = "Sesi 1: Hak Berserikat";
            assert_eq!(
                body_words(&pandoc(&changes, "accept", "plain"), first),
                body_words(&pandoc(&copy, "accept", "plain"), first),
                "{a}: Accept All is not the new edition"
            );
            assert_eq!(
                body_words(&pandoc(&changes, "reject", "plain"), first),
                body_words(&pandoc(&before, "accept", "plain"), first),
                "{a}: Reject All is not the old edition"
            );
            let all = pandoc(&changes, "all", "native");
            // Words and runs, and paragraph marks (`paragraph-insertion`).
            let ins = all.matches("insertion\"").count();
            let del = all.matches("deletion\"").count();
            assert!(
                all.contains("\"paragraph-insertion\"") && all.contains("\"paragraph-deletion\""),
                "{a}: no paragraph added or removed"
            );
            assert!(
                ins >= 8 && del >= 5,
                "{a}: {ins} insertions, {del} deletions"
            );
            assert_eq!(
                all.matches("\"Konfederasi Serikat Pekerja Contoh\"")
                    .count(),
                ins + del,
                "{a}: each change by the publisher"
            );
            assert_eq!(
                all.matches("\"2025-09-29T00:00:00Z\"").count(),
                ins + del,
                "{a}: each change on the new edition's date"
            );
        }
    }
    for a in ["participant", "facilitator"] {
        openxml_audit(&docs(a).0);
    }
    if have_python("docx", "python-docx") {
        let o = Command::new("python3")
            .args([
                "-c",
                "import sys, docx; d = docx.Document(sys.argv[1]); print(len(d.paragraphs))",
            ])
            .arg(&changes)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    if have("soffice") {
        let profile = temp_dir("editions-lo");
        let pdfs = temp_dir("editions-pdf");
        let o = Command::new("timeout")
            .arg("240")
            .arg("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(pdfs.path())
            .arg(&changes)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(pdfs.join("edisi-participant-changes.pdf").is_file());
    }
}

#[test]
fn the_report_lists_each_change_with_its_line() {
    let tmp = temp_dir("editions-report");
    let out = tmp.join("out");
    let (v1, v2) = (fixture("v1"), fixture("v2"));
    ok(&[&["build"][..], &spn(&v2, &v1, &out, "docx,docx-changes")].concat());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let c = &report["changes"];
    assert_eq!(c["edition"], "1");
    let sessions = c["sessions"].as_array().unwrap();
    let ids: Vec<&str> = sessions.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["hak", "baru"], "{c:#}");
    assert_eq!(sessions[1]["status"], "added");
    let hak: Vec<(String, String, String, Option<u64>)> = sessions[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ch| {
            (
                ch["change"].as_str().unwrap().to_string(),
                ch["block"].as_str().unwrap().to_string(),
                ch["text"].as_str().unwrap().to_string(),
                ch["line"].as_u64(),
            )
        })
        .collect();
    let has = |change: &str, block: &str, text: &str, line: u64| {
        assert!(
            hak.iter()
                .any(|h| h.0 == change && h.1 == block && h.2.contains(text) && h.3 == Some(line)),
            "no {change} {block} `{text}` at line {line} in {hak:#?}"
        )
    };
    has("changed", "heading", "Dasar hukum nasional", 3);
    has("changed", "paragraph", "Serikat buruh", 5);
    has("changed", "paragraph", "yang kuat", 7);
    has("added", "paragraph", "Paragraf baru", 11);
    has("added", "picture", "Alur perundingan", 13);
    // A removed item's line is in the old edition.
    has("removed", "list item", "Pertemuan kedua", 12);
    has("changed", "table row", "28E ayat 3", 21);
    has("added", "table row", "Mogok | 137", 22);
    assert_eq!(hak.len(), 8, "{hak:#?}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Changes since edition 1"));
}

/// A booklet built with `--since` is the same file without it: a build without `--since`
/// finds it current (and says so in `list`), and its report entry loses the changed pages.
#[test]
fn a_booklet_built_since_an_edition_is_current_without_it() {
    let tmp = temp_dir("editions-since-off");
    let out = tmp.join("out");
    let (v1, v2) = (fixture("v1"), fixture("v2"));
    let with = spn(&v2, &v1, &out, "booklet");
    let line = ok(&[&["build"][..], &with].concat());
    assert!(line.contains("built 2, current 0"), "{line}");
    let report = |out: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
    };
    let booklet_since =
        |r: &serde_json::Value| r["changes"]["booklets"].as_array().map_or(0, Vec::len);
    assert_eq!(booklet_since(&report(&out)), 2, "{}", report(&out));
    let pdf = out.join("booklet/edisi-participant.pdf");
    let before = std::fs::read(&pdf).unwrap();
    let without = ["--source", s(&v2), "--out", s(&out), "--only", "booklet"];
    let listed = run_in(&root(), &[&["list"][..], &without].concat());
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(!listed.contains("rebuild"), "{listed}");
    let line = ok(&[&["build"][..], &without].concat());
    assert!(line.contains("built 0, current 2"), "{line}");
    assert_eq!(booklet_since(&report(&out)), 0, "{}", report(&out));
    assert!(report(&out)["changes"].is_null());
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        before,
        "the booklet as it was"
    );
    // With `--since` again, the pages are compared again.
    let line = ok(&[&["build"][..], &with].concat());
    assert!(line.contains("built 2, current 0"), "{line}");
    assert_eq!(booklet_since(&report(&out)), 2);
}

#[test]
fn the_changes_copies_are_rebuilt_when_either_edition_changes() {
    let tmp = temp_dir("editions-cache");
    let (old, new, out) = (tmp.join("old"), tmp.join("new"), tmp.join("out"));
    common::copy_dir(&fixture("v1"), &old);
    common::copy_dir(&fixture("v2"), &new);
    let args = spn(&new, &old, &out, "docx,docx-changes");
    let build = || ok(&[&["build"][..], &args].concat());
    assert!(build().contains("built 4, current 0"));
    assert!(build().contains("built 0, current 4"));
    // The old edition changed: only the changes copies.
    let f = old.join("02-aksi.md");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replace("bersama untuk", "bersama bagi")).unwrap();
    let o = run_in(&root(), &[&["list"][..], &args].concat());
    let listing = String::from_utf8_lossy(&o.stdout);
    assert!(
        listing.contains("the earlier edition changed: 02-aksi.md"),
        "{listing}"
    );
    assert!(build().contains("built 2, current 2"));
    // The new edition changed: both.
    let f = new.join("02-aksi.md");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replace("Rencana", "Rancangan")).unwrap();
    assert!(build().contains("built 4, current 0"));
    // Without --since nothing compares: the copies are current, the report says no change.
    assert!(
        ok(&[
            "build",
            "--source",
            s(&new),
            "--out",
            s(&out),
            "--only",
            "docx",
            "--federation",
            "spn",
        ])
        .contains("built 0, current 2")
    );
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert!(!report.contains("\"changes\""));
}

#[test]
fn a_git_revision_reads_like_its_folder() {
    if !have("git") {
        return;
    }
    let tmp = temp_dir("editions-git");
    let repo = tmp.join("repo");
    let module = repo.join("kursus");
    common::copy_dir(&fixture("v1"), &module);
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "edisi 1"]);
    git(&["tag", "v1"]);
    std::fs::remove_dir_all(&module).unwrap();
    common::copy_dir(&fixture("v2"), &module);
    let (by_git, by_folder) = (tmp.join("git"), tmp.join("folder"));
    let args = |since: &str, out: &Path| {
        vec![
            "build".to_string(),
            "--source".into(),
            s(&module).into(),
            "--since".into(),
            since.into(),
            "--out".into(),
            s(out).into(),
            "--only".into(),
            "docx-changes".into(),
            "--federation".into(),
            "spn".into(),
        ]
    };
    let run = |a: Vec<String>| ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    run(args("git:v1", &by_git));
    run(args(s(&fixture("v1")), &by_folder));
    for a in ["participant", "facilitator"] {
        let file = format!("docx/spn/edisi-{a}-changes.docx");
        assert_eq!(
            std::fs::read(by_git.join(&file)).unwrap(),
            std::fs::read(by_folder.join(&file)).unwrap(),
            "{file}"
        );
    }
    // A revision that does not exist is named.
    let o = run_in(
        &root(),
        &args("git:v9", &tmp.join("x"))
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the git revision `v9`"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.join("x/manifest.json").exists());
}

#[test]
fn bad_earlier_editions_are_clear_errors() {
    let tmp = temp_dir("editions-bad");
    let out = tmp.join("out");
    let try_since = |since: &Path| {
        run_in(
            &root(),
            &[
                "build",
                "--source",
                s(&fixture("v2")),
                "--since",
                s(since),
                "--out",
                s(&out),
            ],
        )
    };
    // Not a module.
    let o = try_since(&root().join("tests/fixtures"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a module folder"),
        "{}",
        stderr(&o)
    );
    // Another module: both ids named.
    let o = try_since(&root().join("tests/fixtures/tables"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is the module `tabel`, not `edisi`"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "a failed --since wrote something");
    // Identical: said once, and the changes copies hold no change.
    let v2 = fixture("v2");
    let o = run_in(
        &root(),
        &[&["build"][..], &spn_changes(&v2, &v2, &out)].concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("identical").count(), 1, "{}", stderr(&o));
    let document = part(
        &out.join("docx/spn/edisi-participant-changes.docx"),
        "word/document.xml",
    );
    assert!(!document.contains("<w:ins ") && !document.contains("<w:del "));
}

/// The FOA module with one sentence of session 4 changed: each of the 16 changes copies
/// marks exactly that paragraph.
#[test]
fn a_one_sentence_change_marks_that_paragraph_in_every_copy() {
    let tmp = temp_dir("editions-foa");
    let new = tmp.join("source");
    common::copy_dir(&root().join("source"), &new);
    let f = new.join("04-hukum-nasional.md");
    let text = std::fs::read_to_string(&f).unwrap();
    let edited = text.replace(
        "hukum tertinggi di negara kita",
        "hukum dasar tertinggi negara kita",
    );
    assert_ne!(text, edited);
    std::fs::write(&f, edited).unwrap();
    let out = tmp.join("out");
    ok(&[
        "build",
        "--source",
        s(&new),
        "--since",
        "source",
        "--out",
        s(&out),
        "--only",
        "docx-changes",
    ]);
    let mut n = 0;
    for fed in FEDERATIONS {
        for a in ["participant", "facilitator"] {
            let docx = out.join(format!("docx/{fed}/foa-{a}-changes.docx"));
            let changed = changed_paragraphs(&part(&docx, "word/document.xml"));
            assert_eq!(changed.len(), 1, "{}: {changed:#?}", docx.display());
            assert!(
                changed[0].contains("hukum dasar tertinggi di negara kita"),
                "{}: {changed:#?}",
                docx.display()
            );
            n += 1;
        }
    }
    assert_eq!(n, 16);
}

/// A federation's overlay is no change of the publisher's: its copy shows the overlay's
/// text, unmarked, and the module's changes, marked, whether the earlier edition has the
/// same overlay or none (the federation's edits absorbed after it was made, the usual way:
/// `--since git:v1` tagged before).
#[test]
fn an_overlay_shows_no_change() {
    for earlier_has_it in [true, false] {
        overlay_shows_no_change(earlier_has_it);
    }
}

fn overlay_shows_no_change(earlier_has_it: bool) {
    let tmp = temp_dir(if earlier_has_it {
        "editions-overlay-both"
    } else {
        "editions-overlay-new"
    });
    let (old, new, out) = (tmp.join("old"), tmp.join("new"), tmp.join("out"));
    common::copy_dir(&fixture("v1"), &old);
    common::copy_dir(&fixture("v2"), &new);
    let overlay = "# Hak Berserikat {#hak}\n\n::: {.replace}\n::: {.canonical}\nParagraf ini tetap sama di kedua edisi.\n:::\nTeks SPN untuk paragraf ini.\n:::\n\n# Aksi Bersama {#aksi}\n\n::: {.after}\n::: {.canonical}\nRencana aksi bersama untuk setiap serikat.\n:::\nTambahan dari SPN.\n:::\n";
    let with_overlay = if earlier_has_it {
        vec![&old, &new]
    } else {
        vec![&new]
    };
    for dir in with_overlay {
        std::fs::create_dir_all(dir.join("overlays")).unwrap();
        std::fs::write(dir.join("overlays/spn.md"), overlay).unwrap();
    }
    ok(&[&["build"][..], &spn_changes(&new, &old, &out)].concat());
    let document = part(
        &out.join("docx/spn/edisi-participant-changes.docx"),
        "word/document.xml",
    );
    assert!(document.contains("Teks SPN untuk paragraf ini."));
    assert!(document.contains("Tambahan dari SPN."));
    let changed = changed_paragraphs(&document);
    assert!(
        !changed.iter().any(|p| p.contains("SPN")),
        "the overlay is marked: {changed:#?}"
    );
    assert!(changed.iter().any(|p| p.contains("buruh")), "{changed:#?}");
}

/// A conflict resolved since the earlier edition: the current entry is made against this
/// edition's text, and the earlier edition's own entry for that block stands for it there,
/// so that only the publisher's words are marked, not the federation's.
#[test]
fn a_resolved_conflict_marks_only_the_publishers_words() {
    let tmp = temp_dir("editions-resolved");
    let (old, new, out) = (tmp.join("old"), tmp.join("new"), tmp.join("out"));
    common::copy_dir(&fixture("v1"), &old);
    common::copy_dir(&fixture("v2"), &new);
    let entry = |canonical: &str, text: &str| {
        format!(
            "# Hak Berserikat {{#hak}}\n\n::: {{.replace}}\n::: {{.canonical}}\n{canonical}\n:::\n{text}\n:::\n"
        )
    };
    let write = |dir: &Path, text: String| {
        std::fs::create_dir_all(dir.join("overlays")).unwrap();
        std::fs::write(dir.join("overlays/spn.md"), text).unwrap();
    };
    // SPN's word "sendiri", against each edition's text.
    write(
        &old,
        entry(
            "Serikat pekerja berhak berunding dengan pengusaha secara bebas.",
            "Serikat pekerja sendiri berhak berunding dengan pengusaha secara bebas.",
        ),
    );
    write(
        &new,
        entry(
            "Serikat buruh berhak berunding dengan pengusaha secara bersama.",
            "Serikat buruh sendiri berhak berunding dengan pengusaha secara bersama.",
        ),
    );
    ok(&[&["build"][..], &spn_changes(&new, &old, &out)].concat());
    let document = part(
        &out.join("docx/spn/edisi-participant-changes.docx"),
        "word/document.xml",
    );
    let changed = changed_paragraphs(&document);
    let line = changed
        .iter()
        .find(|p| p.contains("berunding"))
        .unwrap_or_else(|| panic!("{changed:#?}"));
    assert!(line.contains("sendiri"), "{line}");
    let marked = pandoc(
        &out.join("docx/spn/edisi-participant-changes.docx"),
        "all",
        "markdown",
    );
    assert!(!marked.contains("[sendiri]{.insertion"), "{marked}");
    assert!(marked.contains("{.insertion"), "{marked}");
}

/// `watch --since`: the earlier edition is read once; each save of the module rebuilds its
/// changes copies, which then mark the new edit too.
#[test]
fn watch_since_rebuilds_the_changes_copies_on_each_save() {
    let tmp = temp_dir("editions-watch");
    let (new, out) = (tmp.join("new"), tmp.join("out"));
    common::copy_dir(&fixture("v2"), &new);
    let old = fixture("v1");
    let mut watch = common::watch::Watch::start(&root(), &spn_changes(&new, &old, &out));
    let built = watch.wait_for("built ");
    assert!(built.contains("built 2, current 0"), "{built}");
    watch.wait_for("watching ");
    let copy = out.join("docx/spn/edisi-participant-changes.docx");
    let before = part(&copy, "word/document.xml");
    assert!(!before.contains("Serikat pekerja sedunia"));
    let f = new.join("02-aksi.md");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{text}\nSerikat pekerja sedunia.\n")).unwrap();
    let line = watch.wait_for("rebuilt ");
    assert!(line.starts_with("rebuilt 2 of 2 outputs"), "{line}");
    watch.stop();
    let after = part(&copy, "word/document.xml");
    assert!(after.contains("Serikat pekerja sedunia"));
    // The new paragraph is an insertion: accepted it is there, rejected it is not.
    if have("pandoc") {
        let accepted = pandoc(&copy, "accept", "plain");
        let rejected = pandoc(&copy, "reject", "plain");
        assert!(accepted.contains("Serikat pekerja sedunia"), "{accepted}");
        assert!(!rejected.contains("Serikat pekerja sedunia"), "{rejected}");
    }
}

/// The changes copies asked for without an earlier edition: alone, a usage error that says
/// what they need; beside other kinds, a warning and the others built.
#[test]
fn docx_changes_without_since_says_what_it_needs() {
    let tmp = temp_dir("editions-no-since");
    let out = tmp.join("out");
    let args = |only: &'static str| {
        vec![
            "build".to_string(),
            "--source".into(),
            s(&fixture("v2")).into(),
            "--out".into(),
            s(&out).into(),
            "--only".into(),
            only.into(),
            "--federation".into(),
            "spn".into(),
        ]
    };
    let run = |only: &'static str| {
        let a = args(only);
        run_in(&root(), &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let o = run("docx-changes");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`--only docx-changes` makes nothing without `--since OLD`"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    let o = run("docx,docx-changes");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: `--only docx-changes` makes nothing"));
    assert!(out.join("docx/spn/edisi-participant.docx").is_file());
}
