//! The limits on input: far beyond what a real module reaches, low enough that every
//! backend can set what passes them in bounded time and memory. README.md lists them.

/// How deep blocks may hold blocks (`:::` blocks, quotes, lists, footnotes together).
pub const MAX_DEPTH: usize = 16;

/// How deep emphasis, bold and links may hold each other.
pub const MAX_INLINE_DEPTH: usize = 16;

/// The longest paragraph (or heading, or table cell), in characters: about six A5 pages.
pub const MAX_PARAGRAPH_CHARS: usize = 20_000;

/// The most footnotes one session file may have.
pub const MAX_FOOTNOTES: usize = 1_000;

/// The most columns a table may have.
pub const MAX_TABLE_COLUMNS: usize = 30;

/// The longest module or federation id, in characters: ids name the output files
/// (`docx/FED/MOD-facilitator.docx`, `slides/MOD-FED.pdf`), and a file name may have at
/// most 255 bytes.
pub const MAX_ID_CHARS: usize = 64;

/// The largest raster picture, in megapixels (a 50-megapixel camera's photo); decoding
/// takes 4 bytes a pixel.
pub const MAX_MEGAPIXELS: u64 = 50;

/// The largest an SVG may grow to once its XML entities are expanded, in bytes.
pub const MAX_SVG_EXPANDED: u64 = 20 * 1024 * 1024;

/// The largest text file (a session, a preface), in bytes.
pub const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;

/// The most headings a module may have (the FOA module has 84): each one is a table of
/// contents entry, a PDF bookmark and a link target in every output.
pub const MAX_HEADINGS: usize = 1_000;

/// The most text a module may have, all sessions together, in bytes (the FOA module has
/// 137 KB): about 1,500 A5 pages, which Typst lays out in about 1 GB.
pub const MAX_MODULE_BYTES: usize = 2 * 1024 * 1024;

/// The most a raster picture may take once decoded, in bytes: 50 megapixels at 4 bytes a
/// pixel (a 16-bit or CMYK picture reaches it with fewer pixels).
pub const MAX_DECODED_BYTES: u64 = 200 * 1000 * 1000;

/// The most metadata a PNG may carry (colour profile, text, any ancillary chunk), counted
/// as it is once inflated, in bytes. Real colour profiles take a few KB to 1 MB.
pub const MAX_PNG_METADATA: u64 = 8 * 1024 * 1024;

/// The longest side of a picture at most this many times its shortest: the rasterisers
/// draw a picture at the width it is printed, so the height follows the ratio.
pub const MAX_ASPECT_RATIO: f32 = 50.0;

/// The most segments (lines and curves) one path of an SVG may have. Filling a path costs
/// about the square of its segments where they cross (a scribbled line of 40,000 segments
/// takes 10 s to draw for the DOCX copies, 400,000 would take many minutes); a drawing's
/// outlines, even a traced map's, are many paths of fewer.
pub const MAX_PATH_SEGMENTS: usize = 20_000;

/// The most segments all the paths of an SVG may have together.
pub const MAX_SVG_SEGMENTS: usize = 200_000;

/// The most pixels a drawing of an SVG may have (the DOCX copies draw SVGs at 300 dpi
/// at their printed width; a taller drawing is drawn at a lower resolution instead).
pub const MAX_DRAWN_PIXELS: u64 = 40 * 1000 * 1000;

/// The most combining marks (accents, joiners, variation selectors: every character of a
/// grapheme after its first) one character may carry. Unicode's stream-safe format
/// (UAX #15) allows 30; real scripts need a handful. Typst's line breaker takes memory
/// with the square of a cluster's length: 3,000 marks on one letter took 1.6 GB.
pub const MAX_COMBINING_MARKS: usize = 30;

/// The most octaves an SVG's `feTurbulence` may ask for: each one is a pass over every pixel
/// of the filter's region, and beyond 10 the noise no longer changes visibly.
pub const MAX_SVG_TURBULENCE_OCTAVES: u32 = 10;

/// How far an SVG filter's region may reach beyond the picture, as a multiple of its width
/// and height: a filter drawn over a region many times the picture costs the square.
pub const MAX_SVG_FILTER_REACH: f32 = 3.0;

/// The most filter steps (primitives) one SVG may have.
pub const MAX_SVG_FILTER_STEPS: usize = 64;

/// The longest module title (`module.toml`), in characters: the cover and the deck's title
/// slide set it large.
pub const MAX_TITLE_CHARS: usize = 80;

/// The longest subtitle or series name (`module.toml`), in characters: more runs over the
/// cover's label.
pub const MAX_SUBTITLE_CHARS: usize = 120;

/// The longest session title (the `#` heading), in characters: the divider slide and the
/// running heads set it.
pub const MAX_SESSION_TITLE_CHARS: usize = 120;

/// The most lines (paragraphs, list items, table rows, code lines) one slide may hold
/// before layout. At its smallest text (`min-size` in `slides.typ`) a slide shows about 20;
/// above this bound the deck is refused at once instead of being laid out to find that
/// out (a 5,000-row table on a slide took 13 s and 2.9 GB).
pub const MAX_SLIDE_LINES: usize = 60;
