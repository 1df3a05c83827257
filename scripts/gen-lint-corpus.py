#!/usr/bin/env python3
"""Generate dockguard's Dockerfile lint corpus.

The corpus lives in crates/dockguard-dockerfile/tests/corpus/ and is written by
this script only (stdlib, no randomness: every file is a pure function of the
tables below, so re-running reproduces the tree byte for byte).

Every generated file carries *intents*: the DL rules it is meant to trigger
(`hit`) and the rules whose trigger it deliberately sidesteps (`miss`, a
near-miss such as a pinned `apt-get install` for DL3008).  `--check` compares
the intents with the hadolint 2.15 snapshot (hadolint-2.15.tsv, written by
scripts/hadolint-snapshot.sh) and verifies the coverage requirement: every DL
code hadolint 2.15 can emit is hit by >= 2 files and has >= 2 verified
near-miss files.

Usage:
    python3 scripts/gen-lint-corpus.py           # (re)write corpus + README
    python3 scripts/gen-lint-corpus.py --check   # verify intents against the TSV
"""
from __future__ import annotations

import argparse
import collections
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO / "crates" / "dockguard-dockerfile" / "tests" / "corpus"
TSV = CORPUS / "hadolint-2.15.tsv"
FOLDERS = ["debian", "alpine", "rhel", "suse", "windows", "multistage",
           "heredoc", "security", "with-config"]

# ---------------------------------------------------------------------------
# The DL codes hadolint 2.15.1 emits, with default severity and what fires them
# (established by running the 2.15.1 binary on this corpus; see README).
# ---------------------------------------------------------------------------
RULES = [
    ("DL1000", "error", "Parse error: hadolint cannot parse the file; reported at the failing line/column, and the file gets no other finding."),
    ("DL1001", "ignore", "An inline `# hadolint ignore=...` pragma is used (off by default, enable with `override`)."),
    ("DL3000", "error", "WORKDIR is not absolute (`/x`, `$VAR...`, `C:\\x`, `c:/x` are fine; `app`, `\\src` are not)."),
    ("DL3001", "info", "RUN invokes a command that makes no sense in a container: ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig."),
    ("DL3002", "warning", "The last USER of a stage is root (`root`, `0`, `root:x`); checked for every stage."),
    ("DL3003", "warning", "RUN uses `cd`; use WORKDIR."),
    ("DL3004", "error", "RUN uses `sudo`."),
    ("DL3006", "warning", "FROM image without a tag or digest (scratch, earlier stage names and `$VAR` images are exempt)."),
    ("DL3007", "warning", "FROM image uses the `latest` tag."),
    ("DL3008", "warning", "`apt-get install` of a package without `=version` (`.deb` paths are exempt; globs and `-t release` do not help)."),
    ("DL3009", "info", "RUN with `apt-get update` (or `apt update`) but no `rm -rf`/`rm -fr` of /var/lib/apt/lists[/*] in the same RUN (a cache mount on /var/lib/apt/lists exempts it, one on /var/lib/apt alone does not). Only reported for the last stage, for stages used as a base by a FROM, and for stages whose FROM line is identical to the last one; stages only consumed by COPY --from are exempt."),
    ("DL3010", "info", "COPY of a tar archive that a later RUN extracts; use ADD."),
    ("DL3011", "error", "EXPOSE port outside 0..65535 (one finding per EXPOSE line)."),
    ("DL3012", "error", "More than one HEALTHCHECK in a stage (`HEALTHCHECK NONE` counts)."),
    ("DL3013", "warning", "`pip install <pkg>` without a version (`==`, `>=`, `~=`, `-r`, paths, `-e .` are fine; `--upgrade pip` is flagged)."),
    ("DL3014", "warning", "`apt-get install` without `-y`/`--yes`/`--assume-yes`/`-qq`."),
    ("DL3015", "info", "`apt-get install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`)."),
    ("DL3016", "warning", "`npm install <pkg>` without `@version` (`npm ci`, bare `npm install`, local paths fine; git URLs flagged; `npm i` not checked)."),
    ("DL3018", "warning", "`apk add <pkg>` without `=version` (`~`, `>` constraints are fine)."),
    ("DL3019", "info", "`apk add` without `--no-cache` (`--update` + rm /var/cache/apk/* does not help; a cache mount on /var/cache/apk does)."),
    ("DL3020", "error", "ADD of local files/dirs; use COPY (URLs and archives are fine)."),
    ("DL3021", "error", "COPY with more than 2 arguments whose last argument does not end in `/` (JSON form too; ADD not checked)."),
    ("DL3022", "warning", "`COPY --from=x` where x is not a previous stage alias (numeric indexes and image refs containing `:` are accepted)."),
    ("DL3023", "error", "`COPY --from` references its own stage."),
    ("DL3024", "error", "Duplicate stage alias (case-sensitive comparison)."),
    ("DL3025", "warning", "CMD/ENTRYPOINT in shell form; hadolint 2.15 also flags `HEALTHCHECK CMD <shell form>`."),
    ("DL3026", "error", "FROM image from a registry not in `trustedRegistries` (config only)."),
    ("DL3027", "warning", "`apt` used in RUN; use apt-get/apt-cache."),
    ("DL3028", "warning", "`gem install <gem>` without `:version`, `-v` or `--version`."),
    ("DL3029", "warning", "FROM `--platform` with a constant value (variables such as $BUILDPLATFORM are fine)."),
    ("DL3030", "warning", "`yum install` without `-y`."),
    ("DL3032", "warning", "yum install without a later `yum clean all` (or rm -rf /var/cache/yum) in the same RUN."),
    ("DL3033", "warning", "`yum install <pkg>` without `-version` (any dash-separated part starting with a digit counts as a version, so `java-21-openjdk` passes; local .rpm paths are flagged)."),
    ("DL3034", "warning", "zypper install/remove/etc without `-n`/`--non-interactive`/`-y`/`--no-confirm`."),
    ("DL3035", "warning", "`zypper dist-upgrade` / `zypper dup`."),
    ("DL3036", "warning", "zypper install without `zypper clean`/`zypper cc` in the same RUN."),
    ("DL3037", "warning", "`zypper install <pkg>` without `=version` (or `>=`...; `pkg-version` is NOT accepted)."),
    ("DL3038", "warning", "`dnf`/`microdnf install` without `-y`."),
    ("DL3040", "warning", "dnf/microdnf used without `dnf clean all` (or rm /var/cache/dnf) in the same RUN."),
    ("DL3041", "warning", "`dnf`/`microdnf install <pkg>` without `-version` (any dash-separated part starting with a digit counts, e.g. `aspnetcore-runtime-8.0`; `dnf module install` needs `:stream`)."),
    ("DL3042", "warning", "`pip install` without `--no-cache-dir`, unless PIP_NO_CACHE_DIR is truthy in an ENV of the stage or a parent stage, or set inline in the RUN (a pip cache mount does NOT exempt it; pipx/pipenv are ignored)."),
    ("DL3043", "error", "ONBUILD ONBUILD / ONBUILD FROM / ONBUILD MAINTAINER."),
    ("DL3044", "error", "ENV refers to a variable defined earlier in the same ENV instruction (self-reference like PATH=$PATH:x is fine)."),
    ("DL3045", "warning", "COPY to a relative destination with no WORKDIR in the stage (WORKDIR is inherited from parent stages, and quirkily from an earlier unnamed stage of the same image)."),
    ("DL3046", "warning", "`useradd -u <uid of 6+ digits>` without `-l`/`--no-log-init` (`--uid` is not checked)."),
    ("DL3047", "info", "`wget` without `--progress` (or `-q`/`-nv`)."),
    ("DL3048", "style", "Invalid LABEL key (reserved com.docker./io.docker./org.dockerproject. namespaces, upper case, leading digit, `..`, etc.)."),
    ("DL3049", "info", "A `label-schema` label is missing in a stage, reported at its FROM (config only; labels are inherited from parent stages; stages used by COPY --from are exempt)."),
    ("DL3050", "info", "A label not in `label-schema` while `strict-labels` is on (config only)."),
    ("DL3051", "warning", "A `label-schema` label is empty (config only)."),
    ("DL3052", "warning", "A `url` label is not a valid URL (config only)."),
    ("DL3053", "warning", "An `rfc3339` label is not an RFC3339 time (config only)."),
    ("DL3054", "warning", "An `spdx` label is not an SPDX identifier (config only)."),
    ("DL3055", "warning", "A `hash` label is not a git hash (config only)."),
    ("DL3056", "warning", "A `semver` label is not a semantic version (config only)."),
    ("DL3057", "ignore", "A stage has no HEALTHCHECK (off by default, enable with `override`; reported at each FROM)."),
    ("DL3058", "warning", "An `email` label is not an RFC5322 address (config only)."),
    ("DL3059", "info", "Consecutive RUN instructions (only comments/blank lines between) with identical flags where BOTH are a single command; any `&&`, `;` or `|` in either RUN suppresses it. Reported on the later RUN."),
    ("DL3060", "info", "`yarn install` without `yarn cache clean` in the same RUN."),
    ("DL3061", "error", "The first instruction is not FROM or ARG."),
    ("DL3062", "warning", "`go install`/`go get` without `@version` (`@latest` is flagged too)."),
    ("DL3063", "warning", "Stage alias is a reserved word (`scratch`, `context`; case-sensitive)."),
    ("DL3064", "warning", "ARG/ENV name is a known secret name or contains api_key, client_key, password, private, secret, token, username (case-insensitive; so GOPRIVATE, TOKENIZERS_PARALLELISM, *_PASSWORD_FILE are flagged)."),
    ("DL3065", "warning", "`FROM --platform=$TARGETPLATFORM` is redundant."),
    ("DL3066", "info", "USER with a non-numeric user id."),
    ("DL3067", "warning", "`COPY --from=<stage> / /` copies a whole filesystem."),
    ("DL4000", "error", "MAINTAINER is deprecated."),
    ("DL4001", "warning", "A stage uses both wget and curl (every RUN using either is reported)."),
    ("DL4003", "warning", "More than one CMD in a stage (reported on the later ones)."),
    ("DL4004", "error", "More than one ENTRYPOINT in a stage (reported on the later ones)."),
    ("DL4005", "warning", "`ln ... /bin/sh`; use SHELL to change the default shell."),
    ("DL4006", "warning", "RUN with a pipe while SHELL has no `-o pipefail` (an inline `set -o pipefail` does not count; SHELL powershell/pwsh/cmd are exempt, but a full path like `C:\\...\\pwsh.exe` is not, nor the default shell on Windows)."),
]
RULE_CODES = [r[0] for r in RULES]
# Rules that hadolint only reports with the corpus config (with-config/.hadolint.yaml).
CONFIG_RULES = {"DL1001", "DL3026", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053",
                "DL3054", "DL3055", "DL3056", "DL3057", "DL3058"}

HADOLINT_CONFIG = """\
# hadolint configuration for corpus/with-config/ ONLY.
# scripts/hadolint-snapshot.sh runs the files of this folder with
#   hadolint --config crates/dockguard-dockerfile/tests/corpus/with-config/.hadolint.yaml
# It turns on the rules that are off by default (DL1001, DL3057), the
# label-schema rules (DL3049..DL3056, DL3058) and trusted registries (DL3026).
override:
  info:
    - DL1001
    - DL3057
label-schema:
  maintainer: email
  org.opencontainers.image.title: text
  org.opencontainers.image.source: url
  org.opencontainers.image.created: rfc3339
  org.opencontainers.image.licenses: spdx
  org.opencontainers.image.revision: hash
  org.opencontainers.image.version: semver
strict-labels: true
trustedRegistries:
  - docker.io
  - registry.example.com
  - mcr.microsoft.com
"""


# ---------------------------------------------------------------------------
# Corpus bookkeeping
# ---------------------------------------------------------------------------
class Entry:
    def __init__(self, folder, num, slug, text, hit, miss, clean):
        self.folder, self.num, self.slug, self.text = folder, num, slug, text
        self.hit, self.miss, self.clean = set(hit), set(miss), clean

    @property
    def name(self):
        return f"{self.num:03d}-{self.slug}.Dockerfile"

    @property
    def relpath(self):
        return f"crates/dockguard-dockerfile/tests/corpus/{self.folder}/{self.name}"


class Corpus:
    def __init__(self):
        self.entries: list[Entry] = []
        self.slugs = set()

    def add(self, folder, slug, text, hit=(), miss=(), clean=False):
        assert folder in FOLDERS, folder
        assert (folder, slug) not in self.slugs, (folder, slug)
        self.slugs.add((folder, slug))
        hit, miss = set(hit), set(miss)
        overlap = hit & miss
        assert not overlap, (slug, overlap)
        if clean:
            assert not hit, slug
        for code in hit | miss:
            assert code in RULE_CODES, (slug, code)
        if not text.endswith("\n"):
            text += "\n"
        self.entries.append(Entry(folder, len(self.entries) + 1, slug, text, hit, miss, clean))


def df(*parts):
    """Join instruction blocks; None/'' entries are dropped."""
    out = []
    for p in parts:
        if p is None:
            continue
        if isinstance(p, (list, tuple)):
            out.extend(x for x in p if x is not None)
        else:
            out.append(p)
    return "\n".join(out) + "\n"


def chain(cmds, style=0):
    """Render shell commands as one RUN body with line continuations."""
    if len(cmds) == 1:
        return cmds[0]
    if style % 2 == 0:
        return " \\\n    && ".join(cmds)
    return " && \\\n    ".join(cmds)


def pick(seq, i):
    return seq[i % len(seq)]


# ---------------------------------------------------------------------------
# Package tables (plausible versions; only their *shape* matters to the rules)
# ---------------------------------------------------------------------------
DEB = {
    "ca-certificates": "20230311", "curl": "7.88.1-10+deb12u7", "git": "1:2.39.5-0+deb12u1",
    "tini": "0.19.0-1", "gnupg": "2.2.40-1.1", "unzip": "6.0-28", "build-essential": "12.9",
    "libpq-dev": "15.8-0+deb12u1", "libpq5": "15.8-0+deb12u1", "gcc": "4:12.2.0-3", "make": "4.3-4.1",
    "pkg-config": "1.8.1-1", "libssl-dev": "3.0.15-1~deb12u1", "jq": "1.6-2.1",
    "wget": "1.21.3-1+b2", "dumb-init": "1.2.5-2", "gosu": "1.14-1+b6", "netcat-openbsd": "1.219-1",
    "locales": "2.36-9+deb12u9", "tzdata": "2024a-0+deb12u1", "libvips42": "8.14.1-3+deb12u1",
    "default-libmysqlclient-dev": "1.1.0", "libxml2-dev": "2.9.14+dfsg-1.3~deb12u1",
    "postgresql-client-15": "15.8-0+deb12u1", "python3": "3.11.2-1+b1", "procps": "2:4.0.2-3",
    "openssh-client": "1:9.2p1-2+deb12u3", "libicu72": "72.1-3", "libzip-dev": "1.7.3-1+b1",
    "libpng-dev": "1.6.39-2", "zlib1g-dev": "1:1.2.13.dfsg-1", "fonts-dejavu-core": "2.37-6",
    "postgresql-16-pgvector": "0.7.0-1.pgdg120+1", "postgresql-16-postgis-3": "3.4.2+dfsg-1.pgdg120+1",
    "libjemalloc2": "5.3.0-1", "xz-utils": "5.4.1-0.2", "file": "1:5.44-3", "rsync": "3.2.7-1",
    "openjdk-17-jre-headless": "17.0.12+7-2~deb12u1", "nodejs": "18.19.0+dfsg-6~deb12u2",
    "ruby-dev": "1:3.1", "libyaml-dev": "0.2.5-1", "mariadb-client": "1:10.11.6-0+deb12u1",
    "shellcheck": "0.9.0-1", "python3-venv": "3.11.2-1+b1", "python3-pip": "23.0.1+dfsg-1",
    "libgomp1": "12.2.0-14", "libsqlite3-0": "3.40.1-2+deb12u1", "ffmpeg": "7:5.1.6-0+deb12u1",
    "git-lfs": "3.3.0-1+b5", "openssl": "3.0.15-1~deb12u1", "cmake": "3.25.1-1", "ninja-build": "1.11.1-2~deb12u1",
    "libffi-dev": "3.4.4-1", "iputils-ping": "3:20221126-1", "dnsutils": "1:9.18.28-1~deb12u2",
    "apache2": "2.4.61-1~deb12u1", "mariadb-server": "1:10.11.6-0+deb12u1", "php8.2": "8.2.20-1~deb12u1",
    "libapache2-mod-php8.2": "8.2.20-1~deb12u1", "php8.2-mysql": "8.2.20-1~deb12u1", "net-tools": "2.10-0.1",
    "supervisor": "4.2.5-1", "cron": "3.0pl1-162", "gettext-base": "0.21-12", "less": "590-2.1~deb12u2",
    "bash-completion": "1:2.11-6", "vim-tiny": "2:9.0.1378-2", "sudo": "1.9.13p3-1+deb12u1",
    "texlive-latex-base": "2022.20230122-3", "pandoc": "2.17.1.1-2~deb12u1", "chromium": "126.0.6478.126-1~deb12u1",
    "fonts-liberation": "1:1.07.4-11", "libnss3": "2:3.87.1-1", "xvfb": "2:21.1.7-3+deb12u7",
}
APK = {
    "ca-certificates": "20240705-r0", "curl": "8.9.1-r2", "bash": "5.2.26-r0", "tini": "0.19.0-r3",
    "git": "2.45.2-r0", "build-base": "0.5-r3", "openssl": "3.3.2-r0", "tzdata": "2024b-r0",
    "libpq": "16.4-r0", "postgresql16-client": "16.4-r0", "su-exec": "0.2-r3", "jq": "1.7.1-r0",
    "python3": "3.12.7-r0", "py3-pip": "24.0-r2", "nodejs": "20.15.1-r0", "npm": "10.8.0-r0",
    "libstdc++": "13.2.1_git20240309-r0", "musl-dev": "1.2.5-r0", "gcc": "13.2.1_git20240309-r0",
    "openssh-client-default": "9.7_p1-r4", "nginx": "1.26.2-r0", "icu-libs": "74.2-r0",
    "libc6-compat": "1.1.0-r4", "gettext": "0.22.5-r0", "postgresql-dev": "16.4-r0",
    "libffi-dev": "3.4.6-r0", "make": "4.4.1-r2", "yaml-dev": "0.2.5-r2", "tiny": "0.1-r0",
    "imagemagick": "7.1.1.32-r2", "vips": "8.15.2-r1", "dumb-init": "1.2.5-r3", "unzip": "6.0-r14",
    "zip": "3.0-r12", "rsync": "3.3.0-r0", "openssh-keygen": "9.7_p1-r4", "shadow": "4.15.1-r0",
    "libxml2": "2.12.7-r0", "mariadb-client": "10.11.8-r0", "redis": "7.2.5-r0", "sqlite-libs": "3.45.3-r1",
    "ruby-dev": "3.3.5-r0", "php83": "8.3.12-r0", "php83-fpm": "8.3.12-r0", "php83-pdo_pgsql": "8.3.12-r0",
    "php83-opcache": "8.3.12-r0", "php83-mbstring": "8.3.12-r0", "git-lfs": "3.5.1-r3",
    "cargo": "1.78.0-r0", "go": "1.22.7-r0", "openjdk21-jre-headless": "21.0.4_p7-r0", "helm": "3.15.2-r1",
    "kubectl": "1.30.3-r1", "aws-cli": "2.15.57-r0", "terraform": "1.8.5-r0", "xz": "5.6.2-r0",
}
RPM = {  # name -> version as used in `name-version`
    "httpd": "2.4.57", "nginx": "1.24.0", "python3.12": "3.12.1", "python3": "3.9.18",
    "python3-pip": "21.2.3", "java-21-openjdk-headless": "21.0.3.0.9", "nodejs": "20.12.2",
    "npm": "10.5.0", "git": "2.43.5", "tar": "1.34", "gzip": "1.12", "shadow-utils": "4.9",
    "procps-ng": "3.3.17", "findutils": "4.8.0", "gcc": "11.4.1", "make": "4.3", "openssl": "3.0.7",
    "ca-certificates": "2024.2.69_v8.0.303", "curl": "7.76.1", "unzip": "6.0", "which": "2.21",
    "postgresql": "15.7", "ruby": "3.3.1", "php": "8.2.13", "php-fpm": "8.2.13", "php-pgsql": "8.2.13",
    "golang": "1.21.11", "rust": "1.75.0", "cargo": "1.75.0", "dotnet-runtime-8.0": "8.0.6",
    "aspnetcore-runtime-8.0": "8.0.6", "glibc-langpack-en": "2.34", "tzdata": "2024a", "jq": "1.6",
    "hostname": "3.23", "iproute": "6.2.0", "libpq": "13.11", "redis": "7.2.4", "mariadb": "10.5.22",
    "epel-release": "9", "wget": "1.21.1", "xz": "5.2.5", "bzip2": "1.0.8", "openssh-clients": "8.7p1",
    "python3.12-pip": "23.2.1", "java-17-amazon-corretto-headless": "17.0.11.9.1", "libpq-devel": "13.11",
    "python3.12-devel": "3.12.1", "php-cli": "8.2.13", "php-mbstring": "8.2.13", "git-core": "2.43.5",
    "nss_wrapper": "1.1.11", "gettext": "0.21", "cronie": "1.5.7", "rsync": "3.2.3", "httpd-tools": "2.4.57",
}
ZYP = {
    "nginx": "1.21.5", "curl": "8.0.1", "ca-certificates": "2+git20240416", "python311": "3.11.9",
    "python311-pip": "22.3.1", "java-21-openjdk-headless": "21.0.3.0", "nodejs20": "20.12.2",
    "npm20": "20.12.2", "git-core": "2.45.2", "gzip": "1.12", "tar": "1.34", "shadow": "4.8.1",
    "postgresql16": "16.3", "ruby3.3": "3.3.1", "php8": "8.2.20", "php8-fpm": "8.2.20",
    "go1.22": "1.22.5", "gcc": "13", "make": "4.3", "jq": "1.6", "timezone": "2024a",
    "apache2": "2.4.58", "mariadb-client": "10.11.8", "glibc-locale-base": "2.38", "unzip": "6.00",
    "openssl-3": "3.1.4", "which": "2.21", "hostname": "3.16", "iproute2": "6.4", "dotnet-sdk-8.0": "8.0.300",
}


def apt_pkgs(pkgs, pin=True):
    return [f"{p}={DEB[p]}" if pin else p for p in pkgs]


def pkg_block(words, cont="        "):
    """A package list: inline if short, one per line otherwise."""
    if len(words) <= 3:
        return " " + " ".join(words)
    return " \\\n" + " \\\n".join(cont + w for w in words)


# ---------------------------------------------------------------------------
# Package-manager steps.  Each returns (run_flags, [shell commands], hit, miss).
# ---------------------------------------------------------------------------
def pm_apt(pkgs, o):
    """o: pin, yes, norec, clean, tool, update."""
    hit, miss = set(), set()
    tool = o.get("tool", "apt-get")
    flags, cmds = [], []
    if o.get("update", True):
        cmds.append(f"{tool} update")
    yes = o.get("yes", "-y")
    norec = o.get("norec", "flag")
    opts = []
    if norec == "opt":
        opts.append("-o APT::Install-Recommends=false")
    if yes:
        opts.append(yes)
    if norec == "flag":
        opts.append("--no-install-recommends")
    words = apt_pkgs(pkgs, o.get("pin", True))
    cmds.append(f"{tool} install {' '.join(opts)}".rstrip() + pkg_block(words))
    for extra in o.get("then", ()):
        cmds.append(extra)
    clean = o.get("clean", "rm")
    if clean == "rm":
        cmds.append("rm -rf /var/lib/apt/lists/*")
    elif clean == "clean+rm":
        cmds.append("apt-get clean")
        cmds.append("rm -rf /var/lib/apt/lists/*")
    elif clean == "clean-only":
        cmds.append("apt-get clean")
    elif clean == "mount":
        flags = ["--mount=type=cache,target=/var/cache/apt,sharing=locked",
                 "--mount=type=cache,target=/var/lib/apt/lists,sharing=locked"]
    if tool == "apt":
        hit.add("DL3027")
        return flags, cmds, hit, miss
    miss.add("DL3027")
    (miss if o.get("pin", True) else hit).add("DL3008")
    (miss if yes else hit).add("DL3014")
    (miss if norec else hit).add("DL3015")
    if o.get("stage_final", True):
        (miss if clean in ("rm", "clean+rm", "mount") else hit).add("DL3009")
    return flags, cmds, hit, miss


