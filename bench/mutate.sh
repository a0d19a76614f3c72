#!/usr/bin/env bash
# mutate.sh - one deterministic day of changes to a copy of the benchmark data set.
#
# Given the same tree and the same DAY, the result has the same contents and sizes every time
# (touched files get the current mtime, as in real life). The day, with disjoint sets of files:
#   - 1 % of the non-empty regular files get 4 KiB overwritten in their middle (the whole file
#     when it is smaller; the size stays);
#   - 200 new files of 1 KiB to 1 MiB of random (incompressible) bytes in random directories;
#   - 100 regular files are deleted;
#   - the 3 largest files grow by 10 MiB of random bytes each.
# All choices come from Python's random.Random("mutate-day-<DAY>") over the byte-sorted list of
# regular files, in this order: rewrites, new files, deletions, appends. Keep that order and
# those calls: they define the day, and the shared benchmark's mutate.sh makes the same one.
#
# The last line of output is machine-readable for e2e.sh:
#   written_bytes=N rewritten_bytes=N new_bytes=N appended_bytes=N deleted_bytes=N
# written_bytes = rewritten + new + appended: the data a backup cannot have seen before.
set -euo pipefail

case ${1:-} in
  -h | --help)
    echo "usage: bench/mutate.sh DIR [DAY]    (DAY defaults to 1)"
    exit 0
    ;;
esac
DIR=${1:?usage: bench/mutate.sh DIR [DAY]}
DAY=${2:-1}
[[ -d $DIR ]] || { echo "mutate.sh: no such directory: $DIR" >&2; exit 1; }

# -B: the interpreter must not drop .pyc files anywhere.
exec python3 -B - "$DIR" "$DAY" <<'PY'
import os
import random
import sys

root, day = sys.argv[1], int(sys.argv[2])
rng = random.Random(f"mutate-day-{day}")
MIB = 1024 * 1024

# Every walked directory (symbolic links to directories are listed, not entered) and every
# regular file that is not a symbolic link, both byte-sorted so the choices do not depend on
# the order the file system returns entries in.
directories, files = [], []
for here, subdirs, names in os.walk(root):
    subdirs.sort()
    directories.append(here)
    for name in sorted(names):
        path = os.path.join(here, name)
        if os.path.isfile(path) and not os.path.islink(path):
            files.append(path)
directories.sort()
files.sort()
size = {path: os.path.getsize(path) for path in files}

largest = sorted(files, key=lambda p: (-size[p], p))[:3]
others = [p for p in files if p not in set(largest)]
rewrite = rng.sample([p for p in others if size[p] > 0], max(1, round(len(files) * 0.01)))
rewrite_set = set(rewrite)
delete = rng.sample([p for p in others if p not in rewrite_set], 100)

rewritten = 0
for path in rewrite:
    length = min(4096, size[path])
    with open(path, "r+b") as f:
        f.seek(max(0, size[path] // 2 - length // 2))
        f.write(rng.randbytes(length))
    rewritten += length

new = 0
for i in range(200):
    directory = rng.choice(directories)
    length = rng.randint(1024, MIB)
    with open(os.path.join(directory, f"bench-new-d{day}-{i:03d}.bin"), "wb") as f:
        f.write(rng.randbytes(length))
    new += length

deleted = 0
for path in delete:
    deleted += size[path]
    os.unlink(path)

appended = 0
for path in largest:
    with open(path, "ab") as f:
        f.write(rng.randbytes(10 * MIB))
    appended += 10 * MIB

print(f"mutate day {day}: {len(rewrite)} files with {rewritten} B rewritten, 200 new files "
      f"({new} B), 100 files deleted ({deleted} B), 3 x 10 MiB appended to "
      + ", ".join(os.path.relpath(p, root) for p in largest))
print(f"written_bytes={rewritten + new + appended} rewritten_bytes={rewritten} new_bytes={new} "
      f"appended_bytes={appended} deleted_bytes={deleted}")
PY
