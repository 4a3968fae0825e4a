#!/usr/bin/env python3
"""Records QEMU 7.2's query-qmp-schema for the console's completion tests, trimmed to stay small.

Usage: app/src/test/scripts/record-schema.py [OUT_FILE]
(default: app/src/test/resources/dev/blockdeck/app/model/qemu72-schema.json). Needs qemu-system-x86_64.
Every command entry is kept; types only where reachable from the argument types of the commands in ARGS
(others' arg-type names then point nowhere, which the completer treats as "no known arguments").
"""
import json, os, socket, subprocess, sys, tempfile, time

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '..', 'resources', 'dev', 'blockdeck', 'app', 'model', 'qemu72-schema.json')
ARGS = ['query-named-block-nodes', 'blockdev-add', 'qom-set', 'qom-get', 'query-block', 'object-add',
        'block-dirty-bitmap-add', 'x-blockdev-set-iothread', 'blockdev-del']


def main():
    work = tempfile.mkdtemp(prefix='bdschema')
    sock = os.path.join(work, 'qmp.sock')
    qemu = subprocess.Popen(['qemu-system-x86_64', '-M', 'none', '-nodefaults', '-display', 'none',
                             '-qmp', f'unix:{sock},server=on,wait=off'])
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        f = s.makefile('rw')
        greeting = json.loads(f.readline())
        for cmd in ({'execute': 'qmp_capabilities'}, {'execute': 'query-qmp-schema'}):
            f.write(json.dumps(cmd) + '\n')
            f.flush()
            answer = json.loads(f.readline())
        schema = answer['return']
    finally:
        qemu.terminate()
        qemu.wait()
    by = {e['name']: e for e in schema}
    seen = set()

    def walk(t):
        if t is None or t in seen or t not in by:
            return
        seen.add(t)
        e = by[t]
        for m in e.get('members', []):
            walk(m.get('type'))
        for v in e.get('variants', []):
            walk(v['type'])
        walk(e.get('element-type'))

    for e in schema:
        if e['meta-type'] == 'command' and e['name'] in ARGS:
            walk(e['arg-type'])
    keep = [e for e in schema if e['meta-type'] == 'command'] + [e for e in schema if e['name'] in seen]
    with open(OUT, 'w') as out:
        json.dump({'comment': 'query-qmp-schema of qemu-system-x86_64 -M none, trimmed by '
                              'app/src/test/scripts/record-schema.py (types only for: ' + ', '.join(ARGS) + ')',
                   'greeting': greeting, 'return': keep}, out, separators=(',', ':'))
        out.write('\n')


main()
