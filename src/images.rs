//! Recognising and measuring pictures (PNG, JPEG, SVG) from their bytes, within limits.
//!
//! Raster sizes are read from the header before anything is decoded, so a picture too
//! large to print is refused without spending the memory. SVGs are parsed with every
//! external reference refused ([`svg_options`]): a picture inside an SVG must be embedded
//! in it (a `data:` URL), so nothing outside the module or layouts folder can be reached.

use std::sync::{Arc, Mutex};

use resvg::usvg;
use serde::Serialize;

use crate::limits::{
    MAX_ASPECT_RATIO, MAX_DECODED_BYTES, MAX_DRAWN_PIXELS, MAX_MEGAPIXELS, MAX_SVG_EXPANDED,
};

mod png;
pub mod print_size;

/// The formats the source may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Png,
    Jpeg,
    Svg,
}

impl ImageKind {
    /// The file name endings of this format.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ImageKind::Png => &["png"],
            ImageKind::Jpeg => &["jpg", "jpeg"],
            ImageKind::Svg => &["svg"],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
            ImageKind::Svg => "SVG",
        }
    }
}

/// What a picture is and how large: pixels for raster images, CSS pixels (1/96 in) for SVG.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: f32,
    pub height: f32,
}

/// Decode enough of `bytes` to know the format and size, and check that the whole picture
/// can be drawn. The content decides the format, not the name (see [`name_mismatch`]).
pub fn image_info(bytes: &[u8]) -> Result<ImageInfo, String> {
    if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8") {
        let (kind, format) = if bytes[0] == 0x89 {
            (ImageKind::Png, image::ImageFormat::Png)
        } else {
            (ImageKind::Jpeg, image::ImageFormat::Jpeg)
        };
        let (mut w, mut h) = raster_size(bytes, kind)?;
        check_ratio(w as f32, h as f32, "pixels")?;
        // The header is not enough to trust the file: decode it whole (now known small
        // enough to decode), within the same limits.
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        reader.limits(decode_limits());
        reader
            .decode()
            .map_err(|_| format!("the {} data is damaged or incomplete", kind.name()))?;
        // A photo turned by its EXIF orientation prints turned (Typst applies it, and the
        // DOCX gets upright pixels): its size is the size it prints at.
        if kind == ImageKind::Jpeg && jpeg_orientation(bytes).is_some_and(turns_quarter) {
            std::mem::swap(&mut w, &mut h);
        }
        return Ok(ImageInfo {
            kind,
            width: w as f32,
            height: h as f32,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "not a PNG, JPEG or SVG file".to_string())?;
    if !text.contains("<svg") {
        return Err("not a PNG, JPEG or SVG file".into());
    }
    let tree = parse_svg(text, &usvg::Options::default())?;
    let size = tree.size();
    check_ratio(size.width(), size.height(), "user units")?;
    check_filters(&tree)?;
    check_paths(&tree)?;
    Ok(ImageInfo {
        kind: ImageKind::Svg,
        width: size.width(),
        height: size.height(),
    })
}

/// An SVG drawing's text: its smallest size as a fraction of the drawing's width (the size
/// it prints at is this times the width the drawing is given), and the drawing's own width
/// in px (96 an inch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SvgText {
    pub smallest: f32,
    pub width_px: f32,
}

