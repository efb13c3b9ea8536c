//! Page previews for the preflight report: thumbnails of laid-out pages rendered in-process
//! with `typst-render` (no external program), as PNG.

use rayon::prelude::*;
use typst::foundations::{Label, Selector};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// A page thumbnail.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// 1-based page number.
    pub page: u32,
    /// Why this page is shown: `cover`, `front`, `session`, `warning`, `page`.
    pub why: &'static str,
    pub png: Vec<u8>,
}

/// Thumbnail width in pixels (a page of the report's grid).
pub const THUMB_WIDTH: f64 = 140.0;

/// The 1-based pages of the metadata elements labelled `label` (`mp-session`,
/// `mp-warning`), in document order.
pub fn labelled_pages(doc: &PagedDocument, label: &str) -> Vec<u32> {
    let Some(label) = Label::new(PicoStr::intern(label)) else {
        return Vec::new();
    };
    let introspector = doc.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| c.location())
        .filter_map(|loc| introspector.position(loc))
        .map(|pos| pos.page.get() as u32)
        .collect()
}

/// Thumbnails already drawn by this process, by a hash of the page: a rebuild in `watch`
/// draws only the pages that changed. Emptied when it holds more than [`KEEP`].
static DRAWN: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<u128, Vec<u8>>>> =
    std::sync::LazyLock::new(Default::default);
const KEEP: usize = 400;

/// Thumbnails of `pages` (1-based, with the reason each is shown), rendered in parallel.
pub fn thumbnails(doc: &PagedDocument, pages: &[(u32, &'static str)]) -> Vec<Preview> {
    pages
        .par_iter()
        .filter_map(|&(page, why)| {
            let p = doc.pages().get(page.checked_sub(1)? as usize)?;
            let png = thumbnail(p)?;
            Some(Preview { page, why, png })
        })
        .collect()
}

/// One page's thumbnail, [`THUMB_WIDTH`] pixels wide, as PNG; drawn once per process.
pub fn thumbnail(p: &typst_layout::Page) -> Option<Vec<u8>> {
    // The page's content, fill and number decide the picture (the width is fixed).
    let key = typst::utils::hash128(p);
    if let Some(png) = DRAWN.lock().ok().and_then(|d| d.get(&key).cloned()) {
        return Some(png);
    }
    let width_pt = p.frame.width().to_pt().max(1.0);
    let opts = typst_render::RenderOptions {
        pixel_per_pt: (THUMB_WIDTH / width_pt).into(),
        render_bleed: false,
    };
    let pixmap = typst_render::render(p, &opts);
    let png = encode_png(pixmap.width(), pixmap.height(), pixmap.data())?;
    if let Ok(mut d) = DRAWN.lock() {
        if d.len() >= KEEP {
            d.clear();
        }
        d.insert(key, png.clone());
    }
    Some(png)
}

/// RGBA pixels (premultiplied; pages are opaque) as an 8-bit RGB PNG.
fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Option<Vec<u8>> {
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            // Composite on white: premultiplied colour plus the uncovered white.
            let w = |c: u8| (u16::from(c) + (255 - a)).min(255) as u8;
            [w(p[0]), w(p[1]), w(p[2])]
        })
        .collect();
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().ok()?;
        writer.write_image_data(&rgb).ok()?;
    }
    Some(out)
}
