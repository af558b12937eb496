//! The GitHub REST API as an [`assay_ci::pins::Lookup`], for `assay tags --online`
//! (`CI029` impostor commits, `CI030` ref confusion), on the HTTP client of
//! `assay_deps::net` (bounded in size and time; one HTTP stack in the binary).
//!
//! Base URL: `$ASSAY_GITHUB_API`, else `https://api.github.com`. `$GITHUB_TOKEN`, when
//! set, is sent as a bearer token (unauthenticated callers get 60 requests an hour).
//!
//! Reachability follows zizmor's impostor-commit audit: a commit is fine when it is the
//! head of a branch or tag (first page of each, `GET /repos/{o}/{r}/branches`,
//! `…/tags`), or when `GET /repos/{o}/{r}/compare/{base}...{sha}` says `behind` or
//! `identical` for the default branch or one of the first [`MAX_COMPARES`] branches and
//! tags. Ref confusion: `GET /repos/{o}/{r}/git/matching-refs/heads/{ref}` and
//! `…/tags/{ref}`, with an exact name match (the endpoint matches prefixes).

use assay_ci::pins::{Lookup, Reach, RefKinds};
use assay_deps::net::Client;
use serde_json::Value;

/// Largest JSON response read, bytes.
const MAX_BODY: u64 = 4 << 20;
/// Most compare requests per commit beyond the default branch.
pub const MAX_COMPARES: usize = 10;

/// A GitHub REST API client.
pub struct GitHub {
    client: Client,
    base: String,
    token: Option<String>,
}

impl GitHub {
    /// A client for `$ASSAY_GITHUB_API` (else api.github.com) with `timeout` per request.
    pub fn from_env(timeout: std::time::Duration) -> GitHub {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        GitHub {
            client: Client::new(assay_deps::net::Timeouts {
                connect: timeout,
                read: timeout,
                total: Some(timeout),
            }),
            base: env("ASSAY_GITHUB_API")
                .unwrap_or_else(|| "https://api.github.com".into())
                .trim_end_matches('/')
                .to_owned(),
            token: env("GITHUB_TOKEN"),
        }
    }

    /// `GET {base}{path}` as JSON: `Ok(None)` for 404 (and 422, GitHub's answer to a
    /// compare with an unknown commit), an error message for anything else but 2xx.
    fn get(&self, path: &str) -> Result<Option<Value>, String> {
        let url = format!("{}{path}", self.base);
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut headers = vec![
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        let r = self
            .client
            .get(&url, &headers, MAX_BODY)
            .map_err(|e| e.to_string())?;
        match r.status {
            200..=299 => serde_json::from_slice(&r.body)
                .map(Some)
                .map_err(|e| format!("{url}: not JSON: {e}")),
            404 | 422 => Ok(None),
            s => Err(format!("{url}: HTTP {s}")),
        }
    }

    /// Names and head commits of the first page of branches or tags.
    fn heads(&self, o: &str, r: &str, what: &str) -> Result<Vec<(String, String)>, String> {
        let v = self.get(&format!("/repos/{o}/{r}/{what}?per_page=100"))?;
        Ok(v.as_ref()
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|b| {
                        Some((
                            b.get("name")?.as_str()?.to_owned(),
                            b.get("commit")?.get("sha")?.as_str()?.to_ascii_lowercase(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Whether `sha` is an ancestor of (or equal to) `base`.
    fn contains(&self, o: &str, r: &str, base: &str, sha: &str) -> Result<bool, String> {
        let base = base.replace('%', "%25").replace('#', "%23");
        let v = self.get(&format!("/repos/{o}/{r}/compare/{base}...{sha}"))?;
        Ok(v.as_ref()
            .and_then(|v| v.get("status"))
            .and_then(Value::as_str)
            .is_some_and(|s| s == "behind" || s == "identical"))
    }

    fn matching(&self, o: &str, r: &str, kind: &str, name: &str) -> Result<bool, String> {
        let v = self.get(&format!("/repos/{o}/{r}/git/matching-refs/{kind}/{name}"))?;
        let want = format!("refs/{kind}/{name}");
        Ok(v.as_ref().and_then(Value::as_array).is_some_and(|a| {
            a.iter()
                .any(|x| x.get("ref").and_then(Value::as_str) == Some(want.as_str()))
        }))
    }
}

impl Lookup for GitHub {
    fn reach(&self, o: &str, r: &str, sha: &str) -> Result<Reach, String> {
        let Some(meta) = self.get(&format!("/repos/{o}/{r}"))? else {
            return Err(format!("repository {o}/{r} not found"));
        };
        let branches = self.heads(o, r, "branches")?;
        let tags = self.heads(o, r, "tags")?;
        if let Some((n, _)) = branches.iter().chain(tags.iter()).find(|(_, c)| c == sha) {
            return Ok(Reach::From(n.clone()));
        }
        let default = meta
            .get("default_branch")
            .and_then(Value::as_str)
            .unwrap_or("main")
            .to_owned();
        let mut bases = vec![default.clone()];
        bases.extend(
            branches
                .iter()
                .map(|(n, _)| n.clone())
                .filter(|n| *n != default)
                .chain(tags.iter().map(|(n, _)| n.clone()))
                .take(MAX_COMPARES),
        );
        for b in &bases {
            if self.contains(o, r, b, sha)? {
                return Ok(Reach::From(b.clone()));
            }
        }
        Ok(Reach::Nowhere {
            checked: bases.len(),
        })
    }

    fn kinds(&self, o: &str, r: &str, name: &str) -> Result<RefKinds, String> {
        Ok(RefKinds {
            branch: self.matching(o, r, "heads", name)?,
            tag: self.matching(o, r, "tags", name)?,
        })
    }
}
