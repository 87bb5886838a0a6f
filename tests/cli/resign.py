#!/usr/bin/env python3
"""resign.py IN.der OUT.der KEY.pem EDIT: a certificate's TBS edited and
signed again with openssl (ECDSA with SHA-256; the key of its issuer).
EDIT is one of:
  explicit-v1   write the version v1 (DEFAULT, absent in DER) explicitly
  eku-long-len  re-encode the extendedKeyUsage SEQUENCE with a non-minimal
                (0x81) length
What certfleet-gen cannot make (GnuTLS refuses to write it) is made the
way the fixture catalogue makes it: edit the TBS bytes, sign them,
reassemble."""
import subprocess, sys

def tlv(b, i):
    """(tag, header length, content length) of the element at b[i]."""
    t = b[i]; n = b[i + 1]
    if n < 0x80:
        return t, 2, n
    k = n & 0x7f
    return t, 2 + k, int.from_bytes(b[i + 2:i + 2 + k], 'big')

def enc(tag, content, long_len=False):
    n = len(content)
    if long_len and n < 0x80:
        return bytes([tag, 0x81, n]) + content
    if n < 0x80:
        return bytes([tag, n]) + content
    k = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | k]) + n.to_bytes(k, 'big') + content

def children(b):
    out, i = [], 0
    while i < len(b):
        t, h, n = tlv(b, i)
        out.append(b[i:i + h + n]); i += h + n
    return out

def body(e):
    t, h, n = tlv(e, 0)
    return e[h:h + n]

src, dst, key, edit = sys.argv[1:5]
cert = open(src, 'rb').read()
tbs, alg, sig = children(body(cert))
parts = children(body(tbs))
if edit == 'explicit-v1':
    assert parts[0][0] != 0xa0, 'already has a version'
    parts.insert(0, enc(0xa0, enc(0x02, b'\x00')))
elif edit == 'eku-long-len':
    exts = parts[-1]; assert exts[0] == 0xa3
    seq = children(body(exts))[0]
    new = []
    for ext in children(body(seq)):
        f = children(body(ext))
        if body(f[0]) == bytes([0x55, 0x1d, 0x25]):     # extendedKeyUsage
            inner = body(f[-1])                          # the OCTET STRING's contents
            f[-1] = enc(0x04, enc(0x30, body(inner), long_len=True))
            ext = enc(0x30, b''.join(f))
        new.append(ext)
    parts[-1] = enc(0xa3, enc(0x30, b''.join(new)))
else:
    sys.exit('unknown edit ' + edit)
tbs = enc(0x30, b''.join(parts))
s = subprocess.run(['openssl', 'dgst', '-sha256', '-sign', key], input=tbs, capture_output=True, check=True).stdout
open(dst, 'wb').write(enc(0x30, tbs + alg + enc(0x03, b'\x00' + s)))
