//! Terraform source: where a state address is declared, as a file and lines.
//!
//! A careful line scanner, not an HCL parser: it finds top-level
//! `resource "TYPE" "NAME" {` and `module "NAME" {` blocks (with a module's
//! `source`), matching braces while skipping strings (with `${...}`
//! templates), heredocs and comments. That is all locating needs, and it keeps
//! an HCL parser out of the dependency tree.
//!
//! Modules resolve through `.terraform/modules/modules.json` when `terraform
//! init` wrote one, else through a local `source = "./..."`. A module whose
//! code lives outside the repository (the registry, git, anything under
//! `.terraform/`) is not edited where it lives: its resources are located on
//! the `module` call that a person would change.

use crate::limits::{read_file, MAX_TERRAFORM_SOURCE_BYTES};
use anyhow::{Context, Result};
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
            let module = scan_dir(&dir, repo_root)?;
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

fn scan_dir(dir: &Path, repo_root: &Path) -> Result<ModuleDir> {
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
        for found in scan_blocks(&text) {
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

/// A top-level block the scanner found.
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// A string literal; `None` when it holds a template (`${...}`).
    Str(Option<String>),
    Open,
    Close,
    Equals,
    Newline,
    Other,
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek(0)?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn skip_line(&mut self) {
        while let Some(b) = self.peek(0) {
            if b == b'\n' {
                break;
            }
            self.pos += 1;
        }
    }

    /// After the opening quote: reads to the closing quote (or the end of the
    /// line, for an unterminated string), skipping template expressions.
    fn string(&mut self) -> Option<String> {
        let mut out = Vec::new();
        let mut literal = true;
        while let Some(b) = self.peek(0) {
            match b {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\n' => break,
                b'\\' => {
                    self.pos += 1;
                    if let Some(escaped) = self.peek(0).filter(|b| *b != b'\n') {
                        self.pos += 1;
                        out.push(match escaped {
                            b'n' => b'\n',
                            b't' => b'\t',
                            other => other,
                        });
                    }
                }
                b'$' | b'%' if self.peek(1) == Some(b'{') => {
                    if self.peek(2) == Some(b) {
                        // `$${` and `%%{` are escapes for a literal `${` / `%{`.
                        self.pos += 3;
                        out.extend_from_slice(&[b, b'{']);
                    } else {
                        self.pos += 2;
                        literal = false;
                        self.template();
                    }
                }
                _ => {
                    self.pos += 1;
                    out.push(b);
                }
            }
        }
        literal.then(|| String::from_utf8_lossy(&out).into_owned())
    }

    /// After `${`: skips code to the matching `}`, including nested strings.
    fn template(&mut self) {
        let mut depth = 1usize;
        while let Some(b) = self.bump() {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                b'"' => {
                    self.string();
                }
                _ => {}
            }
        }
    }

    /// After `<<` (or `<<-`): skips the heredoc to its closing marker line.
    fn heredoc(&mut self) -> bool {
        let start = self.pos;
        if self.peek(0) == Some(b'-') {
            self.pos += 1;
        }
        let marker_start = self.pos;
        while self
            .peek(0)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        let marker = self.bytes[marker_start..self.pos].to_vec();
        let rest = &self.bytes[self.pos..];
        let line_end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        if marker.is_empty() || !rest[..line_end].trim_ascii().is_empty() {
            self.pos = start;
            return false;
        }
        self.skip_line();
        while self.peek(0).is_some() {
            self.bump(); // the newline
            let line_start = self.pos;
            self.skip_line();
            let line = &self.bytes[line_start..self.pos];
            if line.trim_ascii() == marker.as_slice() {
                return true;
            }
        }
        true
    }

    fn next(&mut self) -> Option<(Token, usize)> {
        loop {
            let b = self.peek(0)?;
            let line = self.line;
            match b {
                b'\n' => {
                    self.bump();
                    return Some((Token::Newline, line));
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'#' => self.skip_line(),
                b'/' if self.peek(1) == Some(b'/') => self.skip_line(),
                b'/' if self.peek(1) == Some(b'*') => {
                    self.pos += 2;
                    while let Some(b) = self.bump() {
                        if b == b'*' && self.peek(0) == Some(b'/') {
                            self.pos += 1;
                            break;
                        }
                    }
                }
                b'"' => {
                    self.pos += 1;
                    return Some((Token::Str(self.string()), line));
                }
                b'<' if self.peek(1) == Some(b'<') => {
                    self.pos += 2;
                    if self.heredoc() {
                        return Some((Token::Str(None), line));
                    }
                    return Some((Token::Other, line));
                }
                b'{' => {
                    self.pos += 1;
                    return Some((Token::Open, line));
                }
                b'}' => {
                    self.pos += 1;
                    return Some((Token::Close, line));
                }
                b'=' if self.peek(1) != Some(b'=') && self.peek(1) != Some(b'>') => {
                    self.pos += 1;
                    return Some((Token::Equals, line));
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let start = self.pos;
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    {
                        self.pos += 1;
                    }
                    let ident = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                    return Some((Token::Ident(ident), line));
                }
                _ => {
                    // Multi-byte characters and operators: one token per byte is enough.
                    self.pos += 1;
                    if b == b'=' {
                        self.pos += 1;
                    }
                    return Some((Token::Other, line));
                }
            }
        }
    }
}

/// A block header being read at the top level: keyword and labels so far.
struct Header {
    keyword: String,
    labels: Vec<String>,
    line: usize,
}

/// Finds the top-level `resource` and `module` blocks of one `.tf` file, with
/// the 1-based lines of their keyword and closing brace. Blocks left open at the
/// end of the file end on its last line.
pub fn scan_blocks(text: &str) -> Vec<FoundBlock> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut header: Option<Header> = None;
    // The block being read and the tokens of the current depth-1 statement.
    let mut open: Option<(Header, Option<String>)> = None;
    let mut statement: Vec<Token> = Vec::new();
    while let Some((token, line)) = lexer.next() {
        if depth == 0 {
            match token {
                Token::Ident(word) if header.is_none() => {
                    header = Some(Header {
                        keyword: word,
                        labels: Vec::new(),
                        line,
                    });
                }
                Token::Str(Some(label)) if header.is_some() => {
                    if let Some(h) = header.as_mut() {
                        h.labels.push(label);
                    }
                }
                Token::Ident(label) => {
                    if let Some(h) = header.as_mut() {
                        h.labels.push(label);
                    }
                }
                Token::Open => {
                    depth = 1;
                    open = header.take().map(|h| (h, None));
                    statement.clear();
                }
                // A block's labels and `{` stand on the keyword's line.
                _ => header = None,
            }
            continue;
        }
        match token {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth == 0 {
                    end_statement(&mut open, &mut statement);
                    if let Some((h, source)) = open.take() {
                        found.extend(found_block(h, source, line));
                    }
                }
            }
            Token::Newline if depth == 1 => end_statement(&mut open, &mut statement),
            other if depth == 1 => statement.push(other),
            _ => {}
        }
    }
    if let Some((h, source)) = open.take() {
        found.extend(found_block(h, source, lexer.line));
    }
    found
}

/// Ends a statement of a block body: records `source = "..."` of a module.
fn end_statement(open: &mut Option<(Header, Option<String>)>, statement: &mut Vec<Token>) {
    if let (Some((h, source)), [Token::Ident(key), Token::Equals, Token::Str(Some(value))]) =
        (open.as_mut(), statement.as_slice())
    {
        if h.keyword == "module" && key == "source" {
            *source = Some(value.clone());
        }
    }
    statement.clear();
}

fn found_block(h: Header, source: Option<String>, end_line: usize) -> Option<FoundBlock> {
    let kind = match (h.keyword.as_str(), h.labels.as_slice()) {
        ("resource", [kind, name]) => FoundKind::Resource {
            kind: kind.clone(),
            name: name.clone(),
        },
        ("module", [name]) => FoundKind::Module {
            name: name.clone(),
            source,
        },
        _ => return None,
    };
    Some(FoundBlock {
        kind,
        start_line: h.line,
        end_line,
    })
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
    fn matches_braces_past_strings_templates_heredocs_and_comments() {
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
        let found = scan_blocks(text);
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
