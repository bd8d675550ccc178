//! The pipeline every evaluating command runs: config -> catalogue -> inputs
//! -> evaluate -> report. `audit`, `check` and `diff` differ only in where
//! their snapshots come from and what they compare.

use super::args::{fail_on, load_config, CatalogueArgs, FailOn, ReportArgs};
use super::exit;
use crate::aws::AwsOptions;
use crate::config::Config;
use crate::drift::imports::import_files;
use crate::drift::{compute as compute_drift, keep_attribute, Drift};
use crate::engine::suppress::{self, SuppressionNote};
use crate::engine::{Catalogue, CompiledRules, Evaluation, Finding, StateError, Suppressed};
use crate::history::{diff_snapshots, parse_input, FindingsDiff, Input, RunFindings};
use crate::limits::is_too_large;
use crate::report::escape::error_line;
use crate::report::{reporter, sarif_category, Baseline, Format, Presentation, Report};
use crate::severity::Severity;
use crate::snapshot::{Snapshot, SnapshotStream};
use crate::store::{self, is_s3_uri, load_snapshot_inputs, Encryption};
use crate::terraform::state::parse_state_keeping;
use crate::terraform::{expand_state_glob, Locations, Sources, State};
use anyhow::{bail, Context, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// The config, the catalogue it selects, and the catalogue compiled.
pub(super) struct Pipeline {
    pub config: Config,
    pub catalogue: Catalogue,
    compiled: CompiledRules,
}

/// What a report evaluates.
pub(super) enum Subject {
    /// A snapshot held whole: collected now, or needed whole by the report
    /// (Terraform drift, a baseline, the HTML page).
    Whole(Snapshot),
    /// Snapshot inputs read one account at a time.
    Streamed(SnapshotStream),
}

impl Subject {
    /// The organization and its accounts (their sections may not be there).
    fn outline(&self) -> &Snapshot {
        match self {
            Subject::Whole(snapshot) => snapshot,
            Subject::Streamed(stream) => stream.outline(),
        }
    }
}

/// One run's findings: evaluated, with suppressions applied.
pub(super) struct Run {
    pub generated_at: String,
    pub evaluation: Evaluation,
    pub suppressed: Vec<Suppressed>,
    pub notes: Vec<SuppressionNote>,
    /// The snapshot evaluated; `None` for a JSON report read back.
    pub snapshot: Option<Snapshot>,
    /// Drift from the `--tfstate` states, when given.
    pub drift: Option<Drift>,
}

impl Run {
    pub fn findings(&self) -> RunFindings {
        RunFindings::new(&self.evaluation, &self.suppressed)
    }
}

impl Pipeline {
    /// The config given (else `./archaudit.toml` if present), the built-in and
    /// `--rules-dir` rules with its selection applied, compiled.
    pub fn start(args: &CatalogueArgs) -> Result<Pipeline> {
        let config = load_config(args.config.as_deref())?;
        let catalogue = selected(args, &config)?;
        let compiled = catalogue.compile()?;
        Ok(Pipeline {
            config,
            catalogue,
            compiled,
        })
    }

    /// The catalogue alone, for commands that only list or explain rules.
    pub fn catalogue(args: &CatalogueArgs) -> Result<Catalogue> {
        selected(args, &load_config(args.config.as_deref())?)
    }

    /// A snapshot evaluated now (with `terraform`, the drift rules too), or a
    /// JSON report's findings as they were.
    pub fn run(&self, input: Input, terraform: Option<&Terraform>) -> Result<Run> {
        let snapshot = match input {
            Input::Snapshot(snapshot) => snapshot,
            Input::Report(run) => {
                return Ok(Run {
                    generated_at: run.generated_at,
                    evaluation: run.evaluation,
                    suppressed: run.suppressed,
                    notes: Vec::new(),
                    snapshot: None,
                    drift: None,
                })
            }
        };
        let config = &self.config;
        let roles = config.assign_roles(&snapshot);
        let drift =
            terraform.map(|t| compute_drift(&snapshot, &t.states, t.errors.clone(), &config.drift));
        let input = drift.as_ref().map(Drift::input);
        let evaluation = self
            .compiled
            .evaluate_with(&snapshot, &roles, input.as_ref())?;
        let mut run = self.suppressed(evaluation, snapshot.generated_at.clone());
        run.snapshot = Some(snapshot);
        run.drift = drift;
        Ok(run)
    }

    /// A snapshot evaluated one account at a time, never held whole (no
    /// drift: Terraform drift needs every account at once).
    pub fn run_streamed(&self, stream: &SnapshotStream) -> Result<Run> {
        let outline = stream.outline();
        let roles = self.config.assign_roles(outline);
        let evaluation = stream.with_accounts(|accounts| {
            self.compiled
                .evaluate_accounts(outline, accounts, &roles, None)
        })?;
        Ok(self.suppressed(evaluation, outline.generated_at.clone()))
    }

    /// A run of `evaluation` with the config's suppressions applied.
    fn suppressed(&self, mut evaluation: Evaluation, generated_at: String) -> Run {
        let today = jiff::Zoned::now().date();
        let outcome = suppress::apply(
            std::mem::take(&mut evaluation.findings),
            &self.config.suppressions,
            today,
        );
        evaluation.findings = outcome.findings;
        Run {
            generated_at,
            evaluation,
            suppressed: outcome.suppressed,
            notes: outcome.notes,
            snapshot: None,
            drift: None,
        }
    }

    /// What reporters see of a run.
    pub fn report_of<'a>(
        &'a self,
        run: &'a Run,
        fail_on: Option<Severity>,
        locations: Option<&'a Locations>,
        baseline: Option<&'a Baseline>,
    ) -> Report<'a> {
        Report {
            evaluation: &run.evaluation,
            rules: &self.catalogue.rules,
            generated_at: &run.generated_at,
            fail_on,
            suppressed: &run.suppressed,
            notes: &run.notes,
            locations,
            baseline,
        }
    }

    /// Evaluates a snapshot, compares it with `--baseline`, writes the
    /// report; the exit code.
    pub fn report(
        &self,
        subject: Subject,
        args: &ReportArgs,
        inputs: ReportInputs,
        output: &Output,
    ) -> Result<ExitCode> {
        let category = category(args.category.as_deref(), Some(subject.outline()));
        let ReportInputs {
            terraform,
            baseline,
        } = inputs;
        let terraform = terraform.as_ref();
        let run = match subject {
            Subject::Whole(snapshot) => self.run(Input::Snapshot(snapshot), terraform)?,
            Subject::Streamed(stream) => self.run_streamed(&stream)?,
        };
        let mut resources = None;
        let baseline = match baseline {
            Some((source, input)) => {
                // The baseline is held against the same states.
                let old = self.run(input, terraform)?;
                // The HTML page shows the resources changed too.
                if let (Format::Html, Some(a), Some(b)) =
                    (args.format, &old.snapshot, &run.snapshot)
                {
                    resources = Some(diff_snapshots(a, b)?);
                }
                Some(Baseline::new(
                    source,
                    FindingsDiff::compare(&old.findings(), &run.findings()),
                    args.fail_on_new.and_then(FailOn::severity),
                ))
            }
            None => None,
        };
        let report = self.report_of(
            &run,
            fail_on(args.fail_on, args.fail_on_new),
            terraform.map(|t| &t.locations),
            baseline.as_ref(),
        );
        let presentation = Presentation {
            terminal: output.is_terminal(),
            show_suppressed: args.show_suppressed,
            category,
            snapshot: run.snapshot.as_ref(),
            resources,
        };
        let mut reporter = reporter(args.format, presentation);
        output.write(|out| reporter.emit(out, &report))?;
        if let (Some(dir), Some(drift)) = (&args.import_blocks, &run.drift) {
            write_import_blocks(dir, drift, &run.evaluation.findings)?;
        }
        Ok(exit_code(&report, args.strict))
    }
}

