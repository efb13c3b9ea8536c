//! Fenced-div attributes to typed block kinds, and the rules of which block may hold which.
//! The classes and their attributes are `model::Class`; see `docs/source-format.md`.

use super::attrs::{Attr, Spanned};
use super::markdown::expand_placeholders;
use crate::diag::{Diag, Diags, did_you_mean};
use crate::model::{Audience, Class, DivKind, Inline, MAX_ACTIVITY_MINUTES, Span, WORKSHEET_LINES};

/// Every block class name, for messages and suggestions.
fn class_names() -> Vec<&'static str> {
    Class::ALL.iter().map(|c| c.name()).collect()
}

/// Where a block stands, for the nesting rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Session,
    /// A block whose fence cannot be read, or that is never closed (told already): what it
    /// holds is checked on its own, with no rule of where it stands.
    Unread,
    Activity,
    Slide,
    /// An `only` block inside the given parent.
    Only(OnlyIn),
    /// Any other block: holds no blocks.
    Leaf(Class),
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
                Parent::Session
                | Parent::Unread
                | Parent::Only(OnlyIn::Session)
                | Parent::Leaf(_) => OnlyIn::Session,
            }),
            DivKind::Objectives
            | DivKind::Facilitator
            | DivKind::Keypoints
            | DivKind::Case { .. }
            | DivKind::Worksheet { .. }
            | DivKind::Notes => Parent::Leaf(kind.class()),
        }
    }

    pub(super) fn name(&self) -> String {
        match self {
            Parent::Session => "the session".into(),
            Parent::Unread => "a block whose fence cannot be read".into(),
            Parent::Activity => "an `activity`".into(),
            Parent::Slide => "a `slide`".into(),
            Parent::Only(_) => "an `only` block".into(),
            Parent::Leaf(c) => format!("{} `{}`", c.article(), c.name()),
        }
    }

    /// Which classes this parent may hold.
    pub(super) fn allows(&self, class: Class) -> bool {
        use Class::*;
        match self {
            Parent::Session => class != Notes,
            Parent::Unread => true,
            Parent::Activity => matches!(class, Facilitator | Worksheet | Only),
            Parent::Slide => matches!(class, Notes | Only),
            Parent::Only(OnlyIn::Session) => !matches!(class, Notes | Only),
            Parent::Only(OnlyIn::Activity) => matches!(class, Facilitator | Worksheet),
            Parent::Only(OnlyIn::Slide) => false,
            Parent::Leaf(_) => false,
        }
    }
}

/// Check that a block of `class` may stand in `parent`; report it at `span` if not.
pub fn check_nesting(class: Class, parent: Parent, span: Span, diags: &mut Diags) -> bool {
    if parent.allows(class) {
        return true;
    }
    let msg = if class == Class::Notes {
        Diag::error("a `notes` block must stand directly inside a `slide`")
            .at(span, "`notes` outside a slide")
            .help("put the speaker notes inside the `slide` block they belong to")
    } else {
        let holds = match parent {
            Parent::Session | Parent::Unread => "",
            Parent::Activity => {
                "; an activity may hold `facilitator`, `worksheet` and `only` blocks"
            }
            Parent::Slide => "; a slide may hold one `notes` block and `only` blocks",
            Parent::Only(_) => {
                "; an `only` block holds what its parent may hold, except `notes` and `only`"
            }
            Parent::Leaf(_) => "; only `activity`, `slide` and `only` blocks hold other blocks",
        };
        let article = class.article();
        let class = class.name();
        Diag::error(format!(
            "{article} `{class}` block cannot stand inside {}",
            parent.name()
        ))
        .at(span, format!("`{class}` not allowed here"))
        .note(format!("only some blocks may stand inside others{holds}"))
        .help("close the outer block (`:::`) before this one opens")
    };
    diags.push(msg);
    false
}

/// A fence's attribute `key="value"`: the key, the value, the value's offset, the span.
type Pair<'a> = (&'a str, &'a str, usize, Span);

