//! What a resolved callee name means: the capability table.
//!
//! Names are dotted paths after import aliases are resolved (`sp.Popen` with
//! `import subprocess as sp` → `subprocess.Popen`). Calls on a call's result are
//! named by joining (`urlopen(u).read()` → `urllib.request.urlopen.read`).

use crate::Taint;

/// What a call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// exec/eval/compile/execfile/runpy: runs code given as data.
    Exec,
    /// Starts a process (subprocess, os.system/popen/exec*/spawn*, pty, startfile).
    ProcessSpawn,
    /// Opens a network connection or sends a request (HTTP clients, sockets, SMTP, FTP).
    Network,
    /// Name resolution (DNS), a common exfiltration channel.
    DnsLookup,
    /// Downloads straight to a file (urlretrieve, wget.download).
    Download,
    /// Reads the whole environment (`os.environ.copy()`, `dict(os.environ)`…).
    EnvHarvest,
    /// Reads one environment variable.
    EnvRead,
    /// Opens a file for reading.
    FileRead,
    /// Opens a file for writing, or writes one.
    FileWrite,
    /// Loads a native library (ctypes).
    NativeLoad,
    /// Imports a module named by a value (`__import__`, importlib).
    DynamicImport,
    /// Decodes data (base64, hex, zlib…).
    Decode,
    /// Decrypts data (Fernet, AES…).
    Decrypt,
    /// Turns bytes into a code object or objects (marshal/pickle loads).
    Deserialize,
    /// Keyboard, clipboard or screen capture.
    Surveillance,
    /// Opens a browser window.
    OpenBrowser,
    /// Changes file permissions (chmod).
    Chmod,
    /// Writes the Windows registry.
    RegistryWrite,
    /// Enumerates the user's files (walk/glob/listdir).
    FileEnumeration,
    /// Reads system identity (hostname, user name, platform, public IP helpers).
    SystemInfo,
    /// An encoded literal that decodes to a native executable (PE, ELF, Mach-O).
    EmbeddedExecutable,
    /// Redirects standard file descriptors (`os.dup2`), the core of a reverse shell.
    FdRedirect,
    /// A call of a function of the same file that writes network bytes to the file one of
    /// its arguments names (`download(url, path)`); `arg` is that argument (folded, or its
    /// source text). Droppers split the download and the start across small helpers.
    CallDownloadsTo,
    /// A call of a function of the same file that starts a process named by one of its
    /// arguments (`run(path)`); `arg` is that argument (folded, or its source text).
    CallRuns,
    /// Replaces a browser or runtime global that carries the user's traffic or wallet
    /// calls (`window.fetch = …`, `XMLHttpRequest.prototype.send = …`,
    /// `window.ethereum.request = …`, `Object.defineProperty(window, 'ethereum', …)`);
    /// `arg` is the global replaced. JavaScript only.
    GlobalHook,
}

impl EventKind {
    /// Stable lowercase name for evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Exec => "exec",
            EventKind::ProcessSpawn => "process",
            EventKind::Network => "network",
            EventKind::DnsLookup => "dns",
            EventKind::Download => "download",
            EventKind::EnvHarvest => "env-harvest",
            EventKind::EnvRead => "env-read",
            EventKind::FileRead => "file-read",
            EventKind::FileWrite => "file-write",
            EventKind::NativeLoad => "native-load",
            EventKind::DynamicImport => "dynamic-import",
            EventKind::Decode => "decode",
            EventKind::Decrypt => "decrypt",
            EventKind::Deserialize => "deserialize",
            EventKind::Surveillance => "surveillance",
            EventKind::OpenBrowser => "open-browser",
            EventKind::Chmod => "chmod",
            EventKind::RegistryWrite => "registry-write",
            EventKind::FileEnumeration => "file-enumeration",
            EventKind::CallDownloadsTo => "call-downloads-to",
            EventKind::CallRuns => "call-runs",
            EventKind::GlobalHook => "global-hook",
            EventKind::SystemInfo => "system-info",
            EventKind::EmbeddedExecutable => "embedded-executable",
            EventKind::FdRedirect => "fd-redirect",
        }
    }
}

/// Strip `builtins.` / `__builtins__.` and normalise Python 2 module names.
pub(crate) fn normalize(name: &str) -> String {
    let n = name
        .strip_prefix("builtins.")
        .or_else(|| name.strip_prefix("__builtins__."))
        .unwrap_or(name);
    let n = n.strip_prefix("__builtin__.").unwrap_or(n);
    // Vendored copies are the same API: `pip._vendor.requests.post` is `requests.post`.
    let n = [
        "pip._vendor.",
        "setuptools._vendor.",
        "pkg_resources._vendor.",
        "botocore.vendored.",
    ]
    .iter()
    .find_map(|p| n.strip_prefix(p))
    .unwrap_or(n);
    if let Some(rest) = n.strip_prefix("urllib2.") {
        return format!("urllib.request.{rest}");
    }
    n.to_owned()
}

