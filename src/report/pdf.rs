//! What a print shop's preflight reads from a finished PDF: page boxes, fonts, colour spaces
//! and every placed image with its effective resolution, read back from the bytes with
//! lopdf (the same numbers as pdfinfo, pdffonts and `pdfimages -list`).

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::{Deserialize, Serialize};

const PT_PER_MM: f64 = 72.0 / 25.4;

/// The facts of one PDF.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct PdfFacts {
    pub pages: u32,
    /// First page's boxes in millimetres: `[width, height]`.
    pub media_mm: [f64; 2],
    pub trim_mm: Option<[f64; 2]>,
    /// Bleed past the trim on each side, from the first page's BleedBox and TrimBox.
    pub bleed_mm: Option<f64>,
    pub pages_with_trim_box: u32,
    pub pages_with_bleed_box: u32,
    pub fonts: Vec<Font>,
    /// Colour spaces used for drawing and images (`DeviceGray`, `DeviceCMYK`, `ICC RGB`, …).
    pub colour_spaces: Vec<String>,
    /// What is drawn in RGB: pictures by page, and vector colour.
    pub rgb: Vec<String>,
    /// Text that is black or grey but not on the black plate alone (DeviceCMYK with no
    /// cyan, magenta or yellow), by how it is set and on which pages: `grey (ICC Gray) on
    /// page 17`, `four-colour black on pages 3–4`. Empty: all black and grey text is K.
    /// `None`: not looked at (facts a build before this check read back).
    #[serde(default)]
    pub text_not_k: Option<Vec<String>>,
    pub images: Vec<Image>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Font {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub embedded: bool,
    pub subset: bool,
}

/// One placed image (an image drawn twice is listed twice, as `pdfimages -list` does).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Image {
    pub page: u32,
    pub width: i64,
    pub height: i64,
    pub colour: String,
    pub x_ppi: f64,
    pub y_ppi: f64,
    pub printed_mm: [f64; 2],
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn rect(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<[f64; 4]> {
    let o = dict.get(key).ok()?;
    let o = doc.dereference(o).ok()?.1;
    let a = o.as_array().ok()?;
    let v: Vec<f64> = a.iter().filter_map(num).collect();
    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
}

fn size_mm(r: [f64; 4]) -> [f64; 2] {
    [
        round1((r[2] - r[0]) / PT_PER_MM),
        round1((r[3] - r[1]) / PT_PER_MM),
    ]
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, d.get(key).ok()?).as_dict().ok()
}

type Matrix = [f64; 6];

fn mul(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// The name of a colour space object: `DeviceRGB`, `ICC RGB`, `Indexed ICC RGB`, ….
fn colour_name(doc: &Document, cs: &Object) -> String {
    match deref(doc, cs) {
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::Array(a) => {
            let head = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"?");
            match head {
                b"ICCBased" => {
                    let n = a
                        .get(1)
                        .and_then(|o| deref(doc, o).as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").ok().and_then(num))
                        .unwrap_or(0.0);
                    match n as i64 {
                        1 => "ICC Gray".into(),
                        3 => "ICC RGB".into(),
                        4 => "ICC CMYK".into(),
                        _ => "ICC".into(),
                    }
                }
                b"Indexed" => format!(
                    "Indexed {}",
                    a.get(1).map_or("?".into(), |b| colour_name(doc, b))
                ),
                other => String::from_utf8_lossy(other).into_owned(),
            }
        }
        _ => "?".into(),
    }
}

fn is_rgb(name: &str) -> bool {
    name.contains("RGB")
}

/// The colour text is filled with, as far as the black plate is concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fill {
    /// On the black plate alone, or a colour of the template: nothing to say.
    Fine,
    /// Black or grey in a grey colour space (DeviceGray, an ICC grey), or in RGB: how a
    /// print shop's conversion sets it is up to the shop.
    NotK,
    /// Black on all four plates.
    FourColourBlack,
}

/// How a fill of `comps` in the colour space `space` (as `colour_name` names it) prints.
fn fill_of(space: &str, comps: &[f64]) -> Fill {
    match comps {
        [c, m, y, k] if space.contains("CMYK") => {
            if *k >= 0.8 && *c > 0.0 && *m > 0.0 && *y > 0.0 {
                Fill::FourColourBlack
            } else {
                Fill::Fine
            }
        }
        [_] if space.contains("Gray") => Fill::NotK,
        [r, g, b] if is_rgb(space) && (r - g).abs() < 0.02 && (g - b).abs() < 0.02 => Fill::NotK,
        _ => Fill::Fine,
    }
}

