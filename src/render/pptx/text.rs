//! Text as DrawingML paragraphs: inline runs (bold, italic, code, links, footnote marks),
//! and blocks as paragraphs with real list levels, so that PowerPoint's "Increase list
//! level" and the master's bullet styles apply. Tables and pictures are set apart for the
//! slide to place ([`Item`]).

use std::fmt::Write;

use super::package::Rels;
use super::xml::esc;
use crate::route::view::{Block, BoxKind, Inline, Table, plain_text};

/// What the text of a slide or of its notes needs to know.
pub struct Cx<'a> {
    /// The language tag of every run (`id-ID`).
    pub lang: &'static str,
    /// The monospaced font of code.
    pub mono: &'a str,
    /// Labels of the training boxes that may stand on a slide.
    pub locale: &'a crate::model::Locale,
    /// The part's relationships (hyperlinks).
    pub rels: &'a mut Rels,
    /// Footnotes met so far on this slide, shown after its text.
    pub footnotes: Vec<Vec<Block>>,
}

impl<'a> Cx<'a> {
    /// The context of one part, with no footnote met yet.
    pub fn new(
        lang: &'static str,
        mono: &'a str,
        locale: &'a crate::model::Locale,
        rels: &'a mut Rels,
    ) -> Self {
        Cx {
            lang,
            mono,
            locale,
            rels,
            footnotes: Vec::new(),
        }
    }
}

/// One thing of a slide's content, in source order.
pub enum Item<'d> {
    /// A paragraph: its XML, its length in characters and its size relative to the body
    /// text (for the height estimate).
    Para {
        xml: String,
        chars: usize,
        size: f32,
    },
    Table(&'d Table),
    Figure {
        src: &'d str,
        caption: &'d [Inline],
        width: Option<f32>,
    },
}

/// Formatting inherited by nested runs.
#[derive(Clone, Copy, Default)]
pub struct Fmt {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    /// A theme colour (`accent2`, `bg1`); `None`: the placeholder's.
    pub fill: Option<&'static str>,
    /// Hundredths of a point; `None`: the placeholder's size.
    pub size: Option<u32>,
    /// Neither bold nor in capitals, whatever the placeholder's style says.
    pub plain: bool,
}

/// The runs of `inlines` formatted `f`, appended to `out`; the number of characters they
/// show.
pub fn runs(inlines: &[Inline], f: Fmt, cx: &mut Cx, out: &mut String) -> usize {
    push_runs(inlines, f, None, cx, out)
}

fn push_runs(
    inlines: &[Inline],
    f: Fmt,
    link: Option<&str>,
    cx: &mut Cx,
    out: &mut String,
) -> usize {
    let mut chars = 0;
    for inline in inlines {
        match inline {
            Inline::Text { text } => {
                chars += text.chars().count();
                run(text, f, link, cx, out);
            }
            Inline::Code { text } => {
                chars += text.chars().count();
                run(text, Fmt { code: true, ..f }, link, cx, out);
            }
            Inline::Emph { content } => {
                chars += push_runs(content, Fmt { italic: true, ..f }, link, cx, out)
            }
            Inline::Strong { content } => {
                let strong = Fmt {
                    bold: true,
                    fill: f.fill.or(Some("accent2")),
                    ..f
                };
                chars += push_runs(content, strong, link, cx, out)
            }
            Inline::Link { url, content } => {
                let id = cx.rels.add_link(url);
                chars += push_runs(content, f, Some(&id), cx, out);
            }
            Inline::InternalLink { content, .. } => chars += push_runs(content, f, link, cx, out),
            Inline::Footnote { content } => {
                cx.footnotes.push(content.clone());
                let mark = cx.footnotes.len().to_string();
                let sup = Fmt {
                    bold: false,
                    italic: false,
                    code: false,
                    ..f
                };
                run_with(&mark, sup, None, " baseline=\"30000\"", cx, out);
            }
            Inline::LineBreak => {
                let _ = write!(
                    out,
                    "<a:br><a:rPr lang=\"{}\" dirty=\"0\"/></a:br>",
                    cx.lang
                );
            }
        }
    }
    chars
}

fn run(text: &str, f: Fmt, link: Option<&str>, cx: &Cx, out: &mut String) {
    run_with(text, f, link, "", cx, out)
}

