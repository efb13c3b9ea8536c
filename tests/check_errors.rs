//! Every error fixture gives its message at its line: the real binary, golden stderr,
//! exit code 1, and nothing written.
//!
//! Each folder in `tests/fixtures/errors/` holds `source/` (and `layouts/` where the
//! problem is in the layouts) and `expected.txt`. `UPDATE_GOLDEN=1` rewrites the
//! expected files; review them by eye before committing.

mod common;

use common::{root, run, stderr, temp_dir};

#[test]
fn every_error_fixture_reports_its_golden_diagnostics() {
    let fixtures = root().join("tests/fixtures/errors");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(
        names.len() >= 25,
        "expected at least 25 error fixtures, found {}",
        names.len()
    );
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for name in &names {
        let dir = format!("tests/fixtures/errors/{name}");
        let layouts = if root().join(&dir).join("layouts").is_dir() {
            format!("{dir}/layouts")
        } else {
            "layouts".into()
        };
        let source = format!("{dir}/source");
        let out = run(&["check", "--source", &source, "--layouts", &layouts]);
        let got = stderr(&out);
        let expected_path = root().join(&dir).join("expected.txt");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit code {:?}, expected 1\n{got}",
                out.status.code()
            ));
        } else if got != expected {
            failures.push(format!(
                "{name}: stderr differs\n--- expected\n{expected}\n--- got\n{got}"
            ));
        } else if !got.contains(&format!("--> {dir}/")) && !got.contains(&format!("--> {layouts}/"))
        {
            failures.push(format!("{name}: no `--> file:line:col` in\n{got}"));
        }
        // `build` refuses the same input and writes nothing.
        let tmp = temp_dir(&format!("err-{name}"));
        let out_dir = tmp.join("out");
        let built = run(&[
            "build",
            "--source",
            &source,
            "--layouts",
            &layouts,
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        if built.status.code() != Some(1) || out_dir.exists() {
            failures.push(format!(
                "{name}: build exit {:?}, out written: {}",
                built.status.code(),
                out_dir.exists()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}
