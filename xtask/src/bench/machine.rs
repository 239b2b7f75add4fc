//! The machine the figures come from.

use super::common::command_line_output;

/// The machine the figures come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub os: String,
    pub kernel: String,
    pub docker: String,
    pub browser: Option<String>,
    pub rustc: String,
}

impl Machine {
    pub fn probe(browser: Option<String>) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        Machine {
            cpu: field(&cpuinfo, "model name", ':').unwrap_or_else(|| "unknown CPU".into()),
            cores: std::thread::available_parallelism().map_or(0, usize::from),
            memory_gib: field(&meminfo, "MemTotal", ':')
                .and_then(|v| v.split_whitespace().next().and_then(|k| k.parse::<f64>().ok()))
                .map_or(0.0, |kib| kib / 1024.0 / 1024.0),
            os: field(&os_release, "PRETTY_NAME", '=')
                .map(|v| v.trim_matches('"').to_string())
                .unwrap_or_else(|| "unknown OS".into()),
            kernel: command_line_output("uname", &["-r"]).unwrap_or_default(),
            docker: command_line_output(
                "docker",
                &[
                    "version",
                    "--format",
                    "{{.Server.Version}} (API {{.Server.APIVersion}})",
                ],
            )
            .unwrap_or_else(|| "unknown".into()),
            browser,
            rustc: command_line_output("rustc", &["--version"]).unwrap_or_default(),
        }
    }
}

/// `key<sep> value` from `key: value` / `KEY=value` text.
pub fn field(text: &str, key: &str, sep: char) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(sep)?;
        (k.trim() == key).then(|| v.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_value_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Some CPU @ 2GHz\n";
        assert_eq!(field(cpuinfo, "model name", ':').as_deref(), Some("Some CPU @ 2GHz"));
        assert_eq!(
            field("PRETTY_NAME=\"Debian 12\"\n", "PRETTY_NAME", '=').as_deref(),
            Some("\"Debian 12\"")
        );
        assert_eq!(field("", "x", ':'), None);
    }
}
