//! Reading a DOCX a person edited: its custom properties, and its body as paragraphs and
//! tables, each paragraph with its marks (`render/docx/marks.rs`), style name, runs (bold,
//! italic, code, links, footnote references), pictures, and whether it has formatting of
//! its own. Styles are known by name: LibreOffice renames their ids.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::route::flat::{Fmt, Seg, normalize};

/// One paragraph of the body.
#[derive(Debug, Default, Clone)]
pub struct Para {
    /// Bookmark names starting `_mp`, in order.
    pub marks: Vec<String>,
    /// The paragraph style's name ("Body Text", "heading 2").
    pub style: String,
    pub numbered: bool,
    /// Nesting level of a numbered paragraph (0 = top).
    pub level: usize,
    pub segs: Vec<Seg>,
    /// The text as shown (line breaks as `\n`, tabs as `\t`).
    pub text: String,
    /// Package paths of the pictures in it (`word/media/image1.png`).
    pub pictures: Vec<String>,
    /// The width each of them is shown at, in EMU (`wp:extent`), when given.
    pub picture_widths: Vec<Option<u64>>,
    /// The `w:id` of each footnote reference in it, in order.
    pub note_ids: Vec<String>,
    /// Fonts, colours, sizes, spacing or alignment set on the paragraph or its runs.
    pub formatting: bool,
}

/// What LibreOffice copies from a table style into a cell's paragraphs and runs.
const BAKED: &[&[u8]] = &[
    b"w:rFonts",
    b"w:sz",
    b"w:szCs",
    b"w:kern",
    b"w:spacing",
    b"w:jc",
];

/// A table: rows of cells of paragraphs and tables.
#[derive(Debug, Default, Clone)]
pub struct TableItem {
    pub rows: Vec<Vec<Vec<Item>>>,
}

impl TableItem {
    /// The first paragraph of its first cell.
    pub fn first_para(&self) -> Option<&Para> {
        match self.rows.first()?.first()?.first()? {
            Item::P(p) => Some(p),
            Item::T(t) => t.first_para(),
        }
    }
}

/// The body, in order.
#[derive(Debug, Clone)]
pub enum Item {
    P(Para),
    T(TableItem),
}

/// What absorb reads from a DOCX.
pub struct Docx {
    pub props: HashMap<String, String>,
    pub body: Vec<Item>,
    /// Comments in the document.
    pub comments: usize,
    /// Tracked changes still pending (insertions, deletions, moves, formatting).
    pub tracked: usize,
    /// Package path → bytes of every picture.
    pub media: HashMap<String, Vec<u8>>,
    /// The width of the text between the margins of its last section, in EMU.
    pub text_width: Option<u64>,
    /// Each footnote's text, by its `w:id`.
    pub footnotes: HashMap<String, String>,
}

impl Docx {
    /// Whether any paragraph still carries the bookmarks that tie it to its block: an
    /// editor that drops bookmarks (or the text pasted into a new document) leaves none.
    pub fn has_marks(&self) -> bool {
        fn any(items: &[Item]) -> bool {
            items.iter().any(|item| match item {
                Item::P(p) => !p.marks.is_empty(),
                Item::T(t) => t.rows.iter().flatten().any(|cell| any(cell)),
            })
        }
        any(&self.body)
    }
}

