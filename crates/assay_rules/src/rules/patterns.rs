//! String indicator sets shared by rules: compiled once, matched case-insensitively
//! against string literals (and decoded strings). Each set lists what it stands for;
//! keep entries to indicators with few benign uses.

use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Word boundaries are ASCII ones (`(?-u:\b)`): a Unicode `\b` keeps the regex engine
/// off its lazy DFA on non-ASCII text (a profile of a large SDK showed 18 % of the scan
/// in the fallback engine), and every indicator here is ASCII.
fn ascii_boundaries(p: &str) -> String {
    p.replace(r"\b", r"(?-u:\b)")
}

fn set(patterns: &[&str]) -> RegexSet {
    let ci: Vec<String> = patterns
        .iter()
        .map(|p| format!("(?i){}", ascii_boundaries(p)))
        .collect();
    build_set(ci)
}

/// Case-sensitive: for proper names (`Login Data`) whose lowercase forms are prose.
fn set_cs(patterns: &[&str]) -> RegexSet {
    build_set(patterns.iter().map(|p| ascii_boundaries(p)).collect())
}

/// A set with room for its lazy DFA: with the default 2 MiB cache the large
/// case-insensitive sets thrash and fall back to the slower PikeVM on long strings.
fn build_set(patterns: Vec<String>) -> RegexSet {
    #[allow(clippy::expect_used)]
    regex::RegexSetBuilder::new(patterns)
        .dfa_size_limit(32 << 20)
        .build()
        .expect("static pattern set compiles")
}

fn re(p: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(p).expect("static pattern compiles")
}

/// Credential stores of developer tools and the OS (names of files and directories).
pub static DEV_CREDENTIALS: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"\.ssh[/\\](id_|authorized_keys|known_hosts|config)",
        r"\.aws[/\\](credentials|config)",
        r"\.kube[/\\]config",
        r"\.docker[/\\]config\.json",
        r"\.npmrc",
        r"\.pypirc",
        r"\.git-credentials",
        r"\.netrc",
        r"/etc/shadow",
        r"\.gnupg",
        r"\.bash_history|\.zsh_history",
        r"gcloud[/\\](credentials\.db|application_default_credentials\.json|access_tokens\.db)",
        r"\.azure[/\\](accessTokens\.json|msal_token_cache)",
        r"\.config[/\\]gh[/\\]hosts\.yml",
        r"\.vault-token",
        r"\.terraform\.d[/\\]credentials",
    ];
    (set(&names), names)
});

/// A whole credential directory named as a path of its own (`/Users/' + u + '/.ssh`,
/// `~/.aws/`): what a stealer copies wholesale. Anchored at the end of the string, so
/// `~/.ssh/known_hosts` (matched by [`DEV_CREDENTIALS`]) and prose do not count.
pub static CREDENTIAL_DIR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[/\\~])\.(?:ssh|aws|kube|gnupg|docker|azure)[/\\]?$"));

/// A shell command that uploads a file: `curl -F name=@file`, `curl --form`, `curl -T`,
/// `curl --upload-file`, `curl --data-binary @file`, `curl -d @file`, `wget --post-file`.
/// Matched against a command string (or one of its literal pieces).
pub static SHELL_UPLOAD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r#"(?i)\bcurl\b.*(?:\s(?:-F|--form)\s*["']?[\w.-]*=@|\s(?:-T|--upload-file)\s"#,
        r#"|\s(?:--data-binary|--data|-d)\s*["']?@)|\bwget\b.*--post-file"#
    ))
});

