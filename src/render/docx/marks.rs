//! The marks `absorb` reads back: a hidden bookmark in each paragraph of a session's
//! content (`_mp` + the block's id + the hash of the text it was built with, or `_mpx` +
//! a number + the hash of a generated line's text), and the custom document properties
//! naming the module, federation, audience and the blocks of the copy. Word and LibreOffice
//! both keep these when they save (see `docs/architecture.md`, "Block identity").

use docx_rs::{BookmarkEnd, BookmarkStart, Hyperlink, Paragraph, ParagraphChild, RunChild};

use super::Out;
use super::Writer;
use super::tree::Element;
use crate::route::flat::{block_mark, fingerprint, hash8, plain};
use crate::route::view::Block;

/// The prefix of every mark's bookmark name (a leading `_` hides a bookmark in Word).
pub const PREFIX: &str = "_mp";
/// The kind letter of a generated line's mark (a box's label, a caption).
pub const GENERATED: &str = "x";
/// The kind letter of a line of the cover, preface or imprint (not a hex digit, so never
/// the start of a block's id).
pub const FRONT: &str = "k";
/// Word keeps at most 255 characters of a custom text property.
const CHUNK: usize = 255;

impl Writer<'_> {
    /// Mark a paragraph as `block` (nothing if it has no mark).
    pub fn mark(&mut self, p: &mut Paragraph, block: &Block) {
        if let Some(id) = block_mark(block) {
            let id = id.to_string();
            self.mark_as(p, &id, &fingerprint(block));
        }
    }

    /// Wrap a paragraph's content in the bookmark `_mp{id}_{hash}`.
    pub fn mark_as(&mut self, p: &mut Paragraph, id: &str, hash: &str) {
        self.built.push(id.to_string());
        let bid = self.bookmark_id();
        let name = format!("{PREFIX}{id}_{hash}");
        p.children.insert(
            0,
            ParagraphChild::BookmarkStart(BookmarkStart::new(bid, name)),
        );
        p.children
            .push(ParagraphChild::BookmarkEnd(BookmarkEnd::new(bid)));
    }

    /// Mark every paragraph of `out` with text and no mark as generated (a box's label, a
    /// caption, a slide line): `absorb` tells them from paragraphs a person added.
    pub fn mark_generated(&mut self, out: &mut [Out]) {
        self.mark_lines(out, GENERATED);
    }

    /// Mark every paragraph of the cover, preface and imprint with text (`_mpk`): absorb
    /// tells the person that a change there is not recorded, and where to make it.
    pub fn mark_front(&mut self, out: &mut [Out]) {
        self.mark_lines(out, FRONT);
    }

    fn mark_lines(&mut self, out: &mut [Out], kind: &str) {
        for o in out {
            match o {
                Out::P(p) => self.mark_generated_paragraph(p, kind),
                Out::T(t) => self.mark_generated_table(t, kind),
            }
        }
    }

    fn mark_generated_table(&mut self, t: &mut docx_rs::Table, kind: &str) {
        use docx_rs::{TableCellContent, TableChild, TableRowChild};
        for TableChild::TableRow(row) in &mut t.rows {
            for TableRowChild::TableCell(cell) in &mut row.cells {
                for c in &mut cell.children {
                    match c {
                        TableCellContent::Paragraph(p) => self.mark_generated_paragraph(p, kind),
                        TableCellContent::Table(t) => self.mark_generated_table(t, kind),
                        _ => {}
                    }
                }
            }
        }
    }

    fn mark_generated_paragraph(&mut self, p: &mut Paragraph, kind: &str) {
        let marked = p
            .children
            .iter()
            .any(|c| matches!(c, ParagraphChild::BookmarkStart(b) if b.name.starts_with(PREFIX)));
        let text = plain(&paragraph_text(p));
        if marked || text.is_empty() {
            return;
        }
        self.generated += 1;
        let n = self.generated;
        let bid = self.bookmark_id();
        let name = format!("{PREFIX}{kind}{n}_{}", hash8(kind, &text));
        p.children.insert(
            0,
            ParagraphChild::BookmarkStart(BookmarkStart::new(bid, name)),
        );
        p.children
            .push(ParagraphChild::BookmarkEnd(BookmarkEnd::new(bid)));
    }

    /// The custom document properties: what the copy was built from.
    pub fn custom_properties(&self, module: &str) -> Vec<(String, String)> {
        let mut props = vec![
            ("modulpress.module".to_string(), module.to_string()),
            ("modulpress.federation".to_string(), self.fed.id.clone()),
            (
                "modulpress.audience".to_string(),
                self.audience.name().to_string(),
            ),
        ];
        let mut chunk = String::new();
        let mut n = 0;
        for id in &self.built {
            if chunk.len() + id.len() + 1 > CHUNK {
                n += 1;
                props.push((format!("modulpress.blocks.{n}"), std::mem::take(&mut chunk)));
            }
            if !chunk.is_empty() {
                chunk.push(' ');
            }
            chunk.push_str(id);
        }
        n += 1;
        props.push((format!("modulpress.blocks.{n}"), chunk));
        props
    }
}

/// The text of a paragraph's runs (in links too), as Word shows it.
pub fn paragraph_text(p: &Paragraph) -> String {
    fn runs(children: &[ParagraphChild], s: &mut String) {
        for c in children {
            match c {
                ParagraphChild::Run(r) => {
                    for rc in &r.children {
                        match rc {
                            RunChild::Text(t) => s.push_str(&t.text),
                            RunChild::Tab(_) => s.push('\t'),
                            RunChild::Break(_) => s.push('\n'),
                            _ => {}
                        }
                    }
                }
                ParagraphChild::Hyperlink(Hyperlink { children, .. }) => runs(children, s),
                _ => {}
            }
        }
    }
    let mut s = String::new();
    runs(&p.children, &mut s);
    // docx-rs keeps a run's text escaped for XML; absorb reads it unescaped.
    super::tree::unescape(&s)
}

/// `docProps/custom.xml`.
pub fn custom_xml(props: &[(String, String)]) -> Vec<u8> {
    let mut root = Element::new("Properties")
        .with(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        )
        .with(
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        );
    for (i, (name, value)) in props.iter().enumerate() {
        root = root.child(
            Element::new("property")
                .with("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
                .with("pid", &(i + 2).to_string())
                .with("name", name)
                .child(Element::text("vt:lpwstr", value)),
        );
    }
    super::tree::serialize(&root)
}
