//! Every command the README and the book (docs/src) show is run, and what it prints compared
//! with what the page says it prints (trycmd), so an example cannot go stale.
//!
//! A page's commands are the `$ tradescribe ...` lines of its ```` ```console ```` blocks, run one
//! after another, stdout and stderr together, in a scratch copy of the repository's `data/`,
//! `docs/examples/` and `tests/fixtures/`, with the market table's `exports.csv` and
//! `imports.csv` beside them (the README imports them). A block a page introduces with
//! `<!-- file: NAME -->` is written to NAME first, so a layout or rules file a page shows is the
//! one its commands use. In the expected output `...` stands for any lines and `[..]` for the
//! rest of a line. `TRYCMD=overwrite cargo test --test docs` rewrites the pages with what the
//! commands print: read the diff before committing it.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The README and every chapter of the book.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![Path::new(ROOT).join("README.md")];
    let mut book: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    book.sort();
    pages.extend(book);
    pages
}

/// The fenced blocks of a page: (line of the fence, info string, the lines inside).
fn blocks(text: &str) -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &mut open {
            Some((_, fence, _, _)) if trimmed.starts_with(fence.as_str()) && trimmed[ticks..].trim().is_empty() => {
                let (at, _, info, lines) = open.take().unwrap();
                out.push((at, info, lines));
            }
            Some((.., lines)) => lines.push(line.to_string()),
            None if ticks >= 3 => open = Some((i + 1, "`".repeat(ticks), trimmed[ticks..].trim().to_string(), vec![])),
            None => {}
        }
    }
    out
}

/// A line that runs the program, however a page spells it.
fn runs_the_program(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches("$ ");
    ["tradescribe ", "target/release/tradescribe ", "cargo run --release -- ", "cargo run -- "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// A command's synopsis, as a reference page gives it: `tradescribe import LAYOUT FILE... --out DIR`.
fn synopsis(line: &str) -> bool {
    line.split_whitespace()
        .skip(1)
        .any(|w| w.starts_with('[') || (w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase() || ".|/".contains(c))))
}

#[test]
fn every_command_a_page_shows_is_in_a_console_block() {
    let mut wrong = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(ROOT).unwrap().display().to_string();
        for (at, info, lines) in blocks(&text) {
            // trycmd runs a block with no language as commands: a page must say what a block is.
            if info.is_empty() {
                wrong.push(format!(
                    "{name}:{at}: a block with no language (```text for output, ```console for commands)"
                ));
                continue;
            }
            let lang = info.split([',', ' ']).next().unwrap();
            // A block trycmd leaves alone must be run by the walkthrough test, which makes the
            // edit between its commands that trycmd cannot.
            if lang == "console" && info.split(',').any(|i| i == "ignore") {
                let walkthrough = std::fs::read_to_string(Path::new(ROOT).join("tests/explain.rs")).unwrap();
                for line in lines.iter().filter_map(|l| l.strip_prefix("$ ")) {
                    if !walkthrough.contains(&format!("\"{line}\"")) {
                        wrong.push(format!("{name}:{at}: `{line}` is in a ```console,ignore block, but tests/explain.rs does not run it"));
                    }
                }
                continue;
            }
            if lang == "console" {
                // trycmd reads a fence only at the start of a line: an indented block is not run.
                if !fenced_at_start(&text, at) {
                    wrong.push(format!("{name}:{at}: an indented ```console block, which trycmd does not run"));
                }
                continue;
            }
            // `sh` blocks hold what the tests cannot run: the README's first two commands
            // (cargo itself) and the install.
            for (n, line) in lines.iter().enumerate() {
                if runs_the_program(line) && !(lang == "text" && synopsis(line)) {
                    wrong.push(format!(
                        "{name}:{}: `{}` is in a ```{lang} block: show it as `$ tradescribe ...` in a ```console block with what it prints, so the tests run it",
                        at + n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Whether the fence on line `at` (from 1) starts at the start of the line.
fn fenced_at_start(text: &str, at: usize) -> bool {
    text.lines().nth(at - 1).is_some_and(|l| l.starts_with("```"))
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The files a page introduces with `<!-- file: NAME -->` just before a block.
fn shown_files(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (at, _, body) in blocks(text) {
        let before = lines[..at - 1].iter().rev().find(|l| !l.trim().is_empty());
        if let Some(name) = before.and_then(|l| l.trim().strip_prefix("<!-- file: ")?.strip_suffix(" -->")) {
            // Indented under a list item, as the README's are: the indent is the page's, not the file's.
            let indent = body.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
            let body: String =
                body.iter().map(|l| format!("{}\n", l.get(indent.unwrap_or(0)..).unwrap_or(""))).collect();
            out.push((name.to_string(), body));
        }
    }
    out
}

#[test]
fn every_command_a_page_shows_prints_what_the_page_says() {
    let scratch = tempfile::Builder::new().prefix("docs-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut copies = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        if !blocks(&text).iter().any(|(_, info, _)| info.split([',', ' ']).next() == Some("console")) {
            continue;
        }
        // docs/src/rules.md becomes docs-src-rules.md, beside its docs-src-rules.in folder,
        // where trycmd runs its commands.
        let flat = page.strip_prefix(ROOT).unwrap().display().to_string().replace('/', "-");
        let copy = scratch.path().join(&flat);
        let base = copy.with_extension("in");
        for dir in ["data", "docs/examples", "tests/fixtures"] {
            copy_tree(&Path::new(ROOT).join(dir), &base.join(dir));
        }
        for flow in ["exports.csv", "imports.csv"] {
            std::fs::copy(Path::new(ROOT).join("tests/fixtures/import/market-table").join(flow), base.join(flow))
                .unwrap();
        }
        for (name, body) in shown_files(&text) {
            std::fs::create_dir_all(base.join(&name).parent().unwrap()).unwrap();
            std::fs::write(base.join(name), body).unwrap();
        }
        std::fs::write(&copy, &text).unwrap();
        copies.push((page, copy));
    }
    assert!(copies.len() >= 4, "the README and the book show commands: {copies:?}");
    trycmd::TestCases::new()
        .register_bin("tradescribe", Path::new(env!("CARGO_BIN_EXE_tradescribe")))
        .case(scratch.path().join("*.md"))
        .run();
    if std::env::var("TRYCMD").as_deref() == Ok("overwrite") {
        for (page, copy) in copies {
            std::fs::copy(copy, page).unwrap();
        }
    }
}
