//! "The usual way" to make a module's documents, timed for comparison: pandoc 3 to one DOCX
//! per federation and audience, pandoc to Typst markup and the typst compiler to one PDF
//! booklet per audience, and pandoc to one PowerPoint deck; two commands at a time, like
//! modulpress's `--jobs 2`.
//!
//! The tools are found through MODULPRESS_BENCH_PANDOC and MODULPRESS_BENCH_TYPST (a
//! command, with arguments if need be), else on PATH, else in /var/tmp/usual-tools/usual-bin
//! where `benches/usual-tools.sh` installs them.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::proc::{self, Outcome};
use crate::scale;

const DEFAULT_DIR: &str = "/var/tmp/usual-tools/usual-bin";
const LIMIT: Duration = Duration::from_secs(300);

/// The programs, each a command prefix.
pub struct Tools {
    pandoc: Vec<String>,
    typst: Vec<String>,
    pub pandoc_version: String,
    pub typst_version: String,
    /// Whether rsvg-convert is there: without it pandoc leaves the SVG diagrams out of
    /// DOCX and PPTX (with a warning), which would make the usual way cheaper than it is.
    pub svg: bool,
}

fn first_line(cmd: &[String], arg: &str) -> Option<String> {
    let out = Command::new(&cmd[0])
        .args(&cmd[1..])
        .arg(arg)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

fn candidates(var: &str, name: &str) -> Vec<Vec<String>> {
    if let Ok(v) = std::env::var(var) {
        return vec![v.split_whitespace().map(String::from).collect()];
    }
    vec![
        vec![name.to_string()],
        vec![format!("{DEFAULT_DIR}/{name}")],
    ]
}

/// The typst compiler (a command prefix) and its version line, or why there is none.
pub fn find_typst() -> Result<(Vec<String>, String), String> {
    candidates("MODULPRESS_BENCH_TYPST", "typst")
        .into_iter()
        .find_map(|c| first_line(&c, "--version").map(|v| (c, v)))
        .ok_or_else(|| {
            "no typst compiler found; set MODULPRESS_BENCH_TYPST or run `sh benches/usual-tools.sh`"
                .into()
        })
}

/// Find pandoc 3 (with its typst writer) and typst, or say why the comparison is skipped.
pub fn find() -> Result<Tools, String> {
    let mut seen = Vec::new();
    let mut pandoc = None;
    for c in candidates("MODULPRESS_BENCH_PANDOC", "pandoc") {
        let Some(version) = first_line(&c, "--version") else {
            continue;
        };
        let formats = Command::new(&c[0])
            .args(&c[1..])
            .arg("--list-output-formats")
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == "typst")
            })
            .unwrap_or(false);
        if formats {
            pandoc = Some((c, version));
            break;
        }
        seen.push(format!("{} ({version}) has no typst writer", c.join(" ")));
    }
    let Some((pandoc, pandoc_version)) = pandoc else {
        seen.push("no pandoc 3 found".into());
        return Err(format!(
            "{}; set MODULPRESS_BENCH_PANDOC or run `sh benches/usual-tools.sh`",
            seen.join(", ")
        ));
    };
    let (typst, typst_version) = find_typst()?;
    let svg = Command::new("rsvg-convert")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    Ok(Tools {
        pandoc,
        typst,
        pandoc_version,
        typst_version,
        svg,
    })
}

/// The inputs written once, before any timing: what a person would have set up for the
/// usual way (one Markdown file per federation, one for the canonical booklets and deck).
pub struct Prepared {
    dir: PathBuf,
    source: PathBuf,
    fonts: PathBuf,
    title: String,
    /// (federation id, its Markdown file)
    federations: Vec<(String, PathBuf)>,
    canonical: PathBuf,
}

/// The sessions concatenated in `module.toml` order, footnote labels made unique per
/// session (`[^1]` of session 4 becomes `[^s4-1]`: pandoc warns of and drops duplicates),
/// and the `{{org.name}}`/`{{org.short}}` placeholders filled in.
fn concatenated(module: &Path, name: &str, short: &str) -> String {
    let mut all = String::new();
    for (k, file) in scale::sessions(module).iter().enumerate() {
        let text = std::fs::read_to_string(module.join(file)).unwrap();
        let text = text.replace("[^", &format!("[^s{}-", k + 1));
        let text = text
            .replace("{{org.name}}", name)
            .replace("{{ org.name }}", name)
            .replace("{{org.short}}", short)
            .replace("{{ org.short }}", short);
        all.push_str(&text);
        all.push_str("\n\n");
    }
    all
}

