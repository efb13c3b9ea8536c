//! `layouts/federations/ID.toml`: one profile per federation.

use serde::Deserialize;
use toml::Spanned;

use super::toml_diag;
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Block, Federation, Rgb, STAND_IN_LOGO, Span};

/// Reads a preface file into blocks: given its bytes, the name messages show for it, and the
/// place of the `preface` key; reports its own problems. The parser supplies it, so that
/// configuration does not depend on parsing.
pub type PrefaceReader<'a> =
    dyn FnMut(&[u8], String, Span, &mut SourceFiles, &mut Diags) -> Option<Vec<Block>> + 'a;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FederationToml {
    name: Spanned<String>,
    short: Spanned<String>,
    logo: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    preface: Option<Spanned<String>>,
    contact: Option<String>,
}

/// The colour of federations that name none: a dark slate that prints well in grey.
const DEFAULT_COLOR: Rgb = Rgb(0x33, 0x3F, 0x4F);

/// Least contrast with white of a colour that headings and slide titles are set in: the
/// WCAG threshold for large text.
const MIN_CONTRAST: f32 = 3.0;

/// Narrowest raster logo that stays sharp on the DOCX cover, which prints it up to 40 mm
/// wide: 40 mm at 300 dpi.
const LOGO_MIN_PX: f32 = 480.0;

/// Load and check every profile in `federations/`, sorted by id.
pub fn load_federations(
    layouts: &Folder,
    files: &mut SourceFiles,
    diags: &mut Diags,
    read_preface: &mut PrefaceReader,
) -> Vec<Federation> {
    let mut out = Vec::new();
    for rel in layouts.list("federations", ".toml") {
        let text = layouts.text(&rel).unwrap_or_default();
        let file = files.add(layouts.display_of(&rel), text.clone());
        crate::text::check_toml_escapes(&text, file, diags);
        let id = rel
            .trim_start_matches("federations/")
            .trim_end_matches(".toml")
            .to_string();
        if id.is_empty()
            || id.starts_with('-')
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            diags.push(
                Diag::error(format!(
                    "federation file name `{id}.toml` is not a valid id"
                ))
                .at(Span::new(file, 0, 0), "file name")
                .help(format!(
                    "name the file with lower-case letters, digits and `-`, starting with a letter or digit, like `{}.toml`: the name is the federation's id",
                    suggest_id(&id)
                )),
            );
            continue;
        }
        if id.len() > crate::limits::MAX_ID_CHARS {
            diags.push(
                Diag::error(format!(
                    "federation id `{id}` is {} characters long, the limit is {}",
                    id.len(),
                    crate::limits::MAX_ID_CHARS
                ))
                .at(Span::new(file, 0, 0), "file name")
                .help("the id (the file's name) names the federation's output files: shorten it"),
            );
            continue;
        }
        let raw: FederationToml = match toml::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                diags.push(toml_diag(&e, &text, file, "invalid federation profile"));
                continue;
            }
        };
        if let Some(fed) = build(layouts, id, raw, file, files, diags, read_preface) {
            out.push(fed);
        }
    }
    out
}

