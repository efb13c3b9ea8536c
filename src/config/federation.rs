//! `layouts/federations/ID.toml`: one profile per federation.

use serde::Deserialize;
use toml::Spanned;

use super::toml_diag;
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Federation, Rgb, Span};
use crate::parse::{Parent, load_text, parse_blocks};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FederationToml {
    name: String,
    short: String,
    logo: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    preface: Option<Spanned<String>>,
    contact: Option<String>,
}

/// The colour of federations that name none: a dark slate that prints well in grey.
const DEFAULT_COLOR: Rgb = Rgb(0x33, 0x3F, 0x4F);

/// Load and check every profile in `federations/`, sorted by id.
pub fn load_federations(
    layouts: &Folder,
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> Vec<Federation> {
    let mut out = Vec::new();
    for rel in layouts.list("federations", ".toml") {
        let text = layouts.text(&rel).unwrap_or_default();
        let file = files.add(layouts.display_of(&rel), text.clone());
        crate::parse::check_toml_escapes(&text, file, diags);
        let id = rel
            .trim_start_matches("federations/")
            .trim_end_matches(".toml")
            .to_string();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            diags.push(
                Diag::error(format!(
                    "federation file name `{id}.toml` is not a valid id"
                ))
                .at(Span::new(file, 0, 0), "file name")
                .help("name the file with lower-case letters, digits and `-`, like `fsp-kep.toml`"),
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
        if let Some(fed) = build(layouts, id, raw, file, files, diags) {
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
) -> Option<Federation> {
    let span = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let mut ok = true;
    let color = match &raw.color {
        None => DEFAULT_COLOR,
        Some(c) => Rgb::parse(c.get_ref()).unwrap_or_else(|| {
            diags.push(
                Diag::error(format!("colour `{}` is not `#RRGGBB`", c.get_ref()))
                    .at(span(c.span()), "expected a colour such as \"#1F4E9D\""),
            );
            ok = false;
            DEFAULT_COLOR
        }),
    };
    let logo = raw.logo.as_ref().and_then(|l| {
        let rel = format!("federations/{}", l.get_ref());
        let found =
            crate::bundle::normalize(&rel).and_then(|r| layouts.get(&r).map(|b| (r, b.clone())));
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
                Ok(_) => Some(r),
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
        let rel = crate::bundle::normalize(&format!("federations/{}", p.get_ref()))?;
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
        let Some((pfile, text)) = load_text(layouts.display_of(&rel), bytes, files, diags) else {
            ok = false;
            return None;
        };
        Some(parse_blocks(&text, pfile, Parent::Session, diags).blocks)
    });
    for (name, value) in [("name", &raw.name), ("short", &raw.short)] {
        if value.trim().is_empty() {
            diags.push(
                Diag::error(format!("`{name}` of federation `{id}` is empty"))
                    .at(Span::new(file, 0, 0), "profile"),
            );
            ok = false;
        }
    }
    ok.then(|| Federation {
        id,
        name: raw.name,
        short: raw.short,
        logo,
        color,
        preface,
        contact: raw.contact,
        span: Span::new(file, 0, 0),
    })
}
