//! Kill tests: a full build of the FOA module (every kind of output, two federations) stopped
//! by SIGINT or SIGKILL, alternating two editions so that every output changes: 16 times at
//! random moments (fixed seeds), and 4 times in the commit. About 100 s on two cores.
//!
//! After each kill every file in `out/` opens (pdfinfo; unzip -t and an XML parse of every
//! DOCX part) and the manifest matches the files byte for byte, unless the kill fell inside
//! the commit's rename window: then the journal is there, and the next build undoes it.
//! After a SIGINT the handler has already put everything back: no journal, no temp file,
//! and the old edition's manifest unless the build had finished. Then the next, complete
//! build succeeds, and leaves a matching manifest and no temp file.
//!
//! Each kill is counted by the phase it landed in, read from what it left (see [`Phase`]),
//! and the counts are printed; the test fails unless a SIGKILL and a SIGINT landed in the
//! commit. The commit lasts 5 to 100 ms of a 4 to 8 s build (measured on this machine), so
//! random moments rarely hit it: the 4 aimed kills watch `out/` for export.rs's journal,
//! which exists exactly while the commit runs, and signal the build as soon as it appears
//! (and 1 or 2 ms later, to reach further into the renames). No hook in the binary is
//! needed. A SIGKILL there leaves the journal, which the next build undoes; a SIGINT there
//! stops the renames and puts the old edition back, or, when they are done before the
//! handler's flag is read, lets the commit finish: either way `out/` is whole.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::outputs::{listing, manifest_problems, open_problems, temp_files};
use common::{copy_dir, have, root, temp_dir};

/// Kills at random moments; 4 more are aimed at the commit.
const RANDOM_RUNS: usize = 16;

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

/// export.rs's journal: written before the first rename of the commit, removed after the last.
const JOURNAL: &str = ".modulpress-journal.json";

/// Where a kill landed, read from what it left in `out/` and how the build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Nothing of this build in `out/` yet: planning and rendering the first outputs.
    BeforeStaging,
    /// Outputs staged under temp names in `out/`, no journal yet (SIGKILL: temp files left;
    /// SIGINT: temp files there when it was sent).
    Staging,
    /// The commit: the journal was left (SIGKILL), or was there when the signal was sent
    /// (SIGINT: the build then stops and puts the old edition back, or, when the renames
    /// are done before its handler's flag is read, finishes).
    Commit,
    /// The new edition committed, the process not yet ended (SIGKILL, no journal, the new
    /// manifest in place).
    AfterCommit,
    /// The build had finished (exit code 0), or was past its commit (SIGINT).
    Finished,
}

/// When to send the signal.
enum When {
    /// After this long.
    After(Duration),
    /// This long after the journal appears.
    InCommit(Duration),
}

/// Has the build staged a file in `out/`? (Names only: cheap enough to ask just before
/// the signal.)
fn staged(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.contains(".mp-new-") || (e.path().is_dir() && staged(&e.path()))
    })
}

