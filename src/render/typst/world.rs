//! The Typst `World` over the in-memory bundle: fonts, library and files built once per
//! build and shared immutably by every thread; a light per-document world on top.
//!
//! Only two folders can be reached: the module folder under `/src/` and the layouts folder
//! under `/layouts/`. Fonts come only from `layouts/fonts/`, never from the system, so every
//! machine makes the same bytes.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::bundle::Bundle;
use crate::model::Date;

/// Virtual folder of the module's files.
pub const SOURCE_ROOT: &str = "/src/";
/// Virtual folder of the layouts.
pub const LAYOUTS_ROOT: &str = "/layouts/";

/// What every document of a build shares: the standard library, the fonts and the files.
/// The library and fonts are shared by every module of a build whose layouts have the same
/// fonts (`Fonts`); the files are the module's own (its sandbox).
pub struct Engine {
    base: std::sync::Arc<Base>,
    files: HashMap<FileId, Bytes>,
    /// The layouts' Typst templates, parsed once.
    sources: HashMap<FileId, Source>,
    /// The module's pictures as Typst reads them (`images::print_size`), made on first
    /// use, once for every document of the engine.
    for_print: std::sync::Mutex<HashMap<FileId, std::sync::Arc<std::sync::OnceLock<Bytes>>>>,
}

/// A file id in the project root for a virtual path such as `/layouts/booklet.typ`.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The virtual path of a file id, with its leading slash.
pub fn path_of(id: FileId) -> String {
    id.vpath().get_with_slash().to_string()
}

/// The standard library and the fonts of one layouts folder.
struct Base {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The fonts and library made once per build, by the font files they were made from: the
/// modules of a paket that share their layouts share one.
#[derive(Default)]
pub struct Fonts {
    made: std::sync::Mutex<Vec<(Vec<crate::bundle::FileBytes>, std::sync::Arc<Base>)>>,
}

impl Fonts {
    /// The base for `files` (the font files of a layouts folder), made on first use.
    fn base(&self, files: Vec<crate::bundle::FileBytes>) -> std::sync::Arc<Base> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let same = |a: &[crate::bundle::FileBytes]| {
            a.len() == files.len()
                && a.iter()
                    .zip(&files)
                    .all(|(x, y)| std::sync::Arc::ptr_eq(x, y) || x == y)
        };
        if let Some((_, base)) = made.iter().find(|(f, _)| same(f)) {
            return base.clone();
        }
        let fonts: Vec<Font> = files
            .iter()
            .flat_map(|b| Font::iter(Bytes::new(b.clone())))
            .collect();
        let base = std::sync::Arc::new(Base {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        });
        made.push((files, base.clone()));
        base
    }
}

impl Engine {
    /// Load the fonts of `layouts/fonts/` (or take them from `shared`, which made them for
    /// the same font files) and index both folders' files.
    pub fn new(bundle: &Bundle, shared: &Fonts) -> Engine {
        let mut font_files = Vec::new();
        let mut files = HashMap::new();
        let mut sources = HashMap::new();
        for (root, folder) in [
            (SOURCE_ROOT, &bundle.source),
            (LAYOUTS_ROOT, &bundle.layouts),
        ] {
            for (rel, bytes) in &folder.files {
                let Some(id) = file_id(&format!("{root}{rel}")) else {
                    continue;
                };
                let data = Bytes::new(bytes.clone());
                if root == LAYOUTS_ROOT {
                    let lower = rel.to_ascii_lowercase();
                    if lower.starts_with("fonts/")
                        && [".ttf", ".otf", ".ttc"].iter().any(|e| lower.ends_with(e))
                    {
                        font_files.push(bytes.clone());
                    }
                    if lower.ends_with(".typ") {
                        let text = String::from_utf8_lossy(bytes).into_owned();
                        sources.insert(id, Source::new(id, text));
                    }
                }
                files.insert(id, data);
            }
        }
        Engine {
            base: shared.base(font_files),
            files,
            sources,
            for_print: Default::default(),
        }
    }
}

impl Engine {
    /// The same fonts, library and layouts over another module folder's files (the old
    /// edition's, for `build --since`): nothing is loaded again.
    pub fn with_source(&self, source: &crate::bundle::Folder) -> Engine {
        let mut files: HashMap<FileId, Bytes> = self
            .files
            .iter()
            .filter(|(id, _)| !path_of(**id).starts_with(SOURCE_ROOT))
            .map(|(id, b)| (*id, b.clone()))
            .collect();
        for (rel, bytes) in &source.files {
            if let Some(id) = file_id(&format!("{SOURCE_ROOT}{rel}")) {
                files.insert(id, Bytes::new(bytes.clone()));
            }
        }
        Engine {
            base: self.base.clone(),
            files,
            sources: self.sources.clone(),
            for_print: Default::default(),
        }
    }
}

impl Engine {
    /// A module's PNG or JPEG as Typst is given it: scaled down when it is far larger than
    /// any page prints it (`images::print_size`), else as it is.
    fn print_sized(&self, id: FileId, bytes: &Bytes) -> Bytes {
        let path = path_of(id);
        let lower = path.to_ascii_lowercase();
        let raster = [".png", ".jpg", ".jpeg"].iter().any(|e| lower.ends_with(e));
        if !path.starts_with(SOURCE_ROOT) || !raster {
            return bytes.clone();
        }
        let cell = self
            .for_print
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_default()
            .clone();
        cell.get_or_init(|| {
            crate::images::print_size::for_print(bytes).map_or_else(|| bytes.clone(), Bytes::new)
        })
        .clone()
    }
}

/// One document: the shared engine, its generated main file and extra generated files
/// (`/meta.typ`).
pub struct DocWorld<'a> {
    engine: &'a Engine,
    main: Source,
    extra: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
}

impl<'a> DocWorld<'a> {
    /// A world whose main file is `text`, served at `path` (for example `/booklet.typ`).
    pub fn new(engine: &'a Engine, path: &str, text: String, date: Date) -> DocWorld<'a> {
        let id = file_id(path).expect("a valid virtual path");
        DocWorld {
            engine,
            main: Source::new(id, text),
            extra: Vec::new(),
            today: Datetime::from_ymd(date.year.into(), date.month, date.day),
        }
    }

    /// Serve `bytes` at the virtual `path` too.
    pub fn with_file(mut self, path: &str, bytes: Vec<u8>) -> DocWorld<'a> {
        let id = file_id(path).expect("a valid virtual path");
        self.extra.push((id, Bytes::new(bytes)));
        self
    }

    /// The generated main source.
    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.base.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.base.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        if let Some(source) = self.engine.sources.get(&id) {
            return Ok(source.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        if let Some((_, bytes)) = self.extra.iter().find(|(i, _)| *i == id) {
            return Ok(bytes.clone());
        }
        if let Some(bytes) = self.engine.files.get(&id) {
            return Ok(self.engine.print_sized(id, bytes));
        }
        Err(FileError::NotFound(path_of(id).into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.base.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
