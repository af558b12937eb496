//! HTTP for `assay db update --from URL` and `assay deps --online` (cargo feature
//! `net`): a blocking `ureq` 3 client with rustls, bounded in size and time.
//!
//! Bounds: every response body is read through a counter and refused past its limit
//! (the `Content-Length` header is checked first when present, but never trusted
//! alone); connecting, waiting for the response head and every single read have a
//! timeout, so a server that stalls is an error, not a hang. Redirects are followed (at
//! most 5). Proxies come from the usual environment variables (`HTTPS_PROXY`, …), as
//! `ureq` reads them. Non-`2xx` statuses are returned to the caller, which decides what
//! a 304 or a 404 means.

use std::io::{Read, Write};
use std::time::Duration;

/// Errors of one HTTP request.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The request failed before or while reading the body: DNS, connection refused,
    /// TLS, timeout, malformed response.
    #[error("{url}: {source}")]
    Http {
        /// The URL requested.
        url: String,
        /// The client's error.
        source: Box<ureq::Error>,
    },
    /// The body is larger than the limit.
    #[error("{url}: response is larger than the {limit}-byte limit")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit, bytes.
        limit: u64,
    },
    /// Writing the downloaded body failed.
    #[error("{url}: writing the download: {source}")]
    Write {
        /// The URL requested.
        url: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Time limits of a client.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Connecting (DNS + TCP + TLS) and waiting for the response head.
    pub connect: Duration,
    /// Longest wait for any single read of the body (an idle timeout: a large
    /// download that keeps moving is not cut off).
    pub read: Duration,
    /// Whole request including the body; `None` for downloads of unknown duration.
    pub total: Option<Duration>,
}

/// A blocking HTTP client.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
}

/// A response whose body has been read in full (within the limit).
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The `Last-Modified` header, if any.
    pub last_modified: Option<String>,
    /// Body bytes (empty when streamed to a writer).
    pub body: Vec<u8>,
    /// Body length in bytes.
    pub len: u64,
}

/// The `User-Agent` of every request: `assay/<version> (+<contact>)`. crates.io's
/// crawler policy asks API clients to name themselves and a way to reach whoever runs
/// them; the contact is `$ASSAY_CONTACT` (a URL or e-mail address of the operator),
/// else the workspace's `repository` URL, else a note that none was configured.
pub fn user_agent() -> String {
    let contact = std::env::var("ASSAY_CONTACT")
        .ok()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty() && c.len() <= 200 && !c.chars().any(char::is_control))
        .or_else(|| Some(env!("CARGO_PKG_REPOSITORY").to_owned()).filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "no contact configured; set ASSAY_CONTACT".to_owned());
    format!("assay/{} (+{contact})", env!("CARGO_PKG_VERSION"))
}

/// The trust anchors, read once per client: the platform's trust store as
/// `rustls-native-certs` loads it — on Unix the PEM bundle named by `$SSL_CERT_FILE`
/// and the directory named by `$SSL_CERT_DIR` when either is set (OpenSSL's convention,
/// which curl, pip and git follow, so a TLS-inspecting proxy's CA is trusted), else the
/// system bundle (`/etc/ssl/certs/ca-certificates.crt` and the other locations
/// `openssl-probe` knows); the Keychain on macOS, the system store on Windows. When no
/// certificate can be read (a minimal container), Mozilla's root set (webpki) with a
/// warning naming what failed.
fn root_certs() -> ureq::tls::RootCerts {
    let loaded = rustls_native_certs::load_native_certs();
    let certs: Vec<ureq::tls::Certificate<'static>> = loaded
        .certs
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if certs.is_empty() {
        let why = loaded
            .errors
            .first()
            .map_or_else(|| "no certificate found".to_owned(), ToString::to_string);
        eprintln!("assay: warning: platform trust store: {why}; using the public root set");
        return ureq::tls::RootCerts::WebPki;
    }
    ureq::tls::RootCerts::new_with_certs(&certs)
}

impl Client {
    /// A client with these timeouts and the [`user_agent`].
    pub fn new(t: Timeouts) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(5)
            .timeout_connect(Some(t.connect))
            .timeout_recv_response(Some(t.connect))
            .timeout_per_read(Some(t.read))
            .timeout_global(t.total)
            .user_agent(user_agent())
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(root_certs())
                    .build(),
            )
            .build();
        Client {
            agent: config.into(),
        }
    }

    /// `GET url` with extra request headers; the body (when the status is 2xx) is
    /// written to `sink` and refused past `limit` bytes. Non-2xx bodies are discarded.
    pub fn get_to(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        limit: u64,
        sink: &mut dyn Write,
    ) -> Result<Response, NetError> {
        let http = |e: ureq::Error| NetError::Http {
            url: url.to_owned(),
            source: Box::new(e),
        };
        let mut req = self.agent.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut resp = req.call().map_err(http)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let mut out = Response {
            status,
            etag,
            last_modified,
            body: Vec::new(),
            len: 0,
        };
        if !(200..300).contains(&status) {
            return Ok(out);
        }
        let too_large = || NetError::TooLarge {
            url: url.to_owned(),
            limit,
        };
        if resp.body().content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut reader = resp.body_mut().with_config().limit(u64::MAX).reader();
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(http(ureq::Error::Io(e)));
                }
            };
            out.len += n as u64;
            if out.len > limit {
                return Err(too_large());
            }
            let chunk = buf.get(..n).unwrap_or_default();
            sink.write_all(chunk).map_err(|e| NetError::Write {
                url: url.to_owned(),
                source: e,
            })?;
        }
        Ok(out)
    }

    /// `GET url` into memory, at most `limit` bytes (see [`Client::get_to`]).
    pub fn get(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        limit: u64,
    ) -> Result<Response, NetError> {
        let mut body = Vec::new();
        let mut r = self.get_to(url, headers, limit, &mut body)?;
        r.body = body;
        Ok(r)
    }
}