/// Browser secret stores, chat-app tokens and crypto wallets: the targets of stealers.
pub static STEALER_TARGETS: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"Login Data",
        r"Local State",
        r"\bWeb Data\b",
        r"key[34]\.db",
        r"logins\.json",
        r"cookies\.sqlite",
        r"Local Storage[/\\]+leveldb",
        r"(?i:discord)(canary|ptb)?[/\\]+Local Storage",
        r"Telegram Desktop[/\\]+tdata",
        // Wallet folders are matched in any case: Windows paths are case-insensitive and
        // stealers write them lowercase (`appdata\\roaming\\exodus\\exodus.wallet`).
        r"(?i:wallet\.dat)",
        // Not an npm scope (`@exodus/bytes` is a package name).
        r"(?i:(?:^|[^@\w-])exodus[/\\])",
        r"(?i:\belectrum[/\\]+wallets)",
        r"(?i:\batomic[/\\]+local storage)",
        r"nkbihfbeogaeaoehlefnkodbefgpgknn",
        r"CryptUnprotectData",
        r"Steam[/\\]+config[/\\]+loginusers",
        r"FileZilla[/\\]+(recentservers|sitemanager)\.xml",
        r"\.ROBLOSECURITY",
    ];
    (set_cs(&names), names)
});

/// Public exfiltration and interaction services (webhooks, paste sites, tunnels, OAST).
pub static EXFIL_SERVICES: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"discord(app)?\.com/api/webhooks/\d{6,}/[\w-]{20,}",
        r"api\.telegram\.org/bot\d{6,}:[\w-]{20,}",
        // A Telegram bot token on its own (the URL is often built around it in an
        // f-string): `<bot id>:AA<33 characters>`. Case-sensitive: the `AA` is fixed.
        r"(?-i:\b\d{8,10}:AA[\w-]{33})(?:[^\w-]|$)",
        r"pastebin\.com/raw/\w+",
        r"paste\.ee/r/|hastebin\.com/raw|rentry\.co/\w+/raw|ghostbin",
        r"webhook\.site/[0-9a-f-]{8,}",
        r"[a-z0-9-]+\.ngrok(-free)?\.(io|app|dev)",
        r"\.(interact\.sh|oast\.(pro|live|site|online|fun|me)|oastify\.com|burpcollaborator\.net)",
        r"requestbin\.(net|com)|\.m\.pipedream\.net|pipedream\.net/",
        // gofile: an upload API or a share link with its id; the bare site or the
        // `/d/` prefix without an id is a reference to the site (yt-dlp's list of
        // unsupported sites), not a drop endpoint.
        r"transfer\.sh/|\bfile\.io/|anonfiles\.com|gofile\.io/(?:d/[A-Za-z0-9]|[a-ce-z])|bashupload\.com|0x0\.st",
        r"dnslog\.cn|ceye\.io|\.requestcatcher\.com|beeceptor\.com|hookbin\.com|canarytokens\.com",
        r"\.trycloudflare\.com|serveo\.net|localhost\.run|\.loca\.lt",
        r"cdn\.discordapp\.com/attachments/\d+/\d+/",
        r"typedwebhook\.tools|webhook\.cool|webhookrelay\.com",
        r"iplogger\.(com|org|ru|co)|grabify\.link|blasze\.|2no\.co/|yip\.su/",
        r"\.burpcollaborator\.|\.oast\.|\.interactsh\.",
    ];
    (set(&names), names)
});

/// URLs whose host is a literal public IPv4 address.
pub static RAW_IP_URL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:https?|ftp|tcp)://(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::\d+)?")
});

/// Crypto-mining pools and miners.
pub static MINING: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"stratum\+(tcp|ssl|tls)://",
        r"\bxmrig\b",
        r"minexmr\.com|supportxmr\.com|moneroocean\.stream|nanopool\.org|2miners\.com|f2pool\.com|hashvault\.pro|c3pool\.com|herominers\.com|unmineable\.com",
        r"--donate-level",
        r"\bcpuminer\b|\bnbminer\b|\bphoenixminer\b|\bt-rex\b.*-a\s",
    ];
    (set(&names), names)
});

/// Cloud instance metadata endpoints.
pub static CLOUD_METADATA: LazyLock<RegexSet> = LazyLock::new(|| {
    set(&[
        r"169\.254\.169\.254",
        r"metadata\.google\.internal",
        r"100\.100\.100\.200",
        r"fd00:ec2::254",
        r"169\.254\.170\.2",
    ])
});

