//! The end of a build: the commit (outputs, report, cache, manifest last), and the
//! checks on the output folder before and after.

use std::path::Path;
use std::time::Instant;

use crate::cache::Cache;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::exit::Exit;
use crate::export::{Entry, OutDir, WriteError};
use crate::input::Modules;

use super::collect::Collected;
use super::plan::{Planned, Sources};
use super::{Build, BuildOptions, Summary, Voice};

/// Commit the staged outputs with the report, the cache and the manifest (last), then
/// print the messages and the summary line.
#[allow(clippy::too_many_arguments)]
pub(super) fn commit(
    opts: &BuildOptions,
    modules: &Modules,
    files: &SourceFiles,
    mut diags: Diags,
    mut build: Build,
    collected: Collected,
    start: Instant,
    voice: Voice,
) -> Summary {
    let Collected {
        mut staged,
        entries,
        records,
        mut reports,
        report_modules,
        warnings,
        mut summary,
    } = collected;
    staged.append(&mut build.adopted.staged);
    // A file a person changed in `out/` (a trainer's deck, a secretary's copy) is kept
    // beside the output that replaces it; the report says where.
    let manifest_before = build.out.manifest();
    let edited: Vec<crate::export::SetAside> = staged
        .iter()
        .filter(|s| build.cache.edited(&opts.out, &s.path, &manifest_before))
        .map(|s| build.out.set_aside_name(&s.path))
        .collect();
    for k in &edited {
        if let Some(r) = reports.iter_mut().find(|r| r.output.path == k.path) {
            r.output.set_aside = Some(k.kept.clone());
        }
    }
    diags.list.extend(warnings);
    if !opts.quiet {
        diags.list.extend(
            staged
                .iter()
                .filter_map(|s| open_elsewhere(&opts.out, &s.path)),
        );
    }
    if opts.everything() {
        diags
            .list
            .extend(no_longer_made(&build.out.manifest(), &build.planned));
    }
    if opts.quiet {
        diags.retain_errors();
    }
    // The cache keeps the records of other outputs whose files are still there, and, in a
    // build that leaves outputs (`--only`), of those it leaves deleted: still missing.
    let kept: Vec<String> = build
        .cache
        .outputs
        .keys()
        .filter(|path| opts.out.join(path).is_file() || build.left.iter().any(|k| &k.path == *path))
        .cloned()
        .collect();
    // The drawings this build used: the cache keeps those its records show (the new ones
    // are written after the commit).
    let used = build.pictures.used();
    let new_cache = build.cache.updated(records, &kept, &used);
    let mut extra = match &modules.paket {
        None => {
            let report_refs: Vec<&crate::report::Entry> = reports.iter().collect();
            crate::report::files(
                &modules.projects[0],
                &report_refs,
                build.since.first().cloned().flatten().as_deref(),
            )
        }
        Some(paket) => {
            let sections: Vec<crate::report::Section> = modules
                .projects
                .iter()
                .enumerate()
                .map(|(m, project)| {
                    let mine = reports
                        .iter()
                        .zip(&report_modules)
                        .filter(|(_, rm)| **rm == m)
                        .map(|(r, _)| r)
                        .collect();
                    let since = build.since.get(m).and_then(|s| s.as_deref());
                    (project, mine, since)
                })
                .filter(|(_, mine, _): &(_, Vec<_>, _)| !mine.is_empty())
                .collect();
            let title = format!(
                "{} ({}) · {}",
                paket.config.title, paket.config.id, paket.config.edition
            );
            crate::report::paket_files(&title, &sections)
        }
    };
    if let Some(paket) = &modules.paket {
        let old = build.out.manifest();
        let index = crate::paket::index(
            &paket.config,
            &modules.projects,
            &paket.layouts,
            &old,
            &entries,
            &opts.out,
        );
        match index {
            Ok(files) => extra.extend(files),
            Err(problems) => {
                build.out.discard(&staged);
                diags.list.extend(problems);
                summary.code = Exit::Input;
                crate::input::print_diags(
                    files,
                    &mut diags,
                    "the package index failed, so nothing was written; the output folder is as it was",
                );
                return summary;
            }
        }
    }
    extra.push((crate::cache::PATH.to_string(), new_cache.to_bytes()));
    let committed = build.out.commit_staged(
        staged,
        entries,
        Some(build.sources.whole.clone()),
        &extra,
        &edited,
    );
    let committed = committed.map(|(manifest, kept)| {
        if !opts.quiet {
            diags.list.extend(kept.iter().map(|k| {
                kept_edit(
                    &opts.out,
                    k,
                    &absorb_folders(opts, modules, &build, &k.path),
                )
            }));
        }
        manifest
    });
    if committed.is_ok() {
        build.out.keep_cache_files(
            crate::cache::pictures::DIR,
            &crate::cache::pictures::new_files(&used, &build.pictures),
            &crate::cache::pictures::names(&new_cache.pictures),
        );
    }
    crate::input::print_diags(files, &mut diags, "nothing was written");
    summary.wall = start.elapsed();
    print(opts, voice, committed, summary)
}

