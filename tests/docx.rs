//! The editable DOCX copies, checked with the programs federations open them with:
//! LibreOffice renders them, python-docx reads styles and properties, pandoc reads the
//! structure back; plus byte-identical builds, the manifest and the package's XML.
//!
//! The builds run once (the first test to need them builds them) and every test reads
//! the same output folders.

mod common;
mod docx_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, have, openxml_audit, root, run, run_in, stderr, temp_dir};
use docx_support::{
    Counts, FEDERATIONS, count_model, count_pandoc, docx, files_under, outputs, part, pdftotext,
    python_check, soffice,
};
use serde_json::Value;

#[test]
fn every_federation_gets_both_audiences_in_the_manifest() {
    let o = outputs();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(o.full.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["outputs"].as_array().unwrap();
    assert_eq!(entries.len(), 16, "{manifest:#}");
    for fed in FEDERATIONS {
        for audience in ["participant", "facilitator"] {
            let path = format!("docx/{fed}/foa-{audience}.docx");
            let e = entries
                .iter()
                .find(|e| e["path"] == path.as_str())
                .unwrap_or_else(|| panic!("no manifest entry for {path}"));
            assert_eq!(e["kind"], "docx");
            assert_eq!(e["audience"], audience);
            assert_eq!(e["federation"], fed);
            assert!(e["pages"].is_null());
            let bytes = std::fs::read(o.full.join(&path)).unwrap();
            assert_eq!(e["bytes"].as_u64(), Some(bytes.len() as u64));
            use sha2::Digest;
            let hex: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(e["sha256"], hex.as_str());
        }
    }
}

#[test]
fn builds_are_byte_identical_across_runs_and_worker_counts() {
    let o = outputs();
    let full = files_under(&o.full);
    let serial = files_under(&o.serial);
    assert_eq!(full.len(), 16);
    for (path, bytes) in &full {
        assert!(
            serial[path] == *bytes,
            "{path} differs between --jobs 2 and --jobs 1"
        );
    }
    for (path, bytes) in files_under(&o.fspmi) {
        assert!(full[&path] == bytes, "{path} differs when built alone");
    }
    // The zip itself: fixed timestamps, content types first.
    let file = std::fs::File::open(docx(&o.full, "spn", "foa", "participant")).unwrap();
    let mut z = zip::ZipArchive::new(file).unwrap();
    assert_eq!(z.by_index(0).unwrap().name(), "[Content_Types].xml");
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
    }
}

#[test]
fn parts_are_in_schema_order_with_unique_paragraph_ids() {
    let o = outputs();
    for file in [
        docx(&o.full, "fspmi", "foa", "facilitator"),
        docx(&o.contoh, "contoh", "foa", "participant"),
        docx(&o.every, "fspmi", "uji-lengkap", "facilitator"),
    ] {
        let names = [
            "word/document.xml",
            "word/styles.xml",
            "word/numbering.xml",
            "word/footnotes.xml",
            "word/header1.xml",
            "word/footer1.xml",
        ];
        let parts: Vec<String> = names.iter().map(|n| part(&file, n)).collect();
        for (n, xml) in names.iter().zip(&parts) {
            if let Err(e) = modulpress::render::docx::check_schema_order(xml.as_bytes()) {
                panic!("{}: {n}: {e}", file.display());
            }
        }
        let bytes: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
        let count = modulpress::render::docx::check_para_ids(&bytes).unwrap();
        assert!(count > 10, "{count} paragraph ids");
    }
}

