//! `modulpress absorb` through the binary, with real editors: python-docx makes a
//! secretary's edits, LibreOffice saves the file again, pandoc reads the rebuilt copies.
//! The overlay it writes is applied by the next build to that federation's outputs only,
//! a conflict stops `check` at the overlay's line, and bad input changes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::outputs::listing;
use common::{TempDir, copy_dir, have, openxml_audit, root, run_in, stderr, temp_dir};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}{}", stdout(o), stderr(o));
    stdout(o)
}

/// The FOA module copied into `dir/source`.
fn foa(dir: &Path) -> PathBuf {
    let src = dir.join("source");
    copy_dir(&root().join("source"), &src);
    src
}

/// Make the edits of `tests/absorb_support/edit.py` (python-docx) on `from`.
fn python_edits(from: &Path, to: &Path) {
    let o = Command::new("python3")
        .arg(root().join("tests/absorb_support/edit.py"))
        .args([from, to])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "edit.py: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `soffice --convert-to docx` of `file` into `dir`, which rewrites every part.
fn libreoffice(file: &Path, dir: &Path) -> PathBuf {
    let profile = dir.join("lo-profile");
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    dir.join(file.file_name().unwrap())
}

/// The words of a DOCX as pandoc's plain text, without table rules.
fn words(docx: &Path) -> String {
    let o = Command::new("pandoc")
        .args(["-t", "plain", "--wrap=none"])
        .arg(docx)
        .output()
        .unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| "|-+=:".contains(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replace the one occurrence of `from` after `after` (which must occur) with `to`.
fn edit_after(text: &str, after: &str, from: &str, to: &str) -> String {
    let at = text.find(after).unwrap_or_else(|| panic!("no `{after}`")) + after.len();
    let i = at
        + text[at..]
            .find(from)
            .unwrap_or_else(|| panic!("no `{from}`"));
    format!("{}{to}{}", &text[..i], &text[i + from.len()..])
}

/// `modulpress absorb --source source --federation FEDERATION FILE` in `dir`.
fn absorb(dir: &Path, federation: &str, file: impl AsRef<Path>) -> Output {
    let file = file.as_ref().to_str().unwrap();
    run_in(
        dir,
        &[
            "absorb",
            "--source",
            "source",
            "--federation",
            federation,
            file,
        ],
    )
}

/// Absorbing `file` succeeds and finds nothing to absorb.
fn assert_nothing_to_absorb(dir: &Path, federation: &str, file: impl AsRef<Path>) {
    let o = absorb(dir, federation, file);
    assert!(
        ok(&o).starts_with(&format!("{federation}: tidak ada yang perlu diserap")),
        "{}",
        stdout(&o)
    );
}

/// Run the python-docx `script` with `args` (its `sys.argv[1..]`); it must succeed.
fn python(script: &str, args: &[impl AsRef<std::ffi::OsStr>]) {
    let o = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// What every [`edit_copy`] script starts with: the copy opened as `d`, and `para(text,
/// like)`, a paragraph with `like`'s properties (as Word's Enter makes) holding `text`.
const EDIT_PRELUDE: &str = r#"
import copy, docx, sys
from docx.oxml.ns import qn
def para(text, like):
    p = copy.deepcopy(like)
    for c in list(p):
        if c.tag != qn('w:pPr'):
            p.remove(c)
    r = p.makeelement(qn('w:r'), {}); t = r.makeelement(qn('w:t'), {}); t.text = text
    r.append(t); p.append(r)
    return p
d = docx.Document(sys.argv[1])
"#;

/// Edit the DOCX `copy` with python-docx `script` (after [`EDIT_PRELUDE`]), saved as `edited`.
fn edit_copy(script: &str, copy: &Path, edited: &Path) {
    python(
        &format!("{EDIT_PRELUDE}{script}d.save(sys.argv[2])\n"),
        &[copy, edited],
    );
}

/// The text of the part `name` of the DOCX `file`.
fn docx_part(file: &Path, name: &str) -> String {
    let bytes = std::fs::read(file).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn python_docx_edits_come_back_into_fspmi_outputs_only() {
    if !have("python3") || !have("pandoc") {
        return;
    }
    let dir = temp_dir("absorb-foa");
    let src = foa(&dir);
    let out = dir.join("out");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--source", "source", "--out", "out", "--quiet"];
        args.extend(extra);
        ok(&run_in(&dir, &args));
    };
    build(&["--only", "docx,booklet,slides"]);
    let before = listing(&out);
    let copy = out.join("docx/fspmi/foa-participant.docx");
    let facilitator_before = dir.join("facilitator-before.docx");
    std::fs::copy(
        out.join("docx/fspmi/foa-facilitator.docx"),
        &facilitator_before,
    )
    .unwrap();
    let participant_before = dir.join("participant-before.docx");
    std::fs::copy(&copy, &participant_before).unwrap();
    let edited = dir.join("edited.docx");
    python_edits(&copy, &edited);

    let o = absorb(&dir, "fspmi", "edited.docx");
    assert_eq!(
        ok(&o).lines().next().unwrap(),
        "fspmi: 2 paragraf diubah, 2 ditambahkan, 1 dihapus (sesi 4 dan 7)"
    );
    let overlay = overlay_of(&src, "fspmi");
    assert_eq!(
        overlay.matches("::: {.replace copy=participant-").count(),
        2,
        "{overlay}"
    );
    assert_eq!(
        overlay.matches("::: {.after copy=participant-").count(),
        2,
        "{overlay}"
    );
    assert_eq!(overlay.matches("::: {.delete}").count(), 1, "{overlay}");

    let listed = ok(&run_in(
        &dir,
        &[
            "list",
            "--source",
            "source",
            "--out",
            "out",
            "--only",
            "docx,booklet,slides",
        ],
    ));
    for path in ["docx/fspmi/foa-participant.docx", "slides/foa-fspmi.pdf"] {
        assert!(
            listed
                .lines()
                .any(|l| l.starts_with(path) && l.ends_with(" rebuild: overlay changed: fspmi")),
            "{listed}"
        );
    }
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("docx/spn/foa-participant.docx") && l.ends_with(" current"))
    );
    build(&["--only", "docx,booklet,slides"]);
    let after = listing(&out);
    // Every other output is byte-identical: SPN's and the other federations' DOCX, the
    // booklets, the canonical deck and the other federations' decks. FSPMI's deck shows
    // the removed objective (session 4's divider lists the objectives).
    for (path, hash) in &before {
        if path.starts_with("docx/fspmi/")
            || path.starts_with("slides/foa-fspmi.")
            || !path.contains('.')
            || path.starts_with(".modulpress")
            || path.starts_with("report")
            || path == "manifest.json"
        {
            continue;
        }
        assert_eq!(Some(hash), after.get(path), "{path} changed");
    }

    // The copies with the overlay's blocks (a table, a paragraph, marks) stay valid.
    if have("openxml-audit") {
        for audience in ["participant", "facilitator"] {
            openxml_audit(&out.join(format!("docx/fspmi/foa-{audience}.docx")));
        }
    }
    if have("pdftotext") {
        let text = |p: &str| {
            let o = Command::new("pdftotext")
                .arg(out.join(p))
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let objective = "mengenali undang-undang lain yang berkaitan";
        assert!(text("slides/foa.pdf").contains(objective));
        assert!(text("slides/foa-spn.pdf").contains(objective));
        assert!(!text("slides/foa-fspmi.pdf").contains(objective));
    }

    // The new copies differ from the old by exactly the edits.
    let apply = |before: &str| {
        let t = before.replace(
            "Undang-Undang Lain yang Berkaitan",
            "Undang-Undang Lain yang Perlu Diketahui",
        );
        let t = t.replace(
            "UUD tidak boleh menghapus hak ini",
            "UUD sama sekali tidak boleh menghapus hak ini",
        );
        let t = t.replacen(
            " mengenali undang-undang lain yang berkaitan: UU 13/2003, UU 2/2004, dan UU 6/2023.",
            "",
            1,
        );
        let heading = "UU No. 21 Tahun 2000 tentang Serikat Pekerja/Serikat Buruh";
        let t = edit_after(
            &t,
            "ini; undang-undang hanya mengatur",
            heading,
            &format!(
                "{heading} Di FSPMI, pencatatan serikat anggota diurus bersama Dinas Tenaga Kerja setempat."
            ),
        );
        let pkb = "sebelum menjadi perselisihan besar.";
        edit_after(
            &t,
            "PKB mengubah janji lisan",
            pkb,
            &format!("{pkb} Langkah Penanggung jawab Menyusun draf PKB Tim runding FSPMI"),
        )
    };
    for (old, new) in [
        (
            &participant_before,
            out.join("docx/fspmi/foa-participant.docx"),
        ),
        (
            &facilitator_before,
            out.join("docx/fspmi/foa-facilitator.docx"),
        ),
    ] {
        let (old, new) = (words(old), words(&new));
        assert!(
            old.contains("- mengenali undang-undang lain")
                || old.contains("mengenali undang-undang lain")
        );
        let want = apply(&old).replace(" - Di FSPMI", " Di FSPMI");
        assert_eq!(
            want,
            new.replace(" - Di FSPMI", " Di FSPMI"),
            "{}",
            new.len()
        );
    }

    // Absorbing the rebuilt copy records nothing and writes nothing.
    let module_before = listing(&src);
    assert_nothing_to_absorb(&dir, "fspmi", "out/docx/fspmi/foa-participant.docx");
    assert_eq!(module_before, listing(&src));

    // The same edits saved again by LibreOffice give the same overlay.
    if have("soffice") {
        let lo_dir = dir.join("lo");
        std::fs::create_dir_all(&lo_dir).unwrap();
        let saved = libreoffice(&edited, &lo_dir);
        let fresh = dir.join("fresh");
        let fresh_src = foa(&fresh);
        ok(&absorb(&fresh, "fspmi", &saved));
        assert_eq!(overlay, overlay_of(&fresh_src, "fspmi"));
        // The rebuilt copy saved by LibreOffice unedited: no change, no look of its own.
        let lo_plain = dir.join("lo-plain");
        std::fs::create_dir_all(&lo_plain).unwrap();
        let resaved = libreoffice(&dir.join("out/docx/fspmi/foa-participant.docx"), &lo_plain);
        assert_eq!(
            ok(&absorb(&dir, "fspmi", &resaved)),
            "fspmi: tidak ada yang perlu diserap (overlay sudah memuat isi salinan ini)\n"
        );
    }
}

/// SPN's participant copy of the small modules (`uji`), in the build folder.
const SPN_COPY: &str = "out/docx/spn/uji-participant.docx";

/// The overlay of `federation` in the module folder `src`.
fn overlay_of(src: &Path, federation: &str) -> String {
    std::fs::read_to_string(src.join(format!("overlays/{federation}.md"))).unwrap()
}

/// The overlay with the copy each `after` entry came from left out (`{.after}`).
fn additions_of(src: &Path, federation: &str) -> String {
    let text = overlay_of(src, federation);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.split_once(" copy=") {
            Some((head, _)) if line.starts_with("::: {.after") => {
                out.push_str(head);
                out.push_str("}\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// A small module with two paragraphs and a list; built for SPN.
fn small(dir: &Path) -> PathBuf {
    common::small_module(
        dir,
        "Paragraf pertama yang akan diubah oleh federasi.\n\nParagraf kedua tetap.\n\n- butir satu\n- butir dua\n",
    )
}

/// Build the module in `dir/source` as DOCX for SPN into `dir/out`.
fn build_docx(dir: &Path) {
    build_docx_for(dir, "spn");
}

/// Build the module in `dir/source` as DOCX for `federations` into `dir/out`.
fn build_docx_for(dir: &Path, federations: &str) {
    ok(&run_in(
        dir,
        &[
            "build",
            "--source",
            "source",
            "--out",
            "out",
            "--only",
            "docx",
            "--federation",
            federations,
            "--quiet",
        ],
    ));
}

/// A python-docx edit: replace `from` with `to` in the text of one run.
fn replace_in_run(docx: &Path, out: &Path, from: &str, to: &str) {
    let script = format!(
        "import docx,sys\nd=docx.Document(sys.argv[1])\nfor p in d.paragraphs:\n    for r in p.runs:\n        if {from:?} in r.text:\n            r.text=r.text.replace({from:?},{to:?})\nd.save(sys.argv[2])\n"
    );
    python(&script, &[docx, out]);
}

#[test]
fn absorbing_twice_is_absorbing_once_and_a_fresh_copy_changes_nothing() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-twice");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let untouched = listing(&src);
    let o = absorb(&dir, "spn", &copy);
    assert_eq!(
        ok(&o),
        "spn: tidak ada yang perlu diserap (salinan ini memuat teks seperti saat dibuat)\n"
    );
    assert_eq!(untouched, listing(&src), "a fresh copy wrote something");

    let edited = dir.join("edited.docx");
    replace_in_run(
        &copy,
        &edited,
        "akan diubah oleh federasi",
        "sudah diubah oleh SPN",
    );
    let absorb = || absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&absorb()),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let once = std::fs::read(src.join("overlays/spn.md")).unwrap();
    assert!(ok(&absorb()).starts_with("spn: tidak ada yang perlu diserap"));
    assert_eq!(once, std::fs::read(src.join("overlays/spn.md")).unwrap());
}

#[test]
fn a_copy_built_before_the_overlay_changed_a_paragraph_does_not_undo_that_change() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-other-copy");
    let src = small(&dir);
    build_docx(&dir);
    let participant = dir.join(SPN_COPY);
    let facilitator = dir.join("out/docx/spn/uji-facilitator.docx");
    let from = "akan diubah oleh federasi";
    replace_in_run(
        &participant,
        &dir.join("p1.docx"),
        from,
        "diubah di salinan peserta",
    );
    replace_in_run(
        &facilitator,
        &dir.join("f1.docx"),
        from,
        "diubah di salinan fasilitator",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "p1.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let recorded = overlay_of(&src, "spn");
    assert!(recorded.contains("diubah di salinan peserta"), "{recorded}");
    assert!(recorded.contains("copy=participant-"), "{recorded}");

    // The other copy of the same build changed the same paragraph otherwise: not taken,
    // and told, where it silently replaced the first.
    let o = absorb(&dir, "spn", "f1.docx");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: not absorbed, changed in this copy and, since it was built, in `overlays/spn.md`"),
        "{err}"
    );
    assert!(err.contains("diubah di salinan fasilitator"), "{err}");
    assert_eq!(overlay_of(&src, "spn"), recorded);

    // The same copy edited again after it was absorbed: its new text is taken.
    replace_in_run(
        &dir.join("p1.docx"),
        &dir.join("p2.docx"),
        "diubah di salinan peserta",
        "diubah lagi di salinan peserta",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "p2.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let again = overlay_of(&src, "spn");
    assert!(again.contains("diubah lagi di salinan peserta"), "{again}");

    // A copy built with the overlay, edited, then the older copy absorbed once more.
    build_docx(&dir);
    replace_in_run(
        &participant,
        &dir.join("p3.docx"),
        "diubah lagi",
        "diubah ketiga kali",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "p3.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let third = overlay_of(&src, "spn");
    let o = absorb(&dir, "spn", "p1.docx");
    assert!(
        stderr(&o).contains("warning: not absorbed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        overlay_of(&src, "spn"),
        third,
        "the older copy undid a later change"
    );
}

/// The secretary's usual way: the copy she edited, absorbed, then edited again and absorbed
/// again. What she added takes its new text (not both texts); a copy built before the
/// overlay had her additions adds nothing twice; what a copy built since leaves out goes.
#[test]
fn blocks_added_in_a_copy_edited_again_take_its_new_text() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-added-again");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let add = |from: &Path, to: &str, text: &str| {
        let script = format!(
            "like = [p for p in d.paragraphs if p.text == 'Paragraf kedua tetap.'][0]._p\nlike.addnext(para({text:?}, like))\n"
        );
        edit_copy(&script, from, &dir.join(to));
    };
    add(
        &copy,
        "r1.docx",
        "Posko pengaduan SPN ada di kantor cabang.",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "r1.docx")),
        "spn: 1 ditambahkan (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    // The same file, its added paragraph reworded.
    replace_in_run(
        &dir.join("r1.docx"),
        &dir.join("r2.docx"),
        "di kantor cabang",
        "di setiap kantor cabang",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "r2.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = overlay_of(&src, "spn");
    assert!(
        overlay.contains("Posko pengaduan SPN ada di setiap kantor cabang."),
        "{overlay}"
    );
    assert!(
        !overlay.contains("ada di kantor cabang"),
        "both texts: {overlay}"
    );

    // A paragraph changed in one file; the copy as built, absorbed after it, shows it as
    // built: the change stays, and absorb says so (taken back, or never made there?).
    replace_in_run(
        &copy,
        &dir.join("p1.docx"),
        "akan diubah oleh federasi",
        "diubah SPN",
    );
    let o = absorb(&dir, "spn", "p1.docx");
    // p1 is the file r1 was edited from, without the paragraph r1 added: kept, and told.
    assert!(
        stderr(&o).contains("warning: kept what `overlays/spn.md` adds: “Posko pengaduan SPN ada di setiap kantor cabang.”"),
        "{}",
        stderr(&o)
    );
    let o = absorb(&dir, "spn", &copy);
    assert!(
        stderr(&o).contains("warning: kept the change `overlays/spn.md` makes to “Paragraf pertama yang akan diubah oleh federasi.”"),
        "{}",
        stderr(&o)
    );
    assert!(overlay_of(&src, "spn").contains("Paragraf pertama yang diubah SPN."));

    // A copy built with the overlay, its addition edited and absorbed; then the first file
    // once more: it adds nothing twice, and says what it did not take.
    build_docx(&dir);
    replace_in_run(
        &copy,
        &dir.join("r3.docx"),
        "setiap kantor",
        "setiap kantor dan pabrik",
    );
    ok(&absorb(&dir, "spn", "r3.docx"));
    let newest = overlay_of(&src, "spn");
    assert!(newest.contains("setiap kantor dan pabrik"), "{newest}");
    // The other copy of that build, untouched there (it shows the addition as it was):
    // nothing changes; edited there, it is told what it did not take.
    let facilitator = dir.join("out/docx/spn/uji-facilitator.docx");
    let o = absorb(&dir, "spn", &facilitator);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(overlay_of(&src, "spn"), newest, "{}", stderr(&o));
    replace_in_run(
        &facilitator,
        &dir.join("f3.docx"),
        "setiap kantor",
        "setiap kantor desa",
    );
    let o = absorb(&dir, "spn", "f3.docx");
    assert!(
        stderr(&o).contains("warning: not absorbed, changed in this copy and, since it was built, in `overlays/spn.md`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(overlay_of(&src, "spn"), newest);
    let o = absorb(&dir, "spn", "r1.docx");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: not absorbed, added in this copy where `overlays/spn.md` has blocks absorbed from another copy"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        overlay_of(&src, "spn"),
        newest,
        "the older copy changed the overlay"
    );

    // The paragraph taken out of the file its last text came from: it goes.
    let script = "for p in d.paragraphs:\n    if p.text.startswith('Posko'):\n        p._p.getparent().remove(p._p)\n";
    edit_copy(script, &dir.join("r3.docx"), &dir.join("r4.docx"));
    ok(&absorb(&dir, "spn", "r4.docx"));
    assert!(
        !overlay_of(&src, "spn").contains("Posko"),
        "{}",
        overlay_of(&src, "spn")
    );
}

/// A small module whose first paragraph is `text`, built for SPN; its copy with "yang akan
/// diubah" changed to "yang sudah diubah" absorbed. The folder and SPN's overlay.
fn absorb_one_change(name: &str, text: &str) -> (TempDir, String) {
    let dir = temp_dir(name);
    let src = common::small_module(&dir, &format!("{text}\n\nParagraf kedua.\n"));
    build_docx(&dir);
    replace_in_run(
        &dir.join(SPN_COPY),
        &dir.join("edited.docx"),
        "yang akan diubah",
        "yang sudah diubah",
    );
    assert_eq!(
        ok(&absorb(&dir, "spn", "edited.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = overlay_of(&src, "spn");
    (dir, overlay)
}

/// A paragraph with two footnotes whose first mark the person deleted keeps the second
/// note at the second mark: the first note's text at it would cite the wrong law.
#[test]
fn a_deleted_footnote_mark_takes_its_own_note_with_it() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-notes");
    let src = common::small_module(
        &dir,
        "Konvensi No. 98 diadopsi pada 1949.[^k98] Indonesia meratifikasinya dengan UU No. 18 Tahun 1956.[^uu18]\n\n[^k98]: Konvensi ILO No. 98 Tahun 1949.\n\n[^uu18]: UU No. 18 Tahun 1956 tentang Persetujuan Konvensi ILO No. 98.\n",
    );
    build_docx(&dir);
    let script = "p = [p for p in d.paragraphs if 'diadopsi' in p._p.xml][0]._p\nrefs = [r for r in p.iter(qn('w:r')) if r.find('.//' + qn('w:footnoteReference')) is not None]\nrefs[0].getparent().remove(refs[0])\n";
    edit_copy(script, &dir.join(SPN_COPY), &dir.join("edited.docx"));
    assert_eq!(
        ok(&absorb(&dir, "spn", "edited.docx")),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = overlay_of(&src, "spn");
    assert!(
        overlay.contains("1949. Indonesia meratifikasinya dengan UU No. 18 Tahun 1956.[^1]\n\n[^1]: UU No. 18 Tahun 1956 tentang Persetujuan"),
        "{overlay}"
    );
}

/// SPN's copy of the small module edited by `edit` (the copy, the file to write), absorbed:
/// what absorb says, after checking that it recorded nothing.
fn absorb_recording_nothing(name: &str, edit: impl FnOnce(&Path, &Path)) -> Output {
    let dir = temp_dir(name);
    let src = small(&dir);
    build_docx(&dir);
    let before = listing(&src);
    edit(&dir.join(SPN_COPY), &dir.join("edited.docx"));
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(before, listing(&src), "nothing is recorded: {}", stderr(&o));
    o
}

/// A session's renamed heading is a line modulpress writes (from the session file's first
/// line): not recorded, and told.
#[test]
fn a_renamed_session_heading_is_told_not_recorded() {
    if !have("python3") {
        return;
    }
    let o = absorb_recording_nothing("absorb-session-title", |copy, edited| {
        replace_in_run(copy, edited, "Sesi Uji", "Sesi Uji Coba")
    });
    assert_eq!(
        ok(&o),
        "spn: tidak ada yang perlu diserap; diabaikan: 1 baris judul atau label yang diubah (berasal dari sumber)\n  diubah di salinan: “Sesi 1: Sesi Uji Coba” (01-uji.md): ubahlah di sumber\n"
    );
}

/// A session heading deleted in the copy is told as one a person changes in the source,
/// like a renamed one, not taken in silence.
#[test]
fn a_deleted_session_heading_is_told_not_recorded() {
    if !have("python3") {
        return;
    }
    let o = absorb_recording_nothing("absorb-session-deleted", |copy, edited| {
        edit_copy(
            "h = [p for p in d.paragraphs if p.text.startswith('Sesi 1') and p.style.name.startswith('Heading')][0]._p\nh.getparent().remove(h)\n",
            copy,
            edited,
        )
    });
    assert_eq!(
        ok(&o),
        "spn: tidak ada yang perlu diserap; diabaikan: 1 baris judul atau label yang diubah (berasal dari sumber)\n  dihapus di salinan: judul “Sesi Uji” (01-uji.md): sesi dihapus dari modul di sumber\n"
    );
}

/// Two paragraphs swapped in the copy: a move is not recorded, and absorb says so.
#[test]
fn a_moved_paragraph_is_told_not_recorded() {
    if !have("python3") {
        return;
    }
    let script = "a = [p for p in d.paragraphs if p.text.startswith('Paragraf pertama')][0]._p\nb = [p for p in d.paragraphs if p.text.startswith('Paragraf kedua')][0]._p\nb.addnext(a)\n";
    let o = absorb_recording_nothing("absorb-moved", |copy, edited| {
        edit_copy(script, copy, edited)
    });
    assert_eq!(
        ok(&o),
        "spn: tidak ada yang perlu diserap (lihat peringatan di atas)\n"
    );
    assert!(
        stderr(&o).contains("warning: not absorbed: 1 block moved in this copy, first “Paragraf"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_edited_paragraph_keeps_the_sources_straight_quotes() {
    if !have("python3") {
        return;
    }
    let (_dir, overlay) = absorb_one_change(
        "absorb-quotes",
        "Kata \"setiap orang\" berarti semua pekerja yang akan diubah.",
    );
    // The copy prints them curly; the overlay showed “setiap orang”, a change nobody made.
    assert!(
        overlay.contains("Kata \"setiap orang\" berarti semua pekerja yang sudah diubah."),
        "{overlay}"
    );
    assert!(!overlay.contains('“'), "{overlay}");
}

#[test]
fn an_edited_paragraph_keeps_the_sources_placeholders() {
    if !have("python3") {
        return;
    }
    let (dir, overlay) = absorb_one_change(
        "absorb-placeholders",
        "Pelatihan {{org.name}} ({{org.short}}) untuk anggota yang akan diubah.",
    );
    // The copy prints SPN's name; the overlay froze it as text, so a renamed federation
    // kept its old name in this paragraph alone.
    assert!(
        overlay.contains("Pelatihan {{org.name}} ({{org.short}}) untuk anggota yang sudah diubah."),
        "{overlay}"
    );
    build_docx(&dir);
    let text = words(&dir.join(SPN_COPY));
    assert!(
        text.contains("(SPN) untuk anggota yang sudah diubah."),
        "{text}"
    );
}

#[test]
fn a_changed_cover_or_imprint_line_is_told_not_recorded() {
    if !have("python3") {
        return;
    }
    let o = absorb_recording_nothing("absorb-front", |copy, edited| {
        replace_in_run(copy, edited, "Modul Uji", "Modul Uji SPN")
    });
    let said = ok(&o);
    // It said the overlay already held everything, as if nothing had been changed.
    assert!(
        said.contains("baris sampul, kata pengantar atau imprint yang diubah"),
        "{said}"
    );
    assert!(said.contains("layouts/federations/spn.toml"), "{said}");
}

#[test]
fn a_block_removed_by_both_the_federation_and_the_module_is_no_conflict() {
    let dir = temp_dir("absorb-both-removed");
    let src = small(&dir);
    std::fs::create_dir_all(src.join("overlays")).unwrap();
    // SPN removed "Paragraf kedua tetap."; the module then removed it too.
    std::fs::write(
        src.join("overlays/spn.md"),
        "# Sesi Uji {#uji}\n\n::: {.delete}\n::: {.canonical}\nParagraf kedua tetap.\n:::\n:::\n",
    )
    .unwrap();
    let session = src.join("01-uji.md");
    let text = std::fs::read_to_string(&session).unwrap();
    std::fs::write(&session, text.replace("Paragraf kedua tetap.\n\n", "")).unwrap();
    let o = run_in(&dir, &["check", "--source", "source"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: SPN's overlay removes a block the module no longer has"),
        "{err}"
    );
    assert!(err.contains("source/overlays/spn.md:3:1"), "{err}");
    assert!(err.contains("help: delete the entry"), "{err}");
}

#[test]
fn a_changed_canonical_text_is_a_conflict_at_the_overlay_line_and_an_insertion_above_is_not() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-conflict");
    let src = small(&dir);
    build_docx(&dir);
    let edited = dir.join("edited.docx");
    replace_in_run(
        &dir.join(SPN_COPY),
        &edited,
        "akan diubah oleh federasi",
        "sudah diubah oleh SPN",
    );
    ok(&absorb(&dir, "spn", "edited.docx"));
    let session = src.join("01-uji.md");
    let text = std::fs::read_to_string(&session).unwrap();

    // A canonical paragraph inserted above: no conflict, the edit stays in place.
    std::fs::write(
        &session,
        text.replace(
            "Paragraf pertama",
            "Paragraf baru di atas.\n\nParagraf pertama",
        ),
    )
    .unwrap();
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    if have("pandoc") {
        let w = words(&copy);
        assert!(
            w.contains("Paragraf baru di atas. Paragraf pertama yang sudah diubah oleh SPN. Paragraf kedua tetap."),
            "{w}"
        );
    }

    // A changed word in the paragraph the overlay replaces: the conflict, at its line.
    std::fs::write(
        &session,
        text.replace("yang akan diubah", "yang nanti diubah"),
    )
    .unwrap();
    let o = run_in(&dir, &["check", "--source", "source"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let overlay = overlay_of(&src, "spn");
    let line = overlay
        .lines()
        .position(|l| l.starts_with("::: {.replace copy="))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("source/overlays/spn.md:{line}:1")),
        "{err}"
    );
    for part in [
        "conflict: SPN's overlay changes a block whose canonical text has changed since",
        "the text SPN edited: “Paragraf pertama yang akan diubah oleh federasi.”",
        "the canonical text now (01-uji.md:3): “Paragraf pertama yang nanti diubah oleh federasi.”",
        "SPN's text: “Paragraf pertama yang sudah diubah oleh SPN.”",
        "copy the canonical text now into the entry's `canonical` part",
    ] {
        assert!(err.contains(part), "missing {part}:\n{err}");
    }
    // It stops a build of SPN's files, and of every file; a build of none of them (the
    // booklets, another federation's copy) is told it as a warning.
    let build = |args: &[&str]| {
        let mut all = vec!["build", "--source", "source", "--out", "out"];
        all.extend_from_slice(args);
        run_in(&dir, &all)
    };
    let before = listing(&dir.join("out"));
    for args in [&[][..], &["--only", "docx", "--federation", "spn"]] {
        let o = build(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("error: conflict: SPN's overlay"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(before, listing(&dir.join("out")), "nothing was written");
    for args in [
        &["--only", "booklet"][..],
        &["--only", "docx", "--federation", "fspmi"],
    ] {
        let o = build(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("warning: conflict: SPN's overlay"), "{err}");
        assert!(
            err.contains("this build makes none of that federation's files"),
            "{err}"
        );
    }
    assert!(dir.join("out/booklet/uji-participant.pdf").is_file());
    assert!(dir.join("out/docx/fspmi/uji-participant.docx").is_file());
    // FSPMI's copy is absorbed all the same, told SPN's conflict; SPN's is not.
    let o = absorb(&dir, "fspmi", "out/docx/fspmi/uji-participant.docx");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: conflict: SPN's overlay")
            && stderr(&o)
                .contains("it is another federation's: this copy is absorbed all the same"),
        "{}",
        stderr(&o)
    );
    let o = absorb(&dir, "spn", SPN_COPY);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Resolved as documented: the canonical part takes the canonical text now.
    std::fs::write(
        src.join("overlays/spn.md"),
        overlay.replace(
            "yang akan diubah oleh federasi",
            "yang nanti diubah oleh federasi",
        ),
    )
    .unwrap();
    ok(&run_in(&dir, &["check", "--source", "source"]));
    // The copy the change came from, absorbed again: the overlay holds its text, nothing is
    // said. With the resolution's text merged by hand, it is told, not undone.
    let o = absorb(&dir, "spn", &edited);
    assert!(
        ok(&o).starts_with("spn: tidak ada yang perlu diserap"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("not absorbed"), "{}", stderr(&o));
    let resolved = overlay_of(&src, "spn");
    std::fs::write(
        src.join("overlays/spn.md"),
        resolved.replace(
            "yang sudah diubah oleh SPN",
            "yang sudah diubah oleh SPN bersama",
        ),
    )
    .unwrap();
    let o = absorb(&dir, "spn", "edited.docx");
    let err = stderr(&o);
    assert!(
        err.contains("not absorbed again: `overlays/spn.md` holds this paragraph's change"),
        "{err}"
    );
    assert!(!err.contains("copy the change into"), "{err}");
    assert!(overlay_of(&src, "spn").contains("diubah oleh SPN bersama"));
}

#[test]
fn bad_input_is_refused_with_its_reason_and_nothing_written() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-bad");
    let src = small(&dir);
    build_docx_for(&dir, "spn,fspmi");
    let spn = dir.join(SPN_COPY);
    std::fs::write(dir.join("notes.txt"), "not a docx").unwrap();
    let bytes = std::fs::read(&spn).unwrap();
    std::fs::write(dir.join("cut.docx"), &bytes[..bytes.len() / 2]).unwrap();
    python(
        "import docx,sys; d=docx.Document(); d.add_paragraph('Hai'); d.save(sys.argv[1])",
        &[dir.join("other.docx")],
    );
    // A copy with a pending tracked insertion.
    python(
        "import docx,sys\nfrom docx.oxml.ns import qn\nd=docx.Document(sys.argv[1])\np=d.paragraphs[-1]._p\nins=p.makeelement(qn('w:ins'),{qn('w:id'):'900',qn('w:author'):'A'})\nr=p.makeelement(qn('w:r'),{})\nt=r.makeelement(qn('w:t'),{})\nt.text='baru'\nr.append(t); ins.append(r); p.append(ins)\nd.save(sys.argv[2])",
        &[&spn, &dir.join("tracked.docx")],
    );
    // A Word 97–2003 file: a compound file, not a zip archive.
    std::fs::write(
        dir.join("lama.doc"),
        [
            &[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
            &[0; 504][..],
        ]
        .concat(),
    )
    .unwrap();
    // What LibreOffice saves by default, and a deck: zip archives without a Word document.
    python(
        "import zipfile,sys\nfor name, parts in ((sys.argv[1], {'mimetype': 'application/vnd.oasis.opendocument.text', 'content.xml': '<x/>'}), (sys.argv[2], {'ppt/presentation.xml': '<x/>'})):\n    with zipfile.ZipFile(name, 'w') as z:\n        [z.writestr(k, v) for k, v in parts.items()]",
        &[dir.join("copy.odt"), dir.join("deck.pptx")],
    );
    // The copy with every bookmark gone (as an editor that drops them saves it), and a PDF.
    python(
        "import zipfile,re,sys\nsrc=zipfile.ZipFile(sys.argv[1])\nwith zipfile.ZipFile(sys.argv[2],'w') as z:\n    for i in src.infolist():\n        b=src.read(i.filename)\n        if i.filename=='word/document.xml': b=re.sub(rb'<w:bookmark(Start|End)[^>]*/>',b'',b)\n        z.writestr(i,b)",
        &[&spn, &dir.join("unmarked.docx")],
    );
    std::fs::write(dir.join("copy.pdf"), b"%PDF-1.7\n%\xe2\xe3\n").unwrap();
    // Another module's copy.
    let other = dir.join("other-module");
    std::fs::create_dir_all(&other).unwrap();
    let other_src = common::small_module(&other, "Teks lain.\n");
    std::fs::write(
        other_src.join("module.toml"),
        std::fs::read_to_string(other_src.join("module.toml"))
            .unwrap()
            .replace("id = \"uji\"", "id = \"lain\""),
    )
    .unwrap();
    build_docx(&other);

    let before = listing(&src);
    let other_copy = other.join("out/docx/spn/lain-participant.docx");
    let cases: [(&str, &str, &str); 12] = [
        (
            "spn",
            "unmarked.docx",
            "has lost the hidden marks that tie its paragraphs to the module",
        ),
        ("spn", "copy.pdf", "it is not a DOCX: it is a PDF"),
        (
            "spn",
            "lama.doc",
            "it is not a DOCX: it is a Word 97–2003 document (.doc)\n  = help: open the copy and save it as a Word Document (.docx)",
        ),
        (
            "spn",
            "copy.odt",
            "it is not a DOCX: it is an OpenDocument text (.odt), as LibreOffice saves by default\n  = help: open the copy and save it as a Word Document (.docx)",
        ),
        (
            "spn",
            "deck.pptx",
            "it is not a DOCX: it is a PowerPoint deck\n  = help: absorb reads the federation's DOCX copies",
        ),
        (
            "spn",
            "out/docx/fspmi/uji-participant.docx",
            "is the copy of federation `fspmi`, not of `spn`",
        ),
        (
            "spn",
            other_copy.to_str().unwrap(),
            "is a copy of module `lain`, not of `uji`",
        ),
        (
            "spn",
            "other.docx",
            "was not made by modulpress (it has no modulpress properties)",
        ),
        (
            "spn",
            "notes.txt",
            "it is not a DOCX (not a readable zip archive",
        ),
        (
            "spn",
            "cut.docx",
            "it is not a DOCX (not a readable zip archive",
        ),
        ("spnn", SPN_COPY, "unknown federation `spnn`"),
        (
            "spn",
            "tracked.docx",
            "accept or reject the tracked changes in Word first",
        ),
    ];
    for (fed, file, message) in cases {
        let o = absorb(&dir, fed, file);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{file}: {}", stderr(&o));
        assert_eq!(before, listing(&src), "{file} wrote something");
    }
    // A file that is not there is the environment's problem, not the module's: exit 2.
    let o = absorb(&dir, "spn", "missing.docx");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("there is no file `missing.docx`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, listing(&src), "a missing file wrote something");
}

#[test]
fn an_english_init_module_absorbs_with_english_labels() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-en");
    ok(&run_in(&dir, &["init", "source", "--lang", "en"]));
    build_docx(&dir);
    let docx = std::fs::read_dir(dir.join("out/docx/spn"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("participant.docx"))
        .unwrap();
    // Change the first word of the first session's first body paragraph, and delete the
    // paragraph after it.
    let script = "import docx,sys\nfrom docx.oxml.ns import qn\nd=docx.Document(sys.argv[1])\nbody=[p for p in d.paragraphs if p.style.name=='Body Text' and any((b.get(qn('w:name')) or '').startswith('_mp') and not (b.get(qn('w:name')) or '').startswith('_mpx') for b in p._p.iter(qn('w:bookmarkStart')))]\nr=[r for r in body[0].runs if r.text.strip()][0]\nr.text='Changed: '+r.text\nbody[1]._p.getparent().remove(body[1]._p)\nd.save(sys.argv[2])\n";
    python(script, &[&docx, &dir.join("edited.docx")]);
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 1 paragraph changed, 1 removed (session 1)\n  written to source/overlays/spn.md\n"
    );
    ok(&run_in(&dir, &["check", "--source", "source"]));
}

#[test]
fn an_inserted_picture_is_saved_beside_the_overlay_and_a_footnote_stays() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-picture");
    let src = common::small_module(
        &dir,
        "Paragraf dengan catatan yang akan diubah.[^a]\n\n[^a]: Isi catatan kaki.\n\nParagraf kedua tetap.\n",
    );
    build_docx(&dir);
    // A PNG made here, inserted after the second paragraph; the first paragraph's text
    // changed beside its footnote reference.
    let script = r#"
import docx, struct, sys, zlib
from docx.oxml.ns import qn
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
raw = b''.join(b'\x00' + bytes([200, 30, 30] * 16) for _ in range(16))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 16, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(sys.argv[3], 'wb').write(png)
d = docx.Document(sys.argv[1])
first = [p for p in d.paragraphs if 'akan diubah' in p.text][0]
for r in first.runs:
    if 'akan diubah' in r.text:
        r.text = r.text.replace('akan diubah', 'sudah diubah')
second = [p for p in d.paragraphs if 'Paragraf kedua' in p.text][0]
pic = d.add_paragraph()
pic.add_run().add_picture(sys.argv[3], width=docx.shared.Cm(6))
second._p.addnext(pic._p)
d.save(sys.argv[2])
"#;
    python(
        script,
        &[
            &dir.join(SPN_COPY),
            &dir.join("edited.docx"),
            &dir.join("merah.png"),
        ],
    );
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 1 paragraf diubah, 1 ditambahkan (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = overlay_of(&src, "spn");
    assert!(
        overlay
            .contains("Paragraf dengan catatan yang sudah diubah.[^1]\n\n[^1]: Isi catatan kaki."),
        "{overlay}"
    );
    let png = std::fs::read(dir.join("merah.png")).unwrap();
    let saved: Vec<_> = std::fs::read_dir(src.join("overlays/spn"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(std::fs::read(saved[0].path()).unwrap(), png);
    let name = saved[0].file_name().into_string().unwrap();
    // 6 cm of the copy's text width, as the person sized it.
    assert!(
        overlay.contains(&format!("![](overlays/spn/{name}){{width=37%}}")),
        "{overlay}"
    );
    // The next build shows both.
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let bytes = std::fs::read(&copy).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    assert!(
        names.iter().any(|n| n.starts_with("word/media/")),
        "{names:?}"
    );
    let notes = docx_part(&copy, "word/footnotes.xml");
    assert!(notes.contains("Isi catatan kaki."));
    // And absorbing that copy finds nothing new.
    assert_nothing_to_absorb(&dir, "spn", SPN_COPY);
}

#[test]
fn a_paragraph_added_after_a_box_follows_the_box_and_a_table_in_a_box_is_no_change() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-box");
    let src = common::small_module(
        &dir,
        "Pembuka.\n\n::: {.case title=\"Kasus Pabrik\"}\nIsi kasus.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n:::\n\nPenutup.\n",
    );
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let before = listing(&src);
    assert_nothing_to_absorb(&dir, "spn", &copy);
    assert_eq!(before, listing(&src));
    // A paragraph after the box (in the body, not in the box's table), one inside it.
    let script = r#"
body = d.element.body
box = [t for t in body.iter(qn('w:tbl')) if 'Kasus Pabrik' in ''.join(x.text or '' for x in t.iter(qn('w:t')))][0]
closing = [p for p in body.iter(qn('w:p')) if 'Penutup.' in ''.join(x.text or '' for x in p.iter(qn('w:t')))][0]
box.addnext(para('Catatan SPN sesudah kasus.', closing))
inner = [p for p in box.iter(qn('w:p')) if 'Isi kasus.' in ''.join(x.text or '' for x in p.iter(qn('w:t')))][0]
inner.addnext(para('Tambahan di dalam kasus.', inner))
"#;
    edit_copy(script, &copy, &dir.join("edited.docx"));
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 2 ditambahkan (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = overlay_of(&src, "spn");
    assert!(
        overlay.contains("::: {.after outside=box copy=participant-"),
        "{overlay}"
    );
    build_docx(&dir);
    if have("pandoc") {
        let w = words(&copy);
        assert!(
            w.contains("Isi kasus. Tambahan di dalam kasus. A B 1 2")
                && w.contains("2 Catatan SPN sesudah kasus. Penutup."),
            "{w}"
        );
    }
    // The rebuilt copy holds the box and the paragraph after it where they were absorbed.
    let xml = docx_part(&copy, "word/document.xml");
    let end_of_box = xml.rfind("</w:tbl>").unwrap();
    assert!(xml.find("Catatan SPN sesudah kasus.").unwrap() > end_of_box);
    assert_nothing_to_absorb(&dir, "spn", &copy);
}

#[test]
fn formatting_and_comments_are_counted_and_ignored() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-formatting");
    let src = small(&dir);
    build_docx(&dir);
    let script = r#"
import docx, sys
from docx.shared import Pt, RGBColor
d = docx.Document(sys.argv[1])
second = [p for p in d.paragraphs if 'Paragraf kedua' in p.text][0]
for r in second.runs:
    r.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    r.font.size = Pt(14)
first = [p for p in d.paragraphs if 'Paragraf pertama' in p.text][0]
d.add_comment(first.runs, text='Perlu contoh lokal?', author='Sekretaris', initials='S')
d.save(sys.argv[2])
"#;
    python(script, &[&dir.join(SPN_COPY), &dir.join("edited.docx")]);
    let before = listing(&src);
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: tidak ada yang perlu diserap; diabaikan: format di 1 paragraf, 1 komentar\n  huruf, warna dan jarak diatur di layouts/docx.toml dan layouts/federations/spn.toml (tata letak bawaan: salin dulu dengan `modulpress layouts --export layouts`)\n"
    );
    assert_eq!(before, listing(&src));
}

/// A footnote's own text changed and a list item's bullet taken off are not recorded, and
/// absorb says so rather than that the copy is as it was built; the same after LibreOffice
/// saved it, which writes the last paragraph's style into it (no formatting of the person's).
#[test]
fn a_changed_footnote_and_an_unbulleted_item_are_told_not_recorded() {
    if !have("python3") || !have("soffice") {
        return;
    }
    let dir = temp_dir("absorb-notes-list");
    let src = common::small_module(
        &dir,
        "Paragraf dengan catatan.[^a]\n\n- butir satu\n- butir dua\n\nParagraf terakhir.\n\n[^a]: Catatan kaki asli.\n",
    );
    build_docx(&dir);
    let script = r#"
item = [p for p in d.paragraphs if p.text == 'butir dua'][0]._p
item.pPr.remove(item.pPr.find(qn('w:numPr')))
notes = [p for p in d.part.package.parts if p.partname == '/word/footnotes.xml'][0]
notes._blob = notes.blob.replace(b'Catatan kaki asli', b'Catatan kaki SPN')
"#;
    edit_copy(script, &dir.join(SPN_COPY), &dir.join("edited.docx"));
    let saved = libreoffice(&dir.join("edited.docx"), &dir.join("lo"));
    let before = listing(&src);
    for file in [dir.join("edited.docx"), saved] {
        assert_eq!(
            ok(&absorb(&dir, "spn", &file)),
            "spn: tidak ada yang perlu diserap; diabaikan: 1 teks catatan kaki yang diubah (catatan kaki diubah di sumber), 1 butir daftar yang dijadikan paragraf (poin dan nomor daftar berasal dari sumber)\n",
            "{}",
            file.display()
        );
    }
    assert_eq!(before, listing(&src));
    // The copy as built, saved by LibreOffice: nothing at all.
    let saved = libreoffice(&dir.join(SPN_COPY), &dir.join("lo-plain"));
    assert_eq!(
        ok(&absorb(&dir, "spn", &saved)),
        "spn: tidak ada yang perlu diserap (salinan ini memuat teks seperti saat dibuat)\n"
    );
}

#[test]
fn an_added_list_item_joins_its_list() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-list");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    // Word's Enter at the end of a list item: a copy of its paragraph, without the mark.
    let script = r#"
item = [p for p in d.paragraphs if p.text == 'butir satu'][0]._p
item.addnext(para('butir sisipan SPN', item))
"#;
    edit_copy(script, &copy, &dir.join("edited.docx"));
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 1 ditambahkan (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = additions_of(&src, "spn");
    assert!(
        overlay
            .contains("::: {.after}\n::: {.canonical}\nbutir satu\n:::\n- butir sisipan SPN\n:::"),
        "{overlay}"
    );
    build_docx(&dir);
    if have("pandoc") {
        let w = words(&copy);
        assert!(w.contains("butir satu butir sisipan SPN butir dua"), "{w}");
    }
    // One list of three items: the same numbering instance for each.
    let xml = docx_part(&copy, "word/document.xml");
    let num = |text: &str| {
        let at = xml.find(text).unwrap();
        let p = xml[..at].rfind("<w:p ").unwrap();
        let n = xml[p..at].find("<w:numId w:val=\"").unwrap() + p + 16;
        xml[n..n + xml[n..].find('"').unwrap()].to_string()
    };
    assert_eq!(num("butir satu"), num("butir sisipan SPN"));
    assert_eq!(num("butir satu"), num("butir dua"));
    assert_nothing_to_absorb(&dir, "spn", &copy);
}

/// A sentence typed at the start of a paragraph, then Enter: the block's bookmark is on the
/// new paragraph (Word), or on both (LibreOffice writes a bookmark across two paragraphs as
/// two). The new paragraph is added before the block, whose text stays the module's; and a
/// paragraph split in two, saved by LibreOffice, keeps both halves.
#[test]
fn a_paragraph_typed_before_another_is_added_and_a_split_one_keeps_both_halves() {
    if !have("python3") || !have("soffice") {
        return;
    }
    let dir = temp_dir("absorb-typed-before");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let script = r#"
second = [p for p in d.paragraphs if p.text.startswith('Paragraf kedua')][0]._p
new = para('Kalimat baru dari SPN.', second)
new.insert(1, second.find(qn('w:bookmarkStart')))
second.addprevious(new)
first = [p for p in d.paragraphs if p.text.startswith('Paragraf pertama')][0]._p
r = first.find(qn('w:r'))
r.find(qn('w:t')).text = 'Paragraf pertama yang akan diubah'
tail = para('oleh federasi, kata SPN.', first)
end = first.find(qn('w:bookmarkEnd'))
tail.append(end)
first.addnext(tail)
"#;
    edit_copy(script, &copy, &dir.join("edited.docx"));
    let lo = dir.join("lo");
    let saved = libreoffice(&dir.join("edited.docx"), &lo);
    // Both ways the marks run, one overlay.
    for file in [dir.join("edited.docx"), saved] {
        let _ = std::fs::remove_file(src.join("overlays/spn.md"));
        let o = absorb(&dir, "spn", &file);
        assert!(
            ok(&o).starts_with("spn: 1 paragraf diubah, 2 ditambahkan (sesi 1)"),
            "{}: {}",
            file.display(),
            stdout(&o)
        );
        assert!(!stderr(&o).contains("moved"), "{}", stderr(&o));
        let overlay = additions_of(&src, "spn");
        for needle in [
            "::: {.replace copy=participant-",
            "\nParagraf pertama yang akan diubah\n:::\n",
            "::: {.after}\n::: {.canonical}\nParagraf pertama yang akan diubah oleh federasi.\n:::\noleh federasi, kata SPN.\n\nKalimat baru dari SPN.\n:::\n",
        ] {
            assert!(overlay.contains(needle), "{}: {overlay}", file.display());
        }
        assert_eq!(overlay.matches("{.replace").count(), 1, "{overlay}");
    }
    build_docx(&dir);
    if have("pandoc") {
        let w = words(&copy);
        assert!(
            w.contains("Paragraf pertama yang akan diubah oleh federasi, kata SPN. Kalimat baru dari SPN. Paragraf kedua tetap."),
            "{w}"
        );
    }
}

/// The same sentence added a second time is one more block added, as absorb writes it.
#[test]
fn the_same_sentence_added_twice_counts_twice() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-twice-the-same");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    let script = r#"
like = [p for p in d.paragraphs if p.text.startswith('Paragraf kedua')][0]._p
last = [p for p in d.paragraphs if p.text == 'Sama.']
(last[-1]._p if last else like).addnext(para('Sama.', like))
"#;
    edit_copy(script, &copy, &dir.join("edited.docx"));
    assert!(ok(&absorb(&dir, "spn", "edited.docx")).starts_with("spn: 1 ditambahkan (sesi 1)\n"));
    build_docx(&dir);
    edit_copy(script, &copy, &dir.join("edited-again.docx"));
    assert!(
        ok(&absorb(&dir, "spn", "edited-again.docx")).starts_with("spn: 1 ditambahkan (sesi 1)\n"),
        "{}",
        overlay_of(&src, "spn")
    );
    assert_eq!(overlay_of(&src, "spn").matches("\nSama.\n").count(), 2);
}

#[test]
fn a_paragraph_added_at_a_sessions_start_stays_there() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-start");
    let src = small(&dir);
    build_docx(&dir);
    let copy = dir.join(SPN_COPY);
    // Right after the session's heading (before its generated time line).
    let script = r#"
heading = [p for p in d.paragraphs if p.text.startswith('Sesi 1:') and p.style.name.lower() == 'heading 1'][-1]._p
like = [p for p in d.paragraphs if 'Paragraf kedua' in p.text][0]._p
heading.addnext(para('Pengantar dari SPN.', like))
"#;
    edit_copy(script, &copy, &dir.join("edited.docx"));
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 1 ditambahkan (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    let overlay = additions_of(&src, "spn");
    assert!(
        overlay.contains("# Sesi Uji {#uji}\n\n::: {.after}\nPengantar dari SPN.\n:::\n"),
        "{overlay}"
    );
    build_docx(&dir);
    if have("pandoc") {
        let w = words(&copy);
        assert!(
            w.contains("60 menit Pengantar dari SPN. Paragraf pertama"),
            "{w}"
        );
    }
    assert_nothing_to_absorb(&dir, "spn", &copy);
}

#[test]
fn a_copy_of_the_previous_edition_is_absorbed_into_the_next() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("absorb-edition");
    let src = small(&dir);
    build_docx(&dir);
    let old = dir.join("old.docx");
    std::fs::copy(dir.join(SPN_COPY), &old).unwrap();
    // The next edition: a paragraph added at the top, the second paragraph reworded.
    let session = src.join("01-uji.md");
    let text = std::fs::read_to_string(&session).unwrap();
    std::fs::write(
        &session,
        text.replace(
            "Paragraf pertama",
            "Paragraf baru edisi dua.\n\nParagraf pertama",
        )
        .replace(
            "Paragraf kedua tetap.",
            "Paragraf kedua diperbarui, *sekarang*.",
        ),
    )
    .unwrap();
    // SPN edited the old copy: the first paragraph, and the second one too.
    let edited = dir.join("edited.docx");
    replace_in_run(
        &old,
        &dir.join("half.docx"),
        "akan diubah oleh federasi",
        "sudah diubah oleh SPN",
    );
    replace_in_run(
        &dir.join("half.docx"),
        &edited,
        "kedua tetap",
        "kedua versi SPN",
    );
    let o = absorb(&dir, "spn", "edited.docx");
    assert_eq!(
        ok(&o),
        "spn: 1 paragraf diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    assert!(
        stderr(&o).contains("warning: not absorbed, changed in this copy and in the canonical source since it was built: “Paragraf kedua versi SPN.”\n  = this copy against the module's text now, 01-uji.md:7 ([-the module's] [+this copy's]): “Paragraf kedua [-diperbarui, sekarang.] [+versi SPN.]”"),
        "{}",
        stderr(&o)
    );
    ok(&run_in(&dir, &["check", "--source", "source"]));
    build_docx(&dir);
    if have("pandoc") {
        let w = words(&dir.join(SPN_COPY));
        assert!(
            w.contains("Paragraf baru edisi dua. Paragraf pertama yang sudah diubah oleh SPN. Paragraf kedua diperbarui, sekarang."),
            "{w}"
        );
    }
}

/// A cell's text changed in Word is told as a table changed, not a paragraph.
#[test]
fn a_changed_table_cell_is_counted_as_a_table() {
    let dir = temp_dir("absorb-table");
    let src = common::small_module(
        &dir,
        "Paragraf pertama.\n\n| Hak | Dasar hukum |\n|---|---|\n| Berserikat | UU yang akan diubah |\n\nParagraf kedua.\n",
    );
    build_docx(&dir);
    let script = "for r in [r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]:\n    r.text = r.text.replace('UU yang akan diubah', 'UU No. 21 Tahun 2000')\n";
    edit_copy(script, &dir.join(SPN_COPY), &dir.join("edited.docx"));
    assert_eq!(
        ok(&absorb(&dir, "spn", "edited.docx")),
        "spn: 1 tabel diubah (sesi 1)\n  ditulis ke source/overlays/spn.md\n"
    );
    assert!(overlay_of(&src, "spn").contains("UU No. 21 Tahun 2000"));
}
