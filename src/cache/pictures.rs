//! The drawings kept between builds (`out/.modulpress/pictures/KEY.png`): the SVG pictures
//! of the DOCX copies and PPTX decks drawn at 300 dpi, so that a build after an edit that
//! left them alone does not draw them again.
//!
//! Each is named by its content key (`render::docx::pictures`: this build of modulpress,
//! the fonts, the width in pixels, the SVG) and listed in the cache with the sha256 of its
//! PNG: a file that is not the one written is drawn again. Like the rest of the cache this
//! is only an optimisation: the files are written after the commit, unsynced, and a file
//! that cannot be read is drawn again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::render::PictureStore;

/// Where the drawings live, relative to the output folder.
pub const DIR: &str = ".modulpress/pictures";

/// The drawings `index` lists (content key to the sha256 of the PNG) that are in `root`
/// as they were written, as a store for the backends.
pub fn load(root: &Path, index: &BTreeMap<String, String>) -> PictureStore {
    let dir = root.join(DIR);
    let earlier: HashMap<String, Arc<[u8]>> = index
        .iter()
        .filter(|(key, _)| is_key(key))
        .filter_map(|(key, sha)| {
            let png = std::fs::read(dir.join(format!("{key}.png"))).ok()?;
            (hex(&Sha256::digest(&png)) == *sha).then(|| (key.clone(), Arc::from(png)))
        })
        .collect();
    PictureStore::with(earlier)
}

/// The index after a build: the drawings that the outputs the cache now records show
/// (`shown`, their `Record::drawings`), each as this build `used` it or as the `old` index
/// had it. A drawing no output shows any more (an SVG edited since) is dropped.
pub fn index<'a>(
    old: &BTreeMap<String, String>,
    used: &BTreeMap<String, Arc<[u8]>>,
    shown: impl IntoIterator<Item = &'a String>,
) -> BTreeMap<String, String> {
    // Each drawing once, however many outputs show it (a diagram is in every copy).
    let shown: BTreeSet<&String> = shown.into_iter().collect();
    shown
        .into_iter()
        .filter_map(|key| {
            let sha = match used.get(key) {
                Some(png) => hex(&Sha256::digest(png)),
                None => old.get(key)?.clone(),
            };
            Some((key.clone(), sha))
        })
        .collect()
}

/// The files to write after the commit: the drawings `used` that `earlier` did not hold,
/// by their name in [`DIR`].
pub fn new_files<'a>(
    used: &'a BTreeMap<String, Arc<[u8]>>,
    earlier: &PictureStore,
) -> Vec<(String, &'a [u8])> {
    used.iter()
        .filter(|(key, _)| !earlier.holds(key))
        .map(|(key, png)| (format!("{key}.png"), &png[..]))
        .collect()
}

/// The file names in [`DIR`] that `index` lists.
pub fn names(index: &BTreeMap<String, String>) -> BTreeSet<String> {
    index.keys().map(|key| format!("{key}.png")).collect()
}

/// A content key is 64 lower-case hex digits: never a path.
fn is_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_holds_the_drawings_that_recorded_outputs_show() {
        let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let old = BTreeMap::from([(a.clone(), "1".to_string()), (c.clone(), "3".to_string())]);
        let png: Arc<[u8]> = Arc::from(&b"png"[..]);
        let used = BTreeMap::from([(b.clone(), png)]);
        let sha = hex(&Sha256::digest(b"png"));
        assert_eq!(
            index(&old, &used, [&a, &b, &b]),
            BTreeMap::from([(a.clone(), "1".to_string()), (b.clone(), sha)]),
            "a kept output's drawing stays, a new one is added, one no output shows goes"
        );
        assert!(
            index(&old, &used, [&"d".repeat(64)]).is_empty(),
            "never drawn"
        );
    }

    #[test]
    fn only_a_kept_drawing_whose_bytes_match_is_served() {
        let dir = crate::test_dir::TestDir::new("pictures-load");
        let root: &Path = &dir;
        std::fs::create_dir_all(root.join(DIR)).unwrap();
        let good = "a".repeat(64);
        let bad = "b".repeat(64);
        std::fs::write(root.join(DIR).join(format!("{good}.png")), b"good").unwrap();
        std::fs::write(root.join(DIR).join(format!("{bad}.png")), b"changed").unwrap();
        let index = BTreeMap::from([
            (good.clone(), hex(&Sha256::digest(b"good"))),
            (bad.clone(), hex(&Sha256::digest(b"bad"))),
            ("../x".to_string(), hex(&Sha256::digest(b"good"))),
        ]);
        let store = load(root, &index);
        assert!(store.holds(&good));
        assert!(!store.holds(&bad), "a file not as written is drawn again");
        assert!(!store.holds("../x"), "a key is never a path");
    }
}
