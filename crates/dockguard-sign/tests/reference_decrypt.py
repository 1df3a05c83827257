#!/usr/bin/env python3
"""Independent decryption of an encrypted cosign/sigstore private key.

Written from the published algorithm, sharing no code with the Rust crate: scrypt from
Python's hashlib (OpenSSL), XSalsa20-Poly1305 (NaCl secretbox) in plain Python below.

usage: reference_decrypt.py FILE          password in $KEY_PASSWORD
  FILE is a PEM key file or a bare JSON envelope. Prints the plaintext as hex.
  Exit 0 on success, 3 when the MAC does not match (wrong password), 2 on bad input.
"""
import base64
import hashlib
import hmac
import json
import os
import sys

MASK32 = 0xFFFFFFFF


def rotl(v, c):
    return ((v << c) & MASK32) | (v >> (32 - c))


def quarter(x, a, b, c, d):
    x[b] ^= rotl((x[a] + x[d]) & MASK32, 7)
    x[c] ^= rotl((x[b] + x[a]) & MASK32, 9)
    x[d] ^= rotl((x[c] + x[b]) & MASK32, 13)
    x[a] ^= rotl((x[d] + x[c]) & MASK32, 18)


def rounds(state):
    x = list(state)
    for _ in range(10):
        quarter(x, 0, 4, 8, 12)
        quarter(x, 5, 9, 13, 1)
        quarter(x, 10, 14, 2, 6)
        quarter(x, 15, 3, 7, 11)
        quarter(x, 0, 1, 2, 3)
        quarter(x, 5, 6, 7, 4)
        quarter(x, 10, 11, 8, 9)
        quarter(x, 15, 12, 13, 14)
    return x


SIGMA = [int.from_bytes(b"expand 32-byte k"[i:i + 4], "little") for i in range(0, 16, 4)]


def words(b):
    return [int.from_bytes(b[i:i + 4], "little") for i in range(0, len(b), 4)]


def initial(key, n16):
    k = words(key)
    n = words(n16)
    return [SIGMA[0], k[0], k[1], k[2], k[3], SIGMA[1], n[0], n[1],
            n[2], n[3], SIGMA[2], k[4], k[5], k[6], k[7], SIGMA[3]]


def hsalsa20(key, n16):
    x = rounds(initial(key, n16))
    out = [x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9]]
    return b"".join(w.to_bytes(4, "little") for w in out)


def salsa20_stream(key, nonce8, length):
    out = bytearray()
    counter = 0
    while len(out) < length:
        state = initial(key, nonce8 + counter.to_bytes(8, "little"))
        x = rounds(state)
        out += b"".join(((x[i] + state[i]) & MASK32).to_bytes(4, "little") for i in range(16))
        counter += 1
    return bytes(out[:length])


def poly1305(key, msg):
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(msg), 16):
        block = msg[i:i + 16] + b"\x01"
        acc = ((acc + int.from_bytes(block, "little")) * r) % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def secretbox_open(box, nonce, key):
    subkey = hsalsa20(key, nonce[:16])
    stream = salsa20_stream(subkey, nonce[16:], 32 + len(box) - 16)
    tag, ct = box[:16], box[16:]
    if not hmac.compare_digest(poly1305(stream[:32], ct), tag):
        return None
    return bytes(a ^ b for a, b in zip(ct, stream[32:]))


def main():
    text = open(sys.argv[1], "rb").read().decode()
    if "-----BEGIN" in text:
        body = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
        envelope = base64.b64decode(body)
    else:
        envelope = text.encode()
    env = json.loads(envelope)
    if env["kdf"]["name"] != "scrypt" or env["cipher"]["name"] != "nacl/secretbox":
        print("unsupported envelope", file=sys.stderr)
        return 2
    params = env["kdf"]["params"]
    key = hashlib.scrypt(os.environ.get("KEY_PASSWORD", "").encode(),
                         salt=base64.b64decode(env["kdf"]["salt"]),
                         n=params["N"], r=params["r"], p=params["p"],
                         maxmem=512 * 1024 * 1024, dklen=32)
    plain = secretbox_open(base64.b64decode(env["ciphertext"]),
                           base64.b64decode(env["cipher"]["nonce"]), key)
    if plain is None:
        print("wrong password: authentication tag mismatch", file=sys.stderr)
        return 3
    print(plain.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
