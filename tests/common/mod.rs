//! Helpers shared by the integration tests: run the real binary, find real programs.

#![allow(dead_code)]

pub mod outputs;
pub mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run the binary from here, so paths in messages are relative).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `modulpress` with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the modulpress binary runs")
}

/// Run `modulpress` in the repository root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty folder for one test, removed with everything in it when the guard is
/// dropped: at the end of the test, or when it panics. It lies in this test process's own
/// folder under the target folder's `tmp/` (never the system temp folder), which is removed
/// when the process exits, with the folders that shared builds keep in statics.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The folder's path, the folder kept until the test process exits (for a build
    /// shared through a static).
    pub fn keep(self) -> PathBuf {
        let dir = self.0.clone();
        std::mem::forget(self);
        dir
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty folder for one test: see [`TempDir`].
pub fn temp_dir(name: &str) -> TempDir {
    let dir = process_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

static PROCESS_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// `target/tmp/modulpress-test-PID`, made on first use and removed at exit.
fn process_dir() -> &'static Path {
    PROCESS_DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("modulpress-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        extern "C" fn remove_process_dir() {
            if let Some(dir) = PROCESS_DIR.get() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        // SAFETY: registers a function without arguments that only removes a folder; the
        // test harness ends with `exit`, which runs it once every test has finished.
        unsafe {
            libc::atexit(remove_process_dir);
        }
        dir
    })
}

/// Is a real program installed? Under CI a missing program fails the test instead of
/// skipping it.
pub fn have(program: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    installed(&format!("`{program}`"), found)
}

/// Can python3 import `module` (the package `name`, e.g. `pptx` of python-pptx)? Under CI a
/// missing one fails the test, like [`have`].
pub fn have_python(module: &str, name: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    installed(name, found)
}

/// `found`, or the skip (a panic under CI) for `what`, which is not installed.
fn installed(what: &str, found: bool) -> bool {
    if !found && std::env::var_os("CI").is_some() {
        panic!("{what} is not installed, and CI must run every real-program check (see .ci/run)");
    }
    if !found {
        eprintln!("skipping: {what} is not installed");
    }
    found
}

/// The federations of the FOA module (`source/federations/`), in order.
pub const FEDERATIONS: [&str; 8] = [
    "aspek",
    "fpthsi",
    "fsp-farkes-ref",
    "fsp-kep",
    "fsp-par-ref",
    "fspmi",
    "sbpi",
    "spn",
];

/// A build's output folder, with the temporary folder that holds it.
pub struct Built {
    _dir: TempDir,
    pub out: PathBuf,
}

/// `modulpress build --out OUT ARGS` in the repository root, OUT in a fresh temporary
/// folder `name`; the build must succeed.
pub fn build_in_temp(name: &str, args: &[&str]) -> Built {
    let tmp = temp_dir(name);
    let out = tmp.join("out");
    let mut all = vec!["build", "--out", out.to_str().unwrap()];
    all.extend(args);
    let o = run(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    Built { _dir: tmp, out }
}

/// Words joined by one space, with Typst's typographic quotes as the source wrote them.
pub fn squash(s: &str) -> String {
    s.replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `openxml-audit` (the Open XML SDK's validation rules) on one DOCX or PPTX file: no
/// finding at all.
pub fn openxml_audit(file: &Path) {
    let run = Command::new("openxml-audit")
        .args(["-m", "0", "-o", "text"])
        .arg(file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && text.contains("no findings"),
        "{}: {text}{}",
        file.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Copy a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The CRC-32 of a PNG chunk (its type and data), for the tests that write PNG files chunk
/// by chunk.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A one-session module `uji` in `dir/source` whose session is `# Sesi Uji` then `body`;
/// gives the module folder.
pub fn small_module(dir: &Path, body: &str) -> PathBuf {
    let src = dir.join("source");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("module.toml"),
        "id = \"uji\"\ntitle = \"Modul Uji\"\npublisher = \"Konfederasi Contoh\"\npublisher_short = \"KC\"\ndate = 2025-09-29\n",
    )
    .unwrap();
    std::fs::write(
        src.join("01-uji.md"),
        format!("# Sesi Uji {{#uji minutes=60}}\n\n{body}"),
    )
    .unwrap();
    src
}

/// Headless Chromium, when it is installed (under CI, a missing one fails, as [`have`]
/// says: `.ci/run` installs it).
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|p| have(p))
}

/// Run headless Chromium with a fresh profile (`profile`) on `html`, with `args`
/// (`--screenshot=…`, `--dump-dom`); its standard output.
pub fn headless(browser: &str, html: &Path, args: &[&str], profile: &Path) -> String {
    let o = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "chromium: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Open a copy of `html` (written in `dir`) in headless Chromium with a fresh profile, with
/// `script` run at its `load` event; the script sets `document.body.dataset` attributes,
/// which the page's DOM then shows. Gives that DOM.
pub fn chromium_probe(browser: &str, html: &Path, script: &str, dir: &Path) -> Probe {
    let page = std::fs::read_to_string(html).unwrap();
    let probe = page.replace(
        "</body>",
        &format!("<script>window.addEventListener('load', () => {{ {script} }});</script></body>"),
    );
    let copy = dir.join("probe.html");
    std::fs::write(&copy, probe).unwrap();
    Probe {
        dom: headless(
            browser,
            &copy,
            &["--dump-dom", "--virtual-time-budget=5000"],
            &dir.join("profile"),
        ),
    }
}

/// The DOM of a page probed by `chromium_probe`.
pub struct Probe {
    pub dom: String,
}

impl Probe {
    /// The value of the body's `data-KEY` attribute.
    pub fn attr(&self, key: &str) -> String {
        let key = format!("data-{key}=\"");
        let i = self
            .dom
            .find(&key)
            .unwrap_or_else(|| panic!("no {key} in the DOM"))
            + key.len();
        self.dom[i..].split('"').next().unwrap().to_string()
    }
}
