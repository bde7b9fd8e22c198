#!/usr/bin/env python3
"""apply-run.py: run `secport apply` and `patch -p1 -F2` on real Xen backports.

usage: apply-run.py SECPORT TSV OUT.jsonl
Environment: XEN_REPO (bare Xen clone), LIMIT (rows, default all), ROWS
(a regular expression on backport_sha, e.g. '^[0-7]' for the tuning half),
BENCH_WORK (scratch dir).

For each row (B, U): D = git diff --full-index -U3 U^ U; the tree T is
B^'s version of every file B or D touches, plus every file of B^ whose name
(basename) is one D touches, when every path D names is in B^: secport then
reads no other file.  When D names a path B^ lacks (a file moved, renamed,
added), T is the whole tree of B^ (~30 MB), since following a moved file
looks through the tree (for a file of that name, or a like name in the same
top directory) and a new file's directory may be missing.  Outcome, as in
the reference harness bench.py:
  exact              exit 0 and every file touched by both B and D equals B
                     (also every file B touched that the tool changed: a
                     file D names by its new path, followed to the old)
  wrong_place        exit 0, differs, and the tool made exactly the
                     backporter's line changes (same added and removed lines)
                     but somewhere else: the changed lines are misplaced
  applied_different  exit 0 and differs otherwise (adapted backports)
  failed             non-zero exit
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

SECPORT, TSV, OUT = sys.argv[1:4]
REPO = os.environ["XEN_REPO"]
LIMIT = int(os.environ.get("LIMIT", "0") or 0)
ROWS = re.compile(os.environ.get("ROWS", ""))
WORK = tempfile.mkdtemp(prefix="secport-bench-", dir=os.environ.get("BENCH_WORK"))
ENV = dict(os.environ, LC_ALL="C")
ENV.pop("POSIXLY_CORRECT", None)

def git(*a):
    return subprocess.run(["git", "--git-dir", REPO] + list(a), capture_output=True,
                          env=ENV, check=True).stdout

cat = subprocess.Popen(["git", "--git-dir", REPO, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV)

def blob(spec):
    cat.stdin.write(spec.encode() + b"\n"); cat.stdin.flush()
    hdr = cat.stdout.readline()
    if hdr.endswith(b" missing\n") or hdr.endswith(b" ambiguous\n"):
        return None
    _, typ, size = hdr.split()
    data = cat.stdout.read(int(size)); cat.stdout.read(1)
    return data if typ == b"blob" else None

def write_tree(d, files, modes):
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for p, c in files.items():
        if c is None:
            continue
        fp = os.path.join(d, p)
        os.makedirs(os.path.dirname(fp), exist_ok=True)
        if modes.get(p) == "120000":
            os.symlink(c, fp); continue
        with open(fp, "wb") as fh:
            fh.write(c)
        if modes.get(p) == "100755":
            os.chmod(fp, 0o755)

def read_tree(d, paths):
    r = {}
    for p in paths:
        fp = os.path.join(d, p)
        if os.path.islink(fp):
            r[p] = os.fsencode(os.readlink(fp))
        elif os.path.isfile(fp):
            r[p] = open(fp, "rb").read()
        else:
            r[p] = None
    return r

def changed_lines(a, b):
    pa, pb = WORK + "/.a", WORK + "/.b"
    open(pa, "wb").write(a or b""); open(pb, "wb").write(b or b"")
    o = subprocess.run(["diff", "-U0", "-a", pa, pb], capture_output=True).stdout
    plus, minus = [], []
    for line in o.split(b"\n"):
        if line.startswith(b"+") and not line.startswith(b"+++"):
            plus.append(line[1:])
        elif line.startswith(b"-") and not line.startswith(b"---"):
            minus.append(line[1:])
    return sorted(plus), sorted(minus)

def classify(rc, res, tfiles, bfiles, inter):
    if rc != 0:
        return "failed"
    # a file B changed that the tool changed too counts, though D names it
    # otherwise: a moved file followed (B's name is the tree's name)
    inter = sorted(set(inter) | set(p for p in bfiles if bfiles.get(p) != tfiles.get(p)
                                   and res.get(p) != tfiles.get(p)))
    if inter and all(res.get(p) == bfiles.get(p) for p in inter):
        return "exact"
    for p in inter:
        if res.get(p) != bfiles.get(p) and res.get(p) != tfiles.get(p):
            if changed_lines(tfiles.get(p), res.get(p)) == \
               changed_lines(tfiles.get(p), bfiles.get(p)):
                return "wrong_place"
    return "applied_different"

def names(out):
    f = out.split(b"\0"); res = []; i = 0
    while i < len(f) - 1:
        st = f[i].decode(); i += 1
        if st[0] in "RC":
            res += [f[i].decode(), f[i + 1].decode()]; i += 2
        else:
            res.append(f[i].decode()); i += 1
    return res

def do_row(row):
    B, U = row["backport_sha"], row["upstream_sha"]
    if len(git("rev-list", "--parents", "-n1", U).split()) != 2:
        return None
    T = B + "^"
    D = git("diff", "--full-index", "-U3", U + "^", U)
    dpaths = set(names(git("diff", "--name-status", "-z", U + "^", U)))
    bset = set(f for f in row["files_B"].split(";") if f)
    inter = sorted(bset & dpaths)
    union = sorted(bset | dpaths)
    base = set(os.path.basename(p) for p in dpaths)
    every = {}
    for ent in git("ls-tree", "-r", "-z", T).split(b"\0"):
        if not ent:
            continue
        meta, path = ent.split(b"\t", 1)
        meta = meta.split()
        if meta[1] == b"blob":
            every[path.decode("utf-8", "replace")] = meta[0].decode()
    whole = bool(dpaths - set(every))
    modes = {p: m for p, m in every.items()
             if whole or p in union or os.path.basename(p) in base}
    tpaths = sorted(set(union) | set(modes))
    tfiles = {p: blob(f"{T}:{p}") for p in tpaths}
    bfiles = {p: blob(f"{B}:{p}") for p in union}
    dp = WORK + "/D.patch"
    open(dp, "wb").write(D)
    rec = {"B": B, "whole_tree": whole}
    # secport
    d = WORK + "/s"; write_tree(d, tfiles, modes)
    t0 = time.perf_counter()
    p = subprocess.run([SECPORT, "apply", "--json", "--tree", d, "--patch", dp],
                       capture_output=True, env=ENV)
    rec["t_secport"] = time.perf_counter() - t0
    res = read_tree(d, union)
    rec["secport"] = classify(p.returncode, res, tfiles, bfiles, inter)
    rec["rc"] = p.returncode
    # files of D the backport left alone: the measure does not look at
    # them, but a change there may be a wrong place all the same
    rec["beyond_B"] = sorted(q for q in dpaths - bset
                             if q in res and res.get(q) != tfiles.get(q))
    try:
        js = json.loads(p.stdout)
        rec["tiers"] = [h["tier"] for f in js["files"] for h in f["hunks"]]
        rec["reasons"] = [h.get("reason") or f.get("reason") for f in js["files"]
                          for h in (f["hunks"] or [{}]) if h.get("tier", "failed") == "failed"
                          or f.get("reason")]
    except ValueError:
        rec["err"] = p.stderr.decode("utf-8", "replace")[-300:]
    # GNU patch on the same tree, for time (and outcome, as a check)
    d = WORK + "/p"; write_tree(d, tfiles, modes)
    t0 = time.perf_counter()
    p = subprocess.run(["patch", "-p1", "-f", "-F2", "--no-backup-if-mismatch",
                        "-s", "-i", dp], cwd=d, capture_output=True, env=ENV)
    rec["t_patch"] = time.perf_counter() - t0
    rec["patch_F2_now"] = classify(p.returncode, read_tree(d, union), tfiles, bfiles, inter)
    return rec

def main():
    rows = []
    with open(TSV) as fh:
        hdr = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(hdr, line.rstrip("\n").split("\t")))
            if ROWS.search(r["backport_sha"]):
                rows.append(r)
    if LIMIT:
        # a deterministic sample spread over the corpus
        step = max(1, len(rows) // LIMIT)
        rows = rows[::step][:LIMIT]
    with open(OUT, "w") as fo:
        for i, r in enumerate(rows):
            try:
                rec = do_row(r)
            except Exception as ex:
                rec = {"B": r["backport_sha"], "error": str(ex)[:300]}
            if rec is None:
                continue
            for k in ("advisory_ids", "same_patch_id", "git_apply", "git_apply_3way",
                      "patch_F2", "patch_F3", "patch_F2_wiggle", "cherry_pick"):
                rec[k] = r[k]
            fo.write(json.dumps(rec) + "\n"); fo.flush()
            if (i + 1) % 100 == 0:
                print(f"  {i + 1}/{len(rows)} rows", file=sys.stderr)
    shutil.rmtree(WORK, ignore_errors=True)

main()
