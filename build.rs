//! Embeds every `rules/<area>/*.rego` file in the binary, so built-in rules need
//! no files at run time, and the Rego library they import (`rules/lib/*.rego`,
//! package `archaudit.lib`) beside them.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    // Read at run time, not baked in when the script is compiled: a target
    // directory copied from another checkout must embed this checkout's rules.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = root.as_path();
    let mut files = Vec::new();
    let mut library = Vec::new();
    for area in fs::read_dir(root.join("rules")).expect("rules/ exists") {
        let area = area.expect("readable rules/ entry").path();
        if !area.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", area.display());
        for file in fs::read_dir(&area).expect("readable area folder") {
            let file = file.expect("readable rule entry").path();
            if file.extension().is_some_and(|e| e == "rego") {
                if area.file_name().is_some_and(|n| n == "lib") {
                    library.push(file);
                } else {
                    files.push(file);
                }
            }
        }
    }
    write_list(root, files, "builtin_rules.rs");
    write_list(root, library, "builtin_library.rs");
}

/// `&[(path, source)]` of `files`, as Rust source in OUT_DIR/`name`.
fn write_list(root: &Path, mut files: Vec<PathBuf>, name: &str) {
    files.sort();
    let mut out = String::from("&[\n");
    for file in files {
        let rel = file.strip_prefix(root).expect("under the manifest dir");
        let rel = rel.to_string_lossy().replace('\\', "/");
        // The path is joined when the crate compiles, not baked in here: an
        // OUT_DIR copied or kept from another checkout still reads this one.
        out.push_str(&format!(
            "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),\n",
            format!("/{rel}")
        ));
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join(name);
    fs::write(dest, out).expect("write the embedded rule list");
}
