#!/usr/bin/env python3
"""Records the QMP answers VmModel reads from a real QEMU (7.2) into test resources.

Usage: app/src/test/scripts/record-qmp.py [OUT_DIR]
(default OUT_DIR: app/src/test/resources/dev/blockdeck/app/model). Needs qemu-system-x86_64 and qemu-img.
Each scenario becomes one JSON file: the greeting and, per command, its arguments and answer.
"""
import json, os, socket, subprocess, sys, tempfile, time

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '..', 'resources', 'dev', 'blockdeck', 'app', 'model')
# Short, fixed paths so the recorded file names are readable and stable.
WORK = '/tmp/bdrec'

QUERIES = [
    ('query-named-block-nodes', {'flat': True}),
    ('x-debug-query-block-graph', None),
    ('query-block', None),
    ('query-iothreads', None),
    ('__dev.blockdeck_query-aio-contexts', None),
    ('query-status', None),
]


class Qmp:
    def __init__(self, path):
        for _ in range(100):
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        self.f = self.s.makefile('rw')
        self.greeting = json.loads(self.f.readline())
        self.cmd('qmp_capabilities')

    def cmd(self, name, args=None):
        msg = {'execute': name}
        if args is not None:
            msg['arguments'] = args
        self.f.write(json.dumps(msg) + '\n')
        self.f.flush()
        while True:
            answer = json.loads(self.f.readline())
            if 'event' not in answer:
                return answer

    def setup(self, name, args=None):
        answer = self.cmd(name, args)
        if 'error' in answer:
            raise SystemExit(f'{name} {args}: {answer["error"]}')


def img(name, size='64M', backing=None):
    cmd = ['qemu-img', 'create', '-q', '-f', 'qcow2']
    if backing:
        cmd += ['-b', backing, '-F', 'qcow2']
    subprocess.run(cmd + [os.path.join(WORK, name), size], check=True)


def record(name, qemu_args, setup, extra=()):
    sock = os.path.join(WORK, name + '.sock')
    proc = subprocess.Popen(['qemu-system-x86_64', '-nodefaults', '-display', 'none',
                             '-qmp', f'unix:{sock},server=on,wait=off'] + qemu_args)
    try:
        q = Qmp(sock)
        setup(q)
        commands = []
        for cmd, args in list(QUERIES) + list(extra):
            entry = {'execute': cmd}
            if args is not None:
                entry['arguments'] = args
            entry.update(q.cmd(cmd, args))
            commands.append(entry)
        q.cmd('quit')
        out = {'comment': f'Recorded by app/src/test/scripts/record-qmp.py from {" ".join(["qemu-system-x86_64"] + qemu_args)}',
               'greeting': q.greeting, 'commands': commands}
        with open(os.path.join(OUT, f'qemu72-{name}.json'), 'w') as f:
            json.dump(out, f, indent=1)
            f.write('\n')
    finally:
        proc.wait(10)


def chains(q):
    # chain 1: backing opened from the image header (auto-named nodes); moved to iothread0
    q.setup('blockdev-add', {'driver': 'qcow2', 'node-name': 'top1',
                             'file': {'driver': 'file', 'filename': f'{WORK}/top1.qcow2'}})
    # chain 2: every node named, backing given explicitly; two dirty bitmaps on the top
    q.setup('blockdev-add', {'driver': 'file', 'node-name': 'base2-file', 'filename': f'{WORK}/base2.qcow2'})
    q.setup('blockdev-add', {'driver': 'qcow2', 'node-name': 'base2', 'file': 'base2-file', 'read-only': True})
    q.setup('blockdev-add', {'driver': 'file', 'node-name': 'top2-file', 'filename': f'{WORK}/top2.qcow2'})
    q.setup('blockdev-add', {'driver': 'qcow2', 'node-name': 'top2', 'file': 'top2-file', 'backing': 'base2'})
    q.setup('block-dirty-bitmap-add', {'node': 'top2', 'name': 'bm0'})
    q.setup('block-dirty-bitmap-add', {'node': 'top2', 'name': 'bm1', 'persistent': True})
    q.setup('blockdev-add', {'driver': 'null-co', 'node-name': 'null0', 'size': 1 << 30})
    q.setup('blockdev-add', {'driver': 'raw', 'node-name': 'raw0',
                             'file': {'driver': 'file', 'filename': f'{WORK}/disk.raw', 'node-name': 'raw0-file'}})
    q.setup('x-blockdev-set-iothread', {'node-name': 'top1', 'iothread': 'iothread0'})


def device(q):
    pass


def main():
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    img('base1.qcow2')
    img('top1.qcow2', backing=f'{WORK}/base1.qcow2')
    img('base2.qcow2', size='128M')
    img('top2.qcow2', size='128M', backing=f'{WORK}/base2.qcow2')
    img('d0.qcow2', size='32M')
    img('vd.qcow2', size='2G')
    with open(f'{WORK}/disk.raw', 'wb') as f:
        f.truncate(8 << 20)

    record('chains', ['-M', 'none',
                      '-object', 'iothread,id=iothread0', '-object', 'iothread,id=iothread1',
                      '-drive', f'if=none,id=drive0,file={WORK}/d0.qcow2,format=qcow2,node-name=d0'],
           chains)
    # A guest device with an iothread link (virtio-blk dataplane; not started: -S) and one without.
    record('device', ['-M', 'q35', '-S', '-object', 'iothread,id=iothread1',
                      '-drive', f'if=none,id=drive1,file={WORK}/vd.qcow2,format=qcow2,node-name=vd',
                      '-device', 'virtio-blk-pci,id=vblk0,drive=drive1,iothread=iothread1',
                      '-blockdev', f'driver=file,node-name=plain-file,filename={WORK}/d0.qcow2',
                      '-blockdev', 'driver=qcow2,node-name=plain,file=plain-file',
                      '-device', 'virtio-blk-pci,id=vblk1,drive=plain'],
           device,
           extra=[('qom-get', {'path': '/machine/peripheral/vblk0', 'property': 'iothread'}),
                  ('qom-get', {'path': '/machine/peripheral/vblk1', 'property': 'iothread'})])


if __name__ == '__main__':
    main()
