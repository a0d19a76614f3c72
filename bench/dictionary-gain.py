#!/usr/bin/env python3
"""How much a zstd dictionary saves on a tree's small files, each compressed alone (as the
agent compresses each chunk), with the system's libzstd through ctypes.

    bench/dictionary-gain.py DIR [--below BYTES] [--level N]

Files below --below (default 64 KiB: smaller than the chunker's minimum, so each is one chunk)
are compressed one by one at --level without a dictionary, then with dictionaries trained on
random samples of them; each sample's own files are left out of its measurement, so the figure
is what a dictionary does for files it was not trained on. CPU is this process's, per pass.
"""
import argparse, ctypes, os, random, time

zstd = ctypes.CDLL("libzstd.so.1")
zstd.ZSTD_createCCtx.restype = ctypes.c_void_p
zstd.ZSTD_compressCCtx.restype = ctypes.c_size_t
zstd.ZSTD_compressCCtx.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
zstd.ZSTD_createCDict.restype = ctypes.c_void_p
zstd.ZSTD_createCDict.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
zstd.ZSTD_compress_usingCDict.restype = ctypes.c_size_t
zstd.ZSTD_compress_usingCDict.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
zstd.ZDICT_trainFromBuffer.restype = ctypes.c_size_t
zstd.ZDICT_isError.restype = ctypes.c_uint

args = argparse.ArgumentParser()
args.add_argument("dir")
args.add_argument("--below", type=int, default=65536)
args.add_argument("--level", type=int, default=3)
opts = args.parse_args()

paths = []
for top, _, names in os.walk(opts.dir):
    for name in names:
        path = os.path.join(top, name)
        if not os.path.islink(path) and 0 < os.path.getsize(path) < opts.below:
            paths.append(path)
paths.sort()
files = [open(p, "rb").read() for p in paths]
context = zstd.ZSTD_createCCtx()
out = ctypes.create_string_buffer(2 * opts.below + 1024)


def compressed(data, cdict=None):
    """Total frame bytes (an incompressible file counts as stored raw) and CPU seconds."""
    total, began = 0, time.process_time()
    for b in data:
        n = (zstd.ZSTD_compress_usingCDict(context, out, len(out), b, len(b), cdict) if cdict
             else zstd.ZSTD_compressCCtx(context, out, len(out), b, len(b), opts.level))
        total += min(n, len(b))
    return total, time.process_time() - began


whole, cpu = compressed(files)
print(f"{len(files)} files below {opts.below} bytes: {sum(map(len, files))} bytes, "
      f"level {opts.level} alone {whole} bytes ({cpu:.2f} CPU-s)")
random.seed(1)
order = list(range(len(files)))
random.shuffle(order)
for sample_bytes, capacity in ((2 << 20, 112640), (4 << 20, 112640), (4 << 20, 262144), (8 << 20, 262144)):
    sample, taken = [], 0
    for i in order:
        if taken >= sample_bytes:
            break
        sample.append(i)
        taken += len(files[i])
    chosen = set(sample)
    joined = b"".join(files[i] for i in sample)
    sizes = (ctypes.c_size_t * len(sample))(*(len(files[i]) for i in sample))
    dictionary = ctypes.create_string_buffer(capacity)
    began = time.process_time()
    length = zstd.ZDICT_trainFromBuffer(dictionary, capacity, joined, sizes, len(sample))
    trained = time.process_time() - began
    if zstd.ZDICT_isError(length):
        print(f"sample {taken >> 20} MiB: training failed")
        continue
    rest = [files[i] for i in range(len(files)) if i not in chosen]
    alone, _ = compressed(rest)
    cdict = zstd.ZSTD_createCDict(dictionary.raw[:length], length, opts.level)
    with_dictionary, cpu = compressed(rest, ctypes.c_void_p(cdict))
    print(f"sample {len(sample)} files ({taken >> 20} MiB), dictionary {length} bytes, trained in {trained:.2f} CPU-s: "
          f"the other {len(rest)} files {alone} -> {with_dictionary} bytes "
          f"({(alone - with_dictionary) / 2**20:.1f} MiB, {100 * (alone - with_dictionary) / alone:.1f} % less; {cpu:.2f} CPU-s)")