/// `--import-blocks DIR`: one file of `import` blocks per account.
fn write_import_blocks(dir: &Path, drift: &Drift, findings: &[Finding]) -> Result<()> {
    let files = import_files(drift, findings);
    if files.is_empty() {
        eprintln!(
            "warning: no import blocks written to {}: a Terraform state could not be read, so \
             unmanaged resources are not known",
            dir.display()
        );
        return Ok(());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    for file in &files {
        let path = dir.join(&file.file_name);
        std::fs::write(&path, &file.text)
            .with_context(|| format!("{}: cannot write import blocks", path.display()))?;
    }
    let blocks: usize = files.iter().map(|f| f.blocks).sum();
    eprintln!(
        "{blocks} import block(s) for {} account(s) written to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}

/// The built-in and `--rules-dir` rules, with the config's selection applied.
fn selected(args: &CatalogueArgs, config: &Config) -> Result<Catalogue> {
    let mut catalogue = Catalogue::load(&args.rules_dir)?;
    catalogue.limits.time = std::time::Duration::from_secs_f64(args.rule_time_limit);
    catalogue.configure(config)?;
    Ok(catalogue)
}

/// The exit code of a report: incomplete (with `--strict`), failed, or ok.
pub(super) fn exit_code(report: &Report, strict: bool) -> ExitCode {
    ExitCode::from(if strict && report.incomplete() {
        exit::INCOMPLETE
    } else if report.failed() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// The SARIF category: `--category`, else `archaudit/<organization id>/`, else
/// a name for the audited accounts.
pub(super) fn category(given: Option<&str>, snapshot: Option<&Snapshot>) -> String {
    if let Some(category) = given {
        return category.to_string();
    }
    let scope = match snapshot.map(|s| (&s.organization, s.accounts.as_slice())) {
        Some((Some(org), _)) => org.id.clone(),
        Some((None, [one])) => one.account.id.clone(),
        _ => "accounts".to_string(),
    };
    sarif_category(&scope)
}

/// Reads a snapshot or JSON report: a file, an `s3://` object, or the shards
/// under an `s3://bucket/prefix/` (merged).
pub(super) fn read_input(spec: &str, aws: &AwsOptions, max_bytes: u64) -> Result<Input> {
    if is_s3_uri(spec) && spec.ends_with('/') {
        return Ok(Input::Snapshot(load_snapshot_inputs(
            &[spec.to_string()],
            aws,
            max_bytes,
        )?));
    }
    let bytes = store::read(spec, aws, "snapshot or report", max_bytes)?;
    parse_input(&bytes, spec, max_bytes)
}

/// What a report is made against besides its snapshot, read (and checked)
/// before anything is collected: a bad one shows before a long collection.
pub(super) struct ReportInputs {
    pub terraform: Option<Terraform>,
    /// `--baseline`: as the user named it, and what it holds.
    pub baseline: Option<(String, Input)>,
}

impl ReportInputs {
    pub fn read(args: &ReportArgs, aws: &AwsOptions) -> Result<ReportInputs> {
        let terraform = terraform_states(args, aws)?;
        let baseline = args
            .baseline
            .as_deref()
            .map(|spec| {
                let input = read_input(spec, aws, args.max_input_size)?;
                Ok::<_, anyhow::Error>((spec.to_string(), input))
            })
            .transpose()?;
        Ok(ReportInputs {
            terraform,
            baseline,
        })
    }
}

/// The states given with `--tfstate`, those that could not be read, and
/// where each resource is declared.
pub(super) struct Terraform {
    states: Vec<State>,
    /// One error per state that could not be read, naming it.
    errors: Vec<StateError>,
    locations: Locations,
}

/// Reads the `--tfstate` states (`None` without any). A state that cannot be
/// read is a warning and an error entry: the audit goes on without it. States
/// named `s3://bucket/key` are read through the S3 API with `aws`.
fn terraform_states(args: &ReportArgs, aws: &AwsOptions) -> Result<Option<Terraform>> {
    if args.tfstate.is_empty() {
        return Ok(None);
    }
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let parse = |bytes: &[u8], origin: &str| parse_state_keeping(bytes, origin, &keep_attribute);
    let mut states = Vec::new();
    let mut errors = Vec::new();
    let failed = |e: anyhow::Error| StateError {
        class: store::error_class(&e),
        message: format!("{e:#}"),
    };
    for spec in &args.tfstate {
        let paths = if is_s3_uri(spec) {
            vec![spec.clone()]
        } else {
            match expand_state_glob(spec, &root) {
                Ok(paths) => paths.iter().map(|p| p.display().to_string()).collect(),
                Err(e) => {
                    errors.push(failed(e));
                    continue;
                }
            }
        };
        for path in paths {
            match store::read(&path, aws, "Terraform state", args.max_input_size)
                .and_then(|bytes| parse(&bytes, &path))
            {
                Ok(state) => states.push(state),
                Err(e) if is_too_large(&e) => return Err(e),
                Err(e) => errors.push(failed(e)),
            }
        }
    }
    for e in &errors {
        let warning = format!("{}: drift from this state is not evaluated", e.message);
        eprintln!("warning: {}", error_line(&warning));
    }
    let sources = Sources::scan(&args.tf_dir, &root)?;
    for w in sources.warnings() {
        eprintln!("warning: {w}");
    }
    let locations = Locations::new(&states, &sources);
    for state in locations.unresolved_states() {
        eprintln!(
            "warning: no --tf-dir declares the resources of state {}: its findings point at the rule files",
            error_line(state)
        );
    }
    Ok(Some(Terraform {
        states,
        errors,
        locations,
    }))
}

/// Where a report (or snapshot) goes: standard output, a file or an S3
/// object (encrypted as `encryption` says).
pub(super) struct Output {
    pub to: Option<String>,
    pub aws: AwsOptions,
    pub encryption: Encryption,
}

impl Output {
    /// `--output` and `--sse-kms-key-id`, which applies to an s3:// output only.
    pub fn new(to: Option<&str>, kms_key: Option<&str>, aws: AwsOptions) -> Result<Output> {
        if kms_key.is_some() && !to.is_some_and(is_s3_uri) {
            bail!("--sse-kms-key-id applies to an s3:// --output only");
        }
        Ok(Output {
            to: to.map(str::to_string),
            aws,
            encryption: Encryption::from_kms_key(kms_key),
        })
    }

    /// Whether the report goes to a terminal (which gets colour).
    pub fn is_terminal(&self) -> bool {
        self.to.is_none() && std::io::stdout().is_terminal()
    }

    /// Writes what `write` produces.
    pub fn write(&self, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        match &self.to {
            Some(spec) if is_s3_uri(spec) => {
                let mut buffer = Vec::new();
                write(&mut buffer)?;
                store::write(spec, buffer, &self.aws, &self.encryption, "the report")?;
            }
            Some(path) => write_file(Path::new(path), write)?,
            None => {
                let mut out = std::io::stdout().lock();
                write(&mut out)?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// Writes a report file as it is produced (a large organization's report is
/// not held in memory), through a temporary file beside it that replaces it
/// only once complete: a failed run leaves no truncated report.
fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let cannot = || format!("{}: cannot write the report", path.display());
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        // A device or pipe (`--output /dev/stdout`): written in place.
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(cannot)?;
        write(&mut out)?;
        return out.flush().with_context(cannot);
    }
    let name = path.file_name().with_context(cannot)?;
    let mut partial = name.to_os_string();
    partial.push(".partial");
    let partial = path.with_file_name(partial);
    let written = (|| {
        let file = std::fs::File::create(&partial).with_context(cannot)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?
            .sync_all()
            .with_context(cannot)?;
        std::fs::rename(&partial, path).with_context(cannot)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report that fails halfway leaves the earlier report in place and
    /// nothing partial beside it; one that completes replaces it.
    #[test]
    fn report_files_are_replaced_only_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "yesterday").unwrap();
        let err = write_file(&path, |out| {
            out.write_all(b"{\"findings\": [")?;
            bail!("the reporter failed")
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "the reporter failed");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "yesterday");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");

        write_file(&path, |out| Ok(out.write_all(b"today")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "today");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        let err = write_file(&dir.path().join("no/such/dir/report.json"), |out| {
            Ok(out.write_all(b"x")?)
        })
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("no/such/dir/report.json: cannot write the report"),
            "{err:#}"
        );
    }
}
