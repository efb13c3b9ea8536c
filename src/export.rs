//! The one place that writes the output folder: atomic writes and `manifest.json`.
//!
//! Each file is written to a temporary file beside its target and renamed into place, so a
//! reader (or a failed run) never sees half a file, and earlier outputs stay intact.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::render::Artifact;

/// One entry of `out/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub kind: String,
    pub audience: Option<String>,
    pub federation: Option<String>,
    pub path: String,
    pub pages: Option<u32>,
    pub bytes: u64,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `out/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub outputs: Vec<Entry>,
}

/// Write `bytes` to `path` atomically (temp file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn entry(a: &Artifact, warnings: Vec<String>) -> Entry {
    Entry {
        kind: a.kind.name().to_string(),
        audience: a.audience.map(|x| x.name().to_string()),
        federation: a.federation.clone(),
        path: a.path.clone(),
        pages: a.pages,
        bytes: a.bytes.len() as u64,
        sha256: hex(&Sha256::digest(&a.bytes)),
        warnings,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write every artifact into `out`, then update the manifest: new entries replace old ones
/// with the same path; old entries whose files still exist are kept. `warnings` gives each
/// artifact's warning messages, in the same order. `extra` are files about the build that
/// the manifest does not list (`report.html`, `report.json`), written after the outputs.
pub fn export(
    out: &Path,
    artifacts: &[Artifact],
    warnings: &[Vec<String>],
    extra: &[(String, Vec<u8>)],
) -> std::io::Result<Manifest> {
    for a in artifacts {
        write_atomic(&out.join(&a.path), &a.bytes)?;
    }
    for (path, bytes) in extra {
        write_atomic(&out.join(path), bytes)?;
    }
    let manifest_path = out.join("manifest.json");
    let old: Manifest = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut entries: BTreeMap<String, Entry> = old
        .outputs
        .into_iter()
        .filter(|e| crate::bundle::normalize(&e.path).is_some() && out.join(&e.path).is_file())
        .map(|e| (e.path.clone(), e))
        .collect();
    for (i, a) in artifacts.iter().enumerate() {
        entries.insert(
            a.path.clone(),
            entry(a, warnings.get(i).cloned().unwrap_or_default()),
        );
    }
    let manifest = Manifest {
        outputs: entries.into_values().collect(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    json.push(b'\n');
    write_atomic(&manifest_path, &json)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Kind;

    fn artifact(path: &str, bytes: &[u8]) -> Artifact {
        Artifact {
            kind: Kind::Docx,
            audience: None,
            federation: Some("spn".into()),
            path: path.into(),
            bytes: bytes.to_vec(),
            pages: None,
            warnings: vec![],
            previews: vec![],
        }
    }

    #[test]
    fn manifest_keeps_existing_entries_and_replaces_rebuilt_ones() {
        let dir = std::env::temp_dir().join(format!("mp-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        export(
            &dir,
            &[
                artifact("docx/spn/a.docx", b"one"),
                artifact("docx/spn/b.docx", b"two"),
            ],
            &[],
            &[],
        )
        .unwrap();
        std::fs::remove_file(dir.join("docx/spn/b.docx")).unwrap();
        let m = export(&dir, &[artifact("docx/spn/a.docx", b"three")], &[], &[]).unwrap();
        assert_eq!(m.outputs.len(), 1, "the entry of a deleted file is dropped");
        assert_eq!(m.outputs[0].bytes, 5);
        assert_eq!(m.outputs[0].sha256, hex(&Sha256::digest(b"three")));
        let names: Vec<_> = std::fs::read_dir(dir.join("docx/spn"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temp files left: {names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