fn run_with(text: &str, f: Fmt, link: Option<&str>, extra: &str, cx: &Cx, out: &mut String) {
    let _ = write!(out, "<a:r><a:rPr lang=\"{}\"{extra}", cx.lang);
    if let Some(sz) = f.size {
        let _ = write!(out, " sz=\"{sz}\"");
    }
    if f.bold {
        out.push_str(" b=\"1\"");
    }
    if f.italic {
        out.push_str(" i=\"1\"");
    }
    if f.plain && !f.bold {
        out.push_str(" b=\"0\" cap=\"none\"");
    }
    out.push_str(" dirty=\"0\">");
    if let Some(fill) = f.fill
        && link.is_none()
    {
        let _ = write!(
            out,
            "<a:solidFill><a:schemeClr val=\"{fill}\"/></a:solidFill>"
        );
    }
    if f.code {
        let _ = write!(out, "<a:latin typeface=\"{}\"/>", esc(cx.mono));
    }
    if let Some(id) = link {
        let _ = write!(out, "<a:hlinkClick r:id=\"{id}\"/>");
    }
    let _ = write!(out, "</a:rPr><a:t>{}</a:t></a:r>", esc(text));
}

/// How a paragraph is indented and marked.
#[derive(Clone, Copy)]
enum Mark {
    /// No bullet, flush left (at `level`'s text indent when inside a list).
    Plain {
        level: u8,
    },
    Bullet {
        level: u8,
    },
    Number {
        level: u8,
        n: u64,
    },
    /// A quotation, indented and in italics.
    Quote {
        level: u8,
    },
}

/// The paragraph properties of `mark`; the list levels' indents come from the master.
fn ppr(mark: Mark) -> String {
    match mark {
        Mark::Plain { level: 0 } => "<a:pPr marL=\"0\" indent=\"0\"><a:buNone/></a:pPr>".into(),
        Mark::Plain { level } => {
            format!(
                "<a:pPr lvl=\"{}\" indent=\"0\"><a:buNone/></a:pPr>",
                level - 1
            )
        }
        Mark::Bullet { level } => format!("<a:pPr lvl=\"{}\"/>", level.max(1) - 1),
        Mark::Number { level, n } => format!(
            "<a:pPr lvl=\"{}\"><a:buFont typeface=\"+mj-lt\"/><a:buAutoNum type=\"arabicPeriod\" startAt=\"{}\"/></a:pPr>",
            level.max(1) - 1,
            n.clamp(1, 32767)
        ),
        Mark::Quote { level } => format!(
            "<a:pPr marL=\"{}\" indent=\"0\"><a:buNone/></a:pPr>",
            457_200 + 342_900 * i64::from(level)
        ),
    }
}

fn para(mark: Mark, body: &str, cx: &Cx) -> String {
    format!(
        "<a:p>{}{body}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
        ppr(mark),
        cx.lang
    )
}

/// `blocks` as items: paragraphs, and the tables and pictures for the slide to place
/// (`visuals`; without, a table becomes lines of text and a picture its caption, as in
/// the notes). `body_pt`: the placeholder's text size, for code set smaller.
pub fn blocks<'d>(
    blocks: &'d [Block],
    visuals: bool,
    body_pt: f32,
    cx: &mut Cx,
    out: &mut Vec<Item<'d>>,
) {
    let mut w = Walk {
        visuals,
        body_pt,
        out,
    };
    w.blocks(blocks, 0, false, cx);
}

struct Walk<'o, 'd> {
    visuals: bool,
    body_pt: f32,
    out: &'o mut Vec<Item<'d>>,
}

