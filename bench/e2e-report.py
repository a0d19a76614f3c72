#!/usr/bin/env python3
"""e2e-report.py - Markdown tables from the raw rows of bench/e2e.sh.

    e2e-report.py [--desc 'tool=text;...'] [--machine TEXT] [--dataset TEXT] [--command TEXT]
                  [--total S] [--waited S] TSV...

Each TSV has the columns tool, rep, step, metric, value. Several files are pooled (their
repetitions are renumbered), so two runs can be summarised together; ratios are still taken
within one repetition, where Urb and restic ran minutes apart.
"""
import argparse
import csv
import statistics

GOALS = [  # (label, ratio limit) of Urb against restic; README.md explains them
    ("B1", 0.5), ("B2", 0.25), ("B3", 0.7), ("R", 1.0), ("repo", 1.0), ("rss", 1.0),
]
SENT_GOAL = 1.2  # bytes sent in B3 per byte the day of changes wrote
STEPS = [("B1", "B1 initial backup"), ("B2", "B2 no change"), ("B3", "B3 after the day of changes"),
         ("R", "R restore"), ("R2", "R2 the same restore again (no goal)")]
MIB = 1048576

ap = argparse.ArgumentParser()
ap.add_argument("--desc", default="")
ap.add_argument("--machine")
ap.add_argument("--dataset")
ap.add_argument("--command")
ap.add_argument("--total")
ap.add_argument("--waited")
ap.add_argument("tsv", nargs="+")
args = ap.parse_args()

# data[tool][rep][(step, metric)] = value
data, offset = {}, 0
for path in args.tsv:
    reps = set()
    with open(path) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rep = offset + int(r["rep"])
            reps.add(rep)
            try:
                value = float(r["value"])
            except ValueError:
                continue
            data.setdefault(r["tool"], {}).setdefault(rep, {})[(r["step"], r["metric"])] = value
    offset = max(reps, default=offset)
order = ["ours", "restic", "borg"]
tools = [t for t in order if t in data] + [t for t in data if t not in order]
desc = dict(kv.split("=", 1) for kv in args.desc.strip(";").split(";") if "=" in kv)
name = lambda t: desc.get(t, t)
short = {"ours": "Urb", "restic": "restic", "borg": "borg"}


def complete(tool):
    """Repetitions that ran to the end (restore verified), the only ones summarised."""
    return {rep: m for rep, m in data.get(tool, {}).items() if m.get(("R", "verified")) == 1}


good = {t: complete(t) for t in tools}


def series(tool, fn):
    out = {}
    for rep, m in good[tool].items():
        try:
            v = fn(m)
        except (KeyError, ZeroDivisionError):
            continue
        if v is not None:
            out[rep] = v
    return out


def metric(step, key):
    return lambda m: m[(step, key)]


def cpu(step):
    return lambda m: m[(step, "user_s")] + m[(step, "sys_s")]


def rss_max(m):
    # Runs recorded before R2 existed have no row for it.
    return max(m[(s, "peak_rss_kb")] for s, _ in STEPS if (s, "peak_rss_kb") in m) / 1024


def cell(values, fmt="{:.2f}"):
    v = list(values.values()) if isinstance(values, dict) else list(values)
    if not v:
        return "-"
    med = fmt.format(statistics.median(v))
    return med if len(v) == 1 else f"{med} ({fmt.format(min(v))}–{fmt.format(max(v))})"


def ratio(fn):
    """Median over repetitions of Urb's value divided by restic's in the same repetition."""
    a, b = series("ours", fn) if "ours" in good else {}, series("restic", fn) if "restic" in good else {}
    pairs = [a[r] / b[r] for r in a if r in b and b[r] > 0]
    return statistics.median(pairs) if pairs else None


def goal_cell(value, limit):
    if value is None:
        return "-", "-"
    return f"{value:.2f}", "yes" if value <= limit else "**no**"


out = []
p = out.append
if args.machine:
    p(f"Machine: {args.machine}.")
if args.dataset:
    p(f"Data set (bench/dataset.sh): {args.dataset.strip()}.")
p("Tools: " + "; ".join(f"{t}: {name(t)}" for t in tools) + ".")
if args.command:
    p(f"Command: `{args.command}`.")
