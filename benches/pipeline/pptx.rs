//! Step (i), the PowerPoint decks (issue 20): the 9 PPTX of the FOA module built alone
//! (`--only pptx`, which also sets the PDF deck once: the PPTX copies its shrink factors),
//! the PPTX jobs' own time from the manifest, and the full build without PPTX against the
//! full build with it, alternately. Step (j), issue 24's: the decks and handouts alone
//! (`--only slides,handout`).

use crate::stats::{Samples, median, missing, ms, ratio, row};
use crate::{BUILD_LIMIT, Bench, Module, proc};

/// Every kind but `pptx`.
const WITHOUT: &str = "booklet,imposed,docx,slides,handout";

/// The figures of issue 20: (PPTX build wall best, PPTX jobs ms, with/without ratio).
pub struct Figures {
    /// Issue 24's: `--only slides,handout`, wall best and cpu best, s.
    pub slides_handouts: Option<(f64, f64)>,
    pub alone: Option<f64>,
    pub jobs_ms: Option<u64>,
    pub with_over_without: Option<f64>,
    /// The same, from the CPU times' medians: steadier on a busy machine.
    pub cpu_with_over_without: Option<f64>,
}

pub fn pptx(bench: &Bench, m: &Module) -> Figures {
    let name = m.name.as_str();
    let build = |out: &std::path::Path, only: Option<&str>| {
        let _ = std::fs::remove_dir_all(out);
        let mut c = bench.command(m, "build", Some(out), Some(2));
        if let Some(only) = only {
            c.args(["--only", only]);
        }
        proc::run(&mut c, BUILD_LIMIT)
    };
    let mut f = Figures {
        slides_handouts: None,
        alone: None,
        jobs_ms: None,
        with_over_without: None,
        cpu_with_over_without: None,
    };
    let out = bench.work.join(format!("{name}-pptx"));
    let mut decks = Samples::default();
    for _ in 0..m.runs {
        let o = build(&out, Some("slides,handout"));
        if !o.ok() {
            missing(name, "(j) --only slides,handout", &o.stderr_tail());
            break;
        }
        decks.push(&o);
    }
    if decks.walls.len() == m.runs {
        row(
            name,
            "(j) --only slides,handout",
            &decks,
            "the decks, presenter notes and handouts, fresh out folder each run",
        );
        f.slides_handouts = Some((decks.best_s(), crate::stats::best_cpu(&decks)));
    }
    let mut alone = Samples::default();
    let mut jobs = Vec::new();
    for _ in 0..m.runs {
        let o = build(&out, Some("pptx"));
        if !o.ok() {
            missing(name, "(i) the 9 PPTX, --only pptx", &o.stderr_tail());
            return f;
        }
        alone.push(&o);
        // The PPTX jobs' own time: the sum of their build_ms in the manifest.
        let manifest: serde_json::Value = std::fs::read_to_string(out.join("manifest.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let sum: u64 = manifest["outputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["kind"] == "pptx")
            .filter_map(|o| o["build_ms"].as_u64())
            .sum();
        jobs.push(sum);
    }
    let _ = std::fs::remove_dir_all(&out);
    jobs.sort();
    f.jobs_ms = jobs.first().copied();
    row(
        name,
        "(i) the 9 PPTX, --only pptx",
        &alone,
        &format!(
            "includes setting the PDF deck once (the shrink factors); the PPTX jobs themselves: {} ms (sum of their build_ms, best run)",
            f.jobs_ms.unwrap_or(0)
        ),
    );
    f.alone = Some(alone.best_s());
    let (mut with, mut without) = (Samples::default(), Samples::default());
    for round in 0..m.runs {
        for pptx in [round % 2 == 0, round % 2 == 1] {
            let o = build(&out, (!pptx).then_some(WITHOUT));
            if !o.ok() {
                missing(
                    name,
                    "(i) full build with and without PPTX",
                    &o.stderr_tail(),
                );
                return f;
            }
            if pptx {
                with.push(&o)
            } else {
                without.push(&o)
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    row(
        name,
        "(i) cold full build without PPTX",
        &without,
        &format!("--only {WITHOUT}"),
    );
    let r = with.best_s() / without.best_s();
    let cpu = ms(median(&with.cpus)) / ms(median(&without.cpus));
    ratio(
        name,
        "(i) full build with PPTX / without",
        r,
        &format!(
            " (best / best; medians {:.2}; cpu medians {cpu:.2})",
            ms(with.median()) / ms(without.median())
        ),
    );
    f.with_over_without = Some(r);
    f.cpu_with_over_without = Some(cpu);
    f
}

/// The closing lines for issue 20's figures.
pub fn print(f: &Figures) {
    println!("\nFigures to reach (issues 24 and 20: the decks), FOA module, best of N, --jobs 2:");
    let line = |what: &str, measured: Option<String>, target: &str, met: Option<bool>| {
        let measured = measured.unwrap_or_else(|| "not available".into());
        let verdict = match met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "-",
        };
        println!("  {what:<52} {measured:>12}  target {target:<10} {verdict}");
    };
    line(
        "--only slides,handout (issue 24), wall",
        f.slides_handouts.map(|(s, _)| format!("{:.3} s", s)),
        "< 0.35 s",
        f.slides_handouts.map(|(s, _)| s < 0.35),
    );
    line(
        "--only slides,handout, cpu (best)",
        f.slides_handouts.map(|(_, c)| format!("{:.3} s", c)),
        "-",
        None,
    );
    line(
        "the 9 PPTX, --only pptx (deck set once included)",
        f.alone.map(|s| format!("{:.3} s", s)),
        "< 0.25 s",
        f.alone.map(|s| s < 0.25),
    );
    line(
        "the 9 PPTX jobs alone (sum of build_ms)",
        f.jobs_ms.map(|m| format!("{:.3} s", m as f64 / 1000.0)),
        "< 0.25 s",
        f.jobs_ms.map(|m| m < 250),
    );
    line(
        "full build with PPTX / without (wall, best)",
        f.with_over_without.map(|r| format!("{r:.3}")),
        "<= 1.10",
        f.with_over_without.map(|r| r <= 1.10),
    );
    line(
        "full build with PPTX / without (cpu, medians)",
        f.cpu_with_over_without.map(|r| format!("{r:.3}")),
        "<= 1.10",
        f.cpu_with_over_without.map(|r| r <= 1.10),
    );
}
