//! The command-line contract: `check` and `dump` on the shipped module, exit codes, usage errors.

mod common;

use common::{root, run, run_in, stderr, temp_dir};

#[test]
fn check_passes_on_the_shipped_module() {
    let out = run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // It says it checked something: silence left a new user wondering.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: module `foa` (9 sessions) has no problems\n"
    );
}

#[test]
fn dump_shows_every_block_with_its_attributes() {
    let out = run(&["dump"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("dump prints JSON");
    let module = &json["module"];
    assert_eq!(module["meta"]["id"], "foa");
    let sessions = module["sessions"].as_array().unwrap();
    assert!(!sessions.is_empty());
    let text = serde_json::to_string(module).unwrap();
    for class in [
        "objectives",
        "activity",
        "facilitator",
        "keypoints",
        "slide",
        "notes",
        "only",
    ] {
        assert!(
            text.contains(&format!("\"class\":\"{class}\"")),
            "dump has no `{class}` block"
        );
    }
    // Every activity carries its minutes as a number, and a session's activities add up
    // to at most the session's minutes (what `check` promises).
    let mut activities = 0;
    for session in sessions {
        let mut sum = 0;
        walk(&session["blocks"], &mut |block| {
            if block["class"] == "activity" {
                let minutes = block["minutes"].as_u64().expect("an activity has minutes");
                assert!(minutes > 0, "activity minutes are positive: {block}");
                sum += minutes;
                activities += 1;
            }
        });
        let session_minutes = session["minutes"].as_u64().unwrap();
        assert!(
            sum <= session_minutes,
            "session `{}`: activities take {sum} of {session_minutes} minutes",
            session["id"]
        );
    }
    assert!(
        activities >= 5,
        "the FOA module has activities ({activities})"
    );
    assert!(json["federations"].as_array().unwrap().len() >= 8);
}

#[test]
fn dump_of_the_fixture_module_keeps_every_construct() {
    let out = run(&[
        "dump",
        "--source",
        "tests/fixtures/every-construct",
        "--layouts",
        "layouts",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = serde_json::to_string(&json["module"]).unwrap();
    for needle in [
        "\"type\":\"table\"",
        "\"type\":\"figure\"",
        "\"width\":60.0",
        "\"type\":\"footnote\"",
        "\"type\":\"internal_link\"",
        "\"type\":\"placeholder\"",
        "\"name\":\"org.short\"",
        "\"type\":\"code\"",
        "\"type\":\"quote\"",
        "\"type\":\"rule\"",
        "\"type\":\"line_break\"",
        "\"class\":\"worksheet\"",
        "\"lines\":4",
        "\"class\":\"case\"",
        "\"federations\":[\"fspmi\"]",
        "\"audience\":\"facilitator\"",
        "\"id\":\"rangkuman-1\"",
        "\"id\":\"pasal-28-uu-no.-212000\"",
        "{{org.name}} tetap",
        "#set text",
    ] {
        assert!(text.contains(needle), "dump lacks {needle}\n{text}");
    }
}

#[test]
fn no_module_folder_is_a_usage_error_that_says_where_it_looked() {
    let dir = temp_dir("nosource");
    let out = run_in(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("source/") && err.contains(dir.to_str().unwrap()),
        "{err}"
    );
}

#[test]
fn builtin_layouts_serve_when_there_is_no_layouts_folder() {
    let dir = temp_dir("builtin");
    let src = root().join("source");
    let out = run_in(&dir, &["check", "--source", src.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn unknown_kind_and_federation_are_usage_errors() {
    let out = run(&["build", "--only", "poster", "--out", "/nonexistent/out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("available kinds"), "{}", stderr(&out));
    let out = run(&["build", "--only", "handouts", "--out", "/nonexistent/out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `handout`?"),
        "{}",
        stderr(&out)
    );
    let dir = temp_dir("unknown-fed");
    let out = run(&[
        "build",
        "--federation",
        "fspmx",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `fspmi`? known federations"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out").exists());
    // An id in capitals is the federation's.
    let out = run(&[
        "build",
        "--federation",
        "FSPMI",
        "--only",
        "docx",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("out/docx/fspmi/foa-participant.docx").is_file());
}

#[test]
fn help_exists_for_every_command() {
    for cmd in ["build", "check", "dump"] {
        let out = run(&[cmd, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("--source"));
    }
}

#[test]
fn crlf_and_bom_read_like_lf() {
    let dir = temp_dir("crlf");
    let src = dir.join("source");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("module.toml"), "id = \"x\"\r\ntitle = \"X\"\r\npublisher = \"P\"\r\npublisher_short = \"P\"\r\ndate = 2025-01-02\r\n").unwrap();
    std::fs::write(src.join("01.md"), "\u{feff}# Judul {#judul minutes=30}\r\n\r\n::: objectives\r\n- satu\r\n:::\r\n\r\n## Bagian\r\n\r\nTeks  \r\nbaris.\r\n").unwrap();
    let out = run(&[
        "dump",
        "--source",
        src.to_str().unwrap(),
        "--layouts",
        "layouts",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &json["module"]["sessions"][0];
    assert_eq!(s["id"], "judul");
    assert_eq!(s["minutes"], 30);
    assert_eq!(s["blocks"][0]["class"], "objectives");
    assert_eq!(s["blocks"][1]["id"], "bagian");
}

/// Call `f` on every block of a dumped block list, depth first (list items, quotes, divs).
fn walk(blocks: &serde_json::Value, f: &mut dyn FnMut(&serde_json::Value)) {
    for block in blocks.as_array().into_iter().flatten() {
        f(block);
        walk(&block["content"], f);
        for item in block["items"].as_array().into_iter().flatten() {
            walk(&item["content"], f);
        }
    }
}

#[test]
fn a_closed_output_stream_ends_the_run_and_never_hangs_it() {
    // `modulpress build 2>&1 | head -1`: the reader has gone before the messages come.
    // Printing an output's line then panicked, and the panic's report printed again under
    // a lock the panic hook waits for: the run hung for ever.
    let dir = temp_dir("cli-closed-pipe");
    common::small_module(&dir, "Teks.\n");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .args([
            "build",
            "--only",
            "docx",
            "--federation",
            "spn",
            "--layouts",
        ])
        .arg(root().join("layouts"))
        .current_dir(&dir)
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the run hung with its output stream closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // The build goes on without its messages: the outputs are what matters.
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(dir.join("out/docx/spn/uji-participant.docx").is_file());
}

#[test]
fn inside_a_module_folder_the_help_gives_a_command_that_works() {
    let dir = temp_dir("cli-inside-module");
    let o = run_in(&dir, &["init", "pkb"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let module = dir.join("pkb");
    // `build` there found "no module folder" and said to run it where `source/` is.
    let o = run_in(&module, &["build"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a module (it holds module.toml)")
            && stderr(&o)
                .contains("`--source . --out ../out`, or in the folder above `--source pkb`"),
        "{}",
        stderr(&o)
    );
    // `--source .` alone: the help said `--out out`, the very folder it refused.
    let o = run_in(&module, &["build", "--source", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("for example `--out ../out`"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        &module,
        &[
            "build", "--source", ".", "--out", "../out", "--only", "docx", "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("out/manifest.json").is_file());
}

#[test]
fn a_drawing_whose_text_prints_too_small_is_a_warning_at_its_figure() {
    let dir = temp_dir("cli-drawing-text");
    let o = run_in(&dir, &["init", "m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let module = dir.join("m");
    // 800 units drawn 115 mm wide: 12 units of text print at 4.9 pt, 24 at 9.8 pt.
    let svg = |size: u32| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 200\" width=\"200mm\" height=\"50mm\" font-family=\"Noto Sans\"><text x=\"10\" y=\"100\" font-size=\"{size}\">Pasal 5 ayat (2)</text></svg>"
        )
    };
    std::fs::write(module.join("images/kecil.svg"), svg(12)).unwrap();
    std::fs::write(module.join("images/besar.svg"), svg(24)).unwrap();
    let session = std::fs::read_dir(&module)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .unwrap();
    let mut text = std::fs::read_to_string(&session).unwrap();
    text.push_str("\n![Kecil](images/kecil.svg)\n\n![Besar](images/besar.svg)\n");
    std::fs::write(&session, text).unwrap();
    let o = run_in(&module, &["check", "--source", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: the smallest text of `images/kecil.svg` prints at 4.9 pt in the booklet (115 mm wide)"),
        "{err}"
    );
    assert!(!err.contains("besar.svg"), "{err}");

    // On a slide, the drawings are shown 284 mm wide, the small one at half of that: its 12
    // units at 6.0 pt, under the 12 pt a room reads; 24 units at 24.1 pt. The deck's layout
    // tells.
    let mut text = std::fs::read_to_string(&session).unwrap();
    text.push_str(
        "\n:::: {.slide title=\"Kecil\"}\n![Kecil](images/kecil.svg){width=50%}\n::::\n\n:::: {.slide title=\"Besar\"}\n![Besar](images/besar.svg)\n::::\n",
    );
    std::fs::write(&session, text).unwrap();
    let o = run_in(
        &module,
        &[
            "build", "--source", ".", "--out", "../out", "--only", "slides",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let name = session.file_name().unwrap().to_str().unwrap();
    let said = "warning: the smallest text of `images/kecil.svg` shows at 6.0 pt on slide ";
    let at = err.find(said).unwrap_or_else(|| panic!("{err}"));
    assert!(err[at..].contains(name), "{err}");
    assert_eq!(err.matches("pt on slide").count(), 1, "{err}");
    // The booklets show a slide's title and notes, not its figures.
    assert_eq!(err.matches("in the booklet").count(), 1, "{err}");
    // The print coordinator's report lists it with the booklet's warnings.
    let o = run_in(
        &module,
        &[
            "build", "--source", ".", "--out", "../out", "--only", "booklet",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap();
    let booklet = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "booklet")
        .unwrap();
    assert!(
        booklet["warnings"]
            .to_string()
            .contains("`images/kecil.svg` prints at 4.9 pt in the booklet"),
        "{booklet}"
    );
}
