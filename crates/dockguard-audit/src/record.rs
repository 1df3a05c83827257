//! `profile seccomp --record`: run a command under ptrace, collect every syscall it and its
//! descendants make, and turn the set into an allow-list profile.
//!
//! The tracer is a dedicated thread that forks the command and waits only for its own tracees
//! (`__WNOTHREAD`), so children that other threads of the process spawned are never reaped by
//! mistake. Recording starts at the command's `execve`: what the forked child does before it is
//! our launcher, not the workload. The tracees are killed when the time limit passes and, through
//! `PTRACE_O_EXITKILL`, when the tracer goes away.
//!
//! Supported on Linux x86_64 and aarch64; elsewhere [`record`] returns
//! [`RecordError::Unsupported`].

use crate::seccomp::Profile;
use std::collections::BTreeSet;
use std::time::Duration;

/// Syscalls a container runtime makes after it has installed the filter and before the
/// workload's first instruction. runc loads the filter before dropping privileges unless
/// `no-new-privileges` is set, then (as a Go program) changes credentials, opens its exec FIFO,
/// looks the command up on `PATH` and calls `execve`; the Go runtime itself may take signals,
/// park threads and touch memory in between. A recorded profile without these could not start
/// its own command under Docker or Podman.
pub const RUNTIME_SYSCALLS: &[&str] = &[
    // the exec itself and teardown
    "execve",
    "execveat",
    "exit",
    "exit_group",
    // credentials and capabilities set after a non-NNP filter is loaded
    "capget",
    "capset",
    "prctl",
    "setgroups",
    "setresgid",
    "setresuid",
    "chdir",
    // exec FIFO handshake and PATH lookup
    "openat",
    "close",
    "write",
    "read",
    "fcntl",
    "fstat",
    "newfstatat",
    "faccessat",
    "faccessat2",
    // Go runtime: signals, thread parking, memory
    "futex",
    "nanosleep",
    "sched_yield",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sigaltstack",
    "gettid",
    "getpid",
    "tgkill",
    "mmap",
    "munmap",
    "madvise",
    "epoll_ctl",
    "epoll_pwait",
    "brk",
];

/// How long a recorded command may run by default before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How to record.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The command and all its descendants are killed with SIGKILL after this long.
    pub timeout: Duration,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// How the traced command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exit::Code(c) => write!(f, "exit code {c}"),
            Exit::Signal(s) => write!(f, "killed by signal {s}"),
        }
    }
}

/// What a recording saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// Names of the syscalls made from the command's `execve` on, by it and every descendant.
    pub syscalls: BTreeSet<String>,
    /// Syscall numbers our tables have no name for (or made in a 32-bit/x32 mode we do not map).
    pub unknown: BTreeSet<u64>,
    pub exit: Exit,
    /// The time limit passed and the command was killed.
    pub timed_out: bool,
}

impl Recording {
    /// The allow-list profile: the recorded syscalls plus [`RUNTIME_SYSCALLS`].
    pub fn profile(&self) -> Profile {
        let mut names = self.syscalls.clone();
        names.extend(RUNTIME_SYSCALLS.iter().map(|s| s.to_string()));
        Profile::allow_list(&names)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("recording syscalls is not supported here: {0}")]
    Unsupported(&'static str),
    #[error("ptrace is not permitted here ({0}); run with CAP_SYS_PTRACE, outside a restrictive seccomp profile, or with kernel.yama.ptrace_scope below 3")]
    PtraceDenied(std::io::Error),
    #[error("no command to record")]
    NoCommand,
    #[error("{command}: cannot execute: {error}")]
    Exec {
        command: String,
        error: std::io::Error,
    },
    #[error("{command}: argument contains a NUL byte")]
    NulInArgument { command: String },
    #[error("tracing {command} failed: {context}: {error}")]
    Trace {
        command: String,
        context: &'static str,
        error: std::io::Error,
    },
}

/// Syscall number → name for the architecture this build runs on. x86_64 comes from the Linux
/// 6.1 UAPI `asm/unistd_64.h`, aarch64 from the `libc` crate's constants for it (the generic
/// table); both add the syscalls 451–467 allocated since, which share numbers on every
/// architecture.
fn number_table() -> &'static str {
    if cfg!(target_arch = "aarch64") {
        include_str!("../data/numbers-arm64.txt")
    } else {
        include_str!("../data/numbers-x86_64.txt")
    }
}

/// The name of syscall `nr` on the host architecture (x86_64 or aarch64).
pub fn syscall_name(nr: u64) -> Option<&'static str> {
    number_table().lines().find_map(|l| {
        let (n, name) = l.split_once(' ')?;
        (n.parse::<u64>().ok()? == nr).then_some(name)
    })
}

