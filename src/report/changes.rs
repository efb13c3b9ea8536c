//! The report's section "Changes since edition N" (`build --since`): per session, the
//! paragraphs, headings, list items and table rows added, changed and removed, with their
//! source lines, from the publisher's document views of both audiences compared
//! (`crate::edition`). `report.json` carries the same facts under `changes`.
//!
//! The booklets' pages part of the section (pages whose content changed, page counts, the
//! imposition's sheets) is the other half of issue 22: it goes where [`section`] says.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::edition::{BlockDiff, ItemDiff, Op, RowDiff, SessionDiff};
use crate::model::Audience;
use crate::project::{Project, Since};
use crate::route::Target;
use crate::route::view::{Block, Inline, plain_text, walk_blocks};

/// What changed since the earlier edition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Changes {
    /// The earlier edition as `--since` named it (a folder, or `git:REV`).
    pub since: String,
    /// Its `edition` in module.toml, else its date.
    pub edition: String,
    /// The sessions with a change, in the new edition's order.
    pub sessions: Vec<SessionChanges>,
    /// Each booklet's pages against the earlier edition's (`pages.rs`), when booklets are
    /// among the outputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booklets: Vec<super::pages::BookletPages>,
}

/// One session's changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionChanges {
    pub id: String,
    /// Its file in the new edition (the old one's for a removed session).
    pub file: String,
    pub title: String,
    /// `added`, `removed`, or `changed`.
    pub status: String,
    pub changes: Vec<Change>,
}

/// One paragraph (heading, list item, table row…) added, changed or removed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    /// `added`, `changed` or `removed`.
    pub change: String,
    /// `paragraph`, `heading`, `list item`, `table row`, `table`, `picture`, `code`, `slide`.
    pub block: String,
    /// Its text in the new edition (the old edition's for a removed one).
    pub text: String,
    /// Its text in the old edition, for a changed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    /// Its line in the new edition's session file (a removed one: in the old edition's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// The changes of `project` since `since`: the publisher's document views of both
/// audiences compared, each change once.
pub fn changes(project: &Project, since: &Since) -> Changes {
    let mut sessions: Vec<SessionChanges> = Vec::new();
    let old = &since.project;
    for audience in Audience::ALL {
        let target = Target::Document(audience);
        let new_view = project.view(target, None);
        let old_view = old.view(target, None);
        for d in crate::edition::compare(&old_view, &new_view) {
            if !d.changed() {
                continue;
            }
            let s = session(project, old, &d);
            match sessions.iter_mut().find(|x| x.id == s.id) {
                Some(x) => {
                    for c in s.changes {
                        if !x.changes.contains(&c) {
                            x.changes.push(c);
                        }
                    }
                }
                None => sessions.push(s),
            }
        }
    }
    // In the new edition's order (removed sessions last).
    let order = |id: &str| {
        project
            .module
            .sessions
            .iter()
            .position(|s| s.id == id)
            .unwrap_or(usize::MAX)
    };
    sessions.sort_by_key(|s| order(&s.id));
    Changes {
        since: since.name.clone(),
        edition: since.edition(),
        sessions,
        booklets: Vec::new(),
    }
}

fn session(project: &Project, old: &Project, d: &SessionDiff) -> SessionChanges {
    let (file, title) = match (&d.new, &d.old) {
        (Some(s), _) | (None, Some(s)) => (s.file.clone(), plain_text(&s.title)),
        (None, None) => (String::new(), String::new()),
    };
    let status = match d.op() {
        Op::Added => "added",
        Op::Removed => "removed",
        Op::Same => "changed",
    };
    let new_text = project.bundle.source.text(&file).unwrap_or_default();
    let old_file = d.old.as_ref().map_or(file.clone(), |s| s.file.clone());
    let old_text = old.bundle.source.text(&old_file).unwrap_or_default();
    let mut out = Vec::new();
    let mut c = Collect {
        new: &new_text,
        old: &old_text,
        out: &mut out,
    };
    if d.title.iter().any(|p| p.op != Op::Same) {
        let before: Vec<Inline> = d
            .title
            .iter()
            .filter(|p| p.op != Op::Added)
            .flat_map(|p| p.content.clone())
            .collect();
        c.changed(
            "heading",
            &before,
            &d.new.as_ref().map(|s| s.title.clone()).unwrap_or_default(),
        );
    }
    if d.op() == Op::Same {
        c.diffs(&d.blocks);
    }
    SessionChanges {
        id: d.id.clone(),
        file,
        title,
        status: status.into(),
        changes: out,
    }
}

/// Changes collected from a session's compared blocks.
struct Collect<'a> {
    new: &'a str,
    old: &'a str,
    out: &'a mut Vec<Change>,
}

