//! The README.md of an exported layouts folder: what each file controls, whether it is safe
//! to edit, and how to add a federation (the text of `docs/federations.md`).

const TEMPLATE: &str = include_str!("layouts-README.md");
const FEDERATIONS: &str = include_str!("../../docs/federations.md");

/// What a group of layout files controls and how safe it is to edit.
struct Entry {
    /// Does a path (relative to the layouts folder) belong to this group?
    matches: fn(&str) -> bool,
    controls: &'static str,
    edit: &'static str,
}

const ENTRIES: &[Entry] = &[
    Entry {
        matches: |p| p == "booklet.typ",
        controls: "The Typst template of the booklets: pages, cover, table of contents, the box of each block class, tables, figures, running heads, notes pages, crop marks.",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file). `check` reports Typst errors at their line.",
    },
    Entry {
        matches: |p| p == "slides.typ",
        controls: "The Typst template of the slide decks (16:9): title slide, a divider per session with its objectives, each slide, the federation's colour and logo on branded decks.",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file). A slide too long for the page is set smaller, down to `min-size`.",
    },
    Entry {
        matches: |p| p == "handouts.typ",
        controls: "The Typst template of the slide handouts (A4): the deck's pages several to a page, ruled note lines, the facilitator's notes handout.",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file).",
    },
    Entry {
        matches: |p| p == "slide-blocks.typ",
        controls: "What sits inside a slide and its speaker notes, shared by the deck and the handouts: tables, pictures, quotations, code, links.",
        edit: "With care: restyle freely, but keep the function names and parameters; sizes are in `em`, so the same content sets large on a slide and small in a handout.",
    },
    Entry {
        matches: |p| p == "slides.toml",
        controls: "Which slide handouts a build makes (1, 2, 3 with note lines, 4 or 6 slides a page, and the notes handout).",
        edit: "Safe to edit: remove the handouts you do not want.",
    },
    Entry {
        matches: |p| p == "print.toml",
        controls: "Print production of the booklets: A5 trim size, margins, bleed, crop marks, the imposed A4 sheet and creep.",
        edit: "Safe to edit: change the values; every key must stay.",
    },
    Entry {
        matches: |p| p == "docx.toml",
        controls: "The DOCX copies: which audiences get one, paper (A4 or A5), margins, fonts and sizes.",
        edit: "Safe to edit: change the values; every key must stay.",
    },
    Entry {
        matches: |p| p == "pptx.toml",
        controls: "The editable PowerPoint decks (`slides/MOD.pptx` and one per federation): the theme's heading, body and code fonts, the text sizes, and the deck's accent, text and quiet colours. A federation's deck puts its own colour in the theme's first accent.",
        edit: "Safe to edit: change the values; every key must stay. Use fonts Office installs (Calibri, Aptos, Arial, Segoe UI, ...): another font is a warning, since a trainer's PowerPoint would show a different one.",
    },
    Entry {
        matches: |p| p.starts_with("locale/") && p.ends_with(".toml"),
        controls: "The labels every output prints for modules in that language (`lang` in module.toml): box titles, cover and imprint words, month names.",
        edit: "Safe to edit: change the texts; every key must stay.",
    },
    Entry {
        matches: |p| p.starts_with("federations/") && p.ends_with(".toml"),
        controls: "One federation's profile (its file name is the id): name, short name, logo, colour, optional preface and contact. Each profile gets its own DOCX copies.",
        edit: "Safe to edit: change, add or remove profiles (see \"Adding a federation\" below).",
    },
    Entry {
        matches: |p| {
            p.starts_with("federations/")
                && [".svg", ".png", ".jpg", ".jpeg"]
                    .iter()
                    .any(|e| p.ends_with(e))
        },
        controls: "The federations' logos, each named by its profile's `logo`. The built-in ones are plain monograms, not the federations' emblems.",
        edit: "Safe to edit: replace each with the federation's own logo.",
    },
    Entry {
        matches: |p| p.starts_with("federations/") && p.ends_with(".md"),
        controls: "A federation's preface page, named by its profile's `preface`.",
        edit: "Safe to edit: Markdown, as in the module's sessions.",
    },
    Entry {
        matches: |p| p.starts_with("fonts/") && (p.ends_with(".ttf") || p.ends_with(".otf")),
        controls: "The fonts of the booklets, and of the text in SVG pictures and logos: Noto Serif (body), Noto Sans (headings, labels), DejaVu Sans Mono (code, and signs Noto lacks).",
        edit: "With care: the template names the families; a new font needs its family name in `booklet.typ` and its licence beside it. The DOCX copies use the fonts of `docx.toml` instead.",
    },
    Entry {
        matches: |p| p.starts_with("fonts/") && p.ends_with(".txt"),
        controls: "The fonts' licences.",
        edit: "Keep them with the fonts they cover.",
    },
    Entry {
        matches: |p| p.ends_with(".md"),
        controls: "Notes for people (where the fonts come from, what they cover); modulpress does not read them.",
        edit: "Safe to edit.",
    },
];

/// The README for a layouts folder holding `files` (paths relative to it).
pub fn layouts_readme<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); ENTRIES.len()];
    let mut other = Vec::new();
    for file in files {
        match ENTRIES.iter().position(|e| (e.matches)(file)) {
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
    for (entry, files) in ENTRIES.iter().zip(&groups) {
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
                ENTRIES.iter().any(|e| (e.matches)(file)),
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
