//! The README.md of an exported layouts folder: what each file controls, whether it is safe
//! to edit, and how to add a federation (the text of `docs/federations.md`).

const TEMPLATE: &str = include_str!("layouts-README.md");
const FEDERATIONS: &str = include_str!("../../docs/federations.md");

/// What a group of layout files controls and how safe it is to edit.
struct Entry {
    /// Does a path (relative to the layouts folder) belong to this group?
    matches: Match,
    controls: &'static str,
    edit: &'static str,
}

/// Which files an entry is about.
enum Match {
    /// One file a backend reads.
    File(&'static str),
    /// The files a rule accepts.
    Rule(fn(&str) -> bool),
}

impl Entry {
    fn matches(&self, path: &str) -> bool {
        match self.matches {
            Match::File(file) => file == path,
            Match::Rule(rule) => rule(path),
        }
    }
}

/// The entries: each backend's templates and settings (as it declares them), then the
/// files every backend shares.
fn entries() -> Vec<Entry> {
    let backends = crate::render::BACKENDS.iter().flat_map(|b| b.layouts());
    backends
        .map(|f| Entry {
            matches: Match::File(f.path),
            controls: f.controls,
            edit: f.edit,
        })
        .chain(SHARED.iter().map(|e| Entry {
            matches: Match::Rule(e.0),
            controls: e.1,
            edit: e.2,
        }))
        .collect()
}

/// The files every backend shares: which, what they control, how safe to edit.
type Shared = (fn(&str) -> bool, &'static str, &'static str);

const SHARED: &[Shared] = &[
    (
        |p| p.starts_with("locale/") && p.ends_with(".toml"),
        "The labels every output prints for modules in that language (`lang` in module.toml): box titles, cover and imprint words, month names.",
        "Safe to edit: change the texts; every key must stay.",
    ),
    (
        |p| p.starts_with("federations/") && p.ends_with(".toml"),
        "One federation's profile (its file name is the id): name, short name, logo, colour, optional preface and contact. Each profile gets its own DOCX copies.",
        "Safe to edit: change, add or remove profiles (see \"Adding a federation\" below).",
    ),
    (
        |p| {
            p.starts_with("federations/")
                && [".svg", ".png", ".jpg", ".jpeg"]
                    .iter()
                    .any(|e| p.ends_with(e))
        },
        "The federations' logos, each named by its profile's `logo`. The built-in ones are plain monograms, not the federations' emblems.",
        "Safe to edit: replace each with the federation's own logo.",
    ),
    (
        |p| p.starts_with("federations/") && p.ends_with(".md"),
        "A federation's preface page, named by its profile's `preface`.",
        "Safe to edit: Markdown, as in the module's sessions.",
    ),
    (
        |p| p.starts_with("fonts/") && (p.ends_with(".ttf") || p.ends_with(".otf")),
        "The fonts of the booklets, and of the text in SVG pictures and logos: Noto Serif (body), Noto Sans (headings, labels), DejaVu Sans Mono (code, and signs Noto lacks).",
        "With care: the template names the families; a new font needs its family name in `booklet.typ` and its licence beside it. The DOCX copies use the fonts of `docx.toml` instead.",
    ),
    (
        |p| p.starts_with("fonts/") && p.ends_with(".txt"),
        "The fonts' licences.",
        "Keep them with the fonts they cover.",
    ),
    (
        |p| p.ends_with(".md"),
        "Notes for people (where the fonts come from, what they cover); modulpress does not read them.",
        "Safe to edit.",
    ),
];

/// The README for a layouts folder holding `files` (paths relative to it).
pub fn layouts_readme<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let entries = entries();
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); entries.len()];
    let mut other = Vec::new();
    for file in files {
        match entries.iter().position(|e| e.matches(file)) {
            Some(i) => groups[i].push(file),
            None => other.push(file),
        }
    }
    let mut table = String::from("| files | what they control | editing |\n|---|---|---|\n");
    let row = |files: &[&str]| {
        files
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (entry, files) in entries.iter().zip(&groups) {
        if !files.is_empty() {
            table.push_str(&format!(
                "| {} | {} | {} |\n",
                row(files),
                entry.controls,
                entry.edit
            ));
        }
    }
    if !other.is_empty() {
        table.push_str(&format!(
            "| {} | Read by modulpress as part of the layouts. | With care. |\n",
            row(&other)
        ));
    }
    TEMPLATE
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@FILES@", table.trim_end())
        .replace("@FEDERATIONS@", &demote_headings(FEDERATIONS))
}

/// Markdown headings one level deeper (outside fenced code), so that a document can stand
/// as a section of another.
fn demote_headings(text: &str) -> String {
    let mut fenced = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_layout_file_is_described() {
        let builtin = crate::bundle::Folder::builtin_layouts();
        for file in builtin.files.keys() {
            assert!(
                entries().iter().any(|e| e.matches(file)),
                "README.md of an exported layouts folder does not say what `{file}` controls: add an entry in src/scaffold/readme.rs"
            );
        }
    }

    #[test]
    fn the_readme_lists_every_file_and_says_how_to_add_a_federation() {
        let builtin = crate::bundle::Folder::builtin_layouts();
        let readme = layouts_readme(builtin.files.keys().map(String::as_str));
        for file in builtin.files.keys() {
            assert!(readme.contains(&format!("`{file}`")), "{file} missing");
        }
        assert!(readme.contains("## Adding a federation"));
        assert!(readme.contains("### 2. Write the profile"));
        // Code keeps its comments: `#` lines inside fences are not headings.
        assert!(!readme.contains("##### "));
        assert!(!readme.contains('@'), "a template marker was left");
    }
}
