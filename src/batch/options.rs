//! `BuildOptions`: what `build`, `list` and `watch` were asked, made once from the command
//! line and checked (the kinds of `--only` against the backends) before the input is read.

use std::path::PathBuf;

use crate::cli::{BuildArgs, InputArgs, SinceArg};
use crate::export::Busy;
use crate::render::Kind;

/// A build's options.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub input: InputArgs,
    pub out: PathBuf,
    /// The kinds `--only` names; `None`: every kind the backends make.
    pub only: Option<Vec<Kind>>,
    /// The federation ids `--federation` names (trimmed, maybe none); `None`: every one.
    pub federations: Option<Vec<String>>,
    /// The module ids `--module` names (trimmed, maybe none); `None`: every module.
    pub modules: Option<Vec<String>>,
    /// `--shard i/n`: build only shard `i` of `n` of the plan.
    pub shard: Option<(usize, usize)>,
    /// `--merge`: output folders of shard builds whose outputs are taken first.
    pub merge: Vec<PathBuf>,
    /// `--jobs`; `None`: the number of cores.
    pub jobs: Option<usize>,
    /// `--force`: rebuild even outputs that the cache shows current.
    pub force: bool,
    /// What to do when another modulpress is writing to the output folder (`--no-wait`).
    pub busy: Busy,
    /// `--quiet`: errors only.
    pub quiet: bool,
    /// `--since OLD`: the earlier edition to show the changes since (loaded by
    /// `batch::load_since` once the module is read).
    pub since: Option<SinceArg>,
}

impl BuildOptions {
    /// Whether this build makes any file of the federation `id`: a Word copy (or its
    /// changes copy), or a branded deck, for a federation `--federation` names.
    pub fn builds_federation(&self, id: &str) -> bool {
        use crate::render::Kind;
        let named = self
            .federations
            .as_ref()
            .is_none_or(|list| list.iter().any(|f| f.eq_ignore_ascii_case(id)));
        let kinds = self.only.as_ref().is_none_or(|kinds| {
            kinds.iter().any(|k| {
                matches!(
                    k,
                    Kind::Docx | Kind::DocxChanges | Kind::Slides | Kind::Pptx
                )
            })
        });
        named && kinds
    }

    /// The options of a command line; a usage error as its message.
    pub fn new(args: &BuildArgs) -> Result<BuildOptions, String> {
        let only = if args.only.is_empty() {
            None
        } else {
            Some(super::select_kinds(&args.only)?)
        };
        let federations = (!args.federation.is_empty()).then(|| {
            args.federation
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        });
        let modules = (!args.module.is_empty()).then(|| {
            args.module
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        });
        let shard = args.shard.as_deref().map(super::shard::parse).transpose()?;
        Ok(BuildOptions {
            modules,
            shard,
            merge: args.merge.clone(),
            input: args.input.clone(),
            out: args.out.clone(),
            only,
            federations,
            jobs: args.jobs,
            force: args.force,
            busy: if args.no_wait { Busy::Fail } else { Busy::Wait },
            quiet: args.quiet,
            since: args.since.as_deref().map(SinceArg::parse).transpose()?,
        })
    }

    /// The kinds to build.
    pub fn kinds(&self) -> Vec<Kind> {
        self.only.clone().unwrap_or_else(crate::render::available)
    }

    /// Does the build make every output (no `--only`, no `--federation`, no `--module`)?
    /// Only then are the files of an earlier build that it no longer makes worth a warning.
    pub fn everything(&self) -> bool {
        self.only.is_none()
            && self.federations.is_none()
            && self.modules.is_none()
            && self.shard.is_none()
    }
}