#[test]
fn formatting_lives_in_styles_not_in_runs() {
    let o = outputs();
    let file = docx(&o.full, "fspmi", "foa", "facilitator");
    let doc = part(&file, "word/document.xml");
    // A long box's label row and content row meet without cell margins between them
    // (the only cell margins set in a cell), as a short box's label and content do.
    let (under_label, over_content) = (
        doc.matches("<w:tcMar><w:bottom w:w=\"0\" w:type=\"dxa\"/></w:tcMar>")
            .count(),
        doc.matches("<w:tcMar><w:top w:w=\"0\" w:type=\"dxa\"/></w:tcMar>")
            .count(),
    );
    assert!(under_label > 5, "{under_label} long boxes");
    assert_eq!(under_label, over_content);
    assert_eq!(doc.matches("<w:tcMar>").count(), 2 * under_label);
    for direct in [
        "<w:rFonts",
        "<w:sz ",
        "<w:color ",
        "<w:b/>",
        "<w:i/>",
        "<w:spacing ",
        "<w:ind ",
        "<w:shd ",
    ] {
        assert!(!doc.contains(direct), "document.xml carries {direct}");
    }
    let styles = part(&file, "word/styles.xml");
    for style in [
        "heading 1",
        "heading 2",
        "heading 3",
        "Title",
        "Subtitle",
        "caption",
        "footnote text",
        "Hyperlink",
        "Emphasis",
        "Strong",
        "Module Table",
        "Catatan Fasilitator",
        "Tujuan Pembelajaran",
        "Kegiatan",
        "Poin Penting",
        "Studi Kasus",
        "Lembar Kerja",
    ] {
        assert!(
            styles.contains(&format!("<w:name w:val=\"{style}\"/>")),
            "no style {style}"
        );
    }
    assert!(
        styles.contains("<w:lang w:val=\"id-ID\""),
        "no language in the defaults"
    );
    assert!(styles.contains("<w:tblStylePr w:type=\"firstRow\">"));
    assert!(doc.contains("<w:tblHeader/>"), "table header rows repeat");
    let settings = part(&file, "word/settings.xml");
    assert!(
        !settings.contains("updateFields"),
        "no update-fields prompt"
    );
    let numbering = part(&file, "word/numbering.xml");
    assert!(numbering.contains("<w:abstractNum w:abstractNumId=\"2\">"));
    assert!(
        numbering.contains("<w:startOverride w:val=\"1\"/>"),
        "lists restart"
    );
    assert!(
        part(&file, "docProps/app.xml")
            .contains("<Company>Federasi Serikat Pekerja Metal Indonesia</Company>")
    );
    // The TOC is a real field whose result lists every session and section as a link.
    assert!(
        doc.contains(r#"<w:instrText> TOC \o "1-2" \h"#),
        "no TOC field"
    );
    let toc_links = doc.matches("<w:pStyle w:val=\"TOC1\"/>").count();
    assert_eq!(toc_links, 9, "one TOC entry per session");
    let english = docx(&o.english, "spn", "uji-lengkap", "participant");
    assert!(part(&english, "word/styles.xml").contains("<w:lang w:val=\"en-US\""));
    assert!(part(&english, "word/document.xml").contains(">Contents<"));
}

#[test]
fn routing_and_placeholders_follow_the_federation_and_audience() {
    let o = outputs();
    let text = |f: &Path| part(f, "word/document.xml");
    let p = text(&docx(&o.every, "fspmi", "uji-lengkap", "participant"));
    let f = text(&docx(&o.every, "fspmi", "uji-lengkap", "facilitator"));
    assert!(
        p.contains("Federasi Serikat Pekerja Metal Indonesia (FSPMI)"),
        "placeholders resolve"
    );
    assert!(
        p.contains("Tulisan {{org.name}} tetap"),
        "escaped braces stay"
    );
    assert!(
        p.contains("Contoh sektor logam"),
        "FSPMI's own passage is kept"
    );
    assert!(!p.contains("Catatan Fasilitator") && !p.contains("Hanya untuk fasilitator"));
    assert!(f.contains("Hanya untuk fasilitator") && f.contains("Slide 4: Hak Berserikat"));
    assert!(
        f.contains("Jelaskan perbedaan kedua konvensi"),
        "speaker notes under the slide line"
    );
    assert!(
        !f.contains("Konvensi ILO 98<"),
        "slide bullets are not in the document"
    );
    assert!(f.contains("Agenda Pelatihan") && !p.contains("Agenda Pelatihan"));
    let spn = text(&docx(&o.full, "spn", "foa", "participant"));
    assert!(
        !spn.contains("Contoh dari sektor logam"),
        "another federation's passage stays out"
    );
    assert!(
        text(&docx(&o.full, "fspmi", "foa", "participant")).contains("Contoh dari sektor logam")
    );
    let contoh = text(&docx(&o.contoh, "contoh", "foa", "participant"));
    assert!(contoh.contains("Kata Pengantar") && contoh.contains("Jl. Contoh No. 1"));
    // The preface's own first heading is its page's title, not a second title under the
    // copy's; its other headings stay out of the contents and the navigation pane.
    assert_eq!(contoh.matches("Kata Pengantar").count(), 1, "one title");
    let sub = contoh
        .find(">Harapan Kami<")
        .expect("the preface's subheading");
    let para = &contoh[contoh[..sub]
        .rfind("<w:p>")
        .or(contoh[..sub].rfind("<w:p "))
        .unwrap()..sub];
    assert!(para.contains("w:val=\"FrontSubheading\""), "{para}");
    assert!(
        !spn.contains("Kata Pengantar"),
        "shipped profiles have no preface"
    );
}

#[test]
fn corners_links_in_footnotes_jpeg_list_starts_and_missing_anchors() {
    let o = outputs();
    let file = docx(&o.edges, "fspmi", "tepi", "participant");
    let notes = part(&file, "word/footnotes.xml");
    let rels = part(&file, "word/_rels/footnotes.xml.rels");
    assert!(
        rels.contains("Target=\"https://www.ilo.org/?a=1&amp;b=2\" TargetMode=\"External\""),
        "{rels}"
    );
    assert!(notes.contains("<w:hyperlink r:id=\"rId1\""), "{notes}");
    let doc = part(&file, "word/document.xml");
    assert!(doc.contains("bagian SPN") && !doc.contains("Khusus SPN"));
    assert!(
        !doc.contains("w:anchor=\"h_khusus_spn\""),
        "no link to a heading this copy lacks"
    );
    assert!(part(&file, "word/numbering.xml").contains("<w:startOverride w:val=\"3\"/>"));
    assert!(part(&file, "[Content_Types].xml").contains("Extension=\"jpeg\""));
    let z = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    assert!(
        z.file_names()
            .any(|n| n.starts_with("word/media/") && n.ends_with(".jpeg")),
        "the JPEG is kept as it is"
    );
    for name in ["word/document.xml", "word/footnotes.xml", "word/styles.xml"] {
        modulpress::render::docx::check_schema_order(part(&file, name).as_bytes()).unwrap();
    }
    if have("python3") {
        let report = python_check(&file, &[]);
        assert_eq!(report["problems"], Value::Array(vec![]), "{report:#}");
        assert_eq!(
            report["headings"],
            serde_json::json!({"1": 1, "2": 0, "3": 1})
        );
    }
    if have("pandoc") {
        let md = Command::new("pandoc")
            .args(["-f", "docx", "-t", "markdown"])
            .arg(&file)
            .output()
            .unwrap();
        let md = String::from_utf8_lossy(&md.stdout);
        assert!(
            md.contains("[situs ILO](https://www.ilo.org/?a=1&b=2)"),
            "{md}"
        );
        assert!(md.contains("3.  tiga"), "the list starts at 3: {md}");
    }
}

#[test]
fn python_docx_finds_only_our_styles_and_the_properties() {
    if !have("python3") {
        return;
    }
    let o = outputs();
    for (file, lang) in [
        (docx(&o.full, "fspmi", "foa", "facilitator"), "id-ID"),
        (docx(&o.full, "aspek", "foa", "participant"), "id-ID"),
        (docx(&o.contoh, "contoh", "foa", "participant"), "id-ID"),
        (
            docx(&o.every, "fspmi", "uji-lengkap", "facilitator"),
            "id-ID",
        ),
        (
            docx(&o.english, "spn", "uji-lengkap", "facilitator"),
            "en-US",
        ),
    ] {
        let report = python_check(&file, &["--lang", lang]);
        assert_eq!(
            report["problems"],
            Value::Array(vec![]),
            "{}: {report:#}",
            file.display()
        );
        assert_eq!(
            report["outline_levels"],
            serde_json::json!({"1": 0, "2": 1, "3": 2})
        );
        assert!(report["core"]["title"].as_str().unwrap().contains("Modul"));
    }
}

#[test]
fn pandoc_reads_back_the_structure_of_the_model() {
    if !have("pandoc") {
        return;
    }
    let o = outputs();
    for (source, dir, fed, module) in [
        ("source", &o.full, "fspmi", "foa"),
        ("source", &o.full, "fsp-kep", "foa"),
        (
            "tests/fixtures/every-construct",
            &o.every,
            "fspmi",
            "uji-lengkap",
        ),
    ] {
        let dump = run(&["dump", "--source", source]);
        let model: Value = serde_json::from_slice(&dump.stdout).unwrap();
        for audience in ["participant", "facilitator"] {
            let file = docx(dir, fed, module, audience);
            let out = Command::new("pandoc")
                .args(["-f", "docx", "-t", "json"])
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut seen = Counts::default();
            count_pandoc(&serde_json::from_slice(&out.stdout).unwrap(), &mut seen);
            let mut expected = Counts::default();
            for s in model["module"]["sessions"].as_array().unwrap() {
                expected.headings[0] += 1;
                count_model(&s["blocks"], audience, fed, &mut expected);
            }
            if audience == "facilitator" {
                // The agenda: one table, or one per day of the schedule.
                let days = model["module"]["schedule"].as_array().map_or(0, Vec::len);
                expected.tables += days.max(1);
            }
            assert_eq!(seen, expected, "{}", file.display());
            let md = Command::new("pandoc")
                .args(["-f", "docx", "-t", "markdown"])
                .arg(&file)
                .output()
                .unwrap();
            let md = String::from_utf8_lossy(&md.stdout);
            assert!(md.contains("[^1]"), "footnotes come back as footnotes");
            assert!(md.contains("-   "), "bullets come back as a list");
            if module == "foa" {
                // The SEQ field's number is read from its own run.
                assert!(md.contains("Gambar 1:"), "figure numbers come back");
            }
        }
    }
}

#[test]
fn libreoffice_renders_cover_contents_header_logo_and_page_numbers() {
    if !have("soffice") || !have("pdftotext") || !have("pdfimages") {
        return;
    }
    let o = outputs();
    let pdfs = temp_dir("docx-pdf");
    let cases = [
        (
            docx(&o.full, "fspmi", "foa", "participant"),
            "Federasi Serikat Pekerja Metal Indonesia",
            "Buku Peserta",
        ),
        (
            docx(&o.full, "sbpi", "foa", "facilitator"),
            "SBPI",
            "Panduan Fasilitator",
        ),
        (
            docx(&o.contoh, "contoh", "foa", "participant"),
            "Federasi Serikat Pekerja Contoh",
            "Buku Peserta",
        ),
        (
            docx(&o.every, "fspmi", "uji-lengkap", "facilitator"),
            "Federasi Serikat Pekerja Metal Indonesia",
            "Panduan Fasilitator",
        ),
    ];
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, (f, _, _))| {
            let copy = pdfs.join(format!("case{i}.docx"));
            std::fs::copy(f, &copy).unwrap();
            copy
        })
        .collect();
    soffice(&["--convert-to", "pdf"], &files, &pdfs, "lo-docx-pdf");
    for (i, (_, name, label)) in cases.iter().enumerate() {
        let pdf = pdfs.join(format!("case{i}.pdf"));
        let pages = pdftotext(&pdf);
        let count = pages.iter().filter(|p| !p.trim().is_empty()).count();
        let cover = &pages[0];
        assert!(
            cover.contains(name) && cover.contains(label),
            "cover {i}: {cover}"
        );
        assert!(cover.contains("Kebebasan Berserikat") || cover.contains("Modul Uji Lengkap"));
        assert!(!cover.contains("Halaman"), "the cover has no page number");
        let toc = pages
            .iter()
            .position(|p| p.contains("Daftar Isi"))
            .unwrap_or_else(|| panic!("no contents in case {i}"));
        assert!(
            pages[toc].contains("Sesi 1:") && pages[toc].contains("Sesi 2:"),
            "empty contents: {}",
            pages[toc]
        );
        assert!(
            pages[1].contains(&format!("Halaman 2 dari {count}")),
            "no page number on page 2 of case {i}: {}",
            pages[1]
        );
        let images = Command::new("pdfimages")
            .args(["-list", "-f", "2", "-l", "2"])
            .arg(&pdf)
            .output()
            .unwrap();
        let rows = String::from_utf8_lossy(&images.stdout)
            .lines()
            .skip(2)
            .count();
        assert!(rows >= 1, "no logo in the header of case {i}");
    }
    let contoh = pdftotext(&pdfs.join("case2.pdf")).join("\n");
    assert!(contoh.contains("Kata Pengantar") && contoh.contains("Jl. Contoh No. 1"));
    // One title on the preface's page, and its subheading not in the contents.
    assert_eq!(contoh.matches("Kata Pengantar").count(), 1, "{contoh}");
    assert_eq!(contoh.matches("Harapan Kami").count(), 1, "{contoh}");
}

