//! Terraform source: where a state address is declared, as a file and lines.
//!
//! Each `.tf` file is parsed with hcl-edit (an HCL parser that keeps the byte
//! span of every block); its top-level `resource "TYPE" "NAME"` and
//! `module "NAME"` blocks (with a module's `source`, when a plain string) are
//! kept with the lines of their first and last byte. A file that is not valid
//! HCL is skipped and named in [`Sources::warnings`]: Terraform refuses it too.
//!
//! Modules resolve through `.terraform/modules/modules.json` when `terraform
//! init` wrote one, else through a local `source = "./..."`. A module whose
//! code lives outside the repository (the registry, git, anything under
//! `.terraform/`) is not edited where it lives: its resources are located on
//! the `module` call that a person would change.

use crate::limits::{read_file, MAX_TERRAFORM_SOURCE_BYTES};
use anyhow::{Context, Result};
use hcl_edit::Span;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Where a resource is declared: a repository-relative file (forward slashes,
/// no scheme) and the 1-based lines of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub uri: String,
    pub start_line: usize,
    pub end_line: usize,
    /// The state address of the resource instance, e.g. `module.eks.aws_eks_cluster.this[0]`.
    pub address: String,
}

/// A block found in a `.tf` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub uri: String,
    pub start_line: usize,
    pub end_line: usize,
}

/// A `module "NAME" {` call and its `source`, when it is a plain string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCall {
    pub block: Block,
    pub source: Option<String>,
}

/// The blocks of one module directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleDir {
    /// `(type, name)` of each `resource` block.
    pub resources: BTreeMap<(String, String), Block>,
    pub modules: BTreeMap<String, ModuleCall>,
}

/// What a state resource's module path and type/name resolve to in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// The `resource` block, in the root module or a local module.
    Resource(&'a Block),
    /// The call of the first module whose code is not in the repository.
    ModuleCall(&'a Block),
}

/// Every module directory under the `--tf-dir` roots, and the local modules
/// they call.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Scanned directories (absolute, normalized), with their blocks.
    dirs: BTreeMap<PathBuf, ModuleDir>,
    /// Directories that may be a root module: every directory with `.tf` files
    /// under a `--tf-dir` (local modules included; scoring picks the root).
    candidates: Vec<PathBuf>,
    /// The `--tf-dir` roots as given, normalized.
    roots: Vec<PathBuf>,
    /// `modules.json` of each initialized directory: key -> module directory.
    manifests: BTreeMap<PathBuf, BTreeMap<String, PathBuf>>,
    /// Files that could not be parsed, each named with the problem.
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<ManifestModule>,
}

#[derive(Deserialize)]
struct ManifestModule {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

/// Lexically normalizes a path (no file system access): removes `.` and folds `..`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `root` made absolute against the current directory.
fn absolute_root(root: &Path) -> PathBuf {
    if root.is_absolute() {
        normalize(root)
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        normalize(&cwd.join(root))
    }
}

fn absolute(path: &Path, base: &Path) -> PathBuf {
    normalize(&if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    })
}

/// Whether a directory holds module code fetched by `terraform init`, not
/// code a person edits in this repository.
fn is_installed(dir: &Path) -> bool {
    dir.components().any(|c| c.as_os_str() == ".terraform")
}

/// Percent-encodes what may not stand in a URI path, and `:` so that no
/// segment can read as a scheme.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A repository-relative, scheme-less uri for `path` (absolute or relative to
/// `root`), as SARIF consumers such as GitHub code scanning require.
///
/// A path outside `root` cannot be made relative to it: it becomes its last
/// two components (`folder/file`), which GitHub accepts and shows without a
/// preview; that beats leaking a home directory or pointing at `../`.
pub fn repo_relative_uri(path: &str, root: &Path) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("file://").unwrap_or(&path);
    let root = absolute_root(root);
    let full = absolute(Path::new(path), &root);
    // Failing a lexical match, compare real paths (a symlinked checkout).
    let real = || {
        let full = full.canonicalize().ok()?;
        let root = root.canonicalize().ok()?;
        full.strip_prefix(root).ok().map(Path::to_path_buf)
    };
    let relative = match full
        .strip_prefix(&root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(real)
    {
        Some(rel) if !rel.as_os_str().is_empty() => rel,
        _ => {
            let parts: Vec<_> = full
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s),
                    _ => None,
                })
                .collect();
            parts[parts.len().saturating_sub(2)..].iter().collect()
        }
    };
    let text: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    encode_uri_path(&text.join("/"))
}