impl<'d> Walk<'_, 'd> {
    fn push(&mut self, mark: Mark, inlines: &[Inline], f: Fmt, cx: &mut Cx) {
        let mut body = String::new();
        let chars = push_runs(inlines, f, None, cx, &mut body);
        let size = f.size.map_or(1.0, |s| s as f32 / 100.0 / self.body_pt);
        self.out.push(Item::Para {
            xml: para(mark, &body, cx),
            chars,
            size,
        });
    }

    fn blocks(&mut self, blocks: &'d [Block], level: u8, quote: bool, cx: &mut Cx) {
        for block in blocks {
            self.block(block, level, quote, cx);
        }
    }

    fn block(&mut self, block: &'d Block, level: u8, quote: bool, cx: &mut Cx) {
        let plain = if quote {
            Mark::Quote { level }
        } else {
            Mark::Plain { level }
        };
        let italic = Fmt {
            italic: quote,
            ..Fmt::default()
        };
        match block {
            Block::Paragraph { content, .. } => self.push(plain, content, italic, cx),
            Block::Heading { content, .. } => self.push(
                plain,
                content,
                Fmt {
                    bold: true,
                    ..italic
                },
                cx,
            ),
            Block::List {
                ordered,
                start,
                items,
            } => {
                let level = level + 1;
                for (k, item) in items.iter().enumerate() {
                    let mark = if *ordered {
                        Mark::Number {
                            level,
                            n: start + k as u64,
                        }
                    } else {
                        Mark::Bullet { level }
                    };
                    let mut rest: &[Block] = item;
                    match item.first() {
                        Some(Block::Paragraph { content, .. }) => {
                            self.push(mark, content, italic, cx);
                            rest = &item[1..];
                        }
                        _ => self.push(mark, &[], italic, cx),
                    }
                    self.blocks(rest, level, quote, cx);
                }
            }
            Block::Quote { content } => self.blocks(content, level, true, cx),
            Block::Code { text, .. } => {
                let size = Some((self.body_pt * 0.8 * 100.0).round() as u32);
                for line in text.trim_end().lines() {
                    let f = Fmt {
                        code: true,
                        size,
                        ..Fmt::default()
                    };
                    self.push(plain, &[Inline::text(line)], f, cx);
                }
            }
            Block::Rule => {}
            Block::Box(b) => {
                let label = match &b.kind {
                    BoxKind::Objectives | BoxKind::Facilitator => None,
                    BoxKind::Activity { title, .. } => {
                        Some((&cx.locale.activity, title.as_slice()))
                    }
                    BoxKind::Keypoints => Some((&cx.locale.keypoints, &[][..])),
                    BoxKind::Case { title } => Some((&cx.locale.case, title.as_slice())),
                    BoxKind::Worksheet { title, .. } => {
                        Some((&cx.locale.worksheet, title.as_slice()))
                    }
                };
                if let Some((label, title)) = label {
                    let mut line = vec![Inline::text(label.clone())];
                    if !title.is_empty() {
                        line.push(Inline::text(": "));
                        line.extend(title.iter().cloned());
                    }
                    let f = Fmt {
                        bold: true,
                        fill: Some("accent2"),
                        ..Fmt::default()
                    };
                    self.push(plain, &line, f, cx);
                }
                self.blocks(&b.content, level, quote, cx);
            }
            Block::Table(t) if self.visuals => self.out.push(Item::Table(t)),
            Block::Table(t) => {
                for row in std::iter::once(&t.header).chain(&t.rows) {
                    let cells: Vec<String> = row.iter().map(|c| plain_text(c)).collect();
                    self.push(plain, &[Inline::text(cells.join(" | "))], italic, cx);
                }
            }
            Block::Figure {
                src,
                caption,
                width,
                ..
            } if self.visuals => self.out.push(Item::Figure {
                src,
                caption,
                width: *width,
            }),
            Block::Figure { caption, .. } => self.push(plain, caption, italic, cx),
            // Routing leaves no slide inside a slide, and a deck has no slide lines.
            Block::Slide { .. } | Block::SlideLine { .. } => {}
        }
    }
}

/// The footnotes met so far, as small paragraphs numbered from 1, then forgotten.
pub fn footnotes<'d>(body_pt: f32, cx: &mut Cx, out: &mut Vec<Item<'d>>) {
    let notes = std::mem::take(&mut cx.footnotes);
    let size = (body_pt * 0.6 * 100.0).round() as u32;
    for (k, note) in notes.iter().enumerate() {
        let mut body = String::new();
        let f = Fmt {
            size: Some(size),
            ..Fmt::default()
        };
        run(&format!("{} ", k + 1), f, None, cx, &mut body);
        let text = plain(note);
        let chars = push_runs(&[Inline::text(text)], f, None, cx, &mut body);
        out.push(Item::Para {
            xml: para(Mark::Plain { level: 0 }, &body, cx),
            chars,
            size: 0.6,
        });
    }
}

/// Plain text of a footnote's blocks, on one line.
fn plain(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    crate::route::view::walk_blocks(blocks, &mut |b| match b {
        Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
            parts.push(plain_text(content))
        }
        Block::Code { text, .. } => parts.push(text.trim_end().to_string()),
        _ => {}
    });
    parts.join(" ")
}
