//! Checks of an output folder shared by the corpus and kill tests: every file opens, the
//! manifest matches the files byte for byte, no temp file is left.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

/// Every file under `dir` (relative path → sha256), hidden ones included.
pub fn listing(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.insert(rel, hex(&Sha256::digest(&bytes)));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Temp files of an export (`.NAME.mp-new-PID`, `.NAME.mp-old-PID`, the journal).
pub fn temp_files(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_keys()
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            name.contains(".mp-new-")
                || name.contains(".mp-old-")
                || name.contains(".tmp-")
                || name == ".modulpress-journal.json"
        })
        .collect()
}

/// Problems with `out/manifest.json`: entries whose file is missing or differs, and
/// visible files it does not list.
pub fn manifest_problems(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(bytes) = std::fs::read(out.join("manifest.json")) else {
        return vec!["no manifest.json".into()];
    };
    let json: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(j) => j,
        Err(e) => return vec![format!("manifest.json does not parse: {e}")],
    };
    let files = listing(out);
    let mut listed = std::collections::BTreeSet::new();
    for e in json["outputs"].as_array().cloned().unwrap_or_default() {
        let path = e["path"].as_str().unwrap_or("").to_string();
        let sha = e["sha256"].as_str().unwrap_or("");
        match files.get(&path) {
            None => problems.push(format!("manifest lists `{path}`, which is not there")),
            Some(s) if s != sha => {
                problems.push(format!("`{path}` differs from its manifest entry"))
            }
            Some(_) => {}
        }
        if e["bytes"].as_u64() != std::fs::metadata(out.join(&path)).ok().map(|m| m.len()) {
            problems.push(format!("`{path}`: size differs from the manifest"));
        }
        listed.insert(path);
    }
    for path in files.keys() {
        let hidden = path.split('/').any(|p| p.starts_with('.'));
        // The manifest and the preflight report are about the build, not outputs of it.
        let about = ["manifest.json", "report.html", "report.json"].contains(&path.as_str());
        if !hidden && !about && !listed.contains(path) {
            problems.push(format!("`{path}` is not in the manifest"));
        }
    }
    problems
}

/// Problems opening the outputs: `pdfinfo` on PDFs, `unzip -t` and an XML parse of every
/// part on DOCX files.
pub fn open_problems(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for path in listing(out).keys() {
        let full = out.join(path);
        if path.ends_with(".pdf") {
            let ok = Command::new("pdfinfo")
                .arg(&full)
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                problems.push(format!("pdfinfo fails on `{path}`"));
            }
        } else if path.ends_with(".docx") {
            let ok = Command::new("unzip")
                .args(["-tq"])
                .arg(&full)
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                problems.push(format!("unzip -t fails on `{path}`"));
            }
            let bytes = std::fs::read(&full).unwrap_or_default();
            for p in docx_xml_problems(&bytes) {
                problems.push(format!("`{path}`: {p}"));
            }
        }
    }
    problems
}

/// Every XML part of a DOCX package parsed back: the parts that are not well-formed.
pub fn docx_xml_problems(docx: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(docx)) {
        Ok(z) => z,
        Err(e) => return vec![format!("not a zip: {e}")],
    };
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut xml).unwrap();
        if let Err(e) = well_formed(&xml) {
            problems.push(format!("{name}: {e}"));
        }
    }
    problems
}

/// Parse `xml` completely; the first error. Control characters that XML 1.0 forbids are
/// errors too (quick-xml does not look at text content).
pub fn well_formed(xml: &[u8]) -> Result<(), String> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(xml).map_err(|e| format!("not UTF-8: {e}"))?;
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'))
    {
        return Err(format!("holds the control character U+{:04X}", c as u32));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                t.decode().map_err(|e| format!("bad text: {e}"))?;
            }
            Ok(_) => {}
            Err(e) => return Err(format!("at byte {}: {e}", reader.error_position())),
        }
    }
    if depth != 0 {
        return Err(format!("{depth} elements left open"));
    }
    Ok(())
}
