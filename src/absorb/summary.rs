//! The line `absorb` prints, in the module's language: what it recorded, and what it
//! ignored.

use super::diff::Outcome;
use crate::model::Lang;

/// `overlay`: whether the federation has an overlay (before this absorb).
pub fn line(
    lang: Lang,
    fed: &str,
    o: &Outcome,
    comments: usize,
    unchanged: bool,
    overlay: bool,
) -> String {
    let en = lang == Lang::En;
    let ignored = ignored(en, o, comments);
    let mut parts = Vec::new();
    let mut first = true;
    for (n, one, many, id) in [
        (
            o.changed,
            "paragraph changed",
            "paragraphs changed",
            "paragraf diubah",
        ),
        (
            o.tables_changed,
            "table changed",
            "tables changed",
            "tabel diubah",
        ),
        (o.added, "added", "added", "ditambahkan"),
        (o.removed, "removed", "removed", "dihapus"),
    ] {
        if n == 0 {
            continue;
        }
        let word = match (en, n, first) {
            (true, 1, _) => one.to_string(),
            (true, _, _) => many.to_string(),
            (false, _, true) => id.to_string(),
            (false, _, false) => id.trim_start_matches("paragraf ").to_string(),
        };
        parts.push(format!("{n} {word}"));
        first = false;
    }
    let mut s = format!("{fed}: ");
    if !unchanged && parts.is_empty() {
        // Written, though nothing counts as changed, added or removed (a block moved
        // within what the overlay adds).
        s.push_str(if en {
            "the overlay was updated"
        } else {
            "overlay diperbarui"
        });
    } else if unchanged || parts.is_empty() {
        let warned = !(o.both_changed.is_empty()
            && o.entry_edited.is_empty()
            && o.moved.is_empty()
            && o.overlay_changed.is_empty()
            && o.overlay_added.is_empty()
            && o.kept_change.is_empty()
            && o.kept_added.is_empty());
        s.push_str(match (en, warned, overlay) {
            (true, true, _) => "nothing to absorb (see the warnings above)",
            (false, true, _) => "tidak ada yang perlu diserap (lihat peringatan di atas)",
            // What was ignored follows: the copy is not all the overlay holds.
            (true, false, _) if !ignored.is_empty() => "nothing to absorb",
            (false, false, _) if !ignored.is_empty() => "tidak ada yang perlu diserap",
            (true, false, true) => {
                "nothing to absorb (the overlay already holds what this copy shows)"
            }
            (false, false, true) => {
                "tidak ada yang perlu diserap (overlay sudah memuat isi salinan ini)"
            }
            (true, false, false) => "nothing to absorb (this copy shows the text as it was built)",
            (false, false, false) => {
                "tidak ada yang perlu diserap (salinan ini memuat teks seperti saat dibuat)"
            }
        });
    } else {
        s.push_str(&parts.join(", "));
        let nums: Vec<String> = o.sessions.iter().map(|n| n.to_string()).collect();
        let list = match nums.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!(
                "{} {} {last}",
                rest.join(", "),
                if en { "and" } else { "dan" }
            ),
        };
        if !nums.is_empty() {
            let word = match (en, nums.len()) {
                (true, 1) => "session",
                (true, _) => "sessions",
                (false, _) => "sesi",
            };
            s.push_str(&format!(" ({word} {list})"));
        }
    }
    if !ignored.is_empty() {
        s.push_str(if en { "; ignored: " } else { "; diabaikan: " });
        s.push_str(&ignored.join(", "));
    }
    s
}