/// Why a file could not be read as a DOCX.
pub fn read(bytes: &[u8]) -> Result<Docx, String> {
    // Word 97–2003 (`.doc`) and other OLE files: a compound file, not a zip archive.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err("it is not a DOCX: it is a Word 97–2003 document (.doc)\n  = help: open the copy and save it as a Word Document (.docx): in Word, File → Save As → \"Word Document (.docx)\"; in LibreOffice, File → Save As → File type \"Word 2007–365 (.docx)\"".to_string());
    }
    // A booklet or a copy printed to PDF.
    if bytes.starts_with(b"%PDF") {
        return Err("it is not a DOCX: it is a PDF, which cannot be read back\n  = help: absorb reads the federation's DOCX copy (out/docx/FEDERATION/…docx), edited and saved in Word or LibreOffice".to_string());
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        // The zip crate's reason ("Could not find EOCD") says nothing to a secretary.
        .map_err(|_| {
            "it is not a DOCX (not a readable zip archive): save it again in Word as a Word Document (.docx)".to_string()
        })?;
    let mut part = |name: &str| -> Result<Option<Vec<u8>>, String> {
        match zip.by_name(name) {
            Ok(mut f) => {
                let mut v = Vec::new();
                f.read_to_end(&mut v)
                    .map_err(|e| format!("its part `{name}` cannot be read: {e}"))?;
                Ok(Some(v))
            }
            Err(zip::result::ZipError::FileNotFound) => Ok(None),
            Err(e) => Err(format!("its part `{name}` cannot be read: {e}")),
        }
    };
    let Some(document) = part("word/document.xml")? else {
        return Err(not_docx(&mut zip));
    };
    let styles = part("word/styles.xml")?.unwrap_or_default();
    let rels = part("word/_rels/document.xml.rels")?.unwrap_or_default();
    let custom = part("docProps/custom.xml")?.unwrap_or_default();
    let comments_xml = part("word/comments.xml")?.unwrap_or_default();
    let footnotes_xml = part("word/footnotes.xml")?.unwrap_or_default();
    let styles = style_names(&styles)?;
    let rels = relationships(&rels)?;
    let mut media = HashMap::new();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names.iter().filter(|n| n.starts_with("word/media/")) {
        let mut f = zip.by_name(name).map_err(|e| e.to_string())?;
        let mut v = Vec::new();
        f.read_to_end(&mut v).map_err(|e| e.to_string())?;
        media.insert(name.clone(), v);
    }
    let mut body = Body {
        styles: &styles,
        rels: &rels,
        tracked: 0,
        comment_refs: 0,
        page_width: None,
        margins: 0,
    };
    let items = body.read(&document)?;
    Ok(Docx {
        props: properties(&custom)?,
        body: items,
        comments: count(&comments_xml, b"w:comment")?.max(body.comment_refs),
        tracked: body.tracked,
        media,
        footnotes: footnote_texts(&footnotes_xml)?,
        // Twips (a twentieth of a point) to EMU.
        text_width: body
            .page_width
            .and_then(|w| w.checked_sub(body.margins))
            .filter(|w| *w > 0)
            .map(|w| w * 635),
    })
}

fn xml_err(e: impl std::fmt::Display) -> String {
    format!("its XML is broken: {e}")
}

/// The value of attribute `key` of an element.
fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A text's characters, with entity references resolved.
fn text_of(ev: &Event) -> String {
    match ev {
        Event::Text(t) => t.decode().map(|c| c.into_owned()).unwrap_or_default(),
        Event::CData(t) => String::from_utf8_lossy(t).into_owned(),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                return c.to_string();
            }
            match r.decode().as_deref() {
                Ok("amp") => "&",
                Ok("lt") => "<",
                Ok("gt") => ">",
                Ok("quot") => "\"",
                Ok("apos") => "'",
                _ => "",
            }
            .to_string()
        }
        _ => String::new(),
    }
}

