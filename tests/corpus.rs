//! The corpus of broken and hostile inputs, through the real binary: `check` then `build`,
//! each compared with its golden stderr and exit code in `tests/corpus/NAME/expected.txt`.
//!
//! Each case folder holds `case.toml` (`about`; optional `build_args`, `out` for the output
//! folder's state, `links` for symbolic links to make, `generated` for inputs too big to
//! commit, which this file makes at run time) and the inputs (`source/`, `layouts/`), and
//! `elsewhere/` for a folder outside `out/` that a link points to, which must stay as it is.
//! For every case: no panic; exit 1 for the user's input and 2 for the environment;
//! `check` fails exactly when `build` fails on the input (except a case marked
//! `found_by_layout`: a problem only laying out a booklet shows, where `check` passes and
//! `build` fails; `check` lays out the slide deck); a `--> file:line:col` wherever
//! the problem has a line; after a failed build the output folder is byte for byte as
//! before; after a good one the manifest matches the files and every file opens; each
//! command within [`TIME_LIMIT`] and [`MEMORY_LIMIT_KB`].
//!
//! `UPDATE_GOLDEN=1` rewrites the expected files; review them by eye before committing.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::outputs::{listing, manifest_problems, open_problems, temp_files};
use common::{copy_dir, have, root, temp_dir};

/// The longest any one command may take (2 shared cores; the slowest case takes ~2 s).
const TIME_LIMIT: Duration = Duration::from_secs(30);
/// The most memory any one command may use (peak resident set), in KB.
const MEMORY_LIMIT_KB: u64 = 1_500_000;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    #[serde(default)]
    build_args: Vec<String>,
    #[serde(default)]
    out: Option<String>,
    #[serde(default)]
    links: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    generated: bool,
    /// The problem shows only when the outputs are laid out (a slide too long): `check`
    /// passes, `build` fails with exit 1 and writes nothing.
    #[serde(default)]
    found_by_layout: bool,
}

/// One finished command.
struct Ran {
    code: Option<i32>,
    stderr: String,
    took: Duration,
    peak_kb: Option<u64>,
}

/// Run the binary in `dir` with `args`, killed after [`TIME_LIMIT`], its peak memory
/// measured by `/usr/bin/time` where installed. `wrap` runs it through `sh -c SCRIPT`
/// in a private mount namespace (`unshare -rm`: its mounts end with it, and never reach
/// the machine's) with `$BIN` set.
fn run_bounded(dir: &Path, args: &[String], wrap: Option<&str>) -> Ran {
    let bin = env!("CARGO_BIN_EXE_modulpress");
    let rss = dir.join(".peak-rss");
    let timed = wrap.is_none() && Path::new("/usr/bin/time").exists();
    let mut cmd = if let Some(script) = wrap {
        let mut c = Command::new("unshare");
        c.args(["-rm", "sh", "-c", script]).env("BIN", bin);
        c
    } else if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M", "-o"]).arg(&rss).arg(bin).args(args);
        c
    } else {
        let mut c = Command::new(bin);
        c.args(args);
        c
    };
    let err_path = dir.join(".stderr");
    let err_file = std::fs::File::create(&err_path).unwrap();
    let start = Instant::now();
    let mut child = cmd
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err_file)
        .spawn()
        .expect("the modulpress binary runs");
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    let stderr = steady(&std::fs::read_to_string(&err_path).unwrap_or_default());
    let _ = std::fs::remove_file(&err_path);
    let peak_kb = timed
        .then(|| std::fs::read_to_string(&rss).ok())
        .flatten()
        .and_then(|s| s.lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&rss);
    Ran {
        code: status.code(),
        stderr,
        took,
        peak_kb,
    }
}

