//! Pictures for Word: PNG and JPEG as they are, SVG rasterised with resvg at 300 dpi at
//! the printed width (lower for a drawing that would pass `MAX_DRAWN_PIXELS`), over
//! white, with the bundled Noto fonts (never the system's), so every machine makes the
//! same pixels.
//!
//! While the document is written each picture is only requested: docx-rs gets a small
//! unique stand-in, and the package step puts the real bytes in its place. So the
//! pictures are drawn in parallel, once per process (diagrams and logos are the same for
//! every federation), and their bytes are never copied through docx-rs.
//!
//! A drawing is also known by its content key (the SVG, its width in pixels, the fonts
//! and this build of modulpress): a [`Store`] holds those an earlier build into the same
//! output folder drew, so that build does not draw them again, and those this build used.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};

use crate::bundle::{FileBytes, Folder};
use crate::images::{ImageInfo, ImageKind, image_info};
use crate::model::slot;

/// Print resolution of rasterised vector pictures.
const DPI: f32 = 300.0;

/// What stands in for picture `k` inside docx-rs.
const MARKER: &[u8] = b"\0modulpress-picture-";

/// Drawings by content key: those kept from earlier builds, and those this build used.
/// The build reads and writes them (`cache/pictures.rs`); the backends only look up.
#[derive(Debug, Default)]
pub struct Store {
    earlier: HashMap<String, Arc<[u8]>>,
    used: Mutex<std::collections::BTreeMap<String, Arc<[u8]>>>,
}

impl Store {
    /// A store that serves `earlier`, the PNGs earlier builds drew, by content key.
    pub fn with(earlier: HashMap<String, Arc<[u8]>>) -> Store {
        Store {
            earlier,
            used: Mutex::default(),
        }
    }

    /// Whether an earlier build's drawing `key` is here.
    pub fn holds(&self, key: &str) -> bool {
        self.earlier.contains_key(key)
    }

    /// Every drawing this build's documents used, by content key.
    pub fn used(&self) -> std::collections::BTreeMap<String, Arc<[u8]>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn note(&self, key: &str, png: &Arc<[u8]>) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if !used.contains_key(key) {
            used.insert(key.to_string(), png.clone());
        }
    }
}

/// Cache key: the source bytes (by address, as the bundle shares them) and pixel width.
type Key = (usize, usize, u32);
type Slot<T> = Arc<OnceLock<Result<T, String>>>;

fn key(bytes: &FileBytes, px: u32) -> Key {
    (bytes.as_ptr() as usize, bytes.len(), px)
}

/// Size and kind of a picture, read once per process.
/// What a picture is and its size, measured once per process for every document that
/// shows it (`images::image_info` decodes it whole).
pub(crate) fn natural(bytes: &FileBytes) -> Result<ImageInfo, String> {
    static INFO: OnceLock<Mutex<HashMap<Key, Slot<ImageInfo>>>> = OnceLock::new();
    let s = slot(INFO.get_or_init(Default::default), key(bytes, 0));
    s.get_or_init(|| image_info(bytes)).clone()
}

/// The pictures of one document, in the order they were requested: one per source,
/// drawn at the largest width the document prints it (a diagram shown at 80 % and at
/// 70 % is drawn once, and is one file in the package).
#[derive(Debug, Default)]
pub struct Pictures {
    requests: Vec<(FileBytes, Option<u32>)>,
    index: HashMap<Key, usize>,
}

/// The pictures of one document, resolved.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The bytes of every requested picture, by request number.
    pub pictures: Vec<Arc<[u8]>>,
    /// The content keys of the drawings among them (`Artifact::drawings`).
    pub drawings: Vec<String>,
}

/// A requested picture: its stand-in bytes for docx-rs and its height/width ratio.
pub struct Requested {
    pub stand_in: Vec<u8>,
    pub ratio: f32,
}

impl Pictures {
    /// Ask for `bytes` printed `width_mm` wide (or, with `None`, at its natural size up
    /// to `max_mm`); fails if the picture cannot be read.
    pub fn request(
        &mut self,
        bytes: &FileBytes,
        width_mm: Option<f32>,
        max_mm: f32,
    ) -> Result<(Requested, f32), String> {
        let info = natural(bytes)?;
        let natural_mm = info.width * 25.4 / 96.0;
        let w_mm = width_mm.unwrap_or(natural_mm).min(max_mm).max(1.0);
        let px = match info.kind {
            ImageKind::Svg => Some(((w_mm / 25.4) * DPI).round().clamp(8.0, 6000.0) as u32),
            ImageKind::Png | ImageKind::Jpeg => None,
        };
        let n = *self.index.entry(key(bytes, 0)).or_insert_with(|| {
            self.requests.push((bytes.clone(), px));
            self.requests.len() - 1
        });
        let widest = &mut self.requests[n].1;
        *widest = (*widest).max(px);
        let mut stand_in = MARKER.to_vec();
        stand_in.extend_from_slice(n.to_string().as_bytes());
        Ok((
            Requested {
                stand_in,
                ratio: info.height / info.width,
            },
            w_mm,
        ))
    }

