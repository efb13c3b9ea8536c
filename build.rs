//! Embeds the default `layouts/` folder in the binary, so `modulpress` works from anywhere,
//! and names this build (`MODULPRESS_BUILD_ID`, a hash of its code and layouts) for the cache.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time, not with `env!`: a build script compiled for a clone in another
    // folder is reused from a shared target folder, and must not embed that clone's layouts.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&manifest_dir).join("layouts");
    println!("cargo:rerun-if-changed=layouts");
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut files);
    }
    files.sort();
    let mut code = String::from("pub static DEFAULT_LAYOUTS: &[(&str, &[u8])] = &[\n");
    // Paths are resolved when the crate compiles, against its own folder, so the generated
    // list stays right when a target folder is shared by clones in different places.
    for rel in &files {
        let path = format!("/layouts/{rel}");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("default_layouts.rs");
    std::fs::write(out, code).unwrap();

    // The cache takes outputs of another build of modulpress as out of date: the id changes
    // with any change to the code, the dependencies or the built-in layouts.
    let mut id = Fnv::default();
    let mut inputs = Vec::new();
    collect_quiet(&Path::new(&manifest_dir).join("src"), &mut inputs);
    inputs.push(Path::new(&manifest_dir).join("Cargo.lock"));
    inputs.extend(files.iter().map(|rel| root.join(rel)));
    inputs.sort();
    for path in &inputs {
        id.write(
            path.strip_prefix(&manifest_dir)
                .unwrap_or(path)
                .to_string_lossy()
                .as_bytes(),
        );
        id.write(&std::fs::read(path).unwrap_or_default());
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rustc-env=MODULPRESS_BUILD_ID={:016x}", id.0);
}

/// FNV-1a, 64 bits: a build id, not a security hash (build scripts have no sha2 here).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf29ce484222325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x100000001b3);
    }
}

/// Every file under `dir`, without printing rerun lines for each.
fn collect_quiet(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_quiet(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            println!("cargo:rerun-if-changed={}", path.display());
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push(rel);
        }
    }
}
