//! IOC004 cloud-metadata-access.

use super::super::patterns::CLOUD_METADATA;
use crate::context::{CodeFile, Cx};
use assay_core::Finding;

declare_rule! {
    /// ## What it does
    /// Flags the cloud instance-metadata endpoints (`169.254.169.254`,
    /// `metadata.google.internal`, Alibaba's `100.100.100.200`, the ECS task endpoint).
    ///
    /// ## Why it matters
    /// On a cloud VM or CI runner these endpoints hand out the machine's IAM credentials
    /// to any local process. Stealers query them right after install.
    ///
    /// ## Example
    /// ```python
    /// urlopen("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    /// ```
    ///
    /// ## False positives
    /// Cloud SDKs (botocore, google-auth, azure-identity) use them at runtime: low there;
    /// install-time or startup use is high.
    ///
    /// ## References
    /// - MITRE ATT&CK T1552.005 (Cloud Instance Metadata API)
    pub static META = CloudMetadataAccess;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    super::credential_endpoint(cx, f, out, &META, &CLOUD_METADATA, "metadata endpoint");
}
