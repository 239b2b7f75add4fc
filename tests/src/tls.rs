//! TLS material for a test daemon, made with the `openssl` command: a CA, a server certificate
//! for the daemon's address, a client certificate, and a second CA that signed nothing the
//! daemon trusts. Everything lives in a [`crate::TempDir`] removed on drop.

use std::path::PathBuf;
use std::process::Command;

use crate::TempDir;

/// A CA with a server and a client certificate signed by it.
pub struct TestPki {
    dir: TempDir,
}

impl TestPki {
    /// Creates the CA, a server certificate valid for `server_ip` (and `localhost`), a client
    /// certificate, and an unrelated CA.
    pub fn create(server_ip: &str) -> Result<Self, String> {
        let pki = TestPki {
            dir: TempDir::new("pki"),
        };
        pki.self_signed("ca", "dockaudit test CA")?;
        pki.self_signed("other-ca", "dockaudit unrelated CA")?;
        pki.signed(
            "server",
            &format!("subjectAltName=IP:{server_ip},DNS:localhost\nextendedKeyUsage=serverAuth\n"),
        )?;
        pki.signed("client", "extendedKeyUsage=clientAuth\n")?;
        Ok(pki)
    }

    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
    pub fn other_ca(&self) -> PathBuf {
        self.dir.join("other-ca.pem")
    }
    pub fn server_cert(&self) -> PathBuf {
        self.dir.join("server-cert.pem")
    }
    pub fn server_key(&self) -> PathBuf {
        self.dir.join("server-key.pem")
    }
    pub fn client_cert(&self) -> PathBuf {
        self.dir.join("client-cert.pem")
    }
    /// The dockerd flags that serve TLS with this PKI's server certificate and require clients
    /// signed by its CA.
    pub fn server_flags(&self) -> Vec<String> {
        vec![
            "--tlsverify".to_string(),
            format!("--tlscacert={}", self.ca().display()),
            format!("--tlscert={}", self.server_cert().display()),
            format!("--tlskey={}", self.server_key().display()),
        ]
    }

    pub fn client_key(&self) -> PathBuf {
        self.dir.join("client-key.pem")
    }

    fn self_signed(&self, name: &str, cn: &str) -> Result<(), String> {
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &format!("/CN={cn}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout",
            &self.path(&format!("{name}-key.pem")),
            "-out",
            &self.path(&format!("{name}.pem")),
        ])
    }

    fn signed(&self, name: &str, extensions: &str) -> Result<(), String> {
        let csr = self.path(&format!("{name}.csr"));
        let ext = self.path(&format!("{name}.ext"));
        std::fs::write(&ext, extensions).map_err(|e| e.to_string())?;
        openssl(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            &format!("/CN=dockaudit test {name}"),
            "-keyout",
            &self.path(&format!("{name}-key.pem")),
            "-out",
            &csr,
        ])?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &self.path("ca.pem"),
            "-CAkey",
            &self.path("ca-key.pem"),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext,
            "-out",
            &self.path(&format!("{name}-cert.pem")),
        ])
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

fn openssl(args: &[&str]) -> Result<(), String> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .map_err(|e| format!("openssl: {e} (install Debian's openssl)"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl {}: {}",
            args.first().copied().unwrap_or_default(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