impl Sources {
    /// Scans the `.tf` files under each of `tf_dirs` (recursively, skipping
    /// hidden directories such as `.terraform` and `.git`), plus every local
    /// module they call. Uris are relative to `repo_root`; relative `tf_dirs`
    /// are relative to it too.
    pub fn scan(tf_dirs: &[PathBuf], repo_root: &Path) -> Result<Sources> {
        let repo_root = &absolute_root(repo_root);
        let mut sources = Sources::default();
        let mut queue: Vec<PathBuf> = Vec::new();
        for dir in tf_dirs {
            let root = absolute(dir, repo_root);
            if !root.is_dir() {
                anyhow::bail!("{}: not a Terraform directory", dir.display());
            }
            sources.roots.push(root.clone());
            let mut stack = vec![root];
            while let Some(current) = stack.pop() {
                let mut has_tf = false;
                let entries = std::fs::read_dir(&current)
                    .with_context(|| format!("{}: cannot read directory", current.display()))?;
                for entry in entries {
                    let entry = entry
                        .with_context(|| format!("{}: cannot read directory", current.display()))?;
                    let path = entry.path();
                    let hidden = entry.file_name().to_string_lossy().starts_with('.');
                    // Symlinked directories are not followed: no cycles.
                    let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                    if is_dir {
                        if !hidden {
                            stack.push(path);
                        }
                    } else if path.extension().is_some_and(|e| e == "tf") {
                        has_tf = true;
                    }
                }
                if has_tf {
                    sources.candidates.push(current.clone());
                    queue.push(current);
                }
            }
        }
        sources.candidates.sort();
        sources.candidates.dedup();

        while let Some(dir) = queue.pop() {
            if sources.dirs.contains_key(&dir) {
                continue;
            }
            let module = scan_dir(&dir, repo_root, &mut sources.warnings)?;
            let manifest = read_manifest(&dir)?;
            for call in module.modules.values() {
                if let Some(source) = call.source.as_deref().filter(|s| is_local_source(s)) {
                    let target = normalize(&dir.join(source));
                    if !is_installed(&target) && target.is_dir() {
                        queue.push(target);
                    }
                }
            }
            if let Some(manifest) = &manifest {
                for target in manifest.values() {
                    if !is_installed(target) && target.is_dir() {
                        queue.push(target.clone());
                    }
                }
            }
            sources.dirs.insert(dir.clone(), module);
            if let Some(manifest) = manifest {
                sources.manifests.insert(dir, manifest);
            }
        }
        Ok(sources)
    }

    /// Directories that may be the root module of a state, best first when
    /// scores tie: a `--tf-dir` itself, then shorter paths.
    pub fn candidates(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = self.candidates.iter().map(PathBuf::as_path).collect();
        out.sort_by_key(|d| {
            (
                !self.roots.iter().any(|r| r == d),
                d.components().count(),
                d.to_path_buf(),
            )
        });
        out
    }

    /// The `.tf` files that are not valid HCL, each named with its problem.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Every scanned module directory (absolute).
    pub fn scanned_dirs(&self) -> BTreeSet<&Path> {
        self.dirs.keys().map(PathBuf::as_path).collect()
    }

    /// The blocks of a scanned directory.
    pub fn dir(&self, dir: &Path) -> Option<&ModuleDir> {
        self.dirs.get(dir)
    }

