//! Benchmark of the whole pipeline through the real binary, for the FOA module as shipped
//! and for a generated module ten times larger: cold full build (`--jobs 2` and `--jobs 1`),
//! no-op rebuild, rebuild after a one-word edit, the same edit in `watch` mode, `check`,
//! peak memory, and "the usual way" (pandoc + typst) on the same module in the same run.
//! Ends with the table of figures to reach (issue 10): measured, target, met or missed.
//!
//! Run with `cargo bench --bench pipeline`. Environment:
//! - MODULPRESS_BENCH_RUNS: runs per step for the FOA module (default 5);
//! - MODULPRESS_BENCH_RUNS_LARGE: runs per step for the large module (default 1: its
//!   builds take 15 to 50 s each);
//! - MODULPRESS_BENCH_SCALE: how many times the FOA module's words the large one has (10);
//! - MODULPRESS_BENCH_BIN: another modulpress binary to time (default: this build's);
//! - MODULPRESS_BENCH_PANDOC, MODULPRESS_BENCH_TYPST: the usual tools (see `usual.rs`;
//!   `sh benches/usual-tools.sh` installs them).

mod proc;
mod scale;
mod stats;
mod usual;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use proc::{Outcome, Running};
use stats::{Samples, missing, ms, ratio, row};

/// The longest a build may take before the bench gives up on it.
const BUILD_LIMIT: Duration = Duration::from_secs(300);
/// The longest the bench waits for a step of a feature that may not exist yet.
const STEP_LIMIT: Duration = Duration::from_secs(30);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// A module to time: a copy the bench may edit.
struct Module {
    name: String,
    dir: PathBuf,
    words: usize,
    runs: usize,
    /// Runs of the cold build with `--jobs 1` (fewer on the large module: it is the slowest).
    runs_jobs1: usize,
}

/// What one module's steps measured, for the ratios and the figures table.
#[derive(Default)]
struct Measured {
    cold2: Samples,
    cold1: Samples,
    noop: Option<Samples>,
    edit: Option<Samples>,
    watch: Option<Samples>,
}

struct Bench {
    bin: PathBuf,
    layouts: PathBuf,
    work: PathBuf,
}

impl Bench {
    fn command(
        &self,
        module: &Module,
        sub: &str,
        out: Option<&Path>,
        jobs: Option<usize>,
    ) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg(sub);
        if let Some(j) = jobs {
            c.args(["--jobs", &j.to_string()]);
        }
        c.arg("--source")
            .arg(&module.dir)
            .arg("--layouts")
            .arg(&self.layouts);
        if let Some(out) = out {
            c.arg("--out").arg(out);
        }
        c
    }

    fn build(&self, module: &Module, out: &Path, jobs: usize) -> Outcome {
        proc::run(
            &mut self.command(module, "build", Some(out), Some(jobs)),
            BUILD_LIMIT,
        )
    }
}

/// `built N, current M` from a build's summary line.
fn summary(stderr: &str) -> Option<(usize, usize)> {
    stderr.lines().find_map(|l| {
        let rest = &l[l.find("built ")? + 6..];
        let (built, rest) = rest.split_once(", current ")?;
        let current: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        Some((built.trim().parse().ok()?, current.parse().ok()?))
    })
}