/// The folders `modulpress absorb` must be told to read the module of output `path` as
/// this build read it: ` --source DIR` (a paket's module folder, or the `--source` given),
/// ` --layouts DIR` (the `--layouts` given, or a paket's shared layouts), or nothing.
fn absorb_folders(opts: &BuildOptions, modules: &Modules, build: &Build, path: &str) -> String {
    let word = |dir: &Path| crate::bundle::shell_word(Path::new(&crate::bundle::display_path(dir)));
    let mut args = String::new();
    let source = match &modules.paket {
        Some(paket) => build
            .planned
            .iter()
            .find(|p| p.outputs.iter().any(|o| o == path))
            .and_then(|p| paket.module_dirs.get(p.module))
            .cloned(),
        None => opts.input.source.clone(),
    };
    if let Some(dir) = &source {
        args.push_str(&format!(" --source {}", word(dir)));
    }
    // A paket's module with a `layouts/` of its own reads that one.
    let own = source
        .as_ref()
        .filter(|_| modules.paket.is_some())
        .map(|dir| dir.join("layouts"))
        .filter(|dir| dir.is_dir());
    let layouts = own.or_else(|| {
        opts.input
            .layouts
            .clone()
            .or_else(|| modules.paket.as_ref().and_then(|p| p.layouts_dir.clone()))
    });
    if let Some(dir) = layouts {
        args.push_str(&format!(" --layouts {}", word(&dir)));
    }
    args
}

/// What a build that kept a person's changed file says: where it is, and what to do with
/// it, by kind (a Word copy's changes can be absorbed, with `folders` to read the module as
/// the build did; a deck's or a PDF's cannot).
fn kept_edit(out: &Path, k: &crate::export::SetAside, folders: &str) -> Diag {
    let shown = |rel: &str| crate::bundle::display_path(&out.join(rel));
    let d = Diag::warning(format!(
        "{} was changed since modulpress made it; it is made again, and the changed file is kept as {}",
        shown(&k.path),
        shown(&k.kept),
    ));
    // A changes copy (`-changes.docx`) holds tracked changes: absorb refuses it.
    if k.path.ends_with(".docx") && !k.path.ends_with("-changes.docx") {
        let federation = k
            .path
            .split('/')
            .nth(1)
            .filter(|_| k.path.starts_with("docx/"))
            .unwrap_or("ID");
        d.help(format!(
            "to carry its changes into the module: `modulpress absorb{folders} --federation {federation} {}`",
            crate::bundle::shell_word(Path::new(&shown(&k.kept)))
        ))
    } else if k.path.ends_with(".pptx") {
        d.help("modulpress does not read a PowerPoint deck back: make lasting changes in the module's source; a deck saved under another name is left alone by every build")
    } else {
        d.help("the files in the output folder are made from the module: keep a file you change under a name of its own")
    }
}

/// A warning when the output `path` is open in Word, PowerPoint or LibreOffice as this
/// build replaces it: the editor's lock file is beside it (`~$name.pptx`, with Office's
/// first two letters of a long name replaced, or LibreOffice's `.~lock.name.pptx#`).
fn open_elsewhere(out: &Path, path: &str) -> Option<Diag> {
    let file = out.join(path);
    let name = file.file_name()?.to_str()?;
    let dir = file.parent()?;
    let office_short = name.get(2..).map(|rest| format!("~${rest}"));
    let locks = [
        Some(format!("~${name}")),
        office_short,
        Some(format!(".~lock.{name}#")),
    ];
    let lock = locks
        .into_iter()
        .flatten()
        .find(|l| dir.join(l).is_file())?;
    let shown = crate::bundle::display_path(&file);
    Some(
        Diag::warning(format!(
            "{shown} is open in an editor (its lock file `{lock}` is beside it): the new file is written, but the open window still shows the old one"
        ))
        .help("close the window without saving, then open the file again; to keep changes made in it, save it under another name first"),
    )
}

/// Print how the commit ended and the summary line: the build's summary.
pub(super) fn print(
    opts: &BuildOptions,
    voice: Voice,
    committed: Result<crate::manifest::Manifest, WriteError>,
    mut summary: Summary,
) -> Summary {
    if let Err(e) = committed {
        let stopped = e.error.kind() == std::io::ErrorKind::Interrupted;
        crate::say::errln!(
            "{}{e}\n  = note: nothing was written; the output folder is as it was",
            if stopped { "" } else { "error: " }
        );
        summary.code = Exit::Usage;
        return summary;
    }
    if voice == Voice::Build && !opts.quiet {
        summary.say();
    }
    summary.code = Exit::Success;
    summary
}

