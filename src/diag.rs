//! Diagnostics: problems with a place in a file, collected and printed all at once.
//!
//! Every stage pushes into a [`Diags`]; the CLI prints them in the rustc style
//! (`--> path:line:col`, the line, a caret) with codespan-reporting.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{SimpleFile, SimpleFiles};
use codespan_reporting::term::{self, Config, termcolor::WriteColor};
use serde::Serialize;

use crate::excerpt::{Excerpt, visible};
use crate::model::Span;

/// How bad a problem is: errors stop the build (exit 1), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, optionally at a place in a file.
#[derive(Debug, Clone, Serialize)]
pub struct Diag {
    pub severity: Severity,
    pub message: String,
    #[serde(skip)]
    pub at: Option<Span>,
    /// Text under the caret.
    pub label: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The federation whose overlay the problem is in: it stops only a build of that
    /// federation's files (`input::set_aside`).
    #[serde(skip)]
    pub federation: Option<String>,
}

impl Diag {
    pub fn error(message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Error,
            message: message.into(),
            at: None,
            label: String::new(),
            help: None,
            notes: Vec::new(),
            federation: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(message)
        }
    }

    /// Place the problem at `span`, with `label` under the caret.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.at = Some(span);
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// The text files that diagnostics can point into, with the names to show for them.
#[derive(Default, Clone)]
pub struct SourceFiles {
    files: SimpleFiles<String, String>,
    count: u32,
}

impl SourceFiles {
    /// Register a file; `name` is what messages show (a path relative to the current folder).
    pub fn add(&mut self, name: String, text: String) -> u32 {
        self.files.add(name, text);
        self.count += 1;
        self.count - 1
    }

    /// The text of a registered file.
    pub fn text(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The 1-based line and column of a byte offset, for messages built outside codespan.
    pub fn line_col(&self, file: u32, offset: usize) -> (usize, usize) {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, text[line_start..offset].chars().count() + 1)
    }

    pub fn name(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.name().as_str())
            .unwrap_or("")
    }

    /// Print one diagnostic. Its source lines are cut to a window that fits
    /// [`crate::excerpt::WIDTH`] columns around its place.
    pub fn emit(&self, out: &mut dyn WriteColor, diag: &Diag) {
        let mut d = match diag.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
        }
        .with_message(visible(&diag.message));
        let mut notes: Vec<String> = diag.notes.iter().map(|n| visible(n).into()).collect();
        if let Some(help) = &diag.help {
            notes.push(format!("help: {}", visible(help)));
        }
        d = d.with_notes(notes);
        let config = Config {
            chars: term::Chars::ascii(),
            ..Config::default()
        };
        // Writing to stderr can only fail if stderr is gone; nothing useful is left to do then.
        match diag
            .at
            .and_then(|span| Some((span, self.files.get(span.file as usize).ok()?)))
        {
            Some((span, file)) => {
                let name = visible(file.name());
                let label = visible(&diag.label);
                let (excerpt, range) = Excerpt::new(&name, file.source(), span.range(), &label);
                let d = d.with_label(Label::primary((), range).with_message(label.as_ref()));
                let _ = term::emit(out, &config, &excerpt, &d);
            }
            None => {
                let _ = term::emit(out, &config, &SimpleFile::new("", ""), &d);
            }
        }
    }
}

/// All problems of a run, in the order found.
#[derive(Default, Debug, Clone)]
pub struct Diags {
    pub list: Vec<Diag>,
}

impl Diags {
    pub fn push(&mut self, diag: Diag) {
        self.list.push(diag);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// Keep the errors only (`--quiet`).
    pub fn retain_errors(&mut self) {
        self.list.retain(|d| d.severity == Severity::Error);
    }

    /// Sort by file and position so that messages read top to bottom (stable for equal places).
    pub fn sort(&mut self) {
        self.list
            .sort_by_key(|d| d.at.map_or((u32::MAX, 0), |s| (s.file, s.start)));
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Case aside: `FSPMI` means `fspmi`, `Activity` means `activity`.
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&lower, &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(1);
    best.filter(|(d, c)| *d <= limit && *c != word)
        .map(|(_, c)| c)
}

/// Edits from `a` to `b`: a character added, removed or changed, or two neighbours swapped
/// (`titel` is one edit from `title`, as a typist sees it).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = (0..=b.len()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let classes = ["objectives", "keypoints", "activity"];
        assert_eq!(did_you_mean("keypoint", classes), Some("keypoints"));
        assert_eq!(did_you_mean("zzz", classes), None);
        // Two letters swapped are one slip; case is no difference.
        assert_eq!(did_you_mean("titel", ["title", "lines"]), Some("title"));
        assert_eq!(did_you_mean("mintues", ["minutes"]), Some("minutes"));
        assert_eq!(did_you_mean("FSPMI", ["fspmi", "spn"]), Some("fspmi"));
        assert_eq!(did_you_mean("fspmi", ["fspmi", "spn"]), None);
    }

    #[test]
    fn line_col_counts_chars() {
        let mut files = SourceFiles::default();
        let f = files.add("a.md".into(), "ab\nçd x".into());
        assert_eq!(files.line_col(f, 6), (2, 3));
    }
}
