//! Unattended runs: the right month, each bulletin written once and whole, one run at a time,
//! and every figure of a written bulletin checked against the data.

mod common;
use common::{run, scratch};

#[test]
fn latest_passes_over_a_month_whose_partner_rows_have_not_arrived() {
    let r = run(&["--data", "tests/fixtures/incomplete", "--period", "latest"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("in the first two months of 2019"), "{}", r.stdout);
    assert!(
        r.stderr.contains("tradescribe: passed over 2019-03 has a total, but `partner` rows end in 2019-02"),
        "{}",
        r.stderr
    );
    // Asked for by name, March is refused: its partners' year to date would lack a month.
    let r = run(&["--data", "tests/fixtures/incomplete", "--period", "2019-03"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("partner/a total: no value for 2019-03"), "{}", r.stderr);
}

#[test]
fn a_second_run_changes_nothing() {
    let out = scratch("second-run");
    let dir = out.to_str().unwrap();
    let args = [
        "--data",
        "tests/fixtures/synthetic",
        "--from",
        "2019-01",
        "--to",
        "2019-02",
        "--format",
        "md,json",
        "--lang",
        "all",
        "--out",
        dir,
    ];
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Two bulletins, each in two languages and two formats: their facts are counted once, as
    // the English JSON lists them.
    let facts: usize = ["2019-01", "2019-02"]
        .iter()
        .map(|p| {
            let json = std::fs::read_to_string(out.join(format!("synthetic-{p}-en.json"))).unwrap();
            serde_json::from_str::<serde_json::Value>(&json).unwrap()["facts"].as_array().unwrap().len()
        })
        .sum();
    let want =
        format!("tradescribe: 2 months, 2019-01 to 2019-02: 2 bulletins, {facts} facts; 8 files written to {dir}; ");
    assert!(r.stderr.starts_with(&want), "{want}\n{}", r.stderr);
    // Every file, the hidden records of inputs too: a second run touches none of them.
    let before: Vec<(std::path::PathBuf, std::time::SystemTime, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.clone(), std::fs::metadata(&p).unwrap().modified().unwrap(), std::fs::read(&p).unwrap())
        })
        .collect();
    assert_eq!((before.len(), common::bulletins(&out).len()), (10, 8));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("tradescribe: nothing to do: 8 files already written in {dir} (--force replaces them)")),
        "{}",
        r.stderr
    );
    for (p, modified, bytes) in before {
        assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), modified, "{}", p.display());
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
    }
}

