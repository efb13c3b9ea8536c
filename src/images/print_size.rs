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
/// JPEG (quality 92, its EXIF turn applied, as the tag is not kept), a PNG a PNG; either
/// keeps its colour profile (a photo in Adobe RGB prints as its colours).
pub fn for_print(bytes: &[u8]) -> Option<Vec<u8>> {
    use image::{ImageDecoder, ImageEncoder};
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
    let mut decoder = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_decoder()
        .ok()?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = image::DynamicImage::from_decoder(decoder).ok()?;
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
        ImageKind::Jpeg => {
            let rgb = small.to_rgb8();
            let mut e = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
            if let Some(icc) = icc {
                let _ = e.set_icc_profile(icc);
            }
            e.write_image(
                &rgb,
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )
            .ok()?;
        }
        _ => {
            let mut e = image::codecs::png::PngEncoder::new(&mut out);
            if let Some(icc) = icc {
                let _ = e.set_icc_profile(icc);
            }
            e.write_image(
                small.as_bytes(),
                small.width(),
                small.height(),
                small.color().into(),
            )
            .ok()?;
        }
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
    fn a_scaled_picture_keeps_its_colour_profile() {
        use image::ImageEncoder;
        // Any bytes do for a profile here: the PNG carries them in its `iCCP` chunk.
        let icc = b"modulpress-test-profile".to_vec();
        let img = image::RgbImage::from_pixel(4000, 100, image::Rgb([10, 200, 30]));
        let mut png_bytes = Vec::new();
        let mut e = image::codecs::png::PngEncoder::new(&mut png_bytes);
        e.set_icc_profile(icc.clone()).unwrap();
        e.write_image(img.as_raw(), 4000, 100, image::ExtendedColorType::Rgb8)
            .unwrap();
        let small = for_print(&png_bytes).unwrap();
        assert!(
            small.windows(4).any(|w| w == b"iCCP"),
            "the profile is kept"
        );
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
