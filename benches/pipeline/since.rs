//! Step (j), the changes since an earlier edition (issue 22) on the FOA module: a cold full
//! build with `--since OLD` against one without, alternately (OLD: the module with one
//! sentence of session 4 as it was, so there is something to compare), and a no-op build
//! with `--since` into the folder of the last one.

use std::path::Path;

use crate::stats::{Samples, best_cpu, median, missing, ms, ratio, row};
use crate::{BUILD_LIMIT, Bench, Module, proc};

/// The figures of issue 22.
#[derive(Default)]
pub struct Figures {
    /// Cold build with `--since` over cold build without: best / best, and CPU medians.
    pub over_cold: Option<f64>,
    pub cpu_over_cold: Option<f64>,
    /// A no-op build with `--since`, best wall, seconds.
    pub noop_s: Option<f64>,
}

pub fn since(bench: &Bench, m: &Module) -> Figures {
    let name = m.name.as_str();
    let mut f = Figures::default();
    let old = bench.work.join(format!("{name}-edition-1"));
    crate::scale::copy_dir(&m.dir, &old);
    let session = old.join("04-hukum-nasional.md");
    let Ok(text) = std::fs::read_to_string(&session) else {
        missing(name, "(j) build --since", "no session 04-hukum-nasional.md");
        return f;
    };
    // The earlier edition said it otherwise.
    let edited = text.replacen("hukum tertinggi", "hukum paling tinggi", 1);
    std::fs::write(&session, edited).unwrap();
    let build = |out: &Path, since: bool| {
        let mut c = bench.command(m, "build", Some(out), Some(2));
        if since {
            c.arg("--since").arg(&old);
        }
        proc::run(&mut c, BUILD_LIMIT)
    };
    let (mut with, mut without) = (Samples::default(), Samples::default());
    let out = bench.work.join(format!("{name}-since"));
    for round in 0..m.runs {
        let order = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for s in order {
            let _ = std::fs::remove_dir_all(&out);
            let o = build(&out, s);
            if !o.ok() {
                missing(name, "(j) build --since", &o.stderr_tail());
                return f;
            }
            if s { with.push(&o) } else { without.push(&o) }
        }
    }
    row(name, "(j) cold build, without --since", &without, "");
    row(
        name,
        "(j) cold build, --since OLD",
        &with,
        "16 changes copies more",
    );
    let r = with.best_s() / without.best_s();
    let cpu = ms(median(&with.cpus)) / ms(median(&without.cpus)).max(1.0);
    ratio(
        name,
        "(j) --since / without (best)",
        r,
        &format!(
            "; cpu medians {cpu:.2}, best cpu {:.2}",
            best_cpu(&with) / best_cpu(&without).max(0.001)
        ),
    );
    f.over_cold = Some(r);
    f.cpu_over_cold = Some(cpu);
    // The folder holds the last build: without --since in odd rounds, so build it once.
    let o = build(&out, true);
    if !o.ok() {
        missing(name, "(j) no-op --since", &o.stderr_tail());
        return f;
    }
    let mut noop = Samples::default();
    for _ in 0..m.runs {
        let o = build(&out, true);
        if !o.ok() {
            missing(name, "(j) no-op --since", &o.stderr_tail());
            return f;
        }
        noop.push(&o);
    }
    row(name, "(j) no-op build --since OLD", &noop, "");
    f.noop_s = Some(noop.best_s());
    f
}

/// The figures of issue 22 against their targets.
pub fn print(f: &Figures) {
    println!("\nFigures to reach (issue 22), FOA module, --jobs 2:");
    let line = |what: &str, measured: Option<String>, target: &str, met: Option<bool>| {
        println!(
            "  {what:<48} {:>14}  target {target:<12} {}",
            measured.unwrap_or_else(|| "not measured".into()),
            match met {
                Some(true) => "met",
                Some(false) => "missed",
                None => "-",
            }
        );
    };
    line(
        "build --since over a cold full build (best)",
        f.over_cold.map(|r| format!("+{:.0}%", (r - 1.0) * 100.0)),
        "under +25%",
        f.over_cold.map(|r| r < 1.25),
    );
    line(
        "the same, CPU medians",
        f.cpu_over_cold
            .map(|r| format!("+{:.0}%", (r - 1.0) * 100.0)),
        "",
        None,
    );
    line(
        "no-op build with --since (best)",
        f.noop_s.map(|s| format!("{:.3} s", s)),
        "under 0.05 s",
        f.noop_s.map(|s| s < 0.05),
    );
}