/// An SVG drawing's text (`None`: no text, or not readable), read from the XML
/// (`font-size` on the text or an element around it, in user units, `px`, `pt`, `em` or
/// `%`, over the `viewBox` width), not by laying the text out: a transform that scales text
/// is not counted. A drawing `check_picture` would refuse is not read.
pub fn svg_text(bytes: &[u8]) -> Option<SvgText> {
    use usvg::roxmltree;
    let text = std::str::from_utf8(bytes).ok()?;
    if !text.contains("<text") || expanded_size(text) > MAX_SVG_EXPANDED {
        return None;
    }
    let doc = roxmltree::Document::parse(text).ok()?;
    let svg = doc.root_element();
    let view_width = svg.attribute("viewBox").and_then(|vb| {
        vb.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .nth(2)?
            .parse::<f32>()
            .ok()
    });
    // As usvg sizes it: the `width` attribute, else the viewBox's.
    let width_px = svg.attribute("width").and_then(length_px).or(view_width)?;
    // Text sizes are in user units: the viewBox's, or px without one.
    let width = view_width.unwrap_or(width_px);
    // The `font-size` of declarations (`font-size: 7px; fill: red`).
    let declared = |decls: &str| {
        decls.split(';').find_map(|d| {
            let (k, v) = d.split_once(':')?;
            (k.trim() == "font-size").then(|| v.trim().to_string())
        })
    };
    // The sizes a `<style>` sheet gives by class (`.kecil { font-size: 7px }`, as drawing
    // programs export) and to every `text` or `tspan`.
    let mut by_class: std::collections::HashMap<String, String> = Default::default();
    let mut by_tag: std::collections::HashMap<String, String> = Default::default();
    for sheet in doc.descendants().filter(|n| n.has_tag_name("style")) {
        let css: String = sheet.children().filter_map(|c| c.text()).collect();
        for rule in css.split('}') {
            let Some((selectors, decls)) = rule.split_once('{') else {
                continue;
            };
            let Some(size) = declared(decls) else {
                continue;
            };
            for sel in selectors.split(',').map(str::trim) {
                if let Some(class) = sel.strip_prefix('.') {
                    if class
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    {
                        by_class.insert(class.to_string(), size.clone());
                    }
                } else if sel == "text" || sel == "tspan" {
                    by_tag.insert(sel.to_string(), size.clone());
                }
            }
        }
    }
    // The font size an element sets (`None`: it inherits), given its parent's: its `style`
    // first, then the sheet's rule for its class or tag, then its attribute.
    let own = |node: roxmltree::Node, inherited: f32| -> Option<f32> {
        let value = node
            .attribute("style")
            .and_then(declared)
            .or_else(|| {
                node.attribute("class")?
                    .split_whitespace()
                    .rev()
                    .find_map(|c| by_class.get(c).cloned())
            })
            .or_else(|| by_tag.get(node.tag_name().name()).cloned())
            .or_else(|| node.attribute("font-size").map(str::to_string))?;
        let v = value.trim();
        if let Some(em) = v.strip_suffix("em") {
            em.trim().parse::<f32>().ok().map(|e| e * inherited)
        } else if let Some(pc) = v.strip_suffix('%') {
            pc.trim().parse::<f32>().ok().map(|p| p / 100.0 * inherited)
        } else {
            length_px(v)
        }
    };
    let mut smallest: Option<f32> = None;
    for node in doc
        .descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("tspan"))
    {
        if !node
            .children()
            .any(|c| c.is_text() && !c.text().unwrap_or("").trim().is_empty())
        {
            continue;
        }
        // From the root down: each element's own size, or its parent's.
        let mut chain: Vec<roxmltree::Node> = node.ancestors().filter(|n| n.is_element()).collect();
        chain.reverse();
        let size = chain
            .iter()
            .fold(16.0, |size, n| own(*n, size).unwrap_or(size));
        smallest = Some(smallest.map_or(size, |s| s.min(size)));
    }
    (width > 0.0 && width_px > 0.0).then_some(())?;
    Some(SvgText {
        smallest: smallest? / width,
        width_px,
    })
}

/// An SVG length in user units (px): a number, or one in px, pt, mm, cm or in.
fn length_px(value: &str) -> Option<f32> {
    let v = value.trim();
    let (number, per) = [
        ("px", 1.0),
        ("pt", 96.0 / 72.0),
        ("mm", 96.0 / 25.4),
        ("cm", 96.0 / 2.54),
        ("in", 96.0),
    ]
    .iter()
    .find_map(|(unit, per)| v.strip_suffix(unit).map(|n| (n, *per)))
    .unwrap_or((v, 1.0));
    number.trim().parse::<f32>().ok().map(|n| n * per)
}

/// The EXIF orientation of a JPEG when it asks for a turn or a flip (`None` when upright,
/// or without EXIF).
pub fn jpeg_orientation(bytes: &[u8]) -> Option<image::metadata::Orientation> {
    use image::ImageDecoder;
    let mut decoder =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Jpeg)
            .into_decoder()
            .ok()?;
    let o = decoder.orientation().ok()?;
    (o != image::metadata::Orientation::NoTransforms).then_some(o)
}

