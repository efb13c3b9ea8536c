//! Benchmark of the whole pipeline through the real binary, for the FOA module as shipped
//! and for a generated module ten times larger: cold full build (`--jobs 2` and `--jobs 1`),
//! no-op rebuild, rebuild after a one-word edit, the same edit in `watch` mode, `check`,
//! peak memory, "the usual way" (pandoc + typst) on the same module in the same run, and
//! the engine's limit (the typst CLI compiling the booklets' own markup, `limit.rs`).
//! Then (i) the PowerPoint decks alone and the full build with and without them (`pptx.rs`).
//! Ends with the tables of figures to reach (issues 10, 20 and 24): measured, target, met or
//! missed.
//!
//! Run with `cargo bench --bench pipeline`. Environment:
//! - MODULPRESS_BENCH_RUNS: runs per step for the FOA module (default 5);
//! - MODULPRESS_BENCH_RUNS_LARGE: runs per step for the large module (default 1: its
//!   builds take 15 to 50 s each);
//! - MODULPRESS_BENCH_SCALE: how many times the FOA module's words the large one has (10);
//! - MODULPRESS_BENCH_BIN: another modulpress binary to time (default: this build's);
//! - MODULPRESS_BENCH_LAYOUTS: another layouts folder (default: `layouts/`), say the
//!   template of the commit whose binary MODULPRESS_BENCH_BIN names;
//! - MODULPRESS_BENCH_PANDOC, MODULPRESS_BENCH_TYPST: the usual tools (see `usual.rs`;
//!   `sh benches/usual-tools.sh` installs them);
//! - MODULPRESS_BENCH_STEPS: `limit` times only step (h), the engine's limit (a minute,
//!   for measuring a change to the booklets); unset, every step.

mod limit;
mod pptx;
mod proc;
mod report;
mod scale;
mod since;
mod stats;
mod usual;
mod watch;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use proc::Outcome;
use stats::{Samples, missing, ms, ratio, row};

/// The longest a build may take before the bench gives up on it.
const BUILD_LIMIT: Duration = Duration::from_secs(300);
/// The longest the bench waits for a step of a feature that may not exist yet.
pub const STEP_LIMIT: Duration = Duration::from_secs(30);

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
    /// The same edit, until the booklets were republished (watch commits them first).
    watch_booklets: Option<Samples>,
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
        layouts: std::env::var_os("MODULPRESS_BENCH_LAYOUTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("layouts")),
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
    if std::env::var("MODULPRESS_BENCH_STEPS").is_ok_and(|s| s.trim() == "since") {
        let f = since::since(&bench, &modules[0]);
        since::print(&f);
        println!("load average at the end: {}", load());
        let _ = std::fs::remove_dir_all(&bench.work);
        return;
    }
    if std::env::var("MODULPRESS_BENCH_STEPS").is_ok_and(|s| s.trim() == "limit") {
        let l = limit::limit(&bench, &modules[0]);
        println!("\nFigures to reach (issue 24), FOA module, best of N:");
        report::figures(&Measured::default(), None, None, l.map(|l| l.both));
        println!("load average at the end: {}", load());
        let _ = std::fs::remove_dir_all(&bench.work);
        return;
    }

    let mut measured = Vec::new();
    for m in &modules {
        measured.push(bench_module(&bench, m));
    }
    let pptx_figures = pptx::pptx(&bench, &modules[0]);
    let since_figures = since::since(&bench, &modules[0]);
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
    let usual = report::usual_way(&bench, &modules[0]);
    println!();
    let limit = limit::limit(&bench, &modules[0]);

    println!("\nFigures to reach (issues 10 and 24), FOA module, best of N, --jobs 2:");
    report::figures(foa, scale_ratio, usual, limit.map(|l| l.both));
    pptx::print(&pptx_figures);
    since::print(&since_figures);
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
    (r.watch, r.watch_booklets) = match watch::watch(bench, m, &edit, &r.cold2) {
        Some((all, booklets)) => (Some(all), booklets),
        None => (None, None),
    };
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
