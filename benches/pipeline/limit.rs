//! Step (h), the engine's limit: the Typst CLI compiling the exact projects modulpress
//! compiles for the booklets (`modulpress dump --typst`, fonts included), against
//! modulpress's own booklet build, alternately. Per booklet, modulpress's build time in a
//! `--jobs 1` build (from the manifest: layout, export, bleed boxes, preflight scan,
//! thumbnails) over the CLI's compile alone (with `--jobs 1` Typst lays the page runs out
//! on the build's one thread, the CLI on every core: the per-booklet ratio is a single core
//! against all); for both, `build --only booklet --jobs 2` over the two booklets compiled
//! side by side, the fair comparison and the figure. Each booklet is two documents for the CLI,
//! as for modulpress: the book, and the page furniture that modulpress draws over its pages
//! (the dump holds both; the CLI's time is the two compiles', each with its process start
//! and font loading, which modulpress pays once).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::proc::{self, Outcome};
use crate::stats::{Samples, missing, ms, ratio, row};
use crate::{Bench, Module};

const LIMIT: Duration = Duration::from_secs(300);
const AUDIENCES: [&str; 2] = ["participant", "facilitator"];

/// What the step measured: modulpress's booklets over the CLI's, best over best, for both
/// booklets side by side (`--jobs 2` against two compiles at a time).
pub struct Limit {
    pub both: f64,
}

fn compile_command(typst: &[String], root: &Path, main: &Path, out: &Path) -> Command {
    let mut c = Command::new(&typst[0]);
    c.args(&typst[1..])
        .arg("compile")
        .arg("--root")
        .arg(root)
        .arg("--font-path")
        .arg(root.join("layouts/fonts"))
        .arg("--ignore-system-fonts")
        .arg(main)
        .arg(out);
    c
}

/// The top-level `.typ` files of a dumped project: the book's main file, then the furniture
/// document if there is one (`meta.typ`, `pages.typ` and `relaxed.typ` are imported).
fn main_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "typ")
                && !p.ends_with("meta.typ")
                && !p.ends_with("pages.typ")
                && !p.ends_with("relaxed.typ")
        })
        .collect();
    files.sort_by_key(|p| p.to_string_lossy().ends_with("-furniture.typ"));
    files
}

/// One booklet as the CLI makes it: the book, then its furniture, one after the other; the
/// wall and CPU times added up.
fn compile_booklet(typst: &[String], dump: &Path, audience: &str, out: &Path) -> Outcome {
    let root = dump.join(audience);
    let mut total: Option<Outcome> = None;
    for (i, main) in main_files(&root).iter().enumerate() {
        let pdf = out.join(format!("{audience}-{i}.pdf"));
        let o = proc::run(&mut compile_command(typst, &root, main, &pdf), LIMIT);
        if !o.ok() {
            return o;
        }
        total = Some(match total {
            None => o,
            Some(t) => Outcome {
                wall: t.wall + o.wall,
                cpu: t.cpu + o.cpu,
                peak_kb: t.peak_kb.max(o.peak_kb),
                exit: o.exit,
                stderr: String::new(),
            },
        });
    }
    total.expect("a main file in the dump")
}