struct Walker<'a> {
    doc: &'a Document,
    facts: PdfFacts,
    fonts: BTreeSet<Font>,
    seen_fonts: BTreeSet<ObjectId>,
    spaces: BTreeSet<String>,
    rgb: BTreeMap<String, ()>,
    rgb_pages: BTreeSet<u32>,
    /// Pages with text in each of the fills that are not K: (how it is set, pages).
    not_k: BTreeMap<String, BTreeSet<u32>>,
}

impl Walker<'_> {
    fn fonts(&mut self, resources: &Dictionary) {
        let doc = self.doc;
        let Some(fonts) = dict(doc, resources, b"Font") else {
            return;
        };
        for (_, f) in fonts.iter() {
            if let Object::Reference(id) = f
                && !self.seen_fonts.insert(*id)
            {
                continue;
            }
            let Ok(font) = deref(doc, f).as_dict() else {
                continue;
            };
            let name = font
                .get(b"BaseFont")
                .ok()
                .and_then(|n| n.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_else(|| "[none]".into());
            let subtype = font
                .get(b"Subtype")
                .ok()
                .and_then(|n| n.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            // Type 0 fonts keep their descriptor in the descendant font.
            let described = if subtype == "Type0" {
                font.get(b"DescendantFonts")
                    .ok()
                    .and_then(|d| deref(doc, d).as_array().ok())
                    .and_then(|a| a.first())
                    .and_then(|d| deref(doc, d).as_dict().ok())
            } else {
                Some(font)
            };
            let embedded = subtype == "Type3"
                || described
                    .and_then(|d| dict(doc, d, b"FontDescriptor"))
                    .is_some_and(|fd| {
                        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                            .iter()
                            .any(|k| fd.has(k))
                    });
            let subset = name.len() > 7
                && name.as_bytes()[6] == b'+'
                && name[..6].bytes().all(|b| b.is_ascii_uppercase());
            self.fonts.insert(Font {
                name,
                kind: subtype,
                embedded,
                subset,
            });
        }
    }

    /// Walk a content stream with its resources under the matrix `ctm`.
    /// `fill`: the text fill the stream starts with (a form's, its caller's at `Do`).
    fn content(
        &mut self,
        page: u32,
        bytes: &[u8],
        resources: &Dictionary,
        ctm: Matrix,
        fill: (Fill, String),
        depth: u32,
    ) {
        let doc = self.doc;
        self.fonts(resources);
        if let Some(spaces) = dict(doc, resources, b"ColorSpace") {
            for (_, cs) in spaces.iter() {
                let n = colour_name(doc, cs);
                self.spaces.insert(n);
            }
        }
        let xobjects = dict(doc, resources, b"XObject");
        let mut stack = vec![ctm];
        // The text fill, and the fill colour space (`cs`), saved and restored with the
        // matrix: (fill, space).
        let mut fills: Vec<(Fill, String)> = vec![fill];
        let mut vector_rgb = false;
        let numeric: &[&[u8]] = &[b"cm", b"k", b"g", b"rg", b"sc", b"scn"];
        super::scan::operators(bytes, numeric, |op, nums, name| {
            let m = *stack.last().unwrap_or(&IDENTITY);
            let fill = fills.last_mut().expect("the bottom fill stays");
            // A device colour sets the fill's space too.
            let mut device = |space: &str| *fill = (fill_of(space, nums), space.to_string());
            match op {
                b"k" => device("DeviceCMYK"),
                b"g" => device("DeviceGray"),
                b"rg" => device("DeviceRGB"),
                b"sc" | b"scn" => fill.0 = fill_of(&fill.1, nums),
                b"Tj" | b"TJ" | b"'" | b"\"" if fill.0 != Fill::Fine => {
                    let how = match fill.0 {
                        Fill::FourColourBlack => "four-colour black".to_string(),
                        _ => format!("black or grey in {}", fill.1),
                    };
                    self.not_k.entry(how).or_default().insert(page);
                }
                _ => {}
            }
            match op {
                b"q" => {
                    stack.push(m);
                    let top = fills.last().cloned().expect("the bottom fill stays");
                    fills.push(top);
                }
                b"Q" if stack.len() > 1 => {
                    stack.pop();
                    if fills.len() > 1 {
                        fills.pop();
                    }
                }
                b"cm" => {
                    if let ([a, b, c, d, e, f], Some(top)) = (nums, stack.last_mut()) {
                        *top = mul([*a, *b, *c, *d, *e, *f], m);
                    }
                }
                b"rg" | b"RG" => {
                    self.spaces.insert("DeviceRGB".into());
                    vector_rgb = true;
                }
                b"k" | b"K" => {
                    self.spaces.insert("DeviceCMYK".into());
                }
                b"g" | b"G" => {
                    self.spaces.insert("DeviceGray".into());
                }
                b"cs" | b"CS" => {
                    if let Some(n) = name {
                        let named = dict(doc, resources, b"ColorSpace")
                            .and_then(|d| d.get(n).ok())
                            .map(|cs| colour_name(doc, cs))
                            .unwrap_or_else(|| String::from_utf8_lossy(n).into_owned());
                        vector_rgb |= is_rgb(&named);
                        if op == b"cs"
                            && let Some(f) = fills.last_mut()
                        {
                            // A new space starts at its initial colour, black: K in CMYK.
                            f.0 = if named.contains("Gray") || is_rgb(&named) {
                                Fill::NotK
                            } else {
                                Fill::Fine
                            };
                            f.1 = named.clone();
                        }
                        self.spaces.insert(named);
                    }
                }
                b"Do" => {
                    let (Some(n), Some(xo)) = (name, xobjects) else {
                        return;
                    };
                    let Some(stream) = xo.get(n).ok().and_then(|o| deref(doc, o).as_stream().ok())
                    else {
                        return;
                    };
                    let subtype = stream
                        .dict
                        .get(b"Subtype")
                        .ok()
                        .and_then(|s| s.as_name().ok());
                    if subtype == Some(b"Image") {
                        self.image(page, &stream.dict, m);
                    } else if subtype == Some(b"Form") && depth < 12 {
                        let matrix = stream
                            .dict
                            .get(b"Matrix")
                            .ok()
                            .and_then(|a| a.as_array().ok())
                            .map(|a| a.iter().filter_map(num).collect::<Vec<_>>())
                            .filter(|v| v.len() == 6)
                            .map_or(IDENTITY, |v| [v[0], v[1], v[2], v[3], v[4], v[5]]);
                        let inner = stream
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|r| deref(doc, r).as_dict().ok())
                            .cloned()
                            .unwrap_or_else(|| resources.clone());
                        let bytes = stream
                            .decompressed_content()
                            .unwrap_or_else(|_| stream.content.clone());
                        let inherited = fills.last().cloned().expect("the bottom fill stays");
                        self.content(page, &bytes, &inner, mul(matrix, m), inherited, depth + 1);
                    }
                }
                _ => {}
            }
        });
        if vector_rgb {
            self.rgb_pages.insert(page);
        }
    }

    fn image(&mut self, page: u32, d: &Dictionary, m: Matrix) {
        let doc = self.doc;
        let width = d.get(b"Width").ok().and_then(num).unwrap_or(0.0);
        let height = d.get(b"Height").ok().and_then(num).unwrap_or(0.0);
        let colour = d
            .get(b"ColorSpace")
            .map(|c| colour_name(doc, c))
            .unwrap_or_else(|_| "none".into());
        let w_pt = m[0].hypot(m[1]);
        let h_pt = m[2].hypot(m[3]);
        let ppi = |px: f64, pt: f64| {
            if pt > 0.0 {
                (px * 72.0 / pt).round()
            } else {
                0.0
            }
        };
        if is_rgb(&colour) {
            self.rgb
                .insert(format!("picture on page {page} ({colour})"), ());
        }
        self.spaces.insert(colour.clone());
        self.facts.images.push(Image {
            page,
            width: width as i64,
            height: height as i64,
            colour,
            x_ppi: ppi(width, w_pt),
            y_ppi: ppi(height, h_pt),
            printed_mm: [round1(w_pt / PT_PER_MM), round1(h_pt / PT_PER_MM)],
        });
    }
}