/// Kubernetes service-account credentials.
pub static KUBERNETES_TOKEN: LazyLock<RegexSet> = LazyLock::new(|| {
    set(&[
        r"/var/run/secrets/kubernetes\.io/serviceaccount",
        r"/run/secrets/kubernetes\.io",
    ])
});

/// Persistence locations and commands.
pub static PERSISTENCE: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"\\CurrentVersion\\Run(Once)?\b",
        r"Start Menu\\Programs\\Startup|\\Startup\\[^\\]+\.(exe|bat|vbs|lnk|pyw)",
        r"schtasks(\.exe)?\s+/create",
        r"/etc/cron|crontab\s+-|\(crontab -l",
        r"/etc/systemd/system/|\.config/systemd/user/|systemctl\s+(--user\s+)?enable",
        r"\.config/autostart",
        r"Library/LaunchAgents|Library/LaunchDaemons",
        r"/etc/rc\.local|/etc/init\.d/",
        r"\.bashrc|\.zshrc|\.bash_profile",
    ];
    (set(&names), names)
});

/// Dangerous shell command shapes (download-and-run, encoded PowerShell, LOLBins).
pub static SHELL_COMMANDS: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"(curl|wget)\b[^|;&]*\|\s*(ba|z|da)?sh\b",
        r"(curl|wget)\b.*(&&|;)\s*(chmod\s+\+?[0-7x]+|\./|sh\s|bash\s|python)",
        r"powershell(\.exe)?\b.*(-e(nc|ncodedcommand)?\s|iex\b|invoke-expression|downloadstring|downloadfile|invoke-webrequest|iwr\s|-w(indowstyle)?\s+hidden|bypass|frombase64string|start-process|add-mppreference)",
        r"\bmshta(\.exe)?\b",
        r"certutil(\.exe)?\s+.*-(urlcache|decode)",
        r"bitsadmin(\.exe)?\s+/transfer",
        r"\brundll32(\.exe)?\s",
        r"regsvr32(\.exe)?\s+/s",
        r"base64\s+(-d|--decode)",
        r"\bnc(at)?\s+(-e|.*\s-e\s)|/dev/tcp/\d",
        r"\bstart\s+/(b|min)\b",
        r"\battrib\s+\+h",
        r"reg(\.exe)?\s+add\s+.*\\run",
        r"\\AppData\\(Roaming|Local)\\.*\.(exe|scr|bat|vbs)|%TEMP%\\.*\.(exe|scr|bat|vbs)|/tmp/[\w.-]+\s*(&&|;|$)",
        r"wscript(\.exe)?\s|cscript(\.exe)?\s",
        r"(curl|wget)\b.*\$\(",
        r"\bcurl\b.*\s(-F|--form|-d|--data(-binary|-raw|-urlencode)?|-T|--upload-file)\s",
        r"\bwget\b.*--post-(data|file)",
        r"\bstart\s+(\S*\\)?\S+\.(exe|bat|cmd|vbs|scr)\b|pythonw(\.exe)?\s",
        r"/bin/(ba)?sh\s+-i\b|\bcmd(\.exe)?\s+/[kK]\b",
        r"^\s*(shutdown|poweroff|halt)\b|\bshutdown\s+/[srp]|\brm\s+-[rf]{2}\s+(/\s|/\*|~|\$HOME)|\bmkfs\.|\bformat\s+[a-z]:",
        r#"(?i)appdata.*\.(pyw|exe|vbs|bat|scr)\b|\.pyw['")\s]"#,
        r"\bstart\s+https?://",
    ];
    (set(&names), names)
});

/// Sandbox, VM and analysis-tool detection strings.
pub static EVASION: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"vboxservice|vboxtray|vboxmouse|virtualbox",
        r"vmtoolsd|vmwaretray|vmware",
        r"sbiedll|sandboxie",
        r"wireshark|procmon|processhacker|x64dbg|x32dbg|ollydbg|ida64|fiddler|httpdebugger",
        r"isdebuggerpresent|checkremotedebuggerpresent",
        r"WDAGUtilityAccount|hal9th|george|Abby|Peter Wilson|hmarc|patex|JOHN-PC|RDhJ0CNFevzX|kEecfMwgj",
        r"qemu-ga|xenservice|prl_tools",
    ];
    (set(&names), names)
});

