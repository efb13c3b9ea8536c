//! Pictures far larger than any page prints them, made smaller before Typst reads them:
//! Typst keeps every picture of a document decoded while it lays it out (4 bytes a pixel),
//! so 32 photos of 49 megapixels took 5.1 GB to build. A picture whose longest side
//! passes [`MAX_PRINT_SIDE`] is scaled to it, which is still more than 300 dpi across a
//! whole A4 page (the imposed sheet), and so more than any booklet or slide prints it at.

use image::imageops::FilterType;

use super::{ImageKind, image_info, jpeg_orientation};

/// The longest side, in pixels, a picture is given to Typst at: 300 dpi over 254 mm
/// (the 16:9 slide's width; an A5 page with its bleed is 216 mm tall).
pub const MAX_PRINT_SIDE: u32 = 3000;

/// The picture `bytes` scaled for print, or `None` when it is small enough as it is (or
/// not a PNG or JPEG, or one that cannot be read: Typst says so then). A JPEG stays a
/// JPEG (quality 92, its EXIF turn applied, as the tag is not kept), a PNG a PNG.
pub fn for_print(bytes: &[u8]) -> Option<Vec<u8>> {
    let info = image_info(bytes).ok()?;
    let format = match info.kind {
        ImageKind::Png => image::ImageFormat::Png,
        ImageKind::Jpeg => image::ImageFormat::Jpeg,
        ImageKind::Svg => return None,
    };
    let (w, h) = (info.width as u32, info.height as u32);
    if w.max(h) <= MAX_PRINT_SIDE {
        return None;
    }
    let mut img = image::load_from_memory_with_format(bytes, format).ok()?;
    if info.kind == ImageKind::Jpeg
        && let Some(o) = jpeg_orientation(bytes)
    {
        img.apply_orientation(o);
    }
    let scale = MAX_PRINT_SIDE as f64 / img.width().max(img.height()) as f64;
    let nw = ((img.width() as f64 * scale).round() as u32).max(1);
    let nh = ((img.height() as f64 * scale).round() as u32).max(1);
    // Twice as large or more: each pixel the mean of the pixels it covers (fast, and
    // no aliasing at such a reduction); else a cubic filter.
    let small = if scale <= 0.5 {
        img.thumbnail_exact(nw, nh)
    } else {
        img.resize_exact(nw, nh, FilterType::CatmullRom)
    };
    let mut out = Vec::new();
    match info.kind {
        ImageKind::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
            .encode_image(&small.to_rgb8())
            .ok()?,
        _ => small
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .ok()?,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_picture_larger_than_print_is_scaled_to_it_and_a_smaller_one_is_kept() {
        assert!(for_print(&png(3000, 200)).is_none());
        let small = for_print(&png(6000, 1500)).unwrap();
        let info = image_info(&small).unwrap();
        assert_eq!(
            (info.kind, info.width, info.height),
            (ImageKind::Png, 3000.0, 750.0)
        );
        assert_eq!(
            for_print(&png(6000, 1500)).unwrap(),
            small,
            "the same bytes every time"
        );
    }
}
