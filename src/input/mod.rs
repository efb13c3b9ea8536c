//! The input of every command: the module and layouts folders read, loaded and checked,
//! and the diagnostics printed, with the exit code of a failure; the earlier edition of
//! `--since` (`since.rs`).

pub mod repeats;
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
    load_checked_for(input, &|_| true, BUILD_ASIDE)
}

/// [`load_checked`] for `absorb` of federation `federation`'s copy: another federation's
/// overlay conflict does not stop it (a warning), as it does not stop a build of this
/// federation's files.
pub fn load_checked_absorbing(
    input: &InputArgs,
    federation: &str,
) -> Result<(Project, SourceFiles, Diags), ExitCode> {
    load_checked_for(
        input,
        &|id| id.eq_ignore_ascii_case(federation),
        "it is another federation's: this copy is absorbed all the same; that federation's files are not built until it is resolved",
    )
}

/// Why an error of a federation whose files a build does not make is a warning.
const BUILD_ASIDE: &str = "this build makes none of that federation's files (`--only`, `--federation`): resolve it before building them";

/// Whether a build makes any file of a federation (by its id).
pub type Builds<'a> = &'a dyn Fn(&str) -> bool;

/// [`load_checked`] for a build that makes the files of the federations `builds` says.
fn load_checked_for(
    input: &InputArgs,
    builds: Builds,
    aside: &str,
) -> Result<(Project, SourceFiles, Diags), ExitCode> {
    if let Some(dir) = input.source.as_ref().filter(|_| paket_dir(input).is_some()) {
        crate::say::errln!(
            "error: `{}` is a paket (it holds paket.toml); this command takes one module folder\n  = help: name one of its modules, for example `--source {}/MODULE`",
            dir.display(),
            dir.display()
        );
        return Err(Exit::Usage.into());
    }
    let bundle = read_bundle(input).map_err(|message| {
        crate::say::errln!("error: {message}");
        ExitCode::from(Exit::Usage)
    })?;
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = load_project(bundle, &mut files, &mut diags);
    if let Some(project) = &project {
        crate::render::check_layouts(project, &mut diags);
    }
    set_aside(&mut diags, builds, aside);
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
        if repeats::shown_before(d, files) {
            let _ = writeln!(err, "{}", repeats::line(d));
            continue;
        }
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
            if Path::new("module.toml").is_file() {
                // Run inside the module folder itself.
                let name = std::env::current_dir()
                    .ok()
                    .and_then(|d| Some(d.file_name()?.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "MODULE".into());
                // A module of a paket: the paket is what is built (its out/ holds every
                // module's outputs, its report and index).
                if Path::new("../paket.toml").is_file() {
                    let id = std::fs::read_to_string("module.toml")
                        .ok()
                        .and_then(|t| {
                            let table = t.parse::<toml::Table>().ok()?;
                            table.get("id")?.as_str().map(str::to_string)
                        })
                        .unwrap_or_else(|| name.clone());
                    let listed = paket_lists(Path::new(".."), &name);
                    return Err(if listed {
                        format!(
                            "this folder ({cwd}) is the module `{id}` of the paket in the folder above: the paket is what is built\n  = help: build the paket from its folder: `cd ..`, then `modulpress build` (or `modulpress build --module {id}` for this module alone), into the paket's out/"
                        )
                    } else {
                        format!(
                            "this folder ({cwd}) is a module in the paket's folder above, which its `modules` does not list\n  = help: add \"{name}\" to `modules` in ../paket.toml, then build the paket from its folder: `cd ..`, then `modulpress build`"
                        )
                    });
                }
                return Err(format!(
                    "no module folder: this folder ({cwd}) is a module (it holds module.toml), and modulpress looks for one named `source/` in the folder it runs in\n  = help: name it and an output folder beside it: `--source . --out ../out`, or in the folder above `--source {name}`"
                ));
            }
            return Err(format!(
                "no module folder: looked for `source/` (or a paket's `paket.toml`) in {cwd}\n  = help: run modulpress in the folder that holds `source/` or `paket.toml`, or pass `--source DIR`"
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
    let layouts = read_layouts(input)?;
    Ok(Bundle { source, layouts })
}

/// Does the `paket.toml` in `paket` list the module folder `name` in `modules`? (A
/// paket.toml that cannot be read lists nothing.)
pub fn paket_lists(paket: &Path, name: &str) -> bool {
    std::fs::read_to_string(paket.join("paket.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("modules")?.as_array().cloned())
        .is_some_and(|m| {
            m.iter()
                .any(|v| v.as_str().map(|s| s.trim_end_matches('/')) == Some(name))
        })
}

/// Read the layouts folder: `--layouts`, else `./layouts`, else the built-in layouts.
fn read_layouts(input: &InputArgs) -> Result<Folder, String> {
    Ok(match &input.layouts {
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
    })
}

/// What `build`, `check`, `list` and `watch` work on: one module, or every module of a
/// paket (a folder with `paket.toml`), each a `Project` with its own bundle.
pub struct Modules {
    /// The projects, in the paket's order (one for a module folder).
    pub projects: Vec<Project>,
    /// The paket, when `--source` (or the current folder) is one.
    pub paket: Option<Paket>,
}

/// A paket as loaded: what `paket.toml` says, and its folders.
pub struct Paket {
    pub config: crate::config::Paket,
    /// The paket folder.
    pub dir: PathBuf,
    /// The module folders, in order.
    pub module_dirs: Vec<PathBuf>,
    /// The layouts shared by its modules (`--layouts`, `PAKET/layouts/` or the built-in
    /// ones): the index is set with them.
    pub layouts: Folder,
    /// The layouts folder on disk, if not the built-in one.
    pub layouts_dir: Option<PathBuf>,
}

impl Modules {
    /// The folders a build must not write into: each module folder and the layouts, with
    /// what they are and the flag that named them.
    pub fn input_dirs(&self, input: &InputArgs) -> Vec<(PathBuf, &'static str, &'static str)> {
        match &self.paket {
            None => vec![
                (
                    input
                        .source
                        .clone()
                        .unwrap_or_else(|| PathBuf::from("source")),
                    "module",
                    "--source",
                ),
                (
                    input
                        .layouts
                        .clone()
                        .unwrap_or_else(|| PathBuf::from("layouts")),
                    "layouts",
                    "--layouts",
                ),
            ],
            Some(p) => p
                .module_dirs
                .iter()
                .map(|d| (d.clone(), "module", "paket.toml"))
                .chain(
                    p.layouts_dir
                        .iter()
                        .map(|d| (d.clone(), "layouts", "--layouts")),
                )
                .collect(),
        }
    }
}

/// The paket folder `input` names, if it names one: `--source DIR` holding `paket.toml`,
/// or, without `--source`, the current folder when it holds `paket.toml` and no `source/`.
pub fn paket_dir(input: &InputArgs) -> Option<PathBuf> {
    match &input.source {
        Some(dir) => dir.join("paket.toml").is_file().then(|| dir.clone()),
        None => (Path::new("paket.toml").is_file() && !Path::new("source").is_dir())
            .then(|| PathBuf::from(".")),
    }
}

/// Read, load and check a module or every module of a paket. Every problem of every module
/// is printed at once; with any error, the exit code.
pub fn load_all(input: &InputArgs) -> Result<(Modules, SourceFiles, Diags), ExitCode> {
    load_all_for(input, &|_| true)
}

/// The problems of a federation's overlay, for a build that makes none of that
/// federation's files (`--only booklet`, `--federation` naming others): warnings, so that
/// a conflict in one federation's overlay stops only the builds of its own files. A build
/// of every file still stops: never a new edition beside a federation's old one.
fn set_aside(diags: &mut Diags, builds: Builds, note: &str) {
    for d in &mut diags.list {
        if d.severity == crate::diag::Severity::Error
            && d.federation.as_deref().is_some_and(|f| !builds(f))
        {
            d.severity = crate::diag::Severity::Warning;
            d.notes.push(note.into());
        }
    }
}

/// [`load_all`] for a build that makes the files of the federations `builds` says.
pub fn load_all_for(
    input: &InputArgs,
    builds: Builds,
) -> Result<(Modules, SourceFiles, Diags), ExitCode> {
    let Some(dir) = paket_dir(input) else {
        let (project, files, diags) = load_checked_for(input, builds, BUILD_ASIDE)?;
        return Ok((
            Modules {
                projects: vec![project],
                paket: None,
            },
            files,
            diags,
        ));
    };
    let usage = |message: String| {
        crate::say::errln!("error: {message}");
        ExitCode::from(Exit::Usage)
    };
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    // A folder that cannot be read once `paket.toml` is read: what was found before it is
    // told first.
    let unreadable = |files: &SourceFiles, diags: &mut Diags, message: String| {
        if !diags.list.is_empty() {
            print_diags(files, diags, "nothing was written");
        }
        usage(message)
    };
    let read_folder = |dir: &Path, files: &SourceFiles, diags: &mut Diags| {
        Folder::read(dir).map_err(|e| {
            unreadable(
                files,
                diags,
                format!("cannot read `{}`: {e}", dir.display()),
            )
        })
    };
    let toml_path = dir.join("paket.toml");
    let bytes = std::fs::read(&toml_path)
        .map_err(|e| usage(format!("cannot read `{}`: {e}", toml_path.display())))?;
    let shown = crate::bundle::display_path(&toml_path);
    let Some((file, text)) = crate::text::load_text(shown, &bytes, &mut files, &mut diags) else {
        print_diags(&files, &mut diags, "nothing was written");
        return Err(Exit::Input.into());
    };
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let Some(config) = crate::config::load_paket_toml(&text, file, &folder, &mut diags) else {
        print_diags(&files, &mut diags, "nothing was written");
        return Err(Exit::Input.into());
    };
    let (layouts, layouts_dir) = match &input.layouts {
        Some(_) => (
            read_layouts(input).map_err(|m| unreadable(&files, &mut diags, m))?,
            input.layouts.clone(),
        ),
        None if dir.join("layouts").is_dir() => {
            let d = dir.join("layouts");
            let f = read_folder(&d, &files, &mut diags)?;
            (f, Some(d))
        }
        None => (Folder::builtin_layouts(), None),
    };
    let mut projects = Vec::new();
    let mut module_dirs = Vec::new();
    // The module folders the paket's folder holds (a folder with module.toml).
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().join("module.toml").is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    let listed: Vec<&str> = config
        .modules
        .iter()
        .map(|(rel, _)| rel.trim_end_matches('/'))
        .collect();
    let unlisted: Vec<&str> = found
        .iter()
        .map(String::as_str)
        .filter(|f| !listed.contains(f))
        .collect();
    for (rel, at) in &config.modules {
        let module_dir = dir.join(rel);
        if !module_dir.join("module.toml").is_file() {
            let d = if module_dir.is_dir() {
                crate::diag::Diag::error(format!("module folder `{rel}` has no module.toml"))
                    .at(*at, "listed here")
                    .help(
                        "each entry of `modules` is a module folder of the paket, holding module.toml",
                    )
            } else {
                let d = crate::diag::Diag::error(format!("the paket has no folder `{rel}`"))
                    .at(*at, "no such folder");
                match crate::diag::did_you_mean(rel, unlisted.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if unlisted.is_empty() => d.help(
                        "each entry of `modules` is a module folder inside the paket's folder, holding module.toml",
                    ),
                    None => d.help(format!(
                        "the paket's folder holds these modules that `modules` does not list: {}",
                        unlisted.join(", ")
                    )),
                }
            };
            diags.push(d);
            continue;
        }
        let source = read_folder(&module_dir, &files, &mut diags)?;
        // A module with its own `layouts/` uses it instead of the shared one.
        let own = module_dir.join("layouts");
        let layouts = if own.is_dir() {
            read_folder(&own, &files, &mut diags)?
        } else {
            layouts.clone()
        };
        let bundle = Bundle { source, layouts };
        if let Some(mut project) = load_project(bundle, &mut files, &mut diags) {
            // A module that names no series or edition is the paket's.
            let meta = &mut project.module.meta;
            meta.series.get_or_insert_with(|| config.title.clone());
            meta.edition.get_or_insert_with(|| config.edition.clone());
            crate::render::check_layouts(&project, &mut diags);
            projects.push(project);
        }
        module_dirs.push(module_dir);
    }
    // A module folder in the paket that `modules` leaves out (made with `init` inside it):
    // told, unless a listed folder is missing (its message names them).
    if let Some((_, at)) = config.modules.last()
        && listed.iter().all(|rel| dir.join(rel).is_dir())
    {
        for name in &unlisted {
            diags.push(
                crate::diag::Diag::warning(format!(
                    "the paket's folder holds the module `{name}`, which `modules` does not list: it is not built"
                ))
                .at(*at, "not in this list")
                .help(format!("add \"{name}\" to `modules` in paket.toml, in its place in the series")),
            );
        }
    }
    unique_ids(&projects, &mut files, &mut diags);
    set_aside(&mut diags, builds, BUILD_ASIDE);
    if diags.has_errors() || projects.len() != config.modules.len() {
        print_diags(&files, &mut diags, "nothing was written");
        return Err(Exit::Input.into());
    }
    let paket = Paket {
        config,
        dir,
        module_dirs,
        layouts,
        layouts_dir,
    };
    Ok((
        Modules {
            projects,
            paket: Some(paket),
        },
        files,
        diags,
    ))
}

/// Two modules of a paket with one id would write the same files: an error at the second's
/// `id`, naming both `module.toml` files.
fn unique_ids(projects: &[Project], files: &mut SourceFiles, diags: &mut Diags) {
    #[derive(serde::Deserialize)]
    struct Id {
        id: toml::Spanned<String>,
    }
    let place = |p: &Project, files: &mut SourceFiles| {
        let text = p.bundle.source.text("module.toml").unwrap_or_default();
        let span = toml::from_str::<Id>(&text)
            .map(|i| i.id.span())
            .unwrap_or(0..0);
        let name = p.bundle.source.display_of("module.toml");
        let file = files.add(name.clone(), text);
        (name, crate::model::Span::new(file, span.start, span.end))
    };
    for (i, p) in projects.iter().enumerate() {
        let id = &p.module.meta.id;
        if let Some(first) = projects[..i].iter().find(|q| q.module.meta.id == *id) {
            let (first_name, first_at) = place(first, files);
            let (_, at) = place(p, files);
            let (line, col) = files.line_col(first_at.file, first_at.start as usize);
            diags.push(
                crate::diag::Diag::error(format!(
                    "two modules of the paket have the id `{id}`: {first_name} and {}",
                    p.bundle.source.display_of("module.toml")
                ))
                .at(at, "the second")
                .note(format!("the first: {first_name}:{line}:{col}"))
                .help("each module names its output files with its id: give each module its own"),
            );
        }
    }
}
