//! Helpers of the DOCX tests: modules written on the fly, and counting what pandoc and
//! the model hold.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{copy_dir, root, run, stderr, temp_dir};

/// The corner-case module (written here, so no binary fixture is needed for the JPEG).
pub fn write_edges_module(dir: &Path) {
    std::fs::create_dir_all(dir.join("images")).unwrap();
    std::fs::write(
        dir.join("module.toml"),
        "id = \"tepi\"\ntitle = \"Modul Tepi\"\npublisher = \"Konfederasi Uji\"\npublisher_short = \"KU\"\ndate = 2025-09-29\n",
    )
    .unwrap();
    let img = image::RgbImage::from_fn(64, 32, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 8) as u8, 120])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode_image(&img)
        .unwrap();
    std::fs::write(dir.join("images/foto.jpg"), jpeg).unwrap();
    std::fs::write(
        dir.join("01-tepi.md"),
        r#"# Sudut-Sudut {#tepi minutes=60}

Teks dengan catatan kaki yang memuat tautan.[^a] Lihat [bagian SPN](#khusus-spn).

::: {.only federation="spn"}
## Khusus SPN

Hanya untuk SPN.
:::

3. tiga
4. empat
   - empat a

     lanjutan empat a
   - empat b

![Foto pelatihan](images/foto.jpg){width=40%}

::: keypoints
- Satu
  1. satu-satu
:::

::: {.case title="Kasus"}
| A | B |
|---|--:|
| 1 | 2 |
:::

### Subbagian

Akhir.

[^a]: Lihat [situs ILO](https://www.ilo.org/?a=1&b=2) untuk teks konvensi.
"#,
    )
    .unwrap();
}

/// What pandoc finds in the document, or what the model says it should find.
#[derive(Debug, Default, PartialEq)]
pub struct Counts {
    pub headings: [usize; 3],
    pub bullet_lists: usize,
    pub ordered_lists: usize,
    pub tables: usize,
    pub footnotes: usize,
}

/// Walk pandoc's JSON AST.
pub fn count_pandoc(v: &Value, c: &mut Counts) {
    match v {
        Value::Object(m) => {
            match m.get("t").and_then(Value::as_str) {
                Some("Header") => c.headings[m["c"][0].as_u64().unwrap() as usize - 1] += 1,
                Some("BulletList") => c.bullet_lists += 1,
                Some("OrderedList") => c.ordered_lists += 1,
                Some("Table") => c.tables += 1,
                Some("Note") => c.footnotes += 1,
                _ => {}
            }
            m.values().for_each(|x| count_pandoc(x, c));
        }
        Value::Array(a) => a.iter().for_each(|x| count_pandoc(x, c)),
        _ => {}
    }
}

/// Walk the model of `modulpress dump` as one audience and federation see it in DOCX:
/// every training block is a one-cell table, the facilitator's copy has the agenda.
pub fn count_model(v: &Value, audience: &str, fed: &str, c: &mut Counts) {
    let walk = |x: &Value, c: &mut Counts| count_model(x, audience, fed, c);
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk(x, c)),
        Value::Object(m) => match m.get("type").and_then(Value::as_str) {
            Some("heading") => {
                c.headings[m["level"].as_u64().unwrap() as usize - 1] += 1;
                walk(&m["content"], c);
            }
            Some("list") => {
                if m["ordered"] == true {
                    c.ordered_lists += 1;
                } else {
                    c.bullet_lists += 1;
                }
                walk(&m["items"], c);
            }
            Some("table") => {
                c.tables += 1;
                walk(&m["header"], c);
                walk(&m["rows"], c);
            }
            Some("footnote") => {
                c.footnotes += 1;
                walk(&m["content"], c);
            }
            Some("div") => {
                let class = m["class"].as_str().unwrap();
                let facilitator = audience == "facilitator";
                let shown = match class {
                    "facilitator" => facilitator,
                    "slide" => {
                        if facilitator {
                            for child in m["content"].as_array().unwrap() {
                                if child["class"] == "notes" {
                                    walk(&child["content"], c);
                                }
                            }
                        }
                        return;
                    }
                    "only" => {
                        let aud_ok = m["audience"].is_null() || m["audience"] == audience;
                        let feds = m["federations"].as_array().unwrap();
                        let fed_ok = feds.is_empty() || feds.iter().any(|f| f == fed);
                        if aud_ok && fed_ok {
                            walk(&m["content"], c);
                        }
                        return;
                    }
                    _ => true,
                };
                if shown {
                    c.tables += 1;
                    walk(&m["content"], c);
                }
            }
            _ => m.values().for_each(|x| walk(x, c)),
        },
        _ => {}
    }
}

