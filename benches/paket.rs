//! Benchmark of a paket through the real binary: three modules the size of FOA (copies of
//! it under other ids) built by one command, against the FOA module alone, alternately:
//! the cold build, the no-op rebuild, and a one-word edit in one module (the same edit in
//! the module alone). Prints each step, the load average at the start and the end, and
//! issue 23's figures to reach: measured, target, met or missed.
//!
//! Run with `cargo bench --bench paket`. MODULPRESS_BENCH_RUNS (3): runs per step;
//! MODULPRESS_BENCH_BIN: another modulpress binary.

#[path = "pipeline/proc.rs"]
#[allow(dead_code)]
mod proc;
#[path = "pipeline/scale.rs"]
#[allow(dead_code)]
mod scale;
#[path = "pipeline/stats.rs"]
#[allow(dead_code)]
mod stats;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use stats::{Samples, row};

const LIMIT: Duration = Duration::from_secs(600);

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A build of `source` (a module or a paket folder) into `out`, `--jobs 2`.
fn build(bin: &Path, source: &Path, out: &Path) -> proc::Outcome {
    let o = proc::run(
        Command::new(bin)
            .args(["build", "--jobs", "2", "--source"])
            .arg(source)
            .arg("--out")
            .arg(out),
        LIMIT,
    );
    assert!(o.ok(), "{}: {}", source.display(), o.stderr);
    o
}

fn summary(o: &proc::Outcome) -> String {
    o.stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("built "))
        .unwrap_or("")
        .to_string()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = std::env::var_os("MODULPRESS_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_modulpress")));
    let runs = std::env::var("MODULPRESS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(3);
    let work = std::env::temp_dir().join(format!("modulpress-bench-paket-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    println!("load average at the start: {}", load());
    // The module alone, and a paket of three FOA-sized modules.
    let alone = work.join("alone/foa");
    scale::copy_dir(&root.join("source"), &alone);
    let paket = work.join("hak");
    let ids = ["foa", "foa2", "foa3"];
    for id in ids {
        let dir = paket.join(id);
        scale::copy_dir(&root.join("source"), &dir);
        let toml = std::fs::read_to_string(dir.join("module.toml")).unwrap();
        std::fs::write(
            dir.join("module.toml"),
            toml.replacen("id = \"foa\"", &format!("id = \"{id}\""), 1),
        )
        .unwrap();
    }
    std::fs::write(
        paket.join("paket.toml"),
        format!(
            "title = \"Paket Pelatihan Hak-Hak Dasar Pekerja\"\npublisher = \"KSPI\"\nedition = \"2025\"\nmodules = {ids:?}\n"
        ),
    )
    .unwrap();
    println!("{}", stats::HEADER);
    // (a) cold builds, alternately.
    let (mut cold_alone, mut cold_paket) = (Samples::default(), Samples::default());
    let (out_alone, out_paket) = (work.join("out-alone"), work.join("out-paket"));
    let (mut note_alone, mut note_paket) = (String::new(), String::new());
    for _ in 0..runs {
        for (source, out, s, note) in [
            (&alone, &out_alone, &mut cold_alone, &mut note_alone),
            (&paket, &out_paket, &mut cold_paket, &mut note_paket),
        ] {
            let _ = std::fs::remove_dir_all(out);
            let o = build(&bin, source, out);
            *note = summary(&o);
            s.push(&o);
        }
    }
    row("foa", "cold build, --jobs 2", &cold_alone, &note_alone);
    row(
        "paket",
        "cold build of 3 modules, --jobs 2",
        &cold_paket,
        &note_paket,
    );
    let cold_ratio = cold_paket.best_s() / cold_alone.best_s();
    stats::ratio("paket", "cold: paket / one module (best)", cold_ratio, "");
    // (b) no-op rebuilds.
    let (mut noop_alone, mut noop_paket) = (Samples::default(), Samples::default());
    for _ in 0..runs.max(5) {
        noop_alone.push(&build(&bin, &alone, &out_alone));
        noop_paket.push(&build(&bin, &paket, &out_paket));
    }
    row("foa", "no-op rebuild", &noop_alone, "");
    row("paket", "no-op rebuild", &noop_paket, "");
    // (c) a one-word edit in one module, in the paket and alone, alternately.
    let session = scale::sessions(&alone)[3].clone();
    let edit_alone = scale::word_edit(&alone, &session);
    let edit_paket = scale::word_edit(&paket.join("foa2"), &session);
    let (mut ed_alone, mut ed_paket) = (Samples::default(), Samples::default());
    let (mut n_alone, mut n_paket) = (String::new(), String::new());
    for i in 0..runs.max(4) {
        let (a, p) = if i % 2 == 0 {
            (&edit_alone.edited, &edit_paket.edited)
        } else {
            (&edit_alone.original, &edit_paket.original)
        };
        std::fs::write(alone.join(&session), a).unwrap();
        let o = build(&bin, &alone, &out_alone);
        n_alone = summary(&o);
        ed_alone.push(&o);
        std::fs::write(paket.join("foa2").join(&session), p).unwrap();
        let o = build(&bin, &paket, &out_paket);
        n_paket = summary(&o);
        ed_paket.push(&o);
    }
    row(
        "foa",
        &format!("one-word edit ({session})"),
        &ed_alone,
        &n_alone,
    );
    row("paket", "the same edit in one module", &ed_paket, &n_paket);
    println!("load average at the end: {}", load());
    println!();
    println!("issue 23: figures to reach (best of {runs}, wall)");
    println!(
        "{:<52} {:>10} {:>10}  verdict",
        "figure", "measured", "target"
    );
    let verdict = |ok: bool| if ok { "met" } else { "missed" };
    println!(
        "{:<52} {:>9.2}× {:>9.2}×  {}",
        "cold paket of 3 FOA-sized modules / one module",
        cold_ratio,
        2.6,
        verdict(cold_ratio < 2.6)
    );
    let noop = noop_paket.best_s();
    println!(
        "{:<52} {:>9.3}s {:>9.3}s  {}",
        "no-op rebuild of the paket",
        noop,
        0.08,
        verdict(noop < 0.08)
    );
    let (e_p, e_a) = (ed_paket.best_s(), ed_alone.best_s());
    println!(
        "{:<52} {:>9.3}s {:>9.3}s  {} (median {:.3} s against {:.3} s)",
        "one-word edit in one module: paket against alone",
        e_p,
        e_a,
        verdict(e_p <= e_a),
        ed_paket.median().as_secs_f64(),
        ed_alone.median().as_secs_f64(),
    );
    let _ = std::fs::remove_dir_all(&work);
}