    /// Draw what needs drawing (in parallel, cached per process, taken from `store`
    /// when an earlier build drew it); the bytes of every requested picture, by request
    /// number, and the content keys of the drawings.
    ///
    /// Jobs for other federations want the same diagrams at the same moment: each
    /// picture is claimed by the first thread that gets to it, the others draw the next
    /// unclaimed one instead of waiting, and only at the end wait for what others draw.
    pub fn resolve(&self, layouts: &Folder, store: &Store) -> Result<Resolved, String> {
        static RASTER: OnceLock<Mutex<HashMap<Key, Arc<Drawing>>>> = OnceLock::new();
        let cache = RASTER.get_or_init(Default::default);
        let drawings: Vec<Option<Arc<Drawing>>> = self
            .requests
            .iter()
            .map(|(bytes, px)| px.map(|px| slot(cache, key(bytes, px))))
            .collect();
        self.requests
            .par_iter()
            .zip(&drawings)
            .for_each(|((bytes, px), d)| {
                if let (Some(px), Some(d)) = (px, d)
                    && !d.claimed.swap(true, Ordering::AcqRel)
                {
                    let key = content_key(layouts, bytes, *px);
                    let png = match store.earlier.get(&key) {
                        Some(png) => Ok(png.clone()),
                        None => rasterise(&fontdb(layouts), bytes, *px),
                    };
                    let _ = d.done.set(png.map(|png| (key, png)));
                }
            });
        let mut resolved = Resolved::default();
        for ((bytes, _), d) in self.requests.iter().zip(&drawings) {
            let png = match d {
                None => upright(bytes)?,
                Some(d) => {
                    let (key, png) = d.done.wait().clone()?;
                    store.note(&key, &png);
                    resolved.drawings.push(key);
                    png
                }
            };
            resolved.pictures.push(png);
        }
        Ok(resolved)
    }
}

/// A PNG or JPEG as the document stores it: as it is, or a JPEG turned upright by its EXIF
/// orientation (the booklet's Typst applies the tag; Word and LibreOffice do not), once
/// per process.
fn upright(bytes: &FileBytes) -> Result<Arc<[u8]>, String> {
    type Turned = Mutex<HashMap<Key, Slot<Arc<[u8]>>>>;
    static TURNED: OnceLock<Turned> = OnceLock::new();
    if !bytes.starts_with(b"\xFF\xD8") {
        return Ok(Arc::from(&bytes[..]));
    }
    let s = slot(TURNED.get_or_init(Default::default), key(bytes, 0));
    s.get_or_init(|| match crate::images::upright_jpeg(bytes) {
        None => Ok(Arc::from(&bytes[..])),
        Some(turned) => turned.map(Arc::from),
    })
    .clone()
}

/// One rasterisation, shared by every job of the process: its content key and PNG.
#[derive(Debug, Default)]
struct Drawing {
    claimed: AtomicBool,
    done: OnceLock<Result<Drawn, String>>,
}

/// A drawing's content key and PNG.
type Drawn = (String, Arc<[u8]>);

/// What a drawing depends on, hashed: this build of modulpress, the fonts SVG text is
/// drawn with, the width in pixels and the SVG itself.
fn content_key(layouts: &Folder, svg: &[u8], px: u32) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::digest::BUILD.as_bytes());
    h.update(fonts_of(layouts).hash);
    h.update(px.to_le_bytes());
    h.update(svg);
    crate::digest::hex(&h.finalize())
}

/// The request number a stand-in names.
pub fn stand_in_index(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes.strip_prefix(MARKER)?)
        .ok()?
        .parse()
        .ok()
}

/// The fonts SVG text is drawn with: the bundled faces of `layouts/fonts/`, loaded when a
/// drawing is first drawn (a build whose drawings are all kept only hashes them).
fn fontdb(layouts: &Folder) -> Arc<usvg::fontdb::Database> {
    fonts_of(layouts)
        .db
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            for path in layouts.list("fonts", ".ttf") {
                if let Some(bytes) = layouts.get(&path) {
                    db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(bytes.clone())));
                }
            }
            db.set_sans_serif_family("Noto Sans");
            db.set_serif_family("Noto Serif");
            Arc::new(db)
        })
        .clone()
}

