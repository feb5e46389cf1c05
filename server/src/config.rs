//! TOML configuration files for the services (`--config FILE`): the keys are the long flag names
//! of the subcommand (`listen`, `rate-limit`, `trusted-proxy`, and whatever flags are added later,
//! flattened ones included), each checked against the clap command and its value parser, then
//! placed as arguments BEFORE the real ones, so the command line wins (the subcommands parse with
//! `args_override_self`). Order of precedence: command line, file, environment, default.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, Command};

/// The flag that names the file.
pub const FLAG: &str = "config";

/// Keys a file may not set.
const NOT_IN_FILES: &[&str] = &[FLAG, "help", "version"];

/// A configuration file that cannot be used; every message names the file and the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {file}: {reason}")]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is not TOML.
    #[error("{file} is not valid TOML: {reason}")]
    Toml {
        /// The file.
        file: PathBuf,
        /// The parser's message (line and column).
        reason: String,
    },
    /// A key that is no flag of the subcommand.
    #[error("{file}: unknown key `{key}`{hint}; `{command}` takes: {known}")]
    Unknown {
        /// The file.
        file: PathBuf,
        /// The key.
        key: String,
        /// A suggestion, when there is one.
        hint: String,
        /// The subcommand.
        command: String,
        /// The keys it takes.
        known: String,
    },
    /// A value of the wrong TOML type.
    #[error("{file}: key `{key}` must be {expected}, not {found}")]
    Type {
        /// The file.
        file: PathBuf,
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// A value the flag refuses.
    #[error("{file}: key `{key}`: {reason}")]
    Value {
        /// The file.
        file: PathBuf,
        /// The key.
        key: String,
        /// The flag's own message.
        reason: String,
    },
    /// `--config` without a file.
    #[error("--config needs a file")]
    Missing,
}

/// Returns `argv` with the arguments of the `--config` file (if the subcommand it names takes
/// `--config` and one is given) inserted right after the subcommand names, before the real
/// arguments. Keys whose flag is also on the command line are left out, so lists
/// (`trusted-proxy`) are replaced, not merged.
pub fn expand(cmd: &Command, argv: Vec<OsString>) -> Result<Vec<OsString>, ConfigError> {
    let mut cur = cmd;
    let mut at = 1;
    while let Some(sub) = argv
        .get(at)
        .and_then(|a| a.to_str())
        .and_then(|a| cur.find_subcommand(a))
    {
        cur = sub;
        at += 1;
    }
    if !cur.get_arguments().any(|a| a.get_long() == Some(FLAG)) {
        return Ok(argv);
    }
    let rest = &argv[at.min(argv.len())..];
    let Some(file) = config_path(rest)? else {
        return Ok(argv);
    };
    let given = given_flags(rest);
    let name = command_name(cmd, &argv[1..at.max(1)]);
    let generated = file_args(cur, &name, &file, &given)?;
    let mut out = argv[..at.min(argv.len())].to_vec();
    out.extend(generated);
    out.extend_from_slice(rest);
    Ok(out)
}

/// The subcommand's full name, for messages (`spur server tag`).
fn command_name(cmd: &Command, path: &[OsString]) -> String {
    let mut s = cmd.get_name().to_owned();
    for p in path {
        s.push(' ');
        s.push_str(&p.to_string_lossy());
    }
    s
}

/// The last `--config FILE` / `--config=FILE` before a `--`.
fn config_path(args: &[OsString]) -> Result<Option<PathBuf>, ConfigError> {
    let mut found = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(s) = a.to_str() else { continue };
        if s == "--" {
            break;
        }
        if s == "--config" {
            found = Some(PathBuf::from(it.next().ok_or(ConfigError::Missing)?));
        } else if let Some(v) = s.strip_prefix("--config=") {
            found = Some(PathBuf::from(v));
        }
    }
    Ok(found)
}

/// The long flags given on the command line.
fn given_flags(args: &[OsString]) -> Vec<String> {
    args.iter()
        .filter_map(|a| a.to_str())
        .take_while(|a| *a != "--")
        .filter_map(|a| a.strip_prefix("--"))
        .map(|a| a.split('=').next().unwrap_or(a).to_owned())
        .collect()
}