/// The output folder may not be, be inside, or hold the module or the layouts folder: a
/// build would write its files among the inputs (and `watch` would see its own writes).
pub(super) fn out_apart(
    out: &Path,
    dirs: &[(std::path::PathBuf, &str, &str)],
) -> Result<(), String> {
    let at = crate::bundle::resolved(out);
    for (dir, what, flag) in dirs {
        let Ok(dir) = dir.canonicalize() else {
            continue;
        };
        if at.starts_with(&dir) {
            let place = if at == dir {
                format!("is the {what} folder")
            } else {
                format!(
                    "is inside the {what} folder `{}`",
                    crate::bundle::display_path(&dir)
                )
            };
            return Err(format!(
                "the output folder `{}` {place} ({flag}); the outputs would be written among the files they are made from\n  = help: choose an output folder beside it, for example `--out {}`",
                crate::bundle::display_path(out),
                beside(&dir),
            ));
        }
        if dir.starts_with(&at) {
            return Err(format!(
                "the output folder `{}` holds the {what} folder `{}` ({flag}); the outputs would be written among the files they are made from\n  = help: choose an output folder of its own beside it, for example `--out out`",
                crate::bundle::display_path(out),
                crate::bundle::display_path(&dir),
            ));
        }
    }
    Ok(())
}

/// An output folder beside `dir`, as `--out` would name it from the current folder: `out`,
/// or `../out` when the current folder is `dir` itself (`--source .`), one `../` more for
/// each folder deeper.
fn beside(dir: &Path) -> String {
    let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize()) else {
        return "out".into();
    };
    match cwd.strip_prefix(dir) {
        Ok(below) => format!("{}out", "../".repeat(below.components().count() + 1)),
        Err(_) => "out".into(),
    }
}

/// Do the manifest and the report still describe the planned outputs (each listed with the
/// sha256 the cache has)? If someone removed them, a build with nothing to build still
/// writes them again.
pub(super) fn records_current(
    out: &OutDir,
    planned: &[Planned],
    cache: &Cache,
    root: &Path,
    sources: &Sources,
    more_files: &[String],
) -> bool {
    let manifest = out.manifest();
    // A change that affects no output still changes the source the manifest names.
    let planned_paths: std::collections::BTreeMap<&str, &str> = planned
        .iter()
        .flat_map(|p| {
            p.outputs
                .iter()
                .map(|o| (o.as_str(), sources.modules[p.module].as_str()))
        })
        .collect();
    let this_source = |e: &Entry| match planned_paths.get(e.path.as_str()) {
        Some(sha) => e.source_sha256.as_deref() == Some(*sha),
        None => true,
    };
    if manifest.source_sha256.as_deref() != Some(sources.whole.as_str())
        || !manifest.outputs.iter().all(this_source)
    {
        return false;
    }
    let listed: std::collections::BTreeMap<&str, &str> = manifest
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e.sha256.as_str()))
        .collect();
    let outputs_listed = planned.iter().flat_map(|p| &p.outputs).all(|path| {
        cache
            .outputs
            .get(path)
            .is_some_and(|r| listed.get(path.as_str()) == Some(&r.entry.sha256.as_str()))
    });
    outputs_listed
        && ["report.html", "report.json", crate::cache::PATH]
            .iter()
            .all(|f| root.join(f).is_file())
        && more_files.iter().all(|f| root.join(f).is_file())
}

/// Does `report.json` describe what this build would write: a "Changes since" section
/// exactly when it compares with an earlier edition (a build without `--since` after one
/// with it writes the report again, without the section; the changes files stay, `kept`
/// in the manifest, like any output no longer made), and exactly the outputs `outputs`
/// names, each made or checked by this build (`None`) or left as an earlier build made it,
/// with what this build says of it (`Some`: current, or why not)? An output deleted or edited by hand outside an `--only` build
/// changes the second, and such a build writes the report again though it builds nothing.
pub(super) fn report_as_asked(
    root: &Path,
    since: bool,
    outputs: &std::collections::BTreeMap<&str, Option<&crate::report::Left>>,
) -> bool {
    /// What matters here of the report; the rest is skipped unread.
    #[derive(serde::Deserialize)]
    struct Compared {
        changes: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        outputs: Vec<Listed>,
    }
    #[derive(serde::Deserialize)]
    struct Listed {
        path: String,
        kept: Option<crate::report::Left>,
    }
    /// A paket's: its modules' reports.
    #[derive(serde::Deserialize)]
    struct Modules {
        modules: Vec<Compared>,
    }
    let Ok(report) = std::fs::read(root.join("report.json")) else {
        return false;
    };
    let reports = match serde_json::from_slice::<Modules>(&report) {
        Ok(paket) => paket.modules,
        Err(_) => match serde_json::from_slice::<Compared>(&report) {
            Ok(one) => vec![one],
            Err(_) => return false,
        },
    };
    let listed: std::collections::BTreeMap<&str, Option<&crate::report::Left>> = reports
        .iter()
        .flat_map(|r| &r.outputs)
        .map(|o| (o.path.as_str(), o.kept.as_ref()))
        .collect();
    reports.iter().any(|m| m.changes.is_some()) == since && listed == *outputs
}