/// The outputs a build listed in its manifest, by kind: "2 booklet, 2 imposed, 16 docx".
fn manifest_kinds(out: &Path) -> (usize, String) {
    let Ok(text) = std::fs::read_to_string(out.join("manifest.json")) else {
        return (0, "no manifest".into());
    };
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outputs = json["outputs"].as_array().cloned().unwrap_or_default();
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for o in &outputs {
        let k = o["kind"].as_str().unwrap_or("?").to_string();
        match kinds.iter_mut().find(|(n, _)| *n == k) {
            Some((_, c)) => *c += 1,
            None => kinds.push((k, 1)),
        }
    }
    let list: Vec<String> = kinds.iter().map(|(k, c)| format!("{c} {k}")).collect();
    (outputs.len(), list.join(", "))
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bench = Bench {
        bin: std::env::var_os("MODULPRESS_BENCH_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_modulpress"))),
        layouts: root.join("layouts"),
        work: std::env::temp_dir().join(format!("modulpress-bench-{}", std::process::id())),
    };
    let _ = std::fs::remove_dir_all(&bench.work);
    std::fs::create_dir_all(&bench.work).unwrap();
    let load_at_start = load();
    let runs = env_usize("MODULPRESS_BENCH_RUNS", 5);
    let runs_large = env_usize("MODULPRESS_BENCH_RUNS_LARGE", 1);
    let factor = env_usize("MODULPRESS_BENCH_SCALE", 10);

    let foa_dir = bench.work.join("foa");
    scale::copy_dir(&root.join("source"), &foa_dir);
    let foa_words: usize = scale::sessions(&foa_dir)
        .iter()
        .map(|f| {
            std::fs::read_to_string(foa_dir.join(f))
                .unwrap()
                .split_whitespace()
                .count()
        })
        .sum();
    let large_dir = bench.work.join(format!("foa-x{factor}"));
    let large_words = scale::scale_module(&root.join("source"), &large_dir, foa_words * factor);
    let modules = [
        Module {
            name: "foa".into(),
            dir: foa_dir,
            words: foa_words,
            runs,
            runs_jobs1: runs,
        },
        Module {
            name: format!("x{factor}"),
            dir: large_dir,
            words: large_words,
            runs: runs_large,
            runs_jobs1: runs_large.saturating_sub(1).max(1),
        },
    ];

    println!("modulpress pipeline benchmark: {}", bench.bin.display());
    println!(
        "{} cores; load average {}; best-of-N and median wall times; cpu = user+sys of the process; \
         peak = largest ru_maxrss (wait4) over the runs",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        load_at_start
    );
    for m in &modules {
        println!(
            "module {}: {} words in {} sessions ({})",
            m.name,
            m.words,
            scale::sessions(&m.dir).len(),
            m.dir.display()
        );
    }
    println!("every build: `modulpress build --jobs 2` (unless it says --jobs 1), all outputs\n");
    println!("{}", stats::HEADER);

    let mut measured = Vec::new();
    for m in &modules {
        measured.push(bench_module(&bench, m));
    }
    let (foa, large) = (&measured[0], &measured[1]);
    let scale_ratio = (!foa.cold2.is_empty() && !large.cold2.is_empty())
        .then(|| large.cold2.best_s() / foa.cold2.best_s());
    if let Some(r) = scale_ratio {
        ratio(
            &modules[1].name,
            "(f) cold build / FOA cold build",
            r,
            &format!(
                " for {:.1} times the words (best / best)",
                large_words as f64 / foa_words as f64
            ),
        );
    }

    println!();
    let usual = usual_way(&bench, &modules[0]);

    println!("\nFigures to reach (issue 10), FOA module, best of N, --jobs 2:");
    figures(foa, scale_ratio, usual);
    println!("load average at the end: {}", load());
    let busy: f64 = load_at_start
        .split_whitespace()
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0.0);
    if busy > 0.5 {
        println!(
            "note: other work was running (load {busy:.1} at the start, on {} cores): wall times, and the \
             --jobs 2 gain most of all, are worse than on a quiet machine; the cpu column is steadier",
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(0)
        );
    }
    let _ = std::fs::remove_dir_all(&bench.work);
}