/// Whether an orientation turns the picture a quarter (width and height swap).
fn turns_quarter(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// A JPEG with its EXIF orientation applied to the pixels, for outputs whose readers may
/// ignore the tag (Word and LibreOffice show a DOCX's picture as stored): `None` when it
/// is upright already. Encoded again at quality 95.
pub fn upright_jpeg(bytes: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let o = jpeg_orientation(bytes)?;
    Some((|| {
        let mut img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .map_err(|e| format!("cannot decode the JPEG: {e}"))?;
        img.apply_orientation(o);
        let rgb = img.to_rgb8();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
            .encode_image(&rgb)
            .map_err(|e| format!("cannot encode the turned JPEG: {e}"))?;
        Ok(out)
    })())
}

/// [`image_info`], and the name must say the format: Typst picks a decoder by the name.
pub fn check_picture(name: &str, bytes: &[u8]) -> Result<ImageInfo, String> {
    let info = image_info(bytes)?;
    if let Some(ext) = name_mismatch(name, info.kind) {
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        return Err(format!(
            "it is a {} picture with a name that says otherwise; rename it to `{stem}.{ext}`",
            info.kind.name()
        ));
    }
    Ok(info)
}

/// Width and height from a PNG or JPEG header, refused above [`MAX_MEGAPIXELS`] or
/// [`MAX_DECODED_BYTES`] decoded; a PNG's chunks are walked first ([`png::check_chunks`]),
/// since a decoder reads them all before the header's size is known to it.
pub fn raster_size(bytes: &[u8], kind: ImageKind) -> Result<(u32, u32), String> {
    let format = match kind {
        ImageKind::Png => {
            png::check_chunks(bytes)?;
            image::ImageFormat::Png
        }
        _ => image::ImageFormat::Jpeg,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(decode_limits());
    let damaged = |_| format!("the {} data is damaged or incomplete", kind.name());
    let decoder = reader.into_decoder().map_err(damaged)?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_MEGAPIXELS * 1_000_000 {
        return Err(format!(
            "too large: {w}×{h} pixels is {} megapixels, the limit is {MAX_MEGAPIXELS}",
            pixels.div_ceil(1_000_000)
        ));
    }
    let decoded = image::ImageDecoder::total_bytes(&decoder);
    if decoded > MAX_DECODED_BYTES {
        return Err(format!(
            "too large: {w}×{h} pixels take {} MB decoded, the limit is {} MB; save it with 8 bits a channel",
            decoded.div_ceil(1_000_000),
            MAX_DECODED_BYTES / 1_000_000
        ));
    }
    Ok((w, h))
}

/// What any decoder of ours may allocate: the largest decoded picture and its metadata.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES + 2 * crate::limits::MAX_PNG_METADATA);
    limits
}

/// A picture's longest side may be at most [`MAX_ASPECT_RATIO`] times its shortest: the
/// rasterisers draw it at its printed width, so a thin tall picture becomes a canvas
/// hundreds of metres tall (10 × 10,000,000 at full width asked for 14.8 TB).
fn check_ratio(width: f32, height: f32, unit: &str) -> Result<(), String> {
    let (long, short) = (width.max(height), width.min(height));
    if short <= 0.0 || long / short > MAX_ASPECT_RATIO {
        let ratio = if short > 0.0 {
            long / short
        } else {
            f32::INFINITY
        };
        return Err(format!(
            "too {}: {} × {} {unit} is 1:{:.0}, the limit is 1:{MAX_ASPECT_RATIO:.0}; crop it or split it into several pictures",
            if height > width {
                "tall for its width"
            } else {
                "wide for its height"
            },
            width,
            height,
            ratio
        ));
    }
    Ok(())
}

/// The pixel size an SVG of `info`'s size is drawn at to print `px` pixels wide: the
/// height follows, and a drawing over [`MAX_DRAWN_PIXELS`] is made narrower (a lower
/// resolution) until it fits, so no drawing ever needs more memory than that.
pub fn drawn_size(width: f32, height: f32, px: u32) -> (u32, u32) {
    let max = MAX_DRAWN_PIXELS as f32;
    // The height at `w` pixels wide, as the drawing is scaled (in f32, as resvg scales).
    let height_at = |w: u32| (height * (w as f32 / width)).round().clamp(1.0, max);
    let area = |w: u32| u64::from(w) * height_at(w) as u64;
    let mut w = px.max(1);
    if area(w) > MAX_DRAWN_PIXELS {
        let ratio = f64::from(height) / f64::from(width);
        let fit = (MAX_DRAWN_PIXELS as f64 / ratio).sqrt().floor();
        w = if fit.is_finite() {
            (fit as u32).clamp(1, w)
        } else {
            1
        };
        while w > 1 && area(w) > MAX_DRAWN_PIXELS {
            w -= 1;
        }
    }
    (w, height_at(w) as u32)
}

/// The right name ending for a picture whose name says another format than its content:
/// `Some("png")` for a PNG named `logo.svg`.
pub fn name_mismatch(name: &str, kind: ImageKind) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let known = ["png", "jpg", "jpeg", "svg"];
    (known.contains(&ext.as_str()) && !kind.extensions().contains(&ext.as_str()))
        .then(|| kind.extensions()[0])
}