pub use crate::common::FEDERATIONS;

/// The output folders every test reads.
pub struct Outputs {
    /// Every federation, two worker threads.
    pub full: PathBuf,
    /// Every federation again, one worker thread.
    pub serial: PathBuf,
    /// FSPMI alone, in a fresh process.
    pub fspmi: PathBuf,
    /// The fixture federation with a preface and a contact.
    pub contoh: PathBuf,
    /// The module with every construct, for FSPMI.
    pub every: PathBuf,
    /// The same module with `lang = "en"`.
    pub english: PathBuf,
    /// A module written here with the corners: links in footnotes, a JPEG, a list
    /// starting at 3, a link to a heading another federation's passage holds.
    pub edges: PathBuf,
}

pub fn build(args: &[&str]) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
}

pub fn outputs() -> &'static Outputs {
    static OUT: OnceLock<Outputs> = OnceLock::new();
    OUT.get_or_init(|| {
        // Kept in a static: the folder is removed when the test process exits.
        let dir = temp_dir("docx").keep();
        let path = |name: &str| dir.join(name);
        let s = |p: &Path| p.to_str().unwrap().to_string();
        let o = Outputs {
            full: path("full"),
            serial: path("serial"),
            fspmi: path("fspmi"),
            contoh: path("contoh"),
            every: path("every"),
            english: path("english"),
            edges: path("edges"),
        };
        build(&[
            "build",
            "--only",
            "docx",
            "--jobs",
            "2",
            "--out",
            &s(&o.full),
        ]);
        build(&[
            "build",
            "--only",
            "docx",
            "--jobs",
            "1",
            "--out",
            &s(&o.serial),
        ]);
        build(&[
            "build",
            "--only",
            "docx",
            "--federation",
            "fspmi",
            "--out",
            &s(&o.fspmi),
        ]);
        let layouts = path("layouts");
        copy_dir(&root().join("layouts"), &layouts);
        copy_dir(&root().join("tests/fixtures/layouts-extra"), &layouts);
        build(&[
            "build",
            "--layouts",
            &s(&layouts),
            "--federation",
            "contoh",
            "--out",
            &s(&o.contoh),
        ]);
        let every = root().join("tests/fixtures/every-construct");
        build(&[
            "build",
            "--source",
            &s(&every),
            "--federation",
            "fspmi",
            "--out",
            &s(&o.every),
        ]);
        let english = path("english-source");
        copy_dir(&every, &english);
        let toml = std::fs::read_to_string(english.join("module.toml")).unwrap();
        std::fs::write(
            english.join("module.toml"),
            toml.replace("lang = \"id\"", "lang = \"en\""),
        )
        .unwrap();
        build(&[
            "build",
            "--source",
            &s(&english),
            "--federation",
            "spn",
            "--out",
            &s(&o.english),
        ]);
        let edges = path("edges-source");
        write_edges_module(&edges);
        build(&[
            "build",
            "--source",
            &s(&edges),
            "--federation",
            "fspmi",
            "--out",
            &s(&o.edges),
        ]);
        o
    })
}

pub fn docx(dir: &Path, fed: &str, module: &str, audience: &str) -> PathBuf {
    dir.join(format!("docx/{fed}/{module}-{audience}.docx"))
}

/// One part of a DOCX package.
pub fn part(file: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{} has no {name}", file.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for fed in std::fs::read_dir(dir.join("docx")).unwrap() {
        for f in std::fs::read_dir(fed.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
            out.insert(rel, std::fs::read(&p).unwrap());
        }
    }
    out
}

pub fn python_check(file: &Path, args: &[&str]) -> Value {
    let out = Command::new("python3")
        .arg(root().join("tests/docx_check.py"))
        .arg(file)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "docx_check.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("docx_check.py prints JSON")
}

/// Run LibreOffice once on several files, with its own profile and a time limit.
pub fn soffice(args: &[&str], files: &[PathBuf], out: &Path, profile: &str) {
    let profile_dir = temp_dir(profile);
    let profile = format!("file://{}", profile_dir.display());
    let status = Command::new("timeout")
        .arg("240")
        .arg("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .arg("--headless")
        .args(args)
        .arg("--outdir")
        .arg(out)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

pub fn pdftotext(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(str::to_string)
        .collect()
}
