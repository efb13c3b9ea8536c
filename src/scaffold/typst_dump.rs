//! `modulpress dump --typst DIR`: each booklet's Typst project as files, exactly what the
//! build compiles (`render::booklet::dump`), for the Typst CLI and the benchmark.

use std::path::Path;
use std::process::ExitCode;

use super::{shell_word, usage_error, write_files};
use crate::cli::InputArgs;
use crate::project::Project;

/// Write both booklets' projects into `dir` (new or empty), one folder per audience, and
/// print the command that compiles each.
pub fn dump_typst(project: &Project, dir: &Path, input: &InputArgs) -> ExitCode {
    if let Err(message) = new_or_empty(dir) {
        return usage_error(message);
    }
    // The folders as `input::read_bundle` finds them.
    let source = input.source.as_deref().unwrap_or(Path::new("source"));
    let layouts = input.layouts.as_deref().or_else(|| {
        Path::new("layouts")
            .is_dir()
            .then_some(Path::new("layouts"))
    });
    let at = crate::bundle::resolved(dir);
    for (what, folder) in [("module", Some(source)), ("layouts", layouts)] {
        let Some(folder) = folder.and_then(|f| f.canonicalize().ok()) else {
            continue;
        };
        if at.starts_with(&folder) {
            return usage_error(format!(
                "`{}` is inside the {what} folder `{}`; the dump goes in a folder of its own; nothing was written",
                dir.display(),
                crate::bundle::display_path(&folder)
            ));
        }
    }
    let projects = match crate::render::booklet::dump::typst_projects(project) {
        Ok(p) => p,
        Err(diags) => {
            for d in diags {
                crate::say::errln!("error: {}", d.message);
            }
            crate::say::errln!("error: a booklet could not be laid out; nothing was written");
            return crate::exit::Exit::Input.into();
        }
    };
    if projects.is_empty() {
        return usage_error(
            "the layouts have no booklet template (`booklet.typ`); nothing was written",
        );
    }
    let files: Vec<(String, &[u8])> = projects
        .iter()
        .flat_map(|p| {
            p.files
                .iter()
                .map(move |(rel, bytes)| (format!("{}/{rel}", p.folder), &bytes[..]))
        })
        .collect();
    let count = match write_files(dir, files.iter().map(|(r, b)| (r.as_str(), *b))) {
        Ok(n) => n,
        Err(message) => return usage_error(message),
    };
    let mut lines = format!(
        "wrote the Typst projects of {} booklets into `{}` ({count} files); compile each with the Typst CLI (0.15):",
        projects.len(),
        crate::bundle::display_path(dir)
    );
    for p in &projects {
        let root = dir.join(&p.folder);
        let furniture = p.main.replace(".typ", "-furniture.typ");
        let mains = std::iter::once((p.main.clone(), format!("{}.pdf", p.folder))).chain(
            p.files
                .iter()
                .any(|(rel, _)| *rel == furniture)
                .then(|| (furniture.clone(), format!("{}-furniture.pdf", p.folder))),
        );
        for (main, pdf) in mains {
            lines.push_str(&format!(
                "\n  typst compile --root {} --font-path {} --ignore-system-fonts {} {}",
                shell_word(&root),
                shell_word(&root.join("layouts/fonts")),
                shell_word(&root.join(&main)),
                shell_word(&dir.join(pdf))
            ));
        }
    }
    lines.push_str(
        "\n(the second of each pair is the page furniture, which modulpress draws over the book's pages)",
    );
    crate::say::errln!("{lines}");
    ExitCode::SUCCESS
}

/// The dump never mixes with other files: `dir` must be new or an empty folder.
fn new_or_empty(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(format!("`{}` exists and is not a folder", dir.display()));
    }
    let mut entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    if entries.next().is_some() {
        return Err(format!(
            "`{}` exists and is not empty; nothing was written\n  = help: dump into a new folder",
            dir.display()
        ));
    }
    Ok(())
}