#[test]
fn a_copy_saved_again_by_libreoffice_keeps_its_styles() {
    if !have("soffice") || !have("python3") {
        return;
    }
    let o = outputs();
    let dir = temp_dir("docx-resave");
    let input = dir.join("in").join("fspmi-facilitator.docx");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    std::fs::copy(docx(&o.full, "fspmi", "foa", "facilitator"), &input).unwrap();
    soffice(
        &["--convert-to", "docx:MS Word 2007 XML"],
        &[input],
        &dir,
        "lo-docx-resave",
    );
    let report = python_check(&dir.join("fspmi-facilitator.docx"), &["--resaved"]);
    let used = report["styles_used"].as_object().unwrap();
    for style in [
        "Heading 1",
        "Heading 2",
        "Title",
        "Body Text",
        "Catatan Fasilitator",
        "Tujuan Pembelajaran",
        "Kegiatan",
        "List Paragraph",
    ] {
        assert!(
            used.contains_key(style),
            "LibreOffice dropped style {style}: {report:#}"
        );
    }
    assert_eq!(report["headings"]["1"], 9, "{report:#}");
    // Bold stays bold: a style of ours named "Strong Emphasis" (LibreOffice's name for
    // Word's "Strong") made every bold run bold italic after this save.
    let styles = part(&dir.join("fspmi-facilitator.docx"), "word/styles.xml");
    let strong: Vec<&str> = styles
        .split("<w:style ")
        .filter(|s| s.contains("<w:name w:val=\"Strong\"/>"))
        .collect();
    assert!(!strong.is_empty(), "no Strong style");
    for s in strong {
        let body = &s[..s.find("</w:style>").unwrap_or(s.len())];
        assert!(
            body.contains("<w:b/>") && !body.contains("<w:i/>") && !body.contains("<w:i "),
            "{body}"
        );
    }
}

