//! `eject`: the built-in rules and templates written out to start editing from; used as they
//! are, they give the same bulletins, byte for byte.

mod common;
use common::{run, scratch};

/// The files eject writes: every rules file (`.yaml`) and every template (`.hbs`) of the repository.
fn repository_files() -> Vec<String> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "hbs") {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("rules"), root, &mut out);
    walk(&root.join("templates"), root, &mut out);
    out.sort();
    out
}

#[test]
fn ejected_rules_and_templates_give_the_same_bulletins() {
    let dir = scratch("eject");
    let out = dir.join("house");
    let r = run(&["eject", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = repository_files();
    assert_eq!(
        r.stderr,
        format!(
            "tradescribe: wrote {} files to {}; edit them, then use them with --rules {} --templates {}\n",
            files.len(),
            out.display(),
            out.join("rules/default.yaml").display(),
            out.join("templates").display()
        )
    );
    for f in &files {
        let ejected = std::fs::read(out.join(f)).unwrap_or_else(|_| panic!("{f} was not ejected"));
        assert_eq!(ejected, std::fs::read(f).unwrap(), "{f} differs from the repository's");
    }
    let rules = out.join("rules");
    let templates = out.join("templates");
    let (rules, templates) = (rules.to_str().unwrap(), templates.to_str().unwrap());
    let default = format!("{rules}/default.yaml");
    let member = format!("{rules}/member.yaml");
    let runs: [&[&str]; 3] = [
        &["--period", "2019-07"],
        &["--data", "data/us-census", "--period", "2020-04"],
        &["--data", "data/us-census", "--period", "2019-07", "--each", "partner"],
    ];
    for args in runs {
        for format in ["md", "txt", "html"] {
            let each = args.contains(&"--each");
            let mut built_in: Vec<&str> = vec!["generate", "--lang", "all", "--format", format];
            built_in.extend_from_slice(args);
            let mut ejected = built_in.clone();
            ejected.extend(["--rules", if each { &member } else { &default }, "--templates", templates]);
            let (a, b) = (run(&built_in), run(&ejected));
            assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
            assert!(!a.stdout.is_empty());
            assert!(a.stdout == b.stdout, "{args:?} {format}: the ejected files give other bulletins");
        }
    }
    // The ejected folder replaces every built-in template: nothing in it replaces nothing.
    let r = run(&["validate", "--rules", &default, "--templates", templates]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);
}

#[test]
fn eject_replaces_nothing_unless_forced() {
    let dir = scratch("eject-again");
    assert_eq!(run(&["eject", dir.to_str().unwrap()]).code, 0);
    let edited = dir.join("rules/default.yaml");
    std::fs::write(&edited, "# my edits\n").unwrap();
    let r = run(&["eject", dir.to_str().unwrap()]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    let n = repository_files().len();
    let first = dir.join("rules/default.yaml");
    assert_eq!(
        r.stderr,
        format!(
            "tradescribe: error: {}: cannot write: the file exists, as do {} more of the files it would write; nothing \
             was written (--force replaces them)\n",
            first.display(),
            n - 1
        )
    );
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "# my edits\n");
    let r = run(&["eject", dir.to_str().unwrap(), "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), std::fs::read_to_string("rules/default.yaml").unwrap());
}