/// Refuse SVG filters whose drawing cost has no useful bound: too many octaves of
/// turbulence, a region far beyond the picture, or too many steps. Every rasteriser of the
/// picture (Typst's PDF export, the DOCX copies, the thumbnails) would draw them.
fn check_filters(tree: &usvg::Tree) -> Result<(), String> {
    use crate::limits::{MAX_SVG_FILTER_REACH, MAX_SVG_FILTER_STEPS, MAX_SVG_TURBULENCE_OCTAVES};
    let size = tree.size();
    let mut steps = 0;
    for filter in tree.filters() {
        let r = filter.rect();
        if r.width() > size.width() * MAX_SVG_FILTER_REACH
            || r.height() > size.height() * MAX_SVG_FILTER_REACH
        {
            return Err(format!(
                "a filter (`{}`) covers {:.0} × {:.0} units, more than {MAX_SVG_FILTER_REACH} times the picture's {:.0} × {:.0}: drawing it would take too long",
                filter.id(),
                r.width(),
                r.height(),
                size.width(),
                size.height()
            ));
        }
        for p in filter.primitives() {
            steps += 1;
            if let usvg::filter::Kind::Turbulence(t) = p.kind()
                && t.num_octaves() > MAX_SVG_TURBULENCE_OCTAVES
            {
                return Err(format!(
                    "a filter (`{}`) asks for {} octaves of turbulence, the limit is {MAX_SVG_TURBULENCE_OCTAVES}: drawing it would take too long",
                    filter.id(),
                    t.num_octaves()
                ));
            }
        }
    }
    if steps > MAX_SVG_FILTER_STEPS {
        return Err(format!(
            "its filters have {steps} steps, the limit is {MAX_SVG_FILTER_STEPS}"
        ));
    }
    Ok(())
}

/// Refuse an SVG whose paths would take minutes to draw: one path of more than
/// [`MAX_PATH_SEGMENTS`] segments, or more than [`MAX_SVG_SEGMENTS`] in all. The DOCX
/// copies and the thumbnails draw it.
fn check_paths(tree: &usvg::Tree) -> Result<(), String> {
    use crate::limits::{MAX_PATH_SEGMENTS, MAX_SVG_SEGMENTS};
    fn walk(group: &usvg::Group, longest: &mut usize, total: &mut usize) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => walk(g, longest, total),
                usvg::Node::Path(p) => {
                    // Lines and curves: a move starts a piece, it draws nothing.
                    let n = p
                        .data()
                        .verbs()
                        .iter()
                        .filter(|v| **v != usvg::tiny_skia_path::PathVerb::Move)
                        .count();
                    *longest = (*longest).max(n);
                    *total += n;
                }
                usvg::Node::Text(t) => walk(t.flattened(), longest, total),
                usvg::Node::Image(_) => {}
            }
        }
    }
    let (mut longest, mut total) = (0, 0);
    walk(tree.root(), &mut longest, &mut total);
    let simplify = "simplify it (in Inkscape: Path → Simplify, or fewer nodes when tracing), or export it as a PNG at 300 dpi";
    if longest > MAX_PATH_SEGMENTS {
        return Err(format!(
            "one of its paths has {longest} segments, the limit is {MAX_PATH_SEGMENTS}: drawing it for the Word copies would take minutes; {simplify}"
        ));
    }
    if total > MAX_SVG_SEGMENTS {
        return Err(format!(
            "its paths have {total} segments together, the limit is {MAX_SVG_SEGMENTS}: drawing it for the Word copies would take minutes; {simplify}"
        ));
    }
    Ok(())
}

