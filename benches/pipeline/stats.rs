//! Samples of one step (wall and CPU times, peak memory) and the rows the bench prints.

use std::time::Duration;

use crate::proc::Outcome;

/// The runs of one step.
#[derive(Default, Clone)]
pub struct Samples {
    pub walls: Vec<Duration>,
    pub cpus: Vec<Duration>,
    pub peak_kb: u64,
}

impl Samples {
    pub fn push(&mut self, o: &Outcome) {
        self.push_wall(o.wall);
        self.cpus.push(o.cpu);
        self.peak_kb = self.peak_kb.max(o.peak_kb);
    }

    pub fn push_wall(&mut self, wall: Duration) {
        self.walls.push(wall);
    }

    pub fn is_empty(&self) -> bool {
        self.walls.is_empty()
    }

    pub fn best(&self) -> Duration {
        *self.walls.iter().min().unwrap()
    }

    pub fn median(&self) -> Duration {
        median(&self.walls)
    }

    pub fn best_s(&self) -> f64 {
        self.best().as_secs_f64()
    }
}

pub fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

/// The least CPU time of the runs, in seconds.
pub fn best_cpu(s: &Samples) -> f64 {
    s.cpus.iter().min().map_or(0.0, |d| d.as_secs_f64())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub const HEADER: &str = "module  step                                      runs   best ms  median ms  cpu ms(med)  peak MB  notes";

/// One line of the main table; `note` goes last.
pub fn row(module: &str, step: &str, s: &Samples, note: &str) {
    let cpu = if s.cpus.is_empty() {
        "-".to_string()
    } else {
        format!("{:.0}", ms(median(&s.cpus)))
    };
    let peak = if s.peak_kb == 0 {
        "-".to_string()
    } else {
        format!("{:.0}", s.peak_kb as f64 / 1024.0)
    };
    println!(
        "{:<7} {:<41} {:>4} {:>9.1} {:>10.1} {:>12} {:>8}  {}",
        module,
        step,
        s.walls.len(),
        ms(s.best()),
        ms(s.median()),
        cpu,
        peak,
        note
    );
}

/// A line of the main table for a step that gave no figure.
pub fn missing(module: &str, step: &str, why: &str) {
    println!(
        "{:<7} {:<41} {:>4} {:>9} {:>10} {:>12} {:>8}  not available: {}",
        module, step, 0, "-", "-", "-", "-", why
    );
}

/// A line of the main table for a ratio.
pub fn ratio(module: &str, step: &str, value: f64, note: &str) {
    println!(
        "{:<7} {:<41} {:>4} {:>9} {:>10} {:>12} {:>8}  ratio {:.2}{}",
        module, step, "", "", "", "", "", value, note
    );
}