def pm_apk(pkgs, o):
    """o: pin, cache ('no-cache'|'no-cache-first'|'update-rm'|'update-first'|'none'), virtual (list)."""
    hit, miss = set(), set()
    pin = o.get("pin", True)
    words = [f"{p}={APK[p]}" if pin else p for p in pkgs]
    cache = o.get("cache", "no-cache")
    cmds = []
    if cache == "no-cache":
        cmds.append("apk add --no-cache" + pkg_block(words))
    elif cache == "no-cache-first":
        cmds.append("apk --no-cache add" + pkg_block(words))
    elif cache == "update-rm":
        cmds.append("apk add --update" + pkg_block(words))
    elif cache == "update-first":
        cmds.append("apk update")
        cmds.append("apk add" + pkg_block(words))
    else:
        cmds.append("apk add" + pkg_block(words))
    virt = o.get("virtual")
    if virt:
        vwords = [f"{p}={APK[p]}" if pin else p for p in virt]
        cmds.insert(0 if cache != "update-first" else 1,
                    "apk add --no-cache --virtual .build-deps" + pkg_block(vwords))
    for extra in o.get("then", ()):
        cmds.append(extra)
    if virt:
        cmds.append("apk del .build-deps")
    if cache == "update-rm":
        cmds.append("rm -rf /var/cache/apk/*")
    (miss if pin else hit).add("DL3018")
    (miss if cache in ("no-cache", "no-cache-first") and not (virt and False) else hit).add("DL3019")
    return [], cmds, hit, miss


def rpm_version_like(name):
    """hadolint's DL3033/DL3041 test: some dash-separated part after the first starts with a digit."""
    parts = name.split("-")
    if len(parts) <= 1:
        return False
    rest = parts[1:]
    ok = all(p and all(ch.isalnum() or ch in ".~^_:+" for ch in p) for p in rest)
    return ok and any(p[:1].isdigit() for p in rest)


def pm_rpm(pkgs, o, tool):
    """yum / dnf / microdnf.  o: pin, yes, clean ('all'|'rm'|'none'), nodocs, weak."""
    hit, miss = set(), set()
    pin = o.get("pin", True)
    words = [f"{p}-{RPM[p]}" if pin else p for p in pkgs]
    yes = o.get("yes", True)
    opts = ["-y"] if yes else []
    if o.get("nodocs", tool != "yum"):
        opts.append("--nodocs")
    if o.get("weak") and tool == "dnf":
        opts.append("--setopt=install_weak_deps=False")
    cmds = []
    for pre in o.get("pre", ()):
        cmds.append(pre)
    cmds.append(f"{tool} install {' '.join(opts)}".rstrip() + pkg_block(words))
    for extra in o.get("then", ()):
        cmds.append(extra)
    clean = o.get("clean", "all")
    cache_dir = "/var/cache/yum" if tool == "yum" else "/var/cache/dnf"
    if clean == "all":
        cmds.append(f"{tool} clean all")
    elif clean == "all+rm":
        cmds.append(f"{tool} clean all")
        cmds.append(f"rm -rf {cache_dir}")
    elif clean == "rm":
        cmds.append(f"rm -rf {cache_dir}")
    if tool == "yum":
        codes = ("DL3033", "DL3030", "DL3032")
    else:
        codes = ("DL3041", "DL3038", "DL3040")
    if pin:
        miss.add(codes[0])
    elif not all(rpm_version_like(p) for p in pkgs):
        hit.add(codes[0])
    (miss if yes else hit).add(codes[1])
    (miss if clean != "none" else hit).add(codes[2])
    return [], cmds, hit, miss


def pm_zypper(pkgs, o):
    """o: pin, yes ('-n'|'--non-interactive'|'-y'|''), clean ('clean'|'cc'|'none'), refresh, dup."""
    hit, miss = set(), set()
    pin = o.get("pin", True)
    words = [f"{p}={ZYP[p]}" if pin else p for p in pkgs]
    yes = o.get("yes", "-n")
    cmds = []
    if o.get("refresh", True):
        cmds.append(f"zypper {'--non-interactive' if yes else ''} refresh".replace("  ", " "))
    if o.get("dup"):
        cmds.append(f"zypper {yes or '-n'} dup".replace("  ", " ") if o["dup"] == "dup" else
                    f"zypper {yes or '-n'} dist-upgrade")
        hit.add("DL3035")
    elif o.get("update"):
        cmds.append(f"zypper {yes or '-n'} update")
        miss.add("DL3035")
    if yes in ("-n", "--non-interactive"):
        inst = f"zypper {yes} install --no-recommends"
    elif yes:
        inst = f"zypper install {yes} --no-recommends"
    else:
        inst = "zypper install --no-recommends"
    cmds.append(inst + pkg_block(words))
    clean = o.get("clean", "clean")
    if clean == "clean":
        cmds.append("zypper clean --all")
    elif clean == "cc":
        cmds.append("zypper cc -a")
    (miss if pin else hit).add("DL3037")
    (miss if yes else hit).add("DL3034")
    (miss if clean != "none" else hit).add("DL3036")
    return [], cmds, hit, miss


def pm_step(pm, pkgs, o):
    if pm == "apt":
        return pm_apt(pkgs, o)
    if pm == "apk":
        return pm_apk(pkgs, o)
    if pm in ("yum", "dnf", "microdnf"):
        return pm_rpm(pkgs, o, pm)
    if pm == "zypper":
        return pm_zypper(pkgs, o)
    raise ValueError(pm)


def run(cmds, flags=(), style=0):
    head = "RUN " + "".join(f"{f} \\\n    " for f in flags)
    return head + chain(cmds, style)


def json_list(items):
    return "[" + ", ".join('"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"' for x in items) + "]"


USERADD = {
    "apt": "groupadd --system --gid {uid} {name} && useradd --system --uid {uid} --gid {name} --no-create-home --shell /usr/sbin/nologin {name}",
    "apk": "addgroup -S -g {uid} {name} && adduser -S -D -H -u {uid} -G {name} {name}",
    "yum": "useradd --system --uid {uid} --user-group --no-create-home {name}",
    "dnf": "useradd --system --uid {uid} --user-group --no-create-home {name}",
    "microdnf": None,
    "zypper": "useradd --system --uid {uid} --user-group --no-create-home {name}",
}

APPS = ["orders-api", "billing", "auth-gateway", "catalog", "notifier", "report-worker",
        "search-indexer", "webhooks", "inventory", "ledger", "checkout", "media-resizer",
        "geo-lookup", "audit-log", "pricing", "shipping", "feature-flags", "mailer",
        "scheduler", "metrics-proxy", "status-page", "user-profile", "tenant-admin", "ingest"]
PORTS = [8080, 3000, 8000, 9090, 5000, 8081, 4000, 8443, 7000, 9000]
UIDS = [10001, 10002, 1001, 65532, 20000, 1000, 10014, 999]


