//! `paket.toml`: a series of modules built together (a *paket*): its title, publisher,
//! edition, id and module folders in order. See `docs/source-format.md`, "A paket".

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diag, Diags};
use crate::model::Span;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaketToml {
    id: Option<Spanned<String>>,
    title: Spanned<String>,
    publisher: String,
    edition: String,
    modules: Spanned<Vec<Spanned<String>>>,
}

/// The keys every `paket.toml` must have.
const REQUIRED: [&str; 4] = ["title", "publisher", "edition", "modules"];

/// What `paket.toml` says.
#[derive(Debug, Clone)]
pub struct Paket {
    /// The paket's id (`id`, else the folder's name): names `paket/ID-index.pdf`.
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub edition: String,
    /// The module folders, relative to the paket folder, in order, each with its place.
    pub modules: Vec<(String, Span)>,
}

/// Is `id` an id as module ids are (lower-case letters, digits and `-`)?
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= crate::limits::MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Read `paket.toml` (registered as `file`); `folder` is the paket folder's name, the id
/// when the file names none. A file TOML reads, with the keys it must have, gives a paket
/// even where a value is wrong (told in `diags`): its modules are read and checked too, so
/// one run tells every problem.
pub fn load_paket_toml(text: &str, file: u32, folder: &str, diags: &mut Diags) -> Option<Paket> {
    let Some(raw) = super::read_required::<PaketToml>(text, file, "paket.toml", &REQUIRED, diags)
    else {
        return modules_alone(text, file, folder);
    };
    let span_of = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let id = match &raw.id {
        Some(id) => {
            if !valid_id(id.get_ref()) {
                diags.push(
                    Diag::error(format!("paket id `{}` is not valid", id.get_ref()))
                        .at(
                            span_of(id.span()),
                            "expected lower-case letters, digits and `-`",
                        )
                        .help("the id names the package index, for example `hak-dasar`"),
                );
            }
            id.get_ref().clone()
        }
        None => {
            if !valid_id(folder) {
                diags.push(
                    Diag::error(format!(
                        "the paket folder's name `{folder}` is no valid id, and paket.toml gives none"
                    ))
                    .at(Span::new(file, 0, text.find('\n').unwrap_or(text.len())), "in this file")
                    .help("add `id = \"hak-dasar\"` (lower-case letters, digits and `-`)"),
                );
            }
            folder.to_string()
        }
    };
    if raw.title.get_ref().trim().is_empty() {
        diags.push(
            Diag::error("the paket's `title` is empty").at(span_of(raw.title.span()), "here"),
        );
    }
    let mut modules: Vec<(String, Span)> = Vec::new();
    if raw.modules.get_ref().is_empty() {
        diags.push(
            Diag::error("`modules` names no module folder")
                .at(span_of(raw.modules.span()), "empty")
                .help(
                    "list the module folders in order, for example `modules = [\"foa\", \"pkb\"]`",
                ),
        );
    }
    for m in raw.modules.get_ref() {
        let at = span_of(m.span());
        let Some(rel) = crate::bundle::normalize(m.get_ref()).filter(|r| !r.is_empty()) else {
            diags.push(
                Diag::error(format!("`{}` is not a folder inside the paket folder", m.get_ref()))
                    .at(at, "here")
                    .help("name each module folder by its path inside the paket folder, for example `foa`"),
            );
            continue;
        };
        if modules.iter().any(|(r, _)| *r == rel) {
            diags.push(
                Diag::error(format!("module folder `{rel}` is listed twice"))
                    .at(at, "again here")
                    .help("list each module once"),
            );
            continue;
        }
        modules.push((rel, at));
    }
    Some(Paket {
        id,
        title: raw.title.into_inner(),
        publisher: raw.publisher,
        edition: raw.edition,
        modules,
    })
}

/// A `paket.toml` TOML reads whose keys are wrong (a key misspelt or missing, a value of
/// another type: told already): its `modules` alone, when they are a list of folders, so
/// that the modules are read and checked in the same run. Nothing is built from it.
fn modules_alone(text: &str, file: u32, folder: &str) -> Option<Paket> {
    #[derive(Deserialize)]
    struct Modules {
        modules: Spanned<Vec<Spanned<String>>>,
    }
    let raw: Modules = toml::from_str(text).ok()?;
    let mut modules: Vec<(String, Span)> = Vec::new();
    for m in raw.modules.get_ref() {
        if let Some(rel) = crate::bundle::normalize(m.get_ref()).filter(|r| !r.is_empty())
            && !modules.iter().any(|(r, _)| *r == rel)
        {
            modules.push((rel, Span::new(file, m.span().start, m.span().end)));
        }
    }
    Some(Paket {
        id: folder.to_string(),
        title: String::new(),
        publisher: String::new(),
        edition: String::new(),
        modules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, folder: &str) -> (Option<Paket>, Vec<String>) {
        let mut diags = Diags::default();
        let p = load_paket_toml(text, 0, folder, &mut diags);
        (p, diags.list.iter().map(|d| d.message.clone()).collect())
    }

    const OK: &str =
        "title = \"T\"\npublisher = \"P\"\nedition = \"2025\"\nmodules = [\"foa\", \"./pkb/\"]\n";

    #[test]
    fn the_id_is_the_folders_name_unless_given_and_module_paths_are_normalised() {
        let (p, errors) = load(OK, "hak-dasar");
        let p = p.unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.id, "hak-dasar");
        let folders: Vec<&str> = p.modules.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(folders, ["foa", "pkb"]);
        let (p, _) = load(&format!("id = \"seri\"\n{OK}"), "Hak Dasar");
        assert_eq!(p.unwrap().id, "seri");
    }

    #[test]
    fn every_problem_is_named() {
        let (p, errors) = load("title = \"T\"\n", "x");
        assert!(p.is_none(), "no modules to read");
        assert_eq!(
            errors,
            ["paket.toml lacks `publisher`, `edition`, `modules`"]
        );
        let (_, errors) = load(&OK.replace("./pkb/", "foa"), "x");
        assert_eq!(errors, ["module folder `foa` is listed twice"]);
        let (_, errors) = load(&OK.replace("./pkb/", "../pkb"), "x");
        assert_eq!(errors, ["`../pkb` is not a folder inside the paket folder"]);
        let (_, errors) = load(OK, "Hak Dasar");
        assert!(
            errors[0].contains("`Hak Dasar` is no valid id"),
            "{errors:?}"
        );
        let (p, errors) = load(&format!("{OK}colour = 1\n"), "x");
        assert!(errors[0].contains("unknown field `colour`"), "{errors:?}");
        // Its modules are still read, so that their own problems are told in the same run.
        let folders: Vec<String> = p.unwrap().modules.into_iter().map(|(m, _)| m).collect();
        assert_eq!(folders, ["foa", "pkb"]);
        let (_, errors) = load(&OK.replace("[\"foa\", \"./pkb/\"]", "[]"), "x");
        assert_eq!(errors, ["`modules` names no module folder"]);
    }
}
