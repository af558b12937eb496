//! From findings to a verdict. The model is documented in `docs/scoring.md`; keep the
//! two in step.
//!
//! 1. Each finding is worth `points(severity) × weight(confidence)`.
//! 2. Repeats of one rule diminish: the k-th finding of a rule counts `0.5^(k-1)`, so a
//!    thousand weak matches do not add up to one strong one.
//! 3. Co-occurrence: when one file's code that runs without the user (install time,
//!    startup, import time) shows two or more distinct capabilities at medium severity
//!    or above, through findings of at least two different rules (e.g. reading
//!    credentials and using the network), a bonus is added.
//!    A `setup.py` that overrides the install command and has a high-severity
//!    install-time finding gets a further bonus (the hook is how the payload is delivered).
//! 4. Verdict: `malicious` when the score reaches [`ScoreModel::malicious`] or any
//!    finding is critical with at least medium confidence; `suspicious` when the points
//!    of medium-or-above findings reach [`ScoreModel::suspicious`] or any finding is
//!    high; else `clean`. Low findings (a capability in code the user calls) count
//!    towards `malicious` but never make an artifact `suspicious`: their number grows
//!    with a package's size, not with intent.
//! 5. Model files fail closed: a finding of the `ML` family at high or above (and at least
//!    medium confidence; model files inside packages are reported at low confidence) makes the
//!    verdict `malicious`, so a model file that would be `suspicious` still fails the
//!    default `--fail-on malicious` (loading it runs code assay could not vouch for).
//! 6. Pipeline weaknesses do not add up to a verdict: the points of `CI` findings are in
//!    the reported score but not in the thresholds. A weakness is not intent, so no `CI`
//!    finding makes a verdict `malicious`; a high or critical one makes a repository or
//!    workflow `suspicious` (gate on the finding with `--fail-on high|critical`). In a
//!    package (wheel, sdist, egg) the workflows it happens to ship decide nothing: a
//!    popular sdist with a `pull_request_target` weakness is not a suspicious package
//!    ([`ScoreModel::pipeline_verdicts`]).
//! 7. Agent skills and MCP (`SKILL`, `MCP`): text the model reads is intent, so these
//!    findings count like code findings — a critical one (a skill that reads
//!    credentials it never declares and sends them out, a tool description that orders
//!    the model to read a key file and pass it as a parameter) is `malicious`, a high one
//!    (an instruction to hide something from the user) `suspicious`. Three MCP rules
//!    describe how the user's configuration is put together rather than what a
//!    component does — toxic flows (`MCP004`), literal secrets (`MCP005`), unpinned
//!    launches (`MCP006`) — and are weaknesses like `CI` findings: reported in the
//!    score, never adding up to a verdict.

use assay_core::{Capability, Confidence, Family, Finding, McpRule, Rule, Severity, Verdict};
use std::collections::{BTreeMap, BTreeSet};

/// The model's constants.
#[derive(Debug, Clone, Copy)]
pub struct ScoreModel {
    /// Score at which an artifact is `malicious`.
    pub malicious: f64,
    /// Score at which an artifact is `suspicious`.
    pub suspicious: f64,
    /// Bonus for two or more automatic-context capabilities in one file.
    pub co_occurrence_bonus: f64,
    /// Bonus when a `setup.py` that overrides the install command (PKG010) also has a
    /// high or critical install-time finding.
    pub install_hook_bonus: f64,
    /// Whether a high or critical `CI` finding makes the verdict `suspicious` (step 6):
    /// true for repositories, `.github/` folders and workflow files, false for packages.
    pub pipeline_verdicts: bool,
}

impl Default for ScoreModel {
    fn default() -> Self {
        ScoreModel {
            malicious: 14.0,
            suspicious: 5.0,
            co_occurrence_bonus: 6.0,
            install_hook_bonus: 7.0,
            pipeline_verdicts: true,
        }
    }
}

/// Points of a severity before the confidence weight.
pub fn points(s: Severity) -> f64 {
    match s {
        Severity::Info => 0.0,
        Severity::Low => 1.0,
        Severity::Medium => 3.0,
        Severity::High => 7.0,
        Severity::Critical => 15.0,
    }
}

/// Weight of a confidence.
pub fn weight(c: Confidence) -> f64 {
    match c {
        Confidence::Low => 0.5,
        Confidence::Medium => 0.8,
        Confidence::High => 1.0,
    }
}

/// Score the findings of one artifact: `(verdict, score)`. The score is rounded to one
/// decimal so reports are stable.
pub fn score(findings: &[Finding]) -> (Verdict, f64) {
    score_with(findings, &ScoreModel::default())
}