fn build(
    layouts: &Folder,
    id: String,
    raw: FederationToml,
    file: u32,
    files: &mut SourceFiles,
    diags: &mut Diags,
    read_preface: &mut PrefaceReader,
) -> Option<Federation> {
    let span = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let mut ok = true;
    let color = match &raw.color {
        None => DEFAULT_COLOR,
        Some(c) => Rgb::parse(c.get_ref()).unwrap_or_else(|| {
            let mut d = Diag::error(format!("colour `{}` is not `#RRGGBB`", c.get_ref()))
                .at(span(c.span()), "expected a colour such as \"#1F4E9D\"");
            if let Some(fix) = colour_fix(c.get_ref()) {
                d = d.help(fix);
            }
            diags.push(d);
            ok = false;
            DEFAULT_COLOR
        }),
    };
    if let Some(c) = &raw.color {
        let ratio = contrast_on_white(color);
        if ratio < MIN_CONTRAST {
            diags.push(
                Diag::warning(format!(
                    "colour `{}` is too light for text on white paper (contrast {ratio:.1}:1)",
                    c.get_ref()
                ))
                .at(span(c.span()), "hard to read as a heading")
                .help(format!(
                    "the slide titles use it as it is; choose a darker shade with a contrast of at least {MIN_CONTRAST}:1 (the DOCX darkens it by itself)"
                )),
            );
        }
    }
    let mut stand_in_logo = false;
    let mut logo_px = None;
    let logo = raw.logo.as_ref().and_then(|l| {
        let Some(rel) = beside_profile(l.get_ref()) else {
            diags.push(outside("logo", l, file));
            ok = false;
            return None;
        };
        let found = layouts.get(&rel).map(|b| (rel, b.clone()));
        match found {
            None => {
                diags.push(
                    Diag::error(format!(
                        "logo `{}` not found beside the profile",
                        l.get_ref()
                    ))
                    .at(span(l.span()), "no such file")
                    .help("put the logo file in layouts/federations/, next to this .toml"),
                );
                ok = false;
                None
            }
            Some((r, bytes)) => match crate::images::check_picture(&r, &bytes) {
                Ok(info) => {
                    stand_in_logo =
                        memchr::memmem::find(&bytes, STAND_IN_LOGO.as_bytes()).is_some();
                    logo_px = (info.kind != crate::images::ImageKind::Svg).then_some(info.width);
                    if let Some(d) = low_resolution(l.get_ref(), logo_px) {
                        diags.push(d.at(span(l.span()), "low-resolution logo"));
                    }
                    Some(r)
                }
                Err(e) => {
                    diags.push(
                        Diag::error(format!("logo `{}` cannot be used: {e}", l.get_ref()))
                            .at(span(l.span()), "this logo"),
                    );
                    ok = false;
                    None
                }
            },
        }
    });
    let preface = raw.preface.as_ref().and_then(|p| {
        let Some(rel) = beside_profile(p.get_ref()) else {
            diags.push(outside("preface", p, file));
            ok = false;
            return None;
        };
        let Some(bytes) = layouts.get(&rel) else {
            diags.push(
                Diag::error(format!(
                    "preface `{}` not found beside the profile",
                    p.get_ref()
                ))
                .at(span(p.span()), "no such file"),
            );
            ok = false;
            return None;
        };
        let blocks = read_preface(
            bytes,
            layouts.display_of(&rel),
            span(p.span()),
            files,
            diags,
        );
        ok &= blocks.is_some();
        blocks
    });
    for (key, value, what) in [
        (
            "name",
            &raw.name,
            "the federation's full name, printed on the cover of its copies and for `{{org.name}}`",
        ),
        (
            "short",
            &raw.short,
            "the short name, printed in the header of its copies and for `{{org.short}}`, such as \"FSPMI\"",
        ),
    ] {
        if value.get_ref().trim().is_empty() {
            diags.push(
                Diag::error(format!("`{key}` of federation `{id}` is empty"))
                    .at(span(value.span()), "empty")
                    .help(format!("write {what}")),
            );
            ok = false;
        }
    }
    ok.then(|| Federation {
        id,
        name: raw.name.into_inner(),
        short: raw.short.into_inner(),
        logo,
        color,
        preface,
        contact: raw.contact,
        stand_in_logo,
        logo_px,
        span: Span::new(file, 0, 0),
    })
}

/// The warning for a raster logo (`px` wide; `None`: an SVG) too narrow for the DOCX cover
/// (`named` as the profile names it), without its place.
fn low_resolution(named: &str, px: Option<f32>) -> Option<Diag> {
    let px = px.filter(|w| *w < LOGO_MIN_PX)?;
    Some(
        Diag::warning(format!(
            "logo `{named}` is only {px} pixels wide: it prints blurred on the DOCX cover"
        ))
        .help(format!(
            "the cover prints it up to 40 mm wide, which wants {LOGO_MIN_PX} pixels; an SVG logo is sharp at every size"
        )),
    )
}

/// The warning of a federation's logo too narrow for the DOCX cover, at its profile: for the
/// report's entries of that federation's outputs (`load_federations` told it once).
pub fn logo_warning(fed: &Federation) -> Option<Diag> {
    let path = fed.logo.as_deref()?;
    let named = path.strip_prefix("federations/").unwrap_or(path);
    Some(low_resolution(named, fed.logo_px)?.at(fed.span, "this federation's profile"))
}

/// The path in the layouts of a file a profile names (`logo`, `preface`): it must lie in
/// `federations/`, beside the profile or below it.
fn beside_profile(name: &str) -> Option<String> {
    crate::bundle::normalize(name)?;
    crate::bundle::normalize(&format!("federations/{name}"))
}

/// The error for a `logo` or `preface` that names a path outside `federations/`.
fn outside(key: &str, value: &Spanned<String>, file: u32) -> Diag {
    let base = value
        .get_ref()
        .rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let mut d = Diag::error(format!(
        "{key} `{}` must be a file beside the profile",
        value.get_ref()
    ))
    .at(
        Span::new(file, value.span().start, value.span().end),
        "not in the federations/ folder",
    );
    if !base.is_empty() && base != ".." {
        d = d.help(format!(
            "put the file in the federations/ folder and write `{key} = \"{base}\"`"
        ));
    }
    d
}

/// The WCAG contrast ratio of a colour against white (1 to 21).
fn contrast_on_white(c: Rgb) -> f32 {
    let linear = |v: u8| {
        let v = v as f32 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
    1.05 / (luminance + 0.05)
}

/// A valid id close to a file name that is not one (`FSP_Baru` → `fsp-baru`), or an example.
fn suggest_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "fsp-kep".into()
    } else {
        id.into()
    }
}

