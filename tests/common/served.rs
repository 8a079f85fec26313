//! `tenderkit serve` run for a test: started on a free port, stopped when dropped; and a plain
//! HTTP/1.1 client (no library between the test and the bytes on the wire).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Served {
    child: Child,
    /// The address printed, with its token.
    pub url: String,
    pub port: u16,
    pub token: String,
    /// Held open: the server prints more, and a closed pipe would stop it.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Served {
    /// Starts `tenderkit serve --no-open ARGS`, its temporary folders under `tmp`.
    pub fn start(tmp: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tenderkit"))
            .arg("serve")
            .arg("--no-open")
            .args(args)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tenderkit serve");
        let mut first = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut first).unwrap();
        let url =
            first.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no address in {first:?}")).to_string();
        let port = url.trim_start_matches("http://127.0.0.1:").split('/').next().unwrap().parse().unwrap();
        let token = url.split("token=").nth(1).unwrap().to_string();
        Served { child, url, port, token, _stdout: stdout }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Sends `head` (request line and headers, without the blank line) and `body`; the status
    /// and body of the answer.
    pub fn send(&self, head: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut request = format!("{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
        request.extend_from_slice(body);
        // The server may answer (and close) before reading a body it refuses.
        let _ = s.write_all(&request);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    /// A page action as the page sends it: the token header, this page's Origin, a multipart form.
    pub fn post(&self, action: &str, parts: &[(&str, Option<&str>, &[u8])]) -> (u16, String) {
        let (content_type, body) = multipart(parts);
        let head = format!(
            "POST /api/{action} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: {}\r\nX-Tenderkit-Token: {}\r\nContent-Type: {content_type}",
            self.port,
            self.origin(),
            self.token
        );
        self.send(&head, &body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A multipart/form-data body: (field, file name for a file, content).
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----tenderkit-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").bytes());
        if let Some(f) = file {
            body.extend(format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream").bytes());
        }
        body.extend(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