/// [`score`] with an explicit model.
pub fn score_with(findings: &[Finding], m: &ScoreModel) -> (Verdict, f64) {
    // Keyed by rule; `Rule` orders by code, so the sum runs in the same order as ever.
    // Per rule: each finding's points, and whether it is evidence (medium or above).
    let mut per_rule: BTreeMap<Rule, Vec<(f64, bool)>> = BTreeMap::new();
    for f in findings {
        per_rule.entry(f.rule).or_default().push((
            points(f.severity) * weight(f.confidence),
            f.severity >= Severity::Medium,
        ));
    }
    let mut total = 0.0;
    // The part of `total` that low findings gave (step 4: they count towards
    // `malicious`, not towards `suspicious`).
    let mut low_part = 0.0;
    // Weakness findings (step 6) are in the reported score but never add up to a
    // verdict: kept apart and added after the thresholds are tested.
    let mut weakness = 0.0;
    for (rule, pts) in per_rule.iter_mut() {
        let intent = adds_up_to_malicious(*rule);
        pts.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut factor = 1.0;
        for &(p, evidence) in pts.iter() {
            if !intent {
                weakness += p * factor;
            } else {
                total += p * factor;
                if !evidence {
                    low_part += p * factor;
                }
            }
            factor *= 0.5;
        }
    }
    // Per file: capabilities and the distinct rules that showed them.
    let mut caps: BTreeMap<&str, (BTreeSet<Capability>, BTreeSet<Rule>)> = BTreeMap::new();
    for f in findings {
        if f.severity >= Severity::Medium
            && f.context.is_some_and(|c| c.is_automatic())
            && !f.capabilities.is_empty()
        {
            let e = caps.entry(f.location.path.as_str()).or_default();
            e.0.extend(f.capabilities.iter().copied());
            e.1.insert(f.rule);
        }
    }
    if caps
        .values()
        .any(|(c, rules)| c.len() >= 2 && rules.len() >= 2)
    {
        total += m.co_occurrence_bonus;
    }
    // A setup.py that replaces the install command and does something high-severity at
    // install time did it on purpose: the hook is the delivery, the finding the payload.
    let hooked: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.rule == Rule::InstallHookOverride)
        .map(|f| f.location.path.as_str())
        .collect();
    if findings.iter().any(|f| {
        f.severity >= Severity::High
            && f.context == Some(assay_core::ExecutionContext::InstallTime)
            && hooked.contains(f.location.path.as_str())
    }) {
        total += m.install_hook_bonus;
    }
    let counted = (total * 10.0).round() / 10.0;
    let evidence = ((total - low_part) * 10.0).round() / 10.0;
    let total = ((total + weakness) * 10.0).round() / 10.0;
    let intent = |f: &&Finding| adds_up_to_malicious(f.rule);
    let decisive = findings
        .iter()
        .filter(intent)
        .any(|f| f.severity == Severity::Critical && f.confidence >= Confidence::Medium);
    let high = findings
        .iter()
        .filter(intent)
        .any(|f| f.severity >= Severity::High);
    let pipeline_high = m.pipeline_verdicts
        && findings
            .iter()
            .any(|f| !adds_up_to_malicious(f.rule) && f.severity >= Severity::High);
    let model_fail_closed = findings.iter().any(|f| {
        f.severity >= Severity::High
            && f.confidence >= Confidence::Medium
            && fails_closed(f.rule.family())
    });
    let verdict = if counted >= m.malicious || decisive || model_fail_closed {
        Verdict::Malicious
    } else if evidence >= m.suspicious || high || pipeline_high {
        Verdict::Suspicious
    } else {
        Verdict::Clean
    };
    (verdict, total)
}

/// Whether a high finding of this family makes the verdict `malicious` by itself (step 5:
/// model files fail closed). Scan scoring has no per-rule weights — points come from
/// severity and confidence — so this is its one decision per kind of rule; the match is
/// exhaustive so that a new family has to make it.
fn fails_closed(family: Family) -> bool {
    match family {
        Family::Ml => true,
        Family::Py
        | Family::Pkg
        | Family::Arc
        | Family::Ioc
        | Family::Dep
        | Family::Git
        | Family::Ci
        | Family::Skill
        | Family::Mcp
        | Family::Rel
        | Family::Js => false,
    }
}