    /// Where a resource `kind.name` inside the module path `modules` is
    /// declared, taking `root` as the root module.
    pub fn resolve(
        &self,
        root: &Path,
        modules: &[&str],
        kind: &str,
        name: &str,
    ) -> Option<Resolved<'_>> {
        let manifest = self.manifests.get(root);
        let mut dir = root.to_path_buf();
        let mut key = String::new();
        for module in modules {
            let call = self.dirs.get(&dir)?.modules.get(*module)?;
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(module);
            let target = manifest.and_then(|m| m.get(&key).cloned()).or_else(|| {
                call.source
                    .as_deref()
                    .filter(|s| is_local_source(s))
                    .map(|s| normalize(&dir.join(s)))
            });
            match target {
                Some(t) if !is_installed(&t) && self.dirs.contains_key(&t) => dir = t,
                _ => return Some(Resolved::ModuleCall(&call.block)),
            }
        }
        self.dirs
            .get(&dir)?
            .resources
            .get(&(kind.to_string(), name.to_string()))
            .map(Resolved::Resource)
    }
}

/// Terraform's rule: a local path starts with `./` or `../`.
fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

fn read_manifest(dir: &Path) -> Result<Option<BTreeMap<String, PathBuf>>> {
    let path = dir.join(".terraform/modules/modules.json");
    if !path.exists() {
        return Ok(None);
    }
    let bytes = read_file(&path, "modules.json", MAX_TERRAFORM_SOURCE_BYTES, "")?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: invalid modules.json: {e}", path.display()))?;
    Ok(Some(
        manifest
            .modules
            .into_iter()
            .filter(|m| !m.key.is_empty())
            .map(|m| (m.key, normalize(&dir.join(m.dir))))
            .collect(),
    ))
}

fn scan_dir(dir: &Path, repo_root: &Path, warnings: &mut Vec<String>) -> Result<ModuleDir> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read directory", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
        .collect();
    files.sort();
    let mut module = ModuleDir::default();
    for file in files {
        let text = read_file(&file, "Terraform file", MAX_TERRAFORM_SOURCE_BYTES, "")?;
        let text = String::from_utf8_lossy(&text);
        let uri = repo_relative_uri(&file.to_string_lossy(), repo_root);
        let found = match scan_blocks(&text) {
            Ok(found) => found,
            Err(e) => {
                warnings.push(format!(
                    "{uri}:{}: not valid HCL ({}): its blocks are not located",
                    e.location().line(),
                    e.message().replace('\n', " ")
                ));
                continue;
            }
        };
        for found in found {
            let block = Block {
                uri: uri.clone(),
                start_line: found.start_line,
                end_line: found.end_line,
            };
            match found.kind {
                FoundKind::Resource { kind, name } => {
                    module.resources.entry((kind, name)).or_insert(block);
                }
                FoundKind::Module { name, source } => {
                    module
                        .modules
                        .entry(name)
                        .or_insert(ModuleCall { block, source });
                }
            }
        }
    }
    Ok(module)
}

/// A top-level block of a `.tf` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundBlock {
    pub kind: FoundKind,
    pub start_line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundKind {
    Resource {
        kind: String,
        name: String,
    },
    Module {
        name: String,
        source: Option<String>,
    },
}