/// Make a generated case's inputs in `work`.
fn generate(name: &str, work: &Path) {
    let src = work.join("source");
    std::fs::create_dir_all(src.join("images")).unwrap();
    std::fs::write(
        src.join("module.toml"),
        "id = \"uji\"\ntitle = \"Modul Uji\"\npublisher = \"Konfederasi Contoh\"\npublisher_short = \"KC\"\ndate = 2025-09-29\n",
    )
    .unwrap();
    let head = "# Sesi Uji {#uji minutes=60}\n\n";
    let session =
        |body: String| std::fs::write(src.join("01-uji.md"), format!("{head}{body}")).unwrap();
    let picture = |file: &str, bytes: Vec<u8>| {
        std::fs::write(src.join("images").join(file), bytes).unwrap();
        session(format!("Teks.\n\n![Gambar](images/{file})\n"));
    };
    match name {
        "gen-lists-2000" => session(format!("{}butir\n", "- ".repeat(2000))),
        "gen-paragraph-1mb" => session("kata ".repeat(200_000) + "\n"),
        "gen-quotes-2000" => session(format!("{} kutipan\n", ">".repeat(2000))),
        "gen-divs-2000" => session(format!(
            "{}Teks.\n{}",
            "::: {.only audience=\"facilitator\"}\n".repeat(2000),
            ":::\n".repeat(2000)
        )),
        "gen-emphasis-2000" => session(format!("{}a{}\n", "*_".repeat(1000), "_*".repeat(1000))),
        "gen-paragraph-100k-errors" => {
            let words = "kata ".repeat(10_000);
            session(format!("Kata\u{0}{words}\u{7}{words}\u{1}ok\n"))
        }
        "gen-paragraph-5mb" => session("kata ".repeat(1_000_000) + "\n"),
        "gen-footnotes-10000" => session(
            (0..10_000)
                .map(|i| format!("Kalimat[^{i}].\n\n"))
                .collect::<String>()
                + "\n"
                + &(0..10_000)
                    .map(|i| format!("[^{i}]: Catatan {i}.\n"))
                    .collect::<String>(),
        ),
        "gen-headings-10000" => session("## Sama\n\nTeks.\n\n".repeat(10_000)),
        "gen-module-3mb" => {
            let mut toml = std::fs::read_to_string(src.join("module.toml")).unwrap();
            toml.push_str("sessions = [\"01-uji.md\", \"02-uji.md\", \"03-uji.md\"]\n");
            std::fs::write(src.join("module.toml"), toml).unwrap();
            for (i, name) in ["01-uji.md", "02-uji.md", "03-uji.md"].iter().enumerate() {
                let body = "Kalimat yang cukup panjang untuk satu baris.\n\n".repeat(22_000);
                std::fs::write(
                    src.join(name),
                    format!("# Sesi {i} {{#s{i} minutes=60}}\n\n{body}"),
                )
                .unwrap();
            }
        }
        "gen-slide-table-5000" => session(format!(
            "::: {{.slide title=\"Tabel\"}}\n| A | B |\n|---|---|\n{}:::\n",
            "| a | b |\n".repeat(5000)
        )),
        "gen-word-19000" => session(format!("Kata {} panjang.\n", "kata".repeat(4750))),
        "gen-session-11mb" => session("kata ".repeat(11 * 1024 * 1024 / 5) + "\n"),
        "gen-png-bomb" => picture("bom.png", png_header(100_000, 100_000)),
        "gen-png-20000" => picture("besar.png", png_zero(20_000, 20_000)),
        "gen-jpeg-truncated" => {
            let mut jpeg = Vec::new();
            let img = image::RgbImage::from_fn(64, 64, |x, y| {
                image::Rgb([x as u8 * 4, y as u8 * 4, 128])
            });
            image::DynamicImage::ImageRgb8(img)
                .write_to(
                    &mut std::io::Cursor::new(&mut jpeg),
                    image::ImageFormat::Jpeg,
                )
                .unwrap();
            jpeg.truncate(jpeg.len() / 2);
            picture("potong.jpg", jpeg)
        }
        "gen-combining-marks-15000" => session(format!(
            "Teks biasa.\n\nHuruf Z{} di sini.\n",
            "\u{301}".repeat(15_000)
        )),
        "gen-png-iccp-1gib" => picture("profil.png", png_with_profile(1 << 30)),
        "gen-png-iccp-3gib" => picture("profil.png", png_with_profile(3 << 30)),
        other => panic!("no generator for `{other}`"),
    }
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut c = kind.to_vec();
    c.extend(data);
    out.extend(&c);
    out.extend(common::crc32(&c).to_be_bytes());
}

