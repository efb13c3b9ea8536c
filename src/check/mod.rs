//! Checks across the whole module: minutes, images, links, federation ids, the schedule.
//!
//! The parser reports what is wrong in one place; these need the module as a whole, the
//! module folder (images) or the layouts (federation ids).

mod drawings;
mod glyphs;
mod overlay;
pub use drawings::check_drawing_text;
pub use overlay::check_overlays;
mod schedule;

use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles, did_you_mean};
use crate::limits::MAX_SLIDE_LINES;
use crate::model::{Block, DivKind, Federation, Inline, Module, Span, inlines_mut, walk_blocks};

/// Run every check, pushing problems into `diags`.
pub fn check_module(
    module: &Module,
    source: &Folder,
    layouts: &Folder,
    federations: &[Federation],
    files: &SourceFiles,
    diags: &mut Diags,
) {
    let ids = &module.heading_ids;
    schedule::check_schedule(module, diags);
    for session in &module.sessions {
        check_minutes(session.minutes, &session.blocks, diags);
        check_slide_lines(&session.blocks, diags);
        walk_blocks(&session.blocks, &mut |block| match block {
            Block::Figure { src, span, .. } => check_image(src, *span, source, diags),
            Block::Div(div) => {
                if let DivKind::Only {
                    federations: named, ..
                } = &div.kind
                {
                    for id in named {
                        // A profile that exists but is broken was reported already.
                        let broken = layouts.get(&format!("federations/{id}.toml")).is_some();
                        if !broken && !federations.iter().any(|f| &f.id == id) {
                            let span = find_in_span(files, div.span, id);
                            let mut d = Diag::error(format!("unknown federation `{id}`"))
                                .at(span, "no profile in layouts/federations/ has this id");
                            if let Some(s) =
                                did_you_mean(id, federations.iter().map(|f| f.id.as_str()))
                            {
                                d = d.help(format!("did you mean `{s}`?"));
                            } else {
                                let known: Vec<&str> =
                                    federations.iter().map(|f| f.id.as_str()).collect();
                                d = d.help(format!("known federations: {}", known.join(", ")));
                            }
                            diags.push(d);
                        }
                    }
                }
            }
            // Their inlines are checked below (links); they hold no picture.
            Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::List { .. }
            | Block::Table(_)
            | Block::Quote { .. }
            | Block::Code { .. }
            | Block::Rule => {}
        });
        let mut blocks = session.blocks.clone();
        let mut title = session.title.clone();
        let mut check_link = |inline: &mut Inline| {
            if let Inline::InternalLink { target, span, .. } = inline
                && !ids.contains(target.as_str())
                && !module.incomplete
            {
                let mut d = Diag::error(format!("link to `#{target}`, but no heading has that id"))
                    .at(*span, "unknown target");
                if let Some(s) = did_you_mean(target, ids.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `#{s}`?"));
                } else {
                    let mut sessions: Vec<&str> =
                        module.sessions.iter().map(|s| s.id.as_str()).collect();
                    sessions.truncate(12);
                    d = d.help(format!(
                        "link to a heading by its id: the `{{#id}}` written after it, or the one made from its title (see \"Headings and their ids\"); the sessions are #{}",
                        sessions.join(", #")
                    ));
                }
                diags.push(d);
            }
        };
        inlines_mut(&mut title, &mut check_link);
        crate::model::visit_inlines_mut(&mut blocks, &mut check_link);
    }
    glyphs::check_glyphs(module, layouts, files, diags);
}

/// A slide may hold at most [`MAX_SLIDE_LINES`] lines (its speaker notes not counted):
/// more can never fit, however small the text.
fn check_slide_lines(blocks: &[Block], diags: &mut Diags) {
    walk_blocks(blocks, &mut |b| {
        if let Block::Div(div) = b
            && let DivKind::Slide { .. } = div.kind
        {
            let shown: Vec<Block> = div
                .content
                .iter()
                .filter(|b| !matches!(b, Block::Div(d) if d.kind == DivKind::Notes))
                .cloned()
                .collect();
            let mut lines = 0;
            walk_blocks(&shown, &mut |b| {
                lines += match b {
                    Block::Paragraph { .. } | Block::Heading { .. } | Block::Figure { .. } => 1,
                    Block::Table(t) => 1 + t.rows.len(),
                    Block::Code { text, .. } => text.lines().count(),
                    // A list counts its items' paragraphs; a quote or box its content.
                    _ => 0,
                };
            });
            if lines > MAX_SLIDE_LINES {
                diags.push(
                    Diag::error(format!(
                        "this slide holds {lines} lines (paragraphs, list items, table rows), more than any slide can show"
                    ))
                    .at(div.span, format!("at most {MAX_SLIDE_LINES} lines on one slide"))
                    .help("split it over several slides, or move the long part out of the slide into the session's text, where the booklet and DOCX show it in full"),
                );
            }
        }
    });
}

