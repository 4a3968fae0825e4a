#!/usr/bin/env python3
"""Regenerates glib-hash-table-2.74.txt from the system's real GLib (run: python3 record-glib-hash-table.py > glib-hash-table-2.74.txt).

Drives GLib's GHashTable through ctypes; the Java model GlibStringHashTable must reproduce every recorded order.
"""

import ctypes, sys, random, json
g = ctypes.CDLL('libglib-2.0.so.0')
g.g_hash_table_new.restype = ctypes.c_void_p
g.g_hash_table_new.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
g.g_hash_table_add.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
g.g_hash_table_remove.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
g.g_hash_table_remove.restype = ctypes.c_int
g.g_hash_table_add.restype = ctypes.c_int
g.g_hash_table_iter_init.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
g.g_hash_table_iter_next.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
g.g_hash_table_iter_next.restype = ctypes.c_int
g.g_hash_table_iter_remove.argtypes = [ctypes.c_void_p]
CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
g.g_hash_table_foreach.argtypes = [ctypes.c_void_p, CB, ctypes.c_void_p]
str_hash = ctypes.cast(g.g_str_hash, ctypes.c_void_p)
str_equal = ctypes.cast(g.g_str_equal, ctypes.c_void_p)
keep = []
class T:
    def __init__(s): s.t = g.g_hash_table_new(str_hash, str_equal)
    def add(s, k):
        b = ctypes.create_string_buffer(k.encode()); keep.append(b)
        return g.g_hash_table_add(s.t, b)
    def remove(s, k): return g.g_hash_table_remove(s.t, k.encode())
    def iter_remove(s, k):
        # as QEMU's object_unparent does: find the entry by iterating, remove it through the iterator
        it = ctypes.create_string_buffer(64)
        key = ctypes.c_void_p()
        g.g_hash_table_iter_init(it, s.t)
        while g.g_hash_table_iter_next(it, ctypes.byref(key), None):
            if ctypes.string_at(key.value).decode() == k:
                g.g_hash_table_iter_remove(it)
                return
    def keys(s):
        out = []
        def cb(k, v, d): out.append(ctypes.string_at(k).decode())
        c = CB(cb); g.g_hash_table_foreach(s.t, c, None)
        return out
import random
r = random.Random(7202)
alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._'
def newkey():
    return r.choice('abcdefghijklmnopqrstuvwxyz') + ''.join(r.choice(alpha) for _ in range(r.randrange(0, 10)))
out = ['# Recorded from GLib 2.74.6 (libglib-2.0.so.0 via ctypes): g_hash_table_new(g_str_hash, g_str_equal),',
       '# g_hash_table_add (+key), g_hash_table_remove (-key), g_hash_table_iter_remove (~key);',
       '# "= keys" is the g_hash_table_foreach order.']
def run(name, ops, every):
    t = T(); out.append('# case ' + name)
    for i, (op, k) in enumerate(ops):
        {'+': t.add, '-': t.remove, '~': t.iter_remove}[op](k)
        out.append(op + k)
        if i % every == every - 1 or i == len(ops) - 1:
            out.append('= ' + ' '.join(t.keys()))
# random mixes, small and large
for c in range(24):
    steps = [15, 40, 120, 300][c % 4]
    live, ops = [], []
    for s in range(steps):
        if live and r.random() < (0.3 if c % 2 else 0.45):
            k = r.choice(live) if r.random() < 0.9 else newkey()
            if k in live: live.remove(k)
            ops.append((r.choice('-~') if c >= 8 else '-', k))
        else:
            k = r.choice(live) if live and r.random() < 0.1 else newkey()
            if k not in live: live.append(k)
            ops.append(('+', k))
    run('mix-%d' % c, ops, 1 if steps <= 40 else 7)
# grow then shrink to nothing (shrink resizes)
for c in range(4):
    keys = [newkey() for _ in range([30, 70, 130, 260][c])]
    keys = list(dict.fromkeys(keys))
    order = keys[:]; r.shuffle(order)
    run('grow-shrink-%d' % c, [('+', k) for k in keys] + [('-', k) for k in order], 5)
# grow, delete through the iterator (no shrink), then add again (the shrink comes with an insertion)
for c in range(4):
    keys = list(dict.fromkeys(newkey() for _ in range([20, 40, 80, 150][c])))
    order = keys[:]; r.shuffle(order)
    gone = order[:len(order) * 3 // 4]
    ops = [('+', k) for k in keys] + [('~', k) for k in gone] + [('+', newkey()) for _ in range(len(keys) // 2)]
    run('iter-remove-%d' % c, ops, 3)
# churn at constant size: tombstones pile up until a cleanup resize
for c in range(4):
    live = [newkey() for _ in range([5, 11, 23, 40][c])]
    live = list(dict.fromkeys(live)); ops = [('+', k) for k in live]
    for s in range(150):
        k = r.choice(live); live.remove(k); ops.append((r.choice('-~') if c >= 2 else '-', k))
        n = newkey(); live.append(n); ops.append(('+', n))
    run('churn-%d' % c, ops, 3)
print('\n'.join(out))
