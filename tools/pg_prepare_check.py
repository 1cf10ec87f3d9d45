#!/usr/bin/env python3
"""pg_prepare_check.py — does every SQL statement of the store prepare on PostgreSQL?

Usage: python3 tools/pg_prepare_check.py URL [FILE.c ...]

URL is a PostgreSQL database with schema/pg applied (scripts/schema-compare.sh
builds one; any libpq URI). Each src/store/*.c (or the files named) is run
through the C preprocessor, so that SQL assembled from macros is whole; every
string literal run that starts like a statement is taken as one, its ? and ?N
placeholders are rewritten to $N outside quotes (what the PostgreSQL driver
does), and it is PREPAREd — untyped parameters, as a driver that sends its
values as text does — inside a transaction that is rolled back. Files of one
engine (names holding "sqlite", restore.c) are skipped.

Prints each statement PostgreSQL refuses with its error, then a count; exits
1 when any is refused. This is how the SQLite-isms of the store were listed
for issue 14 (docs/ARCHITECTURE.md, "Schema on two engines").
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = re.compile(r'\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b', re.I)


def statements(path):
    cc = os.environ.get('CC', 'cc')
    src = subprocess.run([cc, '-E', '-P', '-I' + os.path.join(ROOT, 'src'),
                          '-I' + os.path.join(ROOT, 'src/store'), '-I' + os.path.join(ROOT, 'build'), path],
                         capture_output=True, text=True, check=True).stdout
    for run in re.finditer(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+', src):
        text = ''.join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', run.group(0)))
        text = text.replace('\\"', '"').replace('\\\\', '\\')
        if START.match(text) and len(text) > 20:
            yield text


def dollars(sql):
    """? and ?N to $N outside single quotes, as the driver rewrites them."""
    n = [0]

    def one(m):
        if m.group(1):
            return '$' + m.group(1)
        n[0] += 1
        return '$%d' % n[0]
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return ''.join(p if i % 2 else re.sub(r'\?(\d*)', one, p) for i, p in enumerate(parts))


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().split('\n\n')[1], file=sys.stderr)
        return 2
    url = sys.argv[1]
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(ROOT, 'src/store/*.c')))
    files = [f for f in files if 'sqlite' not in os.path.basename(f) and os.path.basename(f) != 'restore.c']
    seen, refused, total = set(), 0, 0
    for path in files:
        for sql in statements(path):
            if sql in seen:
                continue
            seen.add(sql)
            total += 1
            p = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c',
                                'BEGIN; PREPARE wm_check AS %s; ROLLBACK;' % dollars(sql)],
                               capture_output=True, text=True)
            if p.returncode:
                refused += 1
                err = p.stderr.strip().split('\n')[0]
                print('%s: %s\n    %s\n' % (os.path.basename(path), sql if len(sql) < 400 else sql[:400] + '…', err))
    print('pg_prepare_check: %d of %d statements refused by PostgreSQL' % (refused, total))
    return 1 if refused else 0


if __name__ == '__main__':
    sys.exit(main())
