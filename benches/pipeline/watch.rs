//! Step (d): the one-word edit under `modulpress watch`, timed from the write to the
//! `rebuilt` line, and its exit on SIGINT.

use std::time::{Duration, Instant};

use crate::proc::{self, Running};
use crate::stats::{Samples, missing, ms, row};
use crate::{Bench, Module, STEP_LIMIT, scale};

/// (d): `modulpress watch`, its first build, then the one-word edit written again and again,
/// each timed from the write to the `rebuilt` line; SIGINT at the end.
/// Gives the times to the `rebuilt` line, and to the booklets' commit where the line says
/// when that was (`…, the booklets in 283 ms`): the line's time less what came after.
pub fn watch(
    bench: &Bench,
    m: &Module,
    edit: &scale::WordEdit,
    cold: &Samples,
) -> Option<(Samples, Option<Samples>)> {
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
    let started = Instant::now();
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
    let mut booklets = Samples::default();
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
        let written = Instant::now();
        match w.wait_line(
            |l| l.starts_with("rebuilt "),
            |l| l.starts_with("waiting "),
            limit,
        ) {
            Ok((at, line)) => {
                let wall = at.duration_since(written);
                s.push_wall(wall);
                if let Some(t) = reported_ms(&line) {
                    reported.push(t);
                    if let Some(b) = booklets_ms(&line) {
                        let after = Duration::from_secs_f64((t - b).max(0.0) / 1000.0);
                        booklets.push_wall(wall.saturating_sub(after));
                    }
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
    let booklets = (!booklets.is_empty()).then(|| {
        row(
            name,
            "(d) the same, booklets republished",
            &booklets,
            "write -> the booklets' commit (the line's time less the rest of the rebuild)",
        );
        booklets
    });
    Some((s, booklets))
}

/// The booklets' time in a `rebuilt ... in 658 ms, the booklets in 283 ms (...)` line.
fn booklets_ms(line: &str) -> Option<f64> {
    let rest = &line[line.find(", the booklets in ")? + ", the booklets in ".len()..];
    let mut parts = rest.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    (parts.next()? == "ms").then_some(n)
}

/// The time in a `rebuilt ... in 243 ms ...` line.
fn reported_ms(line: &str) -> Option<f64> {
    let rest = &line[line.find(" in ")? + 4..];
    let mut parts = rest.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    // `… in 658 ms, the booklets in 283 ms (…)` or `… in 243 ms (…)`.
    match parts.next()?.trim_end_matches(',') {
        "ms" => Some(n),
        "s" => Some(n * 1000.0),
        _ => None,
    }
}