/// Style id → style name.
fn style_names(xml: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut r = Reader::from_reader(xml);
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        let ev = r.read_event_into(&mut buf).map_err(xml_err)?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:style" => current = attr(e, b"w:styleId"),
                b"w:name" => {
                    if let (Some(id), Some(name)) = (&current, attr(e, b"w:val")) {
                        out.insert(id.clone(), name);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Relationship id → target.
fn relationships(xml: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut r = Reader::from_reader(xml);
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(t)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.insert(id, t);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The custom properties, name → text.
fn properties(xml: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut r = Reader::from_reader(xml);
    let mut out = HashMap::new();
    let mut name: Option<String> = None;
    let mut value = String::new();
    let mut buf = Vec::new();
    loop {
        let ev = r.read_event_into(&mut buf).map_err(xml_err)?;
        match &ev {
            Event::Start(e) if e.local_name().as_ref() == b"property" => {
                name = attr(e, b"name");
                value.clear();
            }
            Event::End(e) if e.local_name().as_ref() == b"property" => {
                if let Some(n) = name.take() {
                    out.insert(n, std::mem::take(&mut value));
                }
            }
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if name.is_some() => {
                value.push_str(&text_of(&ev))
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The text of each footnote of `footnotes.xml`, by its `w:id`.
fn footnote_texts(xml: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut r = Reader::from_reader(xml);
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut in_t = false;
    loop {
        match r.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) if e.name().as_ref() == b"w:footnote" => {
                current = Some((attr(&e, b"w:id").unwrap_or_default(), String::new()));
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
            ev @ (Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) if in_t => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&text_of(&ev));
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:footnote" => {
                if let Some((id, text)) = current.take() {
                    out.insert(id, text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn count(xml: &[u8], name: &[u8]) -> Result<usize, String> {
    let mut r = Reader::from_reader(xml);
    let mut n = 0;
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name => n += 1,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(n)
}

/// Direct paragraph properties that set a look (the look belongs to the layouts).
const LOOK_PPR: &[&[u8]] = &[b"w:spacing", b"w:ind", b"w:shd", b"w:pBdr", b"w:jc"];
/// Direct run properties that set a look; bold and italic are absorbed as emphasis.
const LOOK_RPR: &[&[u8]] = &[
    b"w:rFonts",
    b"w:sz",
    b"w:szCs",
    b"w:color",
    b"w:highlight",
    b"w:u",
    b"w:shd",
    b"w:caps",
    b"w:smallCaps",
    b"w:strike",
    b"w:dstrike",
    b"w:spacing",
    b"w:kern",
    b"w:position",
    b"w:w",
    b"w:effect",
    b"w:outline",
    b"w:shadow",
    b"w:emboss",
];

struct Body<'a> {
    styles: &'a HashMap<String, String>,
    rels: &'a HashMap<String, String>,
    tracked: usize,
    comment_refs: usize,
    /// The last section's page width and left, right and gutter margins, in twips.
    page_width: Option<u64>,
    margins: u64,
}

/// Where the reader is inside a paragraph.
#[derive(Default)]
struct ParaState {
    para: Para,
    fmt: Fmt,
    in_rpr: bool,
    in_ppr: bool,
    /// In the paragraph mark's run properties (not a run's).
    in_mark_rpr: bool,
    run_text: bool,
    field_instr: bool,
    raw: Vec<Seg>,
    /// The width of the drawing being read (`wp:extent`'s `cx`), for its picture.
    extent: Option<u64>,
}

impl Body<'_> {
    fn read(&mut self, xml: &[u8]) -> Result<Vec<Item>, String> {
        let mut r = Reader::from_reader(xml);
        let mut buf = Vec::new();
        // The stack of open tables: rows of cells of paragraphs.
        let mut tables: Vec<TableItem> = Vec::new();
        let mut out = Vec::new();
        let mut p: Option<ParaState> = None;
        let mut link: Option<String> = None;
        let mut in_body = false;
        loop {
            let ev = r.read_event_into(&mut buf).map_err(xml_err)?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    let name = e.name();
                    let name = name.as_ref();
                    match name {
                        b"w:body" => in_body = true,
                        b"w:ins" | b"w:del" | b"w:moveFrom" | b"w:moveTo" | b"w:pPrChange"
                        | b"w:rPrChange" | b"w:sectPrChange" | b"w:tblPrChange"
                        | b"w:trPrChange" | b"w:tcPrChange" | b"w:numberingChange" => {
                            self.tracked += 1
                        }
                        b"w:commentReference" => self.comment_refs += 1,
                        // A section's page: the last one is the body's.
                        b"w:pgSz" => self.page_width = attr(e, b"w:w").and_then(|w| w.parse().ok()),
                        b"w:pgMar" => {
                            let twips = |k: &[u8]| {
                                attr(e, k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
                            };
                            self.margins =
                                twips(b"w:left") + twips(b"w:right") + twips(b"w:gutter");
                        }
                        b"w:tbl" if in_body && !empty => tables.push(TableItem::default()),
                        b"w:tr" if !empty => {
                            if let Some(t) = tables.last_mut() {
                                t.rows.push(Vec::new());
                            }
                        }
                        b"w:tc" if !empty => {
                            if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                                row.push(Vec::new());
                            }
                        }
                        b"w:p" if in_body => {
                            p = Some(ParaState::default());
                            if empty {
                                self.end_para(p.take(), &mut tables, &mut out);
                            }
                        }
                        _ => {}
                    }
                    let Some(ps) = p.as_mut() else {
                        buf.clear();
                        continue;
                    };
                    match name {
                        b"w:pPr" => ps.in_ppr = !empty,
                        b"w:rPr" if !ps.in_ppr => ps.in_rpr = !empty,
                        b"w:rPr" => ps.in_mark_rpr = !empty,
                        b"w:pStyle" => {
                            let id = attr(e, b"w:val").unwrap_or_default();
                            ps.para.style = self.styles.get(&id).cloned().unwrap_or(id);
                        }
                        b"w:numPr" => ps.para.numbered = true,
                        // Word's "no numbering" over a numbered style.
                        b"w:numId" if ps.in_ppr && attr(e, b"w:val").as_deref() == Some("0") => {
                            ps.para.numbered = false
                        }
                        b"w:ilvl" if ps.in_ppr => {
                            ps.para.level =
                                attr(e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0)
                        }
                        b"w:bookmarkStart" => {
                            if let Some(n) = attr(e, b"w:name").filter(|n| n.starts_with("_mp")) {
                                ps.para.marks.push(n);
                            }
                        }
                        b"w:hyperlink" => {
                            link = attr(e, b"r:id")
                                .and_then(|id| self.rels.get(&id).cloned())
                                .or_else(|| attr(e, b"w:anchor").map(|a| format!("#{a}")));
                        }
                        b"w:r" => {
                            ps.fmt = Fmt {
                                link: link.clone(),
                                ..Fmt::default()
                            };
                        }
                        b"w:rStyle" if ps.in_rpr => {
                            let id = attr(e, b"w:val").unwrap_or_default();
                            let style = self.styles.get(&id).cloned().unwrap_or(id).to_lowercase();
                            if style.contains("strong") || style == "bold" {
                                ps.fmt.strong = true;
                            }
                            if style.contains("emphasis") || style.contains("italic") {
                                ps.fmt.emph = true;
                            }
                            if style.contains("verbatim") || style.contains("source text") {
                                ps.fmt.code = true;
                            }
                        }
                        b"w:b" if ps.in_rpr => ps.fmt.strong = on(e),
                        b"w:i" if ps.in_rpr => ps.fmt.emph = on(e),
                        b"w:t" => ps.run_text = !empty,
                        b"w:instrText" => ps.field_instr = !empty,
                        b"w:tab" if !ps.in_ppr => push(ps, "\t"),
                        b"w:br" | b"w:cr" => push(ps, "\n"),
                        b"w:footnoteReference" => {
                            ps.para.note_ids.push(attr(e, b"w:id").unwrap_or_default());
                            ps.raw.push(Seg {
                                text: String::new(),
                                fmt: Fmt {
                                    note: true,
                                    ..Fmt::default()
                                },
                            });
                        }
                        b"wp:extent" => ps.extent = attr(e, b"cx").and_then(|v| v.parse().ok()),
                        b"a:blip" => {
                            if let Some(t) = attr(e, b"r:embed").and_then(|id| self.rels.get(&id)) {
                                ps.para.pictures.push(format!(
                                    "word/{}",
                                    t.trim_start_matches('/').trim_start_matches("word/")
                                ));
                                ps.para.picture_widths.push(ps.extent.take());
                            }
                        }
                        other => {
                            // LibreOffice writes a table style's fonts, sizes, spacing and
                            // alignment into each cell's paragraphs and runs: in a table,
                            // only what no table style sets counts.
                            let baked = !tables.is_empty() && BAKED.contains(&other);
                            let ppr = ps.in_ppr && !ps.in_mark_rpr && LOOK_PPR.contains(&other);
                            if !baked && (ppr || ps.in_rpr && LOOK_RPR.contains(&other)) {
                                ps.para.formatting = true;
                            }
                        }
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    b"w:body" => in_body = false,
                    b"w:p" => self.end_para(p.take(), &mut tables, &mut out),
                    b"w:tbl" => {
                        if let Some(t) = tables.pop() {
                            match tables
                                .last_mut()
                                .and_then(|t| t.rows.last_mut())
                                .and_then(|r| r.last_mut())
                            {
                                Some(cell) => cell.push(Item::T(t)),
                                None => out.push(Item::T(t)),
                            }
                        }
                    }
                    b"w:hyperlink" => link = None,
                    name => {
                        if let Some(ps) = p.as_mut() {
                            match name {
                                b"w:pPr" => ps.in_ppr = false,
                                b"w:rPr" => {
                                    ps.in_rpr = false;
                                    ps.in_mark_rpr = false;
                                }
                                b"w:t" => ps.run_text = false,
                                b"w:instrText" => ps.field_instr = false,
                                _ => {}
                            }
                        }
                    }
                },
                Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                    if let Some(ps) = p.as_mut()
                        && ps.run_text
                    {
                        let t = text_of(&ev);
                        push(ps, &t);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(out)
    }

    fn end_para(&self, ps: Option<ParaState>, tables: &mut [TableItem], out: &mut Vec<Item>) {
        let Some(mut ps) = ps else {
            return;
        };
        ps.para.segs = normalize(std::mem::take(&mut ps.raw));
        match tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            Some(cell) => cell.push(Item::P(ps.para)),
            None => out.push(Item::P(ps.para)),
        }
    }
}

/// Is a toggle property (`<w:b/>`, `<w:b w:val="0"/>`) on?
fn on(e: &BytesStart) -> bool {
    !matches!(attr(e, b"w:val").as_deref(), Some("0" | "false" | "off"))
}

fn push(ps: &mut ParaState, text: &str) {
    ps.para.text.push_str(text);
    let (text, fmt) = if text == "\n" {
        (crate::route::flat::BREAK, Fmt::default())
    } else {
        (text, ps.fmt.clone())
    };
    ps.raw.push(Seg {
        text: text.to_string(),
        fmt,
    });
}

/// Why a zip archive without `word/document.xml` is not a DOCX, said as its maker's format
/// (LibreOffice's ODT, a PowerPoint deck, an Excel sheet) with the way back to a DOCX.
fn not_docx<R: std::io::Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> String {
    let mimetype = zip
        .by_name("mimetype")
        .ok()
        .and_then(|mut f| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).ok()?;
            Some(s)
        })
        .unwrap_or_default();
    let has = |name: &str| zip.file_names().any(|n| n.starts_with(name));
    const SAVE_AS: &str = "open the copy and save it as a Word Document (.docx): in LibreOffice, File → Save As → File type \"Word 2007–365 (.docx)\"; in Word, File → Save As → \"Word Document (.docx)\"";
    let (what, help) = if mimetype.contains("opendocument.text") {
        (
            "an OpenDocument text (.odt), as LibreOffice saves by default",
            SAVE_AS,
        )
    } else if has("ppt/") {
        (
            "a PowerPoint deck",
            "absorb reads the federation's DOCX copies (out/docx/ID/…); a deck's text comes from the slide blocks of the sessions: change it there",
        )
    } else if mimetype.contains("opendocument") {
        ("an OpenDocument file, not a text document", SAVE_AS)
    } else if has("xl/") {
        ("an Excel workbook", SAVE_AS)
    } else {
        ("a zip archive without a Word document inside", SAVE_AS)
    };
    format!("it is not a DOCX: it is {what}\n  = help: {help}")
}