/// Parse an SVG the only way modulpress does: entities bounded, external references
/// refused, pictures embedded in it bounded like any other. `base` gives fonts and sizes.
pub fn parse_svg(text: &str, base: &usvg::Options) -> Result<usvg::Tree, String> {
    let expanded = expanded_size(text);
    if expanded > MAX_SVG_EXPANDED {
        return Err(format!(
            "too large: its entities expand to more than {} MB, the limit is {} MB",
            expanded / (1024 * 1024),
            MAX_SVG_EXPANDED / (1024 * 1024)
        ));
    }
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let problems = refused.clone();
    let options = usvg::Options {
        resources_dir: None,
        font_family: base.font_family.clone(),
        fontdb: base.fontdb.clone(),
        image_href_resolver: svg_resolver(problems),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &options).map_err(svg_problem)?;
    let refused = refused.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(first) = refused.first() {
        return Err(first.clone());
    }
    Ok(tree)
}

/// What is wrong with an SVG that usvg cannot read, in the words of the people who draw
/// them: the XML's own place in the SVG file, not the parser's phrasing.
fn svg_problem(e: usvg::Error) -> String {
    match e {
        usvg::Error::NotAnUtf8Str => "it is not UTF-8 text: save it again as UTF-8".into(),
        usvg::Error::MalformedGZip => "it is a compressed SVG that cannot be unpacked".into(),
        usvg::Error::ElementsLimitReached => "it has too many elements".into(),
        usvg::Error::InvalidSize => {
            "it has no usable size: give its <svg> element a width and height, or a viewBox".into()
        }
        usvg::Error::ParsingFailed(x) => {
            let text = x.to_string();
            // roxmltree ends its message with ` at LINE:COLUMN`.
            match text.rsplit_once(" at ").and_then(|(what, at)| {
                let (line, col) = at.split_once(':')?;
                Some((
                    what.to_string(),
                    line.parse::<u32>().ok()?,
                    col.parse::<u32>().ok()?,
                ))
            }) {
                Some((what, line, col)) => {
                    format!(
                        "its XML is broken at line {line}, column {col} of the SVG file: {what}"
                    )
                }
                None => format!("its XML is broken: {text}"),
            }
        }
    }
}

/// Resolve only embedded PNG and JPEG pictures within the size limit; record everything
/// else as a problem.
fn svg_resolver(problems: Arc<Mutex<Vec<String>>>) -> usvg::ImageHrefResolver<'static> {
    let data_problems = problems.clone();
    let note = |list: &Arc<Mutex<Vec<String>>>, m: String| {
        list.lock().unwrap_or_else(|e| e.into_inner()).push(m);
    };
    usvg::ImageHrefResolver {
        resolve_data: Box::new(move |mime, data, _| {
            let kind = if data.starts_with(b"\x89PNG") {
                ImageKind::Png
            } else if data.starts_with(b"\xFF\xD8") {
                ImageKind::Jpeg
            } else {
                note(
                    &data_problems,
                    format!(
                        "it embeds a `{mime}` picture; only PNG and JPEG can be embedded in an SVG"
                    ),
                );
                return None;
            };
            match raster_size(&data, kind) {
                Ok(_) => Some(match kind {
                    ImageKind::Png => usvg::ImageKind::PNG(data),
                    _ => usvg::ImageKind::JPEG(data),
                }),
                Err(e) => {
                    note(&data_problems, format!("a picture embedded in it: {e}"));
                    None
                }
            }
        }),
        resolve_string: Box::new(move |href, _| {
            let href: String = href.chars().take(80).collect();
            note(
                &problems,
                format!(
                    "it links to `{href}` outside itself; pictures inside an SVG must be embedded in it"
                ),
            );
            None
        }),
    }
}

