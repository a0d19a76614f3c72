#!/usr/bin/env bash
# e2e.sh - Urb's file backup from end to end, beside restic and borg, on the benchmark data set.
#
# Per repetition and tool, on a freshly made ext4 filesystem (a loop-mounted sparse image under
# the work directory, deleted afterwards): copy the data set onto it, create the repository,
#   B1 initial backup | B2 backup without changes | the day of changes (mutate.sh) | B3 backup
#   R  restore of the latest snapshot into an empty directory, then compared with the source.
#   R2 the same restore again into an emptied directory (for Urb: a stack that has served one).
# Urb runs as the whole stack (`./urb up` with its state on that filesystem, a client, an
# enrolled agent); the timed command is the agent process itself.
#
# Why a fresh filesystem each time: on an ext4 without a journal (this machine's root) freed
# inodes are not reused for a while, so creating 25,000 files right after deleting as many costs
# seconds of extra kernel time and makes restores swing by 3x. A new journaled ext4 per run also
# starts every tool from the same empty disk. Why the peers in the same run: this machine's speed
# drifts by 15-45 % between runs, so only ratios measured together mean anything.
#
# Raw rows go to bench/out/e2e-STAMP.tsv (tool, repetition, step, metric, value), tool output to
# bench/out/e2e-STAMP.log; the tables come from e2e-report.py.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

usage() {
  cat <<'EOF'
usage: sudo bench/e2e.sh [OPTIONS]

Urb's file backup from end to end against restic and borg on the benchmark data set: per
repetition and tool, on a fresh ext4 loop filesystem, B1 initial backup, B2 no change, the day
of changes (bench/mutate.sh), B3, R restore of the latest snapshot (verified against the source).
Records wall time, user+sys CPU and peak RSS of the client, for Urb also the CPU and peak RSS
of every service process, the repository size and the bytes the agent sent. Prints medians and
the ratio Urb/restic against the goals (see bench/README.md).

Options:
  --reps N            repetitions (default 3)
  --tools LIST        comma-separated, from ours,restic,borg (default ours,restic,borg)
  --work DIR          work directory for the data set, the image and its mount point
                      (default /tmp/urb-bench)
  --fs-size SIZE      size of the sparse filesystem image (default 8G)
  --quiet-budget S    seconds in total the run may wait, before timed steps, for the rest of the
                      machine to fall below a quarter of a core (default 120)
  --record            also append the tables to bench/RESULTS.md under a dated heading
  -h, --help          this text

Needs root (loop device, mount). Installs restic, borgbackup, time and e2fsprogs with apt when
missing, builds the data set with bench/dataset.sh when DIR/dataset.info is absent. For "ours"
the agent must have its backup and restore commands; `./urb up` (re)builds the solution.
A repetition of restic or borg takes under a minute; Urb's adds the stack's build and start.
EOF
}

# ---- options ------------------------------------------------------------------------------------
REPS=3
TOOLS=ours,restic,borg
WORK=/tmp/urb-bench
FS_SIZE=8G
QUIET_BUDGET=120
RECORD=0
while (($#)); do
  case $1 in
    --reps) REPS=${2:?--reps needs a number}; shift 2 ;;
    --tools) TOOLS=${2:?--tools needs a list}; shift 2 ;;
    --work) WORK=${2:?--work needs a directory}; shift 2 ;;
    --fs-size) FS_SIZE=${2:?--fs-size needs a size}; shift 2 ;;
    --quiet-budget) QUIET_BUDGET=${2:?--quiet-budget needs seconds}; shift 2 ;;
    --record) RECORD=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo "e2e.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