/// The load average over 1, 5 and 15 minutes: other work on the machine.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Steps (a) to (e) for one module, each printed as it finishes.
fn bench_module(bench: &Bench, m: &Module) -> Measured {
    let name = m.name.as_str();
    let mut r = Measured::default();

    // check
    let mut check = Samples::default();
    for _ in 0..m.runs {
        let o = proc::run(&mut bench.command(m, "check", None, None), BUILD_LIMIT);
        if !o.ok() {
            missing(name, "check", &format!("{}: {}", o.exit, o.stderr_tail()));
            break;
        }
        check.push(&o);
    }
    if check.walls.len() == m.runs {
        row(name, "check", &check, "");
    }

    // (a) and (e): cold full builds into fresh folders, --jobs 2 and 1 in turn.
    let kept = bench.work.join(format!("{name}-out"));
    let mut outputs = String::new();
    let mut failed = None;
    'rounds: for round in 0..m.runs {
        let order = if round % 2 == 0 { [2, 1] } else { [1, 2] };
        for jobs in order {
            if jobs == 1 && round >= m.runs_jobs1 {
                continue;
            }
            let out = bench.work.join(format!("{name}-cold-{jobs}"));
            let _ = std::fs::remove_dir_all(&out);
            let o = bench.build(m, &out, jobs);
            if !o.ok() {
                failed = Some(format!("{}: {}", o.exit, o.stderr_tail()));
                break 'rounds;
            }
            if jobs == 2 {
                r.cold2.push(&o);
                if outputs.is_empty() {
                    let (n, kinds) = manifest_kinds(&out);
                    outputs = format!("{n} outputs: {kinds}");
                }
                // The last one stays, for the rebuilds.
                let _ = std::fs::remove_dir_all(&kept);
                std::fs::rename(&out, &kept).unwrap();
            } else {
                r.cold1.push(&o);
                let _ = std::fs::remove_dir_all(&out);
            }
        }
    }
    if let Some(why) = failed {
        missing(name, "(a) cold full build", &why);
        return r;
    }
    row(
        name,
        "(a) cold full build",
        &r.cold2,
        &format!("fresh out folder each run; {outputs}"),
    );
    row(name, "(e) cold full build, --jobs 1", &r.cold1, "");
    ratio(
        name,
        "(e) --jobs 1 / --jobs 2",
        r.cold1.best_s() / r.cold2.best_s(),
        &format!(
            " (best / best; medians {:.2}; cpu medians {:.0} / {:.0} ms)",
            r.cold1.median().as_secs_f64() / r.cold2.median().as_secs_f64(),
            ms(stats::median(&r.cold1.cpus)),
            ms(stats::median(&r.cold2.cpus))
        ),
    );

    // (b) no-op rebuild into the folder of the last cold build.
    r.noop = rebuilds(bench, m, &kept, "(b) no-op rebuild", None);

    // (c) one-word edit, then build, into the same folder.
    let session = scale::sessions(&m.dir)[3.min(scale::sessions(&m.dir).len() - 1)].clone();
    let edit = scale::word_edit(&m.dir, &session);
    println!(
        "{:<7} (edit: {} line {}: `{}` <-> `{}`, a paragraph every audience reads)",
        name, edit.file, edit.line, edit.word, edit.other
    );
    r.edit = rebuilds(bench, m, &kept, "(c) one-word edit, build", Some(&edit));

    // (d) the same edit in watch mode.
    r.watch = watch(bench, m, &edit, &r.cold2);
    std::fs::write(m.dir.join(&edit.file), &edit.original).unwrap();
    let _ = std::fs::remove_dir_all(&kept);
    r
}

/// Builds into a folder that holds a finished build: nothing changed (`edit` None) or the
/// one-word edit written before each run, its two versions in turn.
fn rebuilds(
    bench: &Bench,
    m: &Module,
    out: &Path,
    step: &str,
    edit: Option<&scale::WordEdit>,
) -> Option<Samples> {
    let mut s = Samples::default();
    let mut counts = Vec::new();
    for i in 0..m.runs {
        if let Some(e) = edit {
            let text = if i % 2 == 0 { &e.edited } else { &e.original };
            std::fs::write(m.dir.join(&e.file), text).unwrap();
        }
        let o = bench.build(m, out, 2);
        if !o.ok() {
            missing(&m.name, step, &format!("{}: {}", o.exit, o.stderr_tail()));
            return None;
        }
        counts.push(summary(&o.stderr));
        s.push(&o);
    }
    let note = match counts.last().copied().flatten() {
        Some((built, current)) => format!("summary: built {built}, current {current}"),
        None => "no `built N, current M` summary: this binary has no cache, every run rebuilt all"
            .into(),
    };
    row(&m.name, step, &s, &note);
    Some(s)
}