#[test]
fn a_held_lock_stops_a_second_run_and_a_dead_one_is_taken_over() {
    let out = scratch("locked");
    let lock = out.join(".tradescribe.lock");
    // The lock is the operating system's (flock), held here by this test's process on the file.
    std::fs::write(&lock, "process 123 on elsewhere, since 2019-08-08 09:30:00\n").unwrap();
    let held = std::fs::File::open(&lock).unwrap();
    held.try_lock().unwrap();
    let r = run(&["--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{}: another run (its lock file says: process 123 on elsewhere, since 2019-08-08 09:30:00) is \
             writing to this folder; this run wrote nothing.",
            lock.display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "nothing written");
    // Released (as when its process ends, however it ends), the file left behind blocks nothing,
    // whatever it names; the run removes it at the end.
    drop(held);
    let r = run(&["--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!lock.exists());
    assert!(out.join("china-2019-2019-07-en.md").exists());
}

#[test]
fn a_range_passes_over_months_without_data() {
    let out = scratch("range");
    let r = run(&[
        "--data",
        "tests/fixtures/synthetic",
        "--from",
        "2017-11",
        "--to",
        "2018-02",
        "--out",
        out.to_str().unwrap(),
        "--verbose",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("passed over 2017-11: no total trade in the data"), "{}", r.stderr);
    assert!(r.stderr.contains("tradescribe: 2 months, 2018-01 to 2018-02: 2 bulletins, "), "{}", r.stderr);
    let r = run(&["--from", "2019-02", "--to", "2019-01"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--from must not be after --to"), "{}", r.stderr);
}

#[test]
fn the_html_page_is_well_formed_and_escapes_names() {
    for (data, period) in
        [("data/china-2019", "2019-07"), ("tests/fixtures/incomplete", "2019-02"), ("data/us-census", "2020-04")]
    {
        for lang in ["en", "zh"] {
            let r = run(&["--data", data, "--period", period, "--format", "html", "--lang", lang]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            // Parse the page as XML: every element closed, every attribute quoted, every entity known.
            let body = r.stdout.trim_start_matches("<!DOCTYPE html>\n");
            let mut reader = quick_xml::Reader::from_str(body);
            let mut depth = 0i32;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => {
                        panic!("{data} {lang}: not well-formed at {}: {e}\n{}", reader.error_position(), r.stdout)
                    }
                }
            }
            assert_eq!(depth, 0, "{data} {lang}: unbalanced");
            // Every & starts one of the entities the page uses.
            for (i, _) in r.stdout.match_indices('&') {
                let rest = &r.stdout[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| rest.starts_with(e)),
                    "{data} {lang}: bare & at {i}"
                );
            }
            assert!(r.stdout.contains("<svg") && r.stdout.contains("<table>"), "{data} {lang}");
        }
    }
    let r = run(&["--data", "tests/fixtures/incomplete", "--period", "2019-02", "--format", "html"]);
    assert!(r.stdout.contains("&lt;b&gt;Alpha &amp; Co&lt;/b&gt;"), "{}", r.stdout);
    assert!(!r.stdout.contains("<b>Alpha"), "{}", r.stdout);
    assert!(r.stdout.contains("synthetic test figures (not official) &amp; &lt;no&gt; source"), "{}", r.stdout);
}

#[test]
fn verify_recomputes_every_figure_and_names_the_sentence_that_is_wrong() {
    let out = scratch("verify");
    let r = run(&[
        "--data",
        "data/us-census",
        "--from",
        "2019-01",
        "--to",
        "2019-03",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files: Vec<String> = common::bulletins(&out).iter().map(|n| out.join(n).display().to_string()).collect();
    let mut args = vec!["verify", "--data", "data/us-census"];
    args.extend(files.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("figures in 3 files against data/us-census"), "{}", r.stderr);
    // One figure changed by hand: verify fails on it.
    let file = out.join("us-census-2019-03-en.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = text.replacen("\"yoy_pct\": \"", "\"yoy_pct\": \"9", 1);
    std::fs::write(&file, tampered).unwrap();
    let r = run(&["verify", "--data", "data/us-census", file.to_str().unwrap()]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("us-census-2019-03-en.json: the sentence \""), "{}", r.stderr);
    assert!(r.stderr.contains("yoy_pct = \"9"), "{}", r.stderr);
    // The figure the data gives is written as a number, not as Rust's debug text (`Dec(4.2)`).
    assert!(r.stderr.contains("but the data gives ") && !r.stderr.contains("Dec("), "{}", r.stderr);
}

#[test]
fn a_dataset_id_cannot_reach_outside_the_output_folder() {
    let dir = scratch("bad-id");
    std::fs::copy("tests/fixtures/synthetic/trade.csv", dir.join("trade.csv")).unwrap();
    let yaml = std::fs::read_to_string("tests/fixtures/synthetic/dataset.yaml")
        .unwrap()
        .replace("id: synthetic", "id: ../../evil");
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    let r = run(&["--data", dir.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("`id: ../../evil` must be letters, digits"), "{}", r.stderr);
}

#[test]
fn completions_and_man_page_come_from_the_command_line_definition() {
    let r = run(&["completions", "bash"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--period") && r.stdout.contains("verify"), "{}", r.stdout);
    // The values of an option clap knows are offered: the languages and the formats.
    let explain = r.stdout.split("tradescribe__subcmd__explain)").nth(1).unwrap_or_default();
    assert!(r.stdout.contains("en zh all") && r.stdout.contains("md txt html json"), "{}", r.stdout);
    assert!(explain.contains("--from"), "explain's options are completed");
    let r = run(&["man"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains(".TH tradescribe 1"), "{}", r.stdout);
}

#[test]
fn the_man_page_has_the_exit_codes_and_every_page_it_names_can_be_printed() {
    let r = run(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let status = r.stdout.split(".SH \"EXIT STATUS\"").nth(1).expect("an EXIT STATUS section");
    for (code, meaning) in tradescribe::EXIT_CODES {
        assert!(status.contains(&format!(".TP\n{code}\n{meaning}\n")), "code {code} in:\n{status}");
    }
    // Every command the page refers to as tradescribe-<command>(1) has its own page.
    let named: Vec<&str> = r.stdout.split("tradescribe\\-").skip(1).filter_map(|s| s.split("(1)").next()).collect();
    assert!(named.len() >= 9, "{named:?}");
    for command in named {
        let page = run(&["man", command]);
        assert_eq!(page.code, 0, "man {command}: {}", page.stderr);
        assert!(page.stdout.contains(&format!(".TH tradescribe-{command} 1")), "{}", page.stdout);
        assert!(page.stdout.contains(".SH \"EXIT STATUS\""), "man {command}");
    }
    let r = run(&["man", "nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("man nope: no such command; the commands are generate, explain"), "{}", r.stderr);
    // --out writes the program's page and one per command.
    let dir = scratch("man-pages");
    let r = run(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["tradescribe.1", "tradescribe-generate.1", "tradescribe-explain.1", "tradescribe-verify.1"] {
        assert!(dir.join(page).is_file(), "{page}");
    }
}

#[test]
fn the_exit_codes_page_documents_every_code() {
    let doc = std::fs::read_to_string("docs/src/exit-codes.md").unwrap();
    for (code, _) in tradescribe::EXIT_CODES {
        assert!(doc.contains(&format!("\n| {code} | ")), "docs/src/exit-codes.md lacks code {code}");
    }
}