#[test]
fn check_refuses_bad_docx_settings() {
    let dir = temp_dir("docx-settings");
    copy_dir(&root().join("layouts"), &dir.join("layouts"));
    let toml = std::fs::read_to_string(dir.join("layouts/docx.toml")).unwrap();
    std::fs::write(
        dir.join("layouts/docx.toml"),
        toml.replace("page = \"A4\"", "page = \"A3\"\ncolour = 1"),
    )
    .unwrap();
    let out = run_in(
        &root(),
        &["check", "--layouts", dir.join("layouts").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("docx.toml"), "{}", stderr(&out));
}

#[test]
fn a_wide_table_gets_a_landscape_page_with_the_running_head() {
    if !have("soffice") || !have("pdfinfo") || !have("pdftotext") {
        return;
    }
    let dir = temp_dir("docx-wide-table");
    let out = dir.join("out");
    build_spn_docx("tests/fixtures/tables", &out);
    let file = docx(&out, "spn", "tabel", "participant");
    let copy = dir.join("wide.docx");
    std::fs::copy(&file, &copy).unwrap();
    soffice(&["--convert-to", "pdf"], &[copy], &dir, "lo-docx-wide");
    let pdf = dir.join("wide.pdf");
    let info = Command::new("pdfinfo")
        .args(["-l", "99"])
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let sizes: Vec<(f64, f64)> = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let v: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (v[1], v[2])
        })
        .collect();
    let pages = pdftotext(&pdf);
    let landscape: Vec<usize> = (0..sizes.len())
        .filter(|&i| sizes[i].0 > sizes[i].1)
        .collect();
    // One landscape page: the wide table's, with the running head; portrait again after.
    assert_eq!(landscape.len(), 1, "{info}");
    let i = landscape[0];
    assert!(
        pages[i].contains("Kepolisian") && pages[i].contains("Tindak lanjut"),
        "{}",
        pages[i]
    );
    assert!(
        pages[i].contains("Buku Peserta"),
        "running head: {}",
        pages[i]
    );
    assert!(
        pages[i + 1].contains("kembali ke halaman tegak"),
        "{}",
        pages[i + 1]
    );
    assert!(
        pages[i + 1].contains("Buku Peserta"),
        "running head: {}",
        pages[i + 1]
    );
}

