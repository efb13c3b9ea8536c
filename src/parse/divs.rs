//! Fenced-div attributes to typed block kinds, and the rules of which block may hold which.

use super::attrs::{Attr, Spanned};
use super::markdown::expand_placeholders;
use crate::diag::{Diag, Diags, did_you_mean};
use crate::model::{Audience, DivKind, Inline, Span};

/// Every block class, for messages and suggestions.
pub const CLASSES: [&str; 9] = [
    "objectives",
    "activity",
    "facilitator",
    "keypoints",
    "case",
    "worksheet",
    "slide",
    "notes",
    "only",
];

/// The attributes each class takes; the first list is required.
fn attributes(class: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match class {
        "activity" => (&["title", "minutes"], &["method"]),
        "case" | "slide" => (&["title"], &[]),
        "worksheet" => (&["title"], &["lines"]),
        "only" => (&[], &["audience", "federation"]),
        _ => (&[], &[]),
    }
}

/// Where a block stands, for the nesting rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Session,
    Activity,
    Slide,
    /// An `only` block inside the given parent.
    Only(OnlyIn),
    /// Any other block: holds no blocks.
    Leaf(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlyIn {
    Session,
    Activity,
    Slide,
}

impl Parent {
    /// The parent context that a child of class `class` creates.
    pub fn of(kind: &DivKind, outer: Parent) -> Parent {
        match kind {
            DivKind::Activity { .. } => Parent::Activity,
            DivKind::Slide { .. } => Parent::Slide,
            DivKind::Only { .. } => Parent::Only(match outer {
                Parent::Activity | Parent::Only(OnlyIn::Activity) => OnlyIn::Activity,
                Parent::Slide | Parent::Only(OnlyIn::Slide) => OnlyIn::Slide,
                _ => OnlyIn::Session,
            }),
            other => Parent::Leaf(other.class()),
        }
    }

    fn name(&self) -> String {
        match self {
            Parent::Session => "the session".into(),
            Parent::Activity => "an `activity`".into(),
            Parent::Slide => "a `slide`".into(),
            Parent::Only(_) => "an `only` block".into(),
            Parent::Leaf(c) => format!("{} `{c}`", article(c)),
        }
    }

    /// Which classes this parent may hold.
    fn allows(&self, class: &str) -> bool {
        match self {
            Parent::Session => class != "notes",
            Parent::Activity => matches!(class, "facilitator" | "worksheet" | "only"),
            Parent::Slide => matches!(class, "notes" | "only"),
            Parent::Only(OnlyIn::Session) => !matches!(class, "notes" | "only"),
            Parent::Only(OnlyIn::Activity) => matches!(class, "facilitator" | "worksheet"),
            Parent::Only(OnlyIn::Slide) => false,
            Parent::Leaf(_) => false,
        }
    }
}

/// Check that a block of `class` may stand in `parent`; report it at `span` if not.
pub fn check_nesting(class: &str, parent: Parent, span: Span, diags: &mut Diags) -> bool {
    if parent.allows(class) {
        return true;
    }
    let msg = if class == "notes" {
        Diag::error("a `notes` block must stand directly inside a `slide`")
            .at(span, "`notes` outside a slide")
            .help("put the speaker notes inside the `slide` block they belong to")
    } else {
        let holds = match parent {
            Parent::Session => "",
            Parent::Activity => {
                "; an activity may hold `facilitator`, `worksheet` and `only` blocks"
            }
            Parent::Slide => "; a slide may hold one `notes` block and `only` blocks",
            Parent::Only(_) => {
                "; an `only` block holds what its parent may hold, except `notes` and `only`"
            }
            Parent::Leaf(_) => "; only `activity`, `slide` and `only` blocks hold other blocks",
        };
        Diag::error(format!(
            "a `{class}` block cannot stand inside {}",
            parent.name()
        ))
        .at(span, format!("`{class}` not allowed here"))
        .note(format!("blocks nest only so{holds}"))
        .help("close the outer block (`:::`) before this one opens")
    };
    diags.push(msg);
    false
}

/// Turn a fence's attributes into a typed kind. `fence` is the opening line's span.
/// Reports every problem; returns `None` if the block cannot be built.
pub fn div_kind(attrs: &[Spanned], fence: Span, md: &str, diags: &mut Diags) -> Option<DivKind> {
    let file = fence.file;
    let sp = |a: &Spanned| Span::new(file, a.start, a.end);
    let mut class: Option<(&str, Span)> = None;
    let mut pairs: Vec<(&str, &str, usize, Span)> = Vec::new();
    let mut ok = true;
    for a in attrs {
        match &a.attr {
            Attr::Class(c) if class.is_none() => class = Some((c, sp(a))),
            Attr::Class(c) => {
                diags.push(
                    Diag::error(format!("a block has one class; `{c}` is a second one"))
                        .at(sp(a), "second class"),
                );
                ok = false;
            }
            Attr::Id(id) => {
                diags.push(
                    Diag::error(format!("blocks take no id (`#{id}`)"))
                        .at(sp(a), "unknown attribute")
                        .help("put ids on headings"),
                );
                ok = false;
            }
            Attr::Word(w) => {
                diags.push(
                    Diag::error(format!("`{w}` is not an attribute"))
                        .at(sp(a), "expected `key=\"value\"`"),
                );
                ok = false;
            }
            Attr::Pair {
                key,
                value,
                value_start,
            } => pairs.push((key, value, *value_start, sp(a))),
        }
    }
    let Some((class, class_span)) = class else {
        diags.push(
            Diag::error("block without a class")
                .at(fence, "which kind of block?")
                .help(format!("write `::: class`, one of: {}", CLASSES.join(", "))),
        );
        return None;
    };
    if !CLASSES.contains(&class) {
        let mut d = Diag::error(format!("unknown block class `{class}`")).at(
            class_span,
            format!("expected one of: {}", CLASSES.join(", ")),
        );
        if let Some(s) = did_you_mean(class, CLASSES) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        diags.push(d);
        return None;
    }
    let (required, optional) = attributes(class);
    for (key, _, _, span) in &pairs {
        if !required.contains(key) && !optional.contains(key) {
            let known: Vec<&str> = required.iter().chain(optional).copied().collect();
            let mut d = Diag::error(format!(
                "unknown attribute `{key}` on {} `{class}` block",
                article(class)
            ))
            .at(
                *span,
                if known.is_empty() {
                    format!("`{class}` takes no attributes")
                } else {
                    format!("`{class}` takes: {}", known.join(", "))
                },
            );
            if let Some(s) = did_you_mean(key, known.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            ok = false;
        }
    }
    for req in required {
        if !pairs.iter().any(|(k, ..)| k == req) {
            let example = match *req {
                "minutes" => "minutes=30",
                _ => "title=\"…\"",
            };
            diags.push(
                Diag::error(format!(
                    "{} `{class}` block needs a `{req}` attribute",
                    article(class)
                ))
                .at(fence, format!("`{req}` missing"))
                .help(format!(
                    "write `::: {{.{class} {}}}`",
                    required
                        .iter()
                        .map(|r| if *r == "minutes" {
                            example.to_string()
                        } else {
                            format!("{r}=\"…\"")
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                )),
            );
            ok = false;
        }
    }
    let get = |k: &str| pairs.iter().find(|(key, ..)| *key == k);
    let title = |diags: &mut Diags| -> Vec<Inline> {
        let mut out = Vec::new();
        if let Some((_, v, at, _)) = get("title") {
            expand_placeholders(v, *at..*at + v.len(), md, file, diags, &mut out);
        }
        out
    };
    let mut number = |key: &str, default: u32, max: u32, diags: &mut Diags| -> u32 {
        match get(key) {
            None => default,
            Some((_, v, _, span)) => match v.parse::<u32>() {
                Ok(n) if n >= 1 && n <= max => n,
                _ => {
                    diags.push(
                        Diag::error(format!(
                            "`{key}` must be a whole number from 1 to {max}, not `{v}`"
                        ))
                        .at(*span, "not a valid number"),
                    );
                    ok = false;
                    default
                }
            },
        }
    };
    let kind = match class {
        "objectives" => DivKind::Objectives,
        "facilitator" => DivKind::Facilitator,
        "keypoints" => DivKind::Keypoints,
        "notes" => DivKind::Notes,
        "activity" => {
            let minutes = number("minutes", 0, 1440, diags);
            DivKind::Activity {
                title: title(diags),
                minutes,
                method: get("method").map(|p| p.1.to_string()),
            }
        }
        "case" => DivKind::Case {
            title: title(diags),
        },
        "slide" => DivKind::Slide {
            title: title(diags),
        },
        "worksheet" => {
            let lines = number("lines", 6, 60, diags);
            DivKind::Worksheet {
                title: title(diags),
                lines,
            }
        }
        "only" => only_kind(&pairs, fence, diags)?,
        _ => unreachable!(),
    };
    ok.then_some(kind)
}

fn only_kind(
    pairs: &[(&str, &str, usize, Span)],
    fence: Span,
    diags: &mut Diags,
) -> Option<DivKind> {
    let mut audience = None;
    let mut federations = Vec::new();
    for (key, value, _, span) in pairs {
        match *key {
            "audience" => match *value {
                "participant" => audience = Some(Audience::Participant),
                "facilitator" => audience = Some(Audience::Facilitator),
                other => {
                    let mut d = Diag::error(format!("unknown audience `{other}`"))
                        .at(*span, "expected `participant` or `facilitator`");
                    if let Some(s) = did_you_mean(other, ["participant", "facilitator"]) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    return None;
                }
            },
            "federation" => {
                federations = value.split_whitespace().map(str::to_string).collect();
                if federations.is_empty() {
                    diags.push(
                        Diag::error("`federation` names no federation")
                            .at(*span, "expected ids such as `fspmi spn`"),
                    );
                    return None;
                }
            }
            _ => {}
        }
    }
    if audience.is_none() && federations.is_empty() {
        diags.push(
            Diag::error("an `only` block needs `audience` or `federation`")
                .at(fence, "for whom is this block?")
                .help("write `::: {.only audience=\"facilitator\"}` or `::: {.only federation=\"fspmi\"}`"),
        );
        return None;
    }
    Some(DivKind::Only {
        audience,
        federations,
    })
}

fn article(class: &str) -> &'static str {
    if class.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