/// Whether the points of this rule's findings add up to a verdict (step 6). Workflow
/// (`CI`) findings describe weaknesses of a pipeline, not intent: a repository with
/// twenty unpinned actions is careless, not hostile. Their severity alone decides: a
/// high finding (an injection an outsider can start) is `suspicious`, a critical one (a
/// complete path to publishing) `malicious`. The same holds for the three MCP findings
/// about how a configuration is put together (step 7): toxic flows, literal secrets and
/// unpinned launches are weaknesses of the user's setup, not of a component.
fn adds_up_to_malicious(rule: Rule) -> bool {
    match rule.family() {
        Family::Ci => false,
        Family::Mcp => !matches!(
            McpRule::try_from(rule),
            Ok(McpRule::ToxicFlow | McpRule::ServerEnvSecret | McpRule::UnpinnedServerLaunch)
        ),
        Family::Py
        | Family::Pkg
        | Family::Arc
        | Family::Ioc
        | Family::Dep
        | Family::Git
        | Family::Ml
        | Family::Skill
        | Family::Rel
        | Family::Js => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::{ExecutionContext, Location};

    fn f(
        code: &str,
        s: Severity,
        c: Confidence,
        ctx: Option<ExecutionContext>,
        caps: &[Capability],
    ) -> Finding {
        let rule = Rule::from_code(code).unwrap();
        let mut x = Finding::new(rule, s, c, Location::file("a.py"), "e");
        x.context = ctx;
        x.capabilities = caps.to_vec();
        x
    }

    #[test]
    fn one_weak_runtime_capability_is_clean() {
        let v = score(&[f(
            "PY004",
            Severity::Low,
            Confidence::Medium,
            Some(ExecutionContext::Runtime),
            &[Capability::Process],
        )]);
        assert_eq!(v.0, Verdict::Clean);
    }

    #[test]
    fn low_findings_count_towards_malicious_not_suspicious() {
        let rt = Some(ExecutionContext::Runtime);
        // Six different low-severity capabilities in runtime code (a big package): 6 points,
        // over the suspicious threshold, and still clean.
        let lows: Vec<Finding> = ["PY004", "PY005", "PY006", "PY007", "PY008", "PY011"]
            .iter()
            .map(|c| f(c, Severity::Low, Confidence::High, rt, &[]))
            .collect();
        let (v, s) = score(&lows);
        assert!(s >= 5.0, "{s}: the points are still reported");
        assert_eq!(v, Verdict::Clean);
        // One medium rule beside them is still short of the threshold on its own.
        let mut one_medium = lows.clone();
        one_medium.push(f("PY003", Severity::Medium, Confidence::High, rt, &[]));
        assert_eq!(score(&one_medium).0, Verdict::Clean);
        // Two medium rules are evidence enough.
        one_medium.push(f("PY009", Severity::Medium, Confidence::High, rt, &[]));
        assert_eq!(score(&one_medium).0, Verdict::Suspicious);
        // Lows still count towards malicious: a high and two medium rules are 13 points,
        // short of 14; with the six lows beside them, 19.
        let strong = vec![
            f("PY005", Severity::High, Confidence::High, rt, &[]),
            f("PY003", Severity::Medium, Confidence::High, rt, &[]),
            f("PY009", Severity::Medium, Confidence::High, rt, &[]),
        ];
        assert_eq!(score(&strong).0, Verdict::Suspicious);
        let mut with_lows = strong.clone();
        with_lows.extend(lows.iter().cloned());
        assert_eq!(score(&with_lows).0, Verdict::Malicious);
    }

    #[test]
    fn pipeline_weaknesses_do_not_add_up() {
        let hygiene: Vec<Finding> = ["CI006", "CI007", "CI008", "CI009", "CI010", "CI013"]
            .iter()
            .flat_map(|c| (0..20).map(|_| f(c, Severity::Medium, Confidence::High, None, &[])))
            .collect();
        let (v, s) = score(&hygiene);
        assert_eq!(v, Verdict::Clean);
        assert!(s > 14.0, "{s}: the points are still reported");
        let mut with_high = hygiene.clone();
        with_high.push(f("CI002", Severity::High, Confidence::Medium, None, &[]));
        assert_eq!(score(&with_high).0, Verdict::Suspicious);
        with_high.push(f(
            "CI016",
            Severity::Critical,
            Confidence::Medium,
            None,
            &[],
        ));
        assert_eq!(
            score(&with_high).0,
            Verdict::Suspicious,
            "a weakness, not intent"
        );
        let package = ScoreModel {
            pipeline_verdicts: false,
            ..ScoreModel::default()
        };
        assert_eq!(score_with(&with_high, &package).0, Verdict::Clean);
    }

    #[test]
    fn repeats_diminish() {
        let many: Vec<Finding> = (0..100)
            .map(|_| f("PY004", Severity::Medium, Confidence::High, None, &[]))
            .collect();
        let (v, s) = score(&many);
        assert!(s < 6.1, "{s}");
        assert_eq!(v, Verdict::Suspicious);
    }

    #[test]
    fn critical_is_decisive_and_co_occurrence_adds() {
        assert_eq!(
            score(&[f("PY001", Severity::Critical, Confidence::High, None, &[])]).0,
            Verdict::Malicious
        );
        let ctx = Some(ExecutionContext::InstallTime);
        let pair = [
            f(
                "PY005",
                Severity::High,
                Confidence::Medium,
                ctx,
                &[Capability::Network],
            ),
            f(
                "PY007",
                Severity::Medium,
                Confidence::Medium,
                ctx,
                &[Capability::Env],
            ),
        ];
        let (v, s) = score(&pair);
        assert_eq!(v, Verdict::Malicious, "{s}");
    }
}
