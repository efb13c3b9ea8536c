//! The in-memory bundle: the module and layouts folders, read once, then only looked up.
//!
//! Every backend reads files through [`Folder::get`], which refuses absolute paths and `..`,
//! so nothing outside the two folders can be reached.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/default_layouts.rs"));

/// The bytes of one file, shared between threads without copying.
pub type FileBytes = Arc<[u8]>;

/// One folder's files, keyed by their `/`-separated path relative to the folder.
#[derive(Debug, Clone)]
pub struct Folder {
    /// How messages name the folder: a path relative to the current folder when inside it.
    pub display: String,
    pub files: BTreeMap<String, FileBytes>,
    /// Symbolic links that lead outside the folder (or nowhere): not read, but known, so
    /// that a message can say why such a file is missing.
    pub links_out: std::collections::BTreeSet<String>,
}

/// How messages name the built-in layouts.
const BUILTIN: &str = "<built-in layouts>";

/// The module folder and the layouts folder.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub source: Folder,
    pub layouts: Folder,
}

impl Folder {
    /// Read every regular file under `dir` (hidden files and folders skipped). Symbolic links
    /// are followed only when they stay inside `dir`.
    pub fn read(dir: &Path) -> std::io::Result<Folder> {
        let canon = dir.canonicalize()?;
        let mut files = BTreeMap::new();
        let mut links_out = Default::default();
        let mut seen = vec![canon.clone()];
        read_into(&canon, &canon, &mut files, &mut links_out, &mut seen)?;
        Ok(Folder {
            display: display_path(dir),
            files,
            links_out,
        })
    }

    /// Whether this is [`Folder::builtin_layouts`], not a folder on disk.
    pub fn is_builtin(&self) -> bool {
        self.display == BUILTIN
    }

    /// Whether this folder's file `name` is the built-in layouts' own (or absent): what
    /// modulpress knows of it holds, not a designer's change.
    pub fn has_builtin(&self, name: &str) -> bool {
        let builtin = DEFAULT_LAYOUTS.iter().find(|(n, _)| *n == name);
        match (self.files.get(name), builtin) {
            (None, _) => true,
            (Some(bytes), Some((_, b))) => &bytes[..] == *b,
            (Some(_), None) => false,
        }
    }

    /// The default layouts compiled into the binary.
    pub fn builtin_layouts() -> Folder {
        let files = DEFAULT_LAYOUTS
            .iter()
            .map(|(name, bytes)| (name.to_string(), FileBytes::from(*bytes)))
            .collect();
        Folder {
            display: BUILTIN.into(),
            files,
            links_out: Default::default(),
        }
    }

    /// The symbolic link leading outside the folder that `rel` is, or is inside of (a
    /// linked `images` folder for `images/a.svg`): not read, so a message can say why.
    pub fn link_out_of(&self, rel: &str) -> Option<&str> {
        let rel = normalize(rel)?;
        let mut at = rel.as_str();
        loop {
            if let Some(link) = self.links_out.get(at) {
                return Some(link.as_str());
            }
            at = at.rsplit_once('/')?.0;
        }
    }

    /// A file by its path relative to the folder; `None` for paths that leave the folder.
    pub fn get(&self, rel: &str) -> Option<&FileBytes> {
        self.files.get(&normalize(rel)?)
    }

    /// Text of a file (UTF-8, lossy).
    pub fn text(&self, rel: &str) -> Option<String> {
        self.get(rel)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The path messages show for a file of this folder.
    pub fn display_of(&self, rel: &str) -> String {
        if self.display.is_empty() || self.display == "." {
            rel.to_string()
        } else {
            format!("{}/{}", self.display.trim_end_matches('/'), rel)
        }
    }

    /// Paths of the files directly inside `dir` (relative to the folder) ending in `ext`.
    pub fn list(&self, dir: &str, ext: &str) -> Vec<String> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        self.files
            .keys()
            .filter(|k| {
                k.starts_with(&prefix) && !k[prefix.len()..].contains('/') && k.ends_with(ext)
            })
            .cloned()
            .collect()
    }
}

/// `path` made absolute with its links resolved as far as it exists (the rest, which does
/// not exist yet, appended with `.` and `..` taken lexically): where a write would land.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(c) = existing.canonicalize() {
            break c;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            // `..` at the end, or the root: nothing more to resolve.
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = base;
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    out
}

/// Normalise a relative path (`a/./b` → `a/b`); `None` if it is absolute or climbs out.
pub fn normalize(rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.starts_with('\\') || rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

fn read_into(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, FileBytes>,
    links_out: &mut std::collections::BTreeSet<String>,
    seen: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let rel = || {
            path.strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let Ok(real) = path.canonicalize() else {
            links_out.insert(rel());
            continue;
        };
        if !real.starts_with(root) {
            links_out.insert(rel());
            continue;
        }
        if real.is_dir() {
            // A link to a folder already read (a loop, or twice the same folder) is skipped.
            if seen.contains(&real) {
                continue;
            }
            seen.push(real);
            read_into(root, &path, files, links_out, seen)?;
        } else if real.is_file() {
            files.insert(rel(), FileBytes::from(std::fs::read(&real)?));
        }
    }
    Ok(())
}

/// `path` as a user types it in a shell: quoted when it holds anything but plain characters.
pub fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:@".contains(c));
    if plain {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `dir` as messages show it: relative to the current folder when inside it.
pub fn display_path(dir: &Path) -> String {
    // A symbolic link is named as itself, not as where it leads.
    let abs = match (dir.parent(), dir.file_name()) {
        (Some(parent), Some(name))
            if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent.canonicalize().map(|p| p.join(name))
        }
        _ => dir.canonicalize(),
    };
    if let (Ok(cwd), Ok(abs)) = (std::env::current_dir(), abs)
        && let Ok(rel) = abs.strip_prefix(&cwd)
    {
        let s = rel.to_string_lossy().to_string();
        return if s.is_empty() { ".".into() } else { s };
    }
    dir.to_string_lossy().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_folder() {
        assert_eq!(normalize("images/./a.svg").as_deref(), Some("images/a.svg"));
        assert_eq!(normalize("../etc/passwd"), None);
        assert_eq!(normalize("images/../../x"), None);
        assert_eq!(normalize("/etc/passwd"), None);
        assert_eq!(normalize("C:/x"), None);
    }

    #[test]
    fn a_layouts_file_changed_by_a_designer_is_not_the_builtin_one() {
        let mut folder = Folder::builtin_layouts();
        assert!(folder.has_builtin("slides.typ"));
        folder.files.insert(
            "slides.typ".to_string(),
            FileBytes::from(&b"// a designer's slides\n"[..]),
        );
        assert!(!folder.has_builtin("slides.typ"));
        assert!(folder.has_builtin("booklet.typ"));
    }

    #[test]
    fn builtin_layouts_are_embedded() {
        let f = Folder::builtin_layouts();
        assert!(f.get("locale/id.toml").is_some());
    }
}
