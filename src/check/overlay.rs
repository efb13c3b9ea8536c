//! Overlays against the module: each entry must name a block the canonical source still
//! has. One that does not is a conflict, reported at the entry's line with the text the
//! federation edited, the canonical text now and the federation's text (see
//! `docs/source-format.md`, "Conflicts").

use crate::diag::{Diag, Diags, did_you_mean};
use crate::model::markdown::{key, to_markdown};
use crate::model::{Block, EntryKind, Module};
use crate::route::overlay::{entry_id, session_blocks};

/// The longest text a conflict message quotes.
const QUOTE: usize = 400;

pub fn check_overlays(
    module: &Module,
    source: &crate::bundle::Folder,
    federations: &[crate::model::Federation],
    diags: &mut Diags,
) {
    for (fed, overlay) in &module.overlays {
        let first = diags.list.len();
        check_overlay(module, source, federations, fed, overlay, diags);
        for d in &mut diags.list[first..] {
            d.federation = Some(fed.clone());
        }
    }
}

/// One federation's overlay.
fn check_overlay(
    module: &Module,
    source: &crate::bundle::Folder,
    federations: &[crate::model::Federation],
    fed: &str,
    overlay: &crate::model::Overlay,
    diags: &mut Diags,
) {
    // The pictures a federation added are checked like the module's own.
    for entry in &overlay.entries {
        crate::model::walk_blocks(&entry.blocks, &mut |b| {
            if let Block::Figure { src, span, .. } = b {
                super::check_image(src, *span, source, diags);
            }
        });
    }
    let name = federations
        .iter()
        .find(|f| f.id == fed)
        .map_or(fed, |f| f.short.as_str());
    let mut by_session = std::collections::HashMap::new();
    // Entries by block: one `replace` or `delete`, one `after` (and one outside its box).
    let mut seen = std::collections::HashSet::new();
    for entry in &overlay.entries {
        let Some(session) = module.sessions.iter().find(|s| s.id == entry.session) else {
            if module.incomplete {
                continue;
            }
            let mut d = Diag::error(format!(
                "{name}'s overlay names a session `{}` the module does not have",
                entry.session
            ))
            .at(entry.span, "in this session");
            if let Some(s) = did_you_mean(
                &entry.session,
                module.sessions.iter().map(|s| s.id.as_str()),
            ) {
                d = d.help(format!(
                    "did you mean `{s}`? (the `# … {{#id}}` line above the entry names it)"
                ));
            } else {
                d = d.help("take the entry out, or put it under the session it belongs to");
            }
            diags.push(d);
            continue;
        };
        let Some(canonical) = &entry.canonical else {
            continue;
        };
        let id = entry_id(entry);
        let blocks = by_session
            .entry(session.id.clone())
            .or_insert_with(|| session_blocks(session));
        if !seen.insert((entry.kind == EntryKind::After, entry.outside, id.clone())) {
            diags.push(
                Diag::error(format!(
                    "{name}'s overlay has a second entry for this block"
                ))
                .at(entry.span, "the same block as an entry above")
                .help("merge the two entries into one"),
            );
            continue;
        }
        if blocks.iter().any(|(b, ..)| *b == id) {
            continue;
        }
        let near = nearest(canonical, blocks);
        if entry.kind == EntryKind::Delete && near.is_none() {
            // Both removed it: nothing is lost, the entry is only left over.
            diags.push(
                    Diag::warning(format!(
                        "{name}'s overlay removes a block the module no longer has"
                    ))
                    .at(entry.span, "nothing left to remove")
                    .note(format!("the text {name} removed: {}", quote(canonical)))
                    .help(format!(
                        "delete the entry; should the module have rewritten that block and {name} not show the new text either, copy it into the entry's `canonical` part"
                    )),
                );
            continue;
        }
        // The quotes start where the texts begin to differ, so the change shows.
        let from = near.map_or(0, |b| first_difference(canonical, &key(b)));
        let what = match entry.kind {
            EntryKind::Replace => "changes",
            EntryKind::Delete => "removes",
            EntryKind::After => "adds text after",
        };
        let mut d = Diag::error(format!(
            "conflict: {name}'s overlay {what} a block whose canonical text has changed since"
        ))
        .at(entry.span, "made against a text the module no longer has");
        // What each side changed, word by word, before the whole texts.
        if let Some(b) = near {
            d = d.note(format!(
                "what {} changed: {}",
                module.meta.publisher_short,
                crate::edition::words::changed_words(canonical, &key(b), QUOTE)
            ));
        }
        if entry.kind != EntryKind::Delete && !entry.blocks.is_empty() {
            d = d.note(format!(
                "what {name} changed: {}",
                crate::edition::words::changed_words(canonical, &to_markdown(&entry.blocks), QUOTE)
            ));
        }
        d = d.note(format!(
            "the text {name} edited: {}",
            quote_from(canonical, from)
        ));
        d = match near {
            Some(b) => {
                let now = key(b);
                let at = source
                    .text(&session.file)
                    .and_then(|t| crate::text::line_of(&t, &now))
                    .map_or(String::new(), |line| format!(":{line}"));
                d.note(format!(
                    "the canonical text now ({}{at}): {}",
                    session.file,
                    quote_from(&now, from)
                ))
            }
            None => d.note(format!(
                "the canonical text now: none ({} has no such block any more)",
                session.file
            )),
        };
        if entry.kind != EntryKind::Delete && !entry.blocks.is_empty() {
            let text = to_markdown(&entry.blocks);
            let own = first_difference(canonical, &text).min(from);
            d = d.note(format!("{name}'s text: {}", quote_from(&text, own)));
        }
        let help = match entry.kind {
            EntryKind::Replace => {
                "keep the federation's text: copy the canonical text now into the entry's `canonical` part; take the canonical text: delete the entry; or merge both by hand in the entry's text and copy the canonical text now into `canonical`"
            }
            EntryKind::Delete => {
                "keep it removed: copy the canonical text now into the entry's `canonical` part; or delete the entry to show the canonical text"
            }
            EntryKind::After => {
                "copy the canonical text of the block the added text should follow into the entry's `canonical` part, or delete the entry"
            }
        };
        diags.push(d.help(help));
    }
}

