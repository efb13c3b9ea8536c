//! Collecting what every planned output gives the manifest, the cache and the report,
//! built now or current.

use crate::cache::Record;
use crate::diag::{Diag, SourceFiles};
use crate::export::{Entry, Staged};
use crate::input::Modules;
use crate::manifest::Status as ManifestStatus;

use super::{Build, Summary, run::Done};

/// What every planned output gives the manifest, the cache and the report, built now or
/// current from the cache, in plan order.
pub(super) struct Collected {
    pub(super) staged: Vec<Staged>,
    pub(super) entries: Vec<Entry>,
    pub(super) records: Vec<(String, Record)>,
    pub(super) reports: Vec<crate::report::Entry>,
    /// The module of each report entry, in turn.
    pub(super) report_modules: Vec<usize>,
    /// The warnings of the outputs built now (a current one's were told when it was built).
    pub(super) warnings: Vec<Diag>,
    pub(super) summary: Summary,
}

/// Collect every planned output: the ones built now from `done`, the current ones from the
/// cache.
pub(super) fn collect(
    modules: &Modules,
    build: &Build,
    mut done: Vec<Option<Done>>,
    files: &SourceFiles,
) -> Collected {
    let (planned, cache) = (&build.planned, &build.cache);
    // In a paket's manifest, each output names its module.
    let module_id = |m: usize| {
        modules
            .paket
            .as_ref()
            .map(|_| modules.projects[m].module.meta.id.clone())
    };
    let mut slot = vec![None; planned.len()];
    for (n, &i) in build.to_run.iter().enumerate() {
        slot[i] = Some(n);
    }
    let mut c = Collected {
        staged: Vec::new(),
        entries: Vec::new(),
        records: Vec::new(),
        reports: Vec::new(),
        report_modules: Vec::new(),
        warnings: Vec::new(),
        summary: Summary {
            total: build.total,
            stale: build.stale(),
            ..Summary::default()
        },
    };
    for (i, p) in planned.iter().enumerate() {
        let source_sha256 = &build.sources.modules[p.module];
        let Some(n) = slot[i] else {
            for path in &p.outputs {
                if let Some(r) = cache.outputs.get(path) {
                    let mut entry = r.entry.clone();
                    // An output a shard built keeps what that build did with it.
                    entry.status = match build.adopted.paths.contains(path) {
                        true => entry.status.or(Some(ManifestStatus::Built)),
                        false => Some(ManifestStatus::Reused),
                    };
                    entry.source_sha256 = Some(source_sha256.clone());
                    entry.module = module_id(p.module);
                    c.summary.pages += u64::from(entry.pages.unwrap_or(0));
                    c.entries.push(entry);
                    // A booklet current from a build with `--since`, in a build without
                    // it (`cache::same_but_since`): its report entry without the changes.
                    let report = r.report.clone().map(|mut report| {
                        if r.key != p.key {
                            report.since = None;
                        }
                        report
                    });
                    if let Some(report) = &report {
                        c.reports.push(report.clone());
                        c.report_modules.push(p.module);
                    }
                    c.summary.current += 1;
                    // The key and the session files as they are now, for later builds and
                    // messages.
                    let record = Record {
                        key: p.key.clone(),
                        inputs: p.inputs.clone(),
                        report,
                        ..r.clone()
                    };
                    c.records.push((path.clone(), record));
                }
            }
            continue;
        };
        match done[n].take() {
            Some(Done::Made(made, took)) => {
                for m in made {
                    let entry = Entry {
                        module: module_id(m.module),
                        kind: m.kind,
                        audience: m.audience,
                        federation: m.federation.clone(),
                        path: m.staged.path.clone(),
                        pages: m.pages,
                        bytes: m.staged.bytes,
                        sha256: m.staged.sha256.clone(),
                        warnings: m.warnings.iter().map(|w| placed(w, files)).collect(),
                        cache_key: p.key.clone(),
                        build_ms: Some(took.as_millis() as u64),
                        status: Some(ManifestStatus::Built),
                        source_sha256: Some(source_sha256.clone()),
                    };
                    c.summary.pages += u64::from(m.pages.unwrap_or(0));
                    c.summary.built += 1;
                    c.records.push((
                        entry.path.clone(),
                        Record {
                            key: p.key.clone(),
                            inputs: p.inputs.clone(),
                            entry: entry.clone(),
                            modified_ns: m.staged.modified_ns,
                            report: Some(m.report.clone()),
                            drawings: m.drawings,
                        },
                    ));
                    c.entries.push(entry);
                    c.reports.push(m.report);
                    c.report_modules.push(m.module);
                    c.warnings.extend(m.warnings);
                    c.staged.push(m.staged);
                }
            }
            // Failures were handled before: nothing is committed then.
            Some(Done::Failed(_)) | None => {}
        }
    }
    // The outputs this build leaves as they are: in the report too, marked kept.
    for k in &build.left {
        if let Some(report) = cache.outputs.get(&k.path).and_then(|r| r.report.clone()) {
            c.reports.push(crate::report::left(report, k.left.clone()));
            c.report_modules.push(k.module);
        }
    }
    c
}

/// A warning as the manifest keeps it: its message and place.
pub(super) fn placed(w: &Diag, files: &SourceFiles) -> String {
    match w.at {
        Some(at) => {
            let (line, col) = files.line_col(at.file, at.start as usize);
            format!("{} ({}:{line}:{col})", w.message, files.name(at.file))
        }
        None => w.message.clone(),
    }
}
