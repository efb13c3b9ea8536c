//! The batch through the real binary: the cache (`list`, no-op rebuilds, hand-edited and
//! corrupt files), the lock under concurrent builds, watch mode, and identical outputs
//! across thread counts and cached builds.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::outputs::{listing, manifest_problems, open_problems, temp_files};
use common::watch::Watch;
use common::{TempDir, copy_dir, root, stderr, temp_dir};

/// A copy of the FOA module and of the layouts, to edit, in a folder removed when the first
/// value is dropped; and the output folder's path.
fn module_copy(name: &str) -> (TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = temp_dir(name);
    copy_dir(&root().join("source"), &dir.join("source"));
    copy_dir(&root().join("layouts"), &dir.join("layouts"));
    let paths = (dir.join("source"), dir.join("layouts"), dir.join("out"));
    (dir, paths.0, paths.1, paths.2)
}

fn modulpress(command: &str, source: &Path, layouts: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modulpress"));
    c.arg(command)
        .arg("--source")
        .arg(source)
        .arg("--layouts")
        .arg(layouts)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1");
    c
}

fn build(source: &Path, layouts: &Path, out: &Path, extra: &[&str]) -> String {
    let o = modulpress("build", source, layouts, out, extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "build fails:\n{}", stderr(&o));
    stderr(&o)
}

/// `list`: each output path with its state (`current` or `rebuild: why`).
fn list(source: &Path, layouts: &Path, out: &Path) -> BTreeMap<String, String> {
    let o = modulpress("list", source, layouts, out, &[])
        .output()
        .unwrap();
    assert!(o.status.success(), "list fails:\n{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|line| {
            let (path, state) = line.split_once("  ")?;
            (!path.contains(' ')).then(|| (path.to_string(), state.trim().to_string()))
        })
        .collect()
}

