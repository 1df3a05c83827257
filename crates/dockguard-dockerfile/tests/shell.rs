//! Tests for the `RUN` shell analyzer.

// One module, so `cargo test shell` selects every test here by name.
mod shell {
    use dockguard_dockerfile::shell::{
        parse, parse_tokens_only, Command, Connector, RedirectOp, Script,
    };
    use proptest::prelude::*;

    fn names(s: &Script) -> Vec<&str> {
        s.commands.iter().map(|c| c.name.as_str()).collect()
    }

    fn args(c: &Command) -> Vec<&str> {
        c.arg_values().collect()
    }

    fn ok(src: &str) -> Script {
        let s = parse(src);
        assert!(!s.parse_errors, "unexpected fallback for {src:?}");
        s
    }

    fn first(src: &str) -> Command {
        ok(src).commands.into_iter().next().expect("a command")
    }

    // --- words, quoting, escapes ------------------------------------------------

    #[test]
    fn simple_command_and_args() {
        let c = first("apt-get install -y curl");
        assert_eq!(c.name, "apt-get");
        assert_eq!(args(&c), ["install", "-y", "curl"]);
        assert_eq!(c.offset, 0);
        assert_eq!(c.args[2].offset, 19);
    }

    #[test]
    fn single_and_double_quotes() {
        let c = first(r#"echo 'a b' "c d" e'f'"g""#);
        assert_eq!(args(&c), ["a b", "c d", "efg"]);
        assert!(c.args.iter().all(|w| w.quoted));
        assert_eq!(c.args[0].raw, "'a b'");
    }

    #[test]
    fn quoted_command_name_is_literal() {
        let c = first(r#""apt-get" update"#);
        assert_eq!(c.name, "apt-get");
        assert!(c.name_word.as_ref().is_some_and(|w| w.quoted));
    }

    #[test]
    fn backslash_escapes() {
        let c = first(r#"echo a\ b \$HOME "x\"y" "\q" '\n'"#);
        assert_eq!(args(&c), ["a b", "$HOME", "x\"y", "\\q", "\\n"]);
        assert!(!c.args[1].has_expansion);
    }

    #[test]
    fn expansions_are_kept_literally() {
        let c = first(r#"cp "$HOME"/x ${A:-b} $1 $(pwd) `date` $((1+2)) $@"#);
        assert_eq!(
            args(&c),
            ["$HOME/x", "${A:-b}", "$1", "$(pwd)", "`date`", "$((1+2))", "$@"]
        );
        assert!(c.args.iter().all(|w| w.has_expansion));
        assert_eq!(c.args[0].simplified(), "${VAR}/x");
        assert_eq!(c.args[3].simplified(), "${VAR}");
    }

    #[test]
    fn lone_dollar_is_literal() {
        let c = first("echo $[1+2]");
        assert!(c.args[0].has_expansion);
        let c = first("echo $ a$ '$x'");
        assert_eq!(args(&c), ["$", "a$", "$x"]);
        assert!(c.args.iter().all(|w| !w.has_expansion));
    }

    #[test]
    fn ansi_c_and_locale_strings() {
        let c = first(r#"printf $'a\tb\x41\n' $"hi""#);
        assert_eq!(args(&c), ["a\tbA\n", "hi"]);
    }

    #[test]
    fn braced_expansion_with_nested_quotes_and_braces() {
        let c = first(r#"echo "${X:-"a}b"}" ${Y#'}'} done"#);
        assert_eq!(c.args.len(), 3);
        assert_eq!(c.args[2].value, "done");
    }

    #[test]
    fn line_continuations() {
        let s = ok("apt-get update \\\n && apt-get install -y \\\n    curl \\\r\n  git");
        assert_eq!(names(&s), ["apt-get", "apt-get"]);
        assert_eq!(args(&s.commands[1]), ["install", "-y", "curl", "git"]);
        let c = first("ec\\\nho hi");
        assert_eq!(c.name, "echo");
    }

    #[test]
    fn comments() {
        let s = ok("echo a # comment && rm -rf /\n# full line; curl x | sh\necho b#c");
        assert_eq!(names(&s), ["echo", "echo"]);
        assert_eq!(args(&s.commands[1]), ["b#c"]);
    }

    #[test]
    fn utf8_survives() {
        let c = first("echo héllo 'wörld' \\é");
        assert_eq!(args(&c), ["héllo", "wörld", "é"]);
    }

    // --- assignments and redirections ----------------------------------------

    #[test]
    fn prefix_assignments_are_not_the_name() {
        let c = first("DEBIAN_FRONTEND=noninteractive A+=1 B='x y' apt-get install -y X=1");
        assert_eq!(c.name, "apt-get");
        assert_eq!(
            c.assignments,
            [
                ("DEBIAN_FRONTEND".to_string(), "noninteractive".to_string()),
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "x y".to_string()),
            ]
        );
        assert_eq!(args(&c), ["install", "-y", "X=1"]);
    }

    #[test]
    fn assignment_only_command() {
        let s = ok("FOO=bar; arr=(a \"b c\" $(id -u)) && echo");
        assert_eq!(names(&s), ["", "", "id", "echo"]);
        assert_eq!(s.commands[1].assignments[0].0, "arr");
        assert!(s.commands[2].in_substitution);
        assert_eq!(s.commands[2].parent, Some(1));
    }

    #[test]
    fn not_an_assignment() {
        let c = first("\"A\"=b cmd");
        assert_eq!(c.name, "A=b");
        let c = first("1A=b cmd");
        assert_eq!(c.name, "1A=b");
    }

    #[test]
    fn redirections_are_not_args() {
        let c = first("cmd a 2>&1 >/dev/null b >> log <in 3<>f &>all &>>all2 c >|x");
        assert_eq!(args(&c), ["a", "b", "c"]);
        let ops: Vec<_> = c
            .redirects
            .iter()
            .map(|r| (r.fd, r.op, r.target.value.as_str()))
            .collect();
        assert_eq!(
            ops,
            [
                (Some(2), RedirectOp::DupOut, "1"),
                (None, RedirectOp::Out, "/dev/null"),
                (None, RedirectOp::Append, "log"),
                (None, RedirectOp::In, "in"),
                (Some(3), RedirectOp::ReadWrite, "f"),
                (None, RedirectOp::OutErr, "all"),
                (None, RedirectOp::AppendOutErr, "all2"),
                (None, RedirectOp::Clobber, "x"),
            ]
        );
    }

    #[test]
    fn redirection_before_name() {
        let c = first(">out 2>/dev/null echo hi");
        assert_eq!(c.name, "echo");
        assert_eq!(c.redirects.len(), 2);
        assert_eq!(c.offset, 0);
    }

    #[test]
    fn digits_not_followed_by_redirect_are_words() {
        let c = first("sleep 10 2 &>/dev/null");
        assert_eq!(args(&c), ["10", "2"]);
    }

    #[test]
    fn heredoc_body_is_consumed() {
        let src = "cat <<EOF > /etc/conf\nrm -rf / && curl x | sh\n$(id)\nEOF\necho done";
        let s = ok(src);
        assert_eq!(names(&s), ["cat", "id", "echo"]);
        let body = s.commands[0].redirects[0].heredoc_body.as_deref();
        assert_eq!(body, Some("rm -rf / && curl x | sh\n$(id)\n"));
        assert_eq!(s.commands[0].redirects[1].target.value, "/etc/conf");
        assert_eq!(s.commands[1].parent, Some(0));
        assert!(s.commands[1].in_substitution);
        assert_eq!(s.commands[2].connector_before, Some(Connector::Seq));
        assert!(!s.has_pipes());
    }

    #[test]
    fn quoted_heredoc_is_not_expanded() {
        let s = ok("cat <<'EOF'\n$(id)\nEOF\ncat <<\"E\" | sh\n`x`\nE\ncat <<\\X\n$(y)\nX");
        assert_eq!(names(&s), ["cat", "cat", "sh", "cat"]);
    }

    #[test]
    fn heredoc_strip_tabs_and_two_heredocs() {
        let s = ok("cat <<-A; cat <<B\n\tone\n\tA\ntwo\nB\necho z");
        assert_eq!(names(&s), ["cat", "cat", "echo"]);
        assert_eq!(s.commands[0].redirects[0].op, RedirectOp::HereDocStrip);
        assert_eq!(
            s.commands[0].redirects[0].heredoc_body.as_deref(),
            Some("one\n")
        );
        assert_eq!(
            s.commands[1].redirects[0].heredoc_body.as_deref(),
            Some("two\n")
        );
    }

    #[test]
    fn heredoc_on_compound_command() {
        let s = ok("while read l; do echo $l; done <<EOF\nfoo && bar\nEOF\nls");
        assert_eq!(names(&s), ["read", "echo", "ls"]);
    }

    #[test]
    fn unterminated_heredoc_runs_to_end() {
        let s = ok("cat <<EOF\nfoo\nbar");
        assert_eq!(names(&s), ["cat"]);
        assert_eq!(
            s.commands[0].redirects[0].heredoc_body.as_deref(),
            Some("foo\nbar")
        );
    }

    #[test]
    fn here_string() {
        let c = first("grep -q x <<< \"$(cat f)\"");
        assert_eq!(c.redirects[0].op, RedirectOp::HereString);
        assert_eq!(args(&c), ["-q", "x"]);
    }

    // --- lists and pipelines ---------------------------------------------------

    #[test]
    fn and_or_lists_and_connectors() {
        let s = ok("a && b || c; d & e\nf");
        assert_eq!(names(&s), ["a", "b", "c", "d", "e", "f"]);
        let conns: Vec<_> = s.commands.iter().map(|c| c.connector_before).collect();
        assert_eq!(
            conns,
            [
                None,
                Some(Connector::And),
                Some(Connector::Or),
                Some(Connector::Seq),
                Some(Connector::Background),
                Some(Connector::Seq),
            ]
        );
    }

    #[test]
    fn newline_after_operator() {
        let s = ok("a &&\n  b |\n c");
        assert_eq!(names(&s), ["a", "b", "c"]);
        assert_eq!(s.commands[1].connector_before, Some(Connector::And));
        assert_eq!(s.commands[2].connector_before, Some(Connector::Pipe));
    }

    #[test]
    fn pipelines() {
        let s = ok("curl -s x | tar xz |& tee log && echo ok");
        assert_eq!(names(&s), ["curl", "tar", "tee", "echo"]);
        let p: Vec<_> = s.pipelines().collect();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].stages, 3);
        assert_eq!(p[0].commands, [0, 1, 2]);
        assert!(p[0].pipes_stderr);
        assert_eq!(s.commands[2].position_in_pipeline, 2);
        assert_eq!(s.commands[2].pipeline_len, 3);
        assert_eq!(s.commands[3].pipeline_len, 1);
        assert_ne!(s.commands[3].pipeline, s.commands[0].pipeline);
        assert!(s.has_pipes());
    }

    #[test]
    fn negation() {
        let s = ok("! grep -q x f && echo y");
        assert_eq!(names(&s), ["grep", "echo"]);
        assert!(s.all_pipelines[s.commands[0].pipeline].negated);
    }

    #[test]
    fn no_pipes() {
        let s = ok("a || b && c; [[ $x =~ (a|b) ]]; echo 'x|y' \"|\"");
        assert!(!s.has_pipes());
    }

    #[test]
    fn pipe_inside_substitution_counts() {
        assert!(ok("echo $(ls | wc -l)").has_pipes());
    }

    // --- compound commands -----------------------------------------------------

    #[test]
    fn subshell_and_group() {
        let s = ok("(cd /tmp && make) ; { echo a; echo b; } > log");
        assert_eq!(names(&s), ["cd", "make", "echo", "echo"]);
        assert!(s.commands[0].in_subshell && s.commands[1].in_subshell);
        assert!(!s.commands[2].in_subshell);
    }

    #[test]
    fn compound_inherits_connector() {
        let s = ok("a && (b; c) || { d; }");
        assert_eq!(s.commands[1].connector_before, Some(Connector::And));
        assert_eq!(s.commands[2].connector_before, Some(Connector::Seq));
        assert_eq!(s.commands[3].connector_before, Some(Connector::Or));
    }

    #[test]
    fn if_elif_else() {
        let s = ok(
        "if [ -f x ]; then apt-get update; elif test -d y\nthen yum; else apk add z; fi && echo",
    );
        assert_eq!(names(&s), ["apt-get", "test", "yum", "apk", "echo"]);
    }

    #[test]
    fn single_and_double_bracket_are_conditions() {
        let s = ok("[ -f \"$(which curl)\" ] && [[ -n $x && ( a < b ) ]] || test -x y");
        assert_eq!(names(&s), ["which", "test"]);
        assert_eq!(s.commands[0].parent, None);
        assert!(s.commands[0].in_substitution);
    }

    #[test]
    fn for_loops() {
        let s = ok(
            "for p in a $(ls) c; do pip install $p; done; for ((i=0;i<3;i++)); do echo $i; done",
        );
        assert_eq!(names(&s), ["ls", "pip", "echo"]);
        let s = ok("for x\ndo\n  echo $x\ndone");
        assert_eq!(names(&s), ["echo"]);
        let s = ok("select x in a b; do break; done");
        assert_eq!(names(&s), ["break"]);
    }

    #[test]
    fn while_until() {
        let s = ok("while ! curl -f x; do sleep 1; done; until false\ndo :; done");
        assert_eq!(names(&s), ["curl", "sleep", "false", ":"]);
    }

    #[test]
    fn case_statement() {
        let s = ok(
        "case \"$(uname -m)\" in\n  x86_64|amd64) A=1 ; echo x;;\n  (arm*) echo arm ;&\n  *) exit 1 ;;\nesac; echo end",
    );
        assert_eq!(names(&s), ["uname", "", "echo", "echo", "exit", "echo"]);
        let s = ok("case $x in a) ;; esac");
        assert!(s.commands.is_empty());
        let s = ok("case $x in\na) foo\nesac");
        assert_eq!(names(&s), ["foo"]);
    }

    #[test]
    fn functions() {
        let s = ok("f() { echo in; }; function g { ls; }\nfunction h() (pwd)\nf");
        assert_eq!(names(&s), ["echo", "ls", "pwd", "f"]);
    }

    #[test]
    fn arithmetic_command_vs_nested_subshell() {
        let s = ok("(( x = 1 + (2 * 3) )) && echo a");
        assert_eq!(names(&s), ["echo"]);
        let s = ok("((cd a); ls)");
        assert_eq!(names(&s), ["cd", "ls"]);
        let s = ok("echo $((cd a); ls)");
        assert_eq!(names(&s), ["echo", "cd", "ls"]);
    }

    #[test]
    fn substitutions_inside_arithmetic() {
        let s = ok("echo $(( $(nproc) + 1 )) && (( `id -u` == 0 )) && for (( i=$(seq 1); i<2; i++ )); do :; done");
        assert_eq!(names(&s), ["echo", "nproc", "id", "seq", ":"]);
        assert_eq!(s.commands[1].parent, Some(0));
        assert_eq!(s.commands[2].parent, None);
        let deep = format!("echo {}1{}", "$((".repeat(3000), "))".repeat(3000));
        let _ = parse(&deep);
    }

    #[test]
    fn reserved_words_only_in_command_position() {
        let s = ok("echo if then fi done { } ]] ! ; echo esac");
        assert_eq!(names(&s), ["echo", "echo"]);
        assert_eq!(s.commands[0].args.len(), 8);
    }

    #[test]
    fn extglob_and_brace_words() {
        let c = first("rm -rf !(keep) *.@(tmp|log) {a,b}");
        assert_eq!(args(&c), ["-rf", "!(keep)", "*.@(tmp|log)", "{a,b}"]);
    }

    // --- substitutions ---------------------------------------------------------

    #[test]
    fn command_substitution_commands_and_order() {
        let s = ok("echo $(curl -s x | grep y) `date +%s` && ls");
        assert_eq!(names(&s), ["echo", "curl", "grep", "date", "ls"]);
        assert!(s.commands[1].in_substitution);
        assert_eq!(s.commands[1].parent, Some(0));
        assert_eq!(s.commands[3].parent, Some(0));
        assert_eq!(s.commands[1].connector_before, None);
        assert_eq!(s.commands[4].connector_before, Some(Connector::And));
        assert!(!s.commands[4].in_substitution);
    }

    #[test]
    fn nested_substitutions() {
        let s = ok(r#"a "$(b "$(c `d \`e\``)")""#);
        assert_eq!(names(&s), ["a", "b", "c", "d", "e"]);
        assert_eq!(s.commands[2].parent, Some(1));
        assert_eq!(s.commands[4].parent, Some(3));
    }

    #[test]
    fn substitution_in_assignment_and_redirect() {
        let s = ok("V=$(cat /etc/os-release) echo >$(mktemp)");
        assert_eq!(names(&s), ["echo", "cat", "mktemp"]);
        assert_eq!(s.commands[1].parent, Some(0));
        assert_eq!(s.commands[2].parent, Some(0));
    }

    #[test]
    fn process_substitution() {
        let s = ok("diff <(sort a) >(tee b) && cat < <(ls)");
        assert_eq!(names(&s), ["diff", "sort", "tee", "cat", "ls"]);
        assert_eq!(args(&s.commands[0]), ["<(sort a)", ">(tee b)"]);
        assert!(s.commands[1].in_substitution);
    }

    #[test]
    fn substitution_with_case_inside() {
        let s = ok("x=$(case a in a) echo 1;; esac) && y");
        assert_eq!(names(&s), ["", "echo", "y"]);
    }

    #[test]
    fn offsets_point_at_commands() {
        let src = "  a; b $(c)\n  d";
        let s = ok(src);
        for c in &s.commands {
            assert_eq!(&src[c.offset..c.offset + c.name.len()], c.name);
        }
    }

    // --- wrappers --------------------------------------------------------------

    #[test]
    fn exec_command_busybox_unwrap() {
        let c = first("exec -a foo apt-get install x");
        assert_eq!(c.name, "apt-get");
        assert_eq!(c.wrappers.len(), 3);
        assert_eq!(args(&c), ["install", "x"]);
        assert_eq!(first("command -v curl").name, "command");
        assert_eq!(first("busybox wget -q x").name, "wget");
        assert_eq!(first("builtin cd /").name, "cd");
        assert_eq!(first("exec").name, "exec");
    }

    #[test]
    fn effective_command_strips_wrappers() {
        let c = first("sudo -u app -E env A=1 nice -n 5 timeout -s 9 30 apt-get -y install");
        assert_eq!(c.name, "sudo");
        let (n, a) = c.effective_command();
        assert_eq!(n, "apt-get");
        assert_eq!(a.len(), 2);
        let c = first("sudo");
        assert_eq!(c.effective_command().0, "sudo");
    }

    // --- flag helpers ----------------------------------------------------------

    #[test]
    fn flags_clusters_and_long() {
        let c = first("apt-get -qy --no-install-recommends --option=x install -- -y");
        assert!(c.has_flag(&["y"]));
        assert!(c.has_flag(&["q"]));
        assert!(c.has_flag(&["no-install-recommends"]));
        assert!(c.has_flag(&["option"]));
        assert!(!c.has_flag(&["x"]));
        assert!(!c.has_flag(&["yes", "assume-yes"]));
        assert_eq!(c.flags(), ["q", "y", "no-install-recommends", "option"]);
        let c = first("apt-get install -- -y");
        assert!(!c.has_flag(&["y"]));
        assert_eq!(c.args_no_flags(&[]), ["install", "-y"]);
    }

    #[test]
    fn flag_values() {
        let c = first("apt-get -o Dpkg::Options::=--force-confnew -oAPT::x=1 -t buster --target-release=sid install");
        assert_eq!(
            c.flag_values("o"),
            ["Dpkg::Options::=--force-confnew", "APT::x=1"]
        );
        assert_eq!(c.flag_value("t"), Some("buster"));
        assert_eq!(c.flag_value("target-release"), Some("sid"));
        assert_eq!(c.flag_value("z"), None);
        let c = first("useradd -u 1000 -g 100 -ms /bin/sh app");
        assert_eq!(c.flag_value("u"), Some("1000"));
        assert_eq!(c.flag_value("s"), Some("/bin/sh"));
        let c = first("pip install --index-url https://x -r req.txt");
        assert_eq!(c.flag_value("index-url"), Some("https://x"));
    }

    #[test]
    fn args_no_flags_skips_declared_values() {
        let c = first("apt-get -o Acquire::Retries=3 install -t bookworm -y curl=1.0 git --target-release sid vim");
        assert_eq!(
            c.args_no_flags(&["o", "t", "target-release"]),
            ["install", "curl=1.0", "git", "vim"]
        );
        assert_eq!(
            c.args_no_flags(&[]),
            [
                "Acquire::Retries=3",
                "install",
                "bookworm",
                "curl=1.0",
                "git",
                "sid",
                "vim"
            ]
        );
        assert_eq!(c.subcommand(), Some("Acquire::Retries=3"));
        assert_eq!(c.subcommand_with(&["o"]), Some("install"));
        let c = first("apk add -X http://r --repository=http://s --no-cache musl -");
        assert_eq!(c.args_no_flags(&["X", "repository"]), ["add", "musl", "-"]);
        // A value flag inside a cluster takes the rest of the cluster.
        let c = first("pip install -rreq.txt -qr other.txt pkg");
        assert_eq!(c.args_no_flags(&["r"]), ["install", "pkg"]);
    }

    #[test]
    fn arg_helpers() {
        let c = first("rm -rf /var/lib/apt/lists/*");
        assert!(c.is("rm"));
        assert!(c.has_any_arg(&["/var/lib/apt/lists/*", "x"]));
        assert!(c.has_arg("-rf"));
        assert!(c.has_arg_prefix("/var/lib/apt"));
        assert!(!c.has_any_arg(&["/var"]));
        let c = first("/usr/bin/apt-get update");
        assert!(!c.is("apt-get"));
        assert_eq!(c.basename(), "apt-get");
    }

    #[test]
    fn commands_named() {
        let s = ok("apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*");
        assert_eq!(s.commands_named("apt-get").count(), 2);
        let install = s
            .commands
            .iter()
            .position(|c| c.subcommand() == Some("install"));
        let rm = s.commands.iter().position(|c| c.is("rm"));
        assert!(install < rm);
        assert!(s.has_command("rm"));
    }

    // --- pipefail ---------------------------------------------------------------

    #[test]
    fn pipefail_detection() {
        for src in [
            "set -o pipefail && curl x | sh",
            "set -euo pipefail; a | b",
            "set -eo pipefail",
            "set -o errexit -o pipefail",
            "/bin/bash -o pipefail -c",
            "bash -eux -o pipefail -c 'a | b'",
        ] {
            assert!(ok(src).sets_pipefail(), "{src}");
        }
        for src in [
            "set -e",
            "set +o pipefail",
            "echo -o pipefail",
            "set -o nounset pipefail",
            "set -- -o pipefail",
        ] {
            assert!(!ok(src).sets_pipefail(), "{src}");
        }
    }

    // --- curl | sh ----------------------------------------------------------------

    const DL: &[&str] = &["curl", "wget"];
    const SH: &[&str] = &["sh", "bash", "zsh", "dash", "ash"];

    #[test]
    fn pipe_to_shell_positive() {
        for src in [
            "curl -fsSL https://x | sh",
            "curl -fsSL https://x | sh -s -- --yes",
            "wget -qO- https://x | bash",
            "wget -O - https://x | sudo -E bash -",
            "curl x | tee /tmp/i | /bin/sh",
            "sh -c \"$(curl -fsSL https://x)\"",
            "bash <(curl -s https://x)",
            "bash -c \"$(wget -O- x)\" && echo",
            "echo \"$(curl x)\" | sh",
            "curl x |& sh",
            "set -e && (curl x | sh)",
            "/usr/bin/curl x | /bin/bash",
            "sh < <(curl x)",
        ] {
            assert!(parse(src).has_pipe_from_to(DL, SH), "{src}");
        }
    }

    #[test]
    fn pipe_to_shell_negative() {
        for src in [
            "curl -o install.sh https://x && sh install.sh",
            "curl x | tar xz && sh ./configure",
            "sh -c 'echo hi' | curl -d @- x",
            "curl x; bash y",
            "echo curl | sh",
            "sh -c 'curl x | sh'",
            "curl $(sh -c 'echo x')",
            "curl x | grep y; sh z",
        ] {
            assert!(!parse(src).has_pipe_from_to(DL, SH), "{src}");
        }
    }

    #[test]
    fn inline_script() {
        let c = first("sh -c 'apt-get update && curl x | sh'");
        let inner = c.inline_script().expect("inline script");
        assert_eq!(names(&inner), ["apt-get", "curl", "sh"]);
        assert!(inner.has_pipe_from_to(DL, SH));
        let c = first("sudo bash -ec \"cd /x; make\" arg0");
        assert_eq!(names(&c.inline_script().unwrap()), ["cd", "make"]);
        let c = first("bash -o pipefail -c 'a | b'");
        assert_eq!(names(&c.inline_script().unwrap()), ["a", "b"]);
        let c = first("su app -c 'whoami'");
        assert_eq!(names(&c.inline_script().unwrap()), ["whoami"]);
        assert!(first("bash script.sh").inline_script().is_none());
        assert!(first("echo -c 'x'").inline_script().is_none());
        assert!(first("sh -c").inline_script().is_none());
    }

    // --- broken input -----------------------------------------------------------

    #[test]
    fn unterminated_quote_falls_back() {
        let s = parse("apt-get update && apt-get install -y 'curl");
        assert!(s.parse_errors);
        assert_eq!(names(&s), ["apt-get", "apt-get"]);
        assert_eq!(args(&s.commands[1]), ["install", "-y", "curl"]);
    }

    #[test]
    fn stray_tokens_fall_back() {
        for src in [
            "echo a )",
            "fi; echo x",
            "if true; then echo",
            "a &&",
            "| b",
            "a ;; b",
            "echo $(ls",
            "echo `ls",
            "echo \"x",
            "for x in a b; echo $x; done",
            "{ a",
            "echo ${x",
            "case x in a) b",
        ] {
            let s = parse(src);
            assert!(s.parse_errors, "{src}");
        }
    }

    #[test]
    fn fallback_keeps_structure() {
        let s = parse("if true; then curl -s x | sh; fi; echo 'oops");
        assert!(s.parse_errors);
        assert_eq!(names(&s), ["true", "curl", "sh", "echo"]);
        assert!(s.has_pipes());
        assert!(s.has_pipe_from_to(DL, SH));
        assert_eq!(s.commands[2].position_in_pipeline, 1);
        let s = parse("[ -n \"$x\" ] && [[ -f a && ( b || c ) ]] && pip install $x )");
        assert_eq!(names(&s), ["pip"]);
        let s = parse("for x in a b; do pip install $x; done )");
        assert_eq!(names(&s), ["pip"]);
        let s = parse("case $x in a|b) echo a;; *) echo b;; esac )");
        assert_eq!(names(&s), ["echo", "echo"]);
        let s = parse("f() { apt-get update; }; f )");
        assert_eq!(names(&s), ["apt-get", "f"]);
        let s = parse("FOO=1 cat <<EOF > x 2>&1\nnot a command\nEOF\nls )");
        assert_eq!(names(&s), ["cat", "ls"]);
        assert_eq!(s.commands[0].assignments.len(), 1);
        assert_eq!(s.commands[0].redirects.len(), 3);
        assert_eq!(args(&s.commands[0]), Vec::<&str>::new());
    }

    #[test]
    fn tokens_only_on_valid_script() {
        let s = parse_tokens_only("apt-get update && apt-get install -y x | tee log");
        assert!(s.parse_errors);
        assert_eq!(names(&s), ["apt-get", "apt-get", "tee"]);
        assert_eq!(s.commands[1].connector_before, Some(Connector::And));
        assert_eq!(s.commands[2].connector_before, Some(Connector::Pipe));
        assert_eq!(s.pipelines().count(), 1);
    }

    #[test]
    fn deep_nesting_falls_back_without_overflow() {
        let depth = 5000;
        let src = format!("{}echo{}", "$(".repeat(depth), ")".repeat(depth));
        let s = parse(&src);
        assert!(s.parse_errors);
        let src = format!("{}x{}", "( ".repeat(depth), " )".repeat(depth));
        assert!(parse(&src).parse_errors);
        let src = format!("{}echo{}", "${a:-".repeat(depth), "}".repeat(depth));
        assert!(parse(&src).parse_errors);
        let src = "if a; then ".repeat(depth);
        assert!(parse(&src).parse_errors);
        let src = format!("{}x{}", "`".repeat(depth), "`".repeat(depth));
        let _ = parse(&src);
        // Moderate nesting is still parsed structurally.
        let src = format!("{}echo{}", "$(".repeat(20), ")".repeat(20));
        assert!(!parse(&src).parse_errors);
    }

    #[test]
    fn empty_and_blank() {
        assert!(ok("").commands.is_empty());
        assert!(ok("  \n\t# just a comment\n").commands.is_empty());
    }

    #[test]
    fn large_input_parses() {
        let line =
        "apt-get install -y --no-install-recommends \"pkg-$V\" 'a b' $(echo x) 2>&1 | tee log && ";
        let src = format!("{}true", line.repeat(20_000));
        let s = parse(&src);
        assert!(!s.parse_errors);
        assert_eq!(s.commands.len(), 60_001);
        let long_word = format!("echo {}", "x".repeat(2_000_000));
        assert_eq!(parse(&long_word).commands[0].args[0].value.len(), 2_000_000);
        let broken = format!("{} '", line.repeat(20_000));
        // Linear work is ~100 ms; a quadratic parser would not finish in a CI run.
        assert!(parse(&broken).parse_errors);
    }

    // --- never panic ----------------------------------------------------------------

    fn shellish() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "a", " ", "\n", "'", "\"", "\\", "$", "(", ")", "{", "}", "[[", "]]", "[", "]", "`",
            "|", "&", ";", "<", ">", "<<", "EOF", "#", "=", "if", "then", "fi", "for", "in", "do",
            "done", "case", "esac", "while", "!", "$(", "${", "$((", "))", "2>&1", "<<-", "\t",
            "é", "\r", "-c", "sh", "curl", "function", "x()", ";;", "@(", "<(", "$'", "\\\n",
        ]);
        prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_metachar_soup(src in shellish()) {
            let s = parse(&src);
            let _ = parse_tokens_only(&src);
            exercise(&s, &src);
        }

        #[test]
        fn never_panics_on_arbitrary_strings(src in ".*") {
            let s = parse(&src);
            let _ = parse_tokens_only(&src);
            exercise(&s, &src);
        }
    }

    /// Calls every helper and checks the invariants rules rely on.
    fn exercise(s: &Script, src: &str) {
        let _ = s.has_pipe_from_to(DL, SH);
        let _ = s.sets_pipefail();
        for (i, c) in s.commands.iter().enumerate() {
            assert!(c.offset <= src.len());
            assert!(c.pipeline < s.all_pipelines.len());
            assert!(c.position_in_pipeline < c.pipeline_len.max(1));
            if let Some(p) = c.parent {
                assert!(p < i);
            }
            let _ = c.has_flag(&["y", "yes"]);
            let _ = c.flag_values("o");
            let _ = c.args_no_flags(&["o", "t"]);
            let _ = c.subcommand();
            let _ = c.effective_command();
            if let Some(inner) = c.inline_script() {
                let _ = inner.commands.len();
            }
            for w in &c.args {
                let _ = w.simplified();
            }
        }
    }
}
