//! `modulpress absorb`: a federation's edits in a DOCX copy back into its overlay
//! (`overlays/ID.md` in the module folder), which every later build for it applies. See
//! `docs/architecture.md`, "Federation overlays".

mod blocks;
pub mod diff;
pub mod docx;
mod summary;
pub mod write;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::AbsorbArgs;
use crate::exit::Exit;
use crate::input::{load_checked_absorbing, print_diags};
use crate::model::Audience;

/// A problem in the input (the file, the federation): exit 1.
fn fail(message: String) -> ExitCode {
    fail_with(message, Exit::Input)
}

/// The message and exit code of the contract (`exit.rs`): a file that cannot be read or
/// an overlay that cannot be written is an environment error, exit 2.
fn fail_with(message: String, exit: Exit) -> ExitCode {
    crate::say::errln!("error: {message}");
    exit.into()
}

pub fn absorb(args: &AbsorbArgs) -> ExitCode {
    let (project, files, mut warnings) = match load_checked_absorbing(&args.input, &args.federation)
    {
        Ok(p) => p,
        Err(code) => return code,
    };
    print_diags(&files, &mut warnings, "");
    let Some(fed) = project
        .federations
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(&args.federation))
    else {
        let known: Vec<&str> = project.federations.iter().map(|f| f.id.as_str()).collect();
        let mut m = format!("unknown federation `{}`", args.federation);
        if let Some(s) = crate::diag::did_you_mean(&args.federation, known.iter().copied()) {
            m.push_str(&format!("\n  = help: did you mean `{s}`?"));
        }
        m.push_str(&format!(
            "\n  = note: known federations: {}",
            known.join(", ")
        ));
        return fail(m);
    };
    let shown = args.file.display();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fail_with(
                format!(
                    "there is no file `{shown}`\n  = help: name the edited copy with its folder, such as out/docx/{}/…docx",
                    fed.id
                ),
                Exit::Usage,
            );
        }
        Err(e) => return fail_with(format!("cannot read `{shown}`: {e}"), Exit::Usage),
    };
    let docx = match docx::read(&bytes) {
        Ok(d) => d,
        Err(e) => return fail(format!("`{shown}` cannot be absorbed: {e}")),
    };
    let prop = |k: &str| docx.props.get(k).map(String::as_str);
    let (Some(module), Some(built_for), Some(audience)) = (
        prop("modulpress.module"),
        prop("modulpress.federation"),
        prop("modulpress.audience"),
    ) else {
        return fail(format!(
            "`{shown}` was not made by modulpress (it has no modulpress properties)\n  = help: absorb reads a DOCX copy that `modulpress build` made, edited and saved in Word or LibreOffice"
        ));
    };
    let meta = &project.module.meta;
    if module != meta.id {
        return fail(format!(
            "`{shown}` is a copy of module `{module}`, not of `{}`\n  = help: absorb it with `--source` naming that module's folder",
            meta.id
        ));
    }
    if built_for != fed.id {
        return fail(format!(
            "`{shown}` is the copy of federation `{built_for}`, not of `{}`\n  = help: absorb it with `--federation {built_for}`, or pass {}'s own copy",
            fed.id, fed.short
        ));
    }
    let audience = match audience {
        "participant" => Audience::Participant,
        "facilitator" => Audience::Facilitator,
        other => return fail(format!("`{shown}` names an unknown audience `{other}`")),
    };
    if docx.tracked > 0 {
        return fail(format!(
            "`{shown}` has {} tracked changes still pending: accept or reject the tracked changes in Word first (Review → Accept All, or Reject), save, and absorb again",
            docx.tracked
        ));
    }
    // With no marks, every block of the module would look deleted: an overlay that
    // empties the federation's copies.
    if !docx.has_marks() {
        return fail(format!(
            "`{shown}` has lost the hidden marks that tie its paragraphs to the module, so absorb cannot tell what was changed: it would record every paragraph as deleted\n  = note: an editor that drops Word's bookmarks (such as Google Docs), or the text copied into a new document, removes them\n  = help: make the changes in the copy modulpress made (out/docx/{}/…), in Word or LibreOffice, save it as .docx and absorb that file",
            fed.id
        ));
    }
    let started = std::time::Instant::now();
    let outcome = diff::diff(
        &project.module,
        &project.bundle.source,
        fed,
        audience,
        &docx,
    );
    let overlay = format!("{}/{}.md", crate::parse::overlay::FOLDER, fed.id);
    for warning in summary::warnings(&outcome, &overlay) {
        crate::say::errln!("{warning}");
    }
    let existing = project.module.overlays.get(&fed.id);
    let unchanged = existing.map_or(outcome.entries.is_empty(), |o| {
        same_entries(&o.entries, &outcome.entries)
    });
    let source = source_dir(&args.input);
    if !unchanged {
        let text = write::overlay_text(&project.module, &fed.name, &outcome.entries);
        if let Err((path, e)) = save(&source, &fed.id, &text, &outcome.pictures) {
            return fail_with(
                format!(
                    "cannot write `{}`: {e}\n  = note: the overlay is as it was",
                    crate::bundle::display_path(&path)
                ),
                Exit::Usage,
            );
        }
    }
    let line = summary::line(
        meta.lang,
        &fed.id,
        &outcome,
        docx.comments,
        unchanged,
        existing.is_some_and(|o| !o.entries.is_empty()),
    );
    let builtin = project.bundle.layouts.is_builtin();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    if !unchanged {
        let path = crate::bundle::display_path(&source.join(&overlay));
        let _ = writeln!(out, "{}", summary::written(meta.lang, &path));
    }
    for l in summary::generated(meta.lang, &outcome.generated) {
        let _ = writeln!(out, "{l}");
    }
    if outcome.formatting > 0 {
        let _ = writeln!(out, "{}", summary::look(meta.lang, &fed.id, builtin));
    }
    if outcome.front > 0 {
        let _ = writeln!(out, "{}", summary::front(meta.lang, &fed.id, builtin));
    }
    if std::env::var_os("MODULPRESS_ABSORB_TIME").is_some() {
        let _ = writeln!(out, "absorbed in {} ms", started.elapsed().as_millis());
    }
    ExitCode::SUCCESS
}

