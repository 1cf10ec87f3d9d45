#!/usr/bin/env python3
"""Writes fuzz/dict/api.dict, the libFuzzer dictionary of fuzz_api: handler
names and query parameters from src/api/routes.def, body field names from the
fspec tables of src/api/*.c, and tokens that reach edge cases. Run from the
repository root after adding routes or fields."""
import glob
import re

src = open('src/api/routes.def').read()
words = set()
for m in re.finditer(r'ROUTE\("[A-Z]+",\s*"[^"]*",\s*([a-z0-9_]+),[^\n]*"([^"]*)"\)', src):
    words.add(m.group(1))
    for q in m.group(2).split():
        if q != '*':
            words.add(q + '=')
for f in glob.glob('src/api/*.c'):
    for m in re.finditer(r'\{"([a-z_]+)", F_[A-Z]+', open(f).read()):
        words.add('"%s":' % m.group(1))
words.update(['{', '}', '[', ']', 'null', 'true', 'false', '""', '\\u0000', '\\ud800', '%00', '%2e%2e', '..',
              '//', '\r\n', '--fuzzb', 'Content-Disposition: form-data; name="file"; filename="a.jpg"',
              '\xef\xbb\xbf', '2026-11-21T10:00:00+08:00', '11010519491231002X', '13812345678',
              '9223372036854775807', '-1', '1e308'])


def esc(w):
    out = ''
    for c in w:
        if c in '"\\':
            out += '\\' + c
        elif 32 <= ord(c) < 127:
            out += c
        else:
            out += ''.join('\\x%02x' % b for b in c.encode())
    return out


with open('fuzz/dict/api.dict', 'w') as f:
    f.write('# libFuzzer dictionary for fuzz_api, written by fuzz/make_dict.py: handler\n'
            '# names, query parameters and body fields, and tricky tokens.\n')
    for w in sorted(words):
        f.write('"%s"\n' % esc(w))