/// Read the preflight facts of a PDF.
pub fn facts(bytes: &[u8]) -> Result<PdfFacts, String> {
    let t = typst_timing::TimingScope::new("mp report pdf load");
    let doc = Document::load_mem(bytes).map_err(|e| e.to_string())?;
    drop(t);
    let _t = typst_timing::TimingScope::new("mp report pdf scan");
    let mut w = Walker {
        doc: &doc,
        facts: PdfFacts::default(),
        fonts: BTreeSet::new(),
        seen_fonts: BTreeSet::new(),
        spaces: BTreeSet::new(),
        rgb: BTreeMap::new(),
        rgb_pages: BTreeSet::new(),
        not_k: BTreeMap::new(),
    };
    let pages = doc.get_pages();
    w.facts.pages = pages.len() as u32;
    for (&number, &id) in &pages {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        let media = rect(&doc, page, b"MediaBox");
        let trim = rect(&doc, page, b"TrimBox");
        let bleed = rect(&doc, page, b"BleedBox");
        w.facts.pages_with_trim_box += u32::from(trim.is_some());
        w.facts.pages_with_bleed_box += u32::from(bleed.is_some());
        if number == 1 {
            w.facts.media_mm = media.map_or([0.0; 2], size_mm);
            w.facts.trim_mm = trim.map(size_mm);
            w.facts.bleed_mm = trim
                .zip(bleed)
                .map(|(t, b)| round1((t[0] - b[0]) / PT_PER_MM));
        }
        let resources = page
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(&doc, r).as_dict().ok())
            .cloned()
            .unwrap_or_default();
        let content = doc.get_page_content(id);
        // A page starts in DeviceGray black.
        let black = (Fill::NotK, "DeviceGray".to_string());
        w.content(number, &content, &resources, IDENTITY, black, 0);
    }
    let mut facts = w.facts;
    facts.text_not_k = Some(
        w.not_k
            .iter()
            .map(|(how, pages)| format!("{how} on {}", pages_text(pages)))
            .collect(),
    );
    facts.fonts = w.fonts.into_iter().collect();
    facts.colour_spaces = w.spaces.into_iter().collect();
    facts.rgb = w.rgb.into_keys().collect();
    if !w.rgb_pages.is_empty() {
        facts
            .rgb
            .push(format!("vector colour on {}", pages_text(&w.rgb_pages)));
    }
    Ok(facts)
}

