//! `modulpress layouts --export DIR`: the built-in layouts as files, with a README.md.

use std::process::ExitCode;

use super::{next_steps, shell_word, usage_error, write_files};
use crate::bundle::Folder;
use crate::cli::LayoutsArgs;

/// The module folder that `dir` is, or is inside: `./source`, or a folder holding
/// `module.toml`.
fn module_folder_around(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let at = crate::bundle::resolved(dir);
    let source = std::path::Path::new("source").canonicalize().ok();
    at.ancestors()
        .find(|a| Some(*a) == source.as_deref() || a.join("module.toml").is_file())
        .map(std::path::Path::to_path_buf)
}

/// Run `modulpress layouts --export DIR [--force]`.
pub fn export_layouts(args: &LayoutsArgs) -> ExitCode {
    let dir = &args.export;
    let builtin = Folder::builtin_layouts();
    let readme = super::layouts_readme(builtin.files.keys().map(String::as_str));
    let mut files: Vec<(&str, &[u8])> = builtin
        .files
        .iter()
        .map(|(rel, bytes)| (rel.as_str(), &bytes[..]))
        .collect();
    files.push(("README.md", readme.as_bytes()));
    if dir.exists() && !dir.is_dir() {
        return usage_error(format!(
            "`{}` exists and is not a folder\n  = help: name a new folder, for example `--export layouts`",
            dir.display()
        ));
    }
    if let Some(module) = module_folder_around(dir) {
        let place = if crate::bundle::resolved(dir) == module {
            "is the module folder".to_string()
        } else {
            format!(
                "is inside the module folder `{}`",
                crate::bundle::display_path(&module)
            )
        };
        return usage_error(format!(
            "`{}` {place} (it holds module.toml); the layouts go in a folder of their own, beside the module; nothing was written\n  = help: for example `--export layouts`",
            dir.display(),
        ));
    }
    let existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        let some: Vec<&str> = existing.iter().take(3).copied().collect();
        let more = if existing.len() > 3 { ", …" } else { "" };
        return usage_error(format!(
            "`{}` already holds {} of the layout files ({}{more}); nothing was written\n  = help: pass `--force` to overwrite them (files the built-in layouts do not have are kept), or export into a new folder",
            dir.display(),
            existing.len(),
            some.join(", ")
        ));
    }
    let count = match write_files(dir, files) {
        Ok(n) => n,
        Err(message) => return usage_error(message),
    };
    let federations = builtin.list("federations", ".toml").len();
    let shown = crate::bundle::display_path(dir);
    let layouts = shell_word(dir);
    // Without a `source/` here, the user names the module.
    let source = if std::path::Path::new("source").is_dir() {
        ""
    } else {
        " --source MODULE"
    };
    crate::say::errln!(
        "exported the built-in layouts into `{shown}`: {count} files (templates, print, DOCX and handout settings, labels, {federations} federation profiles, fonts); README.md says what each controls\n\n{}",
        next_steps(&[
            (
                format!("modulpress check{source} --layouts {layouts}"),
                "check your changes; writes nothing"
            ),
            (
                format!("modulpress build{source} --layouts {layouts}"),
                "build with them",
            ),
        ])
    );
    ExitCode::SUCCESS
}
