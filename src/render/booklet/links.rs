//! Internal links pointed at their targets after layout. A Typst link to a label makes
//! Typst lay the page out again once the label is found (its description, "6, halaman 49",
//! needs the target's page); so the template links to `modulpress:ID` (`link-to`), and
//! here, on the laid-out pages, each such link gets the place labelled ID and the same
//! description Typst would have given it (for the tagged PDF's link annotations).

use typst::foundations::{Content, Label};
use typst::introspection::{Introspector, Tag};
use typst::layout::{Frame, FrameItem, PageElem};
use typst::model::{Destination, LinkMarker, Refable};
use typst::text::{Lang, LocalName};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedIntrospector};

/// The address of an internal link before layout: `modulpress:` and the target's label.
pub const SCHEME: &str = "modulpress:";

/// Where `url` (a `modulpress:ID` address) leads: the target's location and description.
fn target(
    url: &str,
    introspector: &PagedIntrospector,
    lang: Lang,
) -> Option<(Destination, String)> {
    let id = url.strip_prefix(SCHEME)?;
    let label = Label::new(PicoStr::intern(id))?;
    let elem: &Content = introspector.query_label(label).ok()?;
    let loc = elem.location()?;
    let page = introspector.position(loc)?.page.get();
    let page_ref = format!("{} {page}", PageElem::local_name(lang, None));
    let alt = match elem.with::<dyn Refable>() {
        Some(r) => format!("{}, {page_ref}", r.supplement().plain_text()),
        None => page_ref,
    };
    Some((Destination::Location(loc), alt))
}

fn has_placeholder(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => has_placeholder(&g.frame),
        FrameItem::Link(Destination::Url(u), _) => u.starts_with(SCHEME),
        FrameItem::Tag(Tag::Start(content, _)) => content
            .to_packed::<LinkMarker>()
            .is_some_and(|m| m.alt.as_ref().is_some_and(|a| a.starts_with(SCHEME))),
        _ => false,
    })
}

fn resolve_frame(frame: &mut Frame, introspector: &PagedIntrospector, lang: Lang) {
    if !has_placeholder(frame) {
        return;
    }
    frame.retain(|item| {
        match item {
            FrameItem::Group(g) => resolve_frame(&mut g.frame, introspector, lang),
            FrameItem::Link(dest, _) => {
                if let Destination::Url(u) = dest
                    && let Some((to, _)) = target(u, introspector, lang)
                {
                    *dest = to;
                }
            }
            FrameItem::Tag(Tag::Start(content, flags)) => {
                if let Some(marker) = content.to_packed::<LinkMarker>()
                    && let Some(alt) = &marker.alt
                    && alt.starts_with(SCHEME)
                    && let Some((_, text)) = target(alt, introspector, lang)
                {
                    let mut marker = marker.clone();
                    marker.alt = Some(text.into());
                    *item = FrameItem::Tag(Tag::Start(marker.pack(), *flags));
                }
            }
            _ => {}
        }
        true
    });
}

/// Point every `modulpress:ID` link of `pages` at its target, found in `introspector` (the
/// laid-out document's); a link whose target is missing keeps its address.
pub fn resolve(pages: &mut [Page], introspector: &PagedIntrospector, lang: &str) {
    let lang: Lang = lang.parse().unwrap_or(Lang::ENGLISH);
    for page in pages {
        resolve_frame(&mut page.frame, introspector, lang);
    }
}
