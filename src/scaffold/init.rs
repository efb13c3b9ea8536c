//! `modulpress init DIR`: a new module folder with a sample module that checks and builds.
//!
//! The sample's texts are the files under `sample/LANG/`, embedded in the binary.

use std::path::Path;
use std::process::ExitCode;

use super::{next_steps, shell_word, usage_error, write_files};
use crate::cli::InitArgs;

/// One language's sample: its default title and its files (path in the new module, text).
/// `module.toml` holds `@ID@`, `@TITLE@` and `@DATE@`, filled in when it is written.
struct Sample {
    title: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const INDONESIAN: Sample = Sample {
    title: "Perjanjian Kerja Bersama",
    files: &[
        ("module.toml", include_str!("sample/id/module.toml")),
        ("01-pembukaan.md", include_str!("sample/id/01-pembukaan.md")),
        (
            "02-mengenal-pkb.md",
            include_str!("sample/id/02-mengenal-pkb.md"),
        ),
        (
            "images/langkah-pkb.svg",
            include_str!("sample/id/langkah-pkb.svg"),
        ),
    ],
};

const ENGLISH: Sample = Sample {
    title: "Collective Agreements",
    files: &[
        ("module.toml", include_str!("sample/en/module.toml")),
        ("01-opening.md", include_str!("sample/en/01-opening.md")),
        (
            "02-collective-agreements.md",
            include_str!("sample/en/02-collective-agreements.md"),
        ),
        (
            "images/bargaining-steps.svg",
            include_str!("sample/en/bargaining-steps.svg"),
        ),
    ],
};

/// Run `modulpress init`.
pub fn init(args: &InitArgs) -> ExitCode {
    let dir = &args.dir;
    if let Err(message) = check_folder(dir) {
        return usage_error(message);
    }
    let id = match &args.id {
        Some(id) => id.clone(),
        None => match id_from_folder(dir) {
            Some(id) => id,
            None => {
                return usage_error(format!(
                    "cannot make a module id from the folder name `{}`\n  = help: give one with `--id`, for example `--id pkb`",
                    dir.display()
                ));
            }
        },
    };
    if !valid_id(&id) {
        return usage_error(format!(
            "module id `{id}` is not valid\n  = help: use lower-case letters, digits and `-`, starting with a letter or digit, for example `--id pkb`"
        ));
    }
    if id.len() > crate::limits::MAX_ID_CHARS {
        return usage_error(format!(
            "the module id is {} characters long, the limit is {}; nothing was written\n  = help: the id names every output file: keep it short, for example `--id pkb`",
            id.len(),
            crate::limits::MAX_ID_CHARS
        ));
    }
    let sample = if args.lang == "en" {
        &ENGLISH
    } else {
        &INDONESIAN
    };
    let title = args.title.as_deref().unwrap_or(sample.title).trim();
    if title.is_empty() {
        return usage_error("the module title is empty\n  = help: give one with `--title`");
    }
    if let Some(c) = title.chars().find(|c| c.is_control()) {
        return usage_error(format!(
            "the title holds an invisible control character U+{:04X}; nothing was written\n  = help: type the title again without it",
            c as u32
        ));
    }
    let files: Vec<(&str, Vec<u8>)> = sample
        .files
        .iter()
        .map(|(rel, text)| {
            let text = if *rel == "module.toml" {
                module_toml(text, &id, title, &super::today::today())
            } else {
                text.to_string()
            };
            (*rel, text.into_bytes())
        })
        .collect();
    // What `init` writes must pass `check`: the same checks run on it in memory first.
    if !passes_check(dir, &files) {
        return crate::exit::Exit::Usage.into();
    }
    if let Err(message) = write_files(dir, files.iter().map(|(r, b)| (*r, b.as_slice()))) {
        return usage_error(message);
    }
    let sessions = files.iter().filter(|(r, _)| r.ends_with(".md")).count();
    let image = files
        .iter()
        .find(|(r, _)| r.starts_with("images/"))
        .map_or("", |(r, _)| *r);
    let shown = crate::bundle::display_path(dir);
    let source = shell_word(dir);
    // Made inside a paket's folder: it joins the paket, whose build it is part of.
    let paket = dir
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .filter(|p| p.join("paket.toml").is_file());
    if let (Some(paket), Some(name)) = (paket, dir.file_name().and_then(|n| n.to_str())) {
        let paket_source = shell_word(paket);
        // Listed already (the author wrote paket.toml first): nothing to add.
        let listed = crate::input::paket_lists(paket, name);
        let mut steps = Vec::new();
        if !listed {
            steps.push((
                format!("add \"{name}\" to `modules` in paket.toml"),
                "the paket builds the modules it lists, in their order",
            ));
        }
        steps.push((
            format!("modulpress check --source {paket_source}"),
            "check the paket with it; writes nothing",
        ));
        steps.push((
            format!("modulpress build --source {paket_source}"),
            "build every module of the paket into out/",
        ));
        crate::say::errln!(
            "created module `{id}` in `{shown}`: module.toml, {sessions} sample sessions, {image}\n\n{}",
            next_steps(&steps)
        );
        return ExitCode::SUCCESS;
    }
    crate::say::errln!(
        "created module `{id}` in `{shown}`: module.toml, {sessions} sample sessions, {image}\n\n{}",
        next_steps(&[
            (
                format!("modulpress check --source {source}"),
                "check the module; writes nothing"
            ),
            (
                format!("modulpress build --source {source}"),
                "build every output into out/"
            ),
            (
                "modulpress layouts --export layouts".into(),
                "copy the built-in layouts to change the look"
            ),
        ])
    );
    ExitCode::SUCCESS
}

/// Does the module about to be written pass `check` (with the built-in layouts)? If not,
/// its problems are printed, at their place in the files it would write.
fn passes_check(dir: &Path, files: &[(&str, Vec<u8>)]) -> bool {
    use crate::bundle::{Bundle, FileBytes, Folder};
    let source = Folder {
        display: crate::bundle::display_path(dir),
        files: files
            .iter()
            .map(|(rel, bytes)| (rel.to_string(), FileBytes::from(bytes.as_slice())))
            .collect(),
        links_out: Default::default(),
    };
    let bundle = Bundle {
        source,
        layouts: Folder::builtin_layouts(),
    };
    let mut sources = crate::diag::SourceFiles::default();
    let mut diags = crate::diag::Diags::default();
    let project = crate::project::load_project(bundle, &mut sources, &mut diags);
    if let Some(project) = &project {
        crate::render::check_layouts(project, &mut diags);
    }
    if project.is_some() && !diags.has_errors() {
        return true;
    }
    diags.retain_errors();
    crate::input::print_diags(
        &sources,
        &mut diags,
        "the module `init` would write does not pass `check`; nothing was written",
    );
    false
}

/// The folder must be new or empty: init never mixes its sample with existing files.
fn check_folder(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(format!(
            "`{}` exists and is not a folder\n  = help: choose a new folder name for the module",
            dir.display()
        ));
    }
    let mut entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    if entries.next().is_some() {
        return Err(format!(
            "`{}` exists and is not empty; nothing was written\n  = help: modulpress init makes a new module folder: choose a new name, or empty this folder first",
            dir.display()
        ));
    }
    Ok(())
}