fn toml_type(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// A scalar as the text a flag would get; `None` for lists and tables.
fn scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// What TOML type the flag's parsed type wants: text for strings and paths, a number for numbers
/// (`None`: anything that parses, e.g. an address or a level).
fn wanted(arg: &Arg) -> Option<&'static str> {
    use std::any::TypeId;
    let t = arg.get_value_parser().type_id();
    let text = [
        TypeId::of::<String>(),
        TypeId::of::<PathBuf>(),
        TypeId::of::<OsString>(),
    ];
    let number = [
        TypeId::of::<u8>(),
        TypeId::of::<u16>(),
        TypeId::of::<u32>(),
        TypeId::of::<u64>(),
        TypeId::of::<usize>(),
        TypeId::of::<i32>(),
        TypeId::of::<i64>(),
        TypeId::of::<f32>(),
        TypeId::of::<f64>(),
    ];
    if text.iter().any(|x| t == *x) {
        Some("a string")
    } else if number.iter().any(|x| t == *x) {
        Some("a number")
    } else {
        None
    }
}

/// A scalar of the TOML type the flag wants, else the wrong-type refusal's `expected`.
fn typed_scalar(arg: &Arg, v: &toml::Value) -> Result<String, &'static str> {
    let s = scalar(v).ok_or("a string or a number")?;
    match (wanted(arg), v) {
        (Some("a string"), toml::Value::String(_)) => Ok(s),
        (Some("a number"), toml::Value::Integer(_) | toml::Value::Float(_)) => Ok(s),
        (Some(w), _) => Err(w),
        (None, _) => Ok(s),
    }
}

