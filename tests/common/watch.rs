//! `modulpress watch` run for a test: its messages line by line, waiting for a line, and
//! stopping it as Ctrl-C would (killed outright if the test fails first).

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A running `modulpress watch` and the lines it has printed so far.
pub struct Watch {
    child: Child,
    rx: Receiver<String>,
    pub seen: Vec<String>,
    stopped: bool,
}

impl Watch {
    /// `modulpress watch ARGS`, run in `dir`.
    pub fn start(dir: &std::path::Path, args: &[&str]) -> Watch {
        let mut command = Command::new(env!("CARGO_BIN_EXE_modulpress"));
        command
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1");
        Watch::spawn(command)
    }

    /// `command`, a `modulpress watch` made ready, started.
    pub fn spawn(mut command: Command) -> Watch {
        let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
        let rx = Watch::lines(&mut child);
        Watch {
            child,
            rx,
            seen: Vec::new(),
            stopped: false,
        }
    }

    /// The lines of `child`'s standard error, read on a thread of their own.
    fn lines(child: &mut Child) -> Receiver<String> {
        let (tx, rx) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        rx
    }

    /// Wait (60 s at most) for a line starting with `prefix`.
    pub fn wait_for(&mut self, prefix: &str) -> String {
        wait_for(&self.rx, &mut self.seen, prefix)
    }

    /// Ctrl-C: `watch` must stop with exit 0 within 20 s.
    pub fn stop(mut self) {
        self.stopped = true;
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "watch stops within 20 s of Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "watch exits 0 on Ctrl-C: {status:?}");
    }
}

/// A test that failed leaves no `watch` running.
impl Drop for Watch {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Wait (60 s at most) for a line of `rx` starting with `prefix`, keeping every line in
/// `seen`.
fn wait_for(rx: &Receiver<String>, seen: &mut Vec<String>, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push(line.clone());
                if line.starts_with(prefix) {
                    return line;
                }
            }
            Err(_) => break,
        }
    }
    panic!(
        "no line starting `{prefix}` within 60 s; saw:\n{}",
        seen.join("\n")
    );
}
