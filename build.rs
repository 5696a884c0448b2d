//! Embeds every file under `templates/` so the binary writes bulletins with no files beside it.

use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("templates/ is readable").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "hbs") {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=templates");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("templates"), &mut files);
    let prefix = format!("{}/templates/", root.to_string_lossy().replace('\\', "/"));
    let mut code = String::from(
        "/// Built-in templates: (path under templates/, contents).\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let rel = f.strip_prefix(&prefix).expect("under templates/");
        code.push_str(&format!("    ({rel:?}, include_str!({f:?})),\n"));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