/// Both compiles at the same time, like `--jobs 2`; the wall time of the pair and their CPU.
fn both_at_once(typst: &[String], dump: &Path, out: &Path) -> Result<Outcome, String> {
    let start = std::time::Instant::now();
    let runs: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = AUDIENCES
            .iter()
            .map(|a| s.spawn(move || compile_booklet(typst, dump, a, out)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wall = start.elapsed();
    if let Some(bad) = runs.iter().find(|o| !o.ok()) {
        return Err(format!("{}: {}", bad.exit, bad.stderr_tail()));
    }
    Ok(Outcome {
        wall,
        cpu: runs.iter().map(|o| o.cpu).sum(),
        peak_kb: runs.iter().map(|o| o.peak_kb).max().unwrap_or(0),
        exit: runs[0].exit,
        stderr: String::new(),
    })
}

/// Each booklet's `build_ms` in a manifest, in `AUDIENCES` order, with its pages.
fn booklet_ms(out: &Path) -> Option<Vec<(Duration, u64)>> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let outputs = json["outputs"].as_array()?;
    AUDIENCES
        .iter()
        .map(|a| {
            let o = outputs
                .iter()
                .find(|o| o["kind"] == "booklet" && o["audience"] == *a)?;
            Some((
                Duration::from_millis(o["build_ms"].as_u64()?),
                o["pages"].as_u64()?,
            ))
        })
        .collect()
}

/// Pages of a PDF by `pdfinfo`, if it is there.
fn pdf_pages(pdf: &Path) -> Option<u64> {
    let o = Command::new("pdfinfo").arg(pdf).output().ok()?;
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
}

pub fn limit(bench: &Bench, m: &Module) -> Option<Limit> {
    let name = m.name.as_str();
    let step = "(h) the engine's limit (typst CLI)";
    let (typst, version) = match crate::usual::find_typst() {
        Ok(t) => t,
        Err(why) => {
            println!("{name:<7} {step}: skipped: {why}");
            return None;
        }
    };
    let dump = bench.work.join("typst-dump");
    let _ = std::fs::remove_dir_all(&dump);
    let o = proc::run(
        bench
            .command(m, "dump", None, None)
            .arg("--typst")
            .arg(&dump),
        LIMIT,
    );
    if !o.ok() {
        missing(
            name,
            step,
            &format!("`modulpress dump --typst`: {}: {}", o.exit, o.stderr_tail()),
        );
        return None;
    }
    println!(
        "{name:<7} (h) {version} compiling `modulpress dump --typst` (the same markup, template, files and fonts), \
         alternating with `modulpress build --only booklet --force`:"
    );
    let out = bench.work.join("limit-out");
    let cli_out = bench.work.join("limit-typst");
    std::fs::create_dir_all(&cli_out).unwrap();
    let mut mp_both = Samples::default();
    let mut cli_both = Samples::default();
    let mut mp_each = [Samples::default(), Samples::default()];
    let mut cli_each = [Samples::default(), Samples::default()];
    let mut pages = Vec::new();
    for round in 0..m.runs {
        for first in [round % 2 == 0, round % 2 == 1] {
            if first {
                let _ = std::fs::remove_dir_all(&out);
                let mut c = bench.command(m, "build", Some(&out), Some(2));
                let o = proc::run(c.args(["--only", "booklet"]), LIMIT);
                if !o.ok() {
                    missing(
                        name,
                        step,
                        &format!("modulpress: {}: {}", o.exit, o.stderr_tail()),
                    );
                    return None;
                }
                mp_both.push(&o);
                // One booklet at a time, for each one's own time, as the CLI compiles it.
                let _ = std::fs::remove_dir_all(&out);
                let mut c = bench.command(m, "build", Some(&out), Some(1));
                let o = proc::run(c.args(["--only", "booklet"]), LIMIT);
                if !o.ok() {
                    missing(
                        name,
                        step,
                        &format!("modulpress: {}: {}", o.exit, o.stderr_tail()),
                    );
                    return None;
                }
                let Some(each) = booklet_ms(&out) else {
                    missing(name, step, "no build_ms of the booklets in the manifest");
                    return None;
                };
                for (i, (d, p)) in each.into_iter().enumerate() {
                    mp_each[i].push_wall(d);
                    if round == 0 {
                        pages.push(p);
                    }
                }
            } else {
                for (i, a) in AUDIENCES.iter().enumerate() {
                    let o = compile_booklet(&typst, &dump, a, &cli_out);
                    if !o.ok() {
                        missing(name, step, &format!("{}: {}", o.exit, o.stderr_tail()));
                        return None;
                    }
                    cli_each[i].push(&o);
                }
                match both_at_once(&typst, &dump, &cli_out) {
                    Ok(o) => cli_both.push(&o),
                    Err(why) => {
                        missing(name, step, &why);
                        return None;
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    for (i, a) in AUDIENCES.iter().enumerate() {
        let same = match pdf_pages(&cli_out.join(format!("{a}-0.pdf"))) {
            Some(p) if p == pages[i] => format!("both {p} pages"),
            Some(p) => format!("PAGES DIFFER: modulpress {}, typst {p}", pages[i]),
            None => format!("{} pages (no pdfinfo to compare)", pages[i]),
        };
        row(
            name,
            &format!("(h) {a} booklet, modulpress"),
            &mp_each[i],
            "build_ms of the manifest, --jobs 1: its page runs on one core, the CLI's on both",
        );
        row(
            name,
            &format!("(h) {a} booklet, typst compile"),
            &cli_each[i],
            &same,
        );
        ratio(
            name,
            &format!("(h) {a}: modulpress / typst"),
            mp_each[i].best_s() / cli_each[i].best_s(),
            " (best / best)",
        );
    }
    row(
        name,
        "(h) modulpress build --only booklet",
        &mp_both,
        "both booklets, --jobs 2",
    );
    row(
        name,
        "(h) typst compile, both at once",
        &cli_both,
        "two processes side by side",
    );
    let both = mp_both.best_s() / cli_both.best_s();
    ratio(
        name,
        "(h) the engine's limit: modulpress / typst",
        both,
        &format!(
            " (best / best; cpu medians {:.0} / {:.0} ms)",
            ms(crate::stats::median(&mp_both.cpus)),
            ms(crate::stats::median(&cli_both.cpus))
        ),
    );
    let _ = std::fs::remove_dir_all(&cli_out);
    let _ = std::fs::remove_dir_all(&dump);
    Some(Limit { both })
}
