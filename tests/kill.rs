//! Kill tests: a full build of the FOA module (every kind of output, two federations) stopped
//! by SIGINT or SIGKILL at random moments (fixed seeds), 20 times, alternating two editions
//! so that every output changes. About 100 s on two cores.
//!
//! After each kill every file in `out/` opens (pdfinfo; unzip -t and an XML parse of every
//! DOCX part) and the manifest matches the files byte for byte, unless the kill fell inside
//! the commit's rename window: then the journal is there, and the next build undoes it.
//! After a SIGINT the handler has already put everything back: no journal, no temp file.
//! Then the next, complete build succeeds, and leaves a matching manifest and no temp file.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::outputs::{listing, manifest_problems, open_problems, temp_files};
use common::{copy_dir, have, root, temp_dir};

const RUNS: u64 = 20;

/// A small deterministic generator (xorshift), so every run kills at the same offsets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn build(source: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_modulpress"));
    c.args(["build", "--quiet", "--source"])
        .arg(source)
        .arg("--layouts")
        .arg(root().join("layouts"))
        .arg("--out")
        .arg(out)
        // Every kind of output, for two federations (all eight take twice as long).
        .args(["--federation", "spn,fspmi"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn full_build(source: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let o = build(source, out).output().unwrap();
    assert!(
        o.status.success(),
        "a complete build fails:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    start.elapsed()
}

/// Everything in `out` opens; checked once per distinct file content.
fn check_opens(
    out: &Path,
    seen: &mut std::collections::BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    let fresh: Vec<(String, String)> = listing(out)
        .into_iter()
        .filter(|(p, sha)| !p.starts_with('.') && !seen.contains(sha))
        .collect();
    if fresh.is_empty() {
        return;
    }
    problems.extend(open_problems(out));
    seen.extend(fresh.into_iter().map(|(_, s)| s));
}

#[test]
fn killed_builds_leave_out_consistent_and_the_next_build_repairs_nothing_lost() {
    if !have("pdfinfo") || !have("unzip") {
        return;
    }
    let work = temp_dir("kill");
    // Two editions: every output differs between them.
    let a = work.join("edition-a");
    let b = work.join("edition-b");
    copy_dir(&root().join("source"), &a);
    copy_dir(&root().join("source"), &b);
    let toml = std::fs::read_to_string(b.join("module.toml")).unwrap();
    std::fs::write(b.join("module.toml"), toml.replace("Edisi 1", "Edisi 2")).unwrap();
    let out = work.join("out");
    let took = full_build(&a, &out);
    let mut seen = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    check_opens(&out, &mut seen, &mut problems);
    let mut rng = Rng(0x5EED_CAFE_F00D);
    let mut in_window = 0;
    let mut interrupted = 0;
    for run in 0..RUNS {
        let source = if run % 2 == 0 { &b } else { &a };
        let sigkill = run % 2 == 1;
        // Anywhere from the start to a little past the usual end of a build.
        let delay = took.mul_f64((rng.next() % 1000) as f64 / 1000.0 * 1.1);
        let mut child = build(source, &out).spawn().unwrap();
        std::thread::sleep(delay);
        if sigkill {
            let _ = child.kill();
        } else {
            let _ = Command::new("kill")
                .args(["-s", "INT", &child.id().to_string()])
                .status();
        }
        let done = child.wait_with_output().unwrap();
        let what = format!(
            "run {run} ({} after {delay:?}, exit {:?})",
            if sigkill { "SIGKILL" } else { "SIGINT" },
            done.status.code()
        );
        let stderr = String::from_utf8_lossy(&done.stderr);
        if stderr.contains("panicked") {
            problems.push(format!("{what}: panicked\n{stderr}"));
        }
        // 2 when stopped, 0 when it had finished, or killed by the signal itself in the
        // few milliseconds before the handler is installed (nothing is written by then).
        if !sigkill && !matches!(done.status.code(), Some(0 | 2) | None) {
            problems.push(format!(
                "{what}: a stopped build exits 2 (or 0 if it had finished)\n{stderr}"
            ));
        }
        if done.status.code() == Some(2) {
            interrupted += 1;
        }
        let journal = out.join(".modulpress-journal.json").exists();
        if journal {
            in_window += 1;
            if !sigkill {
                problems.push(format!("{what}: SIGINT left a journal"));
            }
        } else {
            for p in manifest_problems(&out) {
                problems.push(format!("{what}: {p}"));
            }
        }
        if !sigkill && !temp_files(&out).is_empty() {
            problems.push(format!(
                "{what}: SIGINT left temp files {:?}",
                temp_files(&out)
            ));
        }
        for p in {
            let mut v = Vec::new();
            check_opens(&out, &mut seen, &mut v);
            v
        } {
            problems.push(format!("{what}: {p}"));
        }
        // The next build: complete, and it leaves everything consistent.
        full_build(source, &out);
        for p in manifest_problems(&out) {
            problems.push(format!("{what}, then a complete build: {p}"));
        }
        let temps = temp_files(&out);
        if !temps.is_empty() {
            problems.push(format!(
                "{what}, then a complete build: temp files {temps:?}"
            ));
        }
        check_opens(&out, &mut seen, &mut problems);
    }
    eprintln!(
        "{RUNS} kills: {interrupted} builds stopped by SIGINT, {in_window} SIGKILLs inside the commit's rename window"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