say() { printf 'e2e.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number"
[[ $QUIET_BUDGET =~ ^[0-9]+$ ]] || die "--quiet-budget must be whole seconds"
IFS=, read -ra TOOL_LIST <<<"$TOOLS"
((${#TOOL_LIST[@]})) || die "--tools is empty"
for tool in "${TOOL_LIST[@]}"; do
  case $tool in ours | restic | borg) ;; *) die "unknown tool '$tool' (ours, restic, borg)" ;; esac
done
((EUID == 0)) || die "needs root (loop device and mount); run it with sudo"
case $WORK in /*) ;; *) WORK="$PWD/$WORK" ;; esac

# ---- where everything lives -----------------------------------------------------------------------
DATASET=$WORK/dataset     # the pristine data set, never modified
IMG=$WORK/fs.img          # the filesystem image of the current repetition
MNT=$WORK/mnt             # its mount point; everything below is on the fresh filesystem
SRC=$MNT/src              # the copy that is backed up and mutated
REPO=$MNT/repo            # restic's or borg's repository
DEST=$MNT/restore         # restore target
CACHE=$MNT/cache          # restic's and borg's client caches
URB_STATE=$MNT/urb        # URB_HOME of the stack: PostgreSQL, Redis, packs, logs, PIDs
AGENT_STATE=$MNT/agent    # the agent's state directory
# The agent as installers ship it: the native executable that ./urb up publishes, in the build
# the installed agent would run on this machine (the AVX2 one where the CPU has it; set in main).
AGENT=""
OUT=$HERE/out
STAMP=$(date +%Y%m%d-%H%M%S)
TSV=$OUT/e2e-$STAMP.tsv
LOG=$OUT/e2e-$STAMP.log
STEP_OUT=$WORK/step.out   # stdout of the current timed step (the agent's JSON summary)
HZ=$(getconf CLK_TCK)
LOOP=""
QUIET_FILE=$WORK/quiet-waited   # half seconds waited so far; a file, as steps run in subshells
FAILURES=0

export LC_ALL=C
# Same settings as ./urb uses for every dotnet call (the agent is timed without the wrapper).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The peers' passwords and state stay on the fresh filesystem, nothing in $HOME.
export RESTIC_PASSWORD=bench-password RESTIC_CACHE_DIR=$CACHE/restic
export BORG_PASSPHRASE=bench-password BORG_BASE_DIR=$CACHE/borg
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes

# ---- setup ------------------------------------------------------------------------------------

install_tools() {
  local packages=()
  command -v restic >/dev/null || packages+=(restic)
  command -v borg >/dev/null || packages+=(borgbackup)
  [[ -x /usr/bin/time ]] || packages+=(time)
  command -v mkfs.ext4 >/dev/null || packages+=(e2fsprogs)
  command -v rsync >/dev/null || packages+=(rsync)
  ((${#packages[@]})) || return 0
  say "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "${packages[@]}" >>"$LOG" 2>&1 ||
    { apt-get update >>"$LOG" 2>&1 && apt-get install -y "${packages[@]}" >>"$LOG" 2>&1; } ||
    die "apt-get install ${packages[*]} failed (see $LOG)"
}

ensure_dataset() {
  if [[ ! -f $DATASET.info || ! -d $DATASET ]]; then
    say "building the data set in $DATASET"
    "$HERE/dataset.sh" "$DATASET" >&2 || die "dataset.sh failed"
  fi
}

# The agent in artifacts/ must know the commands this benchmark times.
check_agent() {
  local help
  AGENT=$("$ROOT/urb" _agent-program 9>&-) || die "no agent: ./urb up did not publish it"
  [[ -x $AGENT ]] || die "$AGENT is missing; run ./urb up first (it publishes the agent)"
  help=$("$AGENT" --help 2>&1) || true
  if ! grep -Eq '^[[:space:]]+backup[[:space:]]' <<<"$help" || ! grep -Eq '^[[:space:]]+restore[[:space:]]' <<<"$help"; then
    die "the agent has no backup/restore command yet; run with --tools restic,borg"
  fi
}

# ---- the fresh filesystem ----------------------------------------------------------------------

fs_create() {
  if mountpoint -q "$MNT"; then die "$MNT is still mounted (an earlier run?); umount it first"; fi
  mkdir -p "$MNT"
  rm -f "$IMG"
  truncate -s "$FS_SIZE" "$IMG"
  # direct-io: the image's writes are not cached twice (once in the loop device, once in the
  # backing file), so a sync costs what it would on a real disk.
  LOOP=$(losetup -f --show --direct-io=on "$IMG") || die "losetup failed"
  # Enough inodes for the data set, its restore and repositories of small files; the inode
  # tables and journal are zeroed now instead of by a kernel thread during the timed steps.
  mkfs.ext4 -q -F -N 262144 -E lazy_itable_init=0,lazy_journal_init=0 "$LOOP" >>"$LOG" 2>&1
  mount "$LOOP" "$MNT"
  # PostgreSQL runs as its own user somewhere below.
  chmod 755 "$MNT"
}

fs_destroy() {
  if mountpoint -q "$MNT"; then
    umount "$MNT" 2>/dev/null || { sleep 2 && umount "$MNT"; } || umount -l "$MNT" || true
  fi
  if [[ -n $LOOP ]]; then losetup -d "$LOOP" 2>/dev/null || true; fi
  LOOP=""
  rm -f "$IMG"
}

copy_dataset() {
  cp -a "$DATASET" "$SRC"   # modes, owners, mtimes, symbolic links as they are
  sync
  # Every tool starts from a warm page cache, as the first one would after the copy.
  tar cf - -C "$MNT" src | cat >/dev/null
}

# ---- the Urb stack ----------------------------------------------------------------------------

# 9>&-: the run's lock must not stay open in the services that ./urb up leaves running.
urb() { URB_HOME=$URB_STATE "$ROOT/urb" "$@" 9>&-; }

stack_down() {
  [[ -d $URB_STATE/run ]] || return 0
  urb down >>"$LOG" 2>&1 || say "./urb down failed (see $LOG)"
}

# ./urb up with the state on the fresh filesystem, a client, the agent enrolled with its token.
ours_init() {
  local t0 json server token others
  # ./urb up builds the solution; only its own stack's services keep it from swapping the
  # assemblies, so a stack started from this tree with another URB_HOME is at risk (and it
  # competes for the CPU during the timed steps).
  others=$(pgrep -c -f -- "$ROOT/artifacts/(bin|publish)/Urb[.]" || true)
  if ((others)); then
    say "WARNING: $others Urb process(es) from this tree already run (another stack?); ./urb up rebuilds under them and they share the CPU"
  fi
  t0=$(date +%s.%N)
  say "ours: ./urb up (builds the solution, starts the stack)"
  urb up >>"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; die "./urb up failed (see $LOG)"; }
  row setup up_s "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  json=$(urb client add bench --json 2>>"$LOG") || die "./urb client add failed (see $LOG)"
  # The API names the gateway's agent address, exactly what an operator would hand out.
  server=$(json_field server <<<"$json")
  token=$(json_field token <<<"$json")
  [[ -n $server && -n $token ]] || die "client add printed no server or token: $json"
  urb agent --state-dir "$AGENT_STATE" enroll --server "$server" --token "$token" >>"$LOG" 2>&1 ||
    die "agent enroll failed (see $LOG)"
}

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }

# The agent prints one JSON object at the end of its output; its numbers become rows.
record_agent_summary() { # STEP
  cat "$STEP_OUT" >>"$LOG"
  python3 - "$STEP_OUT" >"$WORK/summary.tsv" <<'PY' || { say "no JSON summary from the agent in $1"; return 1; }
import json, sys
text = open(sys.argv[1]).read()
decoder, found = json.JSONDecoder(), None
for start in (i for i, c in enumerate(text) if c == "{"):
    try:
        found, _ = decoder.raw_decode(text[start:])
    except ValueError:
        continue
    break   # the first object that parses spans to the end; a nested one would come later
if not isinstance(found, dict):
    sys.exit(1)
def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
for key, value in found.items():
    if number(value):
        print(f"agent.{key}\t{value}")
    elif isinstance(value, dict):   # the backup's phases: agent.phases.planning_seconds, ...
        for inner, v in value.items():
            if number(v):
                print(f"agent.{key}.{inner}\t{v}")
PY
  while IFS=$'\t' read -r key value; do row "$1" "$key" "$value"; done <"$WORK/summary.tsv"
}

# Probes the stack's processes named by URB_HOME/run/*.pid: per name, CPU clock ticks (own,
# reaped children's and live children's: PostgreSQL works in backends that come and go) and the
# largest VmHWM of the process and its children. With "reset" it then resets VmHWM (clear_refs
# 5), so the next reading is the peak of one step.
svc_probe() { # reset|read
  python3 - "$URB_STATE/run" "$1" <<'PY'
import glob, os, sys
run, mode = sys.argv[1], sys.argv[2]

def stat(pid):   # -> ppid, own ticks, reaped children's ticks
    text = open(f"/proc/{pid}/stat").read()
    f = text[text.rindex(")") + 2:].split()
    return int(f[1]), int(f[11]) + int(f[12]), int(f[13]) + int(f[14])

def hwm(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

children = {}
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            children.setdefault(stat(entry)[0], []).append(int(entry))
        except (OSError, ValueError):
            pass
for pidfile in sorted(glob.glob(os.path.join(run, "*.pid"))):
    name = os.path.basename(pidfile)[:-4]
    try:
        pid = int(open(pidfile).read().split()[0])
        _, own, reaped = stat(pid)
    except (OSError, ValueError, IndexError):
        continue
    ticks, peak = own + reaped, 0
    for p in [pid] + children.get(pid, []):
        try:
            if p != pid:
                ticks += stat(p)[1]
            peak = max(peak, hwm(p))
            if mode == "reset":
                with open(f"/proc/{p}/clear_refs", "w") as f:
                    f.write("5")
        except OSError:
            pass
    print(name, ticks, peak)
PY
}

ours_db_bytes() {
  local port
  port=$(sed -n 's/^URB_POSTGRES_PORT=\([0-9]*\)$/\1/p' "$URB_STATE/stack.env")
  PGPASSWORD=$(tr -d '\n' <"$URB_STATE/secrets/postgres-password") psql -X -A -t -q -h 127.0.0.1 -p "$port" \
    -U urb -d urb -c 'SELECT pg_database_size(current_database())'
}

# ---- the tools' commands (into the array CMD) ---------------------------------------------------

tool_desc() {
  case $1 in
    ours) echo "Urb (agent $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes') as $(basename "$AGENT"), whole stack on loopback)" ;;
    restic) echo "restic $(restic version | awk '{ print $2 }') (AES-256-CTR+Poly1305, zstd auto)" ;;
    borg) echo "borg $(borg --version | awk '{ print $2 }') -e repokey (AES-CTR+HMAC-SHA256, lz4)" ;;
  esac
}

tool_init() {
  case $1 in
    ours) ours_init ;;
    restic) restic -r "$REPO" init --quiet >>"$LOG" 2>&1 ;;
    borg) borg init -e repokey "$REPO" >>"$LOG" 2>&1 ;;
  esac
}

backup_cmd() { # TOOL N
  case $1 in
    ours) CMD=("$AGENT" --state-dir "$AGENT_STATE" backup --path "$SRC" --json) ;;
    restic) CMD=(restic -r "$REPO" backup --quiet --host bench "$SRC") ;;
    borg) CMD=(borg create "$REPO::b$2" "$SRC") ;;
  esac
}

restore_cmd() { # TOOL ; borg extracts into the working directory, which measure sets to $DEST
  case $1 in
    ours) CMD=("$AGENT" --state-dir "$AGENT_STATE" restore --backup latest --path "$(basename "$SRC")" --to "$DEST" --json) ;;
    restic) CMD=(restic -r "$REPO" restore latest --target "$DEST" --quiet) ;;
    borg) CMD=(borg extract "$REPO::b3") ;;
  esac
}

# restic and borg restore the absolute path below the target; Urb restores the path's contents.
restored_root() {
  case $1 in
    ours) echo "$DEST" ;;
    *) echo "$DEST$SRC" ;;
  esac
}

# ---- measuring ----------------------------------------------------------------------------------

TOOL="" REP=""
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$TOOL" "$REP" "$1" "$2" "$3" >>"$TSV"; }

cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# Waits until the rest of the machine uses less than a quarter of a core (other sessions build
# and test here), but never longer than QUIET_BUDGET seconds over the whole run.
wait_quiet() {
  local a b waited
  waited=$(<"$QUIET_FILE")
  while ((waited < QUIET_BUDGET * 2)); do
    a=$(cpu_busy); sleep 0.5; b=$(cpu_busy)
    awk -v a="$a" -v b="$b" -v hz="$HZ" 'BEGIN { exit !((b - a) / hz / 0.5 < 0.25) }' && break
    waited=$((waited + 1))
  done
  echo "$waited" >"$QUIET_FILE"
}

bytes_of() { if [[ -e $1 ]]; then du -sb "$1" | cut -f1; else echo 0; fi; }

# measure STEP DIR: runs CMD in DIR under /usr/bin/time, its stdout to $STEP_OUT, and records
# the client's wall, user, sys and peak RSS, the CPU the rest of the machine used meanwhile,
# and for Urb each service's CPU and peak RSS during the step.
measure() {
  local step=$1 dir=$2 tf rc=0 c0 c1 wall user sys rss svc_cpu=0 name ticks0 ticks peak other
  local -A before=()
  sync
  wait_quiet
  if [[ $TOOL == ours ]]; then
    while read -r name ticks peak; do before[$name]=$ticks; done < <(svc_probe reset)
  fi
  tf=$(mktemp)
  c0=$(cpu_busy)
  (cd "$dir" && exec /usr/bin/time -f '%e %U %S %M' -o "$tf" "${CMD[@]}") >"$STEP_OUT" 2>>"$LOG" || rc=$?
  c1=$(cpu_busy)
  if [[ $TOOL == ours ]]; then
    while read -r name ticks peak; do
      ticks0=${before[$name]:-$ticks}
      row "$step" "svc.$name.cpu_s" "$(awk -v a="$ticks0" -v b="$ticks" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')"
      row "$step" "svc.$name.peak_kb" "$peak"
      svc_cpu=$((svc_cpu + ticks - ticks0))
    done < <(svc_probe read)
  fi
  read -r wall user sys rss < <(tail -n 1 "$tf")
  rm -f "$tf"
  other=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v u="$user" -v s="$sys" -v svc="$svc_cpu" \
    'BEGIN { o = (b - a - svc) / hz - u - s; printf "%.2f", o < 0 ? 0 : o }')
  row "$step" wall_s "$wall"
  row "$step" user_s "$user"
  row "$step" sys_s "$sys"
  row "$step" peak_rss_kb "$rss"
  row "$step" other_cpu_s "$other"
  row "$step" rc "$rc"
  printf '  %-6s rep %s %-2s %7.2f s  cpu %6.2f s  rss %6.1f MiB%s  other-cpu %s s%s\n' "$TOOL" "$REP" "$step" \
    "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v m="$rss" 'BEGIN { print m / 1024 }')" \
    "$( [[ $TOOL == ours ]] && awk -v t="$svc_cpu" -v hz="$HZ" 'BEGIN { printf "  services cpu %.2f s", t / hz }')" \
    "$other" "$( ((rc == 0)) || echo "  EXIT $rc")" >&2
  if ((rc != 0)); then
    tail -n 20 "$STEP_OUT" >&2
    say "$TOOL $step exited with $rc (output above, errors in $LOG)"
    return 1
  fi
}

# Repository and client-side state after a backup step.
record_sizes() { # STEP
  local packs db
  case $TOOL in
    ours)
      packs=$(bytes_of "$URB_STATE/data/packs")
      db=$(ours_db_bytes) || { say "could not read the database size"; db=0; }
      row "$1" packs_bytes "$packs"
      row "$1" db_bytes "$db"
      row "$1" repo_bytes $((packs + db))
      row "$1" client_state_bytes "$(bytes_of "$AGENT_STATE")"
      ;;
    *)
      row "$1" repo_bytes "$(bytes_of "$REPO")"
      row "$1" client_state_bytes "$(bytes_of "$CACHE/$TOOL")"
      ;;
  esac
}

# ---- restore check ------------------------------------------------------------------------------

# Type, path, and size and mode (files), mode (directories) or target (symbolic links).
listing() {
  (cd "$1" && find . -mindepth 1 \( -type d -printf 'd %p %m\n' \) -o \( -type l -printf 'l %p -> %l\n' \) \
    -o -printf '%y %p %s %m\n' | sort)
}
# Owner and whole-second mtime of everything but symbolic links.
attributes() { (cd "$1" && find . ! -type l -printf '%p %U:%G %T@\n' | sed 's/\.[0-9]*$//' | sort); }

# Loud on any difference in the tree or a byte; differing owners or mtimes are counted and
# reported, but do not fail the run.
verify_restore() {
  local root differ
  root=$(restored_root "$TOOL")
  if [[ ! -d $root ]]; then
    say "!!!! $TOOL rep $REP: RESTORE FAILED: $root does not exist"; row R verified 0; return 1
  fi
  if ! diff <(listing "$SRC") <(listing "$root") >"$WORK/verify.diff"; then
    say "!!!! $TOOL rep $REP: RESTORED TREE DIFFERS from the source ($(grep -c '^[<>]' "$WORK/verify.diff") lines):"
    head -n 20 "$WORK/verify.diff" >&2
    cat "$WORK/verify.diff" >>"$LOG"
    row R verified 0; return 1
  fi
  if ! diff -r --no-dereference -q "$SRC" "$root" >"$WORK/verify.diff" 2>&1; then
    say "!!!! $TOOL rep $REP: RESTORED CONTENT DIFFERS from the source:"
    head -n 20 "$WORK/verify.diff" >&2
    cat "$WORK/verify.diff" >>"$LOG"
    row R verified 0; return 1
  fi
  differ=$(diff <(attributes "$SRC") <(attributes "$root") | grep -c '^>' || true)
  row R verified 1
  row R attributes_differ "$differ"
  if ((differ)); then say "$TOOL rep $REP: restore verified; $differ entries differ in owner or mtime"
  else say "$TOOL rep $REP: restore verified (tree, bytes, modes, owners, mtimes)"; fi
}

# ---- one repetition of one tool (runs in a subshell with errexit) --------------------------------

run_one() {
  local n out
  copy_dataset
  tool_init "$TOOL"
  for n in 1 2; do
    backup_cmd "$TOOL" "$n"
    measure "B$n" "$MNT"
    [[ $TOOL != ours ]] || record_agent_summary "B$n"
    record_sizes "B$n"
  done
  out=$("$HERE/mutate.sh" "$SRC" 1)
  printf '%s\n' "$out" >>"$LOG"
  for key in written_bytes rewritten_bytes new_bytes appended_bytes deleted_bytes; do
    row M "$key" "$(sed -n "s/.*\\b$key=\\([0-9]*\\).*/\\1/p" <<<"$out" | tail -n 1)"
  done
  backup_cmd "$TOOL" 3
  measure B3 "$MNT"
  [[ $TOOL != ours ]] || record_agent_summary B3
  record_sizes B3
  mkdir "$DEST"
  restore_cmd "$TOOL"
  measure R "$DEST"
  [[ $TOOL != ours ]] || record_agent_summary R
  verify_restore
  # R is the first restore its freshly started stack serves; R2 shows the same restore on a stack
  # that has served one (no goal, and not compared again: the snapshot and the code are R's).
  rm -rf "$DEST"
  mkdir "$DEST"
  restore_cmd "$TOOL"
  measure R2 "$DEST"
  [[ $TOOL != ours ]] || stack_down
}

# ---- cleanup: the stack first (its files are on the filesystem), then the filesystem -------------

cleanup() {
  local rc=$?
  set +e
  stack_down
  fs_destroy
  rm -f "$STEP_OUT" "$WORK/verify.diff" "$WORK/summary.tsv" "$QUIET_FILE"
  return "$rc"
}

machine_line() {
  local cpu ram
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  ram=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  printf '%s CPUs (%s), %s RAM, kernel %s, %s' "$(nproc)" "$cpu" "$ram" "$(uname -r)" \
    "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null)"
}

main() {
  local t_start rep rc desc header report
  mkdir -p "$WORK" "$OUT"
  exec 9>"$WORK/lock"
  flock -n 9 || die "another e2e.sh is running with the work directory $WORK"
  : >"$LOG"
  echo 0 >"$QUIET_FILE"
  install_tools
  case ",$TOOLS," in *,ours,*) check_agent ;; esac
  ensure_dataset
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  printf 'tool\trep\tstep\tmetric\tvalue\n' >"$TSV"
  desc=""
  for TOOL in "${TOOL_LIST[@]}"; do desc+="$TOOL=$(tool_desc "$TOOL");"; done
  t_start=$(date +%s)
  say "$REPS repetition(s) of ${TOOL_LIST[*]}; raw rows in $TSV, tool output in $LOG"
  local -a order
  local i n=${#TOOL_LIST[@]}
  for ((rep = 1; rep <= REPS; rep++)); do
    # Each repetition starts with the next tool: the first one of a repetition writes into memory
    # that stayed free long enough for the VM to hand it back to its host, and pays 0.7-2.6 s of
    # kernel time per GB written to touch it again (bench/RESULTS.md, 2026-11-28, "The relay per
    # direction, the VM's memory", and 2026-11-29, "Which tool goes first"); in a fixed order that
    # cost always fell on the same tool.
    order=()
    for ((i = 0; i < n; i++)); do order+=("${TOOL_LIST[(i + rep - 1) % n]}"); done
    for TOOL in "${order[@]}"; do
      REP=$rep
      say "== rep $rep: $TOOL"
      printf '\n==== %s rep %s (%s)\n' "$TOOL" "$rep" "$(date -Is)" >>"$LOG"
      fs_create
      # A subshell, so that errexit holds inside (it would not in `if run_one`); the EXIT
      # trap of this shell still cleans up after an interruption.
      set +e
      (set -e; run_one)
      rc=$?
      set -e
      if ((rc != 0)); then
        FAILURES=$((FAILURES + 1))
        row failed rc "$rc"
        say "!!!! $TOOL rep $rep FAILED (exit $rc); see $LOG"
      fi
      stack_down
      fs_destroy
    done
  done
  header="## $(date +%Y-%m-%d) — End to end: Urb, restic and borg (bench/e2e.sh)"
  report=$(python3 -B "$HERE/e2e-report.py" --desc "$desc" --machine "$(machine_line)" \
    --dataset "$(tr '\n' ' ' <"$DATASET.info")" --command "bench/e2e.sh --reps $REPS --tools $TOOLS" \
    --total "$(($(date +%s) - t_start))" --waited "$(($(<"$QUIET_FILE") / 2))" "$TSV")
  printf '\n%s\n%s\n' "$header" "$report"
  if ((RECORD)); then
    printf '\n%s\n%s\n' "$header" "$report" >>"$HERE/RESULTS.md"
    say "appended to bench/RESULTS.md"
  fi
  ((FAILURES == 0)) || die "$FAILURES repetition(s) failed; see $LOG"
}

main