/// A layouts folder's bundled fonts, loaded and hashed once per process.
struct Fonts {
    db: OnceLock<Arc<usvg::fontdb::Database>>,
    hash: [u8; 32],
}

/// The fonts of `layouts`, found by their files' identity in memory: one entry for the
/// layouts every module of a paket shares, another for a module's own. An entry lives as
/// long as its files do (`watch` reads the folders again for each rebuild).
fn fonts_of(layouts: &Folder) -> Arc<Fonts> {
    use sha2::{Digest, Sha256};
    type Seen = Vec<(Vec<std::sync::Weak<[u8]>>, Arc<Fonts>)>;
    static SEEN: Mutex<Seen> = Mutex::new(Vec::new());
    let files: Vec<(String, FileBytes)> = layouts
        .list("fonts", ".ttf")
        .into_iter()
        .filter_map(|path| Some((path.clone(), layouts.get(&path)?.clone())))
        .collect();
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    seen.retain(|(weak, _)| weak.iter().all(|w| w.strong_count() > 0));
    let same = |weak: &[std::sync::Weak<[u8]>]| {
        weak.len() == files.len()
            && weak
                .iter()
                .zip(&files)
                .all(|(w, (_, b))| w.upgrade().is_some_and(|w| Arc::ptr_eq(&w, b)))
    };
    if let Some((_, fonts)) = seen.iter().find(|(weak, _)| same(weak)) {
        return fonts.clone();
    }
    let mut h = Sha256::new();
    for (path, bytes) in &files {
        h.update(path.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes[..]);
    }
    let fonts = Arc::new(Fonts {
        db: OnceLock::new(),
        hash: h.finalize().into(),
    });
    let weak = files.iter().map(|(_, b)| Arc::downgrade(b)).collect();
    seen.push((weak, fonts.clone()));
    fonts
}

/// Draw an SVG `px` pixels wide and encode it, over white, as a PNG.
fn rasterise(db: &Arc<usvg::fontdb::Database>, svg: &[u8], px: u32) -> Result<Arc<[u8]>, String> {
    let options = usvg::Options {
        font_family: "Noto Sans".into(),
        fontdb: db.clone(),
        ..Default::default()
    };
    let text = std::str::from_utf8(svg).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
    let tree = crate::images::parse_svg(text, &options)?;
    let size = tree.size();
    // Never more than `MAX_DRAWN_PIXELS`, whatever the picture's proportions.
    let (px, height) = crate::images::drawn_size(size.width(), size.height(), px);
    let scale = px as f32 / size.width();
    // One canvas per thread, reused: fresh 15 MB canvases cost more in page faults
    // than clearing an old one.
    thread_local!(static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) });
    let png = CANVAS.with_borrow_mut(|canvas| {
        canvas.clear();
        canvas.resize(px as usize * height as usize * 4, 0);
        let mut pixmap = tiny_skia::PixmapMut::from_bytes(canvas, px, height)
            .ok_or_else(|| "picture too large".to_string())?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap,
        );
        encode(canvas, px, height)
    })?;
    Ok(Arc::from(png))
}

/// Encode premultiplied RGBA pixels, put over white, as PNG: indexed when they have at
/// most 256 colours (drawn diagrams and logos do, anti-aliasing included), which is
/// lossless, small and quick to compress; RGB otherwise.
fn encode(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    // Over white: a premultiplied channel c with alpha a becomes c + (255 - a).
    let over_white = |p: &[u8]| {
        let add = 255 - p[3];
        [p[0] + add, p[1] + add, p[2] + add]
    };
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut lookup: HashMap<u32, u8, BuildHasherDefault<WordHasher>> = HashMap::default();
    let n = rgba.len() / 4;
    let mut indexed = vec![0u8; n];
    let word = |k: usize| {
        u32::from_ne_bytes([
            rgba[4 * k],
            rgba[4 * k + 1],
            rgba[4 * k + 2],
            rgba[4 * k + 3],
        ])
    };
    let quad =
        |k: usize| u128::from_ne_bytes(rgba[4 * k..4 * k + 16].try_into().unwrap_or([0; 16]));
    let mut k = 0;
    // Drawings are runs of one colour (mostly the empty background): find where each run
    // ends, four pixels at a time, look its colour up once and fill it.
    while k < n {
        let key = word(k);
        let four = key as u128 * 0x0000_0001_0000_0001_0000_0001_0000_0001;
        let mut end = k + 1;
        while end + 4 <= n && quad(end) == four {
            end += 4;
        }
        while end < n && word(end) == key {
            end += 1;
        }
        let i = match lookup.get(&key) {
            Some(&i) => i,
            None => {
                let c = over_white(&rgba[4 * k..4 * k + 4]);
                let i = match palette.iter().position(|x| *x == c) {
                    Some(i) => i,
                    None if palette.len() < 256 => {
                        palette.push(c);
                        palette.len() - 1
                    }
                    None => return encode_rgb(rgba, width, height, over_white),
                } as u8;
                lookup.insert(key, i);
                i
            }
        };
        indexed[k..end].fill(i);
        k = end;
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, width, height);
    e.set_color(png::ColorType::Indexed);
    e.set_depth(png::BitDepth::Eight);
    e.set_palette(palette.concat());
    e.set_deflate_compression(png::DeflateCompression::Level(2));
    e.set_filter(png::Filter::Up);
    let mut w = e.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&indexed).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Hashing for pixel colours: one multiplication instead of SipHash.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

