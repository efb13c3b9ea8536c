//! Walking a PNG's chunks before any decoder sees it: a chunk that claims more bytes than
//! the file holds, or metadata (colour profile, text) that is or inflates to more than
//! [`MAX_PNG_METADATA`], is refused. A PNG decoder reads every chunk before the pixels,
//! and Typst's decoder sets no limit: a 1 MB file whose `iCCP` profile inflates to 1 GiB
//! took 5.9 GB.

use crate::limits::MAX_PNG_METADATA;

/// Check every chunk of a PNG (`bytes` starts with its signature).
pub fn check_chunks(bytes: &[u8]) -> Result<(), String> {
    const DAMAGED: &str = "the PNG data is damaged or incomplete";
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.get(12..16) != Some(b"IHDR") {
        return Err(DAMAGED.into());
    }
    let mut at = 8;
    let mut metadata: u64 = 0;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 8) else {
            return Err(DAMAGED.into());
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(DAMAGED.into());
        }
        let name = String::from_utf8_lossy(kind).into_owned();
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(len))
            .filter(|&end| end <= bytes.len() && len <= 0x7FFF_FFFF);
        let Some(end) = end else {
            return Err(format!(
                "{DAMAGED}: its `{name}` chunk claims {len} bytes, more than the file holds"
            ));
        };
        let data = &bytes[at + 8..at + 8 + len];
        if kind == b"IEND" {
            break;
        }
        // Ancillary chunks have a lower-case first letter; the critical ones (header,
        // palette, pixels) are bounded by the picture's size.
        if kind[0] & 0x20 != 0 {
            let left = MAX_PNG_METADATA.saturating_sub(metadata);
            let size = match kind {
                b"iCCP" => inflated(after_nul(data, 1), left),
                b"zTXt" => inflated(after_nul(data, 1), left),
                b"iTXt" if itxt_compressed(data) => {
                    // keyword \0 flag method language \0 translated keyword \0 text
                    let rest = after_nul(data, 2);
                    inflated(after_nul(after_nul(rest, 0), 0), left)
                }
                _ => len as u64,
            };
            metadata = metadata.saturating_add(size);
            if metadata > MAX_PNG_METADATA {
                return Err(format!(
                    "its metadata is too large: the `{name}` chunk{} brings it over {} MB, the limit; save the picture again without its colour profile and text (in GIMP: Export, untick “Save color profile” and the comments)",
                    if matches!(kind, b"iCCP" | b"zTXt" | b"iTXt") {
                        " (once inflated)"
                    } else {
                        ""
                    },
                    MAX_PNG_METADATA / (1024 * 1024)
                ));
            }
        }
        at = end;
    }
    Ok(())
}

/// The bytes after the first NUL of `data` (a keyword) and `skip` more bytes.
fn after_nul(data: &[u8], skip: usize) -> &[u8] {
    let start = data
        .iter()
        .position(|&b| b == 0)
        .map_or(data.len(), |i| i + 1);
    data.get(start + skip..).unwrap_or(&[])
}

fn itxt_compressed(data: &[u8]) -> bool {
    after_nul(data, 0).first() == Some(&1)
}

/// How many bytes a zlib stream inflates to, counted up to one byte more than `limit`
/// (never allocating more). A damaged stream counts as what it gives before the damage:
/// decoders drop such chunks.
fn inflated(stream: &[u8], limit: u64) -> u64 {
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(stream, cap) {
        Ok(v) => v.len() as u64,
        Err(e) => e.output.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        out.extend([0; 4]); // the CRC is not checked here
    }

    fn png(extra: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        for (kind, data) in extra {
            chunk(&mut out, kind, data);
        }
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn zlib_zeros(n: usize) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; n], 9)
    }

    #[test]
    fn a_small_profile_and_text_pass() {
        let mut iccp = b"icc\0\0".to_vec();
        iccp.extend(zlib_zeros(3000));
        assert_eq!(
            check_chunks(&png(&[(b"iCCP", iccp), (b"tEXt", b"a\0b".to_vec())])),
            Ok(())
        );
    }

    #[test]
    fn a_profile_that_inflates_past_the_limit_is_refused() {
        let mut iccp = b"icc\0\0".to_vec();
        iccp.extend(zlib_zeros(MAX_PNG_METADATA as usize + 10));
        assert!(iccp.len() < 100_000, "small on disk");
        let e = check_chunks(&png(&[(b"iCCP", iccp)])).unwrap_err();
        assert!(e.contains("`iCCP` chunk (once inflated)"), "{e}");
    }

    #[test]
    fn compressed_international_text_counts_inflated() {
        let mut itxt = b"k\0\x01\0en\0\0".to_vec();
        itxt.extend(zlib_zeros(MAX_PNG_METADATA as usize + 10));
        assert!(check_chunks(&png(&[(b"iTXt", itxt)])).is_err());
        let mut plain = b"k\0\x00\0en\0\0".to_vec();
        plain.extend(zlib_zeros(MAX_PNG_METADATA as usize + 10));
        assert_eq!(check_chunks(&png(&[(b"iTXt", plain)])), Ok(()));
    }

    #[test]
    fn a_chunk_longer_than_the_file_is_refused() {
        let mut bytes = png(&[]);
        bytes.truncate(8 + 12 + 13);
        bytes.extend(0x4000_0000u32.to_be_bytes());
        bytes.extend(b"iCCPabc");
        let e = check_chunks(&bytes).unwrap_err();
        assert!(e.contains("`iCCP` chunk claims 1073741824 bytes"), "{e}");
    }
}