/// (d): `modulpress watch`, its first build, then the one-word edit written again and again,
/// each timed from the write to the `rebuilt` line; SIGINT at the end.
fn watch(bench: &Bench, m: &Module, edit: &scale::WordEdit, cold: &Samples) -> Option<Samples> {
    let name = m.name.as_str();
    let step = "(d) one-word edit, watch";
    let out = bench.work.join(format!("{name}-watch"));
    let _ = std::fs::remove_dir_all(&out);
    // The file as the last rebuild left it decides which version comes next.
    let on_disk = std::fs::read_to_string(m.dir.join(&edit.file)).unwrap();
    let mut edited = on_disk == edit.edited;
    let mut cmd = bench.command(m, "watch", Some(&out), Some(2));
    let w = match Running::start(&mut cmd) {
        Ok(w) => w,
        Err(e) => {
            missing(name, step, &format!("cannot start: {e}"));
            return None;
        }
    };
    let first_limit = STEP_LIMIT.max(cold.best() * 5);
    let started = std::time::Instant::now();
    if let Err(no) = w.wait_line(
        |l| l.starts_with("watching "),
        |l| l.starts_with("waiting "),
        first_limit,
    ) {
        let ended = matches!(no, proc::NoLine::Closed(_));
        let why = no.describe();
        let o = if ended {
            w.finish()
        } else {
            w.interrupt(Duration::from_secs(5)).0
        };
        missing(name, step, &format!("first build: {why} ({})", o.exit));
        return None;
    }
    let mut first = Samples::default();
    first.push_wall(started.elapsed());
    let mut s = Samples::default();
    let mut reported = Vec::new();
    let mut extra = 0;
    let limit = STEP_LIMIT.max(cold.best() * 3);
    for _ in 0..m.runs {
        edited = !edited;
        w.drain();
        std::fs::write(
            m.dir.join(&edit.file),
            if edited { &edit.edited } else { &edit.original },
        )
        .unwrap();
        let written = std::time::Instant::now();
        match w.wait_line(
            |l| l.starts_with("rebuilt "),
            |l| l.starts_with("waiting "),
            limit,
        ) {
            Ok((at, line)) => {
                s.push_wall(at.duration_since(written));
                if let Some(t) = reported_ms(&line) {
                    reported.push(t);
                }
            }
            Err(no) => {
                let why = no.describe();
                let o = w.interrupt(Duration::from_secs(5)).0;
                missing(name, step, &format!("after an edit: {why} ({})", o.exit));
                return None;
            }
        }
        // Let a second event of the same save show itself before the next edit.
        std::thread::sleep(Duration::from_millis(300));
        extra += w
            .drain()
            .iter()
            .filter(|l| l.trim().starts_with("rebuilt "))
            .count();
    }
    let (o, stop) = w.interrupt(Duration::from_secs(10));
    s.cpus.push(o.cpu);
    s.peak_kb = o.peak_kb;
    let stopped = match o.exit {
        proc::Exit::Code(0) => format!("SIGINT: exit 0 in {:.0} ms", ms(stop)),
        other => format!("SIGINT: {other} (expected exit 0)"),
    };
    let reported = if reported.is_empty() {
        String::new()
    } else {
        reported.sort_by(f64::total_cmp);
        format!("; watch's own figure: best {:.0} ms", reported[0])
    };
    let extra = if extra > 0 {
        format!("; {extra} extra rebuild lines")
    } else {
        String::new()
    };
    row(
        name,
        "(d) watch: first build",
        &first,
        "until the `watching` line",
    );
    row(
        name,
        step,
        &s,
        &format!(
            "write -> `rebuilt` line{reported}{extra}; {stopped}; cpu and peak: the whole watch"
        ),
    );
    Some(s)
}

/// The time in a `rebuilt ... in 243 ms ...` line.
fn reported_ms(line: &str) -> Option<f64> {
    let rest = &line[line.find(" in ")? + 4..];
    let mut parts = rest.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    match parts.next()? {
        "ms" => Some(n),
        "s" => Some(n * 1000.0),
        _ => None,
    }
}

