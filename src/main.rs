//! The command line: parses arguments, runs the library, reports errors with exit codes.

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use tradescribe::dataset::Period;
use tradescribe::render::Format;
use tradescribe::rules::RulesSource;
use tradescribe::{Error, ExplainFormat, ExplainOptions, GenerateOptions, PeriodChoice, RunOptions};

/// Writes the monthly foreign-trade bulletin from trade statistics.
#[derive(Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    generate: GenerateArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Write a bulletin (the default when no command is given).
    Generate(GenerateArgs),
    /// Show every rule for a period: whether it fired, and the values its condition read.
    Explain(ExplainArgs),
    /// Check a dataset, rules and templates together, in every language a run writes; writes nothing.
    Validate(ValidateArgs),
    /// Check written bulletins (md, txt, html, json; as written or edited by hand) against the
    /// data: every sentence, and every figure in it; exit 7 on the first that the data does not give.
    Verify {
        /// The bulletins, named `<dataset>-<period>[-<member>]-<lang>.<ext>` as --out writes them
        /// (a JSON bulletin says its month and language itself).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The dataset folder they were written from.
        #[arg(long, default_value = "data/china-2019")]
        data: PathBuf,
        /// The month they are for, YYYY-MM, where their names do not say.
        #[arg(long)]
        period: Option<String>,
        /// Their language, where their names do not say.
        #[arg(long, value_parser = ["en", "zh"])]
        lang: Option<String>,
        /// The rules they were written with: a built-in name or a file [default: default; member
        /// for a member's bulletin].
        #[arg(long, value_name = "NAME|FILE")]
        rules: Option<String>,
        /// The folder of templates they were written with, if not the built-in ones.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Print every series' value, the value a year earlier and the growth for a month, as CSV.
    Stats {
        /// The dataset folder.
        #[arg(long, default_value = "data/china-2019")]
        data: PathBuf,
        /// The month, YYYY-MM, or `latest` (the latest month with a total).
        #[arg(long, default_value = "latest")]
        period: String,
    },
    /// Write the built-in rules and templates into a folder, to start editing from.
    Eject {
        /// The folder: the rules go in DIR/rules, the templates in DIR/templates/<lang>.
        dir: PathBuf,
        /// Replace files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these same definitions: the program's, or a
    /// command's (`man explain`); with --out, write every page into a folder.
    Man {
        /// A command whose page to print (generate, explain, validate...).
        command: Option<String>,
        /// Write tradescribe.1 and a page for each command (tradescribe-explain.1...) into this folder.
        #[arg(long, value_hint = clap::ValueHint::DirPath, conflicts_with = "command")]
        out: Option<PathBuf>,
    },
    /// Turn an office's files into a dataset folder (trade.csv, and dataset.yaml where it has none).
    Import {
        /// A built-in layout (census-country, comtrade, gacc) or a layout file (YAML).
        layout: String,
        /// The office's files: CSV, or spreadsheets (.xlsx, .xls, .ods).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The dataset folder to write into.
        #[arg(long)]
        out: PathBuf,
        /// For the gacc importer: the year of its tables to import.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write a starting dataset.yaml for canonical CSV: members, names, built-in groups.
    Init {
        /// The dataset folder.
        dir: PathBuf,
        /// The canonical CSV files, inside DIR.
        #[arg(long, required = true, num_args = 1..)]
        from: Vec<PathBuf>,
        /// The reporter's English name (Singapore, the United States).
        #[arg(long)]
        reporter: Option<String>,
        /// The currency, an ISO 4217 code (SGD).
        #[arg(long)]
        currency: Option<String>,
        /// Currency units in one unit of `value` (1000000 for millions).
        #[arg(long)]
        unit: Option<String>,
        /// The credit line, in English.
        #[arg(long)]
        source: Option<String>,
        /// The dataset's id, for output file names (the folder's name by default).
        #[arg(long)]
        id: Option<String>,
        /// Replace a dataset.yaml that is there.
        #[arg(long)]
        force: bool,
    },
}

/// What every command that writes or checks a bulletin reads.
#[derive(clap::Args, Clone)]
struct Inputs {
    /// The dataset folder (dataset.yaml plus CSV).
    #[arg(long, default_value = "data/china-2019")]
    data: PathBuf,
    /// The rules: a built-in name (default, member, us-census...) or a file [default: default;
    /// member with --each].
    #[arg(long, value_name = "NAME|FILE")]
    rules: Option<String>,
    /// A folder whose templates replace the built-in ones, file by file.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Language.
    #[arg(long, default_value = "en", value_parser = ["en", "zh", "all"])]
    lang: String,
}

#[derive(clap::Args, Clone)]
struct ValidateArgs {
    /// The dataset folder (dataset.yaml plus CSV).
    #[arg(long, default_value = "data/china-2019")]
    data: PathBuf,
    /// The rules: a built-in name (default, member, us-census...) or a file [default: default].
    #[arg(long, value_name = "NAME|FILE")]
    rules: Option<String>,
    /// A folder whose templates replace the built-in ones, file by file.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// The language to check, or `all` for every language with templates (what `--lang all`
    /// writes) [default: every language the dataset has names for].
    #[arg(long, value_parser = ["en", "zh", "all"])]
    lang: Option<String>,
}

#[derive(clap::Args, Clone)]
struct GenerateArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The month to report, YYYY-MM, or `latest` (the latest month every dimension has reached).
    #[arg(long, default_value = "latest", conflicts_with_all = ["from", "to"])]
    period: String,
    /// Every month from this one (YYYY-MM) to --to, instead of --period.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// The last month of a --from range.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Output formats, comma-separated: md, txt, html, json.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "md")]
    format: Vec<Format>,
    /// One bulletin for each member of this dimension (e.g. partner), with rules about one member
    /// (the built-in `member` rules unless --rules is given); files are `<dataset>-<period>-<member>-<lang>.<ext>`.
    #[arg(long, value_name = "DIMENSION")]
    each: Option<String>,
    /// Write `<dataset>-<period>-<lang>.<ext>` into this folder instead of printing.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a bulletin that already exists in --out.
    #[arg(long)]
    force: bool,
    /// No log line.
    #[arg(long, conflicts_with = "verbose")]
    quiet: bool,
    /// A log line for every file and every month passed over, besides the summary.
    #[arg(long)]
    verbose: bool,
}

#[derive(clap::Args, Clone)]
struct ExplainArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The month to explain, YYYY-MM, or `latest`.
    #[arg(long, default_value = "latest", conflicts_with = "from")]
    period: String,
    /// The backtest: every month from this one (YYYY-MM) to --to, counted rule by rule.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// The last month of a --from range.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Explain the member bulletins of this dimension (e.g. partner), with rules about one member
    /// (the built-in `member` rules unless --rules is given).
    #[arg(long, value_name = "DIMENSION")]
    each: Option<String>,
    /// With --each, the bulletin of this member alone (its id, e.g. canada).
    #[arg(long, value_name = "ID", requires = "each")]
    member: Option<String>,
    /// Compare with these rules (a built-in name or a file): the bulletins that would change, and how.
    #[arg(long, value_name = "NAME|FILE")]
    diff: Option<String>,
    /// `txt` for people, `csv` for a spreadsheet (a range or --diff), `json` for tools.
    #[arg(long, value_enum, default_value = "txt")]
    format: ExplainFormat,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => generate(cli.generate),
        Some(Command::Generate(args)) => generate(args),
        Some(Command::Explain(args)) => explain(args),
        Some(Command::Validate(args)) => {
            let inputs = Inputs {
                data: args.data,
                rules: args.rules,
                templates: args.templates,
                lang: args.lang.unwrap_or_default(),
            };
            options(inputs, "latest", Format::Md, false)
                .and_then(|opts| tradescribe::validate(&opts))
                .map(|text| emit(&text))
        }
        Some(Command::Eject { dir, force }) => tradescribe::eject(&dir, force).map(|written| {
            eprintln!(
                "tradescribe: wrote {} files to {}; edit them, then use them with --rules {} --templates {}",
                written.len(),
                dir.display(),
                dir.join("rules/default.yaml").display(),
                dir.join("templates").display()
            )
        }),
        Some(Command::Stats { data, period }) => period
            .parse()
            .map_err(|m| Error::Usage(format!("--period: {m}")))
            .and_then(|p| tradescribe::stats_csv(&data, p))
            .map(|text| emit(&text)),
        // Written in memory first: writing straight to a full stdout would panic inside clap.
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tradescribe", &mut script);
            emit(&String::from_utf8_lossy(&script));
            Ok(())
        }
        Some(Command::Man { command, out }) => man(command.as_deref(), out.as_deref()),
        Some(Command::Verify { files, data, period, lang, rules, templates }) => period
            .map(|p| p.parse().map_err(|m| Error::Usage(format!("--period: {m}"))))
            .transpose()
            .and_then(|period| {
                let rules = rules.as_deref().map(RulesSource::parse);
                let opts = tradescribe::VerifyOptions { files, data, period, lang, rules, templates };
                tradescribe::verify(&opts).map(|done| {
                    eprintln!(
                        "tradescribe: verified {} figures in {} files against {} ({} sentences as the data gives \
                         them, {} worded otherwise with their figures checked)",
                        done.figures,
                        done.files,
                        opts.data.display(),
                        done.same,
                        done.reworded
                    )
                })
            }),
        Some(Command::Import { layout, files, out, year }) => {
            tradescribe::import(&layout, &files, &out, year).map(|done| eprintln!("tradescribe: {done}"))
        }
        Some(Command::Init { dir, from, reporter, currency, unit, source, id, force }) => {
            let opts = tradescribe::InitOptions { dir, from, reporter, currency, unit, source, id, force };
            tradescribe::init(&opts).map(|done| eprintln!("tradescribe: {done}"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tradescribe: error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// The options of a command; `each` is whether bulletins are written for each member, whose
/// rules are the built-in `member` rules unless others are given.
/// Writes to stdout. A reader that stops early (`tradescribe stats | head`) is no fault of the
/// run, and the process ends quietly instead of panicking as `print!` would; a full disk is
/// reported with exit code 5.
fn emit(text: &str) {
    emit_bytes(text.as_bytes())
}

/// [`emit`] for bytes.
fn emit_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("tradescribe: error: stdout: cannot write: {e}");
            std::process::exit(5);
        }
    }
}

