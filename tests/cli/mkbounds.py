#!/usr/bin/env python3
"""mkbounds.py KIND OUT [N]: hostile inputs of a few hundred bytes to a
few MB that once cost minutes or gigabytes (each made here, byte by byte,
from the formats' definitions):
  der-empties N     N DER members `30 00` one after another
  p7-empties N      a PKCS#7 SignedData whose certificate SET holds N `30 00`
  jks-empties N     a JKS keystore of N trusted-certificate entries, each empty
  yaml-deep N       a YAML flow sequence nested N deep under a Secret's kind
  json-deep N       the same in JSON
  yaml-aliases N    a Secret whose 1 MiB value is referenced by N aliases
  repeat N IN       the file IN N times over (a bundle of N copies)
  p12-maciter N IN  the PKCS#12 file IN with its MacData asking N iterations
  iter N IN         the DER file IN with every INTEGER 2048 (openssl's
                    iteration count) made N: an encrypted PKCS#8 key asking
                    N iterations of PBKDF2
"""
import hashlib, struct, sys

def enc(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    k = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | k]) + n.to_bytes(k, 'big') + content

kind, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
if kind == 'der-empties':
    data = b'\x30\x00' * n
elif kind == 'p7-empties':
    sd = enc(0x30, enc(0x02, b'\x01') + enc(0x31, b'') +
             enc(0x30, enc(0x06, bytes.fromhex('2a864886f70d010701'))) +
             enc(0xa0, b'\x30\x00' * n) + enc(0x31, b''))
    data = enc(0x30, enc(0x06, bytes.fromhex('2a864886f70d010702')) + enc(0xa0, sd))
elif kind == 'jks-empties':
    parts = [struct.pack('>III', 0xFEEDFEED, 2, n)]
    for i in range(n):
        alias = b'a%d' % i
        parts.append(struct.pack('>IH', 2, len(alias)) + alias + struct.pack('>Q', 0) +
                     struct.pack('>H', 5) + b'X.509' + struct.pack('>I', 0))
    body = b''.join(parts)
    pw = 'changeit'.encode('utf-16-be')
    data = body + hashlib.sha1(pw + b'Mighty Aphrodite' + body).digest()
elif kind == 'yaml-deep':
    data = b'apiVersion: v1\nkind: Secret\nmetadata: {name: deep}\ndata: ' + b'[' * n + b']' * n + b'\n'
elif kind == 'json-deep':
    data = b'{"apiVersion": "v1", "kind": "Secret", "x": ' + b'[' * n + b']' * n + b'}\n'
elif kind == 'yaml-aliases':
    big = b'A' * (1 << 20)
    data = b'apiVersion: v1\nkind: List\nitems:\n- &s\n  apiVersion: v1\n  kind: Secret\n'
    data += b'  metadata: {name: s, namespace: default}\n  data:\n    tls.crt: ' + big + b'\n'
    data += b''.join(b'- *s\n' for _ in range(n))
elif kind == 'p12-maciter':
    def tlv(b, i):
        t, l = b[i], b[i + 1]
        if l < 0x80:
            return i + 2, l
        k = l & 0x7f
        return i + 2 + k, int.from_bytes(b[i + 2:i + 2 + k], 'big')
    def kids(b):
        out, i = [], 0
        while i < len(b):
            h, l = tlv(b, i)
            out.append(b[i:h + l]); i = h + l
        return out
    pfx = open(sys.argv[4], 'rb').read()
    h, l = tlv(pfx, 0)
    version, auth, mac = kids(pfx[h:h + l])
    h2, l2 = tlv(mac, 0)
    digest, salt, _ = kids(mac[h2:h2 + l2])
    it = n.to_bytes((n.bit_length() + 8) // 8, 'big')
    data = enc(0x30, version + auth + enc(0x30, digest + salt + enc(0x02, it)))
elif kind == 'iter':
    def rebuild(b):
        out, i = b'', 0
        while i < len(b):
            t, l = b[i], b[i + 1]
            h = 2
            if l >= 0x80:
                k = l & 0x7f; h = 2 + k; l = int.from_bytes(b[i + 2:i + h], 'big')
            c = b[i + h:i + h + l]
            if t & 0x20:
                out += enc(t, rebuild(c))
            elif t == 0x02 and int.from_bytes(c, 'big') == 2048:
                out += enc(0x02, n.to_bytes((n.bit_length() + 8) // 8, 'big'))
            else:
                out += b[i:i + h + l]
            i += h + l
        return out
    data = rebuild(open(sys.argv[4], 'rb').read())
elif kind == 'repeat':
    data = open(sys.argv[4], 'rb').read() * n
else:
    sys.exit('unknown kind ' + kind)
open(out, 'wb').write(data)
