//! Step (g), the usual way against modulpress, and the closing table of figures to reach.

use crate::stats::{self, Samples, missing, ms, ratio, row};
use crate::{Bench, Measured, Module, usual};

/// (g): the usual way against modulpress's cold full build, alternately, on the FOA module.
pub fn usual_way(bench: &Bench, m: &Module) -> Option<f64> {
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
pub fn figures(foa: &Measured, scale_ratio: Option<f64>, usual: Option<f64>, limit: Option<f64>) {
    let secs = |s: &Option<Samples>| s.as_ref().map(|s| s.best_s());
    let cold = (!foa.cold2.is_empty()).then(|| foa.cold2.best_s());
    let jobs = (!foa.cold1.is_empty() && !foa.cold2.is_empty())
        .then(|| foa.cold1.best_s() / foa.cold2.best_s());
    let peak = (foa.cold2.peak_kb > 0).then(|| foa.cold2.peak_kb as f64 / 1024.0);
    let cold_cpu = (!foa.cold2.cpus.is_empty()).then(|| stats::best_cpu(&foa.cold2));
    // (what, measured, shown as, target text, met?)
    type Row<'a> = (
        &'a str,
        Option<f64>,
        fn(f64) -> String,
        &'a str,
        fn(f64) -> bool,
    );
    let rows: Vec<Row> = vec![
        (
            "cold full build, all outputs",
            cold,
            |v| format!("{:.2} s", v),
            "under 0.7 s (issue 24)",
            |v| v < 0.7,
        ),
        (
            "cold full build, CPU",
            cold_cpu,
            |v| format!("{:.2} s", v),
            "under 1.3 s (issue 24)",
            |v| v < 1.3,
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
            "under 0.5 s (issue 24)",
            |v| v < 0.5,
        ),
        (
            "one-word edit, watch, booklets out",
            foa.watch_booklets
                .as_ref()
                .or(foa.watch.as_ref())
                .map(|s| s.best_s()),
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
            "under 11 times (issue 24)",
            |v| v < 11.0,
        ),
        (
            "against pandoc + typst, same run",
            usual,
            |v| format!("{:.2} times their wall", v),
            "at most 0.25 times",
            |v| v <= 0.25,
        ),
        (
            "booklets against typst's own compile",
            limit,
            |v| format!("{:.2} times its wall", v),
            "at most 1.15 times",
            |v| v <= 1.15,
        ),
    ];
    println!("{:<40} {:<24} {:<30} ", "figure", "measured", "target");
    for (what, value, show, target, met) in rows {
        let (shown, verdict) = match value {
            Some(v) => (show(v), if met(v) { "met" } else { "missed" }),
            None => ("-".to_string(), "not measured"),
        };
        println!("{what:<40} {shown:<24} {target:<30} {verdict}");
    }
}
