//! Running a program for the benchmark: wall time, CPU time and peak resident memory of that
//! one process (from `wait4`'s rusage), its stderr, and a bounded wait. Also a long-running
//! process whose stderr lines arrive with the instant they were read (`modulpress watch`),
//! stopped with SIGINT. Linux only, through libc's `wait4` and `kill`.

use std::ffi::{c_int, c_long};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

#[repr(C)]
#[derive(Default)]
struct Timeval {
    sec: c_long,
    usec: c_long,
}

/// `struct rusage` of Linux: two timevals, then 14 longs of which `ru_maxrss` (KiB) is first.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    maxrss: c_long,
    rest: [c_long; 13],
}

unsafe extern "C" {
    fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut Rusage) -> c_int;
    fn kill(pid: c_int, sig: c_int) -> c_int;
}

const SIGINT: c_int = 2;
const SIGKILL: c_int = 9;
const WNOHANG: c_int = 1;

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed by the bench after its time limit.
    TimedOut,
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Exit::Code(c) => write!(f, "exit {c}"),
            Exit::Signal(s) => write!(f, "killed by signal {s}"),
            Exit::TimedOut => write!(f, "timed out"),
        }
    }
}

/// One finished process.
pub struct Outcome {
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_kb: u64,
    pub exit: Exit,
    pub stderr: String,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// The last lines of stderr, for a message about a failure.
    pub fn stderr_tail(&self) -> String {
        let all: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let errors: Vec<&str> = all
            .iter()
            .copied()
            .filter(|l| l.starts_with("error"))
            .collect();
        let lines = if errors.is_empty() { all } else { errors };
        lines[lines.len().saturating_sub(3)..].join(" | ")
    }
}

/// Reap `pid`, blocking, and return its status and rusage.
fn reap(pid: c_int, options: c_int) -> Option<(c_int, Rusage)> {
    let mut status: c_int = 0;
    let mut usage = Rusage::default();
    loop {
        // SAFETY: plain FFI call with valid pointers to locals.
        let r = unsafe { wait4(pid, &mut status, options, &mut usage) };
        if r == pid {
            return Some((status, usage));
        }
        if r == 0 {
            return None; // WNOHANG and still running
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            panic!("wait4({pid}): {}", std::io::Error::last_os_error());
        }
    }
}

fn decode(status: c_int) -> Exit {
    if status & 0x7f == 0 {
        Exit::Code((status >> 8) & 0xff)
    } else {
        Exit::Signal(status & 0x7f)
    }
}

fn cpu(u: &Rusage) -> Duration {
    let micros = |t: &Timeval| t.sec as u64 * 1_000_000 + t.usec as u64;
    Duration::from_micros(micros(&u.utime) + micros(&u.stime))
}

/// Run `cmd` to its end (killed after `limit`), stdout discarded, stderr kept.
pub fn run(cmd: &mut Command, limit: Duration) -> Outcome {
    let start = Instant::now();
    let mut child = match cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                wall: Duration::ZERO,
                cpu: Duration::ZERO,
                peak_kb: 0,
                exit: Exit::Code(127),
                stderr: format!("cannot start {:?}: {e}", cmd.get_program()),
            };
        }
    };
    let pid = child.id() as c_int;
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let (stop, stopped) = mpsc::channel::<()>();
    let timed_out = Arc::new(AtomicBool::new(false));
    let flag = timed_out.clone();
    let watchdog = std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(limit) {
            flag.store(true, Ordering::SeqCst);
            // SAFETY: plain FFI call; the child is not reaped until we are told to stop.
            unsafe { kill(pid, SIGKILL) };
        }
    });
    let (status, usage) = reap(pid, 0).unwrap();
    let wall = start.elapsed();
    let _ = stop.send(());
    let _ = watchdog.join();
    let stderr = reader.join().unwrap_or_default();
    let exit = if timed_out.load(Ordering::SeqCst) {
        Exit::TimedOut
    } else {
        decode(status)
    };
    Outcome {
        wall,
        cpu: cpu(&usage),
        peak_kb: usage.maxrss as u64,
        exit,
        stderr,
    }
}

/// Why waiting for a line of a running process ended without it.
pub enum NoLine {
    TimedOut(Vec<String>),
    /// The process closed its stderr (it has ended).
    Closed(Vec<String>),
    /// A line the caller named as a failure (`waiting ` after an input error).
    Failed(Vec<String>),
}