fn options(inputs: Inputs, period: &str, format: Format, each: bool) -> Result<GenerateOptions, Error> {
    let period: PeriodChoice = period.parse().map_err(|m| Error::Usage(format!("--period: {m}")))?;
    let default = if each { "member" } else { "default" };
    Ok(GenerateOptions {
        data: inputs.data,
        rules: RulesSource::parse(inputs.rules.as_deref().unwrap_or(default)),
        templates: inputs.templates,
        period,
        format,
        lang: inputs.lang,
    })
}

/// A month given with a flag (`--from`), if given.
fn month(s: &Option<String>, flag: &str) -> Result<Option<Period>, Error> {
    s.as_deref().map(|m| m.parse().map_err(|e| Error::Usage(format!("{flag}: {e}")))).transpose()
}

fn explain(args: ExplainArgs) -> Result<(), Error> {
    let opts = ExplainOptions {
        generate: options(args.inputs, &args.period, Format::Md, args.each.is_some())?,
        from: month(&args.from, "--from")?,
        to: month(&args.to, "--to")?,
        each: args.each,
        member: args.member,
        diff: args.diff.as_deref().map(RulesSource::parse),
        format: args.format,
    };
    tradescribe::explain(&opts).map(|text| emit(&text))
}

fn generate(args: GenerateArgs) -> Result<(), Error> {
    let started = std::time::Instant::now();
    // `--format md,md` is one Markdown file, not two writes of it.
    let mut formats = Vec::new();
    for f in args.format {
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    let opts = RunOptions {
        generate: options(args.inputs, &args.period, Format::Md, args.each.is_some())?,
        formats,
        from: month(&args.from, "--from")?,
        to: month(&args.to, "--to")?,
        out: args.out,
        force: args.force,
        each: args.each,
    };
    let bar = progress_bar(args.quiet);
    let report = tradescribe::run_with_progress(&opts, &mut |done, months| {
        // One month is done before a bar would tell anyone anything.
        if let Some(bar) = bar.as_ref().filter(|_| months > 1) {
            bar.set_length(months as u64);
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    emit(&report.printed);
    if !args.quiet {
        let recovered = &report.recovered;
        if recovered.completed > 0 {
            eprintln!(
                "tradescribe: completed the month an interrupted run had begun to rename into place ({} files)",
                recovered.completed
            );
        }
        if recovered.removed > 0 {
            eprintln!("tradescribe: removed {} temporary files left by runs that were killed", recovered.removed);
        }
        for why in &report.rewritten {
            eprintln!("tradescribe: {why}");
        }
    }
    if args.verbose {
        for p in &report.written {
            eprintln!("tradescribe: wrote {}", p.display());
        }
        for p in &report.kept {
            eprintln!(
                "tradescribe: {} exists, written from these same inputs; left as it is (--force replaces it)",
                p.display()
            );
        }
    }
    if args.verbose || opts.from.is_none() {
        for why in &report.skipped {
            eprintln!("tradescribe: passed over {why}");
        }
    }
    if args.verbose {
        for why in &report.passed_over {
            eprintln!("tradescribe: passed over {why}");
        }
    }
    if !args.quiet {
        eprintln!("tradescribe: {}; {} ms", summary(&report, opts.out.as_deref()), started.elapsed().as_millis());
        for note in &report.notes {
            eprintln!("tradescribe: {note}");
        }
    }
    Ok(())
}

/// A progress bar of the months done, on stderr when it is a terminal and the run is not
/// `--quiet`: under cron or a pipe, the one log line at the end is all that is written.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = indicatif::ProgressStyle::with_template("tradescribe: {bar:40} {pos}/{len} months, {eta} left")
        .expect("a valid template");
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr()).with_style(style);
    Some(bar)
}

/// The log line's account of a run: the months, the bulletins and their facts, the files.
fn summary(report: &tradescribe::RunReport, out: Option<&std::path::Path>) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let periods = match report.periods.as_slice() {
        [] if !report.kept.is_empty() => {
            let dir = out.map(|d| format!(" in {}", d.display())).unwrap_or_default();
            let kept = count(report.kept.len(), "file", "files");
            return format!("nothing to do: {kept} already written{dir} (--force replaces them)");
        }
        [] => "no month".to_string(),
        [one] => one.to_string(),
        [first, .., last] => format!("{} months, {first} to {last}", report.periods.len()),
    };
    let written = format!(
        "{periods}: {}, {}",
        count(report.bulletins, "bulletin", "bulletins"),
        count(report.facts, "fact", "facts")
    );
    match out {
        None => format!("{written}; printed"),
        Some(dir) if report.kept.is_empty() => {
            format!("{written}; {} written to {}", count(report.written.len(), "file", "files"), dir.display())
        }
        Some(dir) => format!(
            "{written}; {} written to {}, {} left as they were (--force replaces them)",
            count(report.written.len(), "file", "files"),
            dir.display(),
            count(report.kept.len(), "file", "files")
        ),
    }
}

/// The man page of the program or of one command, printed; or every page written into a folder.
/// Each page ends with the exit codes, which `clap_mangen` has no section for.
fn man(command: Option<&str>, out: Option<&std::path::Path>) -> Result<(), Error> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![cmd.clone()];
    pages.extend(cmd.get_subcommands().cloned());
    let page = |c: &clap::Command| -> Vec<u8> {
        let man = clap_mangen::Man::new(c.clone());
        let mut roff = Vec::new();
        // Writes into memory, which cannot fail; the options and commands sections only where
        // the page has any, as clap_mangen's own render does.
        let _ = man.render_title(&mut roff);
        let _ = man.render_name_section(&mut roff);
        let _ = man.render_synopsis_section(&mut roff);
        let _ = man.render_description_section(&mut roff);
        if c.get_arguments().any(|a| !a.is_hide_set()) {
            let _ = man.render_options_section(&mut roff);
        }
        if c.has_subcommands() {
            let _ = man.render_subcommands_section(&mut roff);
        }
        roff.extend_from_slice(b".SH \"EXIT STATUS\"\n");
        for (code, meaning) in tradescribe::EXIT_CODES {
            roff.extend_from_slice(format!(".TP\n{code}\n{}\n", meaning.replace('\\', "\\\\")).as_bytes());
        }
        roff.extend_from_slice(b".SH \"SEE ALSO\"\nThe reference: docs/src/SUMMARY.md in the repository.\n");
        if c.get_version().is_some() {
            let _ = man.render_version_section(&mut roff);
        }
        roff
    };
    let name = |c: &clap::Command| c.get_display_name().unwrap_or(c.get_name()).to_string();
    match (command, out) {
        (_, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Usage(format!("{}: cannot create the folder: {e}", dir.display())))?;
            for c in &pages {
                let path = dir.join(format!("{}.1", name(c)));
                std::fs::write(&path, page(c))
                    .map_err(|e| Error::Usage(format!("{}: cannot write: {e}", path.display())))?;
            }
            eprintln!("tradescribe: wrote {} man pages to {}", pages.len(), dir.display());
            Ok(())
        }
        (None, None) => {
            emit_bytes(&page(&pages[0]));
            Ok(())
        }
        (Some(sub), None) => match pages[1..].iter().find(|c| c.get_name() == sub) {
            Some(c) => {
                emit_bytes(&page(c));
                Ok(())
            }
            None => Err(Error::Usage(format!(
                "man {sub}: no such command; the commands are {}",
                pages[1..].iter().map(|c| c.get_name().to_string()).collect::<Vec<_>>().join(", ")
            ))),
        },
    }
}
