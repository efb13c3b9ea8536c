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
    /// Parse and check the module and layouts; write nothing.
    Check(InputArgs),
    /// Print the checked module as JSON (for debugging and tests).
    Dump(InputArgs),
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

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Build only these kinds (comma-separated): booklet, imposed, docx.
    #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Build only these federations' outputs (comma-separated ids); canonical outputs are
    /// always built unless --only excludes them.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub federation: Vec<String>,
    /// Number of parallel jobs (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Rebuild even outputs that look current.
    #[arg(long)]
    pub force: bool,
    /// Print errors only.
    #[arg(long)]
    pub quiet: bool,
}