/// Turn a fence's attributes into a typed kind. `fence` is the opening line's span.
/// Reports every problem; returns `None` if the block cannot be built.
pub fn div_kind(attrs: &[Spanned], fence: Span, md: &str, diags: &mut Diags) -> Option<DivKind> {
    let (class, pairs, mut ok) = split_attributes(attrs, fence, diags)?;
    ok &= check_attributes(class, &pairs, fence, diags);
    let mut values = Values {
        pairs: &pairs,
        md,
        file: fence.file,
        ok: true,
    };
    let kind = match class {
        Class::Objectives => DivKind::Objectives,
        Class::Facilitator => DivKind::Facilitator,
        Class::Keypoints => DivKind::Keypoints,
        Class::Notes => DivKind::Notes,
        Class::Activity => activity(&mut values, diags),
        Class::Case => DivKind::Case {
            title: values.title(diags),
        },
        Class::Slide => DivKind::Slide {
            title: values.title(diags),
        },
        Class::Worksheet => worksheet(&mut values, diags),
        Class::Only => only_kind(&pairs, fence, diags)?,
    };
    (ok && values.ok).then_some(kind)
}

/// The class and the `key="value"` pairs of a fence; ids, bare words and second classes
/// are reported. `None` when the class is missing or unknown.
fn split_attributes<'a>(
    attrs: &'a [Spanned],
    fence: Span,
    diags: &mut Diags,
) -> Option<(Class, Vec<Pair<'a>>, bool)> {
    let sp = |a: &Spanned| Span::new(fence.file, a.start, a.end);
    let mut class: Option<(&str, Span)> = None;
    let mut pairs = Vec::new();
    let mut ok = true;
    for (k, a) in attrs.iter().enumerate() {
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
                // `title=Kasus PT Maju`: the words after an unquoted value are its own.
                let pair_before = attrs[..k]
                    .iter()
                    .rev()
                    .find(|b| !matches!(b.attr, Attr::Word(_)));
                let first_after_pair = k > 0 && !matches!(attrs[k - 1].attr, Attr::Word(_));
                match pair_before.map(|b| &b.attr) {
                    Some(Attr::Pair { key, value, .. }) if first_after_pair => {
                        let words: Vec<&str> = attrs[k..]
                            .iter()
                            .map_while(|b| match &b.attr {
                                Attr::Word(w) => Some(w.as_str()),
                                _ => None,
                            })
                            .collect();
                        diags.push(
                            Diag::error(format!("`{w}` is not an attribute"))
                                .at(sp(a), "expected `key=\"value\"`")
                                .help(format!(
                                    "a value with spaces goes in quotes: `{key}=\"{value} {}\"`",
                                    words.join(" ")
                                )),
                        );
                    }
                    // A further word of the same value: said once, above.
                    Some(Attr::Pair { .. }) => {}
                    _ => diags.push(
                        Diag::error(format!("`{w}` is not an attribute"))
                            .at(sp(a), "expected `key=\"value\"`"),
                    ),
                }
                ok = false;
            }
            Attr::Pair {
                key,
                value,
                value_start,
            } => pairs.push((key.as_str(), value.as_str(), *value_start, sp(a))),
        }
    }
    let names = class_names();
    let Some((name, class_span)) = class else {
        diags.push(
            Diag::error("block without a class")
                .at(fence, "which kind of block?")
                .help(format!("write `::: class`, one of: {}", names.join(", "))),
        );
        return None;
    };
    let Some(class) = Class::from_name(name) else {
        let mut d = Diag::error(format!("unknown block class `{name}`"))
            .at(class_span, format!("expected one of: {}", names.join(", ")));
        if let Some(meant) = Class::meant_in_indonesian(name) {
            d = d.help(format!(
                "the block classes are English: did you mean `{}`?",
                meant.name()
            ));
        } else if let Some(s) = did_you_mean(name, names.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        diags.push(d);
        return None;
    };
    Some((class, pairs, ok))
}

