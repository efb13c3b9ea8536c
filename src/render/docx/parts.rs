//! Building docx-rs elements in place.
//!
//! docx-rs's builders take and return every element by value, and a paragraph is 2.4 KB
//! (a document 4.7 KB): chaining them copied about a gigabyte for the sixteen copies of
//! a 25,000-word module. These helpers box paragraphs once and fill them in place.

use docx_rs::{
    DocumentChild, Docx, IndentLevel, NumberingId, NumberingProperty, Paragraph, ParagraphChild,
    ParagraphStyle, Run, RunChild, RunStyle, Table, TableCell, TableCellContent, Text, WidthType,
};

use super::Out;

/// An empty paragraph in `style`.
pub fn para(style: &str) -> Box<Paragraph> {
    let mut p = Box::new(Paragraph::new());
    p.property.style = Some(ParagraphStyle::new(Some(style)));
    p
}

/// A paragraph in `style` holding `text`.
pub fn para_text(style: &str, text: &str) -> Box<Paragraph> {
    let mut p = para(style);
    if !text.is_empty() {
        push(&mut p, run(text, None));
    }
    p
}

/// A list item paragraph: `style` with numbering instance `num` at `level`.
pub fn numbered(style: &str, num: usize, level: usize) -> Box<Paragraph> {
    let mut p = para(style);
    p.property.numbering_property =
        Some(NumberingProperty::new().add_num(NumberingId::new(num), IndentLevel::new(level)));
    p.has_numbering = true;
    p
}

/// A text run with a character style, if any.
pub fn run(text: &str, style: Option<&str>) -> Run {
    let mut r = Run::new();
    if let Some(s) = style {
        r.run_property.style = Some(RunStyle::new(s));
    }
    // docx-rs drops newlines; a soft line break in the source is a space.
    r.children
        .push(RunChild::Text(Text::new(text.replace('\n', " "))));
    r
}

/// Append a run.
pub fn push(p: &mut Paragraph, r: Run) {
    p.children.push(ParagraphChild::Run(Box::new(r)));
}

/// A table cell `width` twips wide holding `content`.
pub fn cell(width: usize, content: Vec<Out>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for o in content {
        c.has_numbering |= matches!(&o, Out::P(p) if p.has_numbering);
        c.children.push(match o {
            Out::P(p) => TableCellContent::Paragraph(p),
            Out::T(t) => TableCellContent::Table(t),
        });
    }
    c
}

/// Append block content to the document body.
pub fn append(docx: &mut Docx, body: Vec<Out>) {
    let children = &mut docx.document.children;
    children.reserve(body.len());
    for o in body {
        children.push(match o {
            Out::P(p) => DocumentChild::Paragraph(p),
            Out::T(t) => DocumentChild::Table(t),
        });
    }
}

/// Box a table built with docx-rs's own builders (tables are few).
pub fn table(t: Table) -> Out {
    Out::T(Box::new(t))
}
