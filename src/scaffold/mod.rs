//! Starting points written to disk: `modulpress init` (a sample module) and
//! `modulpress layouts --export` (the built-in layouts, for a designer).

mod init;
mod layouts_export;
mod readme;
mod today;
mod typst_dump;

pub use init::init;
pub use layouts_export::export_layouts;
pub use readme::layouts_readme;
pub use typst_dump::dump_typst;

use crate::bundle::shell_word;
use std::path::Path;
use std::process::ExitCode;

/// Print `message` as an error and give the usage exit code.
fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    crate::say::errln!("error: {message}");
    crate::exit::Exit::Usage.into()
}

/// Write `files` (paths relative to `dir`, `/`-separated) under `dir`, making folders as
/// needed and replacing files that are there. Nothing is written through a symbolic link
/// below `dir` (it could lead out of it): a link on the way of any file is refused before
/// anything is written; a file is removed and made anew with `O_EXCL`, which never follows
/// a link, so a link put there meanwhile makes the write fail rather than go through it.
fn write_files<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<usize, String> {
    let files: Vec<(&str, &[u8])> = files.into_iter().collect();
    for (rel, _) in &files {
        if let Some(link) = link_on_the_way(dir, rel) {
            let to = std::fs::read_link(&link)
                .map(|t| format!(" (to `{}`)", t.display()))
                .unwrap_or_default();
            return Err(format!(
                "`{}` is a symbolic link{to}; modulpress writes only inside `{}`, never through a link; nothing was written\n  = help: remove the link, or write into a new folder",
                link.display(),
                dir.display()
            ));
        }
    }
    let mut count = 0;
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make folder `{}`: {e}", parent.display()))?;
        }
        let written = (|| {
            if std::fs::symlink_metadata(&path).is_ok() {
                std::fs::remove_file(&path)?;
            }
            let mut f = std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&path)?;
            std::io::Write::write_all(&mut f, bytes)
        })();
        written.map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        count += 1;
    }
    Ok(count)
}

/// The first symbolic link among the folders and the file of `rel` below `dir`, if any.
fn link_on_the_way(dir: &Path, rel: &str) -> Option<std::path::PathBuf> {
    let mut at = dir.to_path_buf();
    for part in rel.split('/') {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Some(at),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// The commands to run next, each with what it does, in aligned columns.
fn next_steps(steps: &[(String, &str)]) -> String {
    let width = steps
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("next:");
    for (command, what) in steps {
        let pad = width - command.chars().count();
        out.push_str(&format!("\n  {command}{}   {what}", " ".repeat(pad)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_spaces_are_quoted_for_the_shell() {
        assert_eq!(shell_word(Path::new("modul-pkb")), "modul-pkb");
        assert_eq!(shell_word(Path::new("../a/b")), "../a/b");
        assert_eq!(shell_word(Path::new("Modul Baru")), "'Modul Baru'");
        assert_eq!(shell_word(Path::new("it's")), r"'it'\''s'");
    }
}
