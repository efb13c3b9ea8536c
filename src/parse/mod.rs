//! The parser: the module folder to a [`Module`], reporting every problem with its place.

mod attrs;
mod divs;
mod ids;
mod lines;
mod markdown;
pub mod overlay;
mod schedule;
mod session;

pub use divs::Parent;
pub use ids::auto_id;
pub use session::{parse_blocks, parse_listed_session, parse_session};

use std::collections::{BTreeMap, HashMap};

use crate::bundle::Folder;
use crate::config::load_module_toml;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Block, Module, Span, walk_blocks};
use crate::text::{self, check_toml_escapes, load_text};

/// The session files to read when `module.toml` has problems: those its `sessions` lists
/// when the TOML reads that far, every `.md` file when it has no `sessions`, none when
/// its list cannot be read (reading others would tell problems of files it leaves out);
/// and whether they are the ones `sessions` lists.
fn sessions_despite(text: &str, source: &Folder) -> (Vec<String>, bool) {
    let listed = |t: &toml::Table| -> Option<Vec<String>> {
        t.get("sessions")?.as_array().map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .filter_map(crate::bundle::normalize)
                .collect()
        })
    };
    let names_sessions = text.lines().any(|l| l.trim_start().starts_with("sessions"));
    let (mut files, lists) = match toml::from_str::<toml::Table>(text) {
        Ok(t) if t.contains_key("sessions") => (listed(&t).unwrap_or_default(), true),
        Ok(_) => (source.list("", ".md"), false),
        Err(_) if !names_sessions => (source.list("", ".md"), false),
        Err(_) => (Vec::new(), true),
    };
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(f.clone()));
    (files, lists)
}