#[test]
fn the_facilitator_agenda_gives_each_day_its_clock_times() {
    let o = outputs();
    let xml = |audience: &str| {
        part(
            &docx(&o.full, "fspmi", "foa", audience),
            "word/document.xml",
        )
    };
    let text = |xml: &str| {
        // The paragraphs' text, one paragraph per line.
        xml.split("</w:p>")
            .map(|p| {
                // `<w:t>` and `<w:t xml:space=..>`, not `<w:tc>`, `<w:tr>`, …
                p.split("<w:t")
                    .skip(1)
                    .filter(|t| t.starts_with('>') || t.starts_with(' '))
                    .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
                    .map(|rest| rest.split("</w:t>").next().unwrap_or(""))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let facilitator = text(&xml("facilitator"));
    for line in [
        "Hari 1  ·  08:00–16:30",
        "08:00–09:15",
        "10:30–10:45",
        "Istirahat kopi",
        "Ishoma (istirahat, salat, makan siang)",
        "14:40–16:30",
        "Hari 2  ·  08:00–16:30",
        "14:30–16:30",
        "Pukul",
    ] {
        assert!(
            facilitator.lines().any(|l| l == line),
            "no paragraph `{line}` in the facilitator agenda"
        );
    }
    let participant = text(&xml("participant"));
    assert!(!participant.contains("08:00–09:15") && !participant.contains("Hari 1"));
    // Without a schedule the agenda keeps its minutes-only table.
    let every = text(&part(
        &docx(&o.every, "fspmi", "uji-lengkap", "facilitator"),
        "word/document.xml",
    ));
    assert!(every.contains("Agenda Pelatihan") && !every.contains("Pukul"));
    if !have("soffice") || !have("pdftotext") {
        return;
    }
    // LibreOffice lays the agenda out with the clock times beside the sessions.
    let pdfs = temp_dir("docx-agenda-pdf");
    let copy = pdfs.join("agenda.docx");
    std::fs::copy(docx(&o.full, "fspmi", "foa", "facilitator"), &copy).unwrap();
    soffice(&["--convert-to", "pdf"], &[copy], &pdfs, "lo-docx-agenda");
    let pages = pdftotext(&pdfs.join("agenda.pdf"));
    let agenda = pages
        .iter()
        .find(|p| p.contains("Agenda Pelatihan") && p.contains("Hari 1"))
        .expect("a page with the agenda");
    let row = agenda
        .lines()
        .find(|l| l.contains("08:00–09:15"))
        .expect("the first session's row");
    assert!(row.contains("75 menit"), "{row}");
}

#[test]
fn a_jpeg_turned_by_its_exif_orientation_is_stored_upright() {
    let tmp = temp_dir("docx-exif");
    let out = tmp.join("out");
    build_spn_docx("tests/corpus/jpeg-exif-rotated/source", &out);
    let file = out.join("docx/spn/uji-participant.docx");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let name = z
        .file_names()
        .find(|n| n.starts_with("word/media/") && n.ends_with(".jpeg"))
        .unwrap()
        .to_string();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut z.by_name(&name).unwrap(), &mut bytes).unwrap();
    // Stored 240 × 120 with orientation 6 (a quarter turn clockwise), its left half red:
    // upright it is 120 × 240 with the top half red.
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (120, 240));
    assert!(img.get_pixel(60, 40)[0] > 150 && img.get_pixel(60, 40)[1] < 80);
    assert!(img.get_pixel(60, 200)[1] > 200, "the bottom half is white");
    let doc = part(&file, "word/document.xml");
    // The last picture: the cover has the logo first.
    let at = doc.rfind("<wp:extent cx=\"").unwrap() + 15;
    let dims: Vec<f64> = doc[at..]
        .split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .take(2)
        .map(|(_, v)| v.parse().unwrap())
        .collect();
    assert!(
        (dims[1] / dims[0] - 2.0).abs() < 0.01,
        "printed twice as tall as wide: {dims:?}"
    );
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// Build SPN's DOCX copies of the module at `source` into `out`.
fn build_spn_docx(source: &str, out: &Path) {
    let o = run(&[
        "build",
        "--only",
        "docx",
        "--federation",
        "spn",
        "--source",
        source,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn every_docx_passes_the_open_xml_sdk_rules_word_applies() {
    if !have("openxml-audit") {
        return;
    }
    let o = outputs();
    let mut files: Vec<PathBuf> = files_under(&o.full)
        .into_keys()
        .filter(|p| p.ends_with(".docx"))
        .map(|p| o.full.join(p))
        .collect();
    // The EXIF case has a JPEG re-encoded upright, a part the FOA copies do not have.
    let tmp = temp_dir("docx-audit");
    let out = tmp.join("out");
    build_spn_docx("tests/corpus/jpeg-exif-rotated/source", &out);
    files.push(out.join("docx/spn/uji-participant.docx"));
    // Every construct, and the samples `init` writes in Indonesian and in English.
    let every = tmp.join("every");
    build_spn_docx("tests/fixtures/every-construct", &every);
    for lang in ["id", "en"] {
        let made = run_in(tmp.path(), &["init", "--lang", lang, lang]);
        assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
        build_spn_docx(
            tmp.join(lang).to_str().unwrap(),
            &tmp.join(format!("out-{lang}")),
        );
    }
    for (out, id) in [
        (&every, "uji-lengkap"),
        (&tmp.join("out-id"), "id"),
        (&tmp.join("out-en"), "en"),
    ] {
        for audience in ["participant", "facilitator"] {
            files.push(out.join(format!("docx/spn/{id}-{audience}.docx")));
        }
    }
    assert_eq!(files.len(), 23);
    for file in files {
        openxml_audit(&file);
    }
}
