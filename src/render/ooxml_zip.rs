//! The zip of an Open XML package (the DOCX copies, the PPTX decks): fixed times and modes,
//! so that the same parts give the same bytes; parts over 4 KB deflated at the fastest
//! level, smaller parts and pictures stored.

use std::io::Write;

use zip::write::SimpleFileOptions;

/// Parts this small cost more to deflate (a stream to set up) than they save.
const DEFLATE_FROM: usize = 4096;

/// One part of a package, by its name in the zip.
pub struct Part<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// A picture, compressed already: stored as it is.
    pub picture: bool,
}

/// Zip `parts` in their order.
pub fn zip<'a>(parts: impl IntoIterator<Item = Part<'a>>) -> Result<Vec<u8>, String> {
    write(parts).map_err(|e| e.to_string())
}

fn write<'a>(parts: impl IntoIterator<Item = Part<'a>>) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let deflated = base
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let stored = base.compression_method(zip::CompressionMethod::Stored);
    for part in parts {
        let options = if part.bytes.len() > DEFLATE_FROM && !part.picture {
            deflated
        } else {
            stored
        };
        z.start_file(part.name, options)?;
        z.write_all(part.bytes)?;
    }
    Ok(z.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_parts_give_the_same_bytes_and_pictures_are_stored() {
        let text = "<w:p/>".repeat(1000);
        let picture = vec![7u8; 8000];
        let make = || {
            zip([
                Part {
                    name: "word/document.xml",
                    bytes: text.as_bytes(),
                    picture: false,
                },
                Part {
                    name: "word/media/image1.png",
                    bytes: &picture,
                    picture: true,
                },
            ])
            .unwrap()
        };
        let bytes = make();
        assert_eq!(bytes, make());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let document = archive.by_name("word/document.xml").unwrap();
        assert_eq!(document.compression(), zip::CompressionMethod::Deflated);
        drop(document);
        let image = archive.by_name("word/media/image1.png").unwrap();
        assert_eq!(image.compression(), zip::CompressionMethod::Stored);
        assert_eq!(image.size(), 8000);
    }
}