/// How long the SVG's text becomes once every `&entity;` is expanded (an upper bound,
/// without expanding anything): guards against "billion laughs" documents.
fn expanded_size(text: &str) -> u64 {
    let Some(start) = text.find("<!DOCTYPE") else {
        return text.len() as u64;
    };
    let subset_end = text[start..]
        .find("]>")
        .map_or(text.len(), |i| start + i + 2);
    let subset = &text[start..subset_end];
    // name → (literal length, referenced names)
    let mut entities: std::collections::HashMap<&str, (u64, Vec<&str>)> = Default::default();
    let mut rest = subset;
    while let Some(i) = rest.find("<!ENTITY") {
        rest = &rest[i + 8..];
        let decl = rest.trim_start();
        let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let name = &decl[..name_end];
        let after = decl[name_end..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value = &after[1..];
        let value = &value[..value.find(quote).unwrap_or(value.len())];
        entities.insert(name, (value.len() as u64, references(value)));
    }
    // Expanded length of each entity, memoised (a billion-laughs chain is 10 names deep
    // and 10 wide: without the memo, 10^10 steps).
    fn size<'a>(
        name: &'a str,
        entities: &std::collections::HashMap<&'a str, (u64, Vec<&'a str>)>,
        memo: &mut std::collections::HashMap<&'a str, u64>,
        depth: u32,
    ) -> u64 {
        if let Some(&n) = memo.get(name) {
            return n;
        }
        let Some((len, refs)) = entities.get(name) else {
            return name.len() as u64 + 2;
        };
        let n = if depth > 12 {
            u64::MAX / 4
        } else {
            refs.iter().fold(*len, |acc, r| {
                acc.saturating_add(size(r, entities, memo, depth + 1))
            })
        };
        memo.insert(name, n);
        n
    }
    let mut memo = std::collections::HashMap::new();
    let body = &text[subset_end..];
    references(body).iter().fold(text.len() as u64, |acc, r| {
        acc.saturating_add(size(r, &entities, &mut memo, 0))
    })
}

