//! The import rules of `docs/architecture.md`, checked over the source: each module imports
//! only modules on the lines below its own in the documented list, and no two files of one
//! folder import each other, directly or round a cycle.
//!
//! An import is any `crate::` or `super::` path in code (comments and string literals are
//! left out), as `use` or inline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The documented layers, top first: the numbered list after "Imports point one way".
fn layers() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("Imports point one way")
        .expect("docs/architecture.md states the import rule");
    let mut layers = Vec::new();
    let mut in_list = false;
    for line in doc[start..].lines().skip(1) {
        let item = line.trim_start();
        let numbered = item
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match numbered {
            Some((_, rest)) => {
                in_list = true;
                // The modules, without what the parentheses say of them.
                let mut bare = String::new();
                let mut depth = 0;
                for c in rest.chars() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        c if depth == 0 => bare.push(c),
                        _ => {}
                    }
                }
                let names = bare
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect();
                layers.push(names);
            }
            None if in_list => break,
            None => {}
        }
    }
    assert!(
        layers.len() > 3,
        "no layered list found after the import rule"
    );
    layers
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a Rust file without comments and the contents of string and char literals.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&c| c == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += rest[body..]
                .find(&close)
                .map_or(rest.len(), |e| body + e + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && (rest.get(2..3) == Some("'") || (rest.get(1..2) == Some("\\"))) {
            // A char literal ('a', '\n', '\'', '\u{0B}'); a lifetime has no closing quote.
            i += if b[i + 1] == b'\\' {
                rest[3..].find('\'').map_or(rest.len(), |e| e + 4)
            } else {
                3
            };
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The code without its test modules (`#[cfg(test)] mod … { … }`): a test may build its
/// input with any module.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else {
            return out;
        };
        if after.as_bytes()[open] == b';' {
            // `#[cfg(test)] mod tests;`: the file itself is a test module, and is skipped.
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The first path segment after each `prefix` (`crate::`, `super::`), expanding a group
/// (`crate::{a, b::c}` gives `a` and `b`).
fn segments_after(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        let name = ident(&group[i..]);
                        if !name.is_empty() {
                            found.push(name);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// A source file: its module path (`["parse", "session"]`) and whether it is a `mod.rs`.
struct File {
    module: Vec<String>,
    is_mod: bool,
    code: String,
    shown: String,
}

fn files() -> Vec<File> {
    let src = root().join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut module: Vec<String> = rel
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_string)
                .collect();
            let is_mod = module.last().is_some_and(|m| m == "mod");
            if is_mod {
                module.pop();
            }
            // The binary uses the library by its name, and the crate root declares modules.
            if rel == "main.rs" || rel == "lib.rs" {
                return None;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            Some(File {
                module,
                is_mod,
                code: without_tests(&code_only(&text)),
                shown: format!("src/{rel}"),
            })
        })
        .collect()
}

#[test]
fn modules_import_only_the_layers_below_their_own() {
    let layers = layers();
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), i)))
        .collect();
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for file in files() {
        let top = file.module[0].as_str();
        modules.insert(top.to_string());
        let Some(&own) = layer_of.get(top) else {
            wrong.push(format!(
                "{}: module `{top}` is in no layer of docs/architecture.md",
                file.shown
            ));
            continue;
        };
        for used in segments_after(&file.code, "crate::") {
            if used == top {
                continue;
            }
            match layer_of.get(used.as_str()) {
                Some(&layer) if layer > own => {}
                Some(_) => wrong.push(format!(
                    "{} imports `{used}`, which is not below `{top}`",
                    file.shown
                )),
                None => wrong.push(format!(
                    "{} imports `{used}`, which is in no layer of docs/architecture.md",
                    file.shown
                )),
            }
        }
    }
    for name in layer_of.keys() {
        if !modules.contains(*name) && *name != "main" {
            wrong.push(format!(
                "docs/architecture.md names `{name}`, which is no module"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the documented layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_of_a_folder_import_each_other_round_a_cycle() {
    let files = files();
    // The files of each folder (mod.rs, the folder's own root, aside) and who they use.
    let mut folders: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let siblings: BTreeSet<(Vec<String>, String)> = files
        .iter()
        .filter(|f| !f.is_mod && f.module.len() > 1)
        .map(|f| {
            (
                f.module[..f.module.len() - 1].to_vec(),
                f.module.last().unwrap().clone(),
            )
        })
        .collect();
    for f in files.iter().filter(|f| !f.is_mod && f.module.len() > 1) {
        let (parent, own) = f.module.split_at(f.module.len() - 1);
        let own = &own[0];
        let mut uses: BTreeSet<String> = segments_after(&f.code, "super::").into_iter().collect();
        let crate_path = format!("crate::{}::", parent.join("::"));
        uses.extend(segments_after(&f.code, &crate_path));
        uses.retain(|u| u != own && siblings.contains(&(parent.to_vec(), u.clone())));
        folders
            .entry(parent.to_vec())
            .or_default()
            .insert(own.clone(), uses);
    }
    let mut cycles = Vec::new();
    for (folder, graph) in &folders {
        for start in graph.keys() {
            // Is `start` reachable from one of the files it uses?
            let mut seen = BTreeSet::new();
            let mut stack: Vec<(String, Vec<String>)> = graph[start]
                .iter()
                .map(|n| (n.clone(), vec![start.clone(), n.clone()]))
                .collect();
            while let Some((node, path)) = stack.pop() {
                if node == *start {
                    cycles.push(format!("src/{}/: {}", folder.join("/"), path.join(" → ")));
                    break;
                }
                if seen.insert(node.clone()) {
                    for next in graph.get(&node).into_iter().flatten() {
                        let mut p = path.clone();
                        p.push(next.clone());
                        stack.push((next.clone(), p));
                    }
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles between the files of a folder:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_reader_of_imports_sees_groups_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::{a::X, b};\n// crate::c\nlet s = \"crate::d\"; let c = '\"'; crate::e::f();\n/* crate::g */ super::h::i",
    );
    assert_eq!(segments_after(&code, "crate::"), ["a", "b", "e"]);
    assert_eq!(segments_after(&code, "super::"), ["h"]);
}
