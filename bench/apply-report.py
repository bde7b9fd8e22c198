#!/usr/bin/env python3
"""apply-report.py OUT.jsonl: secport's outcomes beside the six baselines.

Groups: all rows, advisory-tagged rows (advisory_ids != "-"), adapted rows
(same_patch_id = 0); each also split into the tuning half (backport_sha
0-7) and the held-out half (8-f).  Baseline outcomes come from the TSV
(measured by the reference harness); patch_F2_now is GNU patch rerun here.
"""
import json, sys

TOOLS = ["secport", "patch_F2_now", "git_apply", "git_apply_3way", "patch_F2",
         "patch_F3", "patch_F2_wiggle", "cherry_pick"]
CLASSES = ["exact", "applied_different", "wrong_place", "failed"]

recs = [json.loads(l) for l in open(sys.argv[1])]
recs = [r for r in recs if "secport" in r]
errs = sum(1 for r in open(sys.argv[1]) if '"error"' in r)

def table(title, rows):
    if not rows:
        return
    print(f"\n{title}: {len(rows)} rows")
    print(f"  {'tool':<16}" + "".join(f"{c:>19}" for c in CLASSES))
    for t in TOOLS:
        cells = []
        for c in CLASSES:
            n = sum(1 for r in rows if r.get(t) == c)
            cells.append(f"{n:>6} {100.0 * n / len(rows):6.1f}%    ")
        print(f"  {t:<16}" + "".join(f"{x:>19}" for x in cells))
    anyx = sum(1 for r in rows if any(r.get(t) == "exact" for t in TOOLS[2:]))
    print(f"  {'any of six':<16}{anyx:>6} {100.0 * anyx / len(rows):6.1f}%")

tune = lambda r: r["B"][0] in "01234567"
for name, sel in (("all rows", lambda r: True),
                  ("advisory-tagged rows", lambda r: r["advisory_ids"] != "-"),
                  ("adapted rows (same_patch_id = 0)", lambda r: r["same_patch_id"] == "0")):
    rows = [r for r in recs if sel(r)]
    table(name, rows)
    table(name + ", tuning half (B 0-7)", [r for r in rows if tune(r)])
    table(name + ", held-out half (B 8-f)", [r for r in rows if not tune(r)])

ts = sorted(r["t_secport"] for r in recs)
tp = sorted(r["t_patch"] for r in recs)
if ts:
    print(f"\ntime per row: secport mean {1000 * sum(ts) / len(ts):.1f} ms "
          f"(median {1000 * ts[len(ts) // 2]:.1f}, max {1000 * ts[-1]:.0f}); "
          f"patch -F2 mean {1000 * sum(tp) / len(tp):.1f} ms "
          f"(median {1000 * tp[len(tp) // 2]:.1f}); ratio "
          f"{sum(ts) / max(sum(tp), 1e-9):.2f}")
tiers = {}
for r in recs:
    for t in r.get("tiers", []):
        tiers[t] = tiers.get(t, 0) + 1
print("secport hunk tiers: " + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items(), key=lambda x: -x[1])))
wrong = [r["B"][:10] for r in recs if r.get("secport") == "wrong_place"]
if wrong:
    print("secport wrong-place rows (audit by hand; keep confirmed ones in "
          "tests/place/): " + " ".join(wrong))
beyond = [r["B"][:10] for r in recs
          if r.get("secport") == "exact" and r.get("beyond_B")]
if beyond:
    print(f"exact rows where secport also changed a file of the upstream fix "
          f"that the backport left alone (the measure does not compare it; "
          f"audit by hand): {len(beyond)}: " + " ".join(beyond))
if errs:
    print(f"rows skipped by harness errors: {errs}")
