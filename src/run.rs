//! The commands: each to its module, with the exit code of the contract.

use std::io::Write;
use std::process::ExitCode;

use crate::batch::BuildOptions;
use crate::cli::{BuildArgs, Cli, Command, InputArgs};
use crate::diag::SourceFiles;
use crate::exit::Exit;
use crate::input::{load_checked, print_diags};
use crate::project::Project;

/// Run one command line; the exit code is the contract of the README (0 ok, 1 input, 2 usage).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(input) => match crate::input::load_all(&input) {
            Ok((modules, files, mut warnings)) => {
                // The slides too long for their page: only a layout of the deck finds them.
                let fonts = std::sync::Arc::new(crate::render::typst::Fonts::default());
                for project in &modules.projects {
                    warnings
                        .list
                        .extend(crate::render::slides::layout_problems(project, &fonts));
                }
                if warnings.has_errors() {
                    print_diags(&files, &mut warnings, "nothing was written");
                    return Exit::Input.into();
                }
                let n = warnings.list.len();
                print_diags(&files, &mut warnings, "");
                // Silence would leave a reader wondering whether anything was checked.
                crate::say::outln!("{}", checked(&modules, n));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Dump(args) => with_project(&args.input, |project, _| {
            if let Some(dir) = &args.typst {
                return crate::scaffold::dump_typst(project, dir, &args.input);
            }
            let json = serde_json::json!({
                "module": project.module,
                "federations": project.federations,
            });
            let mut out = std::io::stdout().lock();
            let _ = serde_json::to_writer_pretty(&mut out, &json);
            let _ = writeln!(out);
            ExitCode::SUCCESS
        }),
        Command::Build(args) => with_options(&args, crate::batch::build),
        Command::List(args) => with_options(&args, crate::batch::list),
        Command::Watch(args) => with_options(&args, crate::batch::watch),
        Command::Init(args) => crate::scaffold::init(&args),
        Command::Layouts(args) => crate::scaffold::export_layouts(&args),
        Command::Absorb(args) => crate::absorb::absorb(&args),
    }
}

/// Make the build options of a command line (a usage error before the input is read);
/// call `f` with them.
fn with_options(args: &BuildArgs, f: impl FnOnce(&BuildOptions) -> ExitCode) -> ExitCode {
    match BuildOptions::new(args) {
        Ok(opts) => f(&opts),
        Err(message) => {
            crate::say::errln!("error: {message}");
            Exit::Usage.into()
        }
    }
}

/// Resolve the folders, load and check, print diagnostics; call `f` if there are no errors.
fn with_project(input: &InputArgs, f: impl FnOnce(&Project, &SourceFiles) -> ExitCode) -> ExitCode {
    match load_checked(input) {
        Ok((project, files, mut warnings)) => {
            print_diags(&files, &mut warnings, "");
            f(&project, &files)
        }
        Err(code) => code,
    }
}

/// `check`'s closing line: what was checked, and that it builds.
fn checked(modules: &crate::input::Modules, warnings: usize) -> String {
    let what = match (&modules.paket, modules.projects.as_slice()) {
        (None, [project]) => {
            let sessions = project.module.sessions.len();
            format!(
                "module `{}` ({sessions} session{})",
                project.module.meta.id,
                if sessions == 1 { "" } else { "s" }
            )
        }
        (_, projects) => format!(
            "paket ({} module{})",
            projects.len(),
            if projects.len() == 1 { "" } else { "s" }
        ),
    };
    match warnings {
        0 => format!("ok: {what} has no problems"),
        1 => format!("ok: {what} builds, with 1 warning (above)"),
        n => format!("ok: {what} builds, with {n} warnings (above)"),
    }
}