/// Markers of known Python obfuscators.
pub static OBFUSCATORS: LazyLock<(RegexSet, Vec<&'static str>)> = LazyLock::new(|| {
    let names = vec![
        r"__pyarmor__|pyarmor_runtime|pyarmor",
        r"BlankOBF|pyobfuscate|PlusOBF|oxyry|Hyperion-obf|Kramer-Specter|pyobf\.",
        r"(?i:obfuscated (with|by) )",
        // The marker Hyperion (a "FUD" obfuscator sold for stealers) writes at the top of
        // its output; its runtime then calls `exec` through tuple-assigned aliases.
        r#"__obfuscator__\s*=\s*['"]Hyperion|billythegoat356/Hyperion"#,
        // A builtin looked up by a computed name, with no fallback (`getattr(__builtins__,
        // name, OSError)` looking up an exception class by name is ordinary code).
        r#"getattr\(\s*__builtins__\s*,\s*[^'"\s),]+\s*\)|__builtins__\.__dict__\[\s*[^'"\s]"#,
    ];
    (set_cs(&names), names)
});

/// Names from `names` of the patterns in `s` that match.
pub fn matches<'a>(set: &(RegexSet, Vec<&'a str>), s: &str) -> Vec<&'a str> {
    set.0
        .matches(s)
        .iter()
        .filter_map(|i| set.1.get(i).copied())
        .collect()
}

/// Whether an IPv4 URL host is public (not loopback, private, link-local or unspecified).
pub fn is_public_ip(octets: [u8; 4]) -> bool {
    let ip = std::net::Ipv4Addr::from(octets);
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || octets[0] == 0
        || octets[0] >= 224)
}

/// Every indicator above in one set: string values that rules correlate with events
/// anywhere in the same file. The Python prefilter parses a file holding one of them
/// whole (see `assay_lang::analyze_python_reduced`). Add new indicator sets here.
/// Compiled over bytes without Unicode classes: a superset of the Unicode patterns for
/// this purpose, and it stays on the lazy DFA (Unicode `\\b` would not).
static INDICATORS: LazyLock<regex::bytes::RegexSet> = LazyLock::new(|| {
    let mut all: Vec<String> = Vec::new();
    for s in [
        &DEV_CREDENTIALS.0,
        &STEALER_TARGETS.0,
        &EXFIL_SERVICES.0,
        &MINING.0,
        &CLOUD_METADATA,
        &KUBERNETES_TOKEN,
        &PERSISTENCE.0,
        &SHELL_COMMANDS.0,
        &EVASION.0,
        &OBFUSCATORS.0,
    ] {
        all.extend(s.patterns().iter().cloned());
    }
    all.push(RAW_IP_URL.as_str().to_owned());
    #[allow(clippy::expect_used)]
    regex::bytes::RegexSetBuilder::new(all)
        .unicode(false)
        .build()
        .expect("indicator sets compile")
});

/// Whether `text` matches any indicator set of this module.
pub fn is_indicator(text: &[u8]) -> bool {
    INDICATORS.is_match(text)
}

#[cfg(test)]
mod indicator_tests {
    use super::is_indicator;

    #[test]
    fn indicators_cover_every_set() {
        for s in [
            "~/.ssh/id_rsa",
            "Local State",
            "https://discord.com/api/webhooks/123456789/abcdefghijklmnopqrstuvwxyz",
            "stratum+tcp://pool",
            "169.254.169.254",
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            "crontab -l",
            "curl http://x | sh",
            "vboxservice",
            "pyarmor_runtime",
            "http://203.0.113.9/x",
        ] {
            assert!(is_indicator(s.as_bytes()), "{s}");
        }
        assert!(!is_indicator(b"def add(a, b):\n    return a + b\n"));
    }
}