fn encode_rgb(
    rgba: &[u8],
    width: u32,
    height: u32,
    over_white: impl Fn(&[u8]) -> [u8; 3],
) -> Result<Vec<u8>, String> {
    let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(over_white).collect();
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, width, height);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    e.set_deflate_compression(png::DeflateCompression::Level(3));
    e.set_filter(png::Filter::Up);
    let mut w = e.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_lossless_over_white() {
        // Premultiplied: opaque white first (an early version lost it), a run of
        // transparent pixels, half-transparent red.
        let mut rgba = vec![255u8; 4 * 3];
        rgba.extend([0u8; 4 * 6]);
        rgba.extend([128, 0, 0, 128].repeat(3));
        let png = encode(&rgba, 4, 3).unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgb8();
        let px: Vec<[u8; 3]> = back.pixels().map(|p| p.0).collect();
        assert_eq!(&px[..3], &[[255, 255, 255]; 3]);
        assert_eq!(&px[3..9], &[[255, 255, 255]; 6], "transparent is white");
        assert_eq!(&px[9..], &[[255, 127, 127]; 3]);
    }

    #[test]
    fn svg_is_drawn_at_300_dpi_once_per_process() {
        let layouts = Folder::builtin_layouts();
        let logo = layouts.get("federations/fspmi.svg").unwrap().clone();
        let mut p = Pictures::default();
        let (a, w) = p.request(&logo, Some(25.4), 100.0).unwrap();
        assert_eq!(w, 25.4);
        assert_eq!(stand_in_index(&a.stand_in), Some(0));
        let (b, _) = p.request(&logo, Some(25.4), 100.0).unwrap();
        assert_eq!(
            a.stand_in, b.stand_in,
            "the same picture twice is one picture"
        );
        let (c, w) = p.request(&logo, Some(10.0), 100.0).unwrap();
        assert_eq!(w, 10.0, "printed 10 mm wide…");
        assert_eq!(
            c.stand_in, a.stand_in,
            "…from the one drawing at the largest width"
        );
        let store = Store::default();
        let first = p.resolve(&layouts, &store).unwrap().pictures;
        let again = p.resolve(&layouts, &store).unwrap().pictures;
        assert!(Arc::ptr_eq(&first[0], &again[0]), "served from the cache");
        let decoded = image::load_from_memory(&first[0]).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (300, 300));
        // Text is drawn with the bundled font: some pixels are the logo's blue.
        assert!(decoded.pixels().any(|px| px.0 == [0x1F, 0x4E, 0x9D]));
    }

    #[test]
    fn each_layouts_folder_draws_with_its_own_fonts() {
        let folder = |font: &[u8]| Folder {
            display: "layouts".into(),
            files: [("fonts/a.ttf".to_string(), FileBytes::from(font))].into(),
            links_out: Default::default(),
        };
        let (shared, own) = (folder(b"one"), folder(b"two"));
        // The paket's shared folder, as every module holds it (the same bytes), and a
        // module's own: before, the first folder asked for served every module.
        let again = shared.clone();
        assert_eq!(
            content_key(&shared, b"<svg/>", 10),
            content_key(&again, b"<svg/>", 10)
        );
        assert!(Arc::ptr_eq(&fonts_of(&shared), &fonts_of(&again)));
        assert_ne!(
            content_key(&shared, b"<svg/>", 10),
            content_key(&own, b"<svg/>", 10)
        );
        assert!(!Arc::ptr_eq(&fontdb(&shared), &fontdb(&own)));
    }
}