n = {t: len(good[t]) for t in tools}
p("")
p("Medians (min–max) over the repetitions: " + ", ".join(f"{short.get(t, t)} {n[t]}" for t in tools)
  + ". Each repetition on a fresh ext4 (loop device), warm page cache, all processes on this machine. "
  "Ratios are Urb ÷ restic within each repetition, then the median.")
p("")

# --- goals ---
cols = [short.get(t, t) for t in tools]
p("| measure | " + " | ".join(cols) + " | Urb ÷ restic | goal | met |")
p("|---|" + "---|" * len(cols) + "---|---|---|")
limits = dict(GOALS)
for step, label in STEPS:
    fn = metric(step, "wall_s")
    if step in limits:
        r, met = goal_cell(ratio(fn), limits[step])
        goal = f"≤ {limits[step]}"
    elif ratio(fn) is None:
        continue  # a step without a goal, absent from older runs
    else:
        r, met, goal = f"{ratio(fn):.2f}", "-", "-"
    p(f"| {label}, s | " + " | ".join(cell(series(t, fn)) for t in tools) + f" | {r} | {goal} | {met} |")
repo_fn = lambda m: m[("B3", "repo_bytes")] / MIB
repo_cells = []
for t in tools:
    c = cell(series(t, repo_fn), "{:.0f}")
    if t == "ours" and c != "-":
        c += (f" (packs {cell(series(t, lambda m: m[('B3', 'packs_bytes')] / MIB), '{:.0f}')}"
              f" + database {cell(series(t, lambda m: m[('B3', 'db_bytes')] / MIB), '{:.0f}')})")
    repo_cells.append(c)
r, met = goal_cell(ratio(repo_fn), limits["repo"])
p("| repository after B3, MiB | " + " | ".join(repo_cells) + f" | {r} | ≤ 1.0 | {met} |")
r, met = goal_cell(ratio(rss_max), limits["rss"])
p("| client peak RSS (largest of all steps), MiB | " + " | ".join(cell(series(t, rss_max), "{:.0f}") for t in tools)
  + f" | {r} | ≤ 1.0 | {met} |")
if "ours" in good:
    sent = series("ours", lambda m: m[("B3", "agent.bytes_sent")] / m[("M", "written_bytes")])
    sent_mib = series("ours", lambda m: m[("B3", "agent.bytes_sent")] / MIB)
    written = series("ours", lambda m: m[("M", "written_bytes")] / MIB)
    v = statistics.median(sent.values()) if sent else None
    r, met = goal_cell(v, SENT_GOAL)
    p(f"| B3 bytes sent ÷ bytes the day wrote | {r} ({cell(sent_mib, '{:.1f}')} of {cell(written, '{:.1f}')} MiB)"
      + " | -" * (len(tools) - 1) + f" | | ≤ {SENT_GOAL} | {met} |")

# --- per step: CPU and memory ---
p("")
p("Per step: wall time, CPU of the client (user+sys; for Urb also of all services together), the "
  "client's peak RSS, and CPU used meanwhile by other processes on the machine (noise).")
p("")
p("| tool | step | wall s | client CPU s | services CPU s | client peak RSS MiB | other CPU s |")
p("|---|---|---|---|---|---|---|")
for t in tools:
    for step, _ in STEPS:
        svc = "-"
        if t == "ours":
            svc = cell(series(t, lambda m, s=step: sum(v for (st, k), v in m.items()
                                                       if st == s and k.startswith("svc.") and k.endswith(".cpu_s"))))
        p(f"| {short.get(t, t)} | {step} | {cell(series(t, metric(step, 'wall_s')))} | {cell(series(t, cpu(step)))} | "
          f"{svc} | {cell(series(t, lambda m, s=step: m[(s, 'peak_rss_kb')] / 1024), '{:.0f}')} | "
          f"{cell(series(t, metric(step, 'other_cpu_s')))} |")

