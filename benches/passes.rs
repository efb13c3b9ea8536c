//! Where a booklet's time goes, in process: each booklet of the FOA module rendered as a
//! build renders it (`render::booklet::render`, then the report's `report::entry`), one at a
//! time with Typst's caches emptied before each, with Typst's timer on. Prints, best of N
//! and median, the layout passes (how long each took, how many page runs it laid out anew
//! and how many it took from the memo), and modulpress's own stages: markup, overflow,
//! template warnings, the furniture (laid out and drawn over the pages, with the text
//! layer cleaned), previews, PDF export, bleed boxes, the report's read-back.
//!
//! A book is laid out more than once when a page number that the contents or a
//! cross-reference shows had the wrong width (`render/booklet/page_refs.rs`): its passes are
//! numbered on across its layouts, and the line "passes after the first" sums them all.
//!
//! Run with `cargo bench --bench passes`; MODULPRESS_BENCH_RUNS (5) sets the runs, and
//! MODULPRESS_BENCH_COMPARE=DIR times the layouts in DIR too, in turn with `layouts/` (a
//! template from before a change: `git archive OLD layouts | tar -x -C /tmp/old`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use modulpress::bundle::{Bundle, Folder};
use modulpress::diag::{Diags, SourceFiles};
use modulpress::model::Audience;
use modulpress::route::{Org, Target};

/// A page run that took less than this was a memo hit (it takes microseconds); more, it
/// was laid out again.
const LAID_OUT_MS: f64 = 0.3;

#[derive(Default)]
struct Run {
    /// Per pass: (ms, page runs laid out, page runs in all).
    passes: Vec<(f64, usize, usize)>,
    /// modulpress's stages and Typst's whole compile, ms.
    stages: BTreeMap<String, f64>,
}

#[derive(serde::Deserialize)]
struct Event {
    name: String,
    ph: String,
    ts: f64,
    tid: u64,
}

/// The intervals of every scope named in the timer's events: (name, start µs, end µs).
fn intervals(events: &[Event]) -> Vec<(String, f64, f64)> {
    let mut open: BTreeMap<u64, Vec<(&str, f64)>> = BTreeMap::new();
    let mut out = Vec::new();
    for e in events {
        let stack = open.entry(e.tid).or_default();
        if e.ph == "B" {
            stack.push((&e.name, e.ts));
        } else if let Some((name, start)) = stack.pop() {
            out.push((name.to_string(), start, e.ts));
        }
    }
    out
}

fn one_run(project: &modulpress::Project, files: &SourceFiles, audience: Audience) -> Run {
    let engine = modulpress::render::typst::Engine::new(
        &project.bundle,
        &modulpress::render::typst::Fonts::default(),
    );
    typst::comemo::evict(0);
    typst_timing::clear();
    typst_timing::enable();
    let start = std::time::Instant::now();
    let view = modulpress::route::view(
        &project.module,
        Target::Document(audience),
        &Org::publisher(&project.module.meta),
    );
    let artifacts = modulpress::render::booklet::render(project, &engine, &view, true, false, None)
        .unwrap_or_else(|e| panic!("{audience:?}: {:?}", e.first().map(|d| &d.message)));
    for a in &artifacts {
        let _ = modulpress::report::entry(project, a, files);
    }
    let total = start.elapsed().as_secs_f64() * 1000.0;
    typst_timing::disable();
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0)).unwrap();
    let events: Vec<Event> = serde_json::from_slice(&json).unwrap();
    let scopes = intervals(&events);
    let mut run = Run::default();
    run.stages.insert("all (render + report)".into(), total);
    for (name, a, b) in &scopes {
        if let Some(stage) = name.strip_prefix("mp ") {
            *run.stages.entry(stage.to_string()).or_default() += (b - a) / 1000.0;
        }
    }
    // The book's passes, in each of its layouts (a second one when a page number of the
    // contents or a cross-reference was laid out with the wrong width, `page_refs.rs`), not
    // those of the small furniture document laid out after it.
    let books: Vec<(f64, f64)> = scopes
        .iter()
        .filter(|(n, _, _)| n == "mp compile")
        .map(|(_, a, b)| (*a, *b))
        .collect();
    run.stages.insert("book layouts".into(), books.len() as f64);
    let mut iters: Vec<&(String, f64, f64)> = scopes
        .iter()
        .filter(|(n, a, b)| {
            n.starts_with("iter (") && books.iter().any(|book| *a >= book.0 && *b <= book.1)
        })
        .collect();
    iters.sort_by(|x, y| x.1.total_cmp(&y.1));
    let furniture = scopes
        .iter()
        .find(|(n, _, _)| n == "mp furniture")
        .map_or((0.0, 0.0), |(_, a, b)| (*a, *b));
    for (_, a, b) in scopes
        .iter()
        .filter(|(n, a, b)| n.starts_with("iter (") && *a >= furniture.0 && *b <= furniture.1)
    {
        *run.stages.entry("furniture layout".into()).or_default() += (b - a) / 1000.0;
        *run.stages.entry("furniture passes".into()).or_default() += 1.0;
    }
    for (_, a, b) in iters {
        let runs: Vec<f64> = scopes
            .iter()
            .filter(|(n, s, e)| n == "page run" && s >= a && e <= b)
            .map(|(_, s, e)| (e - s) / 1000.0)
            .collect();
        let laid = runs.iter().filter(|&&ms| ms >= LAID_OUT_MS).count();
        run.passes.push(((b - a) / 1000.0, laid, runs.len()));
    }
    run
}

