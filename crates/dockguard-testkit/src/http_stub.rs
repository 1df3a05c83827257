//! A tiny HTTP/1.1 server on 127.0.0.1 for tests that must see which hosts a client contacts
//! (redirects, token realms): every request gets `handler(path)` and the connection is closed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// What a stub answers: status, extra header lines, body.
pub type Answer = (u16, Vec<String>, Vec<u8>);

/// An HTTP/1.1 server on 127.0.0.1 answering every request with `handler(path)` and closing
/// the connection. `hits` records every accepted connection's request line (an empty string
/// when the client sent nothing), so a test can show a host was never contacted.
pub struct Stub {
    pub port: u16,
    hits: Arc<Mutex<Vec<String>>>,
}

pub fn stub(handler: impl Fn(&str) -> Answer + Send + 'static) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(Mutex::new(Vec::new()));
    let seen = hits.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            seen.lock().unwrap().push(line.trim().to_string());
            // The rest of the head; these clients send no bodies.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let (status, headers, body) = handler(&path);
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for h in headers {
                head.push_str(&h);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            let _ = conn.write_all(head.as_bytes());
            if !line.starts_with("HEAD") {
                let _ = conn.write_all(&body);
            }
            let _ = conn.flush();
            let _ = conn.shutdown(std::net::Shutdown::Write);
            let _ = conn.read(&mut [0u8; 1]);
        }
    });
    Stub { port, hits }
}

impl Stub {
    /// The request line of every connection accepted so far.
    pub fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}
