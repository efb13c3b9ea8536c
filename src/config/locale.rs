//! `layouts/locale/LANG.toml`: the labels every backend prints.

use super::toml_diag;
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Lang, Locale};

/// Load and check every locale file (`id.toml` and `en.toml` must both be complete), and
/// return the one for `lang`.
pub fn load_locale(
    layouts: &Folder,
    lang: Lang,
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> Option<Locale> {
    let mut chosen = None;
    for code in ["id", "en"] {
        let rel = format!("locale/{code}.toml");
        let Some(text) = layouts.text(&rel) else {
            diags.push(
                Diag::error(format!(
                    "locale file `{}` is missing",
                    layouts.display_of(&rel)
                ))
                .help("every backend prints its labels from layouts/locale/id.toml and en.toml"),
            );
            continue;
        };
        let file = files.add(layouts.display_of(&rel), text.clone());
        crate::text::check_toml_escapes(&text, file, diags);
        match toml::from_str::<Locale>(&text) {
            Ok(locale) if code == lang.code() => chosen = Some(locale),
            Ok(_) => {}
            Err(e) => diags.push(toml_diag(&e, &text, file, "invalid locale file")),
        }
    }
    chosen
}