/// One build of `source` into `out`, signalled as `when` says; where the signal landed and
/// what the run left wrong.
fn kill_once(
    run: usize,
    source: &Path,
    out: &Path,
    sigkill: bool,
    when: &When,
    seen: &mut std::collections::BTreeSet<String>,
) -> (Phase, Vec<String>) {
    let mut problems = Vec::new();
    let manifest_before = std::fs::read(out.join("manifest.json")).ok();
    let mut child = build(source, out).spawn().unwrap();
    let started = Instant::now();
    let journal = out.join(JOURNAL);
    let mut missed = false;
    match when {
        When::After(delay) => std::thread::sleep(*delay),
        When::InCommit(extra) => {
            // Poll every 0.2 ms: the commit lasts 5 ms or more.
            while !journal.exists() {
                if child.try_wait().unwrap().is_some()
                    || started.elapsed() > Duration::from_secs(120)
                {
                    missed = true;
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(*extra);
        }
    }
    // What `out/` holds as the signal goes (a SIGINT's handler tidies up before it ends).
    let journal_at_signal = journal.exists();
    let staged_at_signal = !sigkill && !journal_at_signal && staged(out);
    if sigkill {
        let _ = child.kill();
    } else {
        // SAFETY: sends a signal to our own child, which has not been waited for yet.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        }
    }
    let done = child.wait_with_output().unwrap();
    let what = format!(
        "run {run} ({} {}, exit {:?})",
        if sigkill { "SIGKILL" } else { "SIGINT" },
        match when {
            When::After(d) => format!("after {d:?}"),
            When::InCommit(d) => format!("{d:?} into the commit"),
        },
        done.status.code()
    );
    if missed {
        // Counted by where the signal then landed (the final check wants commits).
        eprintln!("{what}: the build ended before its commit was seen");
    }
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
    let journal_left = journal.exists();
    let manifest_changed = std::fs::read(out.join("manifest.json")).ok() != manifest_before;
    let phase = if sigkill {
        if done.status.code() == Some(0) {
            Phase::Finished
        } else if journal_left {
            Phase::Commit
        } else if manifest_changed {
            Phase::AfterCommit
        } else if staged(out) {
            Phase::Staging
        } else {
            Phase::BeforeStaging
        }
    } else if journal_at_signal {
        // The commit either stopped and put the old edition back (exit 2) or, the renames
        // being done before the handler's flag was read, finished (exit 0).
        Phase::Commit
    } else if done.status.code() == Some(0) {
        Phase::Finished
    } else if staged_at_signal {
        Phase::Staging
    } else {
        Phase::BeforeStaging
    };
    if !sigkill {
        if journal_left {
            problems.push(format!("{what}: SIGINT left a journal"));
        }
        if done.status.code() == Some(2) && manifest_changed {
            problems.push(format!(
                "{what}: a stopped build changed the manifest: it must put the old edition back"
            ));
        }
        let temps = temp_files(out);
        if !temps.is_empty() {
            problems.push(format!("{what}: SIGINT left temp files {temps:?}"));
        }
    }
    if !journal_left {
        for p in manifest_problems(out) {
            problems.push(format!("{what}: {p}"));
        }
    }
    let mut opened = Vec::new();
    check_opens(out, seen, &mut opened);
    problems.extend(opened.into_iter().map(|p| format!("{what}: {p}")));
    // The next build: complete, and it leaves everything consistent.
    full_build(source, out);
    for p in manifest_problems(out) {
        problems.push(format!("{what}, then a complete build: {p}"));
    }
    let temps = temp_files(out);
    if !temps.is_empty() {
        problems.push(format!(
            "{what}, then a complete build: temp files {temps:?}"
        ));
    }
    check_opens(out, seen, &mut problems);
    eprintln!("{what}: {phase:?}");
    (phase, problems)
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
    // Random moments, from the start to a little past the usual end of a build; then the
    // commit, at once and a little later.
    let mut kills: Vec<(bool, When)> = (0..RANDOM_RUNS)
        .map(|run| {
            let delay = took.mul_f64((rng.next() % 1000) as f64 / 1000.0 * 1.1);
            (run % 2 == 1, When::After(delay))
        })
        .collect();
    for (sigkill, ms) in [(true, 0), (false, 0), (true, 2), (false, 1)] {
        kills.push((sigkill, When::InCommit(Duration::from_millis(ms))));
    }
    let mut phases: std::collections::BTreeMap<(Phase, &str), usize> = Default::default();
    for (run, (sigkill, when)) in kills.iter().enumerate() {
        // The edition that differs from the one in `out/`.
        let source = if run % 2 == 0 { &b } else { &a };
        let (phase, found) = kill_once(run, source, &out, *sigkill, when, &mut seen);
        *phases
            .entry((phase, if *sigkill { "SIGKILL" } else { "SIGINT" }))
            .or_default() += 1;
        problems.extend(found);
    }
    let table: Vec<String> = phases
        .iter()
        .map(|((phase, signal), n)| format!("{phase:?} {signal}: {n}"))
        .collect();
    eprintln!("{} kills, by phase: {}", kills.len(), table.join(", "));
    for signal in ["SIGKILL", "SIGINT"] {
        if !phases.contains_key(&(Phase::Commit, signal)) {
            problems.push(format!(
                "no {signal} landed in the commit ({})",
                table.join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Ctrl-C twice while outputs are staged (a user who does not wait, or `timeout -s INT`,
/// which signals twice): the build ends at once, says so, and leaves `out/` as it was,
/// without its temp files.
#[test]
fn a_second_ctrl_c_ends_at_once_and_leaves_no_temp_file() {
    let work = temp_dir("kill-twice");
    let (a, b) = (work.join("edition-a"), work.join("edition-b"));
    copy_dir(&root().join("source"), &a);
    copy_dir(&root().join("source"), &b);
    let toml = std::fs::read_to_string(b.join("module.toml")).unwrap();
    std::fs::write(b.join("module.toml"), toml.replace("Edisi 1", "Edisi 2")).unwrap();
    let out = work.join("out");
    full_build(&a, &out);
    let before = listing(&out);
    let child = build(&b, &out).spawn().unwrap();
    // As soon as the first output is staged.
    let start = Instant::now();
    while !staged(&out) && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(2));
    }
    for _ in 0..2 {
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("stopped at once: nothing was written; the output folder is as it was")
            || err.contains("stopped: nothing was written"),
        "{err}"
    );
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    assert_eq!(before, listing(&out));
}