/// The outputs `list` would rebuild, with the reason of one of them.
fn to_rebuild(listed: &BTreeMap<String, String>) -> (BTreeSet<String>, BTreeSet<String>) {
    let paths = listed
        .iter()
        .filter(|(_, s)| *s != "current")
        .map(|(p, _)| p.clone())
        .collect();
    let why = listed
        .values()
        .filter_map(|s| s.strip_prefix("rebuild: "))
        .map(str::to_string)
        .collect();
    (paths, why)
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

/// The federation ids of the shipped layouts.
fn federations() -> Vec<String> {
    std::fs::read_dir(root().join("layouts/federations"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect()
}

/// The facilitator booklet, its imposed edition and every federation's facilitator DOCX.
fn facilitator_outputs() -> BTreeSet<String> {
    let mut s = set(&[
        "booklet/foa-facilitator.pdf",
        "booklet/foa-facilitator-imposed-a4.pdf",
    ]);
    for fed in federations() {
        s.insert(format!("docx/{fed}/foa-facilitator.docx"));
    }
    s
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` is in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// After a build everything is current; after each kind of edit, exactly the outputs that
/// show it are rebuilt, and the reason names the file.
#[test]
fn list_names_exactly_the_outputs_an_edit_touches() {
    let (_dir, source, layouts, out) = module_copy("batch-list");
    // A picture in a facilitator-only block.
    std::fs::copy(
        source.join("images/langkah-mogok.svg"),
        source.join("images/catatan.svg"),
    )
    .unwrap();
    let session = source.join("01-pembukaan.md");
    let mut text = std::fs::read_to_string(&session).unwrap();
    text.push_str("\n::: facilitator\nCatatan untuk fasilitator.\n\n![Catatan](images/catatan.svg){width=40%}\n:::\n");
    std::fs::write(&session, text).unwrap();
    build(&source, &layouts, &out, &["--quiet"]);
    let listed = list(&source, &layouts, &out);
    assert_eq!(listed.len(), 53, "every output is listed: {listed:?}");
    assert!(
        listed.values().all(|s| s == "current"),
        "all current after a build: {listed:?}"
    );

    let name = session.file_name().unwrap().to_string_lossy().into_owned();
    edit(
        &session,
        "Catatan untuk fasilitator.",
        "Catatan baru untuk fasilitator.",
    );
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    assert_eq!(paths, facilitator_outputs(), "a facilitator block");
    assert_eq!(why, set(&[&format!("source changed: {name}")]));
    build(&source, &layouts, &out, &["--quiet"]);

    // A word in a paragraph every document shows, on no slide: the decks and handouts stay.
    edit(
        &source.join("04-hukum-nasional.md"),
        "Kebebasan berserikat dijamin oleh konstitusi",
        "Kebebasan berserikat dijamin oleh Konstitusi",
    );
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    let mut documents = facilitator_outputs();
    documents.extend(
        facilitator_outputs()
            .iter()
            .map(|p| p.replace("facilitator", "participant")),
    );
    assert_eq!(paths, documents, "a paragraph off the slides");
    assert_eq!(why, set(&["source changed: 04-hukum-nasional.md"]));
    build(&source, &layouts, &out, &["--quiet"]);

    // A slide's speaker notes: the facilitator's outputs, every presenter file and PPTX
    // deck, and the notes handout; not the decks' PDFs nor the handouts without notes.
    edit(
        &source.join("02-pengertian.md"),
        "bercerita singkat",
        "bercerita dengan singkat",
    );
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    let mut shows_notes = facilitator_outputs();
    shows_notes.insert("handouts/foa-notes.pdf".to_string());
    for deck in
        std::iter::once("foa".to_string()).chain(federations().iter().map(|f| format!("foa-{f}")))
    {
        shows_notes.insert(format!("slides/{deck}.pdfpc"));
        shows_notes.insert(format!("slides/{deck}.pptx"));
    }
    assert_eq!(paths, shows_notes, "a speaker note");
    assert_eq!(why, set(&["source changed: 02-pengertian.md"]));
    build(&source, &layouts, &out, &["--quiet"]);
    // What stayed current is what a build from scratch makes.
    let kept = [
        "slides/foa.pdf",
        "slides/foa-spn.pdf",
        "handouts/foa-3up.pdf",
    ];
    let before: Vec<Vec<u8>> = kept
        .iter()
        .map(|p| std::fs::read(out.join(p)).unwrap())
        .collect();
    build(
        &source,
        &layouts,
        &out,
        &["--quiet", "--force", "--only", "slides,handout"],
    );
    for (path, bytes) in kept.iter().zip(&before) {
        assert!(
            std::fs::read(out.join(path)).unwrap() == *bytes,
            "{path} is what a new build makes"
        );
    }
    // A designer's slide template may show the notes on a slide: then every deck and
    // handout shows them.
    let slides_typ = layouts.join("slides.typ");
    let mut typ = std::fs::read_to_string(&slides_typ).unwrap();
    typ.push_str("\n// A designer's note.\n");
    std::fs::write(&slides_typ, typ).unwrap();
    build(&source, &layouts, &out, &["--quiet"]);
    edit(
        &source.join("02-pengertian.md"),
        "bercerita dengan singkat",
        "bercerita singkat",
    );
    let (paths, _) = to_rebuild(&list(&source, &layouts, &out));
    assert!(
        paths.contains("slides/foa.pdf") && paths.contains("handouts/foa-3up.pdf"),
        "a designer's template: {paths:?}"
    );
    build(&source, &layouts, &out, &["--quiet"]);

    edit(
        &source.join("images/catatan.svg"),
        "<svg",
        "<svg data-edit=\"1\"",
    );
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    assert_eq!(paths, facilitator_outputs(), "a picture");
    assert_eq!(why, set(&["source changed: images/catatan.svg"]));
    build(&source, &layouts, &out, &["--quiet"]);

    edit(
        &layouts.join("federations/spn.toml"),
        "Serikat Pekerja Nasional",
        "Serikat Pekerja Nasional (SPN)",
    );
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    assert_eq!(
        paths,
        set(&[
            "docx/spn/foa-facilitator.docx",
            "docx/spn/foa-participant.docx",
            "slides/foa-spn.pdf",
            "slides/foa-spn.pdfpc",
            "slides/foa-spn.pptx",
        ]),
        "a federation profile"
    );
    assert_eq!(why, set(&["layouts changed: federations/spn.toml"]));
    build(&source, &layouts, &out, &["--quiet"]);

    let template = layouts.join("booklet.typ");
    let mut typ = std::fs::read_to_string(&template).unwrap();
    typ.push_str("\n// A designer's note.\n");
    std::fs::write(&template, typ).unwrap();
    let (paths, why) = to_rebuild(&list(&source, &layouts, &out));
    assert_eq!(
        paths,
        set(&[
            "booklet/foa-facilitator.pdf",
            "booklet/foa-facilitator-imposed-a4.pdf",
            "booklet/foa-participant.pdf",
            "booklet/foa-participant-imposed-a4.pdf",
        ]),
        "a template"
    );
    assert_eq!(why, set(&["layouts changed: booklet.typ"]));

    let forced = modulpress("list", &source, &layouts, &out, &["--force"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&forced.stdout).contains("rebuild: forced"),
        "--force"
    );
}

/// Modification times of every file under `dir`.
/// A booklet built with `--only booklet` after an edit stays current in the next whole
/// build: only its imposed edition is made, from the booklet laid out again, and the
/// booklet's file is not written again.
#[test]
fn a_booklet_built_alone_is_current_beside_its_stale_imposed_edition() {
    let (_dir, source, layouts, out) = module_copy("booklet-alone");
    build(&source, &layouts, &out, &["--quiet"]);
    edit(
        &source.join("01-pembukaan.md"),
        "Selamat datang di pelatihan",
        "Selamat datang kembali di pelatihan",
    );
    build(&source, &layouts, &out, &["--only", "booklet", "--quiet"]);
    let booklet = out.join("booklet/foa-participant.pdf");
    let written = std::fs::metadata(&booklet).unwrap().modified().unwrap();
    let listed = list(&source, &layouts, &out);
    assert_eq!(listed["booklet/foa-participant.pdf"], "current");
    assert_eq!(listed["booklet/foa-facilitator.pdf"], "current");
    assert_eq!(
        listed["booklet/foa-participant-imposed-a4.pdf"],
        "rebuild: source changed: 01-pembukaan.md"
    );
    let said = build(&source, &layouts, &out, &[]);
    let built = |file: &str| {
        said.lines().any(|l| {
            l.trim_start().starts_with("built ") && l.contains(&format!("/booklet/{file} ("))
        })
    };
    assert!(!built("foa-participant.pdf"), "{said}");
    assert!(built("foa-participant-imposed-a4.pdf"), "{said}");
    assert_eq!(
        std::fs::metadata(&booklet).unwrap().modified().unwrap(),
        written
    );
    // The imposed edition is the one a whole build makes.
    let fresh = out.with_file_name("fresh");
    build(&source, &layouts, &fresh, &["--quiet"]);
    let same_imposed = |how: &str| {
        for f in [
            "foa-participant-imposed-a4.pdf",
            "foa-facilitator-imposed-a4.pdf",
        ] {
            assert_eq!(
                std::fs::read(out.join("booklet").join(f)).unwrap(),
                std::fs::read(fresh.join("booklet").join(f)).unwrap(),
                "{f}, {how}"
            );
        }
    };
    same_imposed("made beside its current booklet");
    assert!(to_rebuild(&list(&source, &layouts, &out)).0.is_empty());
    // `--only imposed` after `--only booklet`: made from the current booklets' files, the
    // same editions again.
    edit(
        &source.join("01-pembukaan.md"),
        "Selamat datang kembali di pelatihan",
        "Selamat datang lagi di pelatihan",
    );
    build(&source, &layouts, &out, &["--only", "booklet", "--quiet"]);
    build(&source, &layouts, &out, &["--only", "imposed", "--quiet"]);
    std::fs::remove_dir_all(&fresh).unwrap();
    build(
        &source,
        &layouts,
        &fresh,
        &["--only", "booklet,imposed", "--quiet"],
    );
    same_imposed("made alone");
}

fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    listing(dir)
        .into_keys()
        .map(|p| {
            let t = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
            (p, t)
        })
        .collect()
}

/// A rebuild with nothing changed writes nothing; an output edited or deleted by hand is
/// rebuilt; a corrupt cache is a warning and a full build.
#[test]
fn the_cache_keeps_what_is_current_and_rebuilds_what_is_not() {
    let (_dir, source, layouts, out) = module_copy("batch-noop");
    let only = ["--only", "docx,booklet"];
    let first = build(&source, &layouts, &out, &only);
    assert!(first.contains("built 18, current 0, failed 0"), "{first}");
    let before = mtimes(&out);
    let files_before = listing(&out);
    std::thread::sleep(Duration::from_millis(20));
    let again = build(&source, &layouts, &out, &only);
    assert!(again.contains("built 0, current 18, failed 0"), "{again}");
    assert_eq!(mtimes(&out), before, "a no-op rebuild writes nothing");
    assert_eq!(listing(&out), files_before);

    // The manifest removed by hand: written again, the outputs left alone.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    let records = build(&source, &layouts, &out, &only);
    assert!(records.contains("built 0, current 18"), "{records}");
    assert!(
        manifest_problems(&out).is_empty(),
        "{:?}",
        manifest_problems(&out)
    );
    let outputs_mtimes = |m: BTreeMap<String, std::time::SystemTime>| -> Vec<_> {
        m.into_iter()
            .filter(|(p, _)| p.starts_with("booklet/") || p.starts_with("docx/"))
            .collect()
    };
    assert_eq!(outputs_mtimes(mtimes(&out)), outputs_mtimes(before.clone()));

    // Edited and deleted by hand.
    let docx = out.join("docx/spn/foa-participant.docx");
    std::fs::write(&docx, b"not a docx any more").unwrap();
    std::fs::remove_file(out.join("booklet/foa-participant.pdf")).unwrap();
    let listed = list(&source, &layouts, &out);
    assert_eq!(
        listed["docx/spn/foa-participant.docx"],
        "rebuild: docx/spn/foa-participant.docx was changed outside modulpress"
    );
    assert_eq!(listed["booklet/foa-participant.pdf"], "rebuild: missing");
    let repaired = build(&source, &layouts, &out, &only);
    assert!(repaired.contains("built 2, current 16"), "{repaired}");
    assert_eq!(
        listing(&out)["docx/spn/foa-participant.docx"],
        files_before["docx/spn/foa-participant.docx"]
    );
    // The changed file is kept beside it, and said so with what to do with it.
    let kept = out.join("docx/spn/foa-participant-edited.docx");
    assert_eq!(std::fs::read(&kept).unwrap(), b"not a docx any more");
    assert!(
        repaired.contains("foa-participant.docx was changed since modulpress made it")
            && repaired.contains("kept as"),
        "{repaired}"
    );
    // The command it suggests names the folders this build read: run as given, it reads
    // the kept copy (here no Word file, so absorb refuses it, as what it is).
    let command = repaired
        .split("`modulpress absorb ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no absorb command in {repaired}"));
    assert!(
        command.starts_with(&format!(
            "--source {} --layouts {} --federation spn ",
            source.display(),
            layouts.display()
        )),
        "{command}"
    );
    let absorbed = Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .arg("absorb")
        .args(command.split(' '))
        .output()
        .unwrap();
    assert!(
        stderr(&absorbed).contains("foa-participant-edited.docx"),
        "{}",
        stderr(&absorbed)
    );
    assert!(!stderr(&absorbed).contains("no module folder"));
    // The report says so too (read by whoever did not see the warning: a `--quiet` build).
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let entry = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["path"] == "docx/spn/foa-participant.docx")
        .unwrap();
    assert_eq!(entry["set_aside"], "docx/spn/foa-participant-edited.docx");
    std::fs::remove_file(&kept).unwrap();
    assert!(
        manifest_problems(&out).is_empty(),
        "{:?}",
        manifest_problems(&out)
    );

    // A corrupt cache: a warning, everything rebuilt, the same files.
    std::fs::write(
        out.join(".modulpress/cache.json"),
        b"{\"format\": 1, \"outp",
    )
    .unwrap();
    let rebuilt = build(&source, &layouts, &out, &only);
    assert!(
        rebuilt.contains("warning: the build cache") && rebuilt.contains("cannot be read"),
        "{rebuilt}"
    );
    assert!(rebuilt.contains("built 18, current 0"), "{rebuilt}");
    let outputs = |l: BTreeMap<String, String>| -> BTreeMap<String, String> {
        l.into_iter()
            .filter(|(p, _)| p.starts_with("booklet/") || p.starts_with("docx/"))
            .collect()
    };
    assert_eq!(outputs(listing(&out)), outputs(files_before));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for e in manifest["outputs"].as_array().unwrap() {
        assert_eq!(e["status"], "built", "{e}");
        assert!(
            e["cache_key"].as_str().is_some_and(|k| k.len() == 64),
            "{e}"
        );
        assert!(e["build_ms"].as_u64().is_some(), "{e}");
    }
    assert!(manifest["source_sha256"].as_str().is_some());
}

/// Two builds into one folder at once, for different federations: the second waits for
/// the first; every file is whole and the manifest lists both.
#[test]
fn concurrent_builds_into_one_folder_never_interleave() {
    let out = temp_dir("batch-concurrent");
    let start = |fed: &str| {
        Command::new(env!("CARGO_BIN_EXE_modulpress"))
            .args([
                "build",
                "--only",
                "docx",
                "--force",
                "--federation",
                fed,
                "--out",
            ])
            .arg(&out)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut waited = 0;
    for round in 0..30 {
        let a = start("spn");
        let b = start("sbpi");
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert!(o.status.success(), "round {round}: {err}");
            if err.contains("waiting for another modulpress") {
                waited += 1;
            }
        }
        assert!(
            temp_files(&out).is_empty(),
            "round {round}: {:?}",
            temp_files(&out)
        );
        assert!(
            manifest_problems(&out).is_empty(),
            "round {round}: {:?}",
            manifest_problems(&out)
        );
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        for fed in ["spn", "sbpi"] {
            for a in ["participant", "facilitator"] {
                let path = format!("docx/{fed}/foa-{a}.docx");
                assert!(manifest.contains(&path), "round {round}: {path} listed");
            }
        }
    }
    assert!(waited > 0, "at least one build had to wait for the other");
    assert!(open_problems(&out).is_empty(), "{:?}", open_problems(&out));
    // With --no-wait a busy folder is a usage error.
    let slow = start("spn");
    std::thread::sleep(Duration::from_millis(30));
    let quick = Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .args(["build", "--only", "docx", "--force", "--no-wait", "--out"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    let slow = slow.wait_with_output().unwrap();
    assert!(slow.status.success());
    if quick.status.code() == Some(2) {
        assert!(
            stderr(&quick).contains("another modulpress is writing"),
            "{}",
            stderr(&quick)
        );
    } else {
        // The first build had not taken the lock yet, or was done already.
        assert!(quick.status.success(), "{}", stderr(&quick));
    }
}

/// `watch` builds, rebuilds after a save with one line, survives an input error, and stops
/// on Ctrl-C with exit 0.
#[test]
fn watch_rebuilds_after_a_save() {
    let (_dir, source, layouts, out) = module_copy("batch-watch");
    let mut w = watch(
        &source,
        &layouts,
        &out,
        &["--only", "docx", "--federation", "spn"],
    );
    assert!(w.wait_for("built ").contains("built 2, current 0"));
    w.wait_for("watching ");
    let docx = out.join("docx/spn/foa-facilitator.docx");
    let before = std::fs::read(&docx).unwrap();
    edit(
        &source.join("01-pembukaan.md"),
        "::: facilitator\n",
        "::: facilitator\nKata baru.\n",
    );
    let line = w.wait_for("rebuilt ");
    assert!(line.starts_with("rebuilt 1 of 2 outputs"), "{line}");
    assert!(line.contains("(changed: 01-pembukaan.md)"), "{line}");
    assert_ne!(
        std::fs::read(&docx).unwrap(),
        before,
        "the DOCX was rebuilt"
    );
    // An input error: reported, and the watch goes on.
    edit(
        &source.join("01-pembukaan.md"),
        "::: facilitator\n",
        "::: fasilitator\n",
    );
    let line = w.wait_for("waiting ");
    assert!(
        w.seen.iter().any(|l| l.contains("unknown block class")),
        "{:?}",
        w.seen
    );
    assert!(line.contains("01-pembukaan.md"), "{line}");
    edit(
        &source.join("01-pembukaan.md"),
        "::: fasilitator\n",
        "::: facilitator\n",
    );
    w.wait_for("rebuilt ");
    w.stop();
    assert!(temp_files(&out).is_empty());
}

/// In `watch`, a warning that stands again after a save is one line, not shown whole again
/// with its source lines.
#[test]
fn watch_tells_a_warning_shown_before_in_one_line() {
    let (_dir, source, layouts, out) = module_copy("batch-watch-repeats");
    let bullets: String = (1..8)
        .map(|k| format!("- Butir tambahan nomor {k} yang cukup panjang untuk mengisi slide ini\n"))
        .collect();
    edit(
        &source.join("01-pembukaan.md"),
        ":::: {.slide title=\"Selamat Datang\"}\n",
        &format!(":::: {{.slide title=\"Selamat Datang\"}}\n{bullets}"),
    );
    let mut w = watch(
        &source,
        &layouts,
        &out,
        &["--only", "slides", "--federation", "spn"],
    );
    w.wait_for("watching ");
    let long = "slide 3 (`Selamat Datang`) is long";
    let whole = |w: &Watch| {
        w.seen
            .iter()
            .filter(|l| l.starts_with("warning: ") && l.contains(long))
            .count()
    };
    assert_eq!(whole(&w), 1, "{:?}", w.seen);
    // A paragraph above the slide moves the warning two lines down; then the slide is
    // edited: the same warning.
    edit(
        &source.join("01-pembukaan.md"),
        ":::: {.slide title=\"Selamat Datang\"}\n",
        "Baris baru.\n\n:::: {.slide title=\"Selamat Datang\"}\n",
    );
    w.wait_for("rebuilt ");
    edit(
        &source.join("01-pembukaan.md"),
        "Dua hari, sembilan sesi",
        "Dua hari pelatihan, sembilan sesi",
    );
    w.wait_for("rebuilt ");
    assert_eq!(whole(&w), 1, "shown whole once: {:?}", w.seen);
    assert!(
        w.seen
            .iter()
            .any(|l| l.starts_with("warning (as before): ") && l.contains(long)),
        "{:?}",
        w.seen
    );
    w.stop();
}

/// A module folder removed and copied back (a backup restored) is watched again: a save
/// after it is rebuilt.
#[test]
fn watch_goes_on_after_the_module_folder_is_replaced() {
    let (_dir, source, layouts, out) = module_copy("batch-watch-replaced");
    let backup = source.with_file_name("backup");
    copy_dir(&source, &backup);
    let mut w = watch(
        &source,
        &layouts,
        &out,
        &["--only", "docx", "--federation", "spn"],
    );
    w.wait_for("watching ");
    std::fs::remove_dir_all(&source).unwrap();
    copy_dir(&backup, &source);
    // The removal's rebuild, then the one of the folder watched again.
    while !w.wait_for("").contains("source/ replaced") {}
    edit(
        &source.join("01-pembukaan.md"),
        "::: facilitator\n",
        "::: facilitator\nKata baru.\n",
    );
    let line = w.wait_for("rebuilt ");
    assert!(
        line.starts_with("rebuilt 1 of 2 outputs") && line.contains("(changed: 01-pembukaan.md)"),
        "{line}"
    );
    w.stop();
}

/// `modulpress watch` started, and its messages line by line.
fn watch(source: &Path, layouts: &Path, out: &Path, extra: &[&str]) -> Watch {
    Watch::spawn(modulpress("watch", source, layouts, out, extra))
}

/// The outputs and the preflight report of a folder (not the manifest and cache, which hold
/// timings).
fn outputs(out: &Path) -> BTreeMap<String, String> {
    listing(out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with('.') && p != "manifest.json")
        .collect()
}

/// One thread or two, cached or not: the same bytes, the report included (a cached build
/// takes the report's part of each current output from the cache).
#[test]
fn outputs_are_identical_across_threads_and_cached_builds() {
    let (_dir, source, layouts, out) = module_copy("batch-identical");
    let one = out.with_file_name("out-1");
    let fresh = out.with_file_name("out-fresh");
    build(&source, &layouts, &out, &["--quiet", "--jobs", "2"]);
    build(&source, &layouts, &one, &["--quiet", "--jobs", "1"]);
    assert_eq!(outputs(&out), outputs(&one), "--jobs 1 and --jobs 2");
    assert_eq!(
        outputs(&out).len(),
        55,
        "53 outputs and the report's two files"
    );
    // One word in a facilitator block: the participant outputs and the decks are reused.
    edit(
        &source.join("04-hukum-nasional.md"),
        "kepingan materi",
        "keping materi",
    );
    let cached = build(&source, &layouts, &out, &["--jobs", "2"]);
    assert!(cached.contains("current "), "{cached}");
    assert!(
        !cached.contains("current 0,"),
        "some outputs are reused: {cached}"
    );
    build(&source, &layouts, &fresh, &["--quiet", "--jobs", "2"]);
    assert_eq!(
        outputs(&out),
        outputs(&fresh),
        "a cached build and a fresh one"
    );
    assert!(manifest_problems(&out).is_empty());
}

/// With booklets and other kinds, a rebuild in `watch` commits the booklets first and its
/// line says when they were out.
#[test]
fn watch_republishes_the_booklets_first() {
    let (_dir, source, layouts, out) = module_copy("batch-watch-booklets");
    let mut w = watch(
        &source,
        &layouts,
        &out,
        &["--only", "booklet,docx", "--federation", "spn"],
    );
    w.wait_for("watching ");
    edit(
        &source.join("04-hukum-nasional.md"),
        "Kebebasan berserikat dijamin oleh konstitusi",
        "Kebebasan berserikat dijamin oleh Konstitusi",
    );
    let line = w.wait_for("rebuilt ");
    assert!(
        line.starts_with("rebuilt 4 of 4 outputs in ") && line.contains(" ms, the booklets in "),
        "{line}"
    );
    w.stop();
    assert!(
        manifest_problems(&out).is_empty(),
        "{:?}",
        manifest_problems(&out)
    );
    // The report written last covers the booklets too (it lost them), and the manifest
    // has them as made, not kept.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let kinds: Vec<&str> = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "booklet").count(),
        2,
        "{kinds:?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for o in manifest["outputs"].as_array().unwrap() {
        assert_ne!(o["status"], "kept", "{o}");
    }
}

#[test]
fn watch_keeps_the_manifest_true_when_an_output_after_the_booklets_fails() {
    let (_dir, source, layouts, out) = module_copy("batch-watch-fail");
    // If an assertion fails first, the watcher does not outlive the test (`Watch` kills it).
    let mut w = watch(
        &source,
        &layouts,
        &out,
        &["--only", "booklet,slides", "--federation", "spn"],
    );
    w.wait_for("watching ");
    let before: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // A word every booklet shows, and a slide too long for any deck.
    let file = source.join("04-hukum-nasional.md");
    let rows: String = (0..50).map(|i| format!("| a{i} | b{i} |\n")).collect();
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "Kebebasan berserikat dijamin oleh konstitusi",
        "Kebebasan berserikat dijamin oleh Konstitusi",
    );
    std::fs::write(
        &file,
        format!("{text}\n::::: {{.slide title=\"Besar\"}}\n| A | B |\n|---|---|\n{rows}:::::\n"),
    )
    .unwrap();
    let line = w.wait_for("rebuilt the booklets in ");
    assert!(
        line.contains("other outputs failed, so they are as they were"),
        "{line}"
    );
    assert!(
        w.seen
            .iter()
            .any(|l| l.starts_with("error: slide ") && l.contains("(`Besar`) is ")),
        "{:?}",
        w.seen
    );
    w.stop();
    // The manifest describes the files on disk: the booklets from the new source, the
    // decks `kept` from the one they were built from.
    assert!(
        manifest_problems(&out).is_empty(),
        "{:?}",
        manifest_problems(&out)
    );
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let old_source = before["source_sha256"].as_str().unwrap();
    let new_source = after["source_sha256"].as_str().unwrap();
    assert_ne!(old_source, new_source);
    for e in after["outputs"].as_array().unwrap() {
        let (kind, status, from) = (&e["kind"], &e["status"], &e["source_sha256"]);
        if kind == "booklet" {
            assert_eq!(from, new_source, "{e}");
        } else {
            assert_eq!(
                (status.as_str(), from.as_str()),
                (Some("kept"), Some(old_source)),
                "{e}"
            );
            let earlier = before["outputs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["path"] == e["path"])
                .unwrap();
            assert_eq!(earlier["sha256"], e["sha256"], "the deck is as it was");
        }
    }
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// The pictures drawn for the DOCX copies are kept in `.modulpress/pictures/`: a later
/// build takes them instead of drawing again and makes the same bytes; a kept file that is
/// not the one written is drawn again, and one of a picture that changed goes when no
/// output the cache records shows it.
#[test]
fn drawn_pictures_are_kept_for_the_next_build_and_checked() {
    let (_dir, source, layouts, out) = module_copy("batch-pictures");
    let only = ["--quiet", "--only", "docx", "--federation", "spn"];
    build(&source, &layouts, &out, &only);
    let kept =
        |out: &Path| -> BTreeMap<String, String> { listing(&out.join(".modulpress/pictures")) };
    let first = kept(&out);
    let copies = |out: &Path| -> BTreeMap<String, String> {
        outputs(out)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".docx"))
            .collect()
    };
    let made = copies(&out);
    assert!(made.len() >= 2, "{made:?}");
    // The diagrams and the federation's logo, one file each, and the cache lists them.
    assert!(first.len() >= 5, "{first:?}");
    let cache = std::fs::read_to_string(out.join(".modulpress/cache.json")).unwrap();
    for name in first.keys() {
        assert!(
            cache.contains(name.trim_end_matches(".png")),
            "{name} is listed"
        );
    }
    // One kept file changed, one removed: both are drawn again, the copies are the same.
    let mut names = first.keys();
    let (changed, removed) = (names.next().unwrap(), names.next().unwrap());
    let pictures = out.join(".modulpress/pictures");
    std::fs::write(pictures.join(changed), b"not a picture").unwrap();
    std::fs::remove_file(pictures.join(removed)).unwrap();
    for path in made.keys() {
        std::fs::remove_file(out.join(path)).unwrap();
    }
    build(&source, &layouts, &out, &only);
    assert_eq!(copies(&out), made, "the same copies from kept drawings");
    assert_eq!(kept(&out), first, "what was not as written is drawn again");
    // Another federation's copies show the same diagrams. A diagram changed: after the
    // first federation's copies are built again, the old drawing stays while the second's
    // copies still show it, and goes when they are built again too.
    let fspmi = ["--quiet", "--only", "docx", "--federation", "fspmi"];
    build(&source, &layouts, &out, &fspmi);
    let both = kept(&out);
    assert_eq!(both.len(), first.len() + 1, "fspmi's logo: {both:?}");
    edit(
        &source.join("images/struktur-serikat.svg"),
        "</svg>",
        "<!-- edited --></svg>",
    );
    build(&source, &layouts, &out, &only);
    let after = kept(&out);
    let new: Vec<&String> = after.keys().filter(|k| !both.contains_key(*k)).collect();
    assert_eq!(new.len(), 1, "one new drawing: {after:?}");
    assert_eq!(
        after.len(),
        both.len() + 1,
        "the old one is still shown by fspmi's"
    );
    build(&source, &layouts, &out, &fspmi);
    let last = kept(&out);
    assert_eq!(last.len(), both.len(), "the old drawing goes: {last:?}");
    assert!(last.contains_key(new[0]));
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
}

/// A build with `--only` reports every output in the folder: the ones it leaves are marked
/// kept, with the status `list` gives them, and in red when out of date.
#[test]
fn the_report_of_a_partial_build_lists_the_outputs_it_leaves_and_which_are_out_of_date() {
    let (_dir, source, layouts, out) = module_copy("batch-report-kept");
    let only = ["--only", "booklet,imposed"];
    build(&source, &layouts, &out, &only);
    let session = source.join("03-standar-internasional.md");
    let text = std::fs::read_to_string(&session).unwrap();
    std::fs::write(&session, format!("{text}\nKalimat baru.\n")).unwrap();
    let said = build(&source, &layouts, &out, &["--only", "booklet"]);
    // The terminal says so too, after the summary line.
    assert!(
        said.contains("\nnote: 2 other outputs are out of date or missing (left out of this build): `modulpress build` makes them again"),
        "{said}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let outputs = report["outputs"].as_array().unwrap();
    let kept: Vec<(&str, &serde_json::Value)> = outputs
        .iter()
        .filter(|o| o.get("kept").is_some())
        .map(|o| (o["path"].as_str().unwrap(), &o["kept"]))
        .collect();
    assert_eq!(outputs.len(), 4, "{outputs:?}");
    assert_eq!(
        kept.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [
            "booklet/foa-participant-imposed-a4.pdf",
            "booklet/foa-facilitator-imposed-a4.pdf"
        ]
    );
    for (_, k) in &kept {
        assert_eq!(k["current"], false, "{k}");
        assert_eq!(k["why"], "source changed: 03-standar-internasional.md");
    }
    let listed = list(&source, &layouts, &out);
    assert_eq!(
        listed["booklet/foa-participant-imposed-a4.pdf"],
        format!("rebuild: {}", kept[0].1["why"].as_str().unwrap())
    );
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("out of date (source changed: 03-standar-internasional.md)"),
        "{problems:?}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("4 outputs, 2 of them kept from an earlier build"));
    // A build of the imposed editions: every output current, nothing kept out of date.
    let said = build(&source, &layouts, &out, &["--only", "imposed"]);
    assert!(!said.contains("out of date"), "{said}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    let kept: Vec<&serde_json::Value> = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.get("kept"))
        .collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|k| k["current"] == true), "{kept:?}");
    // An imposed edition deleted by hand: a build of the booklets, which builds nothing,
    // still writes the report again, and says the file is missing, build after build.
    std::fs::remove_file(out.join("booklet/foa-participant-imposed-a4.pdf")).unwrap();
    for _ in 0..2 {
        let said = build(&source, &layouts, &out, &["--only", "booklet"]);
        assert!(said.contains("built 0, current 2"), "{said}");
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
        let problems = report["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0]["output"],
            "booklet/foa-participant-imposed-a4.pdf"
        );
        assert!(
            problems[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("missing: "),
            "{problems:?}"
        );
        let entry = report["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["path"] == "booklet/foa-participant-imposed-a4.pdf")
            .unwrap();
        assert_eq!(entry["kept"]["missing"], true, "{entry}");
    }
}

/// `list` says of an output rebuilt for a source change that its file was changed by hand
/// too: the build that rebuilds it keeps that file.
#[test]
fn list_tells_a_hand_changed_file_that_a_source_change_rebuilds() {
    let (_dir, source, layouts, out) = module_copy("list-edited-and-changed");
    let only = ["--only", "docx", "--federation", "spn", "--quiet"];
    build(&source, &layouts, &out, &only);
    let docx = out.join("docx/spn/foa-participant.docx");
    let mut bytes = std::fs::read(&docx).unwrap();
    bytes.extend_from_slice(b"edited");
    std::fs::write(&docx, bytes).unwrap();
    edit(
        &source.join("01-pembukaan.md"),
        "Selamat datang di pelatihan",
        "Selamat datang kembali di pelatihan",
    );
    let listed = list(&source, &layouts, &out);
    assert_eq!(
        listed["docx/spn/foa-participant.docx"],
        "rebuild: source changed: 01-pembukaan.md; docx/spn/foa-participant.docx was changed outside modulpress too (a build keeps that file beside it, as -edited)"
    );
    assert_eq!(
        listed["docx/spn/foa-facilitator.docx"],
        "rebuild: source changed: 01-pembukaan.md"
    );
}

/// A deck open in LibreOffice or PowerPoint (its lock file beside it) as a build replaces
/// it: written, with a warning that the open window shows the old one.
#[test]
fn a_deck_open_in_an_editor_is_told_when_it_is_replaced() {
    let (_dir, source, layouts, out) = module_copy("batch-open-deck");
    build(&source, &layouts, &out, &["--only", "pptx"]);
    std::fs::write(out.join("slides/.~lock.foa-spn.pptx#"), "trainer,host,…").unwrap();
    std::fs::write(out.join("slides/~$a-fspmi.pptx"), "trainer").unwrap();
    let said = build(&source, &layouts, &out, &["--only", "pptx", "--force"]);
    for (deck, lock) in [
        ("foa-spn.pptx", ".~lock.foa-spn.pptx#"),
        ("foa-fspmi.pptx", "~$a-fspmi.pptx"),
    ] {
        assert!(
            said.contains(&format!(
                "slides/{deck} is open in an editor (its lock file `{lock}` is beside it)"
            )),
            "{said}"
        );
    }
    assert_eq!(said.matches("is open in an editor").count(), 2, "{said}");
}
