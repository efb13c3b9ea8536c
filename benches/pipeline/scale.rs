//! Modules to time: the shipped module scaled to a number of words, a copy of a module to
//! edit, and the one-word edit itself.

use std::path::Path;

/// Copy the module at `from` into `to`, repeating its sessions until it holds at least
/// `target` words. Explicit ids and links to them get a suffix per copy so that ids stay
/// unique. Returns the word count.
pub fn scale_module(from: &Path, to: &Path, target: usize) -> usize {
    std::fs::create_dir_all(to).unwrap();
    copy_images(&from.join("images"), &to.join("images"));
    let toml = std::fs::read_to_string(from.join("module.toml")).unwrap();
    let mut sessions: Vec<(String, String)> = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for n in &names {
        sessions.push((n.clone(), std::fs::read_to_string(from.join(n)).unwrap()));
    }
    let base_words: usize = sessions
        .iter()
        .map(|(_, t)| t.split_whitespace().count())
        .sum();
    // Decide which sessions each copy takes, then rename the ids those sessions define.
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut words = 0;
    'fill: for k in 0..target.div_ceil(base_words) {
        for (i, (_, text)) in sessions.iter().enumerate() {
            if words >= target {
                break 'fill;
            }
            words += text.split_whitespace().count();
            chosen.push((k, i));
        }
    }
    let mut list = Vec::new();
    for &(k, i) in &chosen {
        let (name, text) = &sessions[i];
        let mut text = text.clone();
        if k > 0 {
            let ids: Vec<String> = chosen
                .iter()
                .filter(|c| c.0 == k)
                .flat_map(|c| explicit_ids(&sessions[c.1].1))
                .collect();
            for id in &ids {
                text = text.replace(&format!("{{#{id} "), &format!("{{#{id}-r{k} "));
                text = text.replace(&format!("{{#{id}}}"), &format!("{{#{id}-r{k}}}"));
                text = text.replace(&format!("](#{id})"), &format!("](#{id}-r{k})"));
            }
        }
        let file = format!("r{k:02}-{name}");
        std::fs::write(to.join(&file), text).unwrap();
        list.push(file);
    }
    let mut table: toml::Table = toml.parse().unwrap();
    // The copies' sessions are not in the day schedule: drop it.
    table.remove("day");
    table.insert(
        "sessions".into(),
        toml::Value::Array(list.into_iter().map(toml::Value::String).collect()),
    );
    std::fs::write(to.join("module.toml"), toml::to_string(&table).unwrap()).unwrap();
    words
}

fn explicit_ids(text: &str) -> Vec<String> {
    text.match_indices("{#")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            let end = rest.find([' ', '}'])?;
            Some(rest[..end].to_string())
        })
        .collect()
}

fn copy_images(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    if let Ok(entries) = std::fs::read_dir(from) {
        for e in entries {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Copy a folder with its subfolders.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The session files of a module, in the order `module.toml` lists them.
pub fn sessions(module: &Path) -> Vec<String> {
    let toml = std::fs::read_to_string(module.join("module.toml")).unwrap();
    let table: toml::Table = toml.parse().unwrap();
    table["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// A one-word edit of a session file: its two versions, to be written in turn.
pub struct WordEdit {
    pub file: String,
    pub line: usize,
    pub word: String,
    pub other: String,
    pub original: String,
    pub edited: String,
}

/// The edit: in the first plain paragraph line after the first `##` heading, outside any
/// fenced div, the first lower-case word of five letters or more becomes another word.
/// Such a paragraph is in every audience's text, so both booklets and every DOCX change.
pub fn word_edit(module: &Path, file: &str) -> WordEdit {
    let original = std::fs::read_to_string(module.join(file)).unwrap();
    let mut depth = 0usize;
    let mut after_heading = false;
    for (i, line) in original.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with(":::") {
            if t.trim_start_matches(':').trim().is_empty() {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
            continue;
        }
        if t.starts_with("## ") {
            after_heading = true;
            continue;
        }
        let starts_upper = t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if !after_heading || depth > 0 || !starts_upper {
            continue;
        }
        let word = t
            .split(' ')
            .skip(1)
            .find(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_lowercase()));
        if let Some(word) = word {
            let other = if word == "sungguh" {
                "benar"
            } else {
                "sungguh"
            };
            let mut lines: Vec<String> = original.lines().map(String::from).collect();
            lines[i] = replace_word(&lines[i], word, other);
            let mut edited = lines.join("\n");
            if original.ends_with('\n') {
                edited.push('\n');
            }
            return WordEdit {
                file: file.to_string(),
                line: i + 1,
                word: word.to_string(),
                other: other.to_string(),
                original,
                edited,
            };
        }
    }
    panic!("{file}: no plain paragraph line to edit");
}

/// `line` with the first whole-word `word` replaced by `other`.
fn replace_word(line: &str, word: &str, other: &str) -> String {
    let mut words: Vec<&str> = line.split(' ').collect();
    let i = words.iter().position(|w| *w == word).unwrap();
    words[i] = other;
    words.join(" ")
}
