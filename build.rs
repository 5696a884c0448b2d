//! Embeds every file under `templates/` and every rules file under `rules/`, so the binary writes
//! bulletins with no files beside it, from any directory.

use std::path::Path;

fn walk(dir: &Path, ext: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("the folder is readable").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Writes `OUT_DIR/<out>`: a constant `BUILTIN` of (path under `folder/`, contents) for every file
/// of the folder with the extension.
fn embed(folder: &str, ext: &str, out: &str, doc: &str) {
    println!("cargo:rerun-if-changed={folder}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join(folder), ext, &mut files);
    let prefix = format!("{}/{folder}/", root.to_string_lossy().replace('\\', "/"));
    let mut code = format!("/// {doc}: (path under {folder}/, contents).\npub const BUILTIN: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&prefix).expect("under the folder");
        code.push_str(&format!("    ({rel:?}, include_str!({f:?})),\n"));
    }
    code.push_str("];\n");
    let path = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(out);
    std::fs::write(path, code).expect("OUT_DIR is writable");
}

fn main() {
    embed("templates", "hbs", "templates.rs", "Built-in templates");
    embed("rules", "yaml", "rules.rs", "Built-in rules files");
}
