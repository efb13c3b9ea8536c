//! `modulpress init` and `modulpress layouts --export`, run as a user runs them: the real
//! binary in a temporary folder (no `layouts/` there, so builds use the built-in layouts).

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

use common::{TempDir, have, root, run_in, stderr, temp_dir};

/// Run in `dir`, expecting exit 0.
fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = run_in(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "modulpress {}\n{}",
        args.join(" "),
        stderr(&out)
    );
    out
}

/// Every file under `dir`, by its `/`-separated path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The outputs of a build (the manifest's files), by path.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let path = o["path"].as_str().unwrap().to_string();
            let bytes = std::fs::read(out.join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

/// The text of a DOCX's main part.
fn document_xml(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A temp folder holding a fresh sample module in `modul/` (made with `extra` flags).
fn sample(name: &str, extra: &[&str]) -> TempDir {
    let dir = temp_dir(name);
    let mut args = vec!["init", "modul", "--id", "pkb"];
    args.extend_from_slice(extra);
    ok(&dir, &args);
    dir
}

#[test]
fn init_makes_a_module_that_checks_and_builds_every_output() {
    let dir = temp_dir("init");
    let made = ok(&dir, &["init", "modul-baru"]);
    let said = stderr(&made);
    assert!(
        said.contains("modulpress check --source modul-baru")
            && said.contains("modulpress build --source modul-baru"),
        "init prints the next commands:\n{said}"
    );
    let module = dir.join("modul-baru");
    let toml = std::fs::read_to_string(module.join("module.toml")).unwrap();
    assert!(
        toml.contains("id = \"modul-baru\""),
        "id from the folder name:\n{toml}"
    );
    assert!(toml.contains("lang = \"id\""));
    assert!(module.join("images").read_dir().unwrap().count() == 1);

    let checked = ok(&dir, &["check", "--source", "modul-baru"]);
    assert!(
        !stderr(&checked).contains("warning"),
        "the sample checks without warnings:\n{}",
        stderr(&checked)
    );

    let dumped = ok(&dir, &["dump", "--source", "modul-baru"]);
    let json: serde_json::Value = serde_json::from_slice(&dumped.stdout).unwrap();
    assert_eq!(json["module"]["sessions"].as_array().unwrap().len(), 2);
    let text = serde_json::to_string(&json["module"]).unwrap();
    for class in modulpress::model::Class::ALL.map(|c| c.name()) {
        assert!(
            text.contains(&format!("\"class\":\"{class}\"")),
            "the sample has no `{class}` block"
        );
    }
    for needle in [
        "\"type\":\"placeholder\"",
        "\"type\":\"footnote\"",
        "\"type\":\"table\"",
        "\"type\":\"internal_link\"",
        "\"type\":\"figure\"",
        "\"src\":\"images/langkah-pkb.svg\"",
    ] {
        assert!(text.contains(needle), "the sample lacks {needle}");
    }

    ok(&dir, &["build", "--source", "modul-baru", "--out", "out"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/manifest.json")).unwrap()).unwrap();
    let entries = manifest["outputs"].as_array().unwrap();
    // The changes copies are made only with `--since` (tests/editions.rs).
    for kind in modulpress::render::available()
        .into_iter()
        .filter(|k| *k != modulpress::render::Kind::DocxChanges)
    {
        let made: Vec<&serde_json::Value> = entries
            .iter()
            .filter(|o| o["kind"] == kind.name())
            .collect();
        assert!(!made.is_empty(), "no `{}` output", kind.name());
        for o in made {
            let path = dir.join("out").join(o["path"].as_str().unwrap());
            assert!(path.is_file(), "{} missing", path.display());
        }
    }
    assert!(dir.join("out/booklet/modul-baru-participant.pdf").is_file());
    assert!(
        dir.join("out/booklet/modul-baru-facilitator-imposed-a4.pdf")
            .is_file()
    );
    assert!(
        dir.join("out/docx/fspmi/modul-baru-facilitator.docx")
            .is_file()
    );
}

#[test]
fn init_takes_the_id_and_a_title_that_needs_quoting() {
    let dir = temp_dir("init-title");
    ok(
        &dir,
        &[
            "init",
            "Modul K3",
            "--id",
            "k3",
            "--title",
            "K3 \"Dasar\" di Tempat Kerja",
        ],
    );
    let dumped = ok(&dir, &["dump", "--source", "Modul K3"]);
    let json: serde_json::Value = serde_json::from_slice(&dumped.stdout).unwrap();
    assert_eq!(json["module"]["meta"]["id"], "k3");
    assert_eq!(
        json["module"]["meta"]["title"],
        "K3 \"Dasar\" di Tempat Kerja"
    );
}

#[test]
fn init_in_english_gives_english_text_and_labels() {
    let dir = sample("init-en", &["--lang", "en"]);
    let module = dir.join("modul");
    let toml = std::fs::read_to_string(module.join("module.toml")).unwrap();
    assert!(toml.contains("lang = \"en\""), "{toml}");
    assert!(toml.contains("title = \"Collective Agreements\""), "{toml}");
    let first = std::fs::read_to_string(module.join("01-opening.md")).unwrap();
    assert!(first.contains("By the end of this session"), "{first}");
    ok(&dir, &["check", "--source", "modul"]);
    ok(
        &dir,
        &[
            "build",
            "--source",
            "modul",
            "--out",
            "out",
            "--only",
            "booklet,docx",
            "--federation",
            "spn",
        ],
    );
    let docx = document_xml(&dir.join("out/docx/spn/pkb-facilitator.docx"));
    for english in [
        "Learning Objectives",
        "Key Points",
        "Case Study",
        "Worksheet",
        "Activity",
    ] {
        assert!(
            docx.contains(english),
            "the DOCX lacks the label {english:?}"
        );
    }
    assert!(docx.contains("Understanding Collective Agreements"));
    for indonesian in [
        "Tujuan Pembelajaran",
        "Poin Penting",
        "Studi Kasus",
        "Kegiatan",
    ] {
        assert!(
            !docx.contains(indonesian),
            "the English DOCX says {indonesian:?}"
        );
    }
    if have("pdftotext") {
        // Box labels are set in capitals.
        let book = pdftotext(&dir.join("out/booklet/pkb-facilitator.pdf")).to_uppercase();
        for english in [
            "LEARNING OBJECTIVES",
            "KEY POINTS",
            "FACILITATOR'S GUIDE",
            "CONTENTS",
            "TRAINING AGENDA",
        ] {
            assert!(book.contains(english), "the booklet lacks {english:?}");
        }
        assert!(book.contains("UNDERSTANDING COLLECTIVE AGREEMENTS"));
        for indonesian in ["TUJUAN PEMBELAJARAN", "DAFTAR ISI", "POIN PENTING"] {
            assert!(
                !book.contains(indonesian),
                "the English booklet says {indonesian:?}"
            );
        }
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = temp_dir("init-full");
    std::fs::create_dir_all(dir.join("modul")).unwrap();
    std::fs::write(dir.join("modul/catatan.txt"), "punya saya").unwrap();
    let out = run_in(&dir, &["init", "modul"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("`modul` exists and is not empty"), "{err}");
    assert!(
        !dir.join("modul/module.toml").exists(),
        "nothing is written"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("modul/catatan.txt")).unwrap(),
        "punya saya"
    );

    // An empty folder is fine; a file is not a folder; a bad id is a usage error.
    std::fs::create_dir_all(dir.join("kosong")).unwrap();
    ok(&dir, &["init", "kosong"]);
    let out = run_in(&dir, &["init", "modul/catatan.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
    let out = run_in(&dir, &["init", "baru", "--id", "Modul Baru"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("module id `Modul Baru` is not valid"));
    assert!(!dir.join("baru").exists());
}

#[test]
fn exported_layouts_are_the_built_in_ones_and_build_byte_identical_outputs() {
    let dir = sample("export", &[]);
    let exported = ok(&dir, &["layouts", "--export", "rancangan"]);
    assert!(
        stderr(&exported).contains("modulpress build --source MODULE --layouts rancangan"),
        "{}",
        stderr(&exported)
    );
    let mut written = files(&dir.join("rancangan"));
    let readme = String::from_utf8(written.remove("README.md").expect("a README.md")).unwrap();
    let shipped = files(&root().join("layouts"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        shipped.keys().collect::<Vec<_>>(),
        "the export holds exactly the layouts built into the binary"
    );
    assert!(
        written == shipped,
        "every exported file equals the built-in one"
    );
    for file in shipped.keys() {
        assert!(
            readme.contains(&format!("`{file}`")),
            "README.md does not mention {file}"
        );
    }
    assert!(readme.contains("Adding a federation") && readme.contains("Safe to edit"));

    ok(&dir, &["build", "--source", "modul", "--out", "built-in"]);
    ok(
        &dir,
        &[
            "build",
            "--source",
            "modul",
            "--out",
            "exported",
            "--layouts",
            "rancangan",
        ],
    );
    let a = outputs(&dir.join("built-in"));
    let b = outputs(&dir.join("exported"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("exported/manifest.json")).unwrap())
            .unwrap();
    // The changes copies are made only with `--since` (tests/editions.rs).
    for kind in modulpress::render::available()
        .into_iter()
        .filter(|k| *k != modulpress::render::Kind::DocxChanges)
    {
        assert!(
            manifest["outputs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["kind"] == kind.name()),
            "no {} built",
            kind.name()
        );
    }
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs between the built-in and exported layouts"
        );
    }
    // The export's README.md explains; it changes no output, so the outputs built with the
    // built-in layouts are current with the exported ones.
    let again = ok(
        &dir,
        &[
            "build",
            "--source",
            "modul",
            "--out",
            "built-in",
            "--layouts",
            "rancangan",
        ],
    );
    let said = stderr(&again);
    assert!(said.contains("built 0,"), "{said}");
}

#[test]
fn export_refuses_to_overwrite_without_force() {
    let dir = temp_dir("export-force");
    ok(&dir, &["layouts", "--export", "layouts"]);
    std::fs::write(dir.join("layouts/print.toml"), "# changed\n").unwrap();
    std::fs::write(
        dir.join("layouts/federations/baru.toml"),
        "name = \"B\"\nshort = \"B\"\n",
    )
    .unwrap();
    let out = run_in(&dir, &["layouts", "--export", "layouts"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("nothing was written") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("layouts/print.toml")).unwrap(),
        "# changed\n"
    );

    ok(&dir, &["layouts", "--export", "layouts", "--force"]);
    assert_eq!(
        std::fs::read(dir.join("layouts/print.toml")).unwrap(),
        std::fs::read(root().join("layouts/print.toml")).unwrap()
    );
    assert!(
        dir.join("layouts/federations/baru.toml").is_file(),
        "other files are kept"
    );
}

/// Build the sample in `dir` with `layouts` (or the built-in ones) and `extra` flags.
fn build(
    dir: &Path,
    out: &str,
    layouts: Option<&str>,
    extra: &[&str],
) -> BTreeMap<String, Vec<u8>> {
    let mut args = vec!["build", "--source", "modul", "--out", out];
    if let Some(l) = layouts {
        args.extend(["--layouts", l]);
    }
    args.extend_from_slice(extra);
    ok(dir, &args);
    outputs(&dir.join(out))
}

/// The federation of each output in a build's manifest (`None` for canonical outputs).
fn federations(out: &Path) -> BTreeMap<String, Option<String>> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let path = o["path"].as_str().unwrap().to_string();
            (path, o["federation"].as_str().map(str::to_string))
        })
        .collect()
}

#[test]
fn a_colour_changed_in_an_exported_profile_changes_that_federations_outputs_only() {
    let dir = sample("export-colour", &[]);
    ok(&dir, &["layouts", "--export", "rancangan"]);
    let profile = dir.join("rancangan/federations/spn.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.contains("color = \"#C62828\""));
    std::fs::write(&profile, text.replace("#C62828", "#2E7D32")).unwrap();

    let before = build(&dir, "before", None, &[]);
    let after = build(&dir, "after", Some("rancangan"), &[]);
    let owner = federations(&dir.join("after"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let changed: Vec<&String> = before
        .iter()
        .filter(|(path, bytes)| *bytes != &after[*path])
        .map(|(path, _)| path)
        .collect();
    for path in &changed {
        assert_eq!(
            owner[*path].as_deref(),
            Some("spn"),
            "{path} changed, but it is not SPN's"
        );
    }
    // Both DOCX copies change (and SPN's branded deck, where this build makes one).
    for docx in [
        "docx/spn/pkb-participant.docx",
        "docx/spn/pkb-facilitator.docx",
    ] {
        assert!(
            changed.iter().any(|p| *p == docx),
            "{docx} kept the old colour"
        );
    }
    if let Some(deck) = owner.keys().find(|p| p.ends_with("-spn.pdf")) {
        assert!(changed.contains(&deck), "{deck} kept the old colour");
    }
    let styles = {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(
            &after["docx/spn/pkb-participant.docx"],
        ))
        .unwrap();
        let mut s = String::new();
        zip.by_name("word/styles.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(styles.contains("2E7D32") && !styles.contains("C62828"));
}

#[test]
fn a_profile_added_to_exported_layouts_gets_its_own_docx_copies() {
    let dir = sample("export-new", &[]);
    ok(&dir, &["layouts", "--export", "rancangan"]);
    let feds = dir.join("rancangan/federations");
    std::fs::write(
        feds.join("fsp-baru.toml"),
        "name = \"Federasi Serikat Pekerja Baru\"\nshort = \"FSP BARU\"\nlogo = \"fsp-baru.svg\"\ncolor = \"#2E7D32\"\n",
    )
    .unwrap();
    std::fs::copy(feds.join("spn.svg"), feds.join("fsp-baru.svg")).unwrap();
    ok(
        &dir,
        &["check", "--source", "modul", "--layouts", "rancangan"],
    );
    let built = build(&dir, "out", Some("rancangan"), &["--only", "docx"]);
    for audience in ["participant", "facilitator"] {
        let path = format!("docx/fsp-baru/pkb-{audience}.docx");
        assert!(built.contains_key(&path), "no {path} in {:?}", built.keys());
        let xml = document_xml(&dir.join("out").join(&path));
        assert!(
            xml.contains("Federasi Serikat Pekerja Baru"),
            "the copy names its federation"
        );
    }
}

#[test]
fn check_reports_a_bad_federation_profile_at_its_line() {
    let dir = sample("bad-profile", &[]);
    ok(&dir, &["layouts", "--export", "layouts"]);
    let feds = dir.join("layouts/federations");
    std::fs::write(
        feds.join("fsp-baru.toml"),
        "name = \"Federasi Baru\"\nshort = \"\"\nlogo = \"../fonts/OFL.txt\"\ncolor = \"2e7d32\"\n",
    )
    .unwrap();
    std::fs::write(feds.join("Salah.toml"), "name = \"X\"\nshort = \"X\"\n").unwrap();
    std::fs::write(
        feds.join("pucat.toml"),
        "name = \"P\"\nshort = \"P\"\nlogo = \"kecil.png\"\ncolor = \"red\"\n",
    )
    .unwrap();
    image::RgbImage::from_pixel(120, 60, image::Rgb([200, 40, 40]))
        .save(feds.join("kecil.png"))
        .unwrap();
    std::fs::write(
        feds.join("kuning.toml"),
        "name = \"K\"\nshort = \"K\"\ncolor = \"#FFEB3B\"\n",
    )
    .unwrap();
    let out = run_in(&dir, &["check", "--source", "modul"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "error: `short` of federation `fsp-baru` is empty",
        "--> layouts/federations/fsp-baru.toml:2:9",
        "error: logo `../fonts/OFL.txt` must be a file beside the profile",
        "--> layouts/federations/fsp-baru.toml:3:8",
        "error: colour `2e7d32` is not `#RRGGBB`",
        "--> layouts/federations/fsp-baru.toml:4:9",
        "help: write it with a `#`: \"#2E7D32\"",
        "error: federation file name `Salah.toml` is not a valid id",
        "error: colour `red` is not `#RRGGBB`",
        "warning: logo `kecil.png` is only",
        "warning: colour `#FFEB3B` is too light for text on white paper (contrast 1.2:1)",
        "--> layouts/federations/kuning.toml:3:9",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
}

#[test]
fn help_explains_init_and_layouts() {
    let dir = temp_dir("help");
    for (cmd, flags) in [
        ("init", &["--id", "--title", "--lang"][..]),
        ("layouts", &["--export", "--force"][..]),
    ] {
        let out = ok(&dir, &[cmd, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in flags {
            assert!(help.contains(flag), "`{cmd} --help` lacks {flag}:\n{help}");
        }
    }
    let out = ok(&dir, &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("init") && help.contains("layouts"), "{help}");
}