/// Report attributes the class does not take and required ones that are missing.
fn check_attributes(class: Class, pairs: &[Pair], fence: Span, diags: &mut Diags) -> bool {
    let (required, optional) = (class.required(), class.optional());
    let (name, article) = (class.name(), class.article());
    let mut ok = true;
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    // What an unknown attribute was meant to be: a misspelling (`titel`) or the Indonesian
    // name (`judul`).
    let meant = |key: &str| {
        did_you_mean(key, known.iter().copied())
            .or_else(|| super::attrs::meant_in_english(key).filter(|m| known.contains(m)))
    };
    for (key, _, _, span) in pairs {
        if !required.contains(key) && !optional.contains(key) {
            let mut d = Diag::error(format!(
                "unknown attribute `{key}` on {article} `{name}` block"
            ))
            .at(
                *span,
                if known.is_empty() {
                    format!("`{name}` takes no attributes")
                } else {
                    format!("`{name}` takes: {}", known.join(", "))
                },
            );
            if let Some(s) = meant(key) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            ok = false;
        }
    }
    for req in required {
        // Written under another name (`judul`, `titel`): that error says it, once.
        let renamed = pairs
            .iter()
            .any(|(k, ..)| !known.contains(k) && meant(k) == Some(*req));
        if !renamed && !pairs.iter().any(|(k, ..)| k == req) {
            let example = |r: &str| match r {
                "minutes" => "minutes=30".to_string(),
                _ => format!("{r}=\"…\""),
            };
            diags.push(
                Diag::error(format!(
                    "{article} `{name}` block needs a `{req}` attribute"
                ))
                .at(fence, format!("`{req}` missing"))
                .help(format!(
                    "write `::: {{.{name} {}}}`",
                    required
                        .iter()
                        .map(|r| example(r))
                        .collect::<Vec<_>>()
                        .join(" ")
                )),
            );
            ok = false;
        }
    }
    ok
}

/// The values of a fence's pairs, read as titles and numbers.
struct Values<'a> {
    pairs: &'a [Pair<'a>],
    md: &'a str,
    file: u32,
    /// False once a value was refused.
    ok: bool,
}

impl Values<'_> {
    fn get(&self, key: &str) -> Option<&Pair<'_>> {
        self.pairs.iter().find(|(k, ..)| *k == key)
    }

    /// The `title`, with its placeholders.
    fn title(&self, diags: &mut Diags) -> Vec<Inline> {
        let mut out = Vec::new();
        if let Some((_, v, at, _)) = self.get("title") {
            expand_placeholders(v, *at..*at + v.len(), self.md, self.file, diags, &mut out);
        }
        out
    }

    /// A whole number from 1 to `max`, or `default` when absent.
    fn number(&mut self, key: &str, default: u32, max: u32, diags: &mut Diags) -> u32 {
        match self.get(key) {
            None => default,
            Some((_, v, _, span)) => match v.parse::<u32>() {
                Ok(n) if n >= 1 && n <= max => n,
                _ => {
                    diags.push(
                        Diag::error(format!(
                            "`{key}` must be a whole number from 1 to {max}, not `{v}`"
                        ))
                        .at(
                            *span,
                            match v.parse::<u64>() {
                                Ok(0) => "less than 1".to_string(),
                                Ok(_) => format!("more than {max}"),
                                Err(_) => "not a whole number".to_string(),
                            },
                        ),
                    );
                    self.ok = false;
                    default
                }
            },
        }
    }
}

fn activity(v: &mut Values, diags: &mut Diags) -> DivKind {
    let minutes = v.number("minutes", 0, MAX_ACTIVITY_MINUTES, diags);
    DivKind::Activity {
        title: v.title(diags),
        minutes,
        method: v.get("method").map(|p| p.1.to_string()),
    }
}

fn worksheet(v: &mut Values, diags: &mut Diags) -> DivKind {
    let (default, max) = WORKSHEET_LINES;
    let lines = v.number("lines", default, max, diags);
    DivKind::Worksheet {
        title: v.title(diags),
        lines,
    }
}

fn only_kind(pairs: &[Pair], fence: Span, diags: &mut Diags) -> Option<DivKind> {
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
    // `federasi="…"`: the unknown attribute's own error says what was meant.
    let misspelt = pairs.iter().any(|(key, ..)| {
        super::attrs::meant_in_english(key).is_some_and(|k| k == "audience" || k == "federation")
            || did_you_mean(key, ["audience", "federation"]).is_some()
    });
    if audience.is_none() && federations.is_empty() {
        if misspelt {
            return None;
        }
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
