//! The command line: parses arguments, runs the library, reports errors with exit codes.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use tradescribe::render::Format;
use tradescribe::{Error, GenerateOptions, PeriodChoice, Saved};

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
    /// Check a dataset, rules and templates together; writes nothing.
    Validate(Inputs),
    /// Convert an official file into a canonical dataset folder.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The U.S. Census Bureau's country.csv (U.S. Trade in Goods by Country).
    CensusCountry {
        /// The Census file.
        file: PathBuf,
        /// The dataset folder to write trade.csv and dataset.yaml into.
        #[arg(long, default_value = "data/us-census")]
        out: PathBuf,
    },
}

/// What every command that writes or checks a bulletin reads.
#[derive(clap::Args, Clone)]
struct Inputs {
    /// The dataset folder (dataset.yaml plus CSV).
    #[arg(long, default_value = "data/china-2019")]
    data: PathBuf,
    /// The rules file.
    #[arg(long, default_value = "rules/default.yaml")]
    rules: PathBuf,
    /// A folder whose templates replace the built-in ones, file by file.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Language.
    #[arg(long, default_value = "en", value_parser = ["en", "zh", "all"])]
    lang: String,
}

#[derive(clap::Args, Clone)]
struct GenerateArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The month to report, YYYY-MM, or `latest`.
    #[arg(long, default_value = "latest")]
    period: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
    /// Write `<dataset>-<period>-<lang>.<ext>` into this folder instead of printing.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a bulletin that already exists in --out.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Clone)]
struct ExplainArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The month to explain, YYYY-MM, or `latest`.
    #[arg(long, default_value = "latest")]
    period: String,
    /// `txt` for people, `json` for tools.
    #[arg(long, default_value = "txt", value_parser = ["txt", "json"])]
    format: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => generate(cli.generate),
        Some(Command::Generate(args)) => generate(args),
        Some(Command::Explain(args)) => options(args.inputs, &args.period, Format::Md).and_then(|mut opts| {
            if args.format == "json" {
                opts.format = Format::Json;
            }
            // What a rule does does not depend on the language; `all` explains with English templates.
            if opts.lang == "all" {
                opts.lang = "en".into();
            }
            tradescribe::explain(&opts).map(|text| print!("{text}"))
        }),
        Some(Command::Validate(inputs)) => options(inputs, "latest", Format::Md).and_then(|opts| {
            for lang in languages(&opts.lang) {
                print!("{}", tradescribe::validate(&GenerateOptions { lang: lang.into(), ..opts.clone() })?);
            }
            Ok(())
        }),
        Some(Command::Import(ImportCommand::CensusCountry { file, out })) => tradescribe::import_census(&file, &out)
            .map(|done| {
                eprintln!(
                    "tradescribe: wrote {} rows through {} to {} and {}",
                    done.rows,
                    done.latest,
                    done.csv.display(),
                    done.yaml.display()
                );
            }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tradescribe: error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn options(inputs: Inputs, period: &str, format: Format) -> Result<GenerateOptions, Error> {
    let period: PeriodChoice = period.parse().map_err(|m| Error::Usage(format!("--period: {m}")))?;
    Ok(GenerateOptions {
        data: inputs.data,
        rules: inputs.rules,
        templates: inputs.templates,
        period,
        format,
        lang: inputs.lang,
    })
}

fn generate(args: GenerateArgs) -> Result<(), Error> {
    let opts = options(args.inputs, &args.period, args.format)?;
    // Every language is written in memory before any is printed or saved: a fault in one
    // language's templates leaves no bulletin in the other.
    let mut all = Vec::new();
    for lang in languages(&opts.lang) {
        all.push(tradescribe::generate(&GenerateOptions { lang: lang.into(), ..opts.clone() })?);
    }
    for written in all {
        match &args.out {
            None => print!("{}", written.text),
            Some(dir) => match tradescribe::save(&written, dir, args.force)? {
                Saved::Written(path) => eprintln!("tradescribe: wrote {} ({} facts)", path.display(), written.facts),
                Saved::Kept(path) => {
                    eprintln!("tradescribe: {} exists; left as it is (use --force to replace it)", path.display())
                }
            },
        }
    }
    Ok(())
}

/// `all` is every language with templates; any other value is itself.
fn languages(lang: &str) -> Vec<&str> {
    if lang == "all" { tradescribe::render::LANGUAGES.to_vec() } else { vec![lang] }
}