impl Collect<'_> {
    fn diffs(&mut self, diffs: &[BlockDiff]) {
        for d in diffs {
            match d {
                BlockDiff::Same(_) => {}
                BlockDiff::Added(b) => self.whole("added", b),
                BlockDiff::Removed(b) => self.whole("removed", b),
                BlockDiff::Text { old, new, .. } => {
                    let (kind, o) = text_of(old);
                    let (_, n) = text_of(new);
                    self.changed(kind, &o, &n);
                }
                BlockDiff::List { items, .. } => {
                    for i in items {
                        match i {
                            ItemDiff::Same(_) => {}
                            ItemDiff::Added(b) => self.item("added", b),
                            ItemDiff::Removed(b) => self.item("removed", b),
                            ItemDiff::Changed(d) => self.diffs(d),
                        }
                    }
                }
                BlockDiff::Table { new, header, rows } => {
                    if header.iter().flatten().any(|p| p.op != Op::Same) {
                        self.push("changed", "table row", row(&new.header), None);
                    }
                    for r in rows {
                        match r {
                            RowDiff::Same(_) => {}
                            RowDiff::Added(cells) => {
                                self.push("added", "table row", row(cells), None)
                            }
                            RowDiff::Removed(cells) => {
                                self.push("removed", "table row", row(cells), None)
                            }
                            RowDiff::Changed(cells) => {
                                let side = |keep: Op| {
                                    cells
                                        .iter()
                                        .map(|c| {
                                            c.iter()
                                                .filter(|p| p.op == Op::Same || p.op == keep)
                                                .map(|p| plain_text(&p.content))
                                                .collect::<String>()
                                        })
                                        .collect::<Vec<_>>()
                                        .join(" | ")
                                };
                                let (o, n) = (side(Op::Removed), side(Op::Added));
                                self.push("changed", "table row", n, Some(o));
                            }
                        }
                    }
                }
                BlockDiff::Nested { content, .. } => self.diffs(content),
            }
        }
    }

    fn item(&mut self, change: &str, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Paragraph { content, .. } => {
                    self.push(change, "list item", plain_text(content), None)
                }
                other => self.whole(change, other),
            }
        }
    }

    /// Every text-holding block of a block added or removed.
    fn whole(&mut self, change: &str, block: &Block) {
        walk_blocks(std::slice::from_ref(block), &mut |b| {
            let (kind, text) = match b {
                Block::Paragraph { content, .. } => ("paragraph", plain_text(content)),
                Block::Heading { content, .. } => ("heading", plain_text(content)),
                Block::Table(t) => ("table", row(&t.header)),
                Block::Figure { caption, src, .. } => ("picture", {
                    let c = plain_text(caption);
                    if c.is_empty() { src.clone() } else { c }
                }),
                Block::Code { text, .. } => ("code", text.lines().next().unwrap_or("").to_string()),
                Block::SlideLine { title, .. } | Block::Slide { title, .. } => {
                    ("slide", plain_text(title))
                }
                Block::List { .. } | Block::Quote { .. } | Block::Box(_) | Block::Rule => return,
            };
            let line = if change == "removed" {
                find_line(self.old, &text)
            } else {
                find_line(self.new, &text)
            };
            self.out.push(Change {
                change: change.into(),
                block: kind.into(),
                text,
                old_text: None,
                line,
            });
        });
    }

    fn changed(&mut self, kind: &str, old: &[Inline], new: &[Inline]) {
        self.push("changed", kind, plain_text(new), Some(plain_text(old)));
    }

    fn push(&mut self, change: &str, kind: &str, text: String, old_text: Option<String>) {
        let line = if change == "removed" {
            find_line(self.old, &text)
        } else {
            find_line(self.new, &text)
        };
        let c = Change {
            change: change.into(),
            block: kind.into(),
            text,
            old_text,
            line,
        };
        if !self.out.contains(&c) {
            self.out.push(c);
        }
    }
}

fn text_of(b: &Block) -> (&'static str, Vec<Inline>) {
    match b {
        Block::Heading { content, .. } => ("heading", content.clone()),
        Block::Paragraph { content, .. } => ("paragraph", content.clone()),
        _ => ("paragraph", Vec::new()),
    }
}