fn best_median(v: &[f64]) -> (f64, f64) {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn load(root: &std::path::Path, layouts: &std::path::Path) -> (modulpress::Project, SourceFiles) {
    let bundle = Bundle {
        source: Folder::read(&root.join("source")).unwrap(),
        layouts: Folder::read(layouts).unwrap(),
    };
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = modulpress::load_project(bundle, &mut files, &mut diags).unwrap();
    (project, files)
}

fn print(all: &[Run]) {
    let passes = all.iter().map(|r| r.passes.len()).max().unwrap_or(0);
    // Every pass after the first, all layouts together, against the first.
    let rest: Vec<f64> = all
        .iter()
        .map(|r| r.passes.iter().skip(1).map(|p| p.0).sum::<f64>() / r.passes[0].0)
        .collect();
    let (best_rest, median_rest) = best_median(&rest);
    println!(
        "  passes after the first, over pass 1: {:.0}% (best), {:.0}% (median)",
        100.0 * best_rest,
        100.0 * median_rest
    );
    let mut first = None;
    for p in 0..passes {
        let ms: Vec<f64> = all
            .iter()
            .filter_map(|r| r.passes.get(p).map(|x| x.0))
            .collect();
        let (best, median) = best_median(&ms);
        let (laid, of) = all[0].passes.get(p).map_or((0, 0), |x| (x.1, x.2));
        let share = match first {
            None => {
                first = Some(best);
                String::new()
            }
            Some(f) => format!("  ({:.0}% of pass 1)", 100.0 * best / f),
        };
        println!(
            "  layout pass {}          {best:>8.1} {median:>8.1}   page runs laid out: {laid} of {of}{share}",
            p + 1
        );
    }
    let names: Vec<String> = all[0].stages.keys().cloned().collect();
    for name in names {
        let ms: Vec<f64> = all
            .iter()
            .filter_map(|r| r.stages.get(&name).copied())
            .collect();
        let (best, median) = best_median(&ms);
        println!("  {name:<22} {best:>8.1} {median:>8.1}");
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let runs: usize = std::env::var("MODULPRESS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    // The layouts to time: `layouts/`, and MODULPRESS_BENCH_COMPARE's folder (another
    // version of the template, say) in turn with it.
    let mut setups = vec![("layouts".to_string(), load(&root, &root.join("layouts")))];
    if let Some(other) = std::env::var_os("MODULPRESS_BENCH_COMPARE") {
        let other = PathBuf::from(other);
        setups.push((other.display().to_string(), load(&root, &other)));
    }
    println!(
        "booklet passes and stages, FOA module, one booklet at a time, caches emptied before each; \
         best and median of {runs} runs, ms; load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    for audience in [Audience::Participant, Audience::Facilitator] {
        let mut all: Vec<Vec<Run>> = setups.iter().map(|_| Vec::new()).collect();
        for _ in 0..runs {
            for (i, (_, (project, files))) in setups.iter().enumerate() {
                all[i].push(one_run(project, files, audience));
            }
        }
        for (i, (name, _)) in setups.iter().enumerate() {
            println!("\n{} booklet, {name}", audience.name());
            print(&all[i]);
        }
    }
}
