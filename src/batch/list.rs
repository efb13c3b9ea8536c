//! `modulpress list`: the plan, each output with its path and whether it is current or
//! would be rebuilt, and why. Reads the cache; writes nothing.

use std::io::Write;
use std::process::ExitCode;

use crate::exit::Exit;

use super::BuildOptions;
use crate::cache::{Cache, Status};

pub fn list(args: &BuildOptions) -> ExitCode {
    let (modules, files, mut diags) = match crate::input::load_all(&args.input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let since = match super::load_since(args, &modules) {
        Ok(since) => since,
        Err(code) => return code,
    };
    let selections = match super::selections(args, &modules, &since) {
        Ok(s) => s,
        Err(message) => {
            crate::say::errln!("error: {message}");
            return Exit::Usage.into();
        }
    };
    let (mut cache, unreadable) = Cache::load(&args.out);
    if let Some(message) = unreadable {
        diags.push(crate::diag::Diag::warning(message));
    }
    // What `build --merge` would take from the shards' folders is current here too.
    let adopted = match super::shard::survey(&mut cache, &args.merge) {
        Ok(adopted) => adopted,
        Err(message) => {
            crate::input::print_diags(&files, &mut diags, "");
            crate::say::errln!("error: {message}");
            return Exit::Usage.into();
        }
    };
    crate::input::print_diags(&files, &mut diags, "");
    let (mut planned, _) = super::plan(
        &modules,
        &selections,
        &cache,
        &args.out,
        args.force,
        args.shard.is_none(),
    );
    super::shard::mark_current(&mut planned, &cache, &adopted);
    if let Some(part) = args.shard {
        planned = super::shard::filter(planned, part);
    }
    let width = planned
        .iter()
        .flat_map(|p| &p.outputs)
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = std::io::stdout().lock();
    let (mut current, mut rebuild) = (0, 0);
    let manifest = crate::export::read_manifest(&args.out);
    for p in &planned {
        for path in &p.outputs {
            let state = match &p.status {
                Status::Current => {
                    current += 1;
                    "current".to_string()
                }
                // Its file changed by hand too: a build keeps it (`export::SetAside`).
                Status::Rebuild(why @ crate::cache::Reason::Changed(_))
                    if cache.edited(&args.out, path, &manifest) =>
                {
                    rebuild += 1;
                    format!(
                        "rebuild: {why}; {path} was changed outside modulpress too (a build keeps that file beside it, as -edited)"
                    )
                }
                Status::Rebuild(why) => {
                    rebuild += 1;
                    format!("rebuild: {why}")
                }
            };
            let _ = writeln!(out, "{path:<width$}  {state}");
        }
    }
    let _ = writeln!(
        out,
        "{} output{}: {current} current, {rebuild} to build",
        current + rebuild,
        if current + rebuild == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}
