//! Where modulpress writes: never through a symbolic link out of its folder, never among
//! its inputs, nothing from `init` that `check` would refuse, and a manifest that names the
//! source its outputs were built from, even after a build with nothing to build.

mod common;

use std::path::Path;

use common::{run_in, stderr, temp_dir};

/// A small module in `dir/source`.
fn module(dir: &Path) {
    common::small_module(dir, "Teks.\n");
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("out/manifest.json")).unwrap()).unwrap()
}

/// Every output entry's `status` and `source_sha256`, by path.
fn entries(m: &serde_json::Value) -> Vec<(String, String, String)> {
    m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap_or("").to_string(),
                e["source_sha256"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_manifest_names_the_source_even_when_nothing_is_rebuilt() {
    let dir = temp_dir("writes-source-sha");
    module(&dir);
    let build = |fed: &str| {
        let o = run_in(
            &dir,
            &["build", "--only", "docx", "--federation", fed, "--quiet"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    build("spn");
    let first = manifest(&dir);
    let a = first["source_sha256"].as_str().unwrap().to_string();
    assert!(
        entries(&first)
            .iter()
            .all(|(_, s, sha)| s == "built" && *sha == a)
    );

    // A file that no output shows: every output stays current, the source is another.
    std::fs::write(dir.join("source/catatan.txt"), "catatan penulis\n").unwrap();
    build("spn");
    let second = manifest(&dir);
    let b = second["source_sha256"].as_str().unwrap().to_string();
    assert_ne!(a, b, "the manifest names the source as it is now");
    let listed = entries(&second);
    assert_eq!(listed.len(), 2);
    assert!(
        listed.iter().all(|(_, s, sha)| s == "reused" && *sha == b),
        "{listed:?}"
    );

    // Nothing changed since: nothing is written, not even the manifest.
    let bytes = std::fs::read(dir.join("out/manifest.json")).unwrap();
    let modified = std::fs::metadata(dir.join("out/manifest.json"))
        .unwrap()
        .modified()
        .unwrap();
    build("spn");
    assert_eq!(std::fs::read(dir.join("out/manifest.json")).unwrap(), bytes);
    assert_eq!(
        std::fs::metadata(dir.join("out/manifest.json"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );

    // Outputs this run does not plan are `kept`, with the source they were built from.
    std::fs::write(dir.join("source/catatan.txt"), "catatan lain\n").unwrap();
    build("fspmi");
    let third = manifest(&dir);
    let c = third["source_sha256"].as_str().unwrap().to_string();
    for (path, status, sha) in entries(&third) {
        if path.starts_with("docx/spn/") {
            assert_eq!(
                (status.as_str(), sha.as_str()),
                ("kept", b.as_str()),
                "{path}"
            );
        } else {
            assert_eq!(
                (status.as_str(), sha.as_str()),
                ("built", c.as_str()),
                "{path}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_output_folder_among_the_inputs_is_refused() {
    let dir = temp_dir("writes-out-inside");
    module(&dir);
    let o = run_in(&dir, &["layouts", "--export", "layouts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for out in ["source", "source/out", "layouts/out"] {
        let o = run_in(&dir, &["build", "--out", out, "--only", "docx"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(
            err.contains(&format!("the output folder `{out}` is ")),
            "--out {out}: {err}"
        );
    }
    assert!(!dir.join("source/out").exists() && !dir.join("layouts/out").exists());
    assert!(!dir.join("source/manifest.json").exists());
    // A folder that holds the module: its outputs would lie among the project's files.
    let o = run_in(&dir, &["build", "--out", ".", "--only", "docx"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "--out .: {err}");
    assert!(
        err.contains("the output folder `.` holds the module folder"),
        "--out .: {err}"
    );
    assert!(!dir.join("manifest.json").exists() && !dir.join("docx").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn layouts_export_never_writes_through_a_link() {
    let dir = temp_dir("writes-export-links");
    let outside = dir.join("outside");
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(outside.join("notes.md"), "mine\n").unwrap();
    let o = run_in(&dir, &["layouts", "--export", "l"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A file of the export that is a link to a file outside it.
    std::fs::remove_file(dir.join("l/README.md")).unwrap();
    std::os::unix::fs::symlink("../outside/notes.md", dir.join("l/README.md")).unwrap();
    let o = run_in(&dir, &["layouts", "--export", "l", "--force"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`l/README.md` is a symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(outside.join("notes.md")).unwrap(),
        "mine\n"
    );
    std::fs::remove_file(dir.join("l/README.md")).unwrap();

    // A folder of the export that is a link to a folder outside it.
    std::fs::remove_dir_all(dir.join("l/federations")).unwrap();
    std::os::unix::fs::symlink("../outside/folder", dir.join("l/federations")).unwrap();
    let o = run_in(&dir, &["layouts", "--export", "l", "--force"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`l/federations` is a symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_dir(outside.join("folder")).unwrap().count(),
        0
    );
    assert!(
        !dir.join("l/README.md").exists(),
        "nothing is written when one file cannot be"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn layouts_export_into_the_module_folder_is_refused() {
    let dir = temp_dir("writes-export-module");
    module(&dir);
    std::fs::create_dir_all(dir.join("modul-lain")).unwrap();
    std::fs::write(dir.join("modul-lain/module.toml"), "").unwrap();
    for target in ["source", "source/layouts", "modul-lain/tata-letak"] {
        let o = run_in(&dir, &["layouts", "--export", target]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--export {target}: {err}");
        assert!(err.contains("the module folder"), "{err}");
    }
    let names: Vec<_> = std::fs::read_dir(dir.join("source")).unwrap().collect();
    assert_eq!(names.len(), 2, "only module.toml and the session");
    assert!(!dir.join("modul-lain/tata-letak").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_refuses_what_check_would_refuse_before_writing() {
    let dir = temp_dir("writes-init");
    let long = "a".repeat(300);
    let o = run_in(&dir, &["init", "m1", "--id", &long]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("300 characters long, the limit is 64"),
        "{err}"
    );
    let o = run_in(&dir, &["init", "m2", "--title", "a\u{1}b"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("control character U+0001"), "{err}");
    assert!(!dir.join("m1").exists() && !dir.join("m2").exists());
    // A 64-character id is the longest that works.
    let o = run_in(&dir, &["init", "m3", "--id", &"a".repeat(64)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "--source", "m3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_whole_build_names_the_files_it_no_longer_makes() {
    let dir = temp_dir("writes-no-longer-made");
    module(&dir);
    let build = || run_in(&dir, &["build", "--only", "booklet"]);
    let o = build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A new module id: the booklets of the old id are no longer made.
    let toml = dir.join("source/module.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("id = \"uji\"", "id = \"uji2\"")).unwrap();
    // With --only the run is a selection, and says nothing of other files.
    let o = build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no longer made"), "{}", stderr(&o));
    // A whole build names them and the manifest marks them `kept`.
    let o = run_in(&dir, &["build", "--federation", "spn"]);
    assert!(
        !stderr(&o).contains("no longer made"),
        "a selection: {}",
        stderr(&o)
    );
    std::fs::write(dir.join("source/catatan.txt"), "baru\n").unwrap();
    let o = run_in(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("are from an earlier build and no longer made: booklet/uji-facilitator.pdf"),
        "{err}"
    );
    let listed = entries(&manifest(&dir));
    assert!(
        listed
            .iter()
            .any(|(p, s, _)| p == "booklet/uji-participant.pdf" && s == "kept"),
        "{listed:?}"
    );
}
