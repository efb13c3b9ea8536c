//! `--since OLD`: the earlier edition read (a folder, or a revision of the module folder's git
//! repository read with the `git` program into memory) and loaded with the module's own
//! loader, checked to be the same module.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::bundle::{Bundle, FileBytes, Folder};
use crate::cli::{InputArgs, SinceArg};
use crate::diag::{Diags, SourceFiles};
use crate::project::{Project, Since, load_project};

/// Read and load the earlier edition `arg` names, for the module `current` (read with
/// `input`). A problem as its whole message (printed by the caller, exit 1); the earlier
/// edition's own errors are printed here, at their places.
pub fn load(arg: &SinceArg, input: &InputArgs, current: &Project) -> Result<Since, String> {
    let name = arg.display();
    let bundle = match arg {
        SinceArg::Folder(dir) => read_folder(dir, current)?,
        SinceArg::Git(rev) => Bundle {
            source: read_git(rev, &source_dir(input))?,
            layouts: current.bundle.layouts.clone(),
        },
    };
    let mut files = SourceFiles::default();
    let mut diags = Diags::default();
    let project = load_project(bundle, &mut files, &mut diags);
    let project = match project {
        Some(p) if !diags.has_errors() => p,
        _ => {
            diags.retain_errors();
            super::print_diags(&files, &mut diags, "nothing was written");
            return Err(format!(
                "error: the earlier edition `{name}` (--since) has errors, shown above\n  = help: --since takes an earlier edition that builds"
            ));
        }
    };
    let (old_id, id) = (&project.module.meta.id, &current.module.meta.id);
    if old_id != id {
        return Err(format!(
            "error: the earlier edition `{name}` (--since) is the module `{old_id}`, not `{id}`\n  = help: --since takes an earlier edition of the same module (the `id` in module.toml)"
        ));
    }
    Ok(Since {
        project: with_overlays_of(project, current),
        files,
        name,
    })
}

/// The earlier edition with the federations' overlays as they are now: a federation's
/// changes copy shows what the publisher changed, and its own edits are no change of the
/// publisher's, whether they were absorbed before the earlier edition was made or after.
/// An entry made against a canonical text the earlier edition does not have (a conflict
/// resolved since) leaves that block to the earlier edition's own entry for it, when it
/// has one; else the block shows as changed.
fn with_overlays_of(mut earlier: Project, current: &Project) -> Project {
    use crate::route::overlay::{entry_id, session_blocks};
    let ids: std::collections::HashSet<String> = earlier
        .module
        .sessions
        .iter()
        .flat_map(|s| session_blocks(s).into_iter().map(|(id, ..)| id))
        .collect();
    let applies = |e: &crate::model::Entry| e.canonical.is_none() || ids.contains(&entry_id(e));
    let mut overlays = current.module.overlays.clone();
    for (fed, overlay) in &mut overlays {
        let Some(own) = earlier.module.overlays.get(fed) else {
            continue;
        };
        let covered: std::collections::BTreeSet<(crate::model::EntryKind, bool, String)> = overlay
            .entries
            .iter()
            .filter(|e| applies(e))
            .map(|e| (e.kind, e.outside, entry_id(e)))
            .collect();
        overlay.entries.extend(
            own.entries
                .iter()
                .filter(|e| applies(e) && !covered.contains(&(e.kind, e.outside, entry_id(e))))
                .cloned(),
        );
    }
    earlier.module.overlays = overlays;
    earlier
}

