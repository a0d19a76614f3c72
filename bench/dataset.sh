#!/usr/bin/env bash
# dataset.sh - build the benchmark data set: a fixed list of third-party files copied from this
# machine (the .NET SDK, package documentation, the Python library, C headers, Perl, glibc
# locale sources). On the reference machine (Debian 12) it is 975,810,643 bytes (930.6 MiB) in
# 22,453 files, 146 symbolic links and 3,110 directories: large binaries, many small text files
# and some exact duplicates, which is what a backup of a real machine meets.
#
# The entries are frozen in dataset.files.gz beside this script, so packages installed later do
# not change the data set. Entries this machine lacks (packages not installed) are skipped with a
# warning: the data set is then smaller and its fingerprint differs from the reference in
# dataset.fingerprint, so figures are comparable only inside one run (which is how e2e.sh uses
# them anyway: every tool on the same copy, in the same run).
#
# The fingerprint is sha256 over the sorted metadata listing (type, path, size or link target,
# mode, owner, mtime) followed by the sorted sha256sum listing of all regular files.
# Next to DEST the script writes DEST.info (counts, bytes, missing entries, fingerprint);
# e2e.sh takes its presence to mean the data set is complete.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/dataset.sh [DEST]

Builds the benchmark data set in DEST (default /tmp/urb-bench/dataset; an existing DEST is
replaced) from the entries listed in bench/dataset.files.gz, prints its size and fingerprint,
compares the fingerprint with bench/dataset.fingerprint, and writes DEST.info.
Needs rsync; run as root so that owners are kept.
EOF
}

case ${1:-} in -h | --help) usage; exit 0 ;; esac
DEST=${1:-/tmp/urb-bench/dataset}
HERE=$(cd "$(dirname "$0")" && pwd)
LIST="$HERE/dataset.files.gz"
REFERENCE="$HERE/dataset.fingerprint"
export LC_ALL=C

# Name inside the data set and where it comes from; this order is part of the recipe.
SOURCES=(
  dotnet=/usr/share/dotnet
  doc=/usr/share/doc
  python3=/usr/lib/python3
  python3.11=/usr/lib/python3.11
  include=/usr/include
  perl=/usr/share/perl
  i18n=/usr/share/i18n
)

[[ -f $LIST ]] || { echo "dataset.sh: $LIST is missing" >&2; exit 1; }
command -v rsync >/dev/null || { echo "dataset.sh: rsync is required (apt-get install -y rsync)" >&2; exit 1; }
case $DEST in /*) ;; *) DEST="$PWD/$DEST" ;; esac

# entries_of NAME: the listed entries below NAME/, relative to it.
entries_of() {
  zcat "$LIST" | awk -v prefix="$1/" 'index($0, prefix) == 1 { print substr($0, length(prefix) + 1) }'
}

rm -rf -- "$DEST" "$DEST.info"
mkdir -p -- "$DEST"
missing=0
for source in "${SOURCES[@]}"; do
  name=${source%%=*}
  from=${source#*=}
  if [[ ! -d $from ]]; then
    lacking=$(entries_of "$name" | wc -l)
    echo "dataset.sh: WARNING: $from does not exist; its $lacking entries are skipped" >&2
    missing=$((missing + lacking))
    continue
  fi
  # Count what this machine lacks first: rsync reports missing entries only as exit code 23,
  # which would also cover real errors.
  lacking=$(entries_of "$name" | (cd "$from" && while IFS= read -r e; do [[ -e $e || -L $e ]] || echo; done) | wc -l)
  rc=0
  # -a keeps modes, owners, times and symbolic links (as cp -a); -H keeps hard links.
  entries_of "$name" | rsync -aH --files-from=- -- "$from/" "$DEST/$name/" 2>/dev/null || rc=$?
  if ((rc == 23 && lacking > 0)); then
    echo "dataset.sh: WARNING: $lacking entries of $name are not on this machine; skipped" >&2
    missing=$((missing + lacking))
  elif ((rc != 0)); then
    echo "dataset.sh: rsync from $from failed with exit code $rc" >&2
    exit 1
  fi
done

# A directory's mtime moves whenever a package adds a file beside ours: pin them all (the root
# too). Files keep their own mtimes.
find "$DEST" -type d -exec touch -h -d '2024-01-01 00:00:00 UTC' -- {} +

files=$(find "$DEST" -type f | wc -l)
links=$(find "$DEST" -type l | wc -l)
dirs=$(find "$DEST" -type d | wc -l)
bytes=$(find "$DEST" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%d", n }')
fingerprint=$(cd "$DEST" && {
  find . \( -type f -printf '%y %p %s %m %U:%G %T@\n' \) -o \( -type l -printf '%y %p %l %T@\n' \) \
    -o \( -type d -printf '%y %p %m %U:%G %T@\n' \) | sort
  find . -type f -print0 | sort -z | xargs -0 -n 500 sha256sum
} | sha256sum | cut -c1-64)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

{
  echo "files=$files"
  echo "symlinks=$links"
  echo "dirs=$dirs"
  echo "bytes=$bytes"
  echo "missing_entries=$missing"
  echo "fingerprint=$fingerprint"
} >"$DEST.info"

echo "data set: $DEST"
echo "$files files, $links symbolic links, $dirs directories, $bytes bytes ($mib MiB); $missing listed entries missing"
echo "fingerprint=$fingerprint"
if [[ -f $REFERENCE && $(<"$REFERENCE") == "$fingerprint" ]]; then
  echo "fingerprint matches the reference"
else
  echo "dataset.sh: WARNING: the fingerprint differs from the reference $(cat "$REFERENCE" 2>/dev/null)" \
    "($missing entries missing here); compare figures only within one run" >&2
fi
