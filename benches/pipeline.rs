//! Benchmark of the whole pipeline on generated modules: the shipped FOA module scaled to
//! 25,000 and 250,000 words, timed through the real binary. Prints wall time and peak memory
//! for `check` and for each kind of output this build makes.
//!
//! Run with `cargo bench --bench pipeline` (release profile). Figures to reach are in the
//! issues: `check` under 50 ms for 25,000 words, and under 10 times that for 10 times the text.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("modulpress-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "{:<10} {:>8} {:<28} {:>10} {:>10} {:>10}",
        "module", "words", "command", "best ms", "median ms", "peak MB"
    );
    // The FOA module as shipped, with the figures the issues name: the decks and handouts
    // (under 0.35 s) and every output (under 1.2 s), on two threads.
    for (name, only) in [
        ("build --only slides,handout", Some("slides,handout")),
        ("build (every output)", None),
    ] {
        let mut args: Vec<String> = vec![
            "build".into(),
            "--quiet".into(),
            "--jobs".into(),
            "2".into(),
        ];
        if let Some(only) = only {
            args.extend(["--only".into(), only.into()]);
        }
        args.extend([
            "--source".into(),
            root.join("source").to_string_lossy().into(),
            "--layouts".into(),
            root.join("layouts").to_string_lossy().into(),
            "--out".into(),
            work.join("out-foa").to_string_lossy().into(),
        ]);
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..7 {
            let (t, mem) = timed(&args);
            times.push(t);
            peak = peak.max(mem);
        }
        times.sort();
        println!(
            "{:<10} {:>8} {:<28} {:>10.1} {:>10.1} {:>10.1}",
            "foa",
            "",
            format!("{name}, --jobs 2"),
            ms(times[0]),
            ms(times[times.len() / 2]),
            peak as f64 / 1024.0
        );
    }
    for target in [25_000, 250_000] {
        let dir = work.join(format!("m{target}"));
        let words = scale_module(&root.join("source"), &dir, target);
        let runs = if target > 100_000 { 3 } else { 7 };
        let mut commands: Vec<(String, Vec<String>)> = vec![("check".into(), vec!["check".into()])];
        for kind in kinds(&root) {
            commands.push((
                format!("build --only {kind}"),
                vec![
                    "build".into(),
                    "--only".into(),
                    kind.clone(),
                    "--quiet".into(),
                ],
            ));
        }
        for (name, args) in commands {
            let mut full = args.clone();
            full.extend([
                "--source".into(),
                dir.to_string_lossy().into(),
                "--layouts".into(),
                root.join("layouts").to_string_lossy().into(),
            ]);
            if args[0] == "build" {
                full.extend(["--out".into(), work.join("out").to_string_lossy().into()]);
            }
            let mut times = Vec::new();
            let mut peak = 0;
            for _ in 0..runs {
                let (t, mem) = timed(&full);
                times.push(t);
                peak = peak.max(mem);
            }
            times.sort();
            println!(
                "{:<10} {:>8} {:<28} {:>10.1} {:>10.1} {:>10.1}",
                format!("{}k", target / 1000),
                words,
                name,
                ms(times[0]),
                ms(times[times.len() / 2]),
                peak as f64 / 1024.0
            );
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The kinds this build makes: those not refused as "not built yet".
fn kinds(root: &Path) -> Vec<String> {
    ["booklet,imposed", "docx", "slides", "handout"]
        .iter()
        .filter(|k| {
            let out = Command::new(env!("CARGO_BIN_EXE_modulpress"))
                .args([
                    "build",
                    "--only",
                    k,
                    "--out",
                    "/nonexistent-modulpress-probe",
                    "--source",
                    "/nonexistent",
                ])
                .current_dir(root)
                .output()
                .unwrap();
            !String::from_utf8_lossy(&out.stderr).contains("not built yet")
        })
        .map(|k| k.to_string())
        .collect()
}

/// Run the binary; wall time and peak resident memory in KiB (sampled from /proc).
fn timed(args: &[String]) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(v) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                peak = peak.max(
                    v.split_whitespace()
                        .nth(1)
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0),
                );
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            let elapsed = start.elapsed();
            if !status.success() {
                let mut err = String::new();
                use std::io::Read;
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("{args:?} failed: {err}");
            }
            return (elapsed, peak);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Copy the module at `from` into `to`, repeating its sessions until it holds at least
/// `target` words. Explicit ids and links to them get a suffix per copy so that ids stay
/// unique. Returns the word count.
fn scale_module(from: &Path, to: &Path, target: usize) -> usize {
    std::fs::create_dir_all(to).unwrap();
    copy_images(&from.join("images"), &to.join("images"));
    let toml = std::fs::read_to_string(from.join("module.toml")).unwrap();
    let mut sessions: Vec<(String, String)> = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for n in &names {
        sessions.push((n.clone(), std::fs::read_to_string(from.join(n)).unwrap()));
    }
    let base_words: usize = sessions
        .iter()
        .map(|(_, t)| t.split_whitespace().count())
        .sum();
    // Decide which sessions each copy takes, then rename the ids those sessions define.
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut words = 0;
    'fill: for k in 0..target.div_ceil(base_words) {
        for (i, (_, text)) in sessions.iter().enumerate() {
            if words >= target {
                break 'fill;
            }
            words += text.split_whitespace().count();
            chosen.push((k, i));
        }
    }
    let mut list = Vec::new();
    for &(k, i) in &chosen {
        let (name, text) = &sessions[i];
        let mut text = text.clone();
        if k > 0 {
            let ids: Vec<String> = chosen
                .iter()
                .filter(|c| c.0 == k)
                .flat_map(|c| explicit_ids(&sessions[c.1].1))
                .collect();
            for id in &ids {
                text = text.replace(&format!("{{#{id} "), &format!("{{#{id}-r{k} "));
                text = text.replace(&format!("{{#{id}}}"), &format!("{{#{id}-r{k}}}"));
                text = text.replace(&format!("](#{id})"), &format!("](#{id}-r{k})"));
            }
        }
        let file = format!("r{k:02}-{name}");
        std::fs::write(to.join(&file), text).unwrap();
        list.push(file);
    }
    let mut table: toml::Table = toml.parse().unwrap();
    // The copies' sessions are not in the day schedule: drop it.
    table.remove("day");
    table.insert(
        "sessions".into(),
        toml::Value::Array(list.into_iter().map(toml::Value::String).collect()),
    );
    std::fs::write(to.join("module.toml"), toml::to_string(&table).unwrap()).unwrap();
    words
}

fn explicit_ids(text: &str) -> Vec<String> {
    text.match_indices("{#")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            let end = rest.find([' ', '}'])?;
            Some(rest[..end].to_string())
        })
        .collect()
}

fn copy_images(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    if let Ok(entries) = std::fs::read_dir(from) {
        for e in entries {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