/// What the copy changed that absorb does not record, each with its count.
fn ignored(en: bool, o: &Outcome, comments: usize) -> Vec<String> {
    // (how many, in English for one, in English for more, in Indonesian): `{n}` the count.
    let counted = [
        (
            o.formatting,
            "formatting in {n} paragraph",
            "formatting in {n} paragraphs",
            "format di {n} paragraf",
        ),
        (comments, "{n} comment", "{n} comments", "{n} komentar"),
        (
            o.generated.len(),
            "{n} changed title or label line (they come from the source)",
            "{n} changed title or label lines (they come from the source)",
            "{n} baris judul atau label yang diubah (berasal dari sumber)",
        ),
        (
            o.notes,
            "{n} changed footnote text (footnotes are changed in the source)",
            "{n} changed footnote texts (footnotes are changed in the source)",
            "{n} teks catatan kaki yang diubah (catatan kaki diubah di sumber)",
        ),
        (
            o.unlisted,
            "{n} list item made a paragraph (a list's bullets and numbers come from the source)",
            "{n} list items made a paragraph (a list's bullets and numbers come from the source)",
            "{n} butir daftar yang dijadikan paragraf (poin dan nomor daftar berasal dari sumber)",
        ),
        (
            o.front,
            "{n} changed line of the cover, preface or imprint",
            "{n} changed lines of the cover, preface or imprint",
            "{n} baris sampul, kata pengantar atau imprint yang diubah",
        ),
    ];
    counted
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many, id)| {
            let text = match (en, n) {
                (true, 1) => one,
                (true, _) => many,
                (false, _) => id,
            };
            text.replace("{n}", &n.to_string())
        })
        .collect()
}

/// The lines from the source the copy changed, each with its session file (the first
/// three, then how many more), for the line that counts them.
pub fn generated(lang: Lang, lines: &[super::diff::Generated]) -> Vec<String> {
    const SHOWN: usize = 3;
    let en = lang == Lang::En;
    let mut out: Vec<String> = lines
        .iter()
        .take(SHOWN)
        .map(|g| {
            let at = if g.file.is_empty() {
                String::new()
            } else {
                format!(" ({})", g.file)
            };
            let text = short(&g.text);
            match (en, g.deleted) {
                (true, false) => {
                    format!("  changed in the copy: “{text}”{at}: change it in the source")
                }
                (true, true) => format!(
                    "  deleted in the copy: the heading “{text}”{at}: a session is removed from the module in the source"
                ),
                (false, false) => format!("  diubah di salinan: “{text}”{at}: ubahlah di sumber"),
                (false, true) => format!(
                    "  dihapus di salinan: judul “{text}”{at}: sesi dihapus dari modul di sumber"
                ),
            }
        })
        .collect();
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        out.push(if en {
            format!("  and {more} more")
        } else {
            format!("  dan {more} lainnya")
        });
    }
    out
}

/// Where absorb wrote the overlay (the path as the user gave the module folder).
pub fn written(lang: Lang, path: &str) -> String {
    if lang == Lang::En {
        format!("  written to {path}")
    } else {
        format!("  ditulis ke {path}")
    }
}

/// Where the cover, preface and imprint are set; `builtin`: the build uses the built-in
/// layouts, which the user copies out first.
pub fn front(lang: Lang, fed: &str, builtin: bool) -> String {
    let line = if lang == Lang::En {
        format!(
            "  the cover and imprint come from module.toml and layouts/federations/{fed}.toml, the preface from the file its `preface` names: change them there"
        )
    } else {
        format!(
            "  sampul dan imprint berasal dari module.toml dan layouts/federations/{fed}.toml, kata pengantar dari berkas yang disebut `preface` di sana: ubahlah di sana"
        )
    };
    line + &export_first(lang, builtin)
}

/// Where the look of the copies is set (`builtin` as in [`front`]).
pub fn look(lang: Lang, fed: &str, builtin: bool) -> String {
    let line = if lang == Lang::En {
        format!(
            "  fonts, colours and spacing come from layouts/docx.toml and layouts/federations/{fed}.toml"
        )
    } else {
        format!(
            "  huruf, warna dan jarak diatur di layouts/docx.toml dan layouts/federations/{fed}.toml"
        )
    };
    line + &export_first(lang, builtin)
}

/// With the built-in layouts, how to get the `layouts/` folder the hints name.
fn export_first(lang: Lang, builtin: bool) -> String {
    match (builtin, lang) {
        (false, _) => String::new(),
        (true, Lang::En) => {
            " (the built-in layouts: copy them out first with `modulpress layouts --export layouts`)".into()
        }
        (true, _) => {
            " (tata letak bawaan: salin dulu dengan `modulpress layouts --export layouts`)".into()
        }
    }
}