/// A warning for the files of an earlier build that a whole build no longer makes (a
/// federation profile removed, the module id or the handouts changed): they stay in `out/`,
/// marked `kept` in the manifest, until someone deletes them.
pub(super) fn no_longer_made(old: &crate::export::Manifest, planned: &[Planned]) -> Option<Diag> {
    let made: std::collections::BTreeSet<&str> = planned
        .iter()
        .flat_map(|p| p.outputs.iter().map(String::as_str))
        .collect();
    let stale: Vec<&str> = old
        .outputs
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !made.contains(p))
        .collect();
    if stale.is_empty() {
        return None;
    }
    let shown: Vec<&str> = stale.iter().take(5).copied().collect();
    let more = stale.len() - shown.len();
    let mut d = Diag::warning(format!(
        "{} file{} in the output folder {} from an earlier build and no longer made: {}{}",
        stale.len(),
        if stale.len() == 1 { "" } else { "s" },
        if stale.len() == 1 { "is" } else { "are" },
        shown.join(", "),
        if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        }
    ));
    d = d.help(
        "a federation profile or overlay, the module id or the handouts changed since, or another module was built into this folder (give each module an output folder of its own, `--out`): delete these files if they are not wanted (the manifest marks them `kept`; the report does not list them)",
    );
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_as_asked_however_its_json_is_laid_out() {
        let dir = crate::test_dir::TestDir::new("report-compares");
        std::fs::create_dir_all(&*dir).unwrap();
        // The answers with and without `--since`, over `json` (`None`: no report.json).
        let with = |json: Option<&str>| {
            match json {
                Some(json) => std::fs::write(dir.join("report.json"), json).unwrap(),
                None => std::fs::remove_file(dir.join("report.json")).unwrap(),
            }
            let none = std::collections::BTreeMap::new();
            (
                report_as_asked(&dir, true, &none),
                report_as_asked(&dir, false, &none),
            )
        };
        assert_eq!(
            with(Some(r#"{"module":{},"changes":{"sessions":[]}}"#)),
            (true, false)
        );
        assert_eq!(
            with(Some("{\n    \"changes\": {},\n  \"outputs\": []\n}")),
            (true, false),
            "another indent"
        );
        assert_eq!(
            with(Some(r#"{"outputs":[],"module":{"changes":{}}}"#)),
            (false, true),
            "not a top-level key"
        );
        assert_eq!(with(Some(r#"{"changes":null}"#)), (false, true));
        assert_eq!(with(Some("not json")), (false, false), "written again");
        assert_eq!(with(None), (false, false), "no report: written again");
        // The outputs listed, and which of them an earlier build left, current or not.
        std::fs::write(
            dir.join("report.json"),
            r#"{"outputs":[{"path":"a.pdf"},{"path":"b.pdf","kept":{"current":true}}]}"#,
        )
        .unwrap();
        let state = |why: Option<&str>| crate::report::Left {
            current: why.is_none(),
            why: why.map(str::to_string),
            missing: why == Some("missing"),
        };
        let (current, stale, missing) = (
            state(None),
            state(Some("source changed: 02.md")),
            state(Some("missing")),
        );
        let asked = |pairs: &[(&'static str, Option<&crate::report::Left>)]| {
            report_as_asked(&dir, false, &pairs.iter().copied().collect())
        };
        assert!(asked(&[("a.pdf", None), ("b.pdf", Some(&current))]));
        assert!(
            !asked(&[("a.pdf", None), ("b.pdf", Some(&stale))]),
            "out of date since"
        );
        assert!(!asked(&[("a.pdf", None)]), "b.pdf deleted and forgotten");
        assert!(
            !asked(&[("a.pdf", None), ("b.pdf", None)]),
            "b.pdf made by this build"
        );
        std::fs::write(
            dir.join("report.json"),
            r#"{"outputs":[{"path":"b.pdf","kept":{"current":false,"why":"source changed: 02.md"}}]}"#,
        )
        .unwrap();
        assert!(asked(&[("b.pdf", Some(&stale))]));
        assert!(
            !asked(&[("b.pdf", Some(&missing))]),
            "out of date, then deleted"
        );
    }
}
