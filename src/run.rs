//! The commands: find the inputs, load and check them, and report with the right exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::bundle::{Bundle, Folder};
use crate::cli::{BuildArgs, Cli, Command, InputArgs};
use crate::diag::{Diags, SourceFiles};
use crate::project::{Project, load_project};

/// Exit codes of the contract.
const INPUT_PROBLEM: u8 = 1;
const USAGE: u8 = 2;

/// Run one command line; the exit code is the contract of the README (0 ok, 1 input, 2 usage).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(input) => with_project(&input, |_, _| ExitCode::SUCCESS),
        Command::Dump(input) => with_project(&input, |project, _| {
            let json = serde_json::json!({
                "module": project.module,
                "federations": project.federations,
            });
            let mut out = std::io::stdout().lock();
            let _ = serde_json::to_writer_pretty(&mut out, &json);
            let _ = writeln!(out);
            ExitCode::SUCCESS
        }),
        Command::Build(args) => build(&args),
        Command::Init(args) => crate::scaffold::init(&args),
        Command::Layouts(args) => crate::scaffold::export_layouts(&args),
    }
}

/// Resolve the folders, load and check, print diagnostics; call `f` if there are no errors.
fn with_project(input: &InputArgs, f: impl FnOnce(&Project, &SourceFiles) -> ExitCode) -> ExitCode {
    match load_checked(input) {
        Ok((project, files, mut warnings)) => {
            print_diags(&files, &mut warnings, "");
            f(&project, &files)
        }
        Err(code) => code,
    }
}

/// Read the folders, load and check. On errors, print them and give the exit code; else the
/// project, its files for messages, and the warnings so far.
fn load_checked(input: &InputArgs) -> Result<(Project, SourceFiles, Diags), ExitCode> {
    let bundle = read_bundle(input).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(USAGE)
    })?;
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = load_project(bundle, &mut files, &mut diags);
    if let Some(project) = &project {
        crate::render::check_layouts(project, &mut diags);
    }
    match project {
        Some(project) if !diags.has_errors() => Ok((project, files, diags)),
        _ => {
            print_diags(&files, &mut diags, "nothing was written");
            Err(ExitCode::from(INPUT_PROBLEM))
        }
    }
}

/// Print every diagnostic to stderr, in file order. `outcome` ends the closing line when
/// there are errors: what became of the outputs.
pub fn print_diags(files: &SourceFiles, diags: &mut Diags, outcome: &str) {
    diags.sort();
    // The same problem from several outputs (an image in both booklets, a template error
    // in every booklet) is shown once, with the notes of each (which outputs failed).
    let mut merged: Vec<crate::diag::Diag> = Vec::with_capacity(diags.list.len());
    for d in diags.list.drain(..) {
        match merged.last_mut() {
            Some(last)
                if last.severity == d.severity && last.at == d.at && last.message == d.message =>
            {
                for note in d.notes {
                    if !last.notes.contains(&note) {
                        last.notes.push(note);
                    }
                }
            }
            _ => merged.push(d),
        }
    }
    diags.list = merged;
    let choice = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut err = StandardStream::stderr(choice);
    for d in &diags.list {
        files.emit(&mut err, d);
    }
    let errors = diags
        .list
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "error: {errors} problem{} found; {outcome}",
            if errors == 1 { "" } else { "s" }
        );
    }
}