/// The names of the `&name;` references in `text` (character references excluded).
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        rest = &rest[i + 1..];
        if let Some(end) = rest.find(';')
            && end > 0
            && end < 64
            && !rest.starts_with('#')
        {
            out.push(&rest[..end]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_drawings_smallest_text_is_read_from_its_xml_with_inherited_sizes() {
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 100\" width=\"200mm\">{body}</svg>"
            )
        };
        let at = |body: &str| super::svg_text(svg(body).as_bytes()).map(|t| t.smallest);
        assert_eq!(
            at("<text font-size=\"20\">a</text><text font-size=\"16px\">b</text>"),
            Some(16.0 / 800.0)
        );
        // Inherited from a group, in em and %, and from a style attribute.
        assert_eq!(
            at("<g font-size=\"30\"><text>a</text><text font-size=\"0.5em\">b</text></g>"),
            Some(15.0 / 800.0)
        );
        assert_eq!(
            at(
                "<g style=\"fill:red; font-size: 40px\"><text><tspan font-size=\"50%\">a</tspan></text></g>"
            ),
            Some(20.0 / 800.0)
        );
        // No size anywhere: the medium 16; no text at all: nothing to say.
        assert_eq!(at("<text>a</text>"), Some(16.0 / 800.0));
        assert_eq!(at("<rect width=\"10\" height=\"10\"/>"), None);
        assert_eq!(
            at("<text font-size=\"8\"> </text><text font-size=\"24\">a</text>"),
            Some(24.0 / 800.0)
        );
        // A style sheet's class (as drawing programs export), over the attribute; the tag's.
        assert_eq!(
            at(
                "<style>.judul{font-size:30px}\n.cls-1, .kecil { fill: #333; font-size: 7px }</style><text class=\"cls-2 kecil\" font-size=\"20\">a</text><text class=\"judul\">b</text>"
            ),
            Some(7.0 / 800.0)
        );
        assert_eq!(
            at("<style><![CDATA[text{font-size:9px}]]></style><text>a</text>"),
            Some(9.0 / 800.0)
        );
    }

    use super::*;

    #[test]
    fn svg_and_garbage() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="5" height="5"/></svg>"#;
        let info = image_info(svg).unwrap();
        assert_eq!(
            (info.kind, info.width, info.height),
            (ImageKind::Svg, 20.0, 10.0)
        );
        assert!(image_info(b"hello").is_err());
        assert!(image_info(b"\x89PNG\r\n\x1a\nbroken").is_err());
    }

    #[test]
    fn svg_links_to_files_are_refused() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="10"><image width="5" height="5" xlink:href="/etc/hostname"/></svg>"#;
        let e = image_info(svg.as_bytes()).unwrap_err();
        assert!(e.contains("links to `/etc/hostname`"), "{e}");
    }

    #[test]
    fn entity_bombs_are_refused_before_parsing() {
        let mut svg = String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"");
        svg.push_str(&"x".repeat(100_000));
        svg.push_str(
            "\">]><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><text>",
        );
        svg.push_str(&"&a;".repeat(1000));
        svg.push_str("</text></svg>");
        let e = image_info(svg.as_bytes()).unwrap_err();
        assert!(e.contains("entities expand"), "{e}");
    }

    #[test]
    fn thin_pictures_are_refused_and_drawings_stay_within_the_bound() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="2000"/>"#;
        let e = image_info(svg).unwrap_err();
        assert!(e.contains("10 × 2000 user units is 1:200"), "{e}");
        let ok = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="500"/>"#;
        assert!(image_info(ok).is_ok());
        // 1:50 at 2000 px wide would be 200 megapixels: drawn narrower instead.
        let (w, h) = drawn_size(10.0, 500.0, 2000);
        assert!(u64::from(w) * u64::from(h) <= MAX_DRAWN_PIXELS, "{w}×{h}");
        assert_eq!((w, h), (894, 44700));
        assert_eq!(
            drawn_size(40.0, 20.0, 300),
            (300, 150),
            "small ones as asked"
        );
        assert_eq!(drawn_size(1e7, 10.0, 1772), (1772, 1));
    }

    #[test]
    fn sixteen_bit_pictures_are_bounded_by_their_decoded_size() {
        // 8000 × 4000 RGBA at 16 bits: 32 megapixels, 256 MB decoded.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = 8000u32.to_be_bytes().to_vec();
        ihdr.extend(4000u32.to_be_bytes());
        ihdr.extend([16, 6, 0, 0, 0]);
        for (kind, data) in [
            (&b"IHDR"[..], &ihdr[..]),
            (b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
            (b"IEND", &[]),
        ] {
            let mut c = kind.to_vec();
            c.extend(data);
            png.extend((data.len() as u32).to_be_bytes());
            png.extend(&c);
            png.extend(crc(&c).to_be_bytes());
        }
        let e = raster_size(&png, ImageKind::Png).unwrap_err();
        assert!(
            e.contains("take 256 MB decoded, the limit is 200 MB"),
            "{e}"
        );
    }

    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_path_too_long_to_draw_is_refused_and_many_short_ones_are_not() {
        let svg = |paths: usize, segments: usize| {
            let d = "L1 1 L2 0 ".repeat(segments / 2);
            let path = format!("<path d=\"M0 0 {d}\" stroke=\"black\" fill=\"none\"/>");
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">{}</svg>",
                path.repeat(paths)
            )
        };
        let e = image_info(svg(1, 20_002).as_bytes()).unwrap_err();
        assert!(
            e.contains("one of its paths has 20002 segments, the limit is 20000"),
            "{e}"
        );
        assert!(image_info(svg(20, 10_000).as_bytes()).is_ok());
        let e = image_info(svg(21, 10_000).as_bytes()).unwrap_err();
        assert!(e.contains("its paths have 210000 segments together"), "{e}");
    }

    #[test]
    fn a_png_named_svg_is_named_for_what_it_is() {
        assert_eq!(name_mismatch("images/a.svg", ImageKind::Png), Some("png"));
        assert_eq!(name_mismatch("images/a.JPEG", ImageKind::Jpeg), None);
        assert_eq!(name_mismatch("images/a", ImageKind::Jpeg), None);
    }
}
