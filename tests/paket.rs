//! A paket of three modules (a copy of the FOA module, an `init`-made Indonesian sample and
//! an English one) built by one command: every output, one manifest and one report, the
//! package index, byte-identical outputs against each module alone, an edit in one module,
//! every error of every module, `--module`, and two modules with one id.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{chromium, chromium_probe, have, root, run_in, stderr, temp_dir};
use serde_json::Value;

const TOML: &str = "title = \"Paket Pelatihan Hak-Hak Dasar Pekerja\"\npublisher = \"Konfederasi Serikat Pekerja Indonesia\"\nedition = \"Edisi 2025\"\nmodules = [\"foa\", \"pkb\", \"wages\"]\n";

/// Make the paket in `dir/hak`: FOA's module, and two `init` samples. Gives the paket folder.
fn make_paket(dir: &Path) -> PathBuf {
    let paket = dir.join("hak");
    std::fs::create_dir_all(&paket).unwrap();
    let ok = Command::new("cp")
        .arg("-r")
        .arg(root().join("source"))
        .arg(paket.join("foa"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    for args in [
        &[
            "init",
            "pkb",
            "--id",
            "pkb",
            "--title",
            "Perundingan Bersama",
        ][..],
        &[
            "init",
            "wages",
            "--id",
            "wages",
            "--lang",
            "en",
            "--title",
            "Fair Wages",
        ][..],
    ] {
        let o = run_in(&paket, args);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    std::fs::write(paket.join("paket.toml"), TOML).unwrap();
    paket
}

/// `build --only booklet --module MODULES` in the paket, into `../out`; must succeed.
fn build_booklets_of(paket: &Path, modules: &str) {
    let o = run_in(
        paket,
        &[
            "build", "--out", "../out", "--only", "booklet", "--module", modules, "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The files of a folder (relative path → bytes), `.modulpress/` left out.
/// The manifest says that pkb's outputs were built and the other modules' reused.
fn only_pkb_was_built(manifest: &Path) {
    let manifest = json(manifest);
    for e in manifest["outputs"].as_array().unwrap() {
        let expected = if e["module"] == "pkb" {
            "built"
        } else {
            "reused"
        };
        assert_eq!(e["status"], expected, "{}", e["path"]);
    }
}

/// Change a word of the title of `pkb/02-mengenal-pkb.md`, which both booklets show.
fn retitle_a_session_of_pkb(paket: &Path) {
    let session = paket.join("pkb/02-mengenal-pkb.md");
    let text = std::fs::read_to_string(&session).unwrap();
    let title = text.lines().find(|l| l.starts_with("# ")).unwrap();
    let word = title.split_whitespace().nth(1).unwrap();
    std::fs::write(
        &session,
        text.replacen(title, &title.replacen(word, "Kata", 1), 1),
    )
    .unwrap();
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".modulpress") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// One whole build of the paket, shared by the tests that only read it: (paket folder,
/// output folder).
fn whole() -> &'static (PathBuf, PathBuf) {
    static WHOLE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    WHOLE.get_or_init(|| {
        let dir = temp_dir("paket-whole").keep();
        let paket = make_paket(&dir);
        let o = run_in(&paket, &["build", "--out", "../out", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
        (paket, dir.join("out"))
    })
}

#[test]
fn a_paket_builds_every_module_with_one_manifest_one_report_and_an_index() {
    let (_, out) = whole();
    let manifest = json(&out.join("manifest.json"));
    let outputs = manifest["outputs"].as_array().unwrap();
    let mut per_module: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in outputs {
        let module = o["module"].as_str().expect("every output names its module");
        let path = o["path"].as_str().unwrap();
        assert!(out.join(path).is_file(), "{path}");
        assert!(
            path.contains(&format!("/{module}")),
            "{path} keeps its module id"
        );
        per_module
            .entry(module.into())
            .or_default()
            .push(path.into());
    }
    assert_eq!(
        per_module.keys().collect::<Vec<_>>(),
        ["foa", "pkb", "wages"]
    );
    // Every kind for every module: the same outputs as the module's own plan, id aside.
    let names = |m: &str| -> Vec<String> {
        per_module[m]
            .iter()
            .map(|p| p.replace(&format!("/{m}"), "/MOD"))
            .collect()
    };
    assert_eq!(names("foa"), names("pkb"));
    assert_eq!(names("foa"), names("wages"));
    for kind in ["booklet", "imposed", "docx", "slides", "handout", "pptx"] {
        assert!(
            outputs.iter().filter(|o| o["kind"] == kind).count() >= 3,
            "{kind}"
        );
    }
    // One report, a section per module, the red flags of all at the top.
    let report = json(&out.join("report.json"));
    let modules = report["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 3);
    let listed: usize = modules
        .iter()
        .map(|m| m["outputs"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, outputs.len());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let verdict = html.find("id=\"verdict\"").unwrap();
    for id in ["foa", "pkb", "wages"] {
        assert!(html.find(&format!("id=\"module-{id}\"")).unwrap() > verdict);
    }
    // The index: the modules, their sessions and days, the files, pages and sheets.
    let text = pdftotext(&out.join("paket/hak-index.pdf"));
    for needle in [
        "Konfederasi Serikat Pekerja Indonesia · Edisi 2025",
        "Kebebasan Berserikat",
        "Perundingan Bersama",
        "Fair Wages",
        "booklet/pkb-participant.pdf",
        "slides/wages.pptx",
        "Jumlah hari pelatihan",
    ] {
        assert!(text.contains(needle), "index lacks {needle}:\n{text}");
    }
    // Every session of every module, by the first words of its title (a long one wraps).
    let (paket, _) = whole();
    for m in ["foa", "pkb", "wages"] {
        let mut sessions = 0;
        for (name, bytes) in files(&paket.join(m)) {
            let text = String::from_utf8(bytes).unwrap_or_default();
            let Some(title) = text
                .lines()
                .find(|l| name.ends_with(".md") && l.starts_with("# "))
            else {
                continue;
            };
            let words: Vec<&str> = title[2..]
                .split(" {")
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            let start = words[..words.len().min(3)].join(" ");
            assert!(
                text_has(&text_of_index(out), &start),
                "index lacks session `{start}`"
            );
            sessions += 1;
        }
        assert!(sessions >= 2, "{m}");
    }
    let pages = |m: &str, audience: &str| -> u64 {
        outputs
            .iter()
            .find(|o| o["path"] == format!("booklet/{m}-{audience}.pdf"))
            .unwrap()["pages"]
            .as_u64()
            .unwrap()
    };
    // The sheets of A4 per copy: a row per module with each book's pages and pages ÷ 4.
    if text.is_empty() {
        return; // no pdftotext here (CI has it: `have` fails there)
    }
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let (mut total, mut f_total) = (0, 0);
    for (m, title) in [
        ("foa", "Kebebasan Berserikat"),
        ("pkb", "Perundingan Bersama"),
        ("wages", "Fair Wages"),
    ] {
        let (p, f) = (pages(m, "participant"), pages(m, "facilitator"));
        let (sheets, f_sheets) = (p.div_ceil(4), f.div_ceil(4));
        total += sheets;
        f_total += f_sheets;
        let cells = format!(" {p} {sheets} {f} {f_sheets}");
        let row = lines
            .iter()
            .find(|l| l.starts_with(title) && l.ends_with(&cells));
        assert!(row.is_some(), "no paper row `{title} …{cells}`:\n{text}");
    }
    assert!(
        lines.contains(&format!("Jumlah {total} {f_total}").as_str()),
        "{text}"
    );
    // FOA's schedule has 2 days; each sample's 2 sessions fit in one estimated day.
    let foa_days = lines
        .iter()
        .find(|l| l.starts_with("1 Kebebasan Berserikat"))
        .unwrap();
    assert!(foa_days.contains(" 9 2 "), "{foa_days}");
    // Two of the days are estimates, so the total is one.
    assert!(lines.contains(&"Jumlah hari pelatihan 4*"), "{text}");
    // The HTML index links every output.
    let index = std::fs::read_to_string(out.join("paket/hak-index.html")).unwrap();
    // A day column for FOA, which has a `[[day]]` schedule; none for the samples (no
    // column of dashes).
    let section = |id: &str| {
        let at = index.find(&format!("<section id=\"{id}\">")).unwrap();
        index[at..].split("</section>").next().unwrap().to_string()
    };
    assert!(section("foa").contains("<th class=\"num\">Hari</th>"));
    assert!(!section("pkb").contains("<th class=\"num\">Hari</th>"));
    assert!(!index.contains(">–</td>"), "{index}");
    for o in outputs {
        let path = o["path"].as_str().unwrap();
        assert!(index.contains(&format!("href=\"../{path}\"")), "{path}");
    }
}

fn text_of_index(out: &Path) -> String {
    pdftotext(&out.join("paket/hak-index.pdf"))
}

fn text_has(text: &str, needle: &str) -> bool {
    text.is_empty() || text.contains(needle)
}

fn pdftotext(pdf: &Path) -> String {
    if !have("pdftotext") {
        return String::new();
    }
    let o = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    // What a print shop's preflight shows: poppler finds nothing wrong in the file
    // (`pdfinfo` reads the catalogue, which `pdftotext` passes over).
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let errors = String::from_utf8_lossy(&info.stderr);
    assert!(!errors.contains("Error"), "{}: {errors}", pdf.display());
    // One space between words, so that rows read as `title pages sheets`.
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_modules_outputs_are_byte_identical_to_the_module_built_alone() {
    let (paket, out) = whole();
    let made = files(out);
    for m in ["foa", "pkb", "wages"] {
        let dir = temp_dir(&format!("paket-alone-{m}"));
        let alone = dir.join("out");
        // pkb and wages (`init` samples) name no series or edition: in the paket they take
        // its title and edition, as if their module.toml said so.
        let module = dir.join(m);
        let ok = Command::new("cp")
            .arg("-r")
            .arg(paket.join(m))
            .arg(&module)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let toml = std::fs::read_to_string(module.join("module.toml")).unwrap();
        if !toml.lines().any(|l| l.starts_with("series")) {
            std::fs::write(
                module.join("module.toml"),
                format!(
                    "series = \"Paket Pelatihan Hak-Hak Dasar Pekerja\"\nedition = \"Edisi 2025\"\n{toml}"
                ),
            )
            .unwrap();
        }
        let o = run_in(
            paket,
            &[
                "build",
                "--source",
                module.to_str().unwrap(),
                "--out",
                alone.to_str().unwrap(),
                "--quiet",
                "--only",
                "booklet,docx,slides,pptx",
                "--federation",
                "spn",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let mut compared = 0;
        for (path, bytes) in files(&alone) {
            if path.contains('/') {
                assert!(made[&path] == bytes, "{path} differs from {m} built alone");
                compared += 1;
            }
        }
        assert!(compared >= 8, "{m}: {compared} outputs compared");
    }
}

#[test]
fn an_edit_in_one_module_rebuilds_only_its_outputs_and_list_says_so() {
    let dir = temp_dir("paket-edit");
    let paket = make_paket(&dir);
    let args = ["--out", "../out", "--only", "booklet", "--quiet"];
    let o = run_in(&paket, &[&["build"][..], &args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    retitle_a_session_of_pkb(&paket);
    let o = run_in(&paket, &[&["list"][..], &args].concat());
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    for line in listed.lines().filter(|l| l.starts_with("booklet/")) {
        if line.starts_with("booklet/pkb-") {
            assert!(
                line.contains("rebuild: source changed: 02-mengenal-pkb.md"),
                "{line}"
            );
        } else {
            assert!(line.ends_with("current"), "{line}");
        }
    }
    let o = run_in(&paket, &[&["build"][..], &args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    only_pkb_was_built(&dir.join("out/manifest.json"));
    // Nothing changed since: a no-op writes nothing.
    let before = files(&dir.join("out"));
    let o = run_in(&paket, &[&["build"][..], &args].concat());
    assert!(o.status.success());
    assert!(files(&dir.join("out")) == before);
}

/// The edition the paket gives its modules changed: their outputs are rebuilt with it (they
/// were all "current", their covers with the old edition); FOA names its own.
#[test]
fn a_new_paket_edition_rebuilds_the_modules_that_take_it() {
    let dir = temp_dir("paket-edition");
    let paket = make_paket(&dir);
    let args = ["--out", "../out", "--only", "booklet", "--quiet"];
    let o = run_in(&paket, &[&["build"][..], &args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        paket.join("paket.toml"),
        TOML.replace("Edisi 2025", "Edisi 2026"),
    )
    .unwrap();
    let o = run_in(&paket, &[&["list"][..], &args].concat());
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    for line in listed.lines().filter(|l| l.starts_with("booklet/")) {
        if line.starts_with("booklet/foa-") {
            assert!(line.ends_with("current"), "{line}");
        } else {
            assert!(
                line.contains("rebuild: paket changed: paket.toml"),
                "{line}"
            );
        }
    }
    let o = run_in(&paket, &[&["build"][..], &args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdftotext(&dir.join("out/booklet/pkb-participant.pdf"));
    assert!(text_has(&text, "Edisi 2026"), "{text}");
    assert!(!text_has(&text, "Edisi 2025"), "{text}");
}

/// A module made with `init` inside the paket is told to join `modules`, and `check` warns
/// while it is left out; a listed folder that is not there gets "did you mean".
#[test]
fn a_module_folder_modules_leaves_out_is_told() {
    let dir = temp_dir("paket-unlisted");
    let paket = make_paket(&dir);
    let o = run_in(&paket, &["init", "upah", "--id", "upah"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("add \"upah\" to `modules` in paket.toml"),
        "{}",
        stderr(&o)
    );
    // Listed before it was made: nothing to add.
    std::fs::write(
        paket.join("paket.toml"),
        TOML.replace("\"wages\"]", "\"wages\", \"gaji\"]"),
    )
    .unwrap();
    let o = run_in(&paket, &["init", "gaji", "--id", "gaji"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("to `modules`"), "{}", stderr(&o));
    std::fs::write(paket.join("paket.toml"), TOML).unwrap();
    std::fs::remove_dir_all(paket.join("gaji")).unwrap();
    // Inside a module of the paket: build the paket, not the module into its own out/.
    let o = run_in(&paket.join("pkb"), &["build"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "is the module `pkb` of the paket in the folder above: the paket is what is built"
        ),
        "{}",
        stderr(&o)
    );
    // The unlisted one is told to join the list first.
    let o = run_in(&paket.join("upah"), &["build"]);
    assert!(
        stderr(&o).contains("add \"upah\" to `modules` in ../paket.toml"),
        "{}",
        stderr(&o)
    );
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: the paket's folder holds the module `upah`, which `modules` does not list: it is not built"),
        "{}",
        stderr(&o)
    );
    std::fs::write(paket.join("paket.toml"), TOML.replace("\"pkb\"", "\"pbk\"")).unwrap();
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error: the paket has no folder `pbk`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `pkb`?"), "{err}");
}

/// A paket's new edition against its earlier one: each module with the module of the same
/// id, its changes copies and its report section; the earlier edition's number is the
/// paket's. A revision (`git:REV`) or one module's folder is refused with what to give.
#[test]
fn a_paket_compares_each_module_with_its_earlier_edition() {
    let dir = temp_dir("paket-since");
    let paket = make_paket(&dir);
    let old = dir.join("hak-lama");
    let ok = Command::new("cp")
        .arg("-r")
        .arg(&paket)
        .arg(&old)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    retitle_a_session_of_pkb(&paket);
    // The new edition gains a module.
    let o = run_in(&paket, &["init", "upah", "--id", "upah"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        paket.join("paket.toml"),
        TOML.replace("Edisi 2025", "Edisi 2026")
            .replace("\"wages\"]", "\"wages\", \"upah\"]"),
    )
    .unwrap();
    let args = [
        "build",
        "--out",
        "../out",
        "--only",
        "docx-changes",
        "--federation",
        "spn",
        "--since",
    ];
    let o = run_in(&paket, &[&args[..], &["../hak-lama"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: module `upah` new since the earlier edition `../hak-lama`"),
        "{}",
        stderr(&o)
    );
    assert!(
        !dir.join("out/docx/spn/upah-participant-changes.docx")
            .exists()
    );
    for module in ["foa", "pkb", "wages"] {
        assert!(
            dir.join(format!("out/docx/spn/{module}-participant-changes.docx"))
                .is_file(),
            "{module}"
        );
    }
    let report = json(&dir.join("out/report.json"));
    let modules = report["modules"].as_array().unwrap();
    let pkb = modules.iter().find(|m| m["module"]["id"] == "pkb").unwrap();
    assert_eq!(pkb["changes"]["edition"], "Edisi 2025", "{pkb}");
    assert_eq!(
        pkb["changes"]["sessions"].as_array().map(Vec::len),
        Some(1),
        "{pkb}"
    );
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains("Changes since edition Edisi 2025"));
    // Each module's changes section has ids of its own: no id is given twice.
    assert!(html.contains("id=\"changes-pkb\""), "{html}");
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or(""))
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "an id given twice in the paket's report");
    assert!(
        html.contains("(hak) · Edisi 2026"),
        "the paket's edition at the top"
    );
    // The earlier paket's edition renamed: what names it is made again.
    let old_toml = old.join("paket.toml");
    let text = std::fs::read_to_string(&old_toml).unwrap();
    std::fs::write(&old_toml, text.replace("Edisi 2025", "Edisi 2024")).unwrap();
    let o = run_in(&paket, &[&args[..], &["../hak-lama"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(
        html.contains("Changes since edition Edisi 2024"),
        "{}",
        stderr(&o)
    );
    for (since, message) in [
        (
            "git:HEAD",
            "for a paket, `--since` takes the folder of its earlier edition",
        ),
        ("../hak-lama/pkb", "is not a paket: it holds no paket.toml"),
        (
            "../hak-tiada",
            "the earlier edition `../hak-tiada` (--since) does not exist",
        ),
    ] {
        let o = run_in(&paket, &[&args[..], &[since]].concat());
        assert_ne!(o.status.code(), Some(0), "{since}");
        assert!(stderr(&o).contains(message), "{since}: {}", stderr(&o));
    }
}

#[test]
fn every_error_of_every_module_is_reported_and_nothing_is_written() {
    let dir = temp_dir("paket-broken");
    let paket = make_paket(&dir);
    let break_file = |rel: &str| {
        let path = paket.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n::: keypoint\nTeks.\n:::\n")).unwrap();
        text.lines().count() + 2
    };
    let foa_line = break_file("foa/02-pengertian.md");
    let wages_line = break_file("wages/01-opening.md");
    // A federation that the shared layouts have no profile for.
    let pkb = paket.join("pkb/02-mengenal-pkb.md");
    let text = std::fs::read_to_string(&pkb).unwrap();
    let pkb_line = text.lines().count() + 2;
    std::fs::write(
        &pkb,
        format!("{text}\n::: {{.only federation=\"nope\"}}\nTeks.\n:::\n"),
    )
    .unwrap();
    let o = run_in(&paket, &["build", "--out", "../out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("foa/02-pengertian.md:{foa_line}:5")),
        "{err}"
    );
    assert!(
        err.contains(&format!("wages/01-opening.md:{wages_line}:5")),
        "{err}"
    );
    assert!(err.contains("unknown federation `nope`"), "{err}");
    assert!(
        err.contains(&format!("pkb/02-mengenal-pkb.md:{pkb_line}:")),
        "{err}"
    );
    assert!(
        err.contains("3 problems found; nothing was written"),
        "{err}"
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn a_wrong_value_in_paket_toml_does_not_hide_the_modules_problems() {
    let dir = temp_dir("paket-toml-and-module");
    let paket = make_paket(&dir);
    std::fs::write(
        paket.join("paket.toml"),
        format!("id = \"Hak Dasar\"\n{TOML}"),
    )
    .unwrap();
    let session = paket.join("pkb/02-mengenal-pkb.md");
    let text = std::fs::read_to_string(&session).unwrap();
    std::fs::write(&session, format!("{text}\n::: keypoints\nTeks.\n")).unwrap();
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("paket id `Hak Dasar` is not valid"), "{err}");
    assert!(err.contains("pkb/02-mengenal-pkb.md:"), "{err}");
    assert!(err.contains("2 problems found"), "{err}");
    // A value of the wrong type, or a key TOML reads but the paket does not know: the
    // modules are read all the same.
    for wrong in ["id = 5\n", "idd = \"hak\"\n"] {
        std::fs::write(paket.join("paket.toml"), format!("{wrong}{TOML}")).unwrap();
        let o = run_in(&paket, &["check"]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("--> paket.toml:1:"), "{err}");
        assert!(err.contains("pkb/02-mengenal-pkb.md:"), "{err}");
        assert!(err.contains("2 problems found"), "{err}");
    }
}

#[test]
fn a_module_folder_the_paket_lacks_is_an_error_at_its_entry() {
    let dir = temp_dir("paket-missing");
    let paket = make_paket(&dir);
    std::fs::write(
        paket.join("paket.toml"),
        TOML.replace("\"wages\"]", "\"wages\", \"upah\"]"),
    )
    .unwrap();
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: the paket has no folder `upah`"),
        "{err}"
    );
    assert!(err.contains("--> paket.toml:4:35"), "{err}");
    // A folder without module.toml is told so.
    std::fs::create_dir_all(paket.join("upah")).unwrap();
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("module folder `upah` has no module.toml"),
        "{err}"
    );
}

#[test]
fn a_module_with_its_own_layouts_uses_them_and_the_others_the_shared_ones() {
    let dir = temp_dir("paket-own-layouts");
    let paket = make_paket(&dir);
    let o = run_in(&paket, &["layouts", "--export", "layouts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ok = Command::new("cp")
        .arg("-r")
        .arg(paket.join("layouts"))
        .arg(paket.join("wages/layouts"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let print = paket.join("wages/layouts/print.toml");
    let text = std::fs::read_to_string(&print).unwrap();
    let line = text.lines().find(|l| l.starts_with("accent =")).unwrap();
    std::fs::write(&print, text.replace(line, "accent = [0, 80, 95, 0]")).unwrap();
    build_booklets_of(&paket, "pkb,wages");
    let report = json(&dir.join("out/report.json"));
    let accent = |m: usize| -> Value {
        let colours = &report["modules"][m]["outputs"][0]["template_colours"];
        colours
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "accent")
            .unwrap()["cmyk"]
            .clone()
    };
    assert_eq!(report["modules"][1]["module"]["id"], "wages");
    assert_eq!(accent(1), serde_json::json!([0.0, 80.0, 95.0, 0.0]));
    assert_eq!(accent(0), serde_json::json!([100.0, 55.0, 0.0, 15.0]));
}

#[test]
fn module_selects_and_an_unknown_module_is_a_usage_error() {
    let dir = temp_dir("paket-select");
    let paket = make_paket(&dir);
    build_booklets_of(&paket, "pkb,wages");
    let manifest = json(&dir.join("out/manifest.json"));
    let modules: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["module"].as_str().unwrap())
        .collect();
    assert_eq!(modules, ["pkb", "pkb", "wages", "wages"]);
    let report = json(&dir.join("out/report.json"));
    assert_eq!(report["modules"].as_array().unwrap().len(), 2);
    let o = run_in(&paket, &["list", "--out", "../out", "--module", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown module `nope`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("foa, pkb, wages"), "{}", stderr(&o));
    let o = run_in(&paket, &["list", "--out", "../out", "--module", "wage"]);
    assert!(
        stderr(&o).contains("did you mean `wages`?"),
        "{}",
        stderr(&o)
    );
    // A paket's `--since` takes a paket: one module's folder is refused, and nothing is
    // written.
    let o = run_in(&paket, &["build", "--out", "../since", "--since", "foa"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a paket"), "{}", stderr(&o));
    assert!(!dir.join("since").exists());
}

#[test]
fn two_modules_with_one_id_name_both_module_toml_files() {
    let dir = temp_dir("paket-same-id");
    let paket = make_paket(&dir);
    let toml = paket.join("wages/module.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("id = \"wages\"", "id = \"pkb\"")).unwrap();
    let o = run_in(&paket, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "two modules of the paket have the id `pkb`: pkb/module.toml and wages/module.toml"
        ),
        "{err}"
    );
    assert!(err.contains("--> wages/module.toml:"), "{err}");
    assert!(err.contains("the first: pkb/module.toml:"), "{err}");
}

#[test]
fn the_paket_report_opens_in_chromium_with_every_module() {
    let Some(browser) = chromium() else {
        return;
    };
    let (_, out) = whole();
    let dir = temp_dir("paket-chromium");
    let probe = chromium_probe(
        browser,
        &out.join("report.html"),
        "const imgs = [...document.images]; \
         document.body.dataset.images = imgs.length; \
         document.body.dataset.broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).length; \
         document.body.dataset.rows = document.querySelectorAll('tr.output-row').length; \
         document.body.dataset.modules = document.querySelectorAll('section.module').length;",
        &dir,
    );
    let attr = |k: &str| -> usize { probe.attr(k).parse().unwrap() };
    let manifest = json(&out.join("manifest.json"));
    assert_eq!(attr("modules"), 3);
    assert_eq!(attr("rows"), manifest["outputs"].as_array().unwrap().len());
    assert!(attr("images") >= 24, "{}", attr("images"));
    assert_eq!(attr("broken"), 0);
}

#[test]
fn three_shards_merged_equal_one_whole_build() {
    let dir = temp_dir("paket-shards");
    let paket = make_paket(&dir);
    let only = [
        "--only",
        "booklet,docx,slides,handout",
        "--federation",
        "spn",
        "--quiet",
    ];
    let build = |out: &str, more: &[&str]| {
        let o = run_in(
            &paket,
            &[&["build", "--out", out][..], &only, more].concat(),
        );
        assert!(o.status.success(), "{out}: {}", stderr(&o));
    };
    build("../whole", &[]);
    let mut made = 0;
    for i in 1..=3 {
        build(&format!("../shard-{i}"), &["--shard", &format!("{i}/3")]);
        let manifest = json(&dir.join(format!("shard-{i}/manifest.json")));
        let n = manifest["outputs"].as_array().unwrap().len();
        assert!(n > 0, "shard {i} made nothing");
        made += n;
    }
    let whole = json(&dir.join("whole/manifest.json"));
    assert_eq!(
        made,
        whole["outputs"].as_array().unwrap().len(),
        "each output made once"
    );
    // `list --merge` shows what a build with it would do: nothing left to build.
    let o = run_in(
        &paket,
        &[
            &["list", "--out", "../merged"][..],
            &only[..4],
            &["--merge", "../shard-1,../shard-2,../shard-3"],
        ]
        .concat(),
    );
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(listed.contains(" current, 0 to build"), "{listed}");
    assert!(!dir.join("merged").exists(), "list wrote the output folder");
    build(
        "../merged",
        &["--merge", "../shard-1,../shard-2,../shard-3"],
    );
    // Every output, the report and the index byte for byte; the manifest but for timings.
    let (a, b) = (files(&dir.join("whole")), files(&dir.join("merged")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        if path != "manifest.json" {
            assert!(b[path] == *bytes, "{path} differs");
        }
    }
    let without_timings = |mut m: Value| {
        for o in m["outputs"].as_array_mut().unwrap() {
            o.as_object_mut().unwrap().remove("build_ms");
        }
        m
    };
    assert_eq!(
        without_timings(whole),
        without_timings(json(&dir.join("merged/manifest.json")))
    );
    // The merged folder is a whole build's: nothing to do there.
    let o = run_in(
        &paket,
        &[&["list", "--out", "../merged"][..], &only[..4]].concat(),
    );
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        listed.contains(": 0 to build") || listed.contains("0 to build"),
        "{listed}"
    );
    assert!(!listed.contains("rebuild"), "{listed}");
    let o = run_in(&paket, &["build", "--out", "../x", "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--shard 4/3` is not a shard"),
        "{}",
        stderr(&o)
    );
    // More shares than jobs: the empty share says so (it built nothing without a word).
    let o = run_in(
        &paket,
        &[
            &["build", "--out", "../empty", "--shard", "500/500"][..],
            &only[..4],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: share 500 of 500 has nothing to build: the plan has "),
        "{}",
        stderr(&o)
    );
}

/// `watch` on a paket: one build of every module, then a save in one module rebuilds that
/// module's outputs alone, and Ctrl-C ends it with exit 0.
#[test]
fn watch_on_a_paket_rebuilds_the_module_saved() {
    let dir = temp_dir("paket-watch");
    let paket = make_paket(&dir);
    let mut watch = common::watch::Watch::start(&paket, &["--out", "../out", "--only", "booklet"]);
    let built = watch.wait_for("built ");
    assert!(built.contains("built 6, current 0"), "{built}");
    watch.wait_for("watching ");
    retitle_a_session_of_pkb(&paket);
    let line = watch.wait_for("rebuilt ");
    assert!(line.starts_with("rebuilt 2 of 6 outputs"), "{line}");
    assert!(line.contains("02-mengenal-pkb.md"), "{line}");
    watch.stop();
    only_pkb_was_built(&dir.join("out/manifest.json"));
}