def app_file(flavor, k, i):
    """Render a single-stage application Dockerfile.

    flavor: dict describing the stack (see the FLAVORS_* tables).
    k:      knobs selecting good/bad variants of each concern.
    Returns (text, hit, miss).
    """
    hit, miss = set(), set()
    app = pick(APPS, i)
    port = k.get("port", flavor.get("port", pick(PORTS, i)))
    uid = k.get("uid", flavor.get("uid", pick(UIDS, i)))
    uname = flavor.get("uname", "app")
    pm = flavor.get("pm")
    lines = []
    lines.append(f"# {flavor['title']}: {app}")
    if k.get("comment"):
        lines.append(f"# {k['comment']}")
    for a in flavor.get("pre_args", ()):
        lines.append(a)
    image = flavor["image"]
    tag = k.get("tag", "ok")
    if tag == "ok":
        ref = image
        miss.update({"DL3006", "DL3007"})
    elif tag == "none":
        ref = image.split(":")[0]
        hit.add("DL3006")
        miss.add("DL3007")
    else:
        ref = image.split(":")[0] + ":latest"
        hit.add("DL3007")
        miss.add("DL3006")
    lines.append(f"FROM {ref}")
    if k.get("maint"):
        lines.append(f"MAINTAINER Platform Team <platform@example.com>")
        hit.add("DL4000")
    labels = k.get("labels", "oci" if i % 3 == 0 else None)
    if labels == "oci":
        lines.append(f'LABEL org.opencontainers.image.title="{app}" \\\n'
                     f'      org.opencontainers.image.vendor="Example Corp" \\\n'
                     f'      org.opencontainers.image.source="https://git.example.com/acme/{app}"')
        miss.add("DL3048")
    elif labels == "bad":
        lines.append(f'LABEL com.docker.compose.project="{app}" \\\n'
                     f'      Version="1.{i % 9}.0"')
        hit.add("DL3048")
    if k.get("maint_label"):
        lines.append('LABEL maintainer="platform@example.com"')
        miss.add("DL4000")
    if k.get("pipe") == "shell":
        lines.append(flavor.get("pipe_shell", 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'))
    env = list(flavor.get("env", ()))
    if k.get("env_selfref"):
        env = [f"ENV APP_HOME=/srv/{app} \\\n    APP_CONFIG=${{APP_HOME}}/config.yaml"]
        hit.add("DL3044")
    elif k.get("env_split"):
        env = [f"ENV APP_HOME=/srv/{app}", "ENV APP_CONFIG=${APP_HOME}/config.yaml \\\n    PATH=${APP_HOME}/bin:$PATH"]
        miss.add("DL3044")
    lines.extend(env)
    runs = 0
    # system packages (+ user creation folded into the same RUN)
    pkgs = k.get("pkgs", flavor.get("pkgs"))
    user = k.get("user", "uid")
    create = USERADD.get(pm) if pm else None
    if flavor.get("no_useradd"):
        create = None
    if pm and pkgs:
        o = dict(flavor.get("pm_opts", {}))
        o.update(k.get("pm", {}))
        flags, cmds, h, m = pm_step(pm, pkgs, o)
        hit |= h
        miss |= m
        if create and user in ("uid", "name", "uidgid"):
            cmds.append(create.format(uid=uid, name=uname))
        if k.get("split"):
            # a classic anti-pattern: one RUN per command
            for c in cmds:
                lines.append(run([c], flags))
            single = [not any(t in c for t in ("&&", ";", "|")) for c in cmds]
            if any(a and b for a, b in zip(single, single[1:])):
                hit.add("DL3059")
            # the cache clean-up now sits in a RUN of its own, which does not count
            for code in ("DL3009", "DL3032", "DL3040", "DL3036"):
                if code in miss:
                    miss.discard(code)
                    hit.add(code)
            runs += len(cmds)
        else:
            lines.append(run(cmds, flags, style=i))
            runs += 1
    elif create and user in ("uid", "name", "uidgid"):
        lines.append(run([create.format(uid=uid, name=uname)]))
        runs += 1
    dl = k.get("dl")
    if dl:
        tool_ver = pick(["1.7.1", "0.21.4", "3.15.2", "2.4.0", "1.30.2"], i)
        lines.append(f"ARG TOOL_VERSION={tool_ver}")
        url = f"https://downloads.example.com/tools/v${{TOOL_VERSION}}/tool-linux-amd64.tar.gz"
        if dl == "curl":
            lines.append(run([f'curl -fsSLo /tmp/tool.tar.gz "{url}"',
                              "tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool",
                              "rm -f /tmp/tool.tar.gz"], style=i))
        elif dl == "curl-pipe":
            lines.append(run([f'curl -fsSL "{url}" | tar -xz -C /usr/local/bin tool'], style=i))
            if k.get("pipe") == "shell":
                miss.add("DL4006")
            else:
                hit.add("DL4006")
        elif dl.startswith("wget"):
            flag = {"wget": "", "wget-q": "-q ", "wget-nv": "-nv ", "wget-progress": "--progress=dot:giga "}[dl]
            lines.append(run([f'wget {flag}-O /tmp/tool.tar.gz "{url}"',
                              "tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool",
                              "rm -f /tmp/tool.tar.gz"], style=i))
            (hit if dl == "wget" else miss).add("DL3047")
        elif dl == "both":
            lines.append(run([f'curl -fsSLo /tmp/tool.tar.gz "{url}"',
                              "tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool",
                              "wget -q -O /usr/local/share/tool.sig \"https://downloads.example.com/tools/v${TOOL_VERSION}/tool.sig\"",
                              "rm -f /tmp/tool.tar.gz"], style=i))
            hit.add("DL4001")
        if dl in ("curl", "curl-pipe", "wget-q", "wget-progress", "wget-nv"):
            miss.add("DL4001")
        runs += 1
    wd = k.get("workdir", "abs")
    appdir = flavor.get("appdir", "/app")
    if wd == "abs":
        lines.append(f"WORKDIR {appdir}")
        miss.add("DL3000")
    elif wd == "var":
        lines.append(f"ENV APP_ROOT={appdir}")
        lines.append("WORKDIR $APP_ROOT")
        miss.add("DL3000")
    elif wd == "rel":
        lines.append(f"WORKDIR {appdir.lstrip('/')}")
        hit.add("DL3000")
    lang = k.get("lang", "good")
    steps, h, m = flavor[lang](i) if callable(flavor[lang]) else flavor[lang]
    steps = list(steps)
    hit |= set(h)
    miss |= set(m)
    rel_copy = any(s.startswith("COPY") and (s.rstrip().endswith(" ./") or s.rstrip().endswith(" .")) for s in steps)
    if rel_copy:
        (hit if wd == "none" else miss).add("DL3045")
    lines.extend(steps)
    runs += sum(1 for s in steps if s.startswith("RUN"))
    if runs >= 2 and not k.get("split") and "DL3059" not in h:
        miss.add("DL3059")
    if user == "uid":
        lines.append(f"USER {uid}")
        miss.update({"DL3066", "DL3002"})
    elif user == "uidgid":
        lines.append(f"USER {uid}:{uid}")
        miss.update({"DL3066", "DL3002"})
    elif user == "name":
        lines.append(f"USER {uname}")
        hit.add("DL3066")
        miss.add("DL3002")
    elif user == "root":
        lines.append("USER root")
        hit.update({"DL3002", "DL3066"})
    elif user == "zero":
        lines.append("USER 0")
        hit.add("DL3002")
        miss.add("DL3066")
    expose = k.get("expose", "ok")
    if expose == "ok":
        lines.append(f"EXPOSE {port}")
        miss.add("DL3011")
    elif expose == "typo":
        lines.append(f"EXPOSE {port}0")
        if port * 10 > 65535:
            hit.add("DL3011")
        else:
            miss.add("DL3011")
    health = k.get("health", "json" if i % 2 == 0 else None)
    hc = flavor.get("health", ["curl", "-fsS", f"http://localhost:{port}/healthz"])
    hc = [x.replace("{port}", str(port)) for x in hc]
    if health == "json":
        lines.append(f"HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD {json_list(hc)}")
        miss.add("DL3012")
    elif health == "shell":
        lines.append(f"HEALTHCHECK --interval=30s CMD {' '.join(hc)} || exit 1")
        hit.add("DL3025")
    elif health == "two":
        lines.append(f"HEALTHCHECK --interval=30s --timeout=5s CMD {json_list(hc)}")
        lines.append(f"HEALTHCHECK --interval=10s --timeout=2s --retries=5 CMD {json_list(hc)}")
        hit.add("DL3012")
    entry = flavor.get("entry")
    cmd = flavor["cmd"](i) if callable(flavor["cmd"]) else flavor["cmd"]
    cmd = [x.replace("{port}", str(port)) for x in cmd]
    form = k.get("cmd", "json")
    if entry:
        if form == "shell":
            lines.append("ENTRYPOINT " + " ".join(entry))
        else:
            lines.append("ENTRYPOINT " + json_list(entry))
    if form == "shell":
        lines.append("CMD " + " ".join(cmd))
        hit.add("DL3025")
    else:
        lines.append("CMD " + json_list(cmd))
        if health != "shell":
            miss.add("DL3025")
    if k.get("cmd_twice"):
        lines.append("CMD " + json_list(cmd[:1] + ["--verbose"]))
        hit.add("DL4003")
    elif form == "json":
        miss.add("DL4003")
    # a knob-level hit wins over a step-level near-miss of the same rule
    miss -= hit
    return "\n".join(lines) + "\n", hit, miss


# ---------------------------------------------------------------------------
# Language steps (after WORKDIR).  Each returns (steps, hit, miss).  Steps never
# start with RUN, so they are never adjacent to the package-manager RUN.
# ---------------------------------------------------------------------------
def node_good(i):
    v = i % 3
    if v == 0:
        return (["COPY package.json package-lock.json ./",
                 "RUN npm ci --omit=dev \\\n    && npm cache clean --force",
                 "COPY . ."], [], [])
    if v == 1:
        return (["COPY package.json pnpm-lock.yaml ./",
                 "RUN npm install -g pnpm@9.4.0 \\\n    && pnpm install --frozen-lockfile --prod",
                 "COPY . ."], [], ["DL3016"])
    return (["COPY package.json yarn.lock ./",
             "RUN yarn install --frozen-lockfile --production \\\n    && yarn cache clean",
             "COPY . ."], [], ["DL3060"])


def node_bad(i):
    v = i % 3
    if v == 0:
        return (["COPY . .", "RUN npm install", "RUN npm install -g nodemon"], ["DL3016", "DL3059"], [])
    if v == 1:
        return (["COPY package.json yarn.lock ./",
                 "RUN yarn install --frozen-lockfile",
                 "COPY . ."], ["DL3060"], [])
    return (["COPY . .", "RUN npm install --production && npm install pm2"], ["DL3016"], [])


def python_good(i):
    v = i % 3
    if v == 0:
        return (["COPY requirements.txt .",
                 "RUN pip install --no-cache-dir -r requirements.txt",
                 "COPY . ."], [], ["DL3013", "DL3042"])
    if v == 1:
        return (["ENV PIP_NO_CACHE_DIR=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1",
                 "COPY requirements.txt .",
                 "RUN pip install -r requirements.txt \\\n    && pip install gunicorn==22.0.0",
                 "COPY . ."], [], ["DL3013", "DL3042"])
    return (["COPY pyproject.toml poetry.lock ./",
             "RUN pip install --no-cache-dir poetry==1.8.3 \\\n"
             "    && poetry config virtualenvs.create false \\\n"
             "    && poetry install --only main --no-root --no-interaction",
             "COPY . ."], [], ["DL3013", "DL3042"])


def python_bad(i):
    v = i % 3
    if v == 0:
        return (["COPY . .", "RUN pip install -r requirements.txt"], ["DL3042"], ["DL3013"])
    if v == 1:
        return (["COPY . .",
                 "RUN pip install --no-cache-dir --upgrade pip \\\n    && pip install --no-cache-dir -r requirements.txt"],
                ["DL3013"], ["DL3042"])
    return (["COPY requirements.txt .",
             "RUN pip install --no-cache-dir -r requirements.txt",
             "RUN pip install gunicorn",
             "COPY . ."], ["DL3013", "DL3042", "DL3059"], [])


def go_good(i):
    steps = ["COPY go.mod go.sum ./", "RUN go mod download", "COPY . ."]
    miss = []
    if i % 2:
        steps.append("RUN go install golang.org/x/vuln/cmd/govulncheck@v1.1.2 \\\n"
                     "    && govulncheck ./... \\\n"
                     "    && CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /usr/local/bin/app ./cmd/app")
        miss.append("DL3062")
    else:
        steps.append("RUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /usr/local/bin/app ./cmd/app")
    return steps, [], miss


def go_bad(i):
    if i % 2:
        return (["COPY . .", "RUN go install github.com/go-delve/delve/cmd/dlv@latest \\\n"
                 "    && go build -gcflags=\"all=-N -l\" -o /usr/local/bin/app ./cmd/app"], ["DL3062"], [])
    return (["COPY . .", "RUN go install github.com/air-verse/air \\\n"
             "    && go build -o /usr/local/bin/app ./cmd/app"], ["DL3062"], [])


def java_good(i):
    return (["COPY build/libs/app.jar /opt/app/app.jar"], [], ["DL3020"])


def java_bad(i):
    return (["ADD build/libs/app.jar /opt/app/app.jar"], ["DL3020"], [])


def ruby_good(i):
    ver = "bundler -v 2.5.11" if i % 2 == 0 else "bundler:2.5.11"
    return (["COPY Gemfile Gemfile.lock ./",
             f"RUN gem install {ver} --no-document \\\n"
             "    && bundle config set --local without 'development test' \\\n"
             "    && bundle install --jobs 4 --retry 3",
             "COPY . ."], [], ["DL3028"])


def ruby_bad(i):
    return (["COPY . .", "RUN gem install bundler && bundle install"], ["DL3028"], [])


def php_good(i):
    return (["COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer",
             "COPY composer.json composer.lock ./",
             "RUN composer install --no-dev --no-scripts --no-interaction --prefer-dist --optimize-autoloader",
             "COPY . ."], [], ["DL3022"])


def php_bad(i):
    return (["RUN curl -sS https://downloads.example.com/composer/installer | php -- --install-dir=/usr/local/bin --filename=composer",
             "COPY . .",
             "RUN composer install --no-dev"], ["DL4006"], [])


def rust_good(i):
    return (["COPY Cargo.toml Cargo.lock ./",
             "COPY src ./src",
             "RUN cargo build --release --locked \\\n    && install -m 0755 target/release/app /usr/local/bin/app \\\n    && rm -rf target"],
            [], ["DL3003"])


def rust_bad(i):
    return (["COPY . /src", "RUN cd /src && cargo build --release && cp target/release/app /usr/local/bin/"],
            ["DL3003"], [])


def dotnet_good(i):
    return (["COPY publish/ ./"], [], ["DL3020"])


def dotnet_bad(i):
    return (["ADD publish/ /app/"], ["DL3020"], [])


def nginx_good(i):
    return (["COPY nginx.conf /etc/nginx/nginx.conf",
             "COPY dist/ /usr/share/nginx/html/"], [], ["DL3020"])


def nginx_bad(i):
    return (["COPY nginx.conf /etc/nginx/nginx.conf",
             "ADD dist /usr/share/nginx/html"], ["DL3020"], [])


def pg_good(i):
    return (["COPY initdb/ /docker-entrypoint-initdb.d/"], [], ["DL3064"])


def pg_bad(i):
    return (["ENV POSTGRES_PASSWORD=changeme",
             "COPY initdb/ /docker-entrypoint-initdb.d/"], ["DL3064"], [])


def redis_good(i):
    return (["COPY redis.conf /usr/local/etc/redis/redis.conf"], [], ["DL3020"])


def redis_bad(i):
    return (["ADD redis.conf /usr/local/etc/redis/redis.conf"], ["DL3020"], [])


def ci_good(i):
    return (["SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
             "ARG KUBECTL_VERSION=v1.30.2",
             "ARG HELM_VERSION=v3.15.2",
             "RUN curl -fsSLo /usr/local/bin/kubectl \"https://downloads.example.com/kubernetes/${KUBECTL_VERSION}/bin/linux/amd64/kubectl\" \\\n"
             "    && chmod 0755 /usr/local/bin/kubectl \\\n"
             "    && curl -fsSL \"https://downloads.example.com/helm/helm-${HELM_VERSION}-linux-amd64.tar.gz\" \\\n"
             "       | tar -xz -C /usr/local/bin --strip-components=1 linux-amd64/helm",
             "COPY scripts/ /usr/local/bin/"], [], ["DL4006"])


def ci_bad(i):
    return (["RUN curl -fsSL https://downloads.example.com/helm/get-helm-3 | bash",
             "COPY scripts/ /usr/local/bin/"], ["DL4006"], [])


def agent_good(i):
    return (["COPY --chown=10001:10001 entrypoint.sh /usr/local/bin/entrypoint.sh"], [], ["DL3004"])


def agent_bad(i):
    return (["COPY entrypoint.sh /usr/local/bin/entrypoint.sh",
             "RUN sudo chmod 0755 /usr/local/bin/entrypoint.sh"], ["DL3004"], [])


def mariadb_good(i):
    return (["COPY conf.d/ /etc/mysql/conf.d/"], [], ["DL3064"])


def mariadb_bad(i):
    return (["ENV MARIADB_ROOT_PASSWORD=root \\\n    MARIADB_DATABASE=app",
             "COPY conf.d/ /etc/mysql/conf.d/"], ["DL3064"], [])


def django_good(i):
    return (["COPY requirements/ requirements/",
             "RUN pip install --no-cache-dir -r requirements/production.txt",
             "COPY . .",
             "RUN python manage.py collectstatic --noinput"], [], ["DL3013", "DL3042"])


def django_bad(i):
    return (["COPY . .",
             "RUN pip install --no-cache-dir -r requirements/production.txt",
             "RUN python manage.py collectstatic --noinput"], ["DL3059"], ["DL3013", "DL3042"])


def ml_good(i):
    return (["COPY requirements.txt .",
             "RUN pip install --no-cache-dir -r requirements.txt \\\n    && pip install --no-cache-dir torch==2.3.1 --index-url https://download.example.com/whl/cpu",
             "COPY model/ ./model/",
             "COPY serve.py ."], [], ["DL3013", "DL3042"])


def ml_bad(i):
    return (["COPY . .",
             "RUN pip install --no-cache-dir -r requirements.txt \\\n    && pip install --no-cache-dir torch --index-url https://download.example.com/whl/cpu"],
            ["DL3013"], ["DL3042"])


def worker_good(i):
    return (["COPY requirements.txt .",
             "RUN pip install --no-cache-dir -r requirements.txt",
             "COPY worker/ ./worker/"], [], ["DL3013", "DL3042"])


def worker_bad(i):
    return (["COPY . .", "RUN pip install celery[redis] flower"], ["DL3013", "DL3042"], [])


FLAVORS_DEBIAN = [
    dict(key="node", title="Node.js HTTP service", image="node:20.14.0-bookworm-slim", pm="apt",
         pkgs=["ca-certificates", "tini"], env=["ENV NODE_ENV=production"], good=node_good, bad=node_bad,
         port=3000, entry=["/usr/bin/tini", "--"], cmd=["node", "dist/server.js"], uname="node", uid=1000,
         no_useradd=True, health=["node", "dist/healthcheck.js"]),
    dict(key="python", title="Python Flask API", image="python:3.12.4-slim-bookworm", pm="apt",
         pkgs=["ca-certificates", "libpq5"], env=["ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1"],
         good=python_good, bad=python_bad, port=8000,
         cmd=["gunicorn", "--bind", "0.0.0.0:{port}", "--workers", "4", "app:create_app()"],
         health=["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:{port}/healthz')"]),
    dict(key="django", title="Django site", image="python:3.11.9-slim-bookworm", pm="apt",
         pkgs=["libpq5", "fonts-dejavu-core"],
         env=["ENV DJANGO_SETTINGS_MODULE=site.settings.production \\\n    PYTHONUNBUFFERED=1"],
         good=django_good, bad=django_bad, port=8000,
         cmd=["gunicorn", "site.wsgi:application", "--bind", "0.0.0.0:8000"]),
    dict(key="celery", title="Celery worker", image="python:3.12.4-slim-bookworm", pm="apt",
         pkgs=["ca-certificates", "libjemalloc2"], env=["ENV LD_PRELOAD=libjemalloc.so.2"],
         good=worker_good, bad=worker_bad, port=5555,
         cmd=["celery", "--app", "worker.app", "worker", "--loglevel", "INFO"],
         health=["celery", "--app", "worker.app", "inspect", "ping"]),
    dict(key="ml", title="Model inference server", image="python:3.11.9-slim-bookworm", pm="apt",
         pkgs=["libgomp1", "ca-certificates"], good=ml_good, bad=ml_bad, port=8080,
         cmd=["python", "serve.py", "--port", "{port}"]),
    dict(key="go", title="Go service (single stage)", image="golang:1.22.4-bookworm", pm="apt",
         pkgs=["ca-certificates", "git"], good=go_good, bad=go_bad, port=8080,
         cmd=["/usr/local/bin/app"], appdir="/src"),
    dict(key="java", title="Spring Boot service", image="eclipse-temurin:21.0.3_9-jre-jammy", pm="apt",
         pkgs=["curl", "ca-certificates"], good=java_good, bad=java_bad, port=8080,
         env=["ENV JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError\""],
         cmd=["java", "-jar", "/opt/app/app.jar"], appdir="/opt/app",
         health=["curl", "-fsS", "http://localhost:{port}/actuator/health"]),
    dict(key="ruby", title="Rails application", image="ruby:3.3.3-slim-bookworm", pm="apt",
         pkgs=["build-essential", "libpq-dev", "libyaml-dev", "git"], good=ruby_good, bad=ruby_bad,
         env=["ENV RAILS_ENV=production \\\n    BUNDLE_DEPLOYMENT=1 \\\n    BUNDLE_PATH=/usr/local/bundle"],
         port=3000, cmd=["bundle", "exec", "puma", "-C", "config/puma.rb"], appdir="/rails"),
    dict(key="php", title="PHP application on Apache", image="php:8.3.8-apache-bookworm", pm="apt",
         pkgs=["libpq-dev", "libzip-dev", "unzip"], pm_opts=dict(then=[
             "docker-php-ext-install -j\"$(nproc)\" pdo_pgsql zip opcache",
             "a2enmod rewrite headers"]),
         good=php_good, bad=php_bad, port=8080, uname="www-data", uid=33, no_useradd=True,
         cmd=["apache2-foreground"], appdir="/var/www/html"),
    dict(key="rust", title="Rust service (single stage)", image="rust:1.79.0-slim-bookworm", pm="apt",
         pkgs=["pkg-config", "libssl-dev"], good=rust_good, bad=rust_bad, port=8080,
         cmd=["/usr/local/bin/app"], appdir="/usr/src/app"),
    dict(key="dotnet", title="ASP.NET Core API", image="mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim",
         pm="apt", pkgs=["curl", "libicu72"], good=dotnet_good, bad=dotnet_bad, port=8080,
         env=["ENV ASPNETCORE_URLS=http://+:8080 \\\n    DOTNET_RUNNING_IN_CONTAINER=true"],
         entry=["dotnet", "Api.dll"], cmd=["--urls", "http://+:8080"]),
    dict(key="nginx", title="Static site on nginx", image="nginx:1.27.0-bookworm", pm=None, pkgs=None,
         good=nginx_good, bad=nginx_bad, port=8080, uname="nginx", uid=101,
         cmd=["nginx", "-g", "daemon off;"], appdir="/usr/share/nginx/html",
         health=["curl", "-fsS", "http://localhost:{port}/"]),
    dict(key="postgres", title="PostgreSQL with extensions", image="postgres:16.3-bookworm", pm="apt",
         pkgs=["postgresql-16-pgvector", "postgresql-16-postgis-3"], good=pg_good, bad=pg_bad, port=5432,
         env=["ENV POSTGRES_DB=app \\\n    PGDATA=/var/lib/postgresql/data/pgdata"], uname="postgres", uid=999,
         no_useradd=True, cmd=["postgres", "-c", "shared_preload_libraries=vector"],
         health=["pg_isready", "-U", "postgres"], appdir="/var/lib/postgresql"),
    dict(key="redis", title="Redis cache", image="redis:7.2.5-bookworm", pm=None, pkgs=None,
         good=redis_good, bad=redis_bad, port=6379, uname="redis", uid=999,
         cmd=["redis-server", "/usr/local/etc/redis/redis.conf"], health=["redis-cli", "ping"], appdir="/data"),
    dict(key="mariadb", title="MariaDB server", image="mariadb:11.4.2-noble", pm=None, pkgs=None,
         good=mariadb_good, bad=mariadb_bad, port=3306, uname="mysql", uid=999,
         cmd=["mariadbd"], health=["healthcheck.sh", "--connect", "--innodb_initialized"], appdir="/var/lib/mysql"),
    dict(key="ci", title="CI deploy tools image", image="debian:bookworm-20240612-slim", pm="apt",
         pkgs=["ca-certificates", "curl", "git", "jq", "openssh-client"], good=ci_good, bad=ci_bad, port=8080,
         cmd=["bash"], appdir="/ci",
         health=["kubectl", "version", "--client"]),
    dict(key="agent", title="Ubuntu build agent", image="ubuntu:24.04", pm="apt",
         pkgs=["build-essential", "git", "curl", "python3", "python3-venv", "shellcheck"],
         good=agent_good, bad=agent_bad, port=8080, uname="builder",
         cmd=["/usr/local/bin/entrypoint.sh"], appdir="/home/builder/src"),
]
FLAV = {f["key"]: f for f in FLAVORS_DEBIAN}


def pins(pkgs):
    return apt_pkgs(pkgs, True)


APT_CLEAN_RUN = "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends{pk} \\\n    && rm -rf /var/lib/apt/lists/*"


def apt_run(pkgs, pin=True):
    return APT_CLEAN_RUN.format(pk=pkg_block(apt_pkgs(pkgs, pin)))


# ---------------------------------------------------------------------------
# debian/ : Debian and Ubuntu based single-stage images
# ---------------------------------------------------------------------------
DEBIAN_TARGETED = [
    # (flavor, slug, knobs)
    ("python", "flask-apt-without-yes", dict(pm=dict(yes=""))),
    ("java", "spring-apt-without-yes", dict(pm=dict(yes=""))),
    ("node", "node-apt-quiet-qq", dict(pm=dict(yes="-qq"))),
    ("ruby", "rails-apt-long-yes", dict(pm=dict(yes="--yes"))),
    ("agent", "agent-apt-assume-yes", dict(pm=dict(yes="--assume-yes"), user="uid")),
    ("java", "spring-apt-recommends", dict(pm=dict(norec=""))),
    ("php", "php-apt-recommends-off-option", dict(pm=dict(norec="opt"))),
    ("celery", "celery-apt-lists-kept", dict(pm=dict(clean="none"))),
    ("ci", "ci-apt-clean-only", dict(pm=dict(clean="clean-only"))),
    ("python", "flask-apt-cache-mount", dict(pm=dict(clean="mount"), comment="apt caches live in BuildKit cache mounts")),
    ("ruby", "rails-apt-clean-and-rm", dict(pm=dict(clean="clean+rm"))),
    ("agent", "agent-uses-apt", dict(pm=dict(tool="apt"))),
    ("node", "node-uses-apt", dict(pm=dict(tool="apt"))),
    ("go", "go-untagged-base", dict(tag="none")),
    ("redis", "redis-untagged-base", dict(tag="none")),
    ("nginx", "nginx-latest-tag", dict(tag="latest")),
    ("agent", "agent-ubuntu-latest", dict(tag="latest")),
    ("node", "node-maintainer", dict(maint=True)),
    ("java", "spring-maintainer", dict(maint=True)),
    ("php", "php-maintainer-label", dict(maint_label=True)),
    ("mariadb", "mariadb-maintainer-label", dict(maint_label=True)),
    ("python", "flask-bad-label-keys", dict(labels="bad")),
    ("dotnet", "aspnet-bad-label-keys", dict(labels="bad")),
    ("django", "django-oci-labels", dict(labels="oci")),
    ("rust", "rust-relative-workdir", dict(workdir="rel")),
    ("celery", "celery-relative-workdir", dict(workdir="rel")),
    ("django", "django-workdir-from-env", dict(workdir="var")),
    ("ml", "inference-workdir-from-env", dict(workdir="var")),
    ("python", "flask-no-workdir", dict(workdir="none")),
    ("node", "node-no-workdir", dict(workdir="none")),
    ("django", "django-env-self-reference", dict(env_selfref=True)),
    ("go", "go-env-self-reference", dict(env_selfref=True)),
    ("ruby", "rails-env-split", dict(env_split=True)),
    ("node", "node-env-split", dict(env_split=True)),
    ("python", "flask-user-by-name", dict(user="name")),
    ("postgres", "postgres-user-by-name", dict(user="name")),
    ("java", "spring-user-root", dict(user="root")),
    ("agent", "agent-user-zero", dict(user="zero")),
    ("dotnet", "aspnet-shell-form-cmd", dict(cmd="shell")),
    ("ruby", "rails-shell-form-cmd", dict(cmd="shell")),
    ("redis", "redis-healthcheck-shell-form", dict(health="shell")),
    ("nginx", "nginx-healthcheck-shell-form", dict(health="shell")),
    ("python", "flask-two-healthchecks", dict(health="two")),
    ("java", "spring-two-healthchecks", dict(health="two")),
    ("node", "node-two-cmds", dict(cmd_twice=True)),
    ("go", "go-two-cmds", dict(cmd_twice=True)),
    ("ci", "ci-curl-pipe-no-pipefail", dict(dl="curl-pipe")),
    ("agent", "agent-curl-pipe-no-pipefail", dict(dl="curl-pipe")),
    ("python", "flask-curl-pipe-pipefail", dict(dl="curl-pipe", pipe="shell")),
    ("rust", "rust-curl-pipe-pipefail", dict(dl="curl-pipe", pipe="shell")),
    ("go", "go-wget-no-progress", dict(dl="wget")),
    ("java", "spring-wget-no-progress", dict(dl="wget")),
    ("ruby", "rails-wget-quiet", dict(dl="wget-q")),
    ("php", "php-wget-progress", dict(dl="wget-progress")),
    ("ml", "inference-wget-nv", dict(dl="wget-nv")),
    ("ci", "ci-curl-and-wget", dict(dl="both")),
    ("agent", "agent-curl-and-wget", dict(dl="both")),
    ("celery", "celery-one-run-per-command", dict(split=True)),
    ("php", "php-one-run-per-command", dict(split=True)),
    ("nginx", "nginx-expose-typo", dict(expose="typo")),
    ("python", "flask-expose-typo", dict(expose="typo")),
    ("dotnet", "aspnet-user-uid-gid", dict(user="uidgid")),
]


def gen_single_stage(c, folder, flavors, targeted, clean_knobs=None, sloppy_knobs=None):
    for j, f in enumerate(flavors):
        k = dict(clean_knobs or {})
        k.setdefault("labels", "oci" if j % 2 == 0 else None)
        k.setdefault("health", "json" if j % 3 != 2 else None)
        text, hit, miss = app_file(f, k, j)
        c.add(folder, f"{f['key']}-clean", text, hit, miss, clean=not hit)
    for j, f in enumerate(flavors):
        k = dict(lang="bad", pm=dict(pin=False), user=pick(["name", "none"], j), health=None, labels=None)
        if sloppy_knobs:
            k = sloppy_knobs(j, f, k)
        text, hit, miss = app_file(f, k, j + 5)
        c.add(folder, f"{f['key']}-sloppy", text, hit, miss)
    fl = {f["key"]: f for f in flavors}
    for j, (key, slug, k) in enumerate(targeted):
        text, hit, miss = app_file(fl[key], k, j + 11)
        c.add(folder, slug, text, hit, miss)


def gen_debian(c):
    gen_single_stage(c, "debian", FLAVORS_DEBIAN, DEBIAN_TARGETED)
    F = "debian"
    # DL3001: commands that make no sense in a container
    c.add(F, "lamp-demo-service-start", df(
        "# Legacy all-in-one LAMP image for the sales demo environment",
        "FROM debian:12.6",
        apt_run(["apache2", "mariadb-server", "php8.2", "libapache2-mod-php8.2", "php8.2-mysql"]),
        "COPY schema.sql /tmp/schema.sql",
        "RUN service mariadb start \\\n    && mysql -uroot < /tmp/schema.sql \\\n    && rm /tmp/schema.sql",
        "COPY site/ /var/www/html/",
        "EXPOSE 80",
        'CMD ["apache2ctl", "-D", "FOREGROUND"]'), hit=["DL3001"],
        miss=["DL3008", "DL3009", "DL3025"])
    c.add(F, "flaky-build-prints-resources", df(
        "# The build sometimes runs out of memory on CI; print what we have first.",
        "FROM ubuntu:22.04",
        apt_run(["procps", "build-essential"]),
        "WORKDIR /src",
        "COPY . .",
        "RUN free -m \\\n    && ps aux \\\n    && make -j2 all",
        'CMD ["/src/bin/server"]'), hit=["DL3001"], miss=["DL3003"])
    c.add(F, "toolbox-known-hosts", df(
        "# Debug toolbox: ssh client and process tools are installed, but not run at build time",
        "FROM debian:12.6-slim",
        apt_run(["openssh-client", "procps", "iputils-ping", "dnsutils", "netcat-openbsd", "less"]),
        "RUN ssh-keyscan -t ed25519 git.example.com >> /etc/ssh/ssh_known_hosts \\\n    && pkill -0 -x init || true",
        "USER 65534",
        'CMD ["sleep", "infinity"]'), miss=["DL3001", "DL3002"])
    c.add(F, "pg-backup-client-tools", df(
        "# Nightly pg_dump job",
        "FROM debian:12.6-slim",
        apt_run(["postgresql-client-15", "ca-certificates", "gnupg"]),
        "RUN psql --version && pg_dump --version",
        "COPY backup.sh /usr/local/bin/backup.sh",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/backup.sh"]'), miss=["DL3001", "DL3059"])
    # DL3010: COPY an archive and extract it by hand
    c.add(F, "profiler-copy-then-untar", df(
        "# Bundle the async profiler with the JRE image",
        "FROM eclipse-temurin:17.0.11_9-jre-jammy",
        "COPY vendor/async-profiler-3.0-linux-x64.tar.gz /tmp/",
        "RUN tar -xzf /tmp/async-profiler-3.0-linux-x64.tar.gz -C /opt \\\n    && rm /tmp/async-profiler-3.0-linux-x64.tar.gz",
        "COPY build/libs/app.jar /opt/app/app.jar",
        "USER 10001",
        'ENTRYPOINT ["java", "-agentpath:/opt/async-profiler-3.0-linux-x64/lib/libasyncProfiler.so=start,event=cpu,file=/tmp/profile.html", "-jar", "/opt/app/app.jar"]'),
        hit=["DL3010"], miss=["DL3020"])
    c.add(F, "docs-site-copy-then-untar", df(
        "FROM nginx:1.27.0-bookworm",
        "COPY build/site.tar.gz /tmp/site.tar.gz",
        "RUN mkdir -p /usr/share/nginx/html/docs \\\n    && tar -xf /tmp/site.tar.gz -C /usr/share/nginx/html/docs \\\n    && rm -f /tmp/site.tar.gz",
        "USER 101",
        "EXPOSE 8080"), hit=["DL3010"])
    c.add(F, "profiler-add-archive", df(
        "# ADD unpacks local tarballs by itself",
        "FROM eclipse-temurin:17.0.11_9-jre-jammy",
        "ADD vendor/async-profiler-3.0-linux-x64.tar.gz /opt/",
        "COPY build/libs/app.jar /opt/app/app.jar",
        "USER 10001",
        'ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]'), miss=["DL3010", "DL3020"], clean=True)
    c.add(F, "restore-bundle-kept-archived", df(
        "# The tarball is extracted by the entrypoint at runtime, not at build time",
        "FROM debian:12.6-slim",
        apt_run(["xz-utils", "ca-certificates"]),
        "COPY seed/seed-data.tar.xz /opt/seed/",
        "COPY restore.sh /usr/local/bin/restore.sh",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/restore.sh", "/opt/seed/seed-data.tar.xz"]'), miss=["DL3010"], clean=True)
    c.add(F, "jdk-add-remote-and-archive", df(
        "FROM debian:12.6-slim",
        apt_run(["ca-certificates"]),
        "ADD vendor/jdk-21.0.3_linux-x64_bin.tar.gz /opt/",
        "ADD https://downloads.example.com/certs/corp-root-ca.crt /usr/local/share/ca-certificates/corp-root-ca.crt",
        "RUN update-ca-certificates",
        "ENV JAVA_HOME=/opt/jdk-21.0.3 \\\n    PATH=/opt/jdk-21.0.3/bin:$PATH",
        "USER 10001",
        'CMD ["java", "-version"]'), miss=["DL3020", "DL3044"], clean=True)
    # DL3021: COPY with several sources needs a directory destination
    c.add(F, "node-copy-two-files-no-slash", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /srv/app",
        "COPY package.json package-lock.json /srv/app",
        "RUN npm ci --omit=dev",
        "COPY src/ /srv/app/src/",
        "USER 1000",
        'CMD ["node", "src/index.js"]'), hit=["DL3021"], miss=["DL3045"])
    c.add(F, "config-json-copy-no-slash", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /srv",
        'COPY ["config/app.yaml", "config/logging.yaml", "/etc/app"]',
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app", "--config", "/etc/app/app.yaml"]'), hit=["DL3021"])
    c.add(F, "node-copy-two-files-slash", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /srv/app",
        "COPY package.json package-lock.json /srv/app/",
        "RUN npm ci --omit=dev",
        "COPY src/ /srv/app/src/",
        "USER 1000",
        'CMD ["node", "src/index.js"]'), miss=["DL3021"], clean=True)
    c.add(F, "nginx-copy-glob-and-json-dir", df(
        "FROM nginx:1.27.0-bookworm",
        "COPY conf.d/*.conf /etc/nginx/conf.d",
        'COPY ["snippets/gzip.conf", "snippets/security-headers.conf", "/etc/nginx/snippets/"]',
        "COPY public/ /usr/share/nginx/html/",
        "USER 101"), miss=["DL3021"], clean=True)
    # DL3043: ONBUILD misuse in template images
    c.add(F, "onbuild-template-maintainer", df(
        "# Team base image; downstream Dockerfiles just say FROM it.",
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "ONBUILD COPY requirements.txt /app/",
        "ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt",
        "ONBUILD MAINTAINER Platform Team <platform@example.com>",
        "ONBUILD COPY . /app/",
        'CMD ["python", "-m", "app"]'), hit=["DL3043"], miss=["DL3042", "DL3013"])
    c.add(F, "onbuild-template-nested", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /usr/src/app",
        "ONBUILD ARG NODE_ENV=production",
        "ONBUILD COPY package.json package-lock.json ./",
        "ONBUILD RUN npm ci",
        "ONBUILD ONBUILD COPY . .",
        'CMD ["npm", "start"]'), hit=["DL3043"])
    c.add(F, "onbuild-template-python", df(
        "FROM python:3.11.9-slim-bookworm",
        "WORKDIR /app",
        "ONBUILD COPY requirements.txt /app/",
        "ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt",
        "ONBUILD COPY . /app/",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), miss=["DL3043"], clean=True)
    c.add(F, "onbuild-template-ruby", df(
        "FROM ruby:3.3.3-slim-bookworm",
        "WORKDIR /usr/src/app",
        "ONBUILD COPY Gemfile Gemfile.lock /usr/src/app/",
        "ONBUILD RUN bundle install --jobs 4",
        "ONBUILD COPY . /usr/src/app/",
        "USER 1000",
        'CMD ["bundle", "exec", "rackup"]'), miss=["DL3043"], clean=True)
    # DL3046: high uids without -l
    c.add(F, "openshift-style-high-uid", df(
        "FROM debian:12.6-slim",
        apt_run(["ca-certificates", "tini"]),
        "RUN useradd -r -u 1000680000 -g 0 -d /srv/app -s /sbin/nologin app",
        "WORKDIR /srv/app",
        "COPY --chown=1000680000:0 bin/ /srv/app/bin/",
        "USER 1000680000",
        'ENTRYPOINT ["/usr/bin/tini", "--", "/srv/app/bin/server"]'), hit=["DL3046"], miss=["DL3059"])
    c.add(F, "ci-runner-high-uid", df(
        "FROM ubuntu:24.04",
        apt_run(["git", "curl", "ca-certificates"]),
        "WORKDIR /home/runner",
        "RUN useradd -m -u 2000001000 -s /bin/bash runner",
        "USER 2000001000",
        'CMD ["bash"]'), hit=["DL3046"])
    c.add(F, "openshift-style-high-uid-nolog", df(
        "FROM debian:12.6-slim",
        apt_run(["ca-certificates", "tini"]),
        "WORKDIR /srv/app",
        "RUN useradd -l -r -u 1000680000 -g 0 -d /srv/app -s /sbin/nologin app",
        "COPY --chown=1000680000:0 bin/ /srv/app/bin/",
        "USER 1000680000",
        'ENTRYPOINT ["/usr/bin/tini", "--", "/srv/app/bin/server"]'), miss=["DL3046"], clean=True)
    c.add(F, "ci-runner-high-uid-no-log-init", df(
        "FROM ubuntu:24.04",
        apt_run(["git", "curl", "ca-certificates"]),
        "WORKDIR /home/runner",
        "RUN useradd --no-log-init -m -u 2000001000 -s /bin/bash runner",
        "USER 2000001000",
        'CMD ["bash"]'), miss=["DL3046"], clean=True)
    # DL3061: instructions before FROM
    c.add(F, "label-before-from", df(
        'LABEL org.opencontainers.image.authors="platform@example.com"',
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "main.py"]'), hit=["DL3061"])
    c.add(F, "env-before-from", df(
        "# Proxy settings for the build network",
        "ENV HTTP_PROXY=http://proxy.example.com:3128",
        "FROM debian:12.6-slim",
        apt_run(["curl", "ca-certificates"]),
        "USER 10001",
        'CMD ["bash"]'), hit=["DL3061"])
    c.add(F, "arg-before-from-python-version", df(
        "ARG PYTHON_VERSION=3.12.4",
        "FROM python:${PYTHON_VERSION}-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "main.py"]'), miss=["DL3061", "DL3006"], clean=True)
    c.add(F, "arg-before-from-base-image", df(
        "# syntax=docker/dockerfile:1",
        "# Base image can be swapped for the FIPS variant in CI.",
        "ARG BASE_IMAGE=debian:12.6-slim",
        "FROM ${BASE_IMAGE}",
        apt_run(["ca-certificates", "openssl"]),
        "USER 10001",
        'CMD ["openssl", "version"]'), miss=["DL3061", "DL3006"], clean=True)
    # DL4004 / DL4003: overriding ENTRYPOINT/CMD twice
    c.add(F, "entrypoint-overridden", df(
        "FROM node:20.14.0-bookworm-slim",
        'ENTRYPOINT ["docker-entrypoint.sh"]',
        "WORKDIR /app",
        "COPY . .",
        "USER 1000",
        'ENTRYPOINT ["node", "server.js"]'), hit=["DL4004"])
    c.add(F, "entrypoint-debug-leftover", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY . .",
        'ENTRYPOINT ["python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "-m", "app"]',
        "USER 10001",
        'ENTRYPOINT ["python", "-m", "app"]',
        'CMD ["--port", "8000"]'), hit=["DL4004"], miss=["DL4003"])
    c.add(F, "entrypoint-plus-cmd", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY . .",
        "USER 10001",
        'ENTRYPOINT ["python", "-m", "app"]',
        'CMD ["--port", "8000"]'), miss=["DL4004", "DL4003"], clean=True)
    c.add(F, "entrypoint-script-plus-cmd", df(
        "FROM redis:7.2.5-bookworm",
        "COPY docker-entrypoint.d/ /docker-entrypoint.d/",
        "USER 999",
        'ENTRYPOINT ["docker-entrypoint.sh"]',
        'CMD ["redis-server", "--appendonly", "yes"]'), miss=["DL4004"], clean=True)
    # DL4005: changing /bin/sh with ln
    c.add(F, "bash-as-sh-symlink", df(
        "FROM ubuntu:22.04",
        "RUN ln -sf /bin/bash /bin/sh",
        apt_run(["build-essential", "git"]),
        "WORKDIR /src",
        "COPY . .",
        'CMD ["make", "test"]'), hit=["DL4005"], miss=["DL3059"])
    c.add(F, "bash-as-sh-symlink-snf", df(
        "FROM debian:12.6",
        apt_run(["build-essential", "cmake", "ninja-build"]),
        "RUN ln -snf /bin/bash /bin/sh \\\n    && echo 'dash dash/sh boolean false' | debconf-set-selections",
        "WORKDIR /src",
        'CMD ["bash"]'), hit=["DL4005"])
    c.add(F, "bash-via-shell-instruction", df(
        "FROM ubuntu:22.04",
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        apt_run(["build-essential", "git"]),
        "WORKDIR /src",
        "COPY . .",
        "USER 10001",
        'CMD ["make", "test"]'), miss=["DL4005"], clean=True)
    c.add(F, "python-alias-symlink", df(
        "FROM debian:12.6-slim",
        apt_run(["python3", "python3-venv"]),
        "WORKDIR /app",
        "RUN ln -s /usr/bin/python3 /usr/local/bin/python",
        "USER 10001",
        'CMD ["python", "--version"]'), miss=["DL4005"], clean=True)
    # line continuations with comments, lowercase instructions, pragmas
    c.add(F, "continuation-comments", df(
        "FROM debian:12.6-slim",
        "RUN apt-get update \\\n"
        "    # tools needed by the health check\n"
        f"    && apt-get install -y --no-install-recommends curl={DEB['curl']} ca-certificates={DEB['ca-certificates']} \\\n"
        "    # keep the image small\n"
        "    && rm -rf /var/lib/apt/lists/*",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'HEALTHCHECK CMD ["curl", "-fsS", "http://localhost:8080/healthz"]',
        'CMD ["/usr/local/bin/app"]'), miss=["DL3008", "DL3009", "DL3015"], clean=True)
    c.add(F, "continuation-comments-unpinned", df(
        "FROM debian:12.6-slim",
        "RUN apt-get update \\\n"
        "    # build deps\n"
        "    && apt-get install -y --no-install-recommends \\\n"
        "        gcc \\\n"
        "        # libc headers\n"
        "        libc6-dev \\\n"
        "    && rm -rf /var/lib/apt/lists/*",
        "WORKDIR /src",
        "COPY . .",
        'CMD ["make"]'), hit=["DL3008"], miss=["DL3009"])
    c.add(F, "lowercase-instructions", df(
        "from python:3.12.4-slim-bookworm",
        "workdir /app",
        "copy requirements.txt .",
        "run pip install --no-cache-dir -r requirements.txt",
        "copy . .",
        "user 10001",
        'cmd ["python", "main.py"]'), miss=["DL3042", "DL3045"], clean=True)
    c.add(F, "lowercase-sloppy", df(
        "from ubuntu:22.04",
        "run apt-get update && apt-get install -y python3",
        "copy . /opt/app",
        "workdir opt/app",
        "cmd python3 main.py"), hit=["DL3008", "DL3015", "DL3009", "DL3000", "DL3025"])
    c.add(F, "pragma-ignore-apt-pin", df(
        "FROM debian:12.6-slim",
        "# Security updates must always win here, so packages are not pinned.",
        "# hadolint ignore=DL3008",
        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends ca-certificates curl \\\n    && rm -rf /var/lib/apt/lists/*",
        "USER 10001",
        'CMD ["curl", "--version"]'), miss=["DL3008"], clean=True)
    c.add(F, "pragma-ignore-multiple", df(
        "FROM ubuntu:24.04",
        "# hadolint ignore=DL3008,DL3015",
        "RUN apt-get update && apt-get install -y texlive-latex-base pandoc && rm -rf /var/lib/apt/lists/*",
        "WORKDIR /docs",
        "COPY . .",
        "RUN pandoc README.md -o README.pdf",
        "USER 10001",
        'CMD ["pandoc", "--version"]'), miss=["DL3008", "DL3015"], clean=True)
    c.add(F, "pragma-global-ignore", df(
        "# hadolint global ignore=DL3059",
        "FROM debian:12.6-slim",
        apt_run(["curl", "ca-certificates"]),
        "RUN curl -fsSLo /usr/local/bin/yq https://downloads.example.com/yq/v4.44.2/yq_linux_amd64",
        "RUN chmod 0755 /usr/local/bin/yq",
        "USER 10001",
        'CMD ["yq", "--version"]'), miss=["DL3059"], clean=True)
    c.add(F, "pragma-wrong-line", df(
        "FROM debian:12.6-slim",
        "# hadolint ignore=DL3008",
        "ENV DEBIAN_FRONTEND=noninteractive",
        "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
        "USER 10001",
        'CMD ["curl", "--version"]'), hit=["DL3008"])
    c.add(F, "headless-chrome-tests", df(
        "# E2E test runner with headless Chromium",
        "FROM node:20.14.0-bookworm",
        apt_run(["chromium", "fonts-liberation", "libnss3", "xvfb"]),
        "ENV PUPPETEER_SKIP_DOWNLOAD=true \\\n    CHROME_BIN=/usr/bin/chromium",
        "WORKDIR /e2e",
        "COPY package.json package-lock.json ./",
        "RUN npm ci",
        "COPY . .",
        "USER 1000",
        'CMD ["npx", "playwright", "test"]'), clean=True)
    c.add(F, "supervisor-multi-process", df(
        "# nginx + php-fpm + cron in one container, managed by supervisord",
        "FROM php:8.3.8-fpm-bookworm",
        apt_run(["supervisor", "cron", "gettext-base"]),
        "COPY supervisord.conf /etc/supervisor/conf.d/app.conf",
        "COPY crontab /etc/cron.d/app",
        "RUN chmod 0644 /etc/cron.d/app && crontab /etc/cron.d/app",
        "WORKDIR /var/www/html",
        "COPY . .",
        "EXPOSE 8080",
        'CMD ["supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]'))
    # DL3060: yarn caches
    c.add(F, "yarn-install-keeps-cache", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY package.json yarn.lock ./",
        "RUN yarn install --frozen-lockfile --production",
        "COPY . .",
        "USER 1000",
        'CMD ["node", "index.js"]'), hit=["DL3060"])
    c.add(F, "yarn-workspaces-keeps-cache", df(
        "FROM node:18.20.3-bookworm",
        "WORKDIR /repo",
        "COPY package.json yarn.lock ./",
        "COPY packages/ packages/",
        "RUN yarn install --frozen-lockfile && yarn workspace @acme/web build",
        "USER 1000",
        'CMD ["yarn", "workspace", "@acme/web", "start"]'), hit=["DL3060"])
    c.add(F, "yarn-install-cache-cleaned", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY package.json yarn.lock ./",
        "RUN yarn install --frozen-lockfile --production && yarn cache clean",
        "COPY . .",
        "USER 1000",
        'CMD ["node", "index.js"]'), miss=["DL3060"], clean=True)
    c.add(F, "yarn-workspaces-cache-cleaned", df(
        "FROM node:18.20.3-bookworm",
        "WORKDIR /repo",
        "COPY package.json yarn.lock ./",
        "COPY packages/ packages/",
        "RUN yarn install --frozen-lockfile \\\n    && yarn workspace @acme/web build \\\n    && yarn cache clean --all",
        "USER 1000",
        'CMD ["yarn", "workspace", "@acme/web", "start"]'), miss=["DL3060"], clean=True)


# ---------------------------------------------------------------------------
# alpine/
# ---------------------------------------------------------------------------
ASH_PIPEFAIL = 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]'


def static_steps(src, dst):
    def good(i):
        return ([f"COPY {src} {dst}"], [], ["DL3020"])

    def bad(i):
        return ([f"ADD {src} {dst}"], ["DL3020"], [])
    return good, bad


def py_apk_good(i):
    return (["COPY requirements.txt .",
             "RUN pip install --no-cache-dir --break-system-packages -r requirements.txt",
             "COPY app/ ./app/"], [], ["DL3013", "DL3042"])


def py_apk_bad(i):
    return (["COPY . .",
             "RUN pip install --break-system-packages httpx rich"], ["DL3013", "DL3042"], [])


def ci_apk_good(i):
    return ([ASH_PIPEFAIL,
             "ARG KUSTOMIZE_VERSION=5.4.2",
             "RUN wget -qO- \"https://downloads.example.com/kustomize/v${KUSTOMIZE_VERSION}/kustomize_linux_amd64.tar.gz\" \\\n"
             "    | tar -xz -C /usr/local/bin kustomize",
             "COPY scripts/ /usr/local/bin/"], [], ["DL4006", "DL3047"])


def ci_apk_bad(i):
    return (["RUN wget -O- https://downloads.example.com/kustomize/install_kustomize.sh | sh",
             "COPY scripts/ /usr/local/bin/"], ["DL4006", "DL3047"], [])


def php_fpm_good(i):
    return (["COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer",
             "COPY composer.json composer.lock ./",
             "RUN composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader",
             "COPY . ."], [], ["DL3022"])


def php_fpm_bad(i):
    return (["COPY --from=composer /usr/bin/composer /usr/bin/composer",
             "COPY . .",
             "RUN composer install --no-dev"], ["DL3022"], [])


FLAVORS_ALPINE = [
    dict(key="node", title="Node.js service on Alpine", image="node:20.14.0-alpine3.20", pm="apk",
         pkgs=["tini"], env=["ENV NODE_ENV=production"], good=node_good, bad=node_bad, port=3000,
         entry=["/sbin/tini", "--"], cmd=["node", "dist/main.js"], uname="node", uid=1000, no_useradd=True,
         pipe_shell=ASH_PIPEFAIL, health=["wget", "-q", "--spider", "http://localhost:{port}/healthz"]),
    dict(key="python", title="FastAPI service on Alpine", image="python:3.12.4-alpine3.20", pm="apk",
         pkgs=["libpq", "tzdata"], env=["ENV PYTHONUNBUFFERED=1"], good=python_good, bad=python_bad, port=8000,
         pipe_shell=ASH_PIPEFAIL, cmd=["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "{port}"],
         health=["wget", "-q", "--spider", "http://localhost:{port}/health"]),
    dict(key="go", title="Go tool image on Alpine", image="golang:1.22.4-alpine3.20", pm="apk",
         pkgs=["git", "ca-certificates"], good=go_good, bad=go_bad, port=8080, pipe_shell=ASH_PIPEFAIL,
         cmd=["/usr/local/bin/app"], appdir="/src"),
    dict(key="nginx", title="SPA on nginx-alpine", image="nginx:1.27.0-alpine3.19", pm=None, pkgs=None,
         good=static_steps("dist/", "/usr/share/nginx/html/")[0], bad=static_steps("dist/", "/usr/share/nginx/html/")[1],
         port=8080, uname="nginx", uid=101, cmd=["nginx", "-g", "daemon off;"], appdir="/usr/share/nginx/html",
         health=["wget", "-q", "--spider", "http://localhost:{port}/"]),
    dict(key="php", title="PHP-FPM on Alpine", image="php:8.3.8-fpm-alpine3.20", pm="apk",
         pkgs=["libpq"], pm_opts=dict(virtual=["postgresql-dev"], then=["docker-php-ext-install pdo_pgsql opcache"]),
         good=php_fpm_good, bad=php_fpm_bad, port=9000, uname="www-data", uid=82, no_useradd=True,
         cmd=["php-fpm"], appdir="/var/www/html", health=["php-fpm-healthcheck"]),
    dict(key="ruby", title="Sinatra app on Alpine", image="ruby:3.3.3-alpine3.20", pm="apk",
         pkgs=["libpq", "tzdata"], pm_opts=dict(virtual=["build-base", "postgresql-dev"]),
         good=ruby_good, bad=ruby_bad, port=4567, pipe_shell=ASH_PIPEFAIL,
         cmd=["bundle", "exec", "rackup", "--host", "0.0.0.0", "-p", "{port}"]),
    dict(key="redis", title="Redis on Alpine", image="redis:7.2.5-alpine3.20", pm=None, pkgs=None,
         good=redis_good, bad=redis_bad, port=6379, uname="redis", uid=999,
         cmd=["redis-server", "/usr/local/etc/redis/redis.conf"], health=["redis-cli", "ping"], appdir="/data"),
    dict(key="ci", title="Kubernetes deploy tools", image="alpine:3.20.1", pm="apk",
         pkgs=["bash", "git", "jq", "kubectl", "helm", "aws-cli"], good=ci_apk_good, bad=ci_apk_bad,
         port=8080, pipe_shell=ASH_PIPEFAIL, cmd=["bash"], appdir="/deploy", health=["kubectl", "version", "--client"]),
    dict(key="java", title="JRE service on Alpine", image="eclipse-temurin:21.0.3_9-jre-alpine", pm="apk",
         pkgs=["tini"], good=java_good, bad=java_bad, port=8080, entry=["/sbin/tini", "--"],
         cmd=["java", "-jar", "/opt/app/app.jar"], appdir="/opt/app", pipe_shell=ASH_PIPEFAIL,
         health=["wget", "-q", "--spider", "http://localhost:{port}/actuator/health"]),
    dict(key="probe", title="HTTP probe utility", image="alpine:3.20.1", pm="apk",
         pkgs=["curl", "jq", "ca-certificates"], good=static_steps("probe.sh", "/usr/local/bin/probe.sh")[0],
         bad=static_steps("probe.sh", "/usr/local/bin/probe.sh")[1], port=8080, pipe_shell=ASH_PIPEFAIL,
         entry=["/usr/local/bin/probe.sh"], cmd=["--help"], appdir="/probe"),
    dict(key="pgbackup", title="Postgres backup job", image="alpine:3.20.1", pm="apk",
         pkgs=["postgresql16-client", "tzdata", "aws-cli"], good=static_steps("backup.sh", "/usr/local/bin/backup.sh")[0],
         bad=static_steps("backup.sh", "/usr/local/bin/backup.sh")[1], port=8080, pipe_shell=ASH_PIPEFAIL,
         cmd=["/usr/local/bin/backup.sh"], appdir="/backup"),
    dict(key="pyapk", title="Python from apk", image="alpine:3.20.1", pm="apk",
         pkgs=["python3", "py3-pip"], good=py_apk_good, bad=py_apk_bad, port=8000, pipe_shell=ASH_PIPEFAIL,
         cmd=["python3", "-m", "app"]),
    dict(key="rust", title="Rust service on Alpine (single stage)", image="rust:1.79.0-alpine3.20", pm="apk",
         pkgs=["musl-dev"], good=rust_good, bad=rust_bad, port=8080, pipe_shell=ASH_PIPEFAIL,
         cmd=["/usr/local/bin/app"], appdir="/usr/src/app"),
    dict(key="busybox", title="Static files on busybox httpd", image="busybox:1.36.1-musl", pm=None, pkgs=None,
         good=static_steps("public/", "/www/")[0], bad=static_steps("public/", "/www/")[1], port=8080,
         uname="nobody", uid=65534, cmd=["httpd", "-f", "-v", "-p", "8080", "-h", "/www"], appdir="/www",
         health=["wget", "-q", "--spider", "http://localhost:8080/"]),
]

ALPINE_TARGETED = [
    ("python", "fastapi-apk-unpinned", dict(pm=dict(pin=False))),
    ("probe", "probe-apk-unpinned", dict(pm=dict(pin=False))),
    ("ci", "deploy-apk-without-no-cache", dict(pm=dict(cache="none"))),
    ("node", "node-apk-update-and-rm-cache", dict(pm=dict(cache="update-rm"))),
    ("pgbackup", "pgdump-apk-update-first", dict(pm=dict(cache="update-first"))),
    ("ruby", "sinatra-apk-no-cache-first", dict(pm=dict(cache="no-cache-first"))),
    ("pyapk", "pyapk-no-cache-first", dict(pm=dict(cache="no-cache-first"))),
    ("python", "fastapi-apk-virtual-build-deps", dict(pm=dict(virtual=["build-base", "libffi-dev"], then=[
        "pip install --no-cache-dir cffi==1.16.0"]))),
    ("probe", "probe-untagged-alpine", dict(tag="none")),
    ("java", "jre-untagged", dict(tag="none")),
    ("ci", "deploy-alpine-latest", dict(tag="latest")),
    ("redis", "redis-maintainer", dict(maint=True)),
    ("nginx", "spa-bad-label-keys", dict(labels="bad")),
    ("go", "go-relative-workdir", dict(workdir="rel")),
    ("node", "node-workdir-from-env", dict(workdir="var")),
    ("python", "fastapi-no-workdir", dict(workdir="none")),
    ("java", "jre-env-self-reference", dict(env_selfref=True)),
    ("pyapk", "pyapk-env-split", dict(env_split=True)),
    ("php", "php-fpm-user-by-name", dict(user="name")),
    ("pgbackup", "pgdump-user-root", dict(user="root")),
    ("busybox", "busybox-user-by-name", dict(user="name")),
    ("pgbackup", "pgdump-shell-form-cmd", dict(cmd="shell")),
    ("nginx", "spa-healthcheck-shell-form", dict(health="shell")),
    ("node", "node-two-healthchecks", dict(health="two")),
    ("probe", "probe-curl-pipe-no-pipefail", dict(dl="curl-pipe")),
    ("go", "go-curl-pipe-ash-pipefail", dict(dl="curl-pipe", pipe="shell")),
    ("ruby", "sinatra-curl-pipe-ash-pipefail", dict(dl="curl-pipe", pipe="shell")),
    ("pyapk", "pyapk-busybox-wget", dict(dl="wget")),
    ("node", "node-busybox-wget-quiet", dict(dl="wget-q")),
    ("probe", "probe-curl-and-wget", dict(dl="both")),
    ("pyapk", "pyapk-one-run-per-command", dict(split=True)),
    ("redis", "redis-expose-still-valid", dict(expose="typo")),
    ("busybox", "busybox-expose-typo", dict(expose="typo")),
    ("ci", "deploy-two-cmds", dict(cmd_twice=True)),
]


# ---------------------------------------------------------------------------
# rhel/ : UBI, Fedora, CentOS, Rocky, Alma, Amazon Linux (yum / dnf / microdnf)
# ---------------------------------------------------------------------------
def rh_py_good(i):
    return (["COPY requirements.txt .",
             "RUN python3.12 -m pip install --no-cache-dir -r requirements.txt",
             "COPY . ."], [], ["DL3013", "DL3042"])


def rh_py_bad(i):
    return (["COPY . .",
             "RUN python3.12 -m pip install -r requirements.txt"], ["DL3042"], ["DL3013"])


def rh_static(src, dst):
    return static_steps(src, dst)


FLAVORS_RHEL = [
    dict(key="ubi-python", title="Python API on UBI 9", image="registry.access.redhat.com/ubi9/ubi:9.4-1123",
         pm="dnf", pkgs=["python3.12", "python3.12-pip"], good=rh_py_good, bad=rh_py_bad, port=8080,
         cmd=["python3.12", "-m", "gunicorn", "--bind", "0.0.0.0:{port}", "app:app"]),
    dict(key="ubi-node", title="Node.js on UBI 9 (module stream)", image="registry.access.redhat.com/ubi9/ubi:9.4-1123",
         pm="dnf", pkgs=["nodejs", "npm"], pm_opts=dict(pre=["dnf module enable -y nodejs:20"]),
         good=node_good, bad=node_bad, port=3000, cmd=["node", "server.js"], appdir="/opt/app-root/src"),
    dict(key="ubi-minimal-go", title="Go binary on UBI 9 minimal", image="registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134",
         pm="microdnf", pkgs=["ca-certificates", "tzdata"], good=rh_static("bin/server", "/usr/local/bin/server")[0],
         bad=rh_static("bin/server", "/usr/local/bin/server")[1], port=8080, uid=1001,
         cmd=["/usr/local/bin/server"], appdir="/opt/app"),
    dict(key="ubi8-java", title="Java service on UBI 8", image="registry.access.redhat.com/ubi8/ubi:8.10-1020",
         pm="yum", pkgs=["java-21-openjdk-headless", "shadow-utils"], good=java_good, bad=java_bad, port=8080,
         cmd=["java", "-jar", "/opt/app/app.jar"], appdir="/opt/app"),
    dict(key="fedora-dev", title="Fedora development container", image="fedora:40", pm="dnf",
         pkgs=["gcc", "make", "git-core", "python3"], pm_opts=dict(weak=True),
         good=rh_static("Makefile", "/src/Makefile")[0], bad=rh_static("Makefile", "/src/Makefile")[1],
         port=8080, cmd=["make", "-C", "/src", "test"], appdir="/src"),
    dict(key="centos7-php", title="Legacy PHP app on CentOS 7", image="centos:7.9.2009", pm="yum",
         pkgs=["httpd", "php", "php-pgsql"], good=rh_static("site/", "/var/www/html/")[0],
         bad=rh_static("site/", "/var/www/html/")[1], port=8080, uname="apache", uid=48, no_useradd=True,
         cmd=["httpd", "-DFOREGROUND"], appdir="/var/www/html"),
    dict(key="rocky-httpd", title="Apache httpd on Rocky Linux", image="rockylinux:9.3.20231119", pm="dnf",
         pkgs=["httpd", "httpd-tools"], good=rh_static("public/", "/var/www/html/")[0],
         bad=rh_static("public/", "/var/www/html/")[1], port=8080, uname="apache", uid=48, no_useradd=True,
         cmd=["httpd", "-DFOREGROUND"], appdir="/var/www/html"),
    dict(key="alma-nginx", title="nginx on AlmaLinux", image="almalinux:9.4-20240530", pm="dnf",
         pkgs=["nginx"], good=rh_static("nginx.conf", "/etc/nginx/nginx.conf")[0],
         bad=rh_static("nginx.conf", "/etc/nginx/nginx.conf")[1], port=8080, uname="nginx", uid=998,
         no_useradd=True, cmd=["nginx", "-g", "daemon off;"], appdir="/usr/share/nginx/html"),
    dict(key="al2023-python", title="Python worker on Amazon Linux 2023", image="amazonlinux:2023.4.20240611.0",
         pm="dnf", pkgs=["python3", "python3-pip", "shadow-utils"], good=python_good, bad=python_bad, port=8080,
         cmd=["python3", "-m", "worker"]),
    dict(key="al2-java", title="Corretto service on Amazon Linux 2", image="amazonlinux:2.0.20240610.1",
         pm="yum", pkgs=["java-17-amazon-corretto-headless", "shadow-utils"], good=java_good, bad=java_bad,
         port=8080, cmd=["java", "-jar", "/opt/app/app.jar"], appdir="/opt/app"),
    dict(key="ubi-dotnet", title="ASP.NET Core on UBI 9", image="registry.access.redhat.com/ubi9/ubi:9.4-1123",
         pm="dnf", pkgs=["aspnetcore-runtime-8.0"], good=dotnet_good, bad=dotnet_bad, port=8080,
         entry=["dotnet", "Api.dll"], cmd=["--urls", "http://+:8080"]),
    dict(key="stream9-redis", title="Redis on CentOS Stream 9", image="quay.io/centos/centos:stream9-20240610.0",
         pm="dnf", pkgs=["redis"], good=redis_good, bad=redis_bad, port=6379, uname="redis", uid=997,
         no_useradd=True, cmd=["redis-server", "/usr/local/etc/redis/redis.conf"], health=["redis-cli", "ping"],
         appdir="/var/lib/redis"),
    dict(key="ubi-php", title="PHP-FPM on UBI 9", image="registry.access.redhat.com/ubi9/ubi:9.4-1123", pm="dnf",
         pkgs=["php-fpm", "php-cli", "php-pgsql", "php-mbstring"], good=rh_static("src/", "/var/www/app/")[0],
         bad=rh_static("src/", "/var/www/app/")[1], port=9000, cmd=["php-fpm", "--nodaemonize"], appdir="/var/www/app"),
    dict(key="ubi-minimal-node", title="Node.js on UBI 9 minimal", image="registry.access.redhat.com/ubi9/nodejs-20-minimal:1-54",
         pm="microdnf", pkgs=["tar", "gzip"], good=node_good, bad=node_bad, port=8080, uid=1001,
         cmd=["node", "server.js"], appdir="/opt/app-root/src"),
]

RHEL_TARGETED = [
    ("ubi-python", "ubi-dnf-without-yes", dict(pm=dict(yes=False))),
    ("fedora-dev", "fedora-dnf-without-yes", dict(pm=dict(yes=False))),
    ("ubi-minimal-go", "ubi-minimal-microdnf-without-yes", dict(pm=dict(yes=False))),
    ("ubi8-java", "ubi8-yum-without-yes", dict(pm=dict(yes=False))),
    ("centos7-php", "centos7-yum-without-yes", dict(pm=dict(yes=False))),
    ("ubi-python", "ubi-dnf-no-clean", dict(pm=dict(clean="none"))),
    ("alma-nginx", "alma-dnf-no-clean", dict(pm=dict(clean="none"))),
    ("rocky-httpd", "rocky-dnf-rm-cache-dir", dict(pm=dict(clean="rm"))),
    ("al2023-python", "al2023-dnf-clean-and-rm", dict(pm=dict(clean="all+rm"))),
    ("al2-java", "al2-yum-no-clean", dict(pm=dict(clean="none"))),
    ("centos7-php", "centos7-yum-no-clean", dict(pm=dict(clean="none"))),
    ("ubi8-java", "ubi8-yum-rm-cache-dir", dict(pm=dict(clean="rm"))),
    ("al2-java", "al2-yum-clean-and-rm", dict(pm=dict(clean="all+rm"))),
    ("ubi-minimal-node", "ubi-minimal-microdnf-no-clean", dict(pm=dict(clean="none"))),
    ("rocky-httpd", "rocky-dnf-unpinned", dict(pm=dict(pin=False))),
    ("stream9-redis", "stream9-dnf-unpinned", dict(pm=dict(pin=False))),
    ("ubi8-java", "ubi8-yum-unpinned", dict(pm=dict(pin=False))),
    ("ubi-minimal-go", "ubi-minimal-microdnf-unpinned", dict(pm=dict(pin=False))),
    ("fedora-dev", "fedora-untagged", dict(tag="none")),
    ("al2023-python", "al2023-latest", dict(tag="latest")),
    ("ubi-php", "ubi-php-user-root", dict(user="root")),
    ("ubi-dotnet", "ubi-dotnet-user-by-name", dict(user="name")),
    ("stream9-redis", "stream9-redis-shell-form-cmd", dict(cmd="shell")),
    ("ubi-python", "ubi-python-curl-pipe-no-pipefail", dict(dl="curl-pipe")),
    ("al2023-python", "al2023-curl-pipe-pipefail", dict(dl="curl-pipe", pipe="shell")),
    ("fedora-dev", "fedora-one-run-per-command", dict(split=True)),
    ("ubi-node", "ubi-node-maintainer", dict(maint=True)),
    ("alma-nginx", "alma-nginx-relative-workdir", dict(workdir="rel")),
]


# ---------------------------------------------------------------------------
# suse/ : openSUSE Leap / Tumbleweed and SUSE BCI (zypper)
# ---------------------------------------------------------------------------
def suse_py_good(i):
    return (["COPY requirements.txt .",
             "RUN python3.11 -m pip install --no-cache-dir -r requirements.txt",
             "COPY . ."], [], ["DL3013", "DL3042"])


def suse_py_bad(i):
    return (["COPY . .",
             "RUN pip3.11 install flask gunicorn"], ["DL3013", "DL3042"], [])


FLAVORS_SUSE = [
    dict(key="leap-nginx", title="nginx on openSUSE Leap", image="opensuse/leap:15.6", pm="zypper",
         pkgs=["nginx", "shadow"], good=rh_static("nginx.conf", "/etc/nginx/nginx.conf")[0],
         bad=rh_static("nginx.conf", "/etc/nginx/nginx.conf")[1], port=8080, cmd=["nginx", "-g", "daemon off;"],
         appdir="/srv/www/htdocs"),
    dict(key="leap-python", title="Python service on openSUSE Leap", image="opensuse/leap:15.6", pm="zypper",
         pkgs=["python311", "python311-pip", "shadow"], good=suse_py_good, bad=suse_py_bad, port=8000,
         cmd=["python3.11", "-m", "app"]),
    dict(key="tw-go", title="Go build image on Tumbleweed", image="opensuse/tumbleweed:20240612", pm="zypper",
         pkgs=["go1.22", "git-core", "gcc", "make"], good=go_good, bad=go_bad, port=8080,
         cmd=["/usr/local/bin/app"], appdir="/src"),
    dict(key="bci-python", title="Python on SUSE BCI", image="registry.suse.com/bci/python:3.11-42.12", pm="zypper",
         pkgs=["timezone", "shadow"], good=suse_py_good, bad=suse_py_bad, port=8000,
         cmd=["python3.11", "-m", "app"]),
    dict(key="bci-node", title="Node.js on SUSE BCI", image="registry.suse.com/bci/nodejs:20-33.3", pm="zypper",
         pkgs=["timezone", "shadow"], good=node_good, bad=node_bad, port=3000, cmd=["node", "server.js"]),
    dict(key="bci-java", title="Java on SUSE BCI", image="registry.suse.com/bci/openjdk:21-20.7", pm="zypper",
         pkgs=["shadow", "which"], good=java_good, bad=java_bad, port=8080,
         cmd=["java", "-jar", "/opt/app/app.jar"], appdir="/opt/app"),
    dict(key="leap-php", title="PHP-FPM on openSUSE Leap", image="opensuse/leap:15.6", pm="zypper",
         pkgs=["php8", "php8-fpm", "shadow"], good=rh_static("src/", "/srv/www/app/")[0],
         bad=rh_static("src/", "/srv/www/app/")[1], port=9000, cmd=["php-fpm", "--nodaemonize"], appdir="/srv/www/app"),
    dict(key="leap-pg", title="PostgreSQL client tools on Leap", image="opensuse/leap:15.6", pm="zypper",
         pkgs=["postgresql16", "gzip", "shadow"], good=rh_static("backup.sh", "/usr/local/bin/backup.sh")[0],
         bad=rh_static("backup.sh", "/usr/local/bin/backup.sh")[1], port=8080,
         cmd=["/usr/local/bin/backup.sh"], appdir="/backup"),
]

SUSE_TARGETED = [
    ("leap-nginx", "leap-zypper-interactive", dict(pm=dict(yes=""))),
    ("leap-python", "leap-zypper-interactive-python", dict(pm=dict(yes=""))),
    ("bci-node", "bci-zypper-long-non-interactive", dict(pm=dict(yes="--non-interactive"))),
    ("bci-java", "bci-zypper-install-y", dict(pm=dict(yes="-y"))),
    ("leap-pg", "leap-zypper-no-clean", dict(pm=dict(clean="none"))),
    ("tw-go", "tw-zypper-no-clean", dict(pm=dict(clean="none"))),
    ("bci-python", "bci-zypper-cc", dict(pm=dict(clean="cc"))),
    ("leap-php", "leap-zypper-cc", dict(pm=dict(clean="cc"))),
    ("tw-go", "tw-zypper-dup", dict(pm=dict(dup="dup"))),
    ("leap-nginx", "leap-zypper-dist-upgrade", dict(pm=dict(dup="dist-upgrade"))),
    ("leap-php", "leap-zypper-update", dict(pm=dict(update=True))),
    ("bci-node", "bci-zypper-update", dict(pm=dict(update=True))),
    ("bci-java", "bci-zypper-unpinned", dict(pm=dict(pin=False))),
    ("leap-python", "leap-python-user-by-name", dict(user="name")),
]


# ---------------------------------------------------------------------------
# windows/
# ---------------------------------------------------------------------------
PWSH = 'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]'
SERVERCORE = "mcr.microsoft.com/windows/servercore:ltsc2022"
NANOSERVER = "mcr.microsoft.com/windows/nanoserver:ltsc2022"


def win_node_install(ver="20.14.0"):
    return ("ENV NODE_VERSION=" + ver + "\n"
            "RUN Invoke-WebRequest -Uri \"https://downloads.example.com/node/v$env:NODE_VERSION/node-v$env:NODE_VERSION-win-x64.zip\" -OutFile node.zip; `\n"
            "    Expand-Archive node.zip -DestinationPath C:\\; `\n"
            "    Rename-Item -Path \"C:\\node-v$env:NODE_VERSION-win-x64\" -NewName C:\\nodejs; `\n"
            "    Remove-Item node.zip -Force; `\n"
            "    [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\\nodejs', [EnvironmentVariableTarget]::Machine)")


def win_python_install(ver="3.12.4"):
    return ("ENV PYTHON_VERSION=" + ver + "\n"
            "RUN Invoke-WebRequest -Uri \"https://downloads.example.com/python/$env:PYTHON_VERSION/python-$env:PYTHON_VERSION-amd64.exe\" -OutFile python.exe; `\n"
            "    Start-Process python.exe -ArgumentList '/quiet', 'InstallAllUsers=1', 'PrependPath=1', 'Include_test=0' -NoNewWindow -Wait; `\n"
            "    Remove-Item python.exe -Force")


def gen_windows(c):
    F = "windows"
    for n, (base, tag) in enumerate([(SERVERCORE, "servercore"), ("mcr.microsoft.com/windows/server:ltsc2022", "server")]):
        c.add(F, f"node-{tag}-powershell", df(
            "# escape=`",
            f"FROM {base}",
            PWSH,
            win_node_install(pick(["20.14.0", "18.20.3"], n)),
            "WORKDIR C:\\app",
            "COPY package.json package-lock.json ./",
            "RUN npm ci --omit=dev; `\n    Get-ChildItem -Path C:\\app\\node_modules -Recurse -Filter *.md | Remove-Item -Force",
            "COPY . .",
            "USER ContainerUser",
            "EXPOSE 3000",
            'CMD ["node", "server.js"]'), hit=["DL3066"], miss=["DL3000", "DL4006", "DL3045", "DL3059", "DL3025"])
    c.add(F, "python-servercore-powershell", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        win_python_install(),
        "WORKDIR C:\\app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "EXPOSE 8000",
        'CMD ["python", "-m", "waitress", "--port=8000", "app:app"]'), miss=["DL3013", "DL3042", "DL3000"], clean=True)
    c.add(F, "python-servercore-unpinned-pip", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        win_python_install("3.11.9"),
        "RUN pip install waitress flask",
        "WORKDIR C:\\app",
        "COPY . .",
        'CMD ["python", "-m", "waitress", "app:app"]'), hit=["DL3013", "DL3042"], miss=["DL3059"])
    c.add(F, "aspnet-framework-iis", df(
        "# escape=`",
        "FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022",
        PWSH,
        "RUN Import-Module WebAdministration; `\n"
        "    Set-ItemProperty 'IIS:\\AppPools\\DefaultAppPool' -Name processModel.identityType -Value ApplicationPoolIdentity; `\n"
        "    Remove-Item -Recurse -Force C:\\inetpub\\wwwroot\\*",
        "WORKDIR C:\\inetpub\\wwwroot",
        "COPY publish/ .",
        "EXPOSE 80",
        'HEALTHCHECK --interval=30s CMD ["powershell", "-Command", "try { $r = Invoke-WebRequest http://localhost/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"]'),
        miss=["DL3025", "DL3000", "DL3045"], clean=True)
    c.add(F, "aspnet-framework-healthcheck-shell-form", df(
        "# escape=`",
        "FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022",
        "WORKDIR C:\\inetpub\\wwwroot",
        "COPY publish/ .",
        "HEALTHCHECK --interval=30s CMD powershell -command `\n"
        "    try { `\n"
        "      $response = Invoke-WebRequest http://localhost/health -UseBasicParsing; `\n"
        "      if ($response.StatusCode -eq 200) { return 0 } else { return 1 } `\n"
        "    } catch { return 1 }"), hit=["DL3025"])
    c.add(F, "iis-static-site", df(
        "# escape=`",
        "FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        PWSH,
        "RUN Remove-Item -Recurse -Force C:\\inetpub\\wwwroot\\*",
        "COPY site/ C:/inetpub/wwwroot/",
        "EXPOSE 80"), clean=True)
    c.add(F, "dotnet-nanoserver-multistage", df(
        "# escape=`",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0.302-windowsservercore-ltsc2022 AS build",
        "WORKDIR C:\\src",
        "COPY *.sln .",
        "COPY Api/*.csproj Api/",
        "RUN dotnet restore",
        "COPY . .",
        "RUN dotnet publish Api/Api.csproj -c Release -o C:\\publish --no-restore",
        "",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-nanoserver-ltsc2022",
        "WORKDIR C:\\app",
        "COPY --from=build C:\\publish .",
        "USER ContainerUser",
        "EXPOSE 8080",
        'ENTRYPOINT ["dotnet", "Api.dll"]'), hit=["DL3066"], miss=["DL3022", "DL3021", "DL3000"])
    c.add(F, "go-nanoserver-multistage", df(
        "# escape=`",
        "FROM golang:1.22.4-windowsservercore-ltsc2022 AS build",
        "WORKDIR C:\\src",
        "COPY go.mod go.sum ./",
        "RUN go mod download",
        "COPY . .",
        "RUN go build -o C:\\out\\server.exe .\\cmd\\server",
        "",
        f"FROM {NANOSERVER}",
        "COPY --from=build C:\\out\\server.exe C:\\app\\server.exe",
        "USER ContainerUser",
        'ENTRYPOINT ["C:\\\\app\\\\server.exe"]'), hit=["DL3066"], miss=["DL3022"])
    c.add(F, "choco-build-tools", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        "RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `\n"
        "    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; `\n"
        "    Invoke-Expression ((New-Object System.Net.WebClient).DownloadString('https://downloads.example.com/chocolatey/install.ps1'))",
        "RUN choco install -y git --version 2.45.2",
        "RUN choco install -y cmake --version 3.29.6 --installargs 'ADD_CMAKE_TO_PATH=System'",
        "RUN choco install -y nodejs-lts --version 20.14.0",
        "WORKDIR C:\\build",
        'CMD ["powershell"]'), hit=["DL3059"], miss=["DL4006"])
    c.add(F, "msbuild-cmd-shell", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        'SHELL ["cmd", "/S", "/C"]',
        "ADD https://downloads.example.com/vs/17/release/vs_buildtools.exe C:\\TEMP\\vs_buildtools.exe",
        "RUN C:\\TEMP\\vs_buildtools.exe --quiet --wait --norestart --nocache `\n"
        "    --installPath C:\\BuildTools `\n"
        "    --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended `\n"
        "    || IF \"%ERRORLEVEL%\"==\"3010\" EXIT 0",
        "RUN dir C:\\BuildTools | findstr /I vc",
        "WORKDIR C:\\src",
        'ENTRYPOINT ["C:\\\\BuildTools\\\\Common7\\\\Tools\\\\VsDevCmd.bat", "&&", "powershell.exe", "-NoLogo", "-ExecutionPolicy", "Bypass"]'),
        miss=["DL4006", "DL3020", "DL3059"])
    c.add(F, "default-cmd-shell-pipe", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        "COPY version.txt C:\\app\\version.txt",
        "RUN type C:\\app\\version.txt | findstr /R \"^v[0-9]\"",
        "WORKDIR C:\\app",
        'CMD ["cmd", "/C", "type", "version.txt"]'), hit=["DL4006"])
    c.add(F, "pwsh-full-path-shell-pipe", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        "COPY --from=mcr.microsoft.com/powershell:7.4-windowsservercore-ltsc2022 [\"C:\\\\Program Files\\\\PowerShell\", \"C:\\\\Program Files\\\\PowerShell\"]",
        'SHELL ["C:\\\\Program Files\\\\PowerShell\\\\pwsh.exe", "-Command"]',
        "RUN Get-ChildItem Env: | Sort-Object Name | Out-File C:\\build-env.txt",
        'CMD ["pwsh"]'), hit=["DL4006"])
    c.add(F, "pwsh-shell-pipe", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        'SHELL ["pwsh", "-NoLogo", "-Command"]',
        "RUN Get-ChildItem Env: | Sort-Object Name | Out-File C:\\build-env.txt",
        'CMD ["pwsh"]'), miss=["DL4006"], clean=True)
    c.add(F, "relative-workdir", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        "WORKDIR app",
        "COPY bin/ .",
        'ENTRYPOINT ["C:\\\\app\\\\worker.exe"]'), hit=["DL3000"])
    c.add(F, "backslash-root-workdir", df(
        "# escape=`",
        f"FROM {NANOSERVER}",
        "WORKDIR \\tools",
        "COPY tools/ .",
        'CMD ["cmd"]'), hit=["DL3000"])
    c.add(F, "forward-slash-workdir", df(
        f"FROM {NANOSERVER}",
        "WORKDIR /tools",
        "COPY tools/ .",
        "USER ContainerUser",
        'CMD ["cmd"]'), miss=["DL3000"], hit=["DL3066"])
    c.add(F, "no-escape-directive", df(
        "# Without the escape directive a trailing backslash is a continuation,",
        "# so Windows paths here never end a line with one.",
        f"FROM {SERVERCORE}",
        'SHELL ["powershell", "-Command"]',
        "WORKDIR C:/app",
        "COPY app.ps1 C:/app/app.ps1",
        'CMD ["powershell", "-File", "C:/app/app.ps1"]'), miss=["DL3000"], clean=True)
    c.add(F, "shell-form-entrypoint", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        "WORKDIR C:\\svc",
        "COPY publish/ .",
        "ENTRYPOINT powershell -File C:\\svc\\start.ps1"), hit=["DL3025"])
    c.add(F, "untagged-servercore", df(
        "# escape=`",
        "FROM mcr.microsoft.com/windows/servercore",
        PWSH,
        "WORKDIR C:\\app",
        "COPY . .",
        'CMD ["powershell", "-File", "run.ps1"]'), hit=["DL3006"])
    c.add(F, "nanoserver-latest-tag", df(
        "FROM mcr.microsoft.com/windows/nanoserver:latest",
        "COPY hello.exe C:/hello.exe",
        'CMD ["C:\\\\hello.exe"]'), hit=["DL3007"])
    c.add(F, "npm-global-unpinned", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        win_node_install(),
        "RUN npm install -g yarn",
        "WORKDIR C:\\app",
        'CMD ["node"]'), hit=["DL3016", "DL3059"])
    c.add(F, "npm-global-pinned", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        win_node_install(),
        "WORKDIR C:\\app",
        "RUN npm install -g yarn@1.22.22",
        'CMD ["node"]'), miss=["DL3016", "DL3059"], clean=True)
    c.add(F, "container-administrator-last", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        "USER ContainerAdministrator",
        "RUN New-Item -ItemType Directory -Path C:\\data | Out-Null",
        "WORKDIR C:\\data",
        'CMD ["powershell"]'), hit=["DL3066"], miss=["DL3002", "DL4006"])
    c.add(F, "sql-tools-consecutive-runs", df(
        "# escape=`",
        f"FROM {SERVERCORE}",
        PWSH,
        "RUN Invoke-WebRequest https://downloads.example.com/sqlcmd/sqlcmd-amd64.zip -OutFile sqlcmd.zip",
        "RUN Expand-Archive sqlcmd.zip -DestinationPath C:\\sqlcmd",
        "RUN Remove-Item sqlcmd.zip",
        "ENV PATH=\"C:\\sqlcmd;C:\\Windows\\system32;C:\\Windows\"",
        'CMD ["sqlcmd", "-?"]'), hit=["DL3059"])


# ---------------------------------------------------------------------------
# multistage/
# ---------------------------------------------------------------------------
def go_build_stage(base="golang:1.22.4-bookworm", alias="build", mounts=True, pkg="./cmd/server"):
    mount = ("--mount=type=cache,target=/go/pkg/mod \\\n    " if mounts else "")
    mount2 = ("--mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/cache/go-build \\\n    " if mounts else "")
    return [
        f"FROM {base} AS {alias}",
        "ENV GOCACHE=/cache/go-build" if mounts else None,
        "WORKDIR /src",
        "COPY go.mod go.sum ./",
        f"RUN {mount}go mod download",
        "COPY . .",
        f"RUN {mount2}CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags=\"-s -w\" -o /out/server {pkg}",
        "",
    ]


def gen_multistage(c):
    F = "multistage"
    # --- clean, realistic pipelines --------------------------------------
    for n, (final, user) in enumerate([("scratch", "65532:65532"), ("gcr.io/distroless/static-debian12:nonroot", "65532"),
                                       ("gcr.io/distroless/static-debian12:debug-nonroot", "65532:65532")]):
        c.add(F, f"go-to-{['scratch', 'distroless', 'distroless-debug'][n]}", df(
            "# syntax=docker/dockerfile:1",
            "ARG GO_VERSION=1.22.4",
            go_build_stage(base="golang:${GO_VERSION}-bookworm"),
            f"FROM {final}",
            "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/" if n == 0 else None,
            "COPY --from=build /out/server /server",
            f"USER {user}",
            "EXPOSE 8080",
            'ENTRYPOINT ["/server"]'), miss=["DL3022", "DL3006", "DL3066", "DL3059"], clean=True)
    c.add(F, "go-distroless-named-user", df(
        "FROM golang:1.22.4-alpine3.20 AS builder",
        "WORKDIR /src",
        "COPY . .",
        "RUN CGO_ENABLED=0 go build -o /bin/api ./cmd/api",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=builder /bin/api /api",
        "USER nonroot:nonroot",
        'ENTRYPOINT ["/api"]'), hit=["DL3066"], miss=["DL3022", "DL3002"])
    c.add(F, "rust-to-distroless-cc", df(
        "# syntax=docker/dockerfile:1",
        "FROM rust:1.79.0-bookworm AS build",
        "WORKDIR /usr/src/app",
        "COPY Cargo.toml Cargo.lock ./",
        "COPY src ./src",
        "RUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    --mount=type=cache,target=/usr/src/app/target \\\n"
        "    cargo build --release --locked \\\n    && cp target/release/app /usr/local/bin/app",
        "",
        "FROM gcr.io/distroless/cc-debian12:nonroot",
        "COPY --from=build /usr/local/bin/app /usr/local/bin/app",
        "USER 65532",
        'ENTRYPOINT ["/usr/local/bin/app"]'), miss=["DL3022", "DL3066"], clean=True)
    c.add(F, "rust-musl-to-scratch", df(
        "FROM rust:1.79.0-alpine3.20 AS build",
        f"RUN apk add --no-cache musl-dev={APK['musl-dev']}",
        "WORKDIR /src",
        "COPY . .",
        "RUN cargo build --release --target x86_64-unknown-linux-musl",
        "",
        "FROM scratch",
        "COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app",
        "USER 10001",
        'ENTRYPOINT ["/app"]'), miss=["DL3018", "DL3019"], clean=True)
    c.add(F, "vite-spa-to-nginx", df(
        "FROM node:20.14.0-alpine3.20 AS build",
        "WORKDIR /app",
        "COPY package.json package-lock.json ./",
        "RUN npm ci",
        "COPY . .",
        "RUN npm run build",
        "",
        "FROM nginx:1.27.0-alpine3.19",
        "COPY nginx/default.conf /etc/nginx/conf.d/default.conf",
        "COPY --from=build /app/dist /usr/share/nginx/html",
        "USER 101",
        "EXPOSE 8080",
        'HEALTHCHECK CMD ["wget", "-q", "--spider", "http://localhost:8080/"]'), miss=["DL3023", "DL3022"], clean=True)
    c.add(F, "vite-spa-to-nginx-sloppy", df(
        "FROM node:20-alpine AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm install",
        "RUN npm run build",
        "",
        "FROM nginx",
        "COPY --from=build /app/dist /usr/share/nginx/html",
        "EXPOSE 80"), hit=["DL3006", "DL3059"], miss=["DL3022"])
    c.add(F, "maven-to-jre", df(
        "FROM maven:3.9.7-eclipse-temurin-21 AS build",
        "WORKDIR /build",
        "COPY pom.xml .",
        "RUN mvn -B -q dependency:go-offline",
        "COPY src ./src",
        "RUN mvn -B -q package -DskipTests",
        "",
        "FROM eclipse-temurin:21.0.3_9-jre-jammy",
        "WORKDIR /opt/app",
        "COPY --from=build /build/target/app.jar app.jar",
        "USER 10001",
        "EXPOSE 8080",
        'ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "app.jar"]'), miss=["DL3045", "DL3022", "DL3023"], clean=True)
    c.add(F, "gradle-layered-jar", df(
        "FROM gradle:8.8.0-jdk21 AS build",
        "WORKDIR /home/gradle/project",
        "COPY --chown=gradle:gradle . .",
        "RUN gradle bootJar --no-daemon \\\n    && java -Djarmode=layertools -jar build/libs/app.jar extract --destination /layers",
        "",
        "FROM eclipse-temurin:21.0.3_9-jre-jammy",
        "WORKDIR /opt/app",
        "COPY --from=build /layers/dependencies/ ./",
        "COPY --from=build /layers/spring-boot-loader/ ./",
        "COPY --from=build /layers/snapshot-dependencies/ ./",
        "COPY --from=build /layers/application/ ./",
        "USER 10001",
        'ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]'), clean=True)
    c.add(F, "python-wheels-to-slim", df(
        "FROM python:3.12.4-bookworm AS wheels",
        "WORKDIR /wheels",
        "COPY requirements.txt .",
        "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt",
        "",
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY --from=wheels /wheels /wheels",
        "RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*.whl \\\n    && rm -rf /wheels",
        "COPY . .",
        "USER 10001",
        'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]'), miss=["DL3042"], clean=True)
    c.add(F, "python-venv-copy", df(
        "FROM python:3.12.4-slim-bookworm AS build",
        apt_run(["build-essential", "libpq-dev"]),
        "RUN python -m venv /opt/venv",
        "ENV PATH=/opt/venv/bin:$PATH",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "",
        "FROM python:3.12.4-slim-bookworm",
        apt_run(["libpq5"]),
        "COPY --from=build /opt/venv /opt/venv",
        "ENV PATH=/opt/venv/bin:$PATH",
        "WORKDIR /app",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL3045"], miss=["DL3059"])
    c.add(F, "dotnet-sdk-to-aspnet", df(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0.302-bookworm-slim AS build",
        "WORKDIR /src",
        "COPY [\"Api/Api.csproj\", \"Api/\"]",
        "RUN dotnet restore \"Api/Api.csproj\"",
        "COPY . .",
        "RUN dotnet publish \"Api/Api.csproj\" -c Release -o /app/publish /p:UseAppHost=false",
        "",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim AS final",
        "WORKDIR /app",
        "COPY --from=build /app/publish .",
        "USER 1654",
        "EXPOSE 8080",
        'ENTRYPOINT ["dotnet", "Api.dll"]'), miss=["DL3021", "DL3022", "DL3023"], clean=True)
    c.add(F, "dotnet-app-user-by-name", df(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0.302-alpine3.20 AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN dotnet publish -c Release -o /out",
        "",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-alpine3.20",
        "WORKDIR /app",
        "COPY --from=build /out .",
        "USER $APP_UID",
        'ENTRYPOINT ["dotnet", "Worker.dll"]'), hit=["DL3066"])
    c.add(F, "php-composer-stage", df(
        "FROM composer:2.7.7 AS vendor",
        "WORKDIR /app",
        "COPY composer.json composer.lock ./",
        "RUN composer install --no-dev --no-scripts --prefer-dist --ignore-platform-reqs",
        "",
        "FROM php:8.3.8-fpm-alpine3.20",
        "WORKDIR /var/www/html",
        "COPY --from=vendor /app/vendor ./vendor",
        "COPY . .",
        "USER 82",
        'CMD ["php-fpm"]'), clean=True)
    c.add(F, "rails-assets-precompile", df(
        "ARG RUBY_VERSION=3.3.3",
        "FROM ruby:${RUBY_VERSION}-slim-bookworm AS base",
        "WORKDIR /rails",
        "ENV RAILS_ENV=production \\\n    BUNDLE_WITHOUT=development:test",
        "",
        "FROM base AS build",
        "RUN apt-get update -qq \\\n    && apt-get install --no-install-recommends -y"
        + pkg_block(apt_pkgs(["build-essential", "git", "libpq-dev"])) + " \\\n    && rm -rf /var/lib/apt/lists/*",
        "COPY Gemfile Gemfile.lock ./",
        "RUN bundle install && rm -rf ~/.bundle/ \"${BUNDLE_PATH}\"/ruby/*/cache",
        "COPY . .",
        "RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile",
        "",
        "FROM base",
        "RUN apt-get update -qq \\\n    && apt-get install --no-install-recommends -y"
        + pkg_block(apt_pkgs(["curl", "libjemalloc2", "libpq5"])) + " \\\n    && rm -rf /var/lib/apt/lists/*",
        "COPY --from=build /usr/local/bundle /usr/local/bundle",
        "COPY --from=build /rails /rails",
        "RUN groupadd --system --gid 1000 rails \\\n    && useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash",
        "USER 1000:1000",
        "EXPOSE 3000",
        'CMD ["./bin/rails", "server"]'), miss=["DL3006", "DL3008", "DL3009", "DL3014", "DL3045", "DL3022"], clean=True)
    c.add(F, "node-deps-build-runtime", df(
        "FROM node:20.14.0-bookworm-slim AS deps",
        "WORKDIR /app",
        "COPY package.json package-lock.json ./",
        "RUN npm ci --omit=dev",
        "",
        "FROM deps AS build",
        "RUN npm ci",
        "COPY . .",
        "RUN npm run build",
        "",
        "FROM node:20.14.0-bookworm-slim",
        "ENV NODE_ENV=production",
        "WORKDIR /app",
        "COPY --from=deps /app/node_modules ./node_modules",
        "COPY --from=build /app/dist ./dist",
        "USER 1000",
        'CMD ["node", "dist/main.js"]'), miss=["DL3006", "DL3022", "DL3045"], clean=True)
    c.add(F, "cmake-to-debian-slim", df(
        "FROM debian:12.6 AS build",
        apt_run(["build-essential", "cmake", "ninja-build", "libssl-dev"]),
        "WORKDIR /src",
        "COPY . .",
        "RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \\\n    && cmake --build build \\\n    && cmake --install build --prefix /opt/app",
        "",
        "FROM debian:12.6-slim",
        apt_run(["openssl", "ca-certificates"]),
        "COPY --from=build /opt/app /opt/app",
        "USER 10001",
        'ENTRYPOINT ["/opt/app/bin/server"]'), miss=["DL3009", "DL3008"], clean=True)
    c.add(F, "hugo-site-to-nginx", df(
        "FROM hugomods/hugo:exts-0.128.0 AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN hugo --minify --destination /public",
        "",
        "FROM nginxinc/nginx-unprivileged:1.27.0-alpine3.19",
        "COPY --from=build /public /usr/share/nginx/html",
        "EXPOSE 8080"), clean=True)
    c.add(F, "elixir-release", df(
        "ARG ELIXIR_VERSION=1.17.1",
        "ARG OTP_VERSION=27.0",
        "FROM hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}-debian-bookworm-20240612-slim AS build",
        apt_run(["build-essential", "git"]),
        "WORKDIR /app",
        "ENV MIX_ENV=prod",
        "RUN mix local.hex --force && mix local.rebar --force",
        "COPY mix.exs mix.lock ./",
        "RUN mix deps.get --only prod && mix deps.compile",
        "COPY . .",
        "RUN mix release",
        "",
        "FROM debian:bookworm-20240612-slim",
        apt_run(["openssl", "locales", "ca-certificates"]),
        "WORKDIR /app",
        "COPY --from=build --chown=10001:10001 /app/_build/prod/rel/app ./",
        "USER 10001",
        'CMD ["/app/bin/app", "start"]'), clean=True)
    # --- COPY --from references -----------------------------------------
    c.add(F, "copy-from-typo-alias", df(
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /out/app .",
        "",
        "FROM gcr.io/distroless/base-debian12:nonroot",
        "COPY --from=builder /out/app /app",
        "USER 65532",
        'ENTRYPOINT ["/app"]'), hit=["DL3022"])
    c.add(F, "copy-from-later-stage", df(
        "FROM node:20.14.0-bookworm-slim AS app",
        "WORKDIR /app",
        "COPY --from=assets /assets/dist ./public",
        "COPY . .",
        "",
        "FROM node:20.14.0-bookworm-slim AS assets",
        "WORKDIR /assets",
        "COPY frontend/ .",
        "RUN npm ci && npm run build"), hit=["DL3022"])
    c.add(F, "copy-from-bare-image-name", df(
        "FROM python:3.12.4-slim-bookworm",
        "COPY --from=ghcr.io/astral-sh/uv /uv /bin/uv",
        "WORKDIR /app",
        "COPY . .",
        "RUN uv pip install --system --no-cache -r requirements.txt",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL3022"])
    c.add(F, "copy-from-stage-index", df(
        "FROM golang:1.22.4-alpine3.20",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /out/app .",
        "",
        "FROM alpine:3.20.1",
        "COPY --from=0 /out/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), miss=["DL3022"], clean=True)
    c.add(F, "copy-from-tagged-image", df(
        "FROM python:3.12.4-slim-bookworm",
        "COPY --from=ghcr.io/astral-sh/uv:0.2.13 /uv /bin/uv",
        "WORKDIR /app",
        "COPY . .",
        "RUN uv pip install --system --no-cache -r requirements.txt",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), miss=["DL3022"], clean=True)
    c.add(F, "copy-from-own-stage", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM nginx:1.27.0-bookworm AS web",
        "COPY --from=web /app/dist /usr/share/nginx/html",
        "USER 101"), hit=["DL3023"])
    c.add(F, "copy-from-own-stage-runtime", df(
        "FROM python:3.12.4-slim-bookworm AS base",
        "WORKDIR /app",
        "",
        "FROM base AS runtime",
        "COPY --from=runtime /app/requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        'CMD ["python", "-m", "app"]'), hit=["DL3023"])
    c.add(F, "copy-from-previous-alias", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM nginx:1.27.0-bookworm AS web",
        "COPY --from=build /app/dist /usr/share/nginx/html",
        "USER 101"), miss=["DL3023", "DL3022"], clean=True)
    # --- stage names ----------------------------------------------------
    c.add(F, "duplicate-stage-alias", df(
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /out/api ./cmd/api",
        "",
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /ui",
        "COPY ui/ .",
        "RUN npm ci && npm run build",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/api /api",
        "USER 65532",
        'ENTRYPOINT ["/api"]'), hit=["DL3024"])
    c.add(F, "duplicate-stage-alias-test", df(
        "FROM python:3.12.4-slim-bookworm AS test",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements-dev.txt && pytest -q",
        "",
        "FROM python:3.12.4-slim-bookworm AS test",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        'CMD ["python", "-m", "app"]'), hit=["DL3024"])
    c.add(F, "per-arch-stage-aliases", df(
        "FROM --platform=$BUILDPLATFORM golang:1.22.4-bookworm AS build-amd64",
        "WORKDIR /src",
        "COPY . .",
        "RUN GOARCH=amd64 go build -o /out/app-amd64 .",
        "",
        "FROM --platform=$BUILDPLATFORM golang:1.22.4-bookworm AS build-arm64",
        "WORKDIR /src",
        "COPY . .",
        "RUN GOARCH=arm64 go build -o /out/app-arm64 .",
        "",
        "FROM alpine:3.20.1",
        "COPY --from=build-amd64 /out/app-amd64 /usr/local/bin/",
        "COPY --from=build-arm64 /out/app-arm64 /usr/local/bin/",
        "USER 10001"), miss=["DL3024", "DL3029"], clean=True)
    c.add(F, "stage-aliases-differ-in-case", df(
        "FROM node:20.14.0-bookworm-slim AS Build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY --from=Build /app/dist ./dist",
        "USER 1000",
        'CMD ["node", "dist/index.js"]'), miss=["DL3024"], clean=True)
    c.add(F, "reserved-stage-name-scratch", df(
        "FROM alpine:3.20.1 AS scratch",
        "RUN mkdir -p /out/etc && echo 'app:x:10001:10001::/:/sbin/nologin' > /out/etc/passwd",
        "",
        "FROM golang:1.22.4-alpine3.20 AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN CGO_ENABLED=0 go build -o /out/app .",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=scratch /out/etc/passwd /etc/passwd",
        "COPY --from=build /out/app /app",
        "USER 10001",
        'ENTRYPOINT ["/app"]'), hit=["DL3063"])
    c.add(F, "reserved-stage-name-context", df(
        "FROM alpine:3.20.1 AS context",
        "WORKDIR /ctx",
        "COPY . .",
        "RUN find . -name '*.md' -delete",
        "",
        "FROM nginx:1.27.0-alpine3.19",
        "COPY --from=context /ctx/public /usr/share/nginx/html",
        "USER 101"), hit=["DL3063"])
    c.add(F, "stage-name-not-reserved", df(
        "FROM scratch AS empty",
        "",
        "FROM alpine:3.20.1 AS Scratch",
        "RUN mkdir -p /out/tmp && chmod 1777 /out/tmp",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=Scratch /out/tmp /tmp",
        "USER 65532"), miss=["DL3063"], clean=True)
    c.add(F, "stage-name-context-builder", df(
        "FROM alpine:3.20.1 AS build-context",
        "WORKDIR /ctx",
        "COPY . .",
        "",
        "FROM nginx:1.27.0-alpine3.19",
        "COPY --from=build-context /ctx/public /usr/share/nginx/html",
        "USER 101"), miss=["DL3063"], clean=True)
    # --- FROM --platform ------------------------------------------------
    c.add(F, "platform-pinned-amd64", df(
        "FROM --platform=linux/amd64 node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM --platform=linux/amd64 nginx:1.27.0-bookworm",
        "COPY --from=build /app/dist /usr/share/nginx/html",
        "USER 101"), hit=["DL3029"])
    c.add(F, "platform-pinned-arm64-final", df(
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN GOARCH=arm64 go build -o /out/app .",
        "",
        "FROM --platform=linux/arm64 gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /app",
        "USER 65532",
        'ENTRYPOINT ["/app"]'), hit=["DL3029"])
    c.add(F, "platform-buildplatform-cross", df(
        "# syntax=docker/dockerfile:1",
        "FROM --platform=$BUILDPLATFORM golang:1.22.4-bookworm AS build",
        "ARG TARGETOS",
        "ARG TARGETARCH",
        "WORKDIR /src",
        "COPY . .",
        "RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /app",
        "USER 65532",
        'ENTRYPOINT ["/app"]'), miss=["DL3029", "DL3065"], clean=True)
    c.add(F, "platform-buildplatform-braces", df(
        "FROM --platform=${BUILDPLATFORM} tonistiigi/xx:1.4.0 AS xx",
        "FROM --platform=${BUILDPLATFORM} rust:1.79.0-bookworm AS build",
        "COPY --from=xx / /",
        "ARG TARGETPLATFORM",
        "WORKDIR /src",
        "COPY . .",
        "RUN xx-cargo build --release && xx-verify target/*/release/app",
        "",
        "FROM debian:12.6-slim",
        "COPY --from=build /src/target/release/app /usr/local/bin/app",
        "USER 10001"), miss=["DL3029", "DL3065"], hit=["DL3067"])
    c.add(F, "platform-targetplatform-redundant", df(
        "FROM --platform=$BUILDPLATFORM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM --platform=$TARGETPLATFORM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY --from=build /app/dist ./dist",
        "USER 1000",
        'CMD ["node", "dist/index.js"]'), hit=["DL3065"], miss=["DL3029"])
    c.add(F, "platform-targetplatform-braces", df(
        "FROM --platform=${TARGETPLATFORM} alpine:3.20.1",
        f"RUN apk add --no-cache ca-certificates={APK['ca-certificates']}",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL3065"])
    # --- COPY --from=x / / ----------------------------------------------
    c.add(F, "rootfs-copy-whole-filesystem", df(
        "FROM alpine:3.20.1 AS rootfs",
        f"RUN apk add --no-cache ca-certificates={APK['ca-certificates']} tzdata={APK['tzdata']} \\\n"
        "    && adduser -D -H -u 10001 app",
        "",
        "FROM scratch",
        "COPY --from=rootfs / /",
        "COPY bin/app /app",
        "USER 10001",
        'ENTRYPOINT ["/app"]'), hit=["DL3067"])
    c.add(F, "squash-stage-copy-root", df(
        "FROM debian:12.6-slim AS fat",
        apt_run(["ca-certificates", "curl"]),
        "RUN rm -rf /usr/share/doc /usr/share/man",
        "",
        "FROM scratch",
        'COPY --from=fat ["/", "/"]',
        "USER 10001",
        'CMD ["/bin/bash"]'), hit=["DL3067"])
    c.add(F, "rootfs-copy-selected-dirs", df(
        "FROM alpine:3.20.1 AS rootfs",
        f"RUN apk add --no-cache ca-certificates={APK['ca-certificates']} tzdata={APK['tzdata']}",
        "",
        "FROM scratch",
        "COPY --from=rootfs /etc/ssl/certs/ /etc/ssl/certs/",
        "COPY --from=rootfs /usr/share/zoneinfo/ /usr/share/zoneinfo/",
        "COPY bin/app /app",
        "USER 10001",
        'ENTRYPOINT ["/app"]'), miss=["DL3067"], clean=True)
    c.add(F, "rootfs-copy-into-subdir", df(
        "FROM debian:12.6-slim AS rootfs",
        apt_run(["ca-certificates"]),
        "",
        "FROM alpine:3.20.1",
        "COPY --from=rootfs / /rootfs/",
        'CMD ["chroot", "/rootfs", "/bin/bash"]'), miss=["DL3067"], clean=True)
    # --- per-stage rule scoping -----------------------------------------
    c.add(F, "builder-apt-lists-base-stage", df(
        "# 'base' is the parent of the later stages, so its apt lists count.",
        "FROM debian:12.6-slim AS base",
        "RUN apt-get update && apt-get install -y --no-install-recommends" + pkg_block(apt_pkgs(["ca-certificates", "tzdata"])),
        "",
        "FROM base AS build",
        "WORKDIR /src",
        "COPY . .",
        "",
        "FROM base",
        "COPY --from=build /src/bin/app /usr/local/bin/app",
        "USER 10001",
        'CMD ["app"]'), hit=["DL3009"])
    c.add(F, "builder-apt-lists-unused-stage", df(
        "# The 'tools' stage is neither the last stage nor a parent stage: hadolint skips it.",
        "FROM debian:12.6 AS tools",
        "RUN apt-get update && apt-get install -y --no-install-recommends" + pkg_block(apt_pkgs(["shellcheck"])),
        "",
        "FROM debian:12.6-slim",
        apt_run(["ca-certificates"]),
        "COPY scripts/ /usr/local/bin/",
        "USER 10001"), miss=["DL3009"])
    c.add(F, "builder-apt-lists-copied-from", df(
        "# apt lists left in a builder stage that is only used through COPY --from",
        "FROM debian:12.6 AS build",
        "RUN apt-get update && apt-get install -y --no-install-recommends" + pkg_block(apt_pkgs(["build-essential", "cmake"])),
        "WORKDIR /src",
        "COPY . .",
        "RUN cmake -B build && cmake --build build",
        "",
        "FROM debian:12.6-slim",
        apt_run(["ca-certificates"]),
        "COPY --from=build /src/build/server /usr/local/bin/server",
        "USER 10001",
        'CMD ["server"]'), miss=["DL3009"], clean=True)
    c.add(F, "final-stage-apt-lists-kept", df(
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /out/app .",
        "",
        "FROM debian:12.6-slim",
        "RUN apt-get update && apt-get install -y --no-install-recommends" + pkg_block(apt_pkgs(["ca-certificates", "tzdata"])),
        "COPY --from=build /out/app /usr/local/bin/app",
        "USER 10001",
        'CMD ["app"]'), hit=["DL3009"])
    c.add(F, "workdir-inherited-from-base-stage", df(
        "FROM python:3.12.4-slim-bookworm AS base",
        "WORKDIR /app",
        "ENV PYTHONUNBUFFERED=1",
        "",
        "FROM base AS deps",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "",
        "FROM deps",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), miss=["DL3045", "DL3006"], clean=True)
    c.add(F, "workdir-not-inherited-new-image", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM nginx:1.27.0-bookworm",
        "COPY --from=build /app/dist/ html/",
        "COPY nginx.conf .",
        "USER 101"), hit=["DL3045"])
    c.add(F, "builder-root-final-user", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "USER root",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY --from=build /app/dist ./dist",
        "USER 1000",
        'CMD ["node", "dist/index.js"]'), hit=["DL3002", "DL3066"])
    c.add(F, "builder-implicit-root-final-user", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        "",
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY --from=build /app/dist ./dist",
        "USER 1000",
        'CMD ["node", "dist/index.js"]'), miss=["DL3002"], clean=True)
    c.add(F, "final-stage-back-to-root", df(
        "FROM python:3.12.4-slim-bookworm AS build",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt",
        "",
        "FROM python:3.12.4-slim-bookworm",
        "COPY --from=build /install /usr/local",
        "RUN useradd --uid 10001 --no-create-home app",
        "USER app",
        "WORKDIR /app",
        "COPY . .",
        "USER root",
        'ENTRYPOINT ["/app/entrypoint.sh"]'), hit=["DL3002", "DL3066"])
    c.add(F, "cmd-per-stage", df(
        "FROM python:3.12.4-slim-bookworm AS test",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements-dev.txt",
        'CMD ["pytest", "-q"]',
        "",
        "FROM python:3.12.4-slim-bookworm AS prod",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "USER 10001",
        'HEALTHCHECK CMD ["python", "-c", "import app"]',
        'CMD ["python", "-m", "app"]'), miss=["DL4003", "DL3012"], clean=True)
    c.add(F, "cmd-twice-in-final-stage", df(
        "FROM python:3.12.4-slim-bookworm AS build",
        "WORKDIR /app",
        "COPY . .",
        "",
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY --from=build /app /app",
        'CMD ["python", "-m", "app", "--debug"]',
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL4003"])
    c.add(F, "healthcheck-twice-in-stage", df(
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /out/app .",
        "",
        "FROM debian:12.6-slim",
        "COPY --from=build /out/app /usr/local/bin/app",
        'HEALTHCHECK CMD ["app", "health"]',
        "USER 10001",
        "HEALTHCHECK NONE",
        'CMD ["app"]'), hit=["DL3012"])
    c.add(F, "curl-and-wget-different-stages", df(
        "FROM debian:12.6 AS fetch",
        apt_run(["curl", "ca-certificates"]),
        "RUN curl -fsSLo /tmp/tool.tgz https://downloads.example.com/tool/v1.2.3/tool.tgz \\\n    && tar -xzf /tmp/tool.tgz -C /usr/local/bin",
        "",
        "FROM alpine:3.20.1",
        "COPY --from=fetch /usr/local/bin/tool /usr/local/bin/tool",
        "RUN wget -q -O /etc/tool.yaml https://downloads.example.com/tool/v1.2.3/default.yaml",
        "USER 10001"), miss=["DL4001", "DL3059"])
    c.add(F, "curl-and-wget-same-stage", df(
        "FROM alpine:3.20.1 AS fetch",
        f"RUN apk add --no-cache curl={APK['curl']}",
        "WORKDIR /dl",
        "RUN curl -fsSLo tool.tgz https://downloads.example.com/tool/v1.2.3/tool.tgz",
        "COPY checksums.txt .",
        "RUN wget -q https://downloads.example.com/tool/v1.2.3/tool.tgz.sig && sha256sum -c checksums.txt",
        "",
        "FROM alpine:3.20.1",
        "COPY --from=fetch /dl/tool.tgz /opt/",
        "USER 10001"), hit=["DL4001"])
    c.add(F, "pip-no-cache-env-inherited", df(
        "FROM python:3.12.4-slim-bookworm AS base",
        "ENV PIP_NO_CACHE_DIR=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1",
        "WORKDIR /app",
        "",
        "FROM base",
        "COPY requirements.txt .",
        "RUN pip install -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), miss=["DL3042"], clean=True)
    c.add(F, "pip-no-cache-env-other-stage", df(
        "FROM python:3.12.4-slim-bookworm AS test",
        "ENV PIP_NO_CACHE_DIR=1",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install -r requirements-dev.txt && pytest -q",
        "",
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL3042"])
    c.add(F, "onbuild-consumer", df(
        "FROM registry.example.com/platform/python-onbuild:3.12",
        "ENV APP_MODULE=orders.main:app",
        "USER 10001",
        "EXPOSE 8000"), clean=True)


# ---------------------------------------------------------------------------
# heredoc/ : BuildKit heredocs.  hadolint 2.15 parses a heredoc only when the
# terminator is followed by a blank line or the end of the file; `<<-`, two
# heredocs on one line and an instruction right after the terminator are
# parse errors (DL1000).  Both shapes are here on purpose.
# ---------------------------------------------------------------------------
def gen_heredoc(c):
    F = "heredoc"
    SYN = "# syntax=docker/dockerfile:1.7"
    # ---- shapes hadolint 2.15 parses ---------------------------------
    c.add(F, "apt-heredoc-clean", df(
        SYN,
        "FROM debian:12.6-slim",
        "RUN <<EOF\nset -eux\napt-get update\n"
        f"apt-get install -y --no-install-recommends ca-certificates={DEB['ca-certificates']} curl={DEB['curl']}\n"
        "rm -rf /var/lib/apt/lists/*\nEOF",
        "",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'CMD ["/usr/local/bin/app"]'), miss=["DL3008", "DL3009", "DL3014", "DL3015", "DL1000"], clean=True)
    c.add(F, "apt-heredoc-sloppy", df(
        SYN,
        "FROM ubuntu:24.04",
        "RUN <<EOF\napt-get update\napt-get install -y python3 python3-pip\nEOF",
        "",
        "WORKDIR /app",
        "COPY . .",
        'CMD ["python3", "main.py"]'), hit=["DL3008", "DL3009", "DL3015"], miss=["DL1000", "DL3014"])
    c.add(F, "heredoc-cd-in-body", df(
        SYN,
        "FROM golang:1.22.4-bookworm",
        "COPY . /src",
        "RUN <<EOF\nset -e\ncd /src\ngo build -o /usr/local/bin/app ./cmd/app\nEOF",
        "",
        "USER 10001",
        'CMD ["app"]'), hit=["DL3003"], miss=["DL1000"])
    c.add(F, "heredoc-pipe-in-body", df(
        SYN,
        "FROM debian:12.6-slim",
        apt_run(["curl", "ca-certificates"]),
        "RUN <<EOF\nset -e\ncurl -fsSL https://downloads.example.com/tool/install.sh | sh\nEOF",
        "",
        "USER 10001"), hit=["DL4006"], miss=["DL1000", "DL3059"])
    c.add(F, "heredoc-pipe-with-pipefail-shell", df(
        SYN,
        "FROM debian:12.6-slim",
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        apt_run(["curl", "ca-certificates"]),
        "WORKDIR /opt",
        "RUN <<EOF\ncurl -fsSL https://downloads.example.com/tool/v2.1.0/tool-linux-amd64.tar.gz | tar -xz\nEOF",
        "",
        "USER 10001",
        'CMD ["/opt/tool"]'), miss=["DL4006", "DL1000"], clean=True)
    c.add(F, "pip-heredoc-at-eof", df(
        SYN,
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "USER 10001",
        "RUN <<EOF\npip install --user flask\nEOF"), hit=["DL3013", "DL3042"], miss=["DL1000"])
    c.add(F, "python-interpreter-heredoc", df(
        SYN,
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "RUN python3 <<PY\nimport compileall, sys\nok = compileall.compile_dir('/usr/local/lib', quiet=1)\nsys.exit(0 if ok else 1)\nPY",
        "",
        "COPY . .",
        "USER 10001",
        'CMD ["python3", "-m", "app"]'), miss=["DL1000"], clean=True)
    c.add(F, "cat-redirect-heredoc", df(
        SYN,
        "FROM nginx:1.27.0-bookworm",
        "RUN cat <<EOF > /etc/nginx/conf.d/default.conf\nserver {\n    listen 8080;\n    root /usr/share/nginx/html;\n    location /healthz { return 200; }\n}\nEOF",
        "",
        "COPY dist/ /usr/share/nginx/html/",
        "USER 101"), miss=["DL1000"], clean=True)
    c.add(F, "copy-heredoc-config-blank-line", df(
        SYN,
        "FROM redis:7.2.5-bookworm",
        "COPY <<EOF /usr/local/etc/redis/redis.conf\nmaxmemory 256mb\nmaxmemory-policy allkeys-lru\nappendonly yes\nEOF",
        "",
        "USER 999",
        'CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]'), miss=["DL1000"], clean=True)
    c.add(F, "apk-cache-mount-heredoc", df(
        SYN,
        "FROM alpine:3.20.1",
        "RUN --mount=type=cache,target=/var/cache/apk <<EOF\nset -eu\n"
        f"apk add curl={APK['curl']} jq={APK['jq']}\nEOF",
        "",
        "USER 10001",
        'ENTRYPOINT ["jq"]'), miss=["DL3019", "DL3018", "DL1000"], clean=True)
    c.add(F, "copy-heredoc-entrypoint-at-eof", df(
        SYN,
        "FROM alpine:3.20.1",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
        "COPY --chmod=755 <<EOF /usr/local/bin/entrypoint.sh\n#!/bin/sh\nset -e\nexec \"$@\"\nEOF"), miss=["DL1000"], clean=True)
    # ---- shapes hadolint 2.15 cannot parse (DL1000) --------------------
    c.add(F, "apt-heredoc-then-copy", df(
        SYN,
        "FROM debian:12.6-slim",
        "RUN <<EOF\nset -eux\napt-get update\n"
        f"apt-get install -y --no-install-recommends ca-certificates={DEB['ca-certificates']}\n"
        "rm -rf /var/lib/apt/lists/*\nEOF",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'CMD ["/usr/local/bin/app"]'), hit=["DL1000"])
    c.add(F, "heredoc-then-comment", df(
        SYN,
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN <<EOF\npip install --no-cache-dir -r requirements.txt\nEOF",
        "# application code last for better caching",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL1000"])
    c.add(F, "heredoc-tab-stripping", df(
        SYN,
        "FROM alpine:3.20.1",
        "RUN <<-EOT\n\tset -eu\n\tmkdir -p /srv/data\n\tchown 10001:10001 /srv/data\n\tEOT",
        "",
        "USER 10001"), hit=["DL1000"])
    c.add(F, "two-heredocs-one-line", df(
        SYN,
        "FROM alpine:3.20.1",
        "RUN <<FILE1 cat > /etc/app/a.conf && <<FILE2 cat > /etc/app/b.conf\nmode=a\nFILE1\nmode=b\nFILE2",
        "",
        "USER 10001"), hit=["DL1000"])
    c.add(F, "copy-heredoc-then-cmd", df(
        SYN,
        "FROM nginx:1.27.0-alpine3.19",
        "COPY <<EOF /etc/nginx/conf.d/default.conf\nserver { listen 8080; root /usr/share/nginx/html; }\nEOF",
        "COPY dist/ /usr/share/nginx/html/",
        "USER 101"), hit=["DL1000"])
    c.add(F, "copy-heredoc-quoted-delimiter", df(
        SYN,
        "FROM alpine:3.20.1",
        "COPY --chmod=755 <<'EOF' /usr/local/bin/healthcheck\n#!/bin/sh\nwget -q --spider \"http://localhost:${PORT:-8080}/healthz\"\nEOF",
        "HEALTHCHECK CMD [\"/usr/local/bin/healthcheck\"]",
        "USER 10001"), hit=["DL1000"])
    c.add(F, "multi-heredoc-build-script", df(
        SYN,
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN --mount=type=cache,target=/go/pkg/mod <<EOF\nset -e\ngo mod download\nCGO_ENABLED=0 go build -o /out/app ./cmd/app\nEOF",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /app",
        "COPY <<EOF /etc/app/config.yaml\nlisten: :8080\nlog_level: info\nEOF",
        "USER 65532",
        'ENTRYPOINT ["/app"]'), hit=["DL1000"])
    c.add(F, "python-heredoc-then-run", df(
        SYN,
        "FROM python:3.12.4-slim-bookworm",
        "RUN python3 <<PY\nimport pathlib\npathlib.Path('/srv/app').mkdir(parents=True)\nPY",
        "RUN pip install --no-cache-dir gunicorn==22.0.0",
        "USER 10001"), hit=["DL1000"])
    c.add(F, "shebang-heredoc-then-workdir", df(
        SYN,
        "FROM debian:12.6-slim",
        "RUN <<EOF\n#!/usr/bin/env bash\nset -euo pipefail\nmkdir -p /srv/app\nEOF",
        "WORKDIR /srv/app",
        "USER 10001"), hit=["DL1000"])


# ---------------------------------------------------------------------------
# security/ : obvious security problems (all credentials are fake) and their
# fixed counterparts.  Several problems have no hadolint rule at all
# (chmod 777, EXPOSE 22, ADD <url> without --checksum, COPY . . before the
# dependency install, RUN --security=insecure); they are here for dockguard's
# own security checks, and the snapshot records that hadolint stays silent.
# ---------------------------------------------------------------------------
FAKE_AWS_KEY = "AKIAFAKEFAKEFAKE0000"
FAKE_AWS_SECRET = "fake/NOT+A+REAL+SECRET+KEY+0000000000000"


def gen_security(c):
    F = "security"
    c.add(F, "aws-keys-in-env", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        f"ENV AWS_ACCESS_KEY_ID={FAKE_AWS_KEY} \\\n    AWS_SECRET_ACCESS_KEY={FAKE_AWS_SECRET} \\\n    AWS_DEFAULT_REGION=eu-west-1",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "sync_s3.py"]'), hit=["DL3064"])
    c.add(F, "aws-keys-as-build-args", df(
        "FROM amazon/aws-cli:2.17.0",
        "ARG AWS_ACCESS_KEY_ID",
        "ARG AWS_SECRET_ACCESS_KEY",
        "RUN aws s3 cp s3://acme-build-artifacts/app.tar.gz /tmp/app.tar.gz \\\n    && mkdir -p /opt/app && tar -xzf /tmp/app.tar.gz -C /opt/app",
        "USER 10001",
        'ENTRYPOINT ["/opt/app/bin/app"]'), hit=["DL3064"])
    c.add(F, "npm-token-build-arg", df(
        "FROM node:20.14.0-bookworm-slim",
        "ARG NPM_TOKEN",
        "WORKDIR /app",
        "COPY package.json package-lock.json ./",
        "RUN echo \"//npm.pkg.example.com/:_authToken=${NPM_TOKEN}\" > .npmrc \\\n    && npm ci --omit=dev \\\n    && rm -f .npmrc",
        "COPY . .",
        "USER 1000",
        'CMD ["node", "server.js"]'), hit=["DL3064"])
    c.add(F, "npm-token-secret-mount", df(
        "# syntax=docker/dockerfile:1",
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY package.json package-lock.json ./",
        "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc \\\n    npm ci --omit=dev",
        "COPY . .",
        "USER 1000",
        'CMD ["node", "server.js"]'), miss=["DL3064"], clean=True)
    c.add(F, "pip-index-secret-mount", df(
        "# syntax=docker/dockerfile:1",
        "# The private index URL comes from a secret; the pip cache lives in a cache mount.",
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf \\\n"
        "    --mount=type=cache,target=/var/cache/pip \\\n"
        "    PIP_CACHE_DIR=/var/cache/pip pip install -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL3042"], miss=["DL3064", "DL3013"])
    c.add(F, "github-token-git-clone", df(
        "FROM golang:1.22.4-bookworm",
        "ARG GITHUB_TOKEN",
        "ENV GOPRIVATE=git.example.com/acme/*",
        "RUN git config --global url.\"https://${GITHUB_TOKEN}@git.example.com/\".insteadOf \"https://git.example.com/\"",
        "WORKDIR /src",
        "COPY . .",
        "RUN go build -o /usr/local/bin/app ./cmd/app",
        'CMD ["app"]'), hit=["DL3064"])
    c.add(F, "private-modules-ssh-mount-goprivate", df(
        "# syntax=docker/dockerfile:1",
        "FROM golang:1.22.4-bookworm AS build",
        "ENV GOPRIVATE=git.example.com/acme/* \\\n    GIT_SSH_COMMAND=\"ssh -o StrictHostKeyChecking=accept-new\"",
        "RUN git config --global url.\"ssh://git@git.example.com/\".insteadOf \"https://git.example.com/\"",
        "WORKDIR /src",
        "COPY go.mod go.sum ./",
        "RUN --mount=type=ssh go mod download",
        "COPY . .",
        "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /app",
        "USER 65532",
        'ENTRYPOINT ["/app"]'), hit=["DL3064"])
    c.add(F, "db-password-in-env", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "ENV DB_HOST=db.internal \\\n    DB_USER=orders \\\n    DB_PASSWORD=s3cr3t-fake-password",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "USER 10001",
        'CMD ["python", "-m", "orders"]'), hit=["DL3064"])
    c.add(F, "db-settings-without-secrets", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "ENV DB_HOST=db.internal \\\n    DB_PORT=5432 \\\n    DB_NAME=orders \\\n    DB_PASSWD_FILE=/run/secrets/db",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "orders"]'), miss=["DL3064"], clean=True)
    c.add(F, "postgres-password-file-env", df(
        "FROM postgres:16.3-bookworm",
        "ENV POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password \\\n    POSTGRES_DB=app",
        "COPY initdb/ /docker-entrypoint-initdb.d/",
        "USER 999"), hit=["DL3064"])
    c.add(F, "tokenizer-env-false-positive", df(
        "# Only a tuning knob, but the name contains 'token'.",
        "FROM python:3.11.9-slim-bookworm",
        "ENV TOKENIZERS_PARALLELISM=false \\\n    HF_HUB_DISABLE_TELEMETRY=1",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "serve.py"]'), hit=["DL3064"])
    c.add(F, "build-metadata-args", df(
        "FROM alpine:3.20.1",
        "ARG APP_VERSION=0.0.0-dev",
        "ARG GIT_COMMIT=unknown",
        "ARG BUILD_DATE",
        'LABEL org.opencontainers.image.version="${APP_VERSION}" \\\n      org.opencontainers.image.revision="${GIT_COMMIT}"',
        "ENV AWS_REGION=eu-west-1",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), miss=["DL3064"], clean=True)
    c.add(F, "api-key-written-to-file", df(
        "FROM alpine:3.20.1",
        "ARG STRIPE_API_KEY",
        "RUN mkdir -p /etc/app && echo \"$STRIPE_API_KEY\" > /etc/app/stripe.key",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL3064"])
    c.add(F, "curl-pipe-sh-installer", df(
        "FROM debian:12.6-slim",
        apt_run(["curl", "ca-certificates"]),
        "WORKDIR /opt",
        "RUN curl -fsSL https://downloads.example.com/agent/install.sh | sh",
        'CMD ["/opt/agent/bin/agent"]'), hit=["DL4006"])
    c.add(F, "curl-pipe-bash-root", df(
        "FROM ubuntu:22.04",
        apt_run(["curl", "ca-certificates", "gnupg"]),
        "WORKDIR /tmp",
        "RUN curl -sL https://downloads.example.com/setup_20.x | bash - \\\n"
        "    && apt-get install -y nodejs",
        "USER root",
        'CMD ["node"]'), hit=["DL4006", "DL3008", "DL3002", "DL3015"])
    c.add(F, "installer-verified-checksum", df(
        "FROM debian:12.6-slim",
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        apt_run(["curl", "ca-certificates"]),
        "ARG AGENT_VERSION=4.2.1",
        "ARG AGENT_SHA256=9f2c1d7e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d",
        "RUN curl -fsSLo /tmp/agent.tar.gz \"https://downloads.example.com/agent/v${AGENT_VERSION}/agent-linux-amd64.tar.gz\" \\\n"
        "    && echo \"${AGENT_SHA256}  /tmp/agent.tar.gz\" | sha256sum -c - \\\n"
        "    && tar -xzf /tmp/agent.tar.gz -C /usr/local/bin agent \\\n"
        "    && rm /tmp/agent.tar.gz",
        "USER 10001",
        'CMD ["agent"]'), miss=["DL4006", "DL3064"], clean=True)
    c.add(F, "world-writable-app-dir", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci --omit=dev && chmod -R 777 /app",
        "USER 1000",
        'CMD ["node", "server.js"]'), clean=True)
    c.add(F, "world-writable-scripts", df(
        "FROM alpine:3.20.1",
        "COPY scripts/ /usr/local/bin/",
        "RUN chmod 777 /usr/local/bin/*.sh \\\n    && chmod u+s /usr/local/bin/backup.sh",
        "USER 10001",
        'CMD ["/usr/local/bin/run.sh"]'), clean=True)
    c.add(F, "sshd-in-container", df(
        "FROM debian:12.6-slim",
        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends" + pkg_block(apt_pkgs(["openssh-client"])) + " openssh-server \\\n"
        "    && mkdir -p /run/sshd \\\n    && echo 'root:changeme' | chpasswd \\\n"
        "    && sed -i 's/#PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config \\\n    && rm -rf /var/lib/apt/lists/*",
        "EXPOSE 22",
        'CMD ["/usr/sbin/sshd", "-D"]'), hit=["DL3008", "DL4006"])
    c.add(F, "expose-ssh-and-docker-daemon", df(
        "FROM docker:26.1.4-dind",
        "COPY daemon.json /etc/docker/daemon.json",
        "EXPOSE 22 2375",
        "VOLUME /var/lib/docker"), clean=True)
    c.add(F, "add-remote-no-checksum", df(
        "FROM debian:12.6-slim",
        "ADD https://downloads.example.com/tini/v0.19.0/tini-amd64 /usr/local/bin/tini",
        "RUN chmod 0755 /usr/local/bin/tini",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/tini", "--", "/usr/local/bin/app"]'), miss=["DL3020"], clean=True)
    c.add(F, "add-remote-with-checksum", df(
        "# syntax=docker/dockerfile:1.7",
        "FROM debian:12.6-slim",
        "ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c --chmod=755 \\\n"
        "    https://downloads.example.com/tini/v0.19.0/tini-amd64 /usr/local/bin/tini",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/tini", "--", "/usr/local/bin/app"]'), miss=["DL3020"], clean=True)
    c.add(F, "add-remote-script-and-run", df(
        "FROM ubuntu:24.04",
        "ADD https://downloads.example.com/monitoring/install-agent.sh /tmp/install-agent.sh",
        "RUN bash /tmp/install-agent.sh --non-interactive && rm /tmp/install-agent.sh",
        'CMD ["monitoring-agent"]'), clean=True)
    c.add(F, "copy-all-before-pip-install", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install -r requirements.txt",
        "USER 10001",
        'CMD ["python", "app.py"]'), hit=["DL3042"], miss=["DL3013"])
    c.add(F, "copy-all-before-npm-install", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci --omit=dev",
        "USER 1000",
        'CMD ["node", "index.js"]'), clean=True)
    c.add(F, "root-user-at-end", df(
        "FROM node:20.14.0-bookworm-slim",
        "WORKDIR /app",
        "COPY --chown=1000:1000 . .",
        "USER 1000",
        "RUN npm ci --omit=dev",
        "USER root",
        'CMD ["node", "server.js"]'), hit=["DL3002", "DL3066"])
    c.add(F, "uid-zero-at-end", df(
        "FROM alpine:3.20.1",
        "COPY bin/app /usr/local/bin/app",
        "USER 10001",
        "RUN /usr/local/bin/app --self-test",
        "USER 0:0",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL3002"], miss=["DL3066"])
    c.add(F, "root-then-drop-privileges", df(
        "FROM debian:12.6-slim",
        "USER root",
        apt_run(["ca-certificates", "gosu"]),
        "COPY entrypoint.sh /usr/local/bin/entrypoint.sh",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]'), miss=["DL3002", "DL3004"], hit=["DL3066"])
    c.add(F, "sudo-in-build", df(
        "FROM ubuntu:22.04",
        apt_run(["sudo", "git"]),
        "RUN useradd -m -s /bin/bash dev \\\n    && echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev",
        "USER dev",
        "WORKDIR /home/dev",
        "RUN sudo mkdir -p /opt/tools && sudo chown dev /opt/tools",
        'CMD ["bash"]'), hit=["DL3004", "DL3066"])
    c.add(F, "sudo-in-entrypoint-build", df(
        "FROM debian:12.6-slim",
        apt_run(["sudo"]),
        "COPY . /srv/app",
        "RUN sudo -u nobody /srv/app/bin/check-config",
        "USER 65534",
        'CMD ["/srv/app/bin/app"]'), hit=["DL3004"])
    c.add(F, "run-security-insecure", df(
        "# syntax=docker/dockerfile:1-labs",
        "FROM debian:12.6",
        apt_run(["net-tools"]),
        "RUN --security=insecure ip link add dummy0 type dummy && ip link delete dummy0",
        "USER 10001"))
    c.add(F, "run-network-none-tests", df(
        "# syntax=docker/dockerfile:1",
        "FROM golang:1.22.4-bookworm",
        "WORKDIR /src",
        "COPY . .",
        "RUN go mod download",
        "RUN --network=none go test ./...",
        "USER 10001"), miss=["DL3059"], clean=True)
    c.add(F, "private-key-copied-then-removed", df(
        "FROM alpine:3.20.1",
        f"RUN apk add --no-cache git={APK['git']} openssh-client-default={APK['openssh-client-default']}",
        "COPY deploy_key /etc/ssh/deploy_key",
        "RUN GIT_SSH_COMMAND='ssh -i /etc/ssh/deploy_key -o StrictHostKeyChecking=no' \\\n"
        "    git clone git@git.example.com:acme/config.git /srv/config",
        "RUN rm /etc/ssh/deploy_key",
        "USER 10001"), hit=["DL3059"])
    c.add(F, "tls-verification-disabled", df(
        "FROM node:20.14.0-bookworm-slim",
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=0",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm config set strict-ssl false && npm ci",
        "USER 1000",
        'CMD ["node", "server.js"]'), clean=True)
    c.add(F, "wget-no-check-certificate", df(
        "FROM debian:12.6-slim",
        apt_run(["wget"]),
        "WORKDIR /opt",
        "RUN wget --no-check-certificate https://downloads.example.com/app/app-1.2.3.tar.gz \\\n    && tar -xzf app-1.2.3.tar.gz && rm app-1.2.3.tar.gz",
        "USER 10001"), hit=["DL3047"])
    c.add(F, "pip-trusted-host", df(
        "FROM python:3.12.4-slim-bookworm",
        "WORKDIR /app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir --trusted-host packages.internal.example.com \\\n"
        "    --index-url http://packages.internal.example.com/simple -r requirements.txt",
        "COPY . .",
        "USER 10001",
        'CMD ["python", "-m", "app"]'), miss=["DL3013"], clean=True)
    c.add(F, "hardened-distroless", df(
        "# syntax=docker/dockerfile:1",
        "FROM golang:1.22.4-bookworm AS build",
        "WORKDIR /src",
        "COPY go.mod go.sum ./",
        "RUN go mod download",
        "COPY . .",
        "RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app",
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65",
        "COPY --from=build /out/app /app",
        "USER 65532:65532",
        'ENTRYPOINT ["/app"]'), miss=["DL3006", "DL3007", "DL3002"], clean=True)


# ---------------------------------------------------------------------------
# with-config/ : run with --config with-config/.hadolint.yaml (label schema,
# strict labels, trusted registries, DL1001 and DL3057 switched on).
# ---------------------------------------------------------------------------
LABEL_KEYS = ["maintainer", "org.opencontainers.image.title", "org.opencontainers.image.source",
              "org.opencontainers.image.created", "org.opencontainers.image.licenses",
              "org.opencontainers.image.revision", "org.opencontainers.image.version"]
LABEL_OK = {
    "maintainer": "platform@example.com",
    "org.opencontainers.image.title": "{app}",
    "org.opencontainers.image.source": "https://git.example.com/acme/{app}",
    "org.opencontainers.image.created": "2024-06-12T09:30:00Z",
    "org.opencontainers.image.licenses": "Apache-2.0",
    "org.opencontainers.image.revision": "3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c",
    "org.opencontainers.image.version": "1.4.2",
}
LABEL_RULES_OK = ["DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"]


def label_block(app, over=None, drop=(), extra=()):
    vals = {k: v.format(app=app) for k, v in LABEL_OK.items()}
    vals.update(over or {})
    rows = [f'{k}="{vals[k]}"' for k in LABEL_KEYS if k not in drop] + list(extra)
    return "LABEL " + " \\\n      ".join(rows)


def cfg_app(app, base, body, labels, health=True, pre=()):
    return df(
        list(pre),
        f"FROM {base}",
        labels,
        body,
        'HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "healthcheck"]' if health else None,
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]')


def gen_with_config(c):
    F = "with-config"
    body = "COPY bin/app /usr/local/bin/app"
    ok_all = LABEL_RULES_OK + ["DL3026", "DL1001", "DL3057"]
    c.add(F, "fully-labelled-docker-hub-base", cfg_app("orders-api", "alpine:3.20.1", body, label_block("orders-api")),
          miss=ok_all, clean=True)
    c.add(F, "fully-labelled-trusted-private-registry",
          cfg_app("billing", "registry.example.com/base/alpine:3.20.1", body, label_block("billing")), miss=ok_all, clean=True)
    c.add(F, "fully-labelled-mcr-base", df(
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim",
        label_block("ledger", over={"org.opencontainers.image.licenses": "GPL-3.0-or-later",
                                    "org.opencontainers.image.version": "2.0.0-rc.1+build.5",
                                    "org.opencontainers.image.revision": "3f2a9c1"}),
        "WORKDIR /app",
        "COPY publish/ .",
        'HEALTHCHECK CMD ["dotnet", "Ledger.dll", "--health"]',
        "USER 1654",
        'ENTRYPOINT ["dotnet", "Ledger.dll"]'), miss=ok_all, clean=True)
    c.add(F, "untrusted-quay-base", cfg_app("catalog", "quay.io/acme/alpine-base:3.20.1", body, label_block("catalog")),
          hit=["DL3026"], miss=LABEL_RULES_OK)
    c.add(F, "untrusted-ghcr-base", cfg_app("webhooks", "ghcr.io/acme/runtime:2024.06", body, label_block("webhooks")),
          hit=["DL3026"], miss=LABEL_RULES_OK)
    c.add(F, "untrusted-distroless-final", df(
        "FROM golang:1.22.4-bookworm AS build",
        label_block("geo-lookup"),
        "WORKDIR /src",
        "COPY . .",
        "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        'HEALTHCHECK NONE',
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        label_block("geo-lookup"),
        "COPY --from=build /out/app /usr/local/bin/app",
        'HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]',
        "USER 65532",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL3026"], miss=["DL3057", "DL3049"])
    c.add(F, "labels-missing", cfg_app("pricing", "alpine:3.20.1", body,
                                       'LABEL org.opencontainers.image.title="pricing"'), hit=["DL3049"])
    c.add(F, "labels-missing-in-builder-stage", df(
        "FROM node:20.14.0-bookworm-slim AS build",
        "WORKDIR /app",
        "COPY . .",
        "RUN npm ci && npm run build",
        'HEALTHCHECK NONE',
        "",
        "FROM nginx:1.27.0-bookworm",
        label_block("status-page"),
        "COPY --from=build /app/dist /usr/share/nginx/html",
        'HEALTHCHECK CMD ["curl", "-fsS", "http://localhost:8080/"]',
        "USER 101"), miss=["DL3057", "DL3049"], clean=True)
    c.add(F, "labels-missing-in-test-stage", df(
        "FROM python:3.12.4-slim-bookworm AS test",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements-dev.txt",
        "HEALTHCHECK NONE",
        'CMD ["pytest", "-q"]',
        "",
        "FROM python:3.12.4-slim-bookworm",
        label_block("report-api"),
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        'HEALTHCHECK CMD ["python", "-c", "import app"]',
        "USER 10001",
        'CMD ["python", "-m", "app"]'), hit=["DL3049"], miss=["DL3057"])
    c.add(F, "labels-partial-oci-only", cfg_app("geo-tiles", "alpine:3.20.1", body,
                                                label_block("geo-tiles", drop=("maintainer", "org.opencontainers.image.created"))),
          hit=["DL3049"], miss=["DL3026"])
    c.add(F, "labels-inherited-from-base-stage", df(
        "FROM python:3.12.4-slim-bookworm AS base",
        label_block("report-worker"),
        "WORKDIR /app",
        'HEALTHCHECK CMD ["python", "-c", "import worker"]',
        "",
        "FROM base",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        'HEALTHCHECK CMD ["python", "-c", "import worker"]',
        "USER 10001",
        'CMD ["python", "-m", "worker"]'), miss=["DL3049", "DL3057"], clean=True)
    c.add(F, "superfluous-team-label", cfg_app("checkout", "alpine:3.20.1", body,
                                               label_block("checkout", extra=['com.example.team="payments"'])),
          hit=["DL3050"], miss=["DL3049"])
    c.add(F, "superfluous-description-label", cfg_app("mailer", "alpine:3.20.1", body,
                                                      label_block("mailer", extra=['description="Transactional mail sender"'])),
          hit=["DL3050"])
    c.add(F, "empty-version-label", cfg_app("shipping", "alpine:3.20.1", body,
                                            label_block("shipping", over={"org.opencontainers.image.version": ""})),
          hit=["DL3051"])
    c.add(F, "empty-title-label", cfg_app("audit-log", "alpine:3.20.1", body,
                                          label_block("audit-log", over={"org.opencontainers.image.title": ""})),
          hit=["DL3051"], miss=["DL3052"])
    c.add(F, "source-label-ssh-remote", cfg_app("inventory", "alpine:3.20.1", body,
                                                label_block("inventory", over={"org.opencontainers.image.source": "git@git.example.com:acme/inventory.git"})),
          hit=["DL3052"])
    c.add(F, "source-label-no-scheme", cfg_app("search", "alpine:3.20.1", body,
                                               label_block("search", over={"org.opencontainers.image.source": "git.example.com/acme/search"})),
          hit=["DL3052"])
    c.add(F, "created-label-from-build-arg", cfg_app("ingest", "alpine:3.20.1", body,
                                                     label_block("ingest", over={"org.opencontainers.image.created": "${BUILD_DATE}"}),
                                                     pre=["ARG BUILD_DATE"]), hit=["DL3053"])
    c.add(F, "created-label-date-only", cfg_app("scheduler", "alpine:3.20.1", body,
                                                label_block("scheduler", over={"org.opencontainers.image.created": "2024-06-12"})),
          hit=["DL3053"])
    c.add(F, "license-label-spdx-expression", cfg_app("feature-flags", "alpine:3.20.1", body,
                                                      label_block("feature-flags", over={"org.opencontainers.image.licenses": "MIT OR Apache-2.0"})),
          hit=["DL3054"])
    c.add(F, "license-label-proprietary", cfg_app("tenant-admin", "alpine:3.20.1", body,
                                                  label_block("tenant-admin", over={"org.opencontainers.image.licenses": "Proprietary"})),
          hit=["DL3054"])
    c.add(F, "revision-label-from-build-arg", cfg_app("user-profile", "alpine:3.20.1", body,
                                                      label_block("user-profile", over={"org.opencontainers.image.revision": "${GIT_COMMIT}"}),
                                                      pre=["ARG GIT_COMMIT"]), hit=["DL3055"])
    c.add(F, "revision-label-branch-name", cfg_app("metrics-proxy", "alpine:3.20.1", body,
                                                   label_block("metrics-proxy", over={"org.opencontainers.image.revision": "main"})),
          hit=["DL3055"])
    c.add(F, "version-label-v-prefix", cfg_app("notifier", "alpine:3.20.1", body,
                                               label_block("notifier", over={"org.opencontainers.image.version": "v1.4.2"})),
          hit=["DL3056"])
    c.add(F, "version-label-two-parts", cfg_app("media-resizer", "alpine:3.20.1", body,
                                                label_block("media-resizer", over={"org.opencontainers.image.version": "1.4"})),
          hit=["DL3056"])
    c.add(F, "maintainer-label-name-and-address", cfg_app("auth-gateway", "alpine:3.20.1", body,
                                                          label_block("auth-gateway", over={"maintainer": "Platform Team <platform@example.com>"})),
          hit=["DL3058"])
    c.add(F, "maintainer-label-team-name", cfg_app("orders-worker", "alpine:3.20.1", body,
                                                   label_block("orders-worker", over={"maintainer": "platform team"})),
          hit=["DL3058"])
    c.add(F, "ignore-pragma-apt", df(
        "FROM debian:12.6-slim",
        label_block("backup"),
        "# hadolint ignore=DL3008",
        "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*",
        "COPY bin/app /usr/local/bin/app",
        'HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]',
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL1001"], miss=["DL3008"])
    c.add(F, "ignore-pragma-apk", df(
        "FROM alpine:3.20.1",
        label_block("edge-proxy"),
        "# hadolint ignore=DL3018",
        "RUN apk add --no-cache ca-certificates",
        "COPY bin/app /usr/local/bin/app",
        'HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]',
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), hit=["DL1001"], miss=["DL3018"])
    c.add(F, "healthcheck-missing", cfg_app("pdf-render", "alpine:3.20.1", body, label_block("pdf-render"), health=False),
          hit=["DL3057"], miss=LABEL_RULES_OK)
    c.add(F, "healthcheck-missing-worker", cfg_app("queue-worker", "registry.example.com/base/alpine:3.20.1", body,
                                                   label_block("queue-worker"), health=False), hit=["DL3057"], miss=["DL3026"])
    c.add(F, "healthcheck-disabled-explicitly", df(
        "FROM alpine:3.20.1",
        label_block("batch-export"),
        "COPY bin/app /usr/local/bin/app",
        "# A batch job: nothing to probe.",
        "HEALTHCHECK NONE",
        "USER 10001",
        'ENTRYPOINT ["/usr/local/bin/app"]'), miss=["DL3057"], clean=True)


# ---------------------------------------------------------------------------
# Driver: build, write, document, check
# ---------------------------------------------------------------------------
def build():
    c = Corpus()
    gen_debian(c)
    gen_single_stage(c, "alpine", FLAVORS_ALPINE, ALPINE_TARGETED)
    gen_single_stage(c, "rhel", FLAVORS_RHEL, RHEL_TARGETED)
    gen_single_stage(c, "suse", FLAVORS_SUSE, SUSE_TARGETED)
    gen_windows(c)
    gen_multistage(c)
    gen_heredoc(c)
    gen_security(c)
    gen_with_config(c)
    return c


FOLDER_DOC = {
    "debian": "Debian/Ubuntu single-stage images for node, python, go, java, ruby, php, rust, .NET, nginx, postgres, redis, mariadb, CI tools; apt-get rules, ONBUILD, pragmas, lowercase instructions, continuation comments",
    "alpine": "Alpine single-stage images; apk rules (pinning, --no-cache, virtual build deps), busybox wget, ash pipefail",
    "rhel": "UBI 8/9 (ubi, ubi-minimal), Fedora, CentOS 7 / Stream 9, Rocky, Alma, Amazon Linux 2 / 2023; yum, dnf and microdnf rules",
    "suse": "openSUSE Leap / Tumbleweed and SUSE BCI; zypper rules",
    "windows": "servercore / nanoserver / IIS / .NET Framework images with the backtick escape directive, PowerShell and cmd SHELLs, Windows WORKDIRs",
    "multistage": "Multi-stage builds: named stages, COPY --from (aliases, indexes, images), scratch/distroless finals, --platform, per-stage scoping",
    "heredoc": "BuildKit heredocs (RUN/COPY <<EOF); the shapes hadolint 2.15 parses and the ones it rejects with DL1000",
    "security": "Secrets in ENV/ARG (fake values), curl piped to sh, chmod 777, EXPOSE 22, ADD <url> with/without --checksum, root at the end, --security=insecure, and fixed counterparts",
    "with-config": "Rules that need configuration: label schema (DL3049-DL3056, DL3058), strict labels, trusted registries (DL3026), DL1001, DL3057",
}


def spread(entries, n=3):
    """Pick up to n entries, preferring distinct folders."""
    out, seen = [], set()
    for e in entries:
        if e.folder not in seen:
            out.append(e)
            seen.add(e.folder)
        if len(out) == n:
            return out
    for e in entries:
        if e not in out:
            out.append(e)
        if len(out) == n:
            break
    return out


def readme(c):
    by_folder = collections.Counter(e.folder for e in c.entries)
    sev = {r[0]: r[1] for r in RULES}
    lines = [
        "# Dockerfile lint corpus",
        "",
        "Realistic Dockerfiles used to check that `dockguard lint` reports the same DL findings as",
        "hadolint 2.15 (same rule code, same line). Everything here is **generated** by",
        "`scripts/gen-lint-corpus.py` (Python 3, stdlib only, deterministic: no randomness, no clock),",
        "except `hadolint-2.15.tsv`, which is written by `scripts/hadolint-snapshot.sh`.",
        "Do not edit the Dockerfiles by hand: change the generator and regenerate.",
        "",
        "Every file is written for this project. Credentials in `security/` are obviously fake.",
        "",
        "## Layout",
        "",
        "| folder | files | what it exercises |",
        "|---|---:|---|",
    ]
    for f in FOLDERS:
        lines.append(f"| `{f}/` | {by_folder[f]} | {FOLDER_DOC[f]} |")
    lines += [
        f"| **total** | **{len(c.entries)}** | |",
        "",
        "File names are `NNN-short-description.Dockerfile`; `NNN` is unique across the corpus.",
        "",
        "## Regenerating",
        "",
        "```sh",
        "python3 scripts/gen-lint-corpus.py          # rewrite the Dockerfiles, .hadolint.yaml and this README",
        "bash scripts/hadolint-snapshot.sh           # run hadolint 2.15 -> hadolint-2.15.tsv (+ per-rule summary)",
        "python3 scripts/gen-lint-corpus.py --check  # verify every file's intended hits/near-misses against the TSV",
        "```",
        "",
        "`hadolint-snapshot.sh` needs hadolint 2.15 on `PATH` (or in `$HADOLINT`). It runs hadolint from an",
        "empty temporary directory with `HOME`/`XDG_CONFIG_HOME` pointing at an empty directory and all",
        "`HADOLINT_*` variables unset, so no user configuration leaks in:",
        "",
        "* every corpus file **except** `with-config/` is linted with no configuration;",
        "* `with-config/` files are linted with `--config crates/dockguard-dockerfile/tests/corpus/with-config/.hadolint.yaml`",
        "  (label schema + `strict-labels`, `trustedRegistries`, and `override` turning on DL1001 and DL3057);",
        "* every Dockerfile under `../shared/fixtures/dockerfiles/` (the shared parser fixtures) is linted",
        "  with no configuration and reported as `shared:dockerfiles/<subdir>/<name>`.",
        "",
        "`hadolint-2.15.tsv` has the header `file\\tline\\tcode\\tlevel` and one row per DL finding",
        "(ShellCheck `SC*` findings are dropped; `DL1000` parse errors are kept), sorted by file, line, code.",
        "A rule that fires several times on one line (e.g. DL3049 for each missing label) gives several rows.",
        "",
        "## hadolint 2.15 behaviour worth knowing",
        "",
        "* **Heredocs**: hadolint 2.15 parses `RUN <<EOF` / `COPY <<EOF` only when the terminator line is",
        "  followed by an empty line or the end of the file; heredoc bodies are then linted as part of the RUN",
        "  (findings on the RUN line). `<<-EOF`, two heredocs on one line, and any instruction or comment",
        "  directly after the terminator give a `DL1000` parse error for the whole file (no other findings).",
        "* A parse error in one file does not stop hadolint from linting the other files of the same invocation.",
        "* hadolint 2.15.1 emits DL3000-DL3067 minus the retired DL3005, DL3017, DL3031, DL3039, plus DL4000, DL4001,",
        "  DL4003-DL4006 (DL4002 retired), DL1001 and the parse-error code DL1000. Newer rule numbers (DL3068+, DL4007)",
        "  do not exist in 2.15.",
        "* DL3063 is \"stage name should not be a reserved word\" (`AS scratch`, `AS context`, case-sensitive).",
        "* DL3059 only fires when both consecutive RUNs are a single command (any `&&`, `;` or `|` suppresses it).",
        "* DL3025 also fires for `HEALTHCHECK CMD` in shell form.",
        "* DL3009 is only reported for the last stage, stages used as a FROM base, and stages whose FROM line equals",
        "  the last one; DL3049 skips stages consumed by COPY --from; DL3045 treats an unnamed stage as named",
        "  after its image, so `FROM alpine:3.20` after another `FROM alpine:3.20` stage with a WORKDIR inherits it.",
        "* DL3002, DL3012, DL4001, DL4003, DL4004, DL3045, DL3049, DL3057 are evaluated per stage.",
        "* DL3064 matches substrings, so `GOPRIVATE`, `TOKENIZERS_PARALLELISM` and `POSTGRES_PASSWORD_FILE` are flagged.",
        "* DL3033/DL3041 accept any dash-separated part starting with a digit as a version (`java-21-openjdk`,",
        "  `aspnetcore-runtime-8.0`); DL3037 only accepts `=`/`>=`-style versions, not `pkg-1.2`.",
        "* DL3046 only looks at `-u` (not `--uid`) and UIDs of 6+ digits; DL3062 also flags `go get` and `@latest`.",
        "* DL1001 and DL3057 have severity `ignore` by default; the label rules need `label-schema`; DL3026",
        "  needs `trustedRegistries`.",
        "* Label values built from build args (`${BUILD_DATE}`, `${GIT_COMMIT}`) fail the rfc3339/hash checks;",
        "  SPDX expressions (`MIT OR Apache-2.0`) fail DL3054; `HEALTHCHECK NONE` satisfies DL3057.",
        "",
        "## Rules (hadolint 2.15.1) and the files that exercise them",
        "",
        "\"hit\" files are meant to trigger the rule, \"near-miss\" files contain the construct the rule",
        "looks at but must *not* trigger it. Both are verified against the snapshot by `--check`.",
        "Rules marked (config) only fire in `with-config/`.",
        "",
        "| rule | default | what fires it | hit (examples) | near-miss (examples) |",
        "|---|---|---|---|---|",
    ]
    for code, level, what in RULES:
        hits = spread([e for e in c.entries if code in e.hit])
        misses = spread([e for e in c.entries if code in e.miss])
        fmt = lambda es: "<br>".join(f"`{e.folder}/{e.name}`" for e in es) or "-"
        tag = " (config)" if code in CONFIG_RULES else ""
        what_md = what.replace("|", "\\|")
        lines.append(f"| {code}{tag} | {level} | {what_md} | {fmt(hits)} | {fmt(misses)} |")
    lines += [
        "",
        "## Which rules each folder targets",
        "",
        "| folder | rules hit on purpose | near-misses on purpose |",
        "|---|---|---|",
    ]
    for f in FOLDERS:
        es = [e for e in c.entries if e.folder == f]
        h = sorted(set().union(*(e.hit for e in es))) if es else []
        m = sorted(set().union(*(e.miss for e in es))) if es else []
        lines.append(f"| `{f}/` | {', '.join(h)} | {', '.join(m)} |")
    lines.append("")
    return "\n".join(lines)


def write(c):
    for f in FOLDERS:
        d = CORPUS / f
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.Dockerfile"):
            old.unlink()
    for e in c.entries:
        (CORPUS / e.folder / e.name).write_text(e.text, encoding="utf-8", newline="\n")
    (CORPUS / "with-config" / ".hadolint.yaml").write_text(HADOLINT_CONFIG, encoding="utf-8", newline="\n")
    (CORPUS / "README.md").write_text(readme(c), encoding="utf-8", newline="\n")
    counts = collections.Counter(e.folder for e in c.entries)
    print(f"wrote {len(c.entries)} Dockerfiles: " + ", ".join(f"{f}={counts[f]}" for f in FOLDERS))


def load_tsv():
    rows = collections.defaultdict(list)
    with TSV.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        assert header == ["file", "line", "code", "level"], header
        for line in fh:
            file, ln, code, level = line.rstrip("\n").split("\t")
            rows[file].append((int(ln), code, level))
    return rows


def check(c):
    if not TSV.exists():
        print(f"missing {TSV.relative_to(REPO)}: run scripts/hadolint-snapshot.sh first", file=sys.stderr)
        return 1
    rows = load_tsv()
    problems = []
    hit_files = collections.defaultdict(set)
    miss_files = collections.defaultdict(set)
    for e in c.entries:
        codes = {code for _, code, _ in rows.get(e.relpath, [])}
        for code in codes:
            hit_files[code].add(e.relpath)
        for code in sorted(e.hit - codes):
            problems.append(f"{e.relpath}: expected {code}, hadolint did not report it")
        for code in sorted(e.miss & codes):
            problems.append(f"{e.relpath}: near-miss for {code}, but hadolint reported it")
        for code in sorted(e.miss - codes):
            miss_files[code].add(e.relpath)
        if e.clean and codes:
            problems.append(f"{e.relpath}: meant to be clean, hadolint reported {', '.join(sorted(codes))}")
    print(f"{'rule':8} {'files hit':>9} {'near-miss':>9}")
    for code in RULE_CODES:
        nh, nm = len(hit_files[code]), len(miss_files[code])
        flag = "" if nh >= 2 and nm >= 2 else "   <-- below 2"
        print(f"{code:8} {nh:9d} {nm:9d}{flag}")
        if nh < 2:
            problems.append(f"{code}: hit by {nh} corpus file(s), need >= 2")
        if nm < 2:
            problems.append(f"{code}: {nm} verified near-miss file(s), need >= 2")
    unknown = sorted(set(hit_files) - set(RULE_CODES))
    if unknown:
        problems.append(f"codes in the snapshot that the rule table does not know: {', '.join(unknown)}")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(c.entries)} files checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify intents against hadolint-2.15.tsv instead of writing")
    args = ap.parse_args()
    c = build()
    if args.check:
        return check(c)
    write(c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