/// The session's block most like `text` (`edition::words::most_like`), if any is alike
/// enough.
fn nearest<'a>(text: &str, blocks: &'a [(String, String, u32, &'a Block)]) -> Option<&'a Block> {
    crate::edition::words::most_like(text, blocks.iter().map(|(_, k, ..)| k.as_str()))
        .map(|i| blocks[i].3)
}

/// A text in quotes, cut to a readable length.
fn quote(text: &str) -> String {
    quote_from(text, 0)
}

/// A text in quotes from about its `from`th character (after white space is made single),
/// cut to a readable length, with `…` where it is cut.
fn quote_from(text: &str, from: usize) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let start = if chars.len() <= QUOTE {
        0
    } else {
        // A little before `from`, never so late that less is shown, at a word's start.
        let mut s = from.saturating_sub(60).min(chars.len() - QUOTE);
        while s > 0 && s < from && chars[s - 1] != ' ' {
            s += 1;
        }
        s
    };
    let end = (start + QUOTE).min(chars.len());
    let body: String = chars[start..end].iter().collect();
    format!(
        "“{}{body}{}”",
        if start > 0 { "…" } else { "" },
        if end < chars.len() { "…" } else { "" }
    )
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where two texts first differ, in characters (after white space is made single).
fn first_difference(a: &str, b: &str) -> usize {
    one_line(a)
        .chars()
        .zip(one_line(b).chars())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sides_change_is_shown_word_by_word() {
        let then = "Langkah pertama selalu perundingan yang harus selesai paling lama 30 hari kerja. Kirim surat permintaan perundingan dengan jelas. Jangan menganggap bipartit sekadar formalitas.";
        let now = then.replace("30 hari kerja.", "30 hari kerja sejak perundingan dimulai.");
        let theirs = then.replace("Jangan menganggap", "Jangan pernah menganggap");
        assert_eq!(
            crate::edition::words::changed_words(then, &now, QUOTE),
            "“…lama 30 hari [-kerja.] [+kerja sejak perundingan dimulai.] Kirim surat permintaan…”"
        );
        assert_eq!(
            crate::edition::words::changed_words(then, &theirs, QUOTE),
            "“…dengan jelas. Jangan [+pernah] menganggap bipartit sekadar…”"
        );
        assert_eq!(
            crate::edition::words::changed_words("sama", "sama", QUOTE),
            "nothing"
        );
        assert_eq!(
            crate::edition::words::changed_words("a b", "a c", QUOTE),
            "“a [-b] [+c]”"
        );
    }

    #[test]
    fn a_long_conflict_is_quoted_from_where_the_texts_differ() {
        let head = "kata ".repeat(120);
        let old = format!("{head}standar yang berlaku.");
        let new = format!("{head}standar yang kini berlaku.");
        let from = first_difference(&old, &new);
        assert_eq!(from, head.len() + "standar yang ".len());
        let (a, b) = (quote_from(&old, from), quote_from(&new, from));
        assert!(
            a.starts_with("“…kata ") && a.ends_with("standar yang berlaku.”"),
            "{a}"
        );
        assert!(b.ends_with("standar yang kini berlaku.”"), "{b}");
        // A short text is quoted whole.
        assert_eq!(quote_from("satu dua", 5), "“satu dua”");
    }
}