/// (g): the usual way against modulpress's cold full build, alternately, on the FOA module.
fn usual_way(bench: &Bench, m: &Module) -> Option<f64> {
    let name = m.name.as_str();
    let step = "(g) the usual way (pandoc + typst)";
    let tools = match usual::find() {
        Ok(t) => t,
        Err(why) => {
            println!("{name:<7} {step}: skipped: {why}");
            return None;
        }
    };
    let prepared = usual::prepare(&m.dir, &bench.layouts, &bench.work.join("usual"));
    println!(
        "{name:<7} (g) the usual way, {} and {}, 2 commands at a time, alternating with modulpress:",
        tools.pandoc_version, tools.typst_version
    );
    println!(
        "        pandoc -> DOCX for each of the {} federations x 2 audiences ({} files, both audiences the same text:\n        \
         pandoc does not route facilitator blocks), pandoc -> typst -> PDF booklet x 2 audiences (A5, pandoc's\n        \
         template, no imposition), pandoc -> one PPTX deck (no federation decks, no handouts). Inputs prepared\n        \
         before timing: sessions concatenated, footnote labels made unique, {{{{org.*}}}} filled per federation.",
        prepared.federations(),
        prepared.federations() * 2
    );
    if !tools.svg {
        println!(
            "        note: no rsvg-convert, so pandoc leaves the SVG diagrams out of the DOCX and PPTX"
        );
    }
    let mut mp = Samples::default();
    let mut us = Samples::default();
    let mut serial = Vec::new();
    let mut files = 0;
    // Each round of the usual way takes many times a build: at most 3 rounds.
    for round in 0..m.runs.min(3) {
        for first in [round % 2 == 0, round % 2 == 1] {
            if first {
                let out = bench.work.join("usual-modulpress");
                let _ = std::fs::remove_dir_all(&out);
                let o = bench.build(m, &out, 2);
                if !o.ok() {
                    missing(name, "(g) modulpress cold build", &o.stderr_tail());
                    return None;
                }
                mp.push(&o);
                let _ = std::fs::remove_dir_all(&out);
            } else {
                match prepared.run(&tools, round, 2) {
                    Ok(r) => {
                        us.push_wall(r.wall);
                        us.cpus.push(r.cpu);
                        us.peak_kb = us.peak_kb.max(r.peak_kb);
                        serial.push(r.serial);
                        files = r.files;
                    }
                    Err(why) => {
                        missing(name, step, &why);
                        return None;
                    }
                }
            }
        }
    }
    row(
        name,
        "(g) modulpress cold full build",
        &mp,
        "alternating with the next line",
    );
    row(
        name,
        step,
        &us,
        &format!(
            "{files} files; cpu: all commands; one at a time would take {:.0} ms (median); peak: largest command",
            ms(stats::median(&serial))
        ),
    );
    let r = mp.best_s() / us.best_s();
    ratio(
        name,
        "(g) modulpress / usual way",
        r,
        &format!(
            " (best / best; medians {:.2}; cpu medians {:.2})",
            mp.median().as_secs_f64() / us.median().as_secs_f64(),
            stats::median(&mp.cpus).as_secs_f64() / stats::median(&us.cpus).as_secs_f64()
        ),
    );
    Some(r)
}

/// The table of figures to reach.
fn figures(foa: &Measured, scale_ratio: Option<f64>, usual: Option<f64>) {
    let secs = |s: &Option<Samples>| s.as_ref().map(|s| s.best_s());
    let cold = (!foa.cold2.is_empty()).then(|| foa.cold2.best_s());
    let jobs = (!foa.cold1.is_empty() && !foa.cold2.is_empty())
        .then(|| foa.cold1.best_s() / foa.cold2.best_s());
    let peak = (foa.cold2.peak_kb > 0).then(|| foa.cold2.peak_kb as f64 / 1024.0);
    // (what, measured, shown as, target text, met?)
    let rows: Vec<(&str, Option<f64>, fn(f64) -> String, &str, fn(f64) -> bool)> = vec![
        (
            "cold full build, all outputs",
            cold,
            |v| format!("{:.2} s", v),
            "under 0.8 s (moonshot 0.6 s)",
            |v| v < 0.8,
        ),
        (
            "no-op rebuild",
            secs(&foa.noop),
            |v| format!("{:.3} s", v),
            "under 0.05 s",
            |v| v < 0.05,
        ),
        (
            "one-word edit in one session (build)",
            secs(&foa.edit),
            |v| format!("{:.2} s", v),
            "under 0.7 s",
            |v| v < 0.7,
        ),
        (
            "one-word edit, watch mode",
            secs(&foa.watch),
            |v| format!("{:.2} s", v),
            "under 0.3 s",
            |v| v < 0.3,
        ),
        (
            "--jobs 2 against --jobs 1",
            jobs,
            |v| format!("{:.2} times faster", v),
            "at least 1.6 times",
            |v| v >= 1.6,
        ),
        (
            "peak memory (cold full build)",
            peak,
            |v| format!("{:.0} MB", v),
            "under 600 MB",
            |v| v < 600.0,
        ),
        (
            "10 times the text (cold full build)",
            scale_ratio,
            |v| format!("{:.1} times the time", v),
            "under 12 times",
            |v| v < 12.0,
        ),
        (
            "against pandoc + typst, same run",
            usual,
            |v| format!("{:.2} times their wall", v),
            "at most 0.25 times",
            |v| v <= 0.25,
        ),
    ];
    println!(
        "{:<40} {:<24} {:<30} {}",
        "figure", "measured", "target", ""
    );
    for (what, value, show, target, met) in rows {
        let (shown, verdict) = match value {
            Some(v) => (show(v), if met(v) { "met" } else { "missed" }),
            None => ("-".to_string(), "not measured"),
        };
        println!("{what:<40} {shown:<24} {target:<30} {verdict}");
    }
    if let (Some(c), true) = (cold, cold.is_some_and(|c| c < 0.6)) {
        println!("(the cold build reaches the moonshot: {c:.2} s)");
    }
}