/// `page 3`, `pages 1–4, 7`: page numbers with runs joined.
fn pages_text(pages: &BTreeSet<u32>) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let list: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    let s = if pages.len() == 1 { "" } else { "s" };
    format!("page{s} {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_runs_are_joined() {
        let set = |v: &[u32]| v.iter().copied().collect::<BTreeSet<u32>>();
        assert_eq!(pages_text(&set(&[3])), "page 3");
        assert_eq!(
            pages_text(&set(&[1, 2, 3, 4, 7, 9, 10])),
            "pages 1–4, 7, 9–10"
        );
    }

    /// A PDF of one page per content stream, with a font `F1`.
    fn pdf_of(contents: &[&str]) -> Vec<u8> {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(
            dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"},
        );
        let mut kids: Vec<Object> = Vec::new();
        for c in contents {
            let content = doc.add_object(Stream::new(dictionary! {}, c.as_bytes().to_vec()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Resources" => dictionary! {"Font" => dictionary! {"F1" => font}},
            });
            kids.push(page.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
        );
        let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn black_text_off_the_black_plate_is_named_with_its_pages() {
        let text = "BT /F1 9 Tf (a) Tj ET";
        let k = format!("0 0 0 1 k {text} 0 0 0 0.4 k {text}");
        let accent = format!("1 0.55 0 0.15 k {text}");
        let grey = format!("0.3 g {text}");
        let rich = format!("0.6 0.5 0.5 1 k {text}");
        // Grey inside `q … Q` does not leak out; the page's first text has no colour set.
        let saved = format!("0 0 0 1 k q 0.5 g Q {text}");
        let unset = text.to_string();
        let read = facts(&pdf_of(&[&k, &accent, &grey, &rich, &saved, &unset])).unwrap();
        assert_eq!(
            read.text_not_k.unwrap(),
            [
                "black or grey in DeviceGray on pages 3, 6",
                "four-colour black on page 4"
            ]
        );
        assert_eq!(
            facts(&pdf_of(&[&k, &accent])).unwrap().text_not_k,
            Some(Vec::new())
        );
    }
}