/// The arguments one file stands for.
fn file_args(
    cmd: &Command,
    name: &str,
    file: &Path,
    given: &[String],
) -> Result<Vec<OsString>, ConfigError> {
    let text = std::fs::read_to_string(file).map_err(|e| ConfigError::Read {
        file: file.to_owned(),
        reason: e.to_string(),
    })?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Toml {
        file: file.to_owned(),
        reason: e.to_string().trim().to_owned(),
    })?;
    let keys: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| a.get_long().is_some_and(|l| !NOT_IN_FILES.contains(&l)))
        .collect();
    let mut out = Vec::new();
    for (key, value) in &table {
        let Some(arg) = keys.iter().find(|a| a.get_long() == Some(key.as_str())) else {
            let dashed = key.replace('_', "-");
            let hint = if keys.iter().any(|a| a.get_long() == Some(dashed.as_str())) {
                format!(" (did you mean `{dashed}`?)")
            } else {
                String::new()
            };
            return Err(ConfigError::Unknown {
                file: file.to_owned(),
                key: key.clone(),
                hint,
                command: name.to_owned(),
                known: keys
                    .iter()
                    .filter_map(|a| a.get_long())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if given.iter().any(|g| g == key) {
            continue;
        }
        let flag = OsString::from(format!("--{key}"));
        let wrong = |expected| ConfigError::Type {
            file: file.to_owned(),
            key: key.clone(),
            expected,
            found: toml_type(value),
        };
        match arg.get_action() {
            ArgAction::SetTrue | ArgAction::SetFalse => match value {
                toml::Value::Boolean(b) => {
                    if *b == matches!(arg.get_action(), ArgAction::SetTrue) {
                        out.push(flag);
                    }
                }
                _ => return Err(wrong("true or false")),
            },
            ArgAction::Append => {
                let items = match value {
                    toml::Value::Array(items) => items.clone(),
                    v => vec![v.clone()],
                };
                for item in &items {
                    let s = typed_scalar(arg, item).map_err(|w| {
                        wrong(if w == "a number" {
                            "a list of numbers"
                        } else {
                            "a list of strings"
                        })
                    })?;
                    check_value(arg, file, key, &s)?;
                    out.push(flag.clone());
                    out.push(s.into());
                }
            }
            _ => {
                let s = typed_scalar(arg, value).map_err(wrong)?;
                check_value(arg, file, key, &s)?;
                out.push(flag);
                out.push(s.into());
            }
        }
    }
    Ok(out)
}

/// Runs the flag's own value parser, so a bad value is reported with the file and the key (on
/// a copy of the flag alone: its ties to other flags are checked when the whole line is parsed).
fn check_value(arg: &Arg, file: &Path, key: &str, value: &str) -> Result<(), ConfigError> {
    let alone = Arg::new(arg.get_id().clone())
        .required(true)
        .action(ArgAction::Set)
        .value_parser(arg.get_value_parser().clone());
    Command::new("config")
        .no_binary_name(true)
        .arg(alone)
        .try_get_matches_from([OsString::from(value)])
        .map(|_| ())
        .map_err(|e| {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("").trim();
            ConfigError::Value {
                file: file.to_owned(),
                key: key.to_owned(),
                reason: first.strip_prefix("error: ").unwrap_or(first).to_owned(),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, Parser, Subcommand};

    #[derive(Args, Debug)]
    struct Db {
        /// Pool size.
        #[arg(long, default_value_t = 4)]
        db_pool: u32,
    }

    #[derive(Args, Debug)]
    struct Serve {
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, default_value = "127.0.0.1:1")]
        listen: std::net::SocketAddr,
        #[arg(long, default_value_t = 20.0)]
        rate_limit: f64,
        #[arg(long)]
        create_secret: bool,
        #[arg(long)]
        trusted_proxy: Vec<String>,
        #[command(flatten)]
        db: Db,
    }

    #[derive(Subcommand, Debug)]
    enum Sub {
        #[command(args_override_self = true)]
        Serve(Serve),
    }

    #[derive(Parser, Debug)]
    #[command(name = "spur")]
    struct Cli {
        #[command(subcommand)]
        sub: Sub,
    }

    fn run(toml: &str, args: &[&str]) -> Result<Serve, String> {
        use clap::CommandFactory;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = dir.path().join("c.toml");
        std::fs::write(&file, toml).map_err(|e| e.to_string())?;
        let mut argv: Vec<OsString> = vec!["spur".into(), "serve".into()];
        argv.push("--config".into());
        argv.push(file.clone().into());
        argv.extend(args.iter().map(OsString::from));
        let argv = expand(&Cli::command(), argv).map_err(|e| e.to_string())?;
        let Sub::Serve(s) = Cli::try_parse_from(argv).map_err(|e| e.to_string())?.sub;
        Ok(s)
    }

    #[test]
    fn file_sets_and_command_line_wins() {
        let toml = "listen = \"127.0.0.1:9\"\nrate-limit = 5\ncreate-secret = true\n\
                    trusted-proxy = [\"10.0.0.0/8\", \"::1\"]\ndb-pool = 16\n";
        let s = run(toml, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.listen.port(), 9);
        assert!((s.rate_limit - 5.0).abs() < f64::EPSILON);
        assert!(s.create_secret);
        assert_eq!(s.trusted_proxy, ["10.0.0.0/8", "::1"]);
        assert_eq!(s.db.db_pool, 16, "flattened flags are keys too");
        let s = run(toml, &["--rate-limit", "7", "--trusted-proxy", "fd00::/8"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!((s.rate_limit - 7.0).abs() < f64::EPSILON);
        assert_eq!(
            s.trusted_proxy,
            ["fd00::/8"],
            "the list is replaced, not merged"
        );
        let s = run(toml, &["--listen=127.0.0.1:10"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.listen.port(), 10);
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let e = run("rate_limit = 5\n", &[]).err().unwrap_or_default();
        assert!(e.contains("c.toml") && e.contains("`rate_limit`"), "{e}");
        assert!(e.contains("did you mean `rate-limit`"), "{e}");
        let e = run("colour = 1\n", &[]).err().unwrap_or_default();
        assert!(
            e.contains("unknown key `colour`") && e.contains("listen"),
            "{e}"
        );
        let e = run("create-secret = \"yes\"\n", &[])
            .err()
            .unwrap_or_default();
        assert!(e.contains("`create-secret` must be true or false"), "{e}");
        let e = run("rate-limit = \"5\"\n", &[]).err().unwrap_or_default();
        assert!(
            e.contains("`rate-limit` must be a number, not a string"),
            "{e}"
        );
        let e = run("trusted-proxy = [1]\n", &[]).err().unwrap_or_default();
        assert!(
            e.contains("`trusted-proxy` must be a list of strings"),
            "{e}"
        );
        let e = run("listen = [1]\n", &[]).err().unwrap_or_default();
        assert!(e.contains("`listen` must be a string"), "{e}");
        let e = run("listen = \"nowhere\"\n", &[]).err().unwrap_or_default();
        assert!(
            e.contains("c.toml: key `listen`") && e.contains("nowhere"),
            "{e}"
        );
        let e = run("listen = \n", &[]).err().unwrap_or_default();
        assert!(e.contains("c.toml is not valid TOML"), "{e}");
        let e = run("config = \"x\"\n", &[]).err().unwrap_or_default();
        assert!(e.contains("unknown key `config`"), "{e}");
    }
}