/// Runs `command` (looked up on `PATH` when it has no `/`) with the caller's environment and
/// standard streams, tracing it and every process and thread it starts, and returns the
/// syscalls they made. A non-zero exit of the command is reported in [`Recording::exit`], not
/// as an error.
pub fn record(command: &[String], opts: &RecordOptions) -> Result<Recording, RecordError> {
    if command.is_empty() {
        return Err(RecordError::NoCommand);
    }
    imp::record(command, opts)
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod imp {
    use super::*;

    pub(super) fn record(_: &[String], _: &RecordOptions) -> Result<Recording, RecordError> {
        Err(RecordError::Unsupported(
            "ptrace recording needs Linux on x86_64 or aarch64",
        ))
    }
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod imp {
    use super::*;
    use std::collections::HashSet;
    use std::ffi::CString;
    use std::io;
    use std::sync::{mpsc, Arc, Mutex};

    /// ptrace is variadic: unused address and data arguments must still be pointer-sized.
    const NULL: *mut libc::c_void = std::ptr::null_mut();

    const EXECVE: u64 = if cfg!(target_arch = "aarch64") {
        221
    } else {
        59
    };

    /// What the child reports through its close-on-exec pipe when it cannot get to `execve`.
    const STAGE_TRACEME: i32 = 1;
    const STAGE_EXEC: i32 = 2;

    fn last_error() -> io::Error {
        io::Error::last_os_error()
    }

    pub(super) fn record(
        command: &[String],
        opts: &RecordOptions,
    ) -> Result<Recording, RecordError> {
        let shown = command.join(" ");
        let mut args = Vec::with_capacity(command.len());
        for a in command {
            args.push(
                CString::new(a.as_bytes()).map_err(|_| RecordError::NulInArgument {
                    command: shown.clone(),
                })?,
            );
        }
        // Every tracee id, so the watchdog can kill them all when time runs out.
        let live: Arc<Mutex<HashSet<libc::pid_t>>> = Arc::default();
        let (done_tx, done_rx) = mpsc::channel();
        let tracer_live = Arc::clone(&live);
        let tracer_shown = shown.clone();
        let tracer = std::thread::Builder::new()
            .name("dockguard-record".into())
            .spawn(move || {
                let result = trace(&args, &tracer_shown, &tracer_live);
                let _ = done_tx.send(());
                result
            })
            .map_err(|error| RecordError::Trace {
                command: shown.clone(),
                context: "starting the tracer thread",
                error,
            })?;
        let mut timed_out = false;
        if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(opts.timeout) {
            timed_out = true;
            // Killed tracees still report their exit, which ends the tracer's loop. Repeat in
            // case the command forked between our snapshot and the kill.
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                done_rx.recv_timeout(Duration::from_millis(50))
            {
                let ids: Vec<libc::pid_t> = live
                    .lock()
                    .map(|s| s.iter().copied().collect())
                    .unwrap_or_default();
                for id in ids {
                    // SAFETY: plain syscall on ids we are tracing; a stale id only yields ESRCH.
                    unsafe { libc::kill(id, libc::SIGKILL) };
                }
            }
        }
        let mut recording = tracer.join().map_err(|_| RecordError::Trace {
            command: shown.clone(),
            context: "tracer thread",
            error: io::Error::other("panicked"),
        })??;
        recording.timed_out = timed_out;
        Ok(recording)
    }

    fn trace(
        args: &[CString],
        shown: &str,
        live: &Mutex<HashSet<libc::pid_t>>,
    ) -> Result<Recording, RecordError> {
        let fail = |context: &'static str, error: io::Error| RecordError::Trace {
            command: shown.to_string(),
            context,
            error,
        };
        let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
        argv.push(std::ptr::null());
        let mut pipe = [0 as libc::c_int; 2];
        // SAFETY: `pipe` has room for the two descriptors.
        if unsafe { libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(fail("pipe2", last_error()));
        }
        let [read_end, write_end] = pipe;
        // SAFETY: the child only calls async-signal-safe functions on memory prepared before
        // the fork, then execs or exits.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            let e = last_error();
            close(read_end);
            close(write_end);
            return Err(fail("fork", e));
        }
        if pid == 0 {
            child(&argv, write_end);
        }
        close(write_end);
        if let Ok(mut s) = live.lock() {
            s.insert(pid);
        }
        let result = trace_parent(pid, read_end, shown, live);
        close(read_end);
        result
    }

    /// The forked child: never returns.
    fn child(argv: &[*const libc::c_char], report: libc::c_int) -> ! {
        let tell = |stage: i32| {
            // SAFETY: errno location and write are async-signal-safe.
            let errno = unsafe { *libc::__errno_location() };
            let (a, b) = (stage.to_ne_bytes(), errno.to_ne_bytes());
            let msg = [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]];
            unsafe {
                libc::write(report, msg.as_ptr().cast(), msg.len());
                libc::_exit(127)
            }
        };
        // SAFETY: raw syscalls in the forked child, see above.
        unsafe {
            if libc::ptrace(libc::PTRACE_TRACEME, 0, NULL, NULL) != 0 {
                tell(STAGE_TRACEME);
            }
            // Lets the tracer set its options before anything of interest happens.
            libc::raise(libc::SIGSTOP);
            libc::execvp(argv[0], argv.as_ptr());
        }
        tell(STAGE_EXEC)
    }

    fn close(fd: libc::c_int) {
        // SAFETY: closing a descriptor we own.
        unsafe { libc::close(fd) };
    }

    /// What the child wrote to its report pipe: (stage, errno), if anything.
    fn child_report(fd: libc::c_int) -> Option<(i32, i32)> {
        let mut buf = [0u8; 8];
        // SAFETY: reading into a local buffer of the given size.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n != 8 {
            return None;
        }
        let stage = i32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]);
        let errno = i32::from_ne_bytes([buf[4], buf[5], buf[6], buf[7]]);
        Some((stage, errno))
    }

    fn wait(pid: libc::pid_t, flags: libc::c_int) -> io::Result<(libc::pid_t, libc::c_int)> {
        let mut status = 0;
        loop {
            // SAFETY: `status` is a valid out pointer.
            let r = unsafe { libc::waitpid(pid, &mut status, flags) };
            if r >= 0 {
                return Ok((r, status));
            }
            let e = last_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    fn resume(tid: libc::pid_t, signal: libc::c_int) {
        // SAFETY: restarting a stopped tracee; an error means it vanished (killed), which the
        // next wait reports.
        unsafe { libc::ptrace(libc::PTRACE_SYSCALL, tid, NULL, signal as libc::c_long) };
    }

    fn trace_parent(
        pid: libc::pid_t,
        report: libc::c_int,
        shown: &str,
        live: &Mutex<HashSet<libc::pid_t>>,
    ) -> Result<Recording, RecordError> {
        let fail = |context: &'static str, error: io::Error| RecordError::Trace {
            command: shown.to_string(),
            context,
            error,
        };
        let flags = libc::__WALL | libc::__WNOTHREAD;
        let (_, status) = wait(pid, flags).map_err(|e| fail("waitpid", e))?;
        if !libc::WIFSTOPPED(status) {
            // The child exited before its first stop: it could not become a tracee.
            let errno = child_report(report).map_or(0, |(_, e)| e);
            return Err(RecordError::PtraceDenied(io::Error::from_raw_os_error(
                if errno == 0 { libc::EPERM } else { errno },
            )));
        }
        let options = libc::PTRACE_O_TRACESYSGOOD
            | libc::PTRACE_O_TRACEFORK
            | libc::PTRACE_O_TRACEVFORK
            | libc::PTRACE_O_TRACECLONE
            | libc::PTRACE_O_TRACEEXEC
            | libc::PTRACE_O_EXITKILL;
        // SAFETY: `pid` is our stopped tracee.
        if unsafe { libc::ptrace(libc::PTRACE_SETOPTIONS, pid, NULL, options as libc::c_long) } != 0
        {
            let e = last_error();
            // SAFETY: killing the child we forked.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = wait(pid, flags);
            return Err(if e.raw_os_error() == Some(libc::EPERM) {
                RecordError::PtraceDenied(e)
            } else {
                fail("PTRACE_SETOPTIONS", e)
            });
        }
        let mut seen: HashSet<libc::pid_t> = HashSet::from([pid]);
        let mut started = false;
        let mut numbers: BTreeSet<u64> = BTreeSet::new();
        let mut exit = None;
        resume(pid, 0);
        loop {
            let (tid, status) = match wait(-1, flags) {
                Ok(r) => r,
                Err(e) if e.raw_os_error() == Some(libc::ECHILD) => break,
                Err(e) => return Err(fail("waitpid", e)),
            };
            if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
                if let Ok(mut s) = live.lock() {
                    s.remove(&tid);
                }
                if tid == pid {
                    exit = Some(if libc::WIFEXITED(status) {
                        Exit::Code(libc::WEXITSTATUS(status))
                    } else {
                        Exit::Signal(libc::WTERMSIG(status))
                    });
                }
                continue;
            }
            if !libc::WIFSTOPPED(status) {
                continue;
            }
            let sig = libc::WSTOPSIG(status);
            if seen.insert(tid) {
                if let Ok(mut s) = live.lock() {
                    s.insert(tid);
                }
                // A new thread or process starts with a SIGSTOP of its own: swallow it.
                if sig == libc::SIGSTOP {
                    resume(tid, 0);
                    continue;
                }
            }
            if sig == libc::SIGTRAP | 0x80 {
                if let Some(nr) = syscall_number(tid) {
                    if !started && tid == pid && nr == EXECVE {
                        started = true;
                    }
                    if started {
                        numbers.insert(nr);
                    }
                }
                resume(tid, 0);
            } else if status >> 16 != 0 {
                // fork/clone/exec events: the new tracee's own stop arrives separately.
                resume(tid, 0);
            } else {
                // A signal meant for the tracee: deliver it.
                resume(tid, sig);
            }
        }
        let exit = exit.unwrap_or(Exit::Code(127));
        if let Some((STAGE_EXEC, errno)) = child_report(report) {
            return Err(RecordError::Exec {
                command: shown.to_string(),
                error: io::Error::from_raw_os_error(errno),
            });
        }
        let mut syscalls = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        for nr in numbers {
            match syscall_name(nr) {
                Some(name) => {
                    syscalls.insert(name.to_string());
                }
                None => {
                    unknown.insert(nr);
                }
            }
        }
        Ok(Recording {
            syscalls,
            unknown,
            exit,
            timed_out: false,
        })
    }

    /// The number of the syscall `tid` is stopped in. 32-bit and x32 callers get a number
    /// outside our tables (offset by 1<<32 or carrying the x32 bit) so they land in `unknown`.
    #[cfg(target_arch = "x86_64")]
    fn syscall_number(tid: libc::pid_t) -> Option<u64> {
        // SAFETY: zeroed plain-old-data register block filled in by the kernel.
        let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
        // SAFETY: `regs` is the buffer PTRACE_GETREGS expects.
        let r = unsafe {
            libc::ptrace(
                libc::PTRACE_GETREGS,
                tid,
                NULL,
                &mut regs as *mut libc::user_regs_struct,
            )
        };
        if r != 0 {
            return None;
        }
        // 0x23 is the 32-bit user code segment: an int 0x80 / compat caller.
        if regs.cs == 0x23 {
            return Some(regs.orig_rax | (1 << 32));
        }
        Some(regs.orig_rax)
    }

    #[cfg(target_arch = "aarch64")]
    fn syscall_number(tid: libc::pid_t) -> Option<u64> {
        // SAFETY: zeroed plain-old-data register block filled in by the kernel.
        let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
        let mut iov = libc::iovec {
            iov_base: (&mut regs as *mut libc::user_regs_struct).cast(),
            iov_len: std::mem::size_of::<libc::user_regs_struct>(),
        };
        // SAFETY: `iov` describes `regs`, the NT_PRSTATUS layout.
        let r = unsafe {
            libc::ptrace(
                libc::PTRACE_GETREGSET,
                tid,
                libc::NT_PRSTATUS as libc::c_long,
                &mut iov as *mut libc::iovec,
            )
        };
        if r != 0 {
            return None;
        }
        Some(regs.regs[8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_map_to_known_names() {
        for line in number_table().lines() {
            let (n, name) = line.split_once(' ').unwrap();
            assert!(n.parse::<u64>().is_ok(), "{line}");
            assert!(crate::seccomp::is_known_syscall(name), "{name}");
        }
        if cfg!(target_arch = "x86_64") {
            assert_eq!(syscall_name(59), Some("execve"));
            assert_eq!(syscall_name(63), Some("uname"));
            assert_eq!(syscall_name(1 << 32), None);
        }
        let arm = include_str!("../data/numbers-arm64.txt");
        assert!(arm.lines().any(|l| l == "221 execve"));
        assert!(arm.lines().any(|l| l == "160 uname"));
    }

    #[test]
    fn runtime_syscalls_are_known() {
        for name in RUNTIME_SYSCALLS {
            assert!(crate::seccomp::is_known_syscall(name), "{name}");
        }
    }

    #[test]
    fn empty_command_is_an_error() {
        assert!(matches!(
            record(&[], &RecordOptions::default()),
            Err(RecordError::NoCommand)
        ));
    }
}