# --- Urb's services ---
if good.get("ours"):
    names = sorted({k.split(".")[1] for m in good["ours"].values() for (_, k) in m if k.startswith("svc.")})
    p("")
    p("Urb's processes per step: CPU seconds / peak RSS MiB (VmHWM, reset before each step; for "
      "PostgreSQL the CPU of all its processes and the largest one's peak).")
    p("")
    p("| process | " + " | ".join(s for s, _ in STEPS) + " |")
    p("|---|" + "---|" * len(STEPS))
    p("| agent | " + " | ".join(f"{cell(series('ours', cpu(s)))} / "
                               f"{cell(series('ours', lambda m, s=s: m[(s, 'peak_rss_kb')] / 1024), '{:.0f}')}"
                               for s, _ in STEPS) + " |")
    for svc in names:
        p(f"| {svc} | " + " | ".join(
            f"{cell(series('ours', metric(s, f'svc.{svc}.cpu_s')))} / "
            f"{cell(series('ours', lambda m, s=s: m[(s, f'svc.{svc}.peak_kb')] / 1024), '{:.0f}')}"
            for s, _ in STEPS) + " |")
    total = lambda s: lambda m: m[(s, "user_s")] + m[(s, "sys_s")] + sum(
        v for (st, k), v in m.items() if st == s and k.startswith("svc.") and k.endswith(".cpu_s"))
    p("| **all, CPU s** | " + " | ".join(cell(series("ours", total(s))) for s, _ in STEPS) + " |")
    if "restic" in good:
        p("| restic, CPU s | " + " | ".join(cell(series("restic", cpu(s))) for s, _ in STEPS) + " |")

    keys = ["files_new", "files_changed", "files_unchanged", "bytes_read", "bytes_sent", "bytes_new",
            "duration_seconds"]
    p("")
    p("The agent's own summary (`--json`), medians:")
    p("")
    p("| step | " + " | ".join(keys) + " |")
    p("|---|" + "---|" * len(keys))
    for s in ("B1", "B2", "B3"):
        p(f"| {s} | " + " | ".join(cell(series("ours", metric(s, f"agent.{k}")),
                                        "{:.2f}" if k == "duration_seconds" else "{:.0f}") for k in keys) + " |")
    u = series("ours", lambda m: m[("setup", "up_s")])
    if u:
        p("")
        p(f"`./urb up` (build and start, not timed in the steps) took {cell(u, '{:.0f}')} s.")

# --- the day of changes ---
w = [m[("M", "written_bytes")] for t in tools for m in good[t].values() if ("M", "written_bytes") in m]
if w:
    m0 = next(m for t in tools for m in good[t].values() if ("M", "written_bytes") in m)
    p("")
    p(f"The day of changes (bench/mutate.sh) wrote {statistics.median(w) / MIB:.1f} MiB in every repetition"
      f"{'' if len(set(w)) == 1 else ' (NOT the same in every repetition!)'}: "
      f"{m0[('M', 'new_bytes')] / MIB:.1f} MiB in 200 new files, {m0[('M', 'appended_bytes')] / MIB:.0f} MiB appended, "
      f"{m0[('M', 'rewritten_bytes')] / 1024:.0f} KiB rewritten in place; "
      f"{m0[('M', 'deleted_bytes')] / MIB:.1f} MiB deleted.")

# --- client-side state ---
p("")
p("Client-side state after B3 (restic's and borg's caches, the agent's state directory), MiB: "
  + ", ".join(f"{short.get(t, t)} {cell(series(t, lambda m: m[('B3', 'client_state_bytes')] / MIB), '{:.1f}')}"
              for t in tools) + ".")

# --- problems ---
failed = {t: sorted(set(data[t]) - set(good[t])) for t in tools}
for t, reps in failed.items():
    if reps:
        p("")
        p(f"**{short.get(t, t)}: repetition(s) {', '.join(map(str, reps))} did not finish or failed the restore "
          "check; they are left out above.**")
attrs = {t: series(t, lambda m: m[("R", "attributes_differ")]) for t in tools}
for t, v in attrs.items():
    if any(v.values()):
        p("")
        p(f"{short.get(t, t)}: the restore matched in tree and bytes, but {cell(v, '{:.0f}')} entries differed in "
          "owner or mtime.")
others = [m[(s, "other_cpu_s")] / max(m[(s, "wall_s")], 0.01) for t in tools for m in good[t].values()
          for s, _ in STEPS if (s, "other_cpu_s") in m]
if others:
    p("")
    p(f"Other processes used a median {100 * statistics.median(others):.0f} % of a core during the timed steps "
      f"(max {100 * max(others):.0f} %).")
tail = []
if args.total:
    tail.append(f"Total run time {args.total} s")
    if args.waited:
        tail[-1] += f", of which {args.waited} s waiting for a quiet machine"
tail.append("raw rows: " + ", ".join(f"`{x.split('/bench/')[-1] if '/bench/' in x else x}`" for x in args.tsv))
p("")
p("; ".join(tail) + ".")
print("\n".join(out))