/// Read the module and layouts folders (usage errors as messages).
pub fn read_bundle(input: &InputArgs) -> Result<Bundle, String> {
    let source_dir = match &input.source {
        Some(dir) => dir.clone(),
        None if Path::new("source").is_dir() => PathBuf::from("source"),
        None => {
            let cwd = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            return Err(format!(
                "no module folder: looked for `source/` in {cwd}\n  = help: run modulpress in the folder that holds `source/`, or pass `--source DIR`"
            ));
        }
    };
    if source_dir.exists() && !source_dir.is_dir() {
        return Err(format!(
            "`{}` is a file; `--source` takes the module folder (the one holding module.toml)",
            source_dir.display()
        ));
    }
    if !source_dir.is_dir() {
        return Err(format!(
            "module folder `{}` does not exist",
            source_dir.display()
        ));
    }
    let source = Folder::read(&source_dir)
        .map_err(|e| format!("cannot read `{}`: {e}", source_dir.display()))?;
    let layouts = match &input.layouts {
        Some(dir) if dir.is_dir() => {
            Folder::read(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
        }
        Some(dir) if dir.exists() => {
            return Err(format!(
                "`{}` is a file; `--layouts` takes the layouts folder",
                dir.display()
            ));
        }
        Some(dir) => return Err(format!("layouts folder `{}` does not exist", dir.display())),
        None if Path::new("layouts").is_dir() => {
            Folder::read(Path::new("layouts")).map_err(|e| format!("cannot read `layouts`: {e}"))?
        }
        None => Folder::builtin_layouts(),
    };
    Ok(Bundle { source, layouts })
}

/// `modulpress build`: check, plan, render in parallel, export.
fn build(args: &BuildArgs) -> ExitCode {
    // From here on, Ctrl-C stops the build between steps and leaves `out/` as it was.
    crate::interrupt::install();
    let kinds = match select_kinds(&args.only) {
        Ok(k) => k,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(USAGE);
        }
    };
    let (project, files, mut diags) = match load_checked(&args.input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let known: Vec<&str> = project.federations.iter().map(|f| f.id.as_str()).collect();
    let federations = if args.federation.is_empty() {
        known.iter().map(|s| s.to_string()).collect()
    } else {
        for id in &args.federation {
            if !known.contains(&id.as_str()) {
                eprintln!(
                    "error: unknown federation `{id}`\n  = help: known federations: {}",
                    known.join(", ")
                );
                return ExitCode::from(USAGE);
            }
        }
        args.federation.clone()
    };
    // The out folder is locked, cleaned of a killed run's leftovers and proven writable
    // before anything is rendered.
    let out = match crate::export::OutDir::open(&args.out) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("error: {e}\n  = note: nothing was written");
            return ExitCode::from(USAGE);
        }
    };
    let selection = crate::plan::Selection { kinds, federations };
    let jobs = crate::plan::plan(&project, &selection);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = match args.jobs {
        // More threads than cores only adds memory: the work is all computation.
        Some(n) if n > cores => {
            if !args.quiet {
                eprintln!(
                    "note: --jobs {n} is more than the {cores} processor cores here; using {cores}"
                );
            }
            cores
        }
        Some(n) => n.max(1),
        None => cores,
    };
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot start {threads} worker threads: {e}");
            return ExitCode::from(USAGE);
        }
    };
    // Each backend's engine (fonts, library, templates) is made once and shared by all jobs.
    let engines = crate::render::Engines::default();
    let results = pool.install(|| crate::render::render_all(&jobs, &project, &engines));
    if crate::interrupt::requested() {
        eprintln!("stopped: nothing was written; the output folder is as it was");
        return ExitCode::from(crate::interrupt::EXIT_CODE);
    }
    let mut artifacts = Vec::new();
    let mut failed = 0;
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok(list) => artifacts.extend(list),
            Err(problems) => {
                failed += 1;
                for d in problems {
                    diags.push(d.note(format!(
                        "while building {}; its previous output is kept",
                        job.describe()
                    )));
                }
            }
        }
    }
    // The manifest's copy of a warning names its place, as the terminal shows it.
    let warnings: Vec<Vec<String>> = artifacts
        .iter()
        .map(|a| {
            a.warnings
                .iter()
                .map(|w| match w.at {
                    Some(at) => {
                        let (line, col) = files.line_col(at.file, at.start as usize);
                        format!("{} ({}:{line}:{col})", w.message, files.name(at.file))
                    }
                    None => w.message.clone(),
                })
                .collect()
        })
        .collect();
    for a in &artifacts {
        diags.list.extend(a.warnings.iter().cloned());
    }
    if args.quiet {
        diags
            .list
            .retain(|d| d.severity == crate::diag::Severity::Error);
    }
    // The preflight report of this build, written with the outputs.
    let report = crate::report::files(&project, &artifacts, &files);
    let committed = out.commit(&artifacts, &warnings, &report);
    print_diags(
        &files,
        &mut diags,
        &match (&committed, artifacts.len()) {
            (Ok(_), 0) | (Err(_), _) => "nothing was written".to_string(),
            (Ok(_), n) => format!(
                "the other {n} output{} written; a failed output keeps its previous file",
                if n == 1 { " was" } else { "s were" }
            ),
        },
    );
    if let Err(e) = committed {
        let stopped = e.error.kind() == std::io::ErrorKind::Interrupted;
        eprintln!(
            "{}{e}\n  = note: nothing was written; the output folder is as it was",
            if stopped { "" } else { "error: " }
        );
        return ExitCode::from(if stopped {
            crate::interrupt::EXIT_CODE
        } else {
            USAGE
        });
    }
    if !args.quiet {
        let out = crate::bundle::display_path(&args.out);
        for a in &artifacts {
            let pages = a.pages.map(|p| format!(", {p} pages")).unwrap_or_default();
            eprintln!(
                "   wrote {out}/{} ({} KB{pages})",
                a.path,
                a.bytes.len().div_ceil(1024)
            );
        }
    }
    if failed > 0 {
        ExitCode::from(INPUT_PROBLEM)
    } else {
        ExitCode::SUCCESS
    }
}

/// The kinds to build: all available ones by default; unknown or unavailable kinds are usage
/// errors that name the available kinds.
fn select_kinds(only: &[String]) -> Result<Vec<crate::render::Kind>, String> {
    use crate::render::{AVAILABLE, Kind};
    let available = || {
        AVAILABLE
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if only.is_empty() {
        return Ok(AVAILABLE.to_vec());
    }
    let mut kinds = Vec::new();
    for name in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Kind::from_name(name) {
            Some(k) if AVAILABLE.contains(&k) => kinds.push(k),
            Some(_) => {
                return Err(format!(
                    "`{name}` outputs are not built yet\n  = help: available kinds: {}",
                    available()
                ));
            }
            None => {
                return Err(format!(
                    "unknown kind `{name}`\n  = help: available kinds: {}",
                    available()
                ));
            }
        }
    }
    Ok(kinds)
}