/// Read `module.toml` and every session of the module folder.
pub fn parse_module(source: &Folder, files: &mut SourceFiles, diags: &mut Diags) -> Option<Module> {
    let Some(text) = source.get("module.toml") else {
        diags.push(if source.link_out_of("module.toml").is_some() {
            Diag::error(format!(
                "module.toml in `{}` is a link to a file outside the module folder",
                source.display
            ))
            .help("copy the file itself into the module folder: only files inside it are read")
        } else {
            Diag::error(format!("no module.toml in `{}`", source.display))
                .help("a module folder holds module.toml and one Markdown file per session")
        });
        return None;
    };
    let (toml_file, text) = load_text(source.display_of("module.toml"), text, files, diags)?;
    check_toml_escapes(&text, toml_file, diags);
    let Some(config) = load_module_toml(&text, toml_file, diags) else {
        // The sessions' own problems are told with module.toml's, not a run later.
        let (rels, listed) = sessions_despite(&text, source);
        for rel in rels {
            if let Some(bytes) = source.get(&rel)
                && let Some((file, text)) = load_text(source.display_of(&rel), bytes, files, diags)
            {
                parse_listed_session(&text, file, &rel, listed, diags);
            }
        }
        return None;
    };
    let (meta, listed) = (config.meta, config.sessions);
    let lists = listed.is_some();
    let session_files: Vec<(String, Option<Span>)> = match listed {
        Some(list) => list.into_iter().map(|(f, s)| (f, Some(s))).collect(),
        None => source
            .list("", ".md")
            .into_iter()
            .map(|f| (f, None))
            .collect(),
    };
    if session_files.is_empty() {
        diags.push(
            Diag::error(format!("module `{}` has no sessions", source.display))
                .help("add session files (*.md) to the module folder, or list them in `sessions`"),
        );
        return None;
    }
    let mut sessions = Vec::new();
    let mut heading_facts = Vec::new();
    let mut incomplete = false;
    let mut total_bytes = 0;
    let mut first_listed: std::collections::BTreeMap<String, Option<Span>> = Default::default();
    for (rel, listed_at) in session_files {
        // A file listed twice is one error at its second place (read once, it gives no
        // follow-on errors about its ids).
        let key = crate::bundle::normalize(&rel).unwrap_or_else(|| rel.clone());
        if let Some(first) = first_listed.get(&key) {
            let mut d = Diag::error(format!("session `{rel}` is listed twice in `sessions`"));
            if let Some(at) = listed_at {
                d = d.at(at, "listed again here");
            }
            if let Some(first) = first {
                let (line, _) = files.line_col(first.file, first.start as usize);
                d = d.note(format!("first listed on line {line}"));
            }
            diags.push(d.help("list each session file once"));
            continue;
        }
        first_listed.insert(key, listed_at);
        let found = crate::bundle::normalize(&rel).and_then(|r| source.get(&r).map(|b| (r, b)));
        let Some((rel, bytes)) = found else {
            let link = source.link_out_of(&rel).is_some();
            let mut d = if link {
                Diag::error(format!(
                    "session file `{rel}` is a link to a file outside the module folder"
                ))
                .help("copy the file itself into the module folder")
            } else {
                Diag::error(format!("session file `{rel}` not found"))
            };
            if let Some(at) = listed_at {
                d = d.at(at, "listed here");
            }
            let names: Vec<String> = source.list("", ".md");
            if let Some(s) = crate::diag::did_you_mean(&rel, names.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            incomplete = true;
            continue;
        };
        total_bytes += bytes.len();
        if total_bytes > crate::limits::MAX_MODULE_BYTES {
            let mut d = Diag::error(format!(
                "the module's text passes {} MB with `{rel}`, the limit is {} MB",
                crate::limits::MAX_MODULE_BYTES / (1024 * 1024),
                crate::limits::MAX_MODULE_BYTES / (1024 * 1024)
            ))
            .help("a module this large is several modules: split it");
            d = match listed_at {
                Some(at) => d.at(at, "this session goes over"),
                None => d.at(
                    text::first_line(source.display_of(&rel), bytes, files),
                    "this session goes over",
                ),
            };
            diags.push(d);
            incomplete = true;
            break;
        }
        let Some((file, text)) = load_text(source.display_of(&rel), bytes, files, diags) else {
            incomplete = true;
            continue;
        };
        if let Some((session, headings)) = parse_listed_session(&text, file, &rel, lists, diags) {
            sessions.push(session);
            heading_facts.push(headings);
        } else {
            incomplete = true;
        }
    }
    // A listed file not found is most likely an unlisted one misspelt: its error says so.
    if lists && !incomplete {
        unlisted_sessions(source, &first_listed, files, diags);
    }
    let mut module = Module {
        meta,
        sessions,
        incomplete,
        heading_ids: Default::default(),
        overlays: Default::default(),
        schedule: Vec::new(),
    };
    module.heading_ids = assign_ids(&mut module, &heading_facts, files, diags);
    module.schedule = schedule::resolve_schedule(
        &config.days,
        &module.sessions,
        module.incomplete,
        files,
        diags,
    );
    Some(module)
}

/// A `.md` file beside `module.toml` that `sessions` leaves out but that opens as a session
/// does (a `#` heading with `minutes=`) is not built: a warning at its heading, so that a
/// session added to the folder and not to the list is not silently missing.
fn unlisted_sessions(
    source: &Folder,
    listed: &BTreeMap<String, Option<Span>>,
    files: &mut SourceFiles,
    diags: &mut Diags,
) {
    for rel in source.list("", ".md") {
        if listed.contains_key(&rel) {
            continue;
        }
        let Some(bytes) = source.get(&rel) else {
            continue;
        };
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        let mut at = 0;
        for line in head.split_inclusive('\n').take(40) {
            let l = line.trim_end();
            if l.starts_with("# ") && l.contains('{') && l.contains("minutes=") {
                let (text, _) = text::sanitize(&head[..at + l.len()]);
                let file = files.add(source.display_of(&rel), text);
                diags.push(
                    Diag::warning(format!(
                        "`{rel}` is a session, but `sessions` in module.toml does not list it: it is not built"
                    ))
                    .at(Span::new(file, at, at + l.len()), "this session")
                    .help(format!(
                        "add \"{rel}\" to `sessions` where it belongs in the training; a draft not to build yet can wait in a sub-folder"
                    )),
                );
                break;
            }
            at += line.len();
        }
    }
}

/// Make heading ids module-wide unique the way Pandoc does: automatic ids get `-1`, `-2`, …
/// when taken; an explicit id that is already taken is an error. Returns every id.
fn assign_ids(
    module: &mut Module,
    facts: &[session::Headings],
    files: &SourceFiles,
    diags: &mut Diags,
) -> std::collections::BTreeSet<String> {
    let mut used: HashMap<String, Span> = HashMap::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut headings = 0;
    for (session, facts) in module.sessions.iter_mut().zip(facts) {
        let explicit = |span: Span| {
            facts
                .get(&(span.start as usize))
                .and_then(|h| h.explicit_id.clone())
        };
        let mut take = |id: &mut String, span: Span, diags: &mut Diags| match explicit(span) {
            Some(e) => {
                if let Some(prev) = used.get(&e) {
                    diags.push(
                        Diag::error(format!("heading id `{e}` is used twice"))
                            .at(span, "second use")
                            .note({
                                let (line, col) = files.line_col(prev.file, prev.start as usize);
                                format!("first used at {}:{line}:{col}", files.name(prev.file))
                            })
                            .help("give each heading its own id"),
                    );
                } else {
                    used.insert(e.clone(), span);
                }
                *id = e;
            }
            None => {
                let base = id.clone();
                let mut candidate = base.clone();
                // Start after the last suffix given to this base: linear, not quadratic,
                // when thousands of headings share a title.
                let mut n = next_suffix.get(&base).copied().unwrap_or(0);
                if n > 0 {
                    candidate = format!("{base}-{n}");
                }
                while used.contains_key(&candidate) {
                    n += 1;
                    candidate = format!("{base}-{n}");
                }
                next_suffix.insert(base, n);
                used.insert(candidate.clone(), span);
                *id = candidate;
            }
        };
        take(&mut session.id, session.span, diags);
        // One walk collects each heading's place and the id the parser gave it.
        let mut found: Vec<(Span, String)> = Vec::new();
        walk_blocks(&session.blocks, &mut |b| {
            if let Block::Heading { span, id, .. } = b {
                found.push((*span, id.clone()));
            }
        });
        headings += found.len();
        if headings > crate::limits::MAX_HEADINGS {
            let (span, _) = found[found.len() - (headings - crate::limits::MAX_HEADINGS)];
            diags.push(
                Diag::error(format!(
                    "the module has more than {} headings",
                    crate::limits::MAX_HEADINGS
                ))
                .at(span, "one too many")
                .help("use bold text or lists for the smaller divisions"),
            );
            break;
        }
        let mut ids: BTreeMap<u32, String> = BTreeMap::new();
        for (span, mut id) in found {
            take(&mut id, span, diags);
            ids.insert(span.start, id);
        }
        set_ids(&mut session.blocks, &ids);
    }
    used.into_keys().collect()
}

fn set_ids(blocks: &mut [Block], ids: &BTreeMap<u32, String>) {
    for block in blocks {
        match block {
            Block::Heading { id, span, .. } => {
                if let Some(new) = ids.get(&span.start) {
                    *id = new.clone();
                }
            }
            Block::List { items, .. } => {
                items.iter_mut().for_each(|i| set_ids(&mut i.content, ids))
            }
            Block::Quote { content } => set_ids(content, ids),
            Block::Div(d) => set_ids(&mut d.content, ids),
            Block::Paragraph { .. }
            | Block::Table(_)
            | Block::Figure { .. }
            | Block::Code { .. }
            | Block::Rule => {}
        }
    }
}

#[cfg(test)]
mod tests;
