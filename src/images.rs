//! Recognising and measuring pictures (PNG, JPEG, SVG) from their bytes.

use serde::Serialize;

/// The formats the source may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Png,
    Jpeg,
    Svg,
}

/// What a picture is and how large: pixels for raster images, CSS pixels (1/96 in) for SVG.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: f32,
    pub height: f32,
}

/// Decode enough of `bytes` to know the format and size. `name` decides nothing; the
/// content does (a PNG named `.jpg` is still a PNG).
pub fn image_info(bytes: &[u8]) -> Result<ImageInfo, String> {
    if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8") {
        let kind = if bytes[0] == 0x89 {
            ImageKind::Png
        } else {
            ImageKind::Jpeg
        };
        let format = if kind == ImageKind::Png {
            image::ImageFormat::Png
        } else {
            image::ImageFormat::Jpeg
        };
        let reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let name = if kind == ImageKind::Png {
            "PNG"
        } else {
            "JPEG"
        };
        let damaged = |_| format!("the {name} data is damaged or incomplete");
        let (w, h) = reader.into_dimensions().map_err(damaged)?;
        // Decoding the header is not enough to trust the file: decode it whole.
        image::load_from_memory_with_format(bytes, format).map_err(damaged)?;
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
    let tree = resvg::usvg::Tree::from_str(text, &resvg::usvg::Options::default())
        .map_err(|e| e.to_string())?;
    let size = tree.size();
    Ok(ImageInfo {
        kind: ImageKind::Svg,
        width: size.width(),
        height: size.height(),
    })
}

#[cfg(test)]
mod tests {
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
}