/// A module id made from the folder's name: lower case, runs of other characters as `-`.
fn id_from_folder(dir: &Path) -> Option<String> {
    let name = match dir.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        // `.` or `..`: the name of the folder it stands for.
        None => std::path::absolute(dir)
            .ok()?
            .components()
            .fold(Vec::new(), |mut parts, c| {
                match c {
                    std::path::Component::ParentDir => {
                        parts.pop();
                    }
                    std::path::Component::Normal(n) => parts.push(n.to_os_string()),
                    _ => {}
                }
                parts
            })
            .last()?
            .to_string_lossy()
            .into_owned(),
    };
    let mut id = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    (!id.is_empty()).then_some(id)
}

/// The rule `module.toml` checks, and a first character that is not `-`, so that the id
/// can follow a flag on the command line.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Fill in the template of `module.toml`; the title is written as a TOML string.
fn module_toml(template: &str, id: &str, title: &str, date: &str) -> String {
    let quoted = toml::Value::String(title.to_string()).to_string();
    template
        .replace("@ID@", id)
        .replace("@TITLE@", &quoted)
        .replace("@DATE@", date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_folder_names() {
        assert_eq!(
            id_from_folder(Path::new("modul-pkb")).as_deref(),
            Some("modul-pkb")
        );
        assert_eq!(
            id_from_folder(Path::new("/tmp/Modul K3 (2026)")).as_deref(),
            Some("modul-k3-2026")
        );
        assert_eq!(id_from_folder(Path::new("__")), None);
        assert!(id_from_folder(Path::new(".")).is_some());
    }

    #[test]
    fn ids_follow_the_module_toml_rule() {
        assert!(valid_id("pkb-2"));
        assert!(!valid_id("PKB"));
        assert!(!valid_id("-pkb"));
        assert!(!valid_id("pkb baru"));
        assert!(!valid_id(""));
    }

    #[test]
    fn titles_are_escaped_as_toml_strings() {
        let filled = module_toml(
            "id = \"@ID@\"\ntitle = @TITLE@\ndate = @DATE@\n",
            "k3",
            "K3 \"Dasar\" \\ Umum",
            "2026-01-02",
        );
        let value: toml::Value = toml::from_str(&filled).unwrap();
        assert_eq!(value["title"].as_str(), Some("K3 \"Dasar\" \\ Umum"));
        assert_eq!(value["id"].as_str(), Some("k3"));
        assert!(value["date"].is_datetime());
    }

    #[test]
    fn every_sample_module_toml_names_every_key_the_parser_accepts() {
        // Uncommenting the optional keys must give a file the parser accepts as a whole.
        for sample in [&INDONESIAN, &ENGLISH] {
            let template = sample.files[0].1;
            let filled = module_toml(template, "x", "X", "2026-01-02");
            let uncommented: String = filled
                .lines()
                .map(|l| match l.strip_prefix("# ") {
                    Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
                    _ => l,
                })
                .collect::<Vec<_>>()
                .join("\n");
            let parsed: crate::config::ModuleToml =
                toml::from_str(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
            assert!(parsed.subtitle.is_some() && parsed.series.is_some());
            assert!(parsed.edition.is_some() && !parsed.authors.is_empty());
            assert_eq!(parsed.sessions.map(|s| s.len()), Some(2));
            assert_eq!(parsed.day.len(), 1, "the sample day schedule");
        }
    }

    #[test]
    fn every_sample_module_toml_shows_every_key() {
        // serde names every field it accepts when it meets an unknown one.
        let err = toml::from_str::<crate::config::ModuleToml>("zzz = 1")
            .unwrap_err()
            .to_string();
        let expected = err.split("expected").nth(1).expect("serde lists the keys");
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        assert!(
            keys.contains(&"id") && keys.contains(&"sessions"),
            "{keys:?}"
        );
        for sample in [&INDONESIAN, &ENGLISH] {
            let template = sample.files[0].1;
            for key in &keys {
                let shown = template.lines().any(|l| {
                    let l = l.trim_start_matches("# ");
                    l.starts_with(&format!("{key} = ")) || l.starts_with(&format!("[[{key}]]"))
                });
                assert!(shown, "the sample module.toml lacks `{key}`");
            }
        }
    }
}