/// A PNG header claiming `w`×`h` pixels, with a few bytes of data (a decompression bomb).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A valid all-black grey PNG of `w`×`h` pixels (small on disk, huge decoded).
fn png_zero(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; w as usize];
    for _ in 0..h {
        std::io::Write::write_all(&mut stream, &row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    out
}

/// A 4×4 PNG with an `iCCP` colour profile of `size` zero bytes, compressed (1 GiB makes a
/// file of 1 MB): small on disk, huge once inflated.
fn png_with_profile(size: u64) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        CompressorOxide, TDEFLFlush, compress_to_output, create_comp_flags_from_zip_params,
    };
    // 16 MiB of zeros deflated once, ending byte-aligned (a full flush), then repeated:
    // every piece decodes to zeros.
    const PIECE: u64 = 16 << 20;
    let mut c = CompressorOxide::new(create_comp_flags_from_zip_params(9, -15, 0));
    let mut piece = Vec::new();
    compress_to_output(
        &mut c,
        &vec![0u8; PIECE as usize],
        TDEFLFlush::Full,
        |out| {
            piece.extend_from_slice(out);
            true
        },
    );
    let mut data = b"icc\0\0\x78\xda".to_vec();
    for _ in 0..size / PIECE {
        data.extend(&piece);
    }
    // A last empty stored block, then the Adler-32 of `size` zeros.
    data.extend([0x01, 0x00, 0x00, 0xFF, 0xFF]);
    let b = (size % 65_521) as u32;
    data.extend(((b << 16) | 1).to_be_bytes());
    let plain = png_zero(4, 4);
    let mut out = plain[..33].to_vec(); // the signature and the header chunk
    png_chunk(&mut out, b"iCCP", &data);
    out.extend(&plain[33..]);
    out
}