fn row(cells: &[Vec<Inline>]) -> String {
    cells
        .iter()
        .map(|c| plain_text(c))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Letters and digits of a text, lower case, words one space apart: Markdown's marks
/// and typographic quotes aside, a source line and its routed text compare.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The line of `source` (1 = first) where a block with `text` starts: the first line
/// that, with the next, holds its first words.
pub fn find_line(source: &str, text: &str) -> Option<usize> {
    let want: Vec<String> = words(text).into_iter().take(4).collect();
    if want.is_empty() {
        return None;
    }
    let lines: Vec<Vec<String>> = source.lines().map(words).collect();
    (0..lines.len()).find_map(|i| {
        let mut near = lines[i].clone();
        if let Some(next) = lines.get(i + 1) {
            near.extend(next.iter().cloned());
        }
        // The words start on this line (a list item's or a table row's after its marks).
        (0..lines[i].len())
            .any(|p| near[p..].starts_with(&want))
            .then_some(i + 1)
    })
}

/// The section in the HTML report; `suffix` makes its ids unique among a paket's modules
/// (`""` for a module alone, `-ID` in a paket's report).
pub fn section(
    h: &mut String,
    suffix: &str,
    c: &Changes,
    pages: &[&super::pages::PagesEntry],
    esc: &dyn Fn(&str) -> String,
) {
    let _ = write!(
        h,
        "<section class=\"card\" id=\"changes{suffix}\"><h2>Changes since edition {}</h2><p class=\"sub\">compared with <code>{}</code></p>",
        esc(&c.edition),
        esc(&c.since)
    );
    if c.sessions.is_empty() {
        h.push_str("<p>No change: this edition's text is the earlier edition's.</p>\n");
    }
    for s in &c.sessions {
        let _ = write!(
            h,
            "<h3>{} <code>{}</code> ({})</h3><ul>",
            esc(&s.title),
            esc(&s.file),
            esc(&s.status)
        );
        for ch in &s.changes {
            let line = ch
                .line
                .map(|l| {
                    let which = if ch.change == "removed" { "old " } else { "" };
                    format!(" <code>{which}line {l}</code>")
                })
                .unwrap_or_default();
            // A changed one: its words as the new edition has them, those added and
            // removed marked, so that a changed word shows in a long paragraph.
            let text = match &ch.old_text {
                Some(old) => marked_words(old, &ch.text, esc),
                None => esc(&ch.text),
            };
            let _ = write!(
                h,
                "<li class=\"{}\"><b>{} {}</b>{line}: {text}</li>",
                esc(&ch.change),
                esc(&ch.change),
                esc(&ch.block),
            );
        }
        h.push_str("</ul>\n");
    }
    // The booklets' pages: the pages whose content changed, with old and new thumbnails,
    // the page counts and the imposition's sheets (`pages.rs`).
    if !pages.is_empty() {
        let _ = writeln!(
            h,
            "<h3 id=\"changes-pages{suffix}\">Booklet pages</h3><p class=\"sub\">Pages are paired by number, \
             as printed: a page is changed when its text (its lines, pictures included) differs \
             from the earlier edition's page of the same number; text that moved to another \
             page changes both. On each thumbnail the lines that differ are marked in yellow.</p>",
        );
        super::pages::html(h, pages);
    }
    h.push_str("</section>\n");
}

/// `new` with the words `old` had and it lacks in `<del>`, and those it adds in `<ins>`.
fn marked_words(old: &str, new: &str, esc: &dyn Fn(&str) -> String) -> String {
    let split = |t: &str| -> Vec<String> {
        t.split_inclusive(char::is_whitespace)
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (split(old), split(new));
    let mut out = String::new();
    let mut open: Option<&str> = None;
    for (op, i, j) in crate::edition::align::align(&a, &b) {
        let (tag, word) = match op {
            crate::edition::align::Op::Same => (None, &b[j]),
            crate::edition::align::Op::Added => (Some("ins"), &b[j]),
            crate::edition::align::Op::Removed => (Some("del"), &a[i]),
        };
        if open != tag {
            if let Some(t) = open {
                out.push_str(&format!("</{t}>"));
            }
            if let Some(t) = tag {
                out.push_str(&format!("<{t}>"));
            }
            open = tag;
        }
        out.push_str(&esc(word));
    }
    if let Some(t) = open {
        out.push_str(&format!("</{t}>"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_paragraph_marks_its_changed_word() {
        let esc = |s: &str| s.replace('<', "&lt;");
        assert_eq!(
            marked_words("Ini dapat dilakukan.", "Ini mudah dilakukan.", &esc),
            "Ini <del>dapat </del><ins>mudah </ins>dilakukan."
        );
    }

    #[test]
    fn finds_the_line_a_paragraph_starts_on() {
        let src = "# S {#s}\n\nSatu dua tiga\nempat lima.\n\n- *Butir* pertama di sini\n";
        assert_eq!(find_line(src, "Satu dua tiga empat lima."), Some(3));
        assert_eq!(find_line(src, "Butir pertama di sini"), Some(6));
        assert_eq!(find_line(src, "tidak ada"), None);
    }
}
