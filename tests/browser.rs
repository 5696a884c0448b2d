//! The release pages in a real browser: the English and Chinese pages of the shipped datasets,
//! opened in headless Chromium, must have no two text boxes of a chart overlapping, no text
//! sticking out of its chart, and every chart inside the viewport, at a desktop width and a
//! phone's. The page measures itself: a copy gets a script that reads the layout
//! (`getBoundingClientRect`) and writes a verdict into the DOM, which `--dump-dom` prints.
//! Screenshots are saved under `target/tmp/browser/`.
//!
//! Without Chromium the tests say so loudly and pass, so that `cargo test` passes on a fresh
//! clone; with `TRADESCRIBE_REQUIRE_BROWSER=1` (as `.ci/run` sets) a missing browser fails them.

mod common;

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where the browser is looked for, unless `TRADESCRIBE_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";

/// A desktop window and a phone's.
const WIDTHS: [u32; 2] = [1280, 390];

/// Reads the page's layout and writes what is wrong into `<pre id="tradescribe-verdict">`.
const CHECK: &str = r#"<script>
(function () {
  var problems = [];
  var vw = document.documentElement.clientWidth;
  var inside = function (r, b) {
    return r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
  };
  var svgs = document.querySelectorAll('svg');
  var count = 0;
  svgs.forEach(function (svg, k) {
    var name = svg.id || ('svg ' + (k + 1));
    var box = svg.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) problems.push(name + ': not laid out');
    if (box.left < -0.5 || box.right > vw + 0.5) {
      problems.push(name + ': outside the viewport (' + box.left.toFixed(1) + ' to ' + box.right.toFixed(1) + ' of ' + vw + ')');
    }
    var texts = Array.prototype.map.call(svg.querySelectorAll('text'), function (t) {
      return { text: t.textContent, r: t.getBoundingClientRect() };
    });
    count += texts.length;
    texts.forEach(function (a) {
      if (!inside(a.r, box)) problems.push(name + ': "' + a.text + '" sticks out of the chart');
    });
    for (var i = 0; i < texts.length; i++) {
      for (var j = i + 1; j < texts.length; j++) {
        var a = texts[i].r, b = texts[j].r;
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) {
          problems.push(name + ': "' + texts[i].text + '" overlaps "' + texts[j].text + '" (' + w.toFixed(1) + ' x ' + h.toFixed(1) + ' px)');
        }
      }
    }
  });
  if (document.documentElement.scrollWidth > vw + 1) problems.push('the page scrolls sideways');
  var pre = document.createElement('pre');
  pre.id = 'tradescribe-verdict';
  pre.textContent = JSON.stringify({ charts: svgs.length, texts: count, height: document.documentElement.scrollHeight, problems: problems });
  document.body.appendChild(pre);
})();
</script>"#;

/// The browser, or `None` after a loud note; a panic where the environment requires it.
fn browser() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var("TRADESCRIBE_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into()));
    if path.is_file() {
        return Some(path);
    }
    let required = std::env::var("TRADESCRIBE_REQUIRE_BROWSER").as_deref() == Ok("1");
    assert!(
        !required,
        "TRADESCRIBE_REQUIRE_BROWSER=1 but there is no {}: install it (apt-get install chromium fonts-noto-cjk)",
        path.display()
    );
    // Written to the process's stderr, past the test harness's capture, once: a skipped check
    // must be seen.
    static NOTE: std::sync::Once = std::sync::Once::new();
    NOTE.call_once(|| {
        let rule = "*".repeat(78);
        let note = format!(
            "\n{rule}\n* NOTE: no browser at {}: the release pages were NOT checked.\n\
             * Install it (apt-get install chromium fonts-noto-cjk), or set\n\
             * TRADESCRIBE_REQUIRE_BROWSER=1 to make its absence a failure.\n{rule}\n",
            path.display()
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes());
    });
    None
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium with a fresh profile on `page`, within a minute; returns its stdout.
fn chromium(browser: &Path, page: &Path, args: &[String]) -> String {
    let profile = tempdir(&format!("profile-{}", page.file_stem().unwrap().to_string_lossy()));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium took over a minute on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&profile);
    reader.join().unwrap()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = out_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page's verdict on itself at `width` pixels.
fn measure(browser: &Path, html: &str, name: &str, width: u32) -> Json {
    let page = out_dir().join(format!("{name}-check-{width}.html"));
    let body_end = html.rfind("</body>").expect("the page has a body");
    std::fs::write(&page, format!("{}{CHECK}{}", &html[..body_end], &html[body_end..])).unwrap();
    let dom = chromium(browser, &page, &["--dump-dom".into(), format!("--window-size={width},900")]);
    let start = dom.find("<pre id=\"tradescribe-verdict\">").unwrap_or_else(|| panic!("{name}: no verdict in:\n{dom}"));
    let rest = &dom[start..];
    let text = &rest[rest.find('>').unwrap() + 1..rest.find("</pre>").unwrap()];
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: verdict `{text}`: {e}"))
}

/// Checks a page at each width and saves a screenshot of it whole at the first.
fn check_page(browser: &Path, html: &str, name: &str) {
    let figures = html.matches("<figure>").count();
    for width in WIDTHS {
        let verdict = measure(browser, html, name, width);
        let problems: Vec<&str> = verdict["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert!(problems.is_empty(), "{name} at {width}px:\n  {}", problems.join("\n  "));
        assert_eq!(verdict["charts"].as_u64(), Some(figures as u64), "{name}: a chart in each figure");
        assert!(verdict["texts"].as_u64().unwrap() >= 2 * figures as u64, "{name}: the charts have their labels");
        if width == WIDTHS[0] {
            let page = out_dir().join(format!("{name}.html"));
            std::fs::write(&page, html).unwrap();
            let height = verdict["height"].as_u64().unwrap().clamp(600, 10_000);
            let png = out_dir().join(format!("{name}.png"));
            chromium(
                browser,
                &page,
                &[format!("--screenshot={}", png.display()), format!("--window-size=900,{height}")],
            );
            assert!(png.exists(), "{name}: no screenshot at {}", png.display());
            eprintln!("{name}: {} charts checked at {WIDTHS:?} px; screenshot {}", figures, png.display());
        }
    }
}

fn page(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "html"]);
    let r = common::run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn china_pages_have_legible_charts() {
    let Some(browser) = browser() else { return };
    for lang in ["en", "zh"] {
        check_page(&browser, &page(&["--lang", lang]), &format!("china-2019-{lang}"));
    }
}

#[test]
fn us_pages_have_legible_charts() {
    let Some(browser) = browser() else { return };
    for lang in ["en", "zh"] {
        let html = page(&["--data", "data/us-census", "--period", "2019-07", "--lang", lang]);
        check_page(&browser, &html, &format!("us-census-2019-07-{lang}"));
    }
}

#[test]
fn us_pages_with_the_us_rules_have_legible_charts() {
    let Some(browser) = browser() else { return };
    for lang in ["en", "zh"] {
        let html = page(&[
            "--data",
            "data/us-census",
            "--period",
            "2019-07",
            "--rules",
            "rules/us-census.yaml",
            "--lang",
            lang,
        ]);
        check_page(&browser, &html, &format!("us-census-rules-2019-07-{lang}"));
    }
}

/// The checker itself, on handmade pages: it must see an overlap, text outside its chart and a
/// chart wider than the window, and see nothing wrong in a clean chart.
#[test]
fn the_checker_catches_overlaps_and_charts_outside_the_viewport() {
    let Some(browser) = browser() else { return };
    let page =
        |svg: &str| format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/></head><body>{svg}</body></html>");
    let bad = page(
        "<svg id=\"bad\" width=\"1500\" height=\"100\" viewBox=\"0 0 1500 100\">\
         <text x=\"200\" y=\"50\" text-anchor=\"end\" font-size=\"13\">China</text>\
         <text x=\"174\" y=\"50\" font-size=\"12\">-13.6%</text>\
         <text x=\"1480\" y=\"50\" font-size=\"12\">cut off</text></svg>",
    );
    let verdict = measure(&browser, &bad, "checker-bad", 1000);
    let problems = verdict["problems"].to_string();
    assert!(problems.contains("\\\"China\\\" overlaps \\\"-13.6%\\\""), "{problems}");
    assert!(problems.contains("bad: outside the viewport"), "{problems}");
    assert!(problems.contains("\\\"cut off\\\" sticks out of the chart"), "{problems}");
    let good = page(
        "<svg id=\"good\" width=\"400\" height=\"100\" viewBox=\"0 0 400 100\">\
         <text x=\"100\" y=\"50\" text-anchor=\"end\" font-size=\"13\">China</text>\
         <text x=\"120\" y=\"50\" font-size=\"12\">−13.6%</text></svg>",
    );
    let verdict = measure(&browser, &good, "checker-good", 1000);
    assert_eq!(verdict["problems"], serde_json::json!([]), "{verdict}");
    assert_eq!(verdict["texts"], 2);
}