impl NoLine {
    pub fn describe(&self) -> String {
        let (what, lines) = match self {
            NoLine::TimedOut(l) => ("no such line in time", l),
            NoLine::Closed(l) => ("the process ended", l),
            NoLine::Failed(l) => ("it reported an error", l),
        };
        // The error lines if there are any, else the last lines.
        let errors: Vec<&str> = lines
            .iter()
            .map(|s| s.as_str())
            .filter(|l| l.starts_with("error"))
            .collect();
        let plain: Vec<&str> = lines
            .iter()
            .map(|s| s.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        let pick = if errors.is_empty() { plain } else { errors };
        let tail = &pick[pick.len().saturating_sub(3)..];
        if tail.is_empty() {
            what.to_string()
        } else {
            format!("{what}: {}", tail.join(" | "))
        }
    }
}

/// A process left running, whose stderr lines the bench reads as they come.
pub struct Running {
    pid: c_int,
    lines: Receiver<(Instant, String)>,
    alive: bool,
    start: Instant,
}

impl Running {
    pub fn start(cmd: &mut Command) -> std::io::Result<Running> {
        let start = Instant::now();
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
        let pipe = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Ok(Running {
            pid: child.id() as c_int,
            lines: rx,
            alive: true,
            start,
        })
    }

    /// Wait up to `limit` for a line for which `want` holds; a line for which `fail`
    /// holds ends the wait early. Lines before it are discarded but kept for the message.
    pub fn wait_line(
        &self,
        want: impl Fn(&str) -> bool,
        fail: impl Fn(&str) -> bool,
        limit: Duration,
    ) -> Result<(Instant, String), NoLine> {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    let plain = line.trim();
                    if want(plain) {
                        return Ok((at, plain.to_string()));
                    }
                    seen.push(plain.to_string());
                    if fail(plain) {
                        return Err(NoLine::Failed(seen));
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Err(NoLine::TimedOut(seen)),
                Err(RecvTimeoutError::Disconnected) => return Err(NoLine::Closed(seen)),
            }
        }
    }

    /// Throw away the lines read so far.
    pub fn drain(&self) -> Vec<String> {
        self.lines.try_iter().map(|(_, l)| l).collect()
    }

    /// Send SIGINT and wait up to `limit` for the process to end; SIGKILL after that
    /// (the outcome is then `TimedOut`). Its rusage covers the whole run.
    pub fn interrupt(mut self, limit: Duration) -> (Outcome, Duration) {
        let asked = Instant::now();
        // SAFETY: plain FFI call; the child is not reaped yet.
        unsafe { kill(self.pid, SIGINT) };
        let deadline = asked + limit;
        loop {
            if let Some((status, usage)) = reap(self.pid, WNOHANG) {
                let stopped = asked.elapsed();
                return (self.outcome(decode(status), usage), stopped);
            }
            if Instant::now() > deadline {
                // SAFETY: as above.
                unsafe { kill(self.pid, SIGKILL) };
                let (_, usage) = reap(self.pid, 0).unwrap();
                return (self.outcome(Exit::TimedOut, usage), asked.elapsed());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Reap a process that has closed its stderr (it ended on its own).
    pub fn finish(mut self) -> Outcome {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some((status, usage)) = reap(self.pid, WNOHANG) {
                return self.outcome(decode(status), usage);
            }
            if Instant::now() > deadline {
                // SAFETY: plain FFI call; the child is not reaped yet.
                unsafe { kill(self.pid, SIGKILL) };
                let (_, usage) = reap(self.pid, 0).unwrap();
                return self.outcome(Exit::TimedOut, usage);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn outcome(&mut self, exit: Exit, usage: Rusage) -> Outcome {
        self.alive = false;
        Outcome {
            wall: self.start.elapsed(),
            cpu: cpu(&usage),
            peak_kb: usage.maxrss as u64,
            exit,
            stderr: self.drain().join("\n"),
        }
    }
}

impl Drop for Running {
    /// A watch left running by a panic is killed and reaped, never left behind.
    fn drop(&mut self) {
        if self.alive {
            // SAFETY: plain FFI calls on our own child.
            unsafe { kill(self.pid, SIGKILL) };
            let _ = reap(self.pid, 0);
        }
    }
}
