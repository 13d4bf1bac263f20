//! TLS settings and the rustls client configuration built from them (ring provider, chosen
//! explicitly so that no process-wide default provider is needed).

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::TransportError;

/// Which certificates the broker's certificate must chain to.
#[derive(Clone, PartialEq, Eq)]
enum Roots {
    /// The platform's trust store.
    Native,
    /// Only the certificates of this PEM text.
    Pem(Vec<u8>),
}

/// TLS settings: the root certificates to trust and, optionally, a client certificate (the
/// `X509` security scheme). The private key never shows in `Debug` output.
///
/// ```
/// use asyncapi_runtime::mqtt::TlsConfig;
///
/// let ca = b"-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n".to_vec();
/// let tls = TlsConfig::with_ca_pem(ca).client_auth(b"cert".to_vec(), b"secret key".to_vec());
/// assert!(!format!("{tls:?}").contains("secret key"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TlsConfig {
    roots: Roots,
    client: Option<(Vec<u8>, Vec<u8>)>,
}

impl Default for TlsConfig {
    fn default() -> Self {
        TlsConfig::native_roots()
    }
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let roots = match &self.roots {
            Roots::Native => "platform trust store".to_owned(),
            Roots::Pem(pem) => format!("PEM ({} bytes)", pem.len()),
        };
        f.debug_struct("TlsConfig")
            .field("roots", &roots)
            .field(
                "client_auth",
                &self.client.as_ref().map(|(cert, _)| {
                    format!("certificate PEM ({} bytes), key <redacted>", cert.len())
                }),
            )
            .finish()
    }
}

impl TlsConfig {
    /// Trust the platform's root certificates.
    pub fn native_roots() -> TlsConfig {
        TlsConfig {
            roots: Roots::Native,
            client: None,
        }
    }

    /// Trust only the certificates in `pem` (one or more PEM `CERTIFICATE` blocks): a private
    /// CA, or the broker's self-signed certificate.
    pub fn with_ca_pem(pem: impl Into<Vec<u8>>) -> TlsConfig {
        TlsConfig {
            roots: Roots::Pem(pem.into()),
            client: None,
        }
    }

    /// Authenticate with a client certificate: `cert_chain_pem` holds the certificate (and any
    /// intermediates), `key_pem` its private key (PKCS#8, PKCS#1 or SEC1).
    pub fn client_auth(
        mut self,
        cert_chain_pem: impl Into<Vec<u8>>,
        key_pem: impl Into<Vec<u8>>,
    ) -> TlsConfig {
        self.client = Some((cert_chain_pem.into(), key_pem.into()));
        self
    }

    /// Whether a client certificate is configured.
    pub fn has_client_auth(&self) -> bool {
        self.client.is_some()
    }

    /// The rustls configuration: the chosen roots, the client certificate if any, the ring
    /// provider with its safe default protocol versions.
    pub(super) fn client_config(&self) -> Result<Arc<rustls::ClientConfig>, TransportError> {
        let bad = |what: String| TransportError::Config(format!("TLS: {what}"));
        let mut roots = rustls::RootCertStore::empty();
        match &self.roots {
            Roots::Native => {
                let found = rustls_native_certs::load_native_certs();
                let (added, _ignored) = roots.add_parsable_certificates(found.certs);
                if added == 0 {
                    return Err(bad(format!(
                        "no usable root certificate in the platform's trust store ({} errors); \
                         give the CA with TlsConfig::with_ca_pem",
                        found.errors.len()
                    )));
                }
            }
            Roots::Pem(pem) => {
                let certs = certificates(pem).map_err(|e| bad(format!("the CA PEM: {e}")))?;
                let (added, _ignored) = roots.add_parsable_certificates(certs);
                if added == 0 {
                    return Err(bad("the CA PEM holds no usable certificate".to_owned()));
                }
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| bad(e.to_string()))?
            .with_root_certificates(roots);
        let config = match &self.client {
            None => builder.with_no_client_auth(),
            Some((cert_pem, key_pem)) => {
                let chain = certificates(cert_pem)
                    .map_err(|e| bad(format!("the client certificate PEM: {e}")))?;
                if chain.is_empty() {
                    return Err(bad(
                        "the client certificate PEM holds no certificate".to_owned()
                    ));
                }
                let key = PrivateKeyDer::from_pem_slice(key_pem)
                    .map_err(|e| bad(format!("the client key PEM: {e}")))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| bad(format!("the client certificate: {e}")))?
            }
        };
        Ok(Arc::new(config))
    }
}

fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, rustls::pki_types::pem::Error> {
    CertificateDer::pem_slice_iter(pem).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pem_is_a_config_error() {
        let error = TlsConfig::with_ca_pem(b"not a certificate".to_vec())
            .client_config()
            .unwrap_err();
        assert!(matches!(error, TransportError::Config(_)), "{error}");
        assert!(error.to_string().contains("CA PEM"), "{error}");
    }

    #[test]
    fn debug_hides_the_key() {
        let tls = TlsConfig::native_roots().client_auth(b"CERT".to_vec(), b"KEY MATERIAL".to_vec());
        let debug = format!("{tls:?}");
        assert!(!debug.contains("KEY MATERIAL"), "{debug}");
        assert!(tls.has_client_auth());
    }
}
