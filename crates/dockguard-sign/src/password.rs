//! Where key passwords come from: `DOCKGUARD_PASSWORD`, then `COSIGN_PASSWORD` (so scripts
//! written for cosign keep working), then a prompt on the terminal. Never from a flag, which
//! would leave the password in shell history and `ps`.

use crate::error::{Error, Result};
use std::io::IsTerminal;

/// Environment variables read, in order.
pub const PASSWORD_VARS: [&str; 2] = ["DOCKGUARD_PASSWORD", "COSIGN_PASSWORD"];

/// The password for `what`. With `confirm` (a new key), a prompt asks twice.
pub fn read_password(what: &str, confirm: bool) -> Result<Vec<u8>> {
    for var in PASSWORD_VARS {
        if let Some(v) = std::env::var_os(var) {
            return Ok(v.into_encoded_bytes());
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::key(
            what,
            "a password is needed: set DOCKGUARD_PASSWORD (or COSIGN_PASSWORD), or run on a terminal",
        ));
    }
    let prompt = |p: &str| rpassword::prompt_password(p).map_err(|e| Error::io("terminal", e));
    let first = prompt(&format!("Password for {what}: "))?;
    if confirm {
        let again = prompt(&format!("Password for {what} again: "))?;
        if again != first {
            return Err(Error::key(what, "the passwords do not match"));
        }
    }
    Ok(first.into_bytes())
}
