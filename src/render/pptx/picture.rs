//! Pictures: PNG and JPEG embedded as they are (a JPEG turned upright), an SVG embedded
//! with a PNG beside it, as PowerPoint itself stores one (`a:blip` names the PNG, its
//! `asvg:svgBlip` extension the SVG: PowerPoint 2016 and later draw the SVG, older
//! readers and LibreOffice the PNG). The PNGs are drawn by the DOCX backend's picture
//! cache, once per process for every deck.

use std::collections::HashMap;
use std::sync::Arc;

use crate::bundle::{FileBytes, Folder};
use crate::render::docx::pictures::{Pictures, Store};

use super::xml::esc;

/// A media file: its name under `ppt/` and its bytes.
pub type MediaFile = (String, Arc<[u8]>);

/// A picture of the package: its media files and its height/width ratio.
#[derive(Debug, Clone)]
pub struct Pic {
    /// `media/imageN.png` or `.jpeg`: what every reader shows.
    pub raster: String,
    /// `media/imageN.svg` for an SVG.
    pub svg: Option<String>,
    pub ratio: f32,
}

/// The media of one package, named in the order they are first requested.
#[derive(Default)]
pub struct Media {
    pictures: Pictures,
    /// Per request of `pictures`: its files, and the SVG's bytes.
    files: Vec<(Pic, Option<FileBytes>)>,
    seen: HashMap<(usize, usize), usize>,
    count: usize,
}

impl Media {
    /// Ask for `bytes` shown `width_mm` wide.
    pub fn request(&mut self, bytes: &FileBytes, width_mm: f32) -> Result<Pic, String> {
        let (req, _) = self.pictures.request(bytes, Some(width_mm), 400.0)?;
        let key = (bytes.as_ptr() as usize, bytes.len());
        if let Some(&i) = self.seen.get(&key) {
            return Ok(self.files[i].0.clone());
        }
        let info = crate::render::docx::pictures::natural(bytes)?;
        let mut next = |ext: &str| {
            self.count += 1;
            format!("media/image{}.{ext}", self.count)
        };
        let (raster, svg) = match info.kind {
            crate::images::ImageKind::Svg => (next("png"), Some(next("svg"))),
            crate::images::ImageKind::Jpeg => (next("jpeg"), None),
            crate::images::ImageKind::Png => (next("png"), None),
        };
        let pic = Pic {
            raster,
            svg: svg.clone(),
            ratio: req.ratio,
        };
        self.seen.insert(key, self.files.len());
        self.files.push((pic.clone(), svg.map(|_| bytes.clone())));
        Ok(pic)
    }

    /// Every media file, `(name under ppt/, bytes)`, in the order of their names, and the
    /// content keys of the drawings among them.
    pub fn finish(
        self,
        layouts: &Folder,
        store: &Store,
    ) -> Result<(Vec<MediaFile>, Vec<String>), String> {
        let resolved = self.pictures.resolve(layouts, store)?;
        let drawn = resolved.pictures;
        let mut out = Vec::new();
        for ((pic, svg), bytes) in self.files.into_iter().zip(drawn) {
            out.push((pic.raster, bytes));
            if let (Some(name), Some(svg)) = (pic.svg, svg) {
                out.push((name, svg));
            }
        }
        Ok((out, resolved.drawings))
    }
}

/// The relationship type of pictures.
pub const IMAGE: &str = "image";

/// A `p:pic` shape showing `pic` (whose raster is relationship `raster_rel`, its SVG
/// `svg_rel`) in `r`, with `descr` as its alternative text.
pub fn pic_shape(
    id: u32,
    descr: &str,
    raster_rel: &str,
    svg_rel: Option<&str>,
    r: super::master::Rect,
) -> String {
    let ext = svg_rel.map_or(String::new(), |svg| {
        format!(
            "<a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"{svg}\"/></a:ext></a:extLst>"
        )
    });
    format!(
        "<p:pic><p:nvPicPr><p:cNvPr id=\"{id}\" name=\"Picture {id}\" descr=\"{}\"/><p:cNvPicPr><a:picLocks noChangeAspect=\"1\"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed=\"{raster_rel}\">{ext}</a:blip><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr></p:pic>",
        esc(descr),
        r.xfrm()
    )
}
