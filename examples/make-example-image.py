#!/usr/bin/env python3
"""Writes examples/image/: a tiny OCI image layout for `dockguard scan` demos and tests.

Two layers, a few kilobytes in all:
  0. an Alpine 3.10.1 base: os-release and an apk database listing musl 1.1.22-r2 and
     OpenSSL 1.1.1c-r0 (the versions Alpine 3.10.0/3.10.1 shipped), plus packages that are
     not affected;
  1. an "app" layer: the dist-info of Django 2.2 and the package.json of lodash 4.17.4.

Only metadata is included, no binaries: catalogers read package databases and manifests.
The real OSV records in examples/osv/ affect these versions, so a scan of this image finds
vulnerabilities with no network access.

Deterministic: fixed mtimes, owners and modes, sorted entries, USTAR headers, gzip mtime 0.
Only the Python standard library is used. Run from anywhere:
    python3 examples/make-example-image.py
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "image")
MTIME = 1577836800  # 2020-01-01T00:00:00Z, about when these package versions were current
CREATED = "2020-01-01T00:00:00Z"

OS_RELEASE = """NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.10.1
PRETTY_NAME="Alpine Linux v3.10"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://bugs.alpinelinux.org/"
"""

# (name, version, origin, description, licence)
APK_PACKAGES = [
    ("musl", "1.1.22-r2", "musl", "the musl c library (libc) implementation", "MIT"),
    ("busybox", "1.30.1-r2", "busybox", "Size optimized toolbox of many common UNIX utilities", "GPL-2.0"),
    ("libcrypto1.1", "1.1.1c-r0", "openssl", "Crypto library from openssl", "OpenSSL"),
    ("libssl1.1", "1.1.1c-r0", "openssl", "SSL shared libraries", "OpenSSL"),
    ("zlib", "1.2.11-r1", "zlib", "A compression/decompression Library", "Zlib"),
]


def apk_installed():
    out = []
    for name, version, origin, desc, lic in APK_PACKAGES:
        out.append(
            f"P:{name}\nV:{version}\nA:x86_64\nT:{desc}\nL:{lic}\no:{origin}\n"
            "m:Alpine Linux\n"
        )
    return "\n".join(out) + "\n"


DJANGO_METADATA = """Metadata-Version: 2.1
Name: Django
Version: 2.2
Summary: A high-level Python Web framework that encourages rapid development and clean, pragmatic design.
Home-page: https://www.djangoproject.com/
License: BSD
Requires-Python: >=3.5
"""

LODASH_PACKAGE_JSON = json.dumps(
    {
        "name": "lodash",
        "version": "4.17.4",
        "description": "Lodash modular utilities.",
        "license": "MIT",
        "main": "lodash.js",
    },
    indent=2,
) + "\n"

LAYERS = [
    {
        "created_by": "/bin/sh -c #(nop) ADD file:alpine-3.10.1-minirootfs in / ",
        "files": {
            "etc/os-release": OS_RELEASE,
            "etc/alpine-release": "3.10.1\n",
            "lib/apk/db/installed": apk_installed(),
        },
    },
    {
        "created_by": "/bin/sh -c pip install Django==2.2 && npm install lodash@4.17.4",
        "files": {
            "usr/lib/python3.7/site-packages/Django-2.2.dist-info/METADATA": DJANGO_METADATA,
            "app/node_modules/lodash/package.json": LODASH_PACKAGE_JSON,
        },
    },
]


def tar_layer(files):
    """An uncompressed tar of `files` with every parent directory, sorted, fixed metadata."""
    dirs = set()
    for path in files:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    entries = sorted([(d, None) for d in dirs] + list(files.items()))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path, content in entries:
            info = tarfile.TarInfo(path)
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                data = content.encode()
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def put_blob(data):
    digest = sha256(data)
    path = os.path.join(OUT, "blobs", "sha256", digest.split(":", 1)[1])
    with open(path, "wb") as f:
        f.write(data)
    return digest


def dump(obj):
    return json.dumps(obj, indent=2, sort_keys=True).encode() + b"\n"


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "blobs", "sha256"))
    layers, diff_ids, history = [], [], []
    for layer in LAYERS:
        tar = tar_layer(layer["files"])
        blob = gzip_bytes(tar)
        layers.append(
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": put_blob(blob),
                "size": len(blob),
            }
        )
        diff_ids.append(sha256(tar))
        history.append({"created": CREATED, "created_by": layer["created_by"]})
    config = dump(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": CREATED,
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "Cmd": ["/bin/sh"],
                "WorkingDir": "/app",
                "Labels": {
                    "org.opencontainers.image.title": "dockguard example",
                    "org.opencontainers.image.description": "package metadata only, for dockguard scan demos",
                },
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
    )
    manifest = dump(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": put_blob(config),
                "size": len(config),
            },
            "layers": layers,
        }
    )
    index = dump(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": put_blob(manifest),
                    "size": len(manifest),
                    "annotations": {"org.opencontainers.image.ref.name": "1.0"},
                }
            ],
        }
    )
    with open(os.path.join(OUT, "index.json"), "wb") as f:
        f.write(index)
    with open(os.path.join(OUT, "oci-layout"), "wb") as f:
        f.write(dump({"imageLayoutVersion": "1.0.0"}))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