/// The earlier edition of a paket: the paket folder `arg` names, loaded as a paket (with
/// its own `layouts/`, else the current paket's layouts), each module of `current` with the
/// module of the same id (`None`: a module new since), and the ids of the earlier modules
/// it no longer has. A problem as its message and exit
/// code; the earlier edition's own errors are printed here, at their places.
pub fn load_paket(
    arg: &SinceArg,
    input: &InputArgs,
    paket: &crate::input::Paket,
    current: &[Project],
) -> Result<PaketEditions, (String, crate::exit::Exit)> {
    use crate::exit::Exit;
    let name = arg.display();
    let SinceArg::Folder(dir) = arg else {
        return Err((
            format!(
                "error: for a paket, `--since` takes the folder of its earlier edition, not `{name}`\n  = help: check the earlier edition out into a folder of its own (for example `git worktree add ../paket-lama TAG`) and give that folder"
            ),
            Exit::Usage,
        ));
    };
    let shown = crate::bundle::display_path(dir);
    if !dir.is_dir() {
        return Err((
            format!(
                "error: the earlier edition `{shown}` (--since) does not exist\n  = help: for a paket, --since takes the folder of the paket's earlier edition (the one holding paket.toml)"
            ),
            Exit::Input,
        ));
    }
    if !dir.join("paket.toml").is_file() {
        let help = if dir.join("module.toml").is_file() {
            "it is one module: for a paket, --since takes the folder of the whole paket's earlier edition (the one holding paket.toml)"
        } else {
            "for a paket, --since takes the folder of the paket's earlier edition (the one holding paket.toml)"
        };
        return Err((
            format!(
                "error: the earlier edition `{shown}` (--since) is not a paket: it holds no paket.toml\n  = help: {help}"
            ),
            Exit::Input,
        ));
    }
    let old_input = InputArgs {
        source: Some(dir.clone()),
        layouts: if dir.join("layouts").is_dir() {
            None
        } else {
            paket.layouts_dir.clone().or_else(|| input.layouts.clone())
        },
    };
    let Ok((old, files, _warnings)) = super::load_all(&old_input) else {
        return Err((
            format!(
                "error: the earlier edition `{name}` (--since) has errors, shown above\n  = help: --since takes an earlier edition that builds"
            ),
            Exit::Input,
        ));
    };
    let mut by_id: BTreeMap<String, Project> = old
        .projects
        .into_iter()
        .map(|p| (p.module.meta.id.clone(), p))
        .collect();
    let editions = current
        .iter()
        .map(|p| {
            by_id.remove(&p.module.meta.id).map(|project| Since {
                project: with_overlays_of(project, p),
                files: files.clone(),
                name: name.clone(),
            })
        })
        .collect();
    Ok(PaketEditions {
        editions,
        gone: by_id.into_keys().collect(),
    })
}

/// A paket's earlier edition, module by module.
pub struct PaketEditions {
    /// Each current module's earlier edition (`None`: new since).
    pub editions: Vec<Option<Since>>,
    /// The ids of the earlier edition's modules this one no longer has.
    pub gone: Vec<String>,
}

/// The module folder the build reads (`--source`, else `./source`).
fn source_dir(input: &InputArgs) -> PathBuf {
    input
        .source
        .clone()
        .unwrap_or_else(|| PathBuf::from("source"))
}

/// A folder: a module folder (with `module.toml`), or a project folder holding one as
/// `source/` (a checkout of an earlier tag), whose `layouts/` beside it, when there is one,
/// are the earlier edition's layouts; else the current layouts.
fn read_folder(dir: &Path, current: &Project) -> Result<Bundle, String> {
    let shown = crate::bundle::display_path(dir);
    if !dir.exists() {
        return Err(format!(
            "error: the earlier edition `{shown}` (--since) does not exist\n  = help: --since takes the module folder of an earlier edition, or `git:REV`"
        ));
    }
    if !dir.is_dir() {
        return Err(format!(
            "error: the earlier edition `{shown}` (--since) is a file\n  = help: --since takes the module folder of an earlier edition (the one holding module.toml), or `git:REV`"
        ));
    }
    let read = |d: &Path| {
        Folder::read(d).map_err(|e| {
            format!(
                "error: cannot read `{}`: {e}",
                crate::bundle::display_path(d)
            )
        })
    };
    let (module_dir, layouts_dir) = if dir.join("module.toml").is_file() {
        (dir.to_path_buf(), None)
    } else if dir.join("source/module.toml").is_file() {
        let layouts = dir.join("layouts");
        (dir.join("source"), layouts.is_dir().then_some(layouts))
    } else {
        return Err(format!(
            "error: the earlier edition `{shown}` (--since) is not a module folder: it holds no module.toml (nor source/module.toml)\n  = help: --since takes the module folder of an earlier edition of `{}`, or `git:REV`",
            current.module.meta.id
        ));
    };
    Ok(Bundle {
        source: read(&module_dir)?,
        layouts: match layouts_dir {
            Some(d) => read(&d)?,
            None => current.bundle.layouts.clone(),
        },
    })
}