/// A help for a colour that is almost `#RRGGBB`: no `#`, the short `#RGB`, or a name.
fn colour_fix(written: &str) -> Option<String> {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let trimmed = written.trim();
    let bare = trimmed.trim_start_matches('#');
    if bare.len() == 6 && hex(bare) && trimmed.len() == 6 {
        return Some(format!("write it with a `#`: \"#{}\"", bare.to_uppercase()));
    }
    if bare.len() == 3 && hex(bare) {
        let long: String = bare
            .chars()
            .flat_map(|c| [c, c])
            .collect::<String>()
            .to_uppercase();
        return Some(format!("write all six digits: \"#{long}\""));
    }
    if bare.len() == 6 && hex(bare) {
        return Some(format!(
            "write it without spaces: \"#{}\"",
            bare.to_uppercase()
        ));
    }
    if !written.is_empty() && written.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(
            "write the colour as six hexadecimal digits after `#` (red, green, blue), as a designer's tools and Word's \"More Colors\" dialog show it".into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almost_colours_get_a_fix() {
        assert_eq!(
            colour_fix("2e7d32").as_deref(),
            Some("write it with a `#`: \"#2E7D32\"")
        );
        assert_eq!(
            colour_fix("#f80").as_deref(),
            Some("write all six digits: \"#FF8800\"")
        );
        assert!(
            colour_fix("blue")
                .unwrap()
                .contains("six hexadecimal digits")
        );
        assert_eq!(colour_fix("#12345"), None);
    }

    #[test]
    fn light_colours_have_little_contrast_with_white() {
        assert!((contrast_on_white(Rgb(0, 0, 0)) - 21.0).abs() < 0.01);
        assert!((contrast_on_white(Rgb(255, 255, 255)) - 1.0).abs() < 0.01);
        // Every shipped federation colour reads on white; yellow and sky blue do not.
        for c in [
            "#5B2C83", "#6D4C41", "#00695C", "#1B6B2A", "#1A237E", "#1F4E9D", "#7B1F3A", "#C62828",
        ] {
            assert!(
                contrast_on_white(Rgb::parse(c).unwrap()) >= MIN_CONTRAST,
                "{c}"
            );
        }
        assert!(contrast_on_white(Rgb::parse("#FFEB3B").unwrap()) < MIN_CONTRAST);
        assert!(contrast_on_white(Rgb::parse("#87CEEB").unwrap()) < MIN_CONTRAST);
    }

    #[test]
    fn a_federation_id_longer_than_the_limit_is_an_error() {
        let builtin = Folder::builtin_layouts();
        let profile = builtin.get("federations/spn.toml").unwrap().clone();
        let logo = builtin.get("federations/spn.svg").cloned();
        let load = |id: &str| {
            let mut folder = Folder {
                display: "layouts".into(),
                files: Default::default(),
                links_out: Default::default(),
            };
            folder
                .files
                .insert(format!("federations/{id}.toml"), profile.clone());
            if let Some(logo) = &logo {
                folder
                    .files
                    .insert("federations/spn.svg".into(), logo.clone());
            }
            let mut files = SourceFiles::default();
            let mut diags = Diags::default();
            let feds = load_federations(&folder, &mut files, &mut diags, &mut |_, _, _, _, _| {
                Some(Vec::new())
            });
            (feds.len(), diags)
        };
        let (loaded, diags) = load(&"a".repeat(crate::limits::MAX_ID_CHARS + 1));
        assert_eq!(loaded, 0);
        assert!(
            diags
                .list
                .iter()
                .any(|d| d.message.contains("65 characters long, the limit is 64")),
            "{:?}",
            diags.list
        );
        let (_, diags) = load(&"a".repeat(crate::limits::MAX_ID_CHARS));
        assert!(
            !diags
                .list
                .iter()
                .any(|d| d.message.contains("characters long")),
            "{:?}",
            diags.list
        );
    }

    #[test]
    fn bad_file_names_get_an_id_to_use() {
        assert_eq!(suggest_id("FSP_Contoh"), "fsp-contoh");
        assert_eq!(suggest_id("-x"), "x");
        assert_eq!(suggest_id("__"), "fsp-kep");
    }

    #[test]
    fn profile_files_stay_in_the_federations_folder() {
        assert_eq!(
            beside_profile("fspmi.svg").as_deref(),
            Some("federations/fspmi.svg")
        );
        assert_eq!(
            beside_profile("logos/a.png").as_deref(),
            Some("federations/logos/a.png")
        );
        assert_eq!(beside_profile("../fonts/x.svg"), None);
        assert_eq!(beside_profile("/etc/passwd"), None);
        assert_eq!(beside_profile("a/../../b.svg"), None);
    }
}