/// An earlier edition in `out`: one file and a manifest that lists it.
fn earlier_edition(out: &Path) {
    std::fs::create_dir_all(out.join("booklet")).unwrap();
    let bytes = b"an earlier edition\n";
    std::fs::write(out.join("booklet/earlier.txt"), bytes).unwrap();
    let sha = {
        use sha2::Digest;
        common::outputs::hex(&sha2::Sha256::digest(bytes))
    };
    let manifest = serde_json::json!({"outputs": [{
        "kind": "booklet", "audience": "participant", "federation": null,
        "path": "booklet/earlier.txt", "pages": 1, "bytes": bytes.len(), "sha256": sha
    }]});
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

fn check_case(name: &str, update: bool, failures: &mut Vec<String>) {
    let dir = root().join("tests/corpus").join(name);
    let case: Case = toml::from_str(&std::fs::read_to_string(dir.join("case.toml")).unwrap())
        .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let work = temp_dir(&format!("corpus-{name}"));
    if case.generated {
        generate(name, &work);
    } else {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let target = work.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else if entry.file_name() != "expected.txt" && entry.file_name() != "case.toml" {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    for (link, target) in &case.links {
        let at = work.join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    }
    let mut input: Vec<String> = vec!["--source".into(), "source".into()];
    if work.join("layouts").is_dir() {
        input.extend(["--layouts".into(), "layouts".into()]);
    }
    let mut problems = Vec::new();
    let mut golden = String::new();

    let check_args: Vec<String> = ["check".to_string()]
        .into_iter()
        .chain(input.clone())
        .collect();
    let checked = run_bounded(&work, &check_args, None);
    golden.push_str(&format!(
        "$ modulpress check\n{}[exit {:?}]\n\n",
        checked.stderr, checked.code
    ));

    // The output folder and how the build reaches it.
    let out = work.join("out");
    let mut wrap = None;
    let mut namespace_listing = None;
    match case.out.as_deref() {
        None => earlier_edition(&out),
        Some("file") => std::fs::write(&out, b"a file, not a folder\n").unwrap(),
        Some("blocked-subfolder") => {
            earlier_edition(&out);
            std::fs::create_dir_all(out.join("docx")).unwrap();
            std::fs::write(out.join("docx/spn"), b"a file where a folder should be\n").unwrap();
        }
        Some(kind @ ("read-only" | "disk-full")) => {
            // A small tmpfs in a private mount namespace: gone when the build ends, so
            // the script lists what is on it afterwards.
            let probe = Command::new("unshare").args(["-rm", "true"]).status();
            if !probe.is_ok_and(|s| s.success()) {
                eprintln!("skipping {name}: cannot make a mount namespace here (unshare -rm)");
                return;
            }
            std::fs::create_dir_all(&out).unwrap();
            earlier_edition(&work.join("earlier"));
            let (size, ro) = if kind == "read-only" {
                ("1m", "mount -o remount,ro \"$OUT\" && ")
            } else {
                ("48k", "")
            };
            let build: Vec<String> = ["build".to_string()]
                .into_iter()
                .chain(input.clone())
                .chain(["--out".into(), "out".into()])
                .chain(case.build_args.clone())
                .collect();
            wrap = Some(format!(
                "OUT=out; mount -t tmpfs -o size={size} tmpfs \"$OUT\" && cp -r earlier/. \"$OUT\" && {ro}\"$BIN\" {} ; code=$?; (cd \"$OUT\" && find . -type f | sort | xargs -r sha256sum) > listing.txt; exit $code",
                build.join(" ")
            ));
            namespace_listing = Some(work.join("listing.txt"));
        }
        Some(other) => panic!("{name}: unknown out state `{other}`"),
    }
    let before = listing(&out);
    // A folder outside `out/` that a link in it points to (`links`): never written.
    let elsewhere = work.join("elsewhere");
    let elsewhere_before = listing(&elsewhere);
    let mut build_args: Vec<String> = ["build".to_string()]
        .into_iter()
        .chain(input.clone())
        .collect();
    build_args.extend(["--out".into(), "out".into()]);
    build_args.extend(case.build_args.clone());
    let built = run_bounded(&work, &build_args, wrap.as_deref());
    golden.push_str(&format!(
        "$ modulpress build {}\n{}[exit {:?}]\n",
        case.build_args.join(" "),
        built.stderr,
        built.code
    ));

    for (what, ran) in [("check", &checked), ("build", &built)] {
        if ran.stderr.contains("panicked") || !matches!(ran.code, Some(0..=2)) {
            problems.push(format!("{what}: crashed (exit {:?})", ran.code));
        }
        if ran.took > TIME_LIMIT {
            problems.push(format!(
                "{what}: took {:?}, the limit is {TIME_LIMIT:?}",
                ran.took
            ));
        }
        if let Some(kb) = ran.peak_kb
            && kb > MEMORY_LIMIT_KB
        {
            problems.push(format!(
                "{what}: peak memory {kb} KB, the limit is {MEMORY_LIMIT_KB} KB"
            ));
        }
    }
    // `check` says what `build` says about the input.
    if case.found_by_layout {
        if checked.code != Some(0) || built.code != Some(1) {
            problems.push(format!(
                "found by layout: check exit {:?} (0 expected), build exit {:?} (1 expected)",
                checked.code, built.code
            ));
        }
    } else if (checked.code == Some(1)) != (built.code == Some(1)) {
        problems.push(format!(
            "check exit {:?} but build exit {:?}",
            checked.code, built.code
        ));
    }
    // A place for every problem that has one: errors about a file's content point into it.
    for (what, ran) in [("check", &checked), ("build", &built)] {
        if ran.code == Some(1) && !ran.stderr.contains("--> ") {
            let whole_file = ["UTF-16", "has no sessions", "the limit for a text file"]
                .iter()
                .any(|m| ran.stderr.contains(m));
            if !whole_file {
                problems.push(format!(
                    "{what}: an input error without `--> file:line:col`"
                ));
            }
        }
    }
    if listing(&elsewhere) != elsewhere_before {
        problems.push("a file outside the output folder was written through a link".into());
    }
    // The output folder: untouched after a failure, consistent after a success.
    if let Some(path) = &namespace_listing {
        let after = std::fs::read_to_string(path).unwrap_or_default();
        let mut names: Vec<&str> = after
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        names.retain(|n| !n.ends_with(".modulpress-lock"));
        if built.code != Some(0) && names != ["./booklet/earlier.txt", "./manifest.json"] {
            problems.push(format!("the folder changed on a failed build: {names:?}"));
        }
    } else if out.is_dir() {
        let mut after = listing(&out);
        after.remove(".modulpress-lock");
        if built.code != Some(0) {
            if after != before {
                problems.push(format!(
                    "the output folder changed on a failed build: {:?}",
                    after.keys().collect::<Vec<_>>()
                ));
            }
        } else {
            problems.extend(manifest_problems(&out));
            if have("pdfinfo") && have("unzip") {
                problems.extend(open_problems(&out));
            }
        }
        let temps = temp_files(&out);
        if !temps.is_empty() {
            problems.push(format!("temp files left: {temps:?}"));
        }
    }

    let expected_path = dir.join("expected.txt");
    if update {
        std::fs::write(&expected_path, &golden).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if golden != expected {
        problems.push(format!(
            "stderr differs\n--- expected\n{expected}\n--- got\n{golden}"
        ));
    }
    if !problems.is_empty() {
        failures.push(format!(
            "{name} ({}):\n  {}",
            case.about,
            problems.join("\n  ")
        ));
    }
}

#[test]
fn every_hostile_input_gets_a_clear_answer_and_leaves_out_intact() {
    let corpus = root().join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 50,
        "expected at least 50 corpus cases, found {}",
        names.len()
    );
    let only = std::env::var("CORPUS_ONLY").ok();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for name in names
        .iter()
        .filter(|n| only.as_ref().is_none_or(|o| n.contains(o.as_str())))
    {
        check_case(name, update, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

/// A build's messages with what changes from run to run made steady: the lines of built
/// and failed outputs come as jobs finish (sorted here; the built ones dropped when nothing
/// was written, since how far the build got before it stopped depends on timing), and the
/// summary line ends with the wall time.
fn steady(stderr: &str) -> String {
    let stopped = stderr.contains("nothing was written");
    // Whether any output was built before the failure depends on timing too.
    let stderr = &stderr.replace(", not even the outputs built before the failure", "");
    let mut out: Vec<String> = Vec::new();
    let mut built: Vec<&str> = Vec::new();
    let flush = |built: &mut Vec<&str>, out: &mut Vec<String>| {
        built.sort();
        out.extend(built.drain(..).map(str::to_string));
    };
    for line in stderr.lines() {
        if line.starts_with("   built ") {
            if !stopped {
                built.push(line);
            }
            continue;
        }
        if line.starts_with("  failed: ") {
            built.push(line);
            continue;
        }
        flush(&mut built, &mut out);
        match line.rsplit_once(" pages, ") {
            Some((head, time)) if line.starts_with("built ") && time.ends_with(" s") => {
                out.push(format!("{head} pages, (time) s"))
            }
            _ => out.push(line.to_string()),
        }
    }
    flush(&mut built, &mut out);
    let mut text = out.join("\n");
    if stderr.ends_with('\n') {
        text.push('\n');
    }
    text
}
