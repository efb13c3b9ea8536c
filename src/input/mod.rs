//! The input of every command: the module and layouts folders read, loaded and checked,
//! and the diagnostics printed, with the exit code of a failure; the earlier edition of
//! `--since` (`since.rs`).

pub mod since;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::bundle::{Bundle, Folder};
use crate::cli::InputArgs;
use crate::diag::{Diags, SourceFiles};
use crate::exit::Exit;
use crate::project::{Project, load_project};

/// Read the folders, load and check. On errors, print them and give the exit code; else the
/// project, its files for messages, and the warnings so far.
pub fn load_checked(input: &InputArgs) -> Result<(Project, SourceFiles, Diags), ExitCode> {
    let bundle = read_bundle(input).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(Exit::Usage)
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
            Err(Exit::Input.into())
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