/// The 1-based line of each byte offset: the offsets where lines start.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines(starts)
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// The top-level `resource` and `module` blocks of one `.tf` file, with the
/// 1-based lines of their keyword and closing brace.
pub fn scan_blocks(text: &str) -> Result<Vec<FoundBlock>, hcl_edit::parser::Error> {
    let body = hcl_edit::parser::parse_body(text)?;
    let lines = Lines::new(text);
    let mut found = Vec::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let kind = match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) => FoundKind::Resource {
                kind: kind.to_string(),
                name: name.to_string(),
            },
            ("module", [name]) => FoundKind::Module {
                name: name.to_string(),
                source: block
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_string),
            },
            _ => continue,
        };
        // The parser spans every block it read; a block without one is not located.
        let Some(span) = block.span() else { continue };
        found.push(FoundBlock {
            kind,
            start_line: lines.of(span.start),
            end_line: lines.of(span.end.saturating_sub(1).max(span.start)),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(kind: &str, name: &str, start: usize, end: usize) -> FoundBlock {
        FoundBlock {
            kind: FoundKind::Resource {
                kind: kind.into(),
                name: name.into(),
            },
            start_line: start,
            end_line: end,
        }
    }

    #[test]
    fn blocks_span_past_strings_templates_heredocs_and_comments() {
        let text = r#"# resource "aws_x" "commented" {
/* resource "aws_x" "block_comment" {
} */
resource "aws_lb" "main" {
  name = "a}b{"
  tags = { Name = "${var.x}-${join("}", ["{"])}" }
  policy = <<-EOT
    { "Statement": [ }
    EOT
  // }
  escaped = "\"}"
  literal = "$${not a template}"
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"
  nested {
    source = "not this one"
  }
}
resource aws_s3_bucket bare {
}
data "aws_caller_identity" "me" {}
locals { x = "}" }
module "net" { source = "./modules/net" }
resource "aws_iam_policy" "p" {
  policy = "%{ for s in var.x }{${jsonencode({ a = "}" })}%{ endfor }"
  dynamic "statement" {
    for_each = { for k, v in var.m : k => v if v != "{" }
  }
}
"#;
        let found = scan_blocks(text).unwrap();
        assert_eq!(
            found,
            vec![
                res("aws_lb", "main", 4, 13),
                FoundBlock {
                    kind: FoundKind::Module {
                        name: "eks".into(),
                        source: Some("terraform-aws-modules/eks/aws".into()),
                    },
                    start_line: 15,
                    end_line: 21,
                },
                res("aws_s3_bucket", "bare", 22, 23),
                FoundBlock {
                    kind: FoundKind::Module {
                        name: "net".into(),
                        source: Some("./modules/net".into()),
                    },
                    start_line: 26,
                    end_line: 26,
                },
                res("aws_iam_policy", "p", 27, 32),
            ]
        );
    }

    #[test]
    fn invalid_hcl_is_an_error_with_its_line_and_valid_files_around_it_are_kept() {
        let err = scan_blocks("resource \"aws_lb\" \"a\" {\n  name = \"x\"\n").unwrap_err();
        assert_eq!(err.location().line(), 2, "{err}");
        // The parser bounds nesting: a hostile file is an error, not a stack overflow.
        let deep = format!("{}{}", "a {\n".repeat(100_000), "}\n".repeat(100_000));
        let err = scan_blocks(&deep).unwrap_err();
        assert!(err.message().contains("nesting depth"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.tf"), "resource \"aws_lb\" \"a\" {\n").unwrap();
        std::fs::write(
            dir.path().join("b.tf"),
            "\n\nresource \"aws_vpc\" \"b\" {}\n",
        )
        .unwrap();
        let sources = Sources::scan(&[dir.path().to_path_buf()], dir.path()).unwrap();
        let module = sources.dir(&absolute_root(dir.path())).unwrap();
        let keys: Vec<_> = module.resources.keys().cloned().collect();
        assert_eq!(keys, vec![("aws_vpc".to_string(), "b".to_string())]);
        assert_eq!(module.resources.values().next().unwrap().start_line, 3);
        assert_eq!(sources.warnings().len(), 1);
        assert!(
            sources.warnings()[0].starts_with("a.tf:1: not valid HCL"),
            "{:?}",
            sources.warnings()
        );
    }

    #[test]
    fn uris_are_relative_and_scheme_less() {
        let root = Path::new("/repo");
        assert_eq!(
            repo_relative_uri("rules/waf/x.rego", root),
            "rules/waf/x.rego"
        );
        assert_eq!(
            repo_relative_uri("./rules/../rules/x.rego", root),
            "rules/x.rego"
        );
        assert_eq!(
            repo_relative_uri("/repo/infra/main.tf", root),
            "infra/main.tf"
        );
        assert_eq!(
            repo_relative_uri("/home/me/my rules/x.rego", root),
            "my%20rules/x.rego"
        );
        assert_eq!(repo_relative_uri("../other/x.rego", root), "other/x.rego");
        assert_eq!(repo_relative_uri("arn:aws:x.tf", root), "arn%3Aaws%3Ax.tf");
        assert_eq!(
            repo_relative_uri("C:\\rules\\x.rego", root),
            "C%3A/rules/x.rego"
        );
    }
}