/// The module folder as the git revision `rev` holds it: the folder's place in its
/// repository (`git rev-parse --show-prefix`), the revision checked (`rev-parse --verify`),
/// its tree listed (`ls-tree -r -z`) and the files read in one `cat-file --batch`, all into
/// memory. Hidden files and folders are left out, as `Folder::read` leaves them out;
/// symbolic links and submodules too.
fn read_git(rev: &str, source: &Path) -> Result<Folder, String> {
    let shown = crate::bundle::display_path(source);
    if !source.is_dir() {
        return Err(format!("error: module folder `{shown}` does not exist"));
    }
    let prefix = git(source, &["rev-parse", "--show-prefix"]).map_err(|e| match e {
        GitError::Missing => "error: `--since git:…` needs the `git` program, which was not found\n  = help: install git, or give the earlier edition's folder: `--since DIR`".to_string(),
        GitError::Failed(_) => format!(
            "error: the module folder `{shown}` is not in a git repository, so `--since git:{rev}` cannot be read\n  = help: give the earlier edition's folder instead: `--since DIR`"
        ),
    })?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let spec = format!("{rev}^{{commit}}");
    let commit = git(source, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
        .map_err(|_| {
            format!(
                "error: the git revision `{rev}` (--since git:{rev}) does not exist in the repository of `{shown}`\n  = help: `git -C {shown} tag` and `git -C {shown} log --oneline` list the revisions"
            )
        })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let tree = format!("{commit}:{}", prefix.trim_end_matches('/'));
    let listing = git(source, &["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", &tree]).map_err(|_| {
        format!(
            "error: the module folder `{shown}` (`{}` in its repository) does not exist at the git revision `{rev}`",
            if prefix.is_empty() { "/" } else { prefix.trim_end_matches('/') }
        )
    })?;
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((head, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = head.split(' ');
        let (mode, kind, object) = (parts.next(), parts.next(), parts.next());
        let hidden = path.split('/').any(|part| part.starts_with('.'));
        if let (Some("blob"), false, false, Some(object)) =
            (kind, mode == Some("120000"), hidden, object)
        {
            wanted.push((path.to_string(), object.to_string()));
        }
    }
    let blobs = cat_blobs(source, &wanted)
        .map_err(|e| format!("error: cannot read the git revision `{rev}`: {e}"))?;
    let files: BTreeMap<String, FileBytes> = wanted
        .into_iter()
        .map(|(path, _)| path)
        .zip(blobs.into_iter().map(FileBytes::from))
        .collect();
    Ok(Folder {
        display: format!("git:{rev}:{}", prefix.trim_end_matches('/')),
        files,
        links_out: Default::default(),
    })
}

enum GitError {
    /// The program is not installed.
    Missing,
    /// It ran and failed (its message).
    Failed(#[allow(dead_code)] String),
}

/// Run `git -C dir ARGS`; its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed(e.to_string()),
        })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ))
    }
}

/// The contents of the blobs `wanted` (path, object id), in order, from one
/// `git cat-file --batch`.
fn cat_blobs(dir: &Path, wanted: &[(String, String)]) -> std::io::Result<Vec<Vec<u8>>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped");
    let ids: String = wanted.iter().map(|(_, id)| format!("{id}\n")).collect();
    // Written from another thread: git answers as it reads, and a full pipe would block.
    let writer = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
    let mut out = Vec::new();
    child.stdout.take().expect("piped").read_to_end(&mut out)?;
    let status = child.wait()?;
    writer
        .join()
        .map_err(|_| std::io::Error::other("git cat-file: writer failed"))??;
    if !status.success() {
        return Err(std::io::Error::other("git cat-file failed"));
    }
    let bad = || std::io::Error::other("git cat-file: unexpected output");
    let mut blobs = Vec::with_capacity(wanted.len());
    let mut at = 0;
    for _ in wanted {
        let end = at + out[at..].iter().position(|&b| b == b'\n').ok_or_else(bad)?;
        let head = String::from_utf8_lossy(&out[at..end]);
        let size: usize = head
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let start = end + 1;
        let stop = start
            .checked_add(size)
            .filter(|&s| s <= out.len())
            .ok_or_else(bad)?;
        blobs.push(out[start..stop].to_vec());
        at = stop + 1;
    }
    Ok(blobs)
}

/// Does the earlier edition read exactly the files this one reads?
pub fn identical(old: &Project, current: &Project) -> bool {
    old.bundle.source.files == current.bundle.source.files
        && old.bundle.layouts.files == current.bundle.layouts.files
}