/// The meaning of a call by its resolved name, and the taint its result carries.
pub(crate) fn classify_call(name: &str) -> Option<(EventKind, Taint)> {
    use EventKind::*;
    let none = Taint::default();
    let last = name.rsplit('.').next().unwrap_or(name);
    let r = match name {
        "exec" | "eval" | "execfile" | "runpy.run_path" | "runpy.run_module" | "code.interact" => {
            (Exec, none)
        }
        // compile() only turns source into a code object: its result carries the source's taint.
        "compile" | "types.FunctionType" | "types.CodeType" => (Exec, none),
        "__import__"
        | "importlib.import_module"
        | "importlib.__import__"
        | "imp.load_source"
        | "imp.load_module"
        | "importlib.machinery.SourceFileLoader"
        | "importlib.util.spec_from_file_location" => (DynamicImport, none),
        "subprocess.Popen"
        | "subprocess.call"
        | "subprocess.run"
        | "subprocess.check_call"
        | "subprocess.check_output"
        | "subprocess.getoutput"
        | "subprocess.getstatusoutput"
        | "os.system"
        | "os.popen"
        | "os.popen2"
        | "os.popen3"
        | "os.popen4"
        | "os.startfile"
        | "os.posix_spawn"
        | "os.posix_spawnp"
        | "pty.spawn"
        | "commands.getoutput"
        | "commands.getstatusoutput"
        | "asyncio.create_subprocess_shell"
        | "asyncio.create_subprocess_exec"
        | "win32api.ShellExecute"
        | "win32process.CreateProcess"
        | "popen2.popen2"
        | "platform.popen" => (ProcessSpawn, Taint::PROCESS_OUTPUT),
        n if n.starts_with("os.exec") || n.starts_with("os.spawn") => (ProcessSpawn, none),
        n if n.starts_with("ctypes.windll.shell32.ShellExecute") => (ProcessSpawn, none),
        "urllib.request.urlretrieve" | "urllib.urlretrieve" | "wget.download" => {
            (Download, Taint::NETWORK)
        }
        "urllib.request.urlopen"
        | "urllib.urlopen"
        | "urllib.request.Request"
        | "urllib.request.build_opener"
        | "http.client.HTTPConnection"
        | "http.client.HTTPSConnection"
        | "httplib.HTTPConnection"
        | "httplib.HTTPSConnection"
        | "socket.create_connection"
        | "smtplib.SMTP"
        | "smtplib.SMTP_SSL"
        | "ftplib.FTP"
        | "telnetlib.Telnet"
        | "urllib3.PoolManager"
        | "urllib3.request"
        | "pycurl.Curl"
        | "websocket.create_connection"
        | "websocket.WebSocketApp"
        | "aiohttp.ClientSession"
        | "aiohttp.request"
        | "paramiko.SSHClient"
        | "discord_webhook.DiscordWebhook"
        | "dhooks.Webhook"
        | "socket.socket.connect"
        | "http.client.HTTPSConnection.request"
        | "tornado.httpclient.HTTPClient"
        | "grequests.get"
        | "grequests.post"
        // GitPython clones fetch code from a remote.
        | "git.Repo.clone_from"
        | "git.Git.clone"
        | "git.cmd.Git.clone"
        // Clients that do not look like HTTP libraries but send data all the same.
        | "xmlrpc.client.ServerProxy"
        | "xmlrpclib.ServerProxy"
        | "logging.handlers.HTTPHandler"
        | "logging.handlers.SocketHandler"
        | "logging.handlers.DatagramHandler"
        | "logging.handlers.SMTPHandler" => (Network, Taint::NETWORK),
        n if n.starts_with("xmlrpc.client.ServerProxy.") || n.starts_with("xmlrpclib.ServerProxy.") => {
            (Network, Taint::NETWORK)
        }
        n if (n.starts_with("requests.") || n.starts_with("httpx."))
            && !n.contains(".exceptions")
            && !n.contains(".adapters")
            && !n.contains(".utils")
            && !n.contains(".auth")
            && !n.contains(".structures")
            && !n.contains(".codes")
            && !n.contains(".packages")
            && !n.contains(".Timeout")
            && !n.contains(".HTTPError")
            && !n.contains(".Response")
            && !n.contains(".Request")
            && !n.contains(".PreparedRequest")
            && !n.contains(".compat")
            && !n.contains(".models")
            && !n.contains(".status_codes") =>
        {
            (Network, Taint::NETWORK)
        }
        n if n.starts_with("urllib.request.urlopen.") || n.starts_with("urllib.urlopen.") => {
            (Network, Taint::NETWORK)
        }
        "socket.gethostbyname"
        | "socket.gethostbyname_ex"
        | "socket.getaddrinfo"
        | "dns.resolver.resolve"
        | "dns.resolver.query"
        | "dns.resolver.Resolver" => (DnsLookup, Taint::NETWORK),
        "os.environ.copy"
        | "os.environ.items"
        | "os.environ.keys"
        | "os.environ.values"
        | "os.environ.__str__"
        | "os.environ.__repr__" => (EnvHarvest, Taint::ENV),
        "os.getenv" | "os.environ.get" | "os.getenvb" | "os.environ.__getitem__" => (EnvRead, none),
        "open" | "io.open" | "codecs.open" => (FileRead, Taint::FILE_READ),
        "os.chmod" | "os.fchmod" => (Chmod, none),
        "os.makedirs" | "os.mkdir" | "shutil.copy" | "shutil.copy2" | "shutil.copyfile"
        | "shutil.move" | "os.rename" | "os.replace" => (FileWrite, none),
        "ctypes.CDLL"
        | "ctypes.cdll.LoadLibrary"
        | "ctypes.WinDLL"
        | "ctypes.windll.LoadLibrary"
        | "ctypes.windll.kernel32.LoadLibraryA"
        | "ctypes.windll.kernel32.VirtualAlloc"
        | "ctypes.PyDLL"
        | "ctypes.windll.kernel32.CreateThread"
        | "ctypes.windll.kernel32.RtlMoveMemory" => (NativeLoad, none),
        "base64.b64decode"
        | "base64.decodebytes"
        | "base64.decodestring"
        | "base64.urlsafe_b64decode"
        | "base64.standard_b64decode"
        | "base64.b32decode"
        | "base64.b16decode"
        | "base64.b85decode"
        | "base64.a85decode"
        | "binascii.a2b_base64"
        | "binascii.unhexlify"
        | "binascii.a2b_hex"
        | "bytes.fromhex"
        | "zlib.decompress"
        | "gzip.decompress"
        | "bz2.decompress"
        | "lzma.decompress"
        | "codecs.decode" => (Decode, Taint::DECODED),
        "marshal.loads" | "pickle.loads" | "cPickle.loads" | "dill.loads" | "cloudpickle.loads" => {
            (Deserialize, Taint::CODE_OBJECT)
        }
        n if n.ends_with("Fernet.decrypt") || n.contains("AES.new") || n.ends_with(".decrypt") => {
            (Decrypt, Taint::DECRYPTED)
        }
        "pynput.keyboard.Listener"
        | "pynput.mouse.Listener"
        | "keyboard.on_press"
        | "keyboard.hook"
        | "keyboard.read_key"
        | "pyperclip.paste"
        | "win32clipboard.GetClipboardData"
        | "PIL.ImageGrab.grab"
        | "ImageGrab.grab"
        | "pyautogui.screenshot"
        | "mss.mss"
        | "mss.mss.shot"
        | "cv2.VideoCapture"
        | "pyscreenshot.grab" => (Surveillance, none),
        "webbrowser.open" | "webbrowser.open_new" | "webbrowser.open_new_tab" => {
            (OpenBrowser, none)
        }
        "winreg.SetValueEx" | "_winreg.SetValueEx" | "winreg.CreateKey" | "_winreg.CreateKey"
        | "winreg.OpenKey" | "_winreg.OpenKey" | "winreg.CreateKeyEx" => (RegistryWrite, none),
        "os.dup2" => (FdRedirect, none),
        "os.walk" | "glob.glob" | "os.listdir" | "os.scandir" | "pathlib.Path.rglob"
        | "glob.iglob" => (FileEnumeration, none),
        "socket.gethostname" | "getpass.getuser" | "platform.node" | "platform.uname"
        | "os.getlogin" | "platform.platform" | "uuid.getnode" => (SystemInfo, Taint::IDENTITY),
        _ => {
            // Method calls on network responses: `.read()`, `.json()`, `.text` on a
            // tainted object propagate taint in the walker; nothing to classify here.
            let _ = last;
            return None;
        }
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(
            classify_call("subprocess.Popen").map(|x| x.0),
            Some(EventKind::ProcessSpawn)
        );
        assert_eq!(
            classify_call("os.execvp").map(|x| x.0),
            Some(EventKind::ProcessSpawn)
        );
        assert_eq!(
            classify_call("requests.post").map(|x| x.0),
            Some(EventKind::Network)
        );
        assert_eq!(classify_call("requests.exceptions.HTTPError"), None);
        assert_eq!(
            classify_call(&normalize("builtins.exec")).map(|x| x.0),
            Some(EventKind::Exec)
        );
        assert_eq!(
            classify_call(&normalize("urllib2.urlopen")).map(|x| x.0),
            Some(EventKind::Network)
        );
    }
}