/// Two entry lists say the same (the places in the file aside).
fn same_entries(a: &[crate::model::Entry], b: &[crate::model::Entry]) -> bool {
    use crate::model::markdown::to_markdown;
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.kind == y.kind
                && x.outside == y.outside
                && x.session == y.session
                && x.canonical == y.canonical
                && x.nth == y.nth
                && to_markdown(&x.blocks) == to_markdown(&y.blocks)
        })
}

/// The module folder, as `input.rs` finds it.
fn source_dir(input: &crate::cli::InputArgs) -> PathBuf {
    input
        .source
        .clone()
        .unwrap_or_else(|| PathBuf::from("source"))
}

/// Write the pictures, then the overlay, each to a temporary file renamed into place; on
/// failure, the path that could not be written.
fn save(
    source: &Path,
    fed: &str,
    text: &str,
    pictures: &[(String, Vec<u8>)],
) -> Result<(), (PathBuf, std::io::Error)> {
    let folder = source.join(crate::parse::overlay::FOLDER);
    for (rel, bytes) in pictures {
        let path = source.join(rel);
        if std::fs::read(&path).is_ok_and(|b| &b == bytes) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
        }
        replace(&path, bytes).map_err(|e| (path.clone(), e))?;
    }
    std::fs::create_dir_all(&folder).map_err(|e| (folder.clone(), e))?;
    let overlay = folder.join(format!("{fed}.md"));
    replace(&overlay, text.as_bytes()).map_err(|e| (overlay.clone(), e))
}

/// Write `bytes` to `path` through a new temporary file beside it and a rename.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("overlay");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
