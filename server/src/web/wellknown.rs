//! The app-links files generated from the deployment's configuration: Android's
//! `assetlinks.json` (package name and signing-certificate SHA-256 fingerprints) and Apple's
//! `apple-app-site-association` (`TEAMID.bundle` app ids), so that an installed app opens the
//! code URLs `/P`, `/C` and `/A` itself.

use serde::Serialize;

/// The code paths an installed app claims.
pub const CODE_PATHS: [&str; 3] = ["/P", "/C", "/A"];

/// A configuration value the app-links files cannot carry.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AppLinksError {
    /// Not a Java-style package name (`org.spur.android`).
    #[error("--android-package must be a package name such as org.spur.android")]
    Package,
    /// Not 32 bytes of hex (with or without colons).
    #[error(
        "--android-cert-sha256 must be a SHA-256 fingerprint: 32 bytes in hex, colons allowed"
    )]
    Fingerprint,
    /// Not `TEAMID.bundle.id`.
    #[error(
        "--apple-app-id must be TEAMID.bundle.id (a 10-character team id, a dot, a bundle id)"
    )]
    AppleAppId,
}

/// What the deployment configured; a file with nothing to say is not served (404).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppLinks {
    android_package: String,
    android_certs: Vec<String>,
    apple_app_ids: Vec<String>,
}

fn is_package(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    s.len() <= 255
        && parts.len() >= 2
        && parts.iter().all(|p| {
            p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// `AB:CD:…` (upper case, colon-separated), the form Android's verifier compares.
fn fingerprint(s: &str) -> Result<String, AppLinksError> {
    let hex: String = s.chars().filter(|c| *c != ':').collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppLinksError::Fingerprint);
    }
    let upper = hex.to_ascii_uppercase();
    let pairs: Vec<&str> = (0..32)
        .filter_map(|i| upper.get(i * 2..i * 2 + 2))
        .collect();
    Ok(pairs.join(":"))
}

fn is_apple_app_id(s: &str) -> bool {
    let Some((team, bundle)) = s.split_once('.') else {
        return false;
    };
    team.len() == 10
        && team
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !bundle.is_empty()
        && bundle.len() <= 155
        && bundle
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

impl AppLinks {
    /// Checks and normalises the configured values.
    pub fn new(
        android_package: &str,
        android_certs: &[String],
        apple_app_ids: &[String],
    ) -> Result<Self, AppLinksError> {
        if !is_package(android_package) {
            return Err(AppLinksError::Package);
        }
        let android_certs = android_certs
            .iter()
            .map(|c| fingerprint(c.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        if !apple_app_ids.iter().all(|a| is_apple_app_id(a)) {
            return Err(AppLinksError::AppleAppId);
        }
        Ok(Self {
            android_package: android_package.to_owned(),
            android_certs,
            apple_app_ids: apple_app_ids.to_vec(),
        })
    }

    /// `/.well-known/assetlinks.json`, or None when no certificate fingerprint is configured.
    pub fn assetlinks(&self) -> Option<String> {
        if self.android_certs.is_empty() {
            return None;
        }
        let statement = [AssetLink {
            relation: ["delegate_permission/common.handle_all_urls"],
            target: AndroidTarget {
                namespace: "android_app",
                package_name: &self.android_package,
                sha256_cert_fingerprints: &self.android_certs,
            },
        }];
        serde_json::to_string(&statement).ok()
    }

    /// `/.well-known/apple-app-site-association`, or None when no app id is configured. Both
    /// the current form (`appIDs`, `components`) and the older one (`appID`, `paths`) are given.
    pub fn apple_app_site_association(&self) -> Option<String> {
        if self.apple_app_ids.is_empty() {
            return None;
        }
        let mut details = vec![AppleDetail {
            app_ids: Some(&self.apple_app_ids),
            components: Some(CODE_PATHS.map(|p| Component { path: p })),
            app_id: None,
            paths: None,
        }];
        details.extend(self.apple_app_ids.iter().map(|id| AppleDetail {
            app_ids: None,
            components: None,
            app_id: Some(id),
            paths: Some(CODE_PATHS),
        }));
        let file = AppleSiteAssociation {
            applinks: AppleLinks { apps: [], details },
        };
        serde_json::to_string(&file).ok()
    }
}

// The platforms' file formats (Google's Digital Asset Links, Apple's associated domains): not
// spur's contract, so they live beside the one route that serves them rather than in spur-wire.

#[derive(Serialize)]
struct AssetLink<'a> {
    relation: [&'static str; 1],
    target: AndroidTarget<'a>,
}

#[derive(Serialize)]
struct AndroidTarget<'a> {
    namespace: &'static str,
    package_name: &'a str,
    sha256_cert_fingerprints: &'a [String],
}

#[derive(Serialize)]
struct AppleSiteAssociation<'a> {
    applinks: AppleLinks<'a>,
}

#[derive(Serialize)]
struct AppleLinks<'a> {
    apps: [&'static str; 0],
    details: Vec<AppleDetail<'a>>,
}

#[derive(Serialize)]
struct AppleDetail<'a> {
    #[serde(rename = "appIDs", skip_serializing_if = "Option::is_none")]
    app_ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<[Component; 3]>,
    #[serde(rename = "appID", skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paths: Option<[&'static str; 3]>,
}

#[derive(Serialize)]
struct Component {
    #[serde(rename = "/")]
    path: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_files_cannot_carry() {
        let ok = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";
        assert!(AppLinks::new("org.spur.android", &[ok.into()], &[]).is_ok());
        assert_eq!(
            AppLinks::new(
                "org.spur.android",
                &[ok.replace(':', "").to_lowercase()],
                &[]
            )
            .unwrap()
            .android_certs,
            vec![ok.to_owned()]
        );
        assert_eq!(AppLinks::new("spur", &[], &[]), Err(AppLinksError::Package));
        assert_eq!(
            AppLinks::new("org.spur.android", &["AB:CD".into()], &[]),
            Err(AppLinksError::Fingerprint)
        );
        assert_eq!(
            AppLinks::new("org.spur.android", &[], &["org.spur.ios".into()]),
            Err(AppLinksError::AppleAppId)
        );
        assert!(
            AppLinks::new("org.spur.android", &[], &["ABCDE12345.org.spur.ios".into()]).is_ok()
        );
        let none = AppLinks::new("org.spur.android", &[], &[]).unwrap();
        assert_eq!(
            (none.assetlinks(), none.apple_app_site_association()),
            (None, None)
        );
    }
}