pub fn prepare(module: &Path, layouts: &Path, dir: &Path) -> Prepared {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let meta: toml::Table = std::fs::read_to_string(module.join("module.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let text =
        |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let canonical = input.join("canonical.md");
    std::fs::write(
        &canonical,
        concatenated(
            module,
            &text(&meta, "publisher"),
            &text(&meta, "publisher_short"),
        ),
    )
    .unwrap();
    let mut ids: Vec<String> = std::fs::read_dir(layouts.join("federations"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().to_string();
            n.strip_suffix(".toml").map(String::from)
        })
        .collect();
    ids.sort();
    let federations = ids
        .into_iter()
        .map(|id| {
            let profile: toml::Table =
                std::fs::read_to_string(layouts.join("federations").join(format!("{id}.toml")))
                    .unwrap()
                    .parse()
                    .unwrap();
            let file = input.join(format!("{id}.md"));
            std::fs::write(
                &file,
                concatenated(module, &text(&profile, "name"), &text(&profile, "short")),
            )
            .unwrap();
            (id, file)
        })
        .collect();
    Prepared {
        dir: dir.to_path_buf(),
        source: module.to_path_buf(),
        fonts: layouts.join("fonts"),
        title: text(&meta, "title"),
        federations,
        canonical,
    }
}

/// One run of the usual way.
pub struct UsualRun {
    pub wall: Duration,
    /// The commands' wall times added up: about what one command at a time would take.
    pub serial: Duration,
    /// The commands' CPU times (user + sys) added up.
    pub cpu: Duration,
    pub peak_kb: u64,
    pub files: usize,
}

impl Prepared {
    pub fn federations(&self) -> usize {
        self.federations.len()
    }

    /// The commands of one run into `out`, each job a chain of commands run in order.
    fn jobs(&self, tools: &Tools, out: &Path) -> Vec<Vec<Vec<String>>> {
        let s = |p: &Path| p.to_string_lossy().to_string();
        let pandoc = |input: &Path, to: &str, output: PathBuf, extra: &[String]| {
            let mut c = tools.pandoc.clone();
            c.extend(["-f".into(), "markdown".into(), "-t".into(), to.into()]);
            c.extend(["--resource-path".into(), s(&self.source)]);
            c.extend(["-M".into(), format!("title={}", self.title)]);
            c.extend(extra.iter().cloned());
            c.extend(["-o".into(), s(&output), s(input)]);
            c
        };
        let mut jobs = Vec::new();
        // The long chains first, one per worker, as a scheduler would.
        for audience in ["participant", "facilitator"] {
            let typ = out.join(format!("booklet-{audience}.typ"));
            let mut compile = tools.typst.clone();
            compile.extend([
                "compile".into(),
                s(&typ),
                s(&out.join(format!("booklet-{audience}.pdf"))),
                "--font-path".into(),
                s(&self.fonts),
            ]);
            let extra = ["-s".into(), "-V".into(), "papersize=a5".into()];
            jobs.push(vec![pandoc(&self.canonical, "typst", typ, &extra), compile]);
        }
        jobs.push(vec![pandoc(
            &self.canonical,
            "pptx",
            out.join("deck.pptx"),
            &[],
        )]);
        for (id, file) in &self.federations {
            for audience in ["participant", "facilitator"] {
                let docx = out.join(format!("{id}-{audience}.docx"));
                jobs.push(vec![pandoc(file, "docx", docx, &[])]);
            }
        }
        jobs
    }

    /// Run every command, `workers` at a time, into a fresh folder.
    pub fn run(&self, tools: &Tools, round: usize, workers: usize) -> Result<UsualRun, String> {
        let out = self.dir.join(format!("run-{round}"));
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
        // Typst finds the images beside its input, as pandoc wrote their paths.
        std::os::unix::fs::symlink(self.source.join("images"), out.join("images")).unwrap();
        let queue = Arc::new(Mutex::new(VecDeque::from(self.jobs(tools, &out))));
        type Done = Mutex<Vec<(Vec<String>, Outcome)>>;
        let done: Arc<Done> = Arc::default();
        let start = Instant::now();
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                let queue = queue.clone();
                let done = done.clone();
                std::thread::spawn(move || {
                    loop {
                        let Some(job) = queue.lock().unwrap().pop_front() else {
                            break;
                        };
                        for argv in job {
                            let o = proc::run(Command::new(&argv[0]).args(&argv[1..]), LIMIT);
                            let ok = o.ok();
                            done.lock().unwrap().push((argv, o));
                            if !ok {
                                break;
                            }
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let wall = start.elapsed();
        let done = std::mem::take(&mut *done.lock().unwrap());
        if let Some((argv, o)) = done.iter().find(|(_, o)| !o.ok()) {
            return Err(format!(
                "`{}` failed ({}): {}",
                argv.iter().take(6).cloned().collect::<Vec<_>>().join(" "),
                o.exit,
                o.stderr_tail()
            ));
        }
        let files = std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| {
                let n = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .to_string();
                n.ends_with(".pdf") || n.ends_with(".docx") || n.ends_with(".pptx")
            })
            .count();
        let run = UsualRun {
            wall,
            serial: done.iter().map(|(_, o)| o.wall).sum(),
            cpu: done.iter().map(|(_, o)| o.cpu).sum(),
            peak_kb: done.iter().map(|(_, o)| o.peak_kb).max().unwrap_or(0),
            files,
        };
        let _ = std::fs::remove_dir_all(&out);
        Ok(run)
    }
}