/// Activities of a session may not take longer than the session; reported at the activity
/// that goes over.
fn check_minutes(limit: u32, blocks: &[Block], diags: &mut Diags) {
    let mut total = 0;
    walk_blocks(blocks, &mut |b| {
        if let Block::Div(div) = b
            && let DivKind::Activity { minutes, .. } = div.kind
        {
            let before = total;
            total += minutes;
            if total > limit && before <= limit && limit > 0 {
                diags.push(
                    Diag::error(format!(
                        "activities add up to {total} minutes, more than the session's {limit}"
                    ))
                    .at(
                        div.span,
                        format!("this activity brings the total to {total} minutes"),
                    )
                    .help(
                        "shorten the activities, or give the session more minutes in its heading",
                    ),
                );
            }
        }
    });
}

pub(super) fn check_image(src: &str, span: Span, source: &Folder, diags: &mut Diags) {
    if src.contains("://") {
        diags.push(
            Diag::error(format!("image `{src}` is not in the module folder"))
                .at(
                    span,
                    "pictures are read from the module folder, never from the web",
                )
                .help("download the picture into images/ and point at it there"),
        );
        return;
    }
    let slashed = src.replace('\\', "/");
    // `C:\Users\…\bagan.png`, `/home/…`, `../x.png`: the picture is elsewhere on the
    // computer; say so first, not only the `\` (the `/` path would be refused next).
    let drive = slashed.as_bytes().get(1) == Some(&b':');
    if drive || crate::bundle::normalize(&slashed).is_none() {
        let name = slashed.rsplit('/').next().unwrap_or(&slashed);
        diags.push(
            Diag::error(format!("image path `{src}` leaves the module folder"))
                .at(span, "absolute paths and `..` are not allowed")
                .help(format!(
                    "copy the picture into the module's images/ folder and write `images/{name}`"
                )),
        );
        return;
    }
    if src.contains('\\') {
        // Windows writes folders with `\`; the booklet's Typst and other Markdown tools
        // take it as part of the name (or as an escape), so the picture would not be found.
        diags.push(
            Diag::error(format!("image path `{src}` uses `\\` between folders"))
                .at(span, "a picture path separates folders with `/`")
                .help(format!("write `{}`", src.replace('\\', "/"))),
        );
        return;
    }
    let Some(rel) = crate::bundle::normalize(src) else {
        return; // refused above
    };
    if let Some(link) = source.link_out_of(&rel) {
        let d = if link == rel {
            Diag::error(format!(
                "image `{src}` is a link to a file outside the module folder"
            ))
            .help("copy the picture itself into the module's images/ folder")
        } else {
            Diag::error(format!(
                "image `{src}` is in `{link}`, a link to a folder outside the module folder"
            ))
            .help(format!(
                "copy the folder itself into the module folder, in place of the link `{link}`"
            ))
        };
        diags.push(d.at(span, "not read: it leads outside the module folder"));
        return;
    }
    let Some(bytes) = source.get(&rel) else {
        let mut d = Diag::error(format!("image `{src}` not found"))
            .at(span, "no such file in the module folder");
        let names: Vec<&str> = source.files.keys().map(String::as_str).collect();
        if let Some(s) = did_you_mean(&rel, names) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        diags.push(d);
        return;
    };
    if let Err(e) = crate::images::check_picture(&rel, bytes) {
        diags.push(
            Diag::error(format!("image `{src}` cannot be used: {e}")).at(span, "this picture"),
        );
    }
}

/// The span of `needle` inside the text covered by `span`, or `span` itself.
fn find_in_span(files: &SourceFiles, span: Span, needle: &str) -> Span {
    let text = files.text(span.file);
    text.get(span.range())
        .and_then(|s| s.find(needle))
        .map(|i| {
            Span::new(
                span.file,
                span.start as usize + i,
                span.start as usize + i + needle.len(),
            )
        })
        .unwrap_or(span)
}
