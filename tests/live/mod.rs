//! End-to-end tests against a real AWS-compatible server: moto on 127.0.0.1,
//! behind a loopback proxy (tests/live/proxy.py) that repairs one moto answer
//! the SDK cannot parse, injects faults, and logs every call. The real
//! `archaudit` binary runs with static test credentials; nothing leaves
//! 127.0.0.1. Servers are stopped by their process id when a test ends.

mod audit;
mod faults;
mod parity;
mod policy;
mod shards;
mod terraform;
mod tfstate;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The virtualenv that scripts/setup-test-env creates (or ARCHAUDIT_VENV).
fn venv() -> PathBuf {
    let venv =
        std::env::var_os("ARCHAUDIT_VENV").map_or_else(|| repo().join(".venv"), PathBuf::from);
    assert!(
        venv.join("bin/moto_server").is_file(),
        "moto is not installed in {}: run scripts/setup-test-env first (or set ARCHAUDIT_VENV)",
        venv.display()
    );
    venv
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_ok(port: u16, path: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// A moto server and the proxy in front of it, killed by pid on drop.
pub struct Endpoint {
    moto: Child,
    proxy: Child,
    /// The proxy's URL: what archaudit talks to.
    pub url: String,
    /// moto's own URL, for other clients (Terraform, boto3) that need no proxy.
    pub moto_url: String,
    dir: tempfile::TempDir,
}

/// The accounts seed.py created.
#[derive(Debug)]
pub struct Seeded {
    pub management: String,
    /// role -> account id
    pub accounts: BTreeMap<String, String>,
}

impl Endpoint {
    pub fn start() -> Endpoint {
        let venv = venv();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let moto = Command::new(venv.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !http_ok(port, "/moto-api/") {
            assert!(
                Instant::now() < deadline,
                "moto did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::fs::write(dir.path().join("faults.json"), "[]").unwrap();
        let mut proxy = Command::new(venv.join("bin/python"))
            .arg(repo().join("tests/live/proxy.py"))
            .args([
                "--upstream",
                &format!("http://127.0.0.1:{port}"),
                "--port",
                "0",
            ])
            .arg("--rules")
            .arg(dir.path().join("faults.json"))
            .arg("--log")
            .arg(dir.path().join("calls.jsonl"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the test proxy");
        let mut line = String::new();
        BufReader::new(proxy.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let proxy_port: u16 = line.trim().parse().expect("the proxy prints its port");
        Endpoint {
            moto,
            proxy,
            url: format!("http://127.0.0.1:{proxy_port}"),
            moto_url: format!("http://127.0.0.1:{port}"),
            dir,
        }
    }

    /// Seeds the organization (directly into moto, not through the proxy log).
    pub fn seed(&self, extra_members: usize) -> Seeded {
        let out = Command::new(venv().join("bin/python"))
            .arg(repo().join("tests/live/seed.py"))
            .args([
                "--endpoint",
                &self.url,
                "--members",
                &extra_members.to_string(),
            ])
            .output()
            .expect("run seed.py");
        assert!(
            out.status.success(),
            "seed.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        self.clear_calls();
        Seeded {
            management: v["management"].as_str().unwrap().to_string(),
            accounts: v["accounts"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
        }
    }

    /// Replaces the fault rules (see proxy.py).
    pub fn set_faults(&self, rules: Value) {
        std::fs::write(self.dir.path().join("faults.json"), rules.to_string()).unwrap();
    }

    pub fn clear_calls(&self) {
        let _ = std::fs::remove_file(self.dir.path().join("calls.jsonl"));
    }

    /// Every call that reached the proxy since the last clear.
    pub fn calls(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("calls.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `archaudit audit --org --regions eu-central-1 --format json`, then `extra`.
    pub fn audit_org(&self, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec![
            "audit",
            "--org",
            "--regions",
            "eu-central-1",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        self.archaudit(&args)
    }

    /// Runs archaudit against this endpoint (`--endpoint-url`) with test credentials only.
    pub fn archaudit(&self, args: &[&str]) -> (i32, String, String) {
        let mut args = args.to_vec();
        args.extend(["--endpoint-url", &self.url]);
        run_archaudit(&self.url, &args)
    }

    /// Stores a local file as an S3 object in a new bucket (through boto3, like the seed).
    pub fn put_object(&self, bucket: &str, key: &str, file: &Path) {
        let script = "import boto3, sys\n\
            s3 = boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id='testing',\n\
                aws_secret_access_key='testing', region_name='eu-central-1')\n\
            s3.create_bucket(Bucket=sys.argv[2], CreateBucketConfiguration={'LocationConstraint': 'eu-central-1'})\n\
            s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=open(sys.argv[4], 'rb').read())\n";
        let status = Command::new(venv().join("bin/python"))
            .args(["-c", script, &self.url, bucket, key])
            .arg(file)
            .status()
            .unwrap();
        assert!(status.success());
        self.clear_calls();
    }
}

/// Runs the binary with a clean AWS environment whose `AWS_ENDPOINT_URL` is `url`.
pub fn run_archaudit(url: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_archaudit"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(key);
        }
    }
    let out = cmd
        .args(args)
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "eu-central-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .current_dir(repo())
        .output()
        .expect("run archaudit");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        for child in [&mut self.proxy, &mut self.moto] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Reads a snapshot file written by `collect`.
pub fn read_snapshot(path: &Path) -> Value {
    let snapshot = archaudit::snapshot::load_snapshot(path).unwrap();
    serde_json::to_value(snapshot).unwrap()
}
