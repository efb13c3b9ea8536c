//! The memory bound on the whole process (`MODULPRESS_MEMORY_LIMIT`, README "Limits"): a
//! run that needs more ends with one clear message and exit 2, never a stack trace or the
//! kernel's OOM killer, and leaves the output folder as it was.

mod common;

use std::process::Command;

use common::outputs::{listing, temp_files};
use common::temp_dir;

/// A module of 1.8 MB of text (just under the module limit): its booklet takes about
/// 1 GB, past a bound of 1,400 MB of address space (a run starts with about 1,070 MB
/// reserved by the allocator and its threads). Both booklets are laid out at once
/// (`--jobs 2`): one alone sometimes fits, when the allocator reserves less (1 run in 6
/// at 1,400 MB); two never did (12 runs of 12 at 1,300 and 1,400 MB).
fn large_module(dir: &std::path::Path) {
    let body = "Kalimat yang cukup panjang untuk satu baris.\n\n".repeat(40_000);
    common::small_module(dir, &body);
}

fn modulpress(dir: &std::path::Path, limit: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_modulpress"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MODULPRESS_MEMORY_LIMIT", limit)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_run_past_the_memory_bound_ends_with_a_message_and_writes_nothing() {
    let dir = temp_dir("memory-bound");
    large_module(&dir);
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("booklet")).unwrap();
    std::fs::write(out.join("booklet/earlier.txt"), b"an earlier edition\n").unwrap();
    let before = listing(&out);
    let args = ["build", "--only", "booklet", "--jobs", "2", "--quiet"];
    let (code, stderr) = modulpress(&dir, "1400", &args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: out of memory: this run needed more than the 1400 MB of address space it may use\n  = help: set MODULPRESS_MEMORY_LIMIT"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    let mut after = listing(&out);
    after.remove(".modulpress-lock");
    for t in temp_files(&out) {
        after.remove(&t);
    }
    assert_eq!(after, before, "the earlier edition stays");
    // The next run removes what the stopped one left, and builds within the default bound.
    let (code, stderr) = modulpress(&dir, "off", &["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_bound_is_a_usage_error() {
    let dir = temp_dir("memory-bound-bad");
    for value in ["lots", "1000"] {
        let (code, stderr) = modulpress(&dir, value, &["check"]);
        assert_eq!(code, Some(2));
        assert_eq!(
            stderr,
            format!(
                "error: MODULPRESS_MEMORY_LIMIT=`{value}` is not a number of megabytes (1200 or more), nor `off`\n"
            )
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