/// What absorb did not take, or kept, and why: one warning (with its help) per paragraph,
/// `overlay` the overlay's path as the user sees it.
pub fn warnings(o: &Outcome, overlay: &str) -> Vec<String> {
    let mut out = Vec::new();
    for b in &o.both_changed {
        let mut w = format!(
            "warning: not absorbed, changed in this copy and in the canonical source since it was built: “{}”",
            short(&b.text)
        );
        if !b.diff.is_empty() {
            let at = if b.at.is_empty() {
                String::new()
            } else {
                format!(", {}", b.at)
            };
            w.push_str(&format!(
                "\n  = this copy against the module's text now{at} ([-the module's] [+this copy's]): {}",
                b.diff
            ));
        }
        w.push_str(&format!(
            "\n  = help: copy the change into `{overlay}` by hand, or edit the new copy"
        ));
        out.push(w);
    }
    let each: [(&[String], &str, &str); 5] = [
        (
            &o.entry_edited,
            "not absorbed again: `{overlay}` holds this paragraph's change, absorbed from a copy like this one and edited there since (a conflict resolved): “{text}”",
            "nothing to do if the overlay's text is the one to keep; if this copy's text is newer, copy it into `{overlay}` by hand",
        ),
        (
            &o.overlay_changed,
            "not absorbed, changed in this copy and, since it was built, in `{overlay}` (another copy was absorbed in between): “{text}”",
            "absorb the newest copy instead, or copy the change into `{overlay}` by hand",
        ),
        (
            &o.kept_change,
            "kept the change `{overlay}` makes to “{text}”: this copy shows that block as it was built, before the change was absorbed",
            "if the change was taken back, delete its entry from `{overlay}`; a copy built since shows the change, and absorbing it edited takes the new text",
        ),
        (
            &o.kept_added,
            "kept what `{overlay}` adds: “{text}”: this copy does not show it, as the copy it was absorbed from did not when it was built",
            "if it was taken out, delete its entry from `{overlay}`; a copy built since shows it, and absorbing that copy without it takes it out",
        ),
        (
            &o.overlay_added,
            "not absorbed, added in this copy where `{overlay}` has blocks absorbed from another copy since this one was built: “{text}”",
            "absorb the newest copy instead, or copy the blocks into `{overlay}` by hand",
        ),
    ];
    for (texts, message, help) in each {
        for text in texts {
            let fill = |s: &str| {
                s.replace("{overlay}", overlay)
                    .replace("{text}", &short(text))
            };
            out.push(format!(
                "warning: {}\n  = help: {}",
                fill(message),
                fill(help)
            ));
        }
    }
    if let Some(first) = o.moved.first() {
        let n = o.moved.len();
        let (s, it, they) = if n == 1 {
            ("", "it", "it")
        } else {
            ("s", "them", "they")
        };
        out.push(format!(
            "warning: not absorbed: {n} block{s} moved in this copy, first “{}”: absorb records changed, added and removed text, not a new order\n  = help: move {it} in the session file, or in the copy delete {it} and add {it} again where {they} should stand, and absorb again",
            short(first)
        ));
    }
    out
}

/// A paragraph's text on one line, cut after 120 characters.
fn short(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 120 {
        format!("{}…", t.chars().take(120).collect::<String>())
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With an overlay, a copy whose only changes are ignored does not "already hold" them.
    #[test]
    fn nothing_to_absorb_says_what_was_ignored_not_that_the_overlay_holds_it() {
        let o = Outcome {
            unlisted: 1,
            ..Outcome::default()
        };
        let said = line(Lang::Id, "spn", &o, 0, true, true);
        assert!(
            said.starts_with("spn: tidak ada yang perlu diserap; diabaikan: 1 butir daftar"),
            "{said}"
        );
        assert_eq!(
            line(Lang::En, "spn", &Outcome::default(), 0, true, true),
            "spn: nothing to absorb (the overlay already holds what this copy shows)"
        );
    }
}
