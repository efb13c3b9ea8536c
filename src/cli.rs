//! Command-line types (clap derive) and nothing else.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Compile one Markdown training module into print-ready booklets, editable DOCX per
/// federation, and slides.
#[derive(Debug, Parser)]
#[command(name = "modulpress", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the outputs into the output folder (everything, unless --only says otherwise).
    Build(BuildArgs),
    /// Print the plan: every output, its path, and whether it is current or would be rebuilt,
    /// and why. Writes nothing.
    List(BuildArgs),
    /// Build, then rebuild what changed each time a file of the module or the layouts is
    /// saved, until Ctrl-C.
    Watch(BuildArgs),
    /// Parse and check the module and layouts; write nothing.
    Check(InputArgs),
    /// Print the checked module as JSON (for debugging and tests), or with --typst write
    /// each booklet's Typst project, exactly as the build compiles it.
    Dump(DumpArgs),
    /// Create a new module folder: module.toml and two sample sessions that check and build.
    ///
    /// The sample uses every kind of block, a placeholder, a footnote, a table, a link to
    /// another session and a picture (in images/): replace its text with your own. The
    /// folder must not exist yet, or be empty. Afterwards: `modulpress check --source DIR`,
    /// then `modulpress build --source DIR`.
    Init(InitArgs),
    /// Write the built-in layouts into a folder, for a designer to change.
    ///
    /// The folder gets the Typst templates of the booklets, slides and handouts, the print,
    /// DOCX and handout settings, the labels of each language, the federation profiles with
    /// their logos, the fonts, and a README.md saying what each file controls and how to add
    /// a federation. Build with `--layouts DIR` (or name the folder `layouts` beside
    /// `source`); unchanged, it gives exactly the outputs of the built-in layouts.
    Layouts(LayoutsArgs),
    /// Read a federation's edited DOCX copy and record what the person changed in the
    /// federation's overlay (overlays/ID.md in the module folder), which every later build
    /// of that federation's outputs applies.
    ///
    /// Changed, added and removed paragraphs, list items and tables, changed headings and
    /// added pictures are recorded; fonts, colours, spacing and comments are not. Writes
    /// nothing when it fails.
    Absorb(AbsorbArgs),
}

/// `modulpress absorb`.
#[derive(Debug, Args)]
pub struct AbsorbArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The federation whose copy FILE is.
    #[arg(long, value_name = "ID")]
    pub federation: String,
    /// The edited DOCX.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `modulpress init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The module folder to create.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The module id, which names the output files: lower-case letters, digits and `-`
    /// (default: made from the folder's name).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The module title (default: the sample's title, "Perjanjian Kerja Bersama" or
    /// "Collective Agreements").
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// The language of the sample text and of the labels in every output.
    #[arg(long, value_name = "LANG", value_parser = ["id", "en"], default_value = "id")]
    pub lang: String,
}

/// `modulpress layouts`.
#[derive(Debug, Args)]
pub struct LayoutsArgs {
    /// The folder to write the built-in layouts into (made if missing).
    #[arg(long, value_name = "DIR")]
    pub export: PathBuf,
    /// Overwrite files of an earlier export; files the built-in layouts do not have (a new
    /// federation, say) are left alone.
    #[arg(long)]
    pub force: bool,
}

/// Where the module and the layouts are.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The module folder (default: ./source).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// The layouts folder (default: ./layouts, or the built-in layouts if there is none).
    #[arg(long, value_name = "DIR")]
    pub layouts: Option<PathBuf>,
}

/// `modulpress dump`.
#[derive(Debug, Args, Clone)]
pub struct DumpArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the booklets' Typst projects into this new (or empty) folder instead: per
    /// audience the generated main file, `meta.typ`, `pages.typ` (the page numbers of the
    /// contents, agenda and cross-references), `relaxed.typ` (the paragraphs set without
    /// widow and orphan control for their footnotes), the page furniture document, the layouts
    /// (fonts included) and the module, for
    /// `typst compile --root DIR/AUDIENCE --font-path DIR/AUDIENCE/layouts/fonts`.
    #[arg(long, value_name = "DIR")]
    pub typst: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Build only these kinds (comma-separated): the kinds of `render::BACKENDS`.
    #[arg(long, value_name = "KIND,...", value_delimiter = ',', help = only_help())]
    pub only: Vec<String>,
    /// Build only these federations' outputs (comma-separated ids); canonical outputs are
    /// always built unless --only excludes them.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub federation: Vec<String>,
    /// In a paket, build only these modules (comma-separated module ids).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub module: Vec<String>,
    /// Build only shard I of N of the plan (the jobs dealt round in plan order), for N
    /// machines building together; merge their output folders with --merge.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Take the outputs these output folders of shard builds made (files and cache
    /// records) before building: what they made is current.
    #[arg(long, value_name = "DIR,...", value_delimiter = ',')]
    pub merge: Vec<PathBuf>,
    /// Number of parallel jobs (default: the number of cores).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub jobs: Option<usize>,
    /// Rebuild even outputs that the cache shows current.
    #[arg(long)]
    pub force: bool,
    /// If another modulpress is writing to the output folder, stop (exit 2) instead of
    /// waiting for it.
    #[arg(long)]
    pub no_wait: bool,
    /// Print errors only.
    #[arg(long)]
    pub quiet: bool,
    /// Also write, beside every DOCX, its changes since an earlier edition of the module as
    /// Word tracked changes, and a "Changes since" section in the report: OLD is the
    /// earlier edition's module folder, or `git:REV` for a revision of the git repository
    /// the module folder is in.
    #[arg(long, value_name = "OLD")]
    pub since: Option<String>,
}

/// The earlier edition `--since` names.
#[derive(Debug, Clone, PartialEq)]
pub enum SinceArg {
    /// The module folder of the earlier edition.
    Folder(PathBuf),
    /// A revision (`git:REV`) of the git repository that holds the module folder.
    Git(String),
}

impl SinceArg {
    /// `git:REV` or a folder; a usage error as its message.
    pub fn parse(s: &str) -> Result<SinceArg, String> {
        match s.strip_prefix("git:") {
            Some(rev) if rev.trim().is_empty() => {
                Err("`--since git:` names no revision\n  = help: for example `--since git:v1`".into())
            }
            Some(rev) => Ok(SinceArg::Git(rev.trim().to_string())),
            None if s.trim().is_empty() => Err(
                "`--since` names no earlier edition\n  = help: give its module folder, or `git:REV`".into(),
            ),
            None => Ok(SinceArg::Folder(PathBuf::from(s))),
        }
    }

    /// How messages and the report name it: the folder as given, or `git:REV`.
    pub fn display(&self) -> String {
        match self {
            SinceArg::Folder(dir) => crate::bundle::display_path(dir),
            SinceArg::Git(rev) => format!("git:{rev}"),
        }
    }
}

/// The help of `--only`: the kinds the backends make.
fn only_help() -> String {
    let kinds: Vec<&str> = crate::render::available()
        .into_iter()
        .map(|k| k.name())
        .collect();
    format!(
        "Build only these kinds (comma-separated): {}",
        kinds.join(", ")
    )
}

/// A count of jobs: a whole number, at least 1.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number of jobs, at least 1".to_string()),
    }
}
