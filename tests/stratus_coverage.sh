#!/bin/sh
# stratus_coverage.sh - TAP: every Stratus Red Team technique is caught by a targeted step.
#
# Stratus Red Team (DataDog/stratus-red-team, Apache-2.0) publishes one CloudTrail detonation
# log per AWS attack technique: $SHARED_DATA/datasets/stratus-red-team/detonation-logs/*.json
# (one JSON array per technique, anonymized accounts and regions). For each technique file,
# every runbook of runbooks/ is run headless over that file alone:
#
#   trailguide run -q -f json --now latest --runbooks runbooks/ RUNBOOK FILE
#
# --now latest pins "now" to the newest event of the file, so the runbook's own window (24h,
# 48h, 7d...) reaches back from the detonation and covers all of it (a detonation lasts
# minutes); nothing depends on today's date. A technique is caught by a step when that
# findings step returns at least one row.
#
# A findings step is TARGETED unless its query uses a lookback stage (first-seen, dormant or
# spike): those are generic ("something new / back / more than usual") and fire on any
# detonation in an empty account, so they say nothing about the technique. Context steps
# never count. No step may key on the Stratus user agent ("stratus-red-team_..."): coverage
# must come from what the technique does, not from the tool's name.
#
# Fails when: a technique has no targeted step; a runbook fails to run; a runbook mentions
# "stratus"; or docs/stratus-coverage.md is not what this run produces (so a step that stops
# catching a technique fails here). Refresh the document with
#   sh tests/stratus_coverage.sh --write     (or TG_ACCEPT=1)
# Skipped, saying so, when the shared data is absent.
. "${top_srcdir:-.}/tests/lib.sh"
heavy_test

WRITE=${TG_ACCEPT:-}
[ "${1:-}" = "--write" ] && WRITE=1
S=${SHARED_DATA:-$top_srcdir/../shared/data}
DS="$S/datasets/stratus-red-team"
RB="$top_srcdir/runbooks"
DOC="$top_srcdir/docs/stratus-coverage.md"
[ -d "$DS/detonation-logs" ] || skip_all "no Stratus Red Team detonation logs at $DS/detonation-logs (set SHARED_DATA to the shared data directory)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to read the JSON output"
[ -x "$TG" ] || skip_all "no $TG"

bad=$(grep -ril stratus "$RB" 2>/dev/null | sed "s|^$RB/||" | tr '\n' ' ')
is "$bad" "" "no runbook or list keys on the Stratus Red Team name or user agent"

cat >"$TMP/coverage.py" <<'EOF'
import glob, json, os, re, subprocess, sys
tg, ds, rb_dir, out_doc = sys.argv[1:5]

LOOKBACK = re.compile(r"\|\s*(first-seen|dormant|spike)\b", re.I)

def steps_of(path):
    """(title, kind, query) of every step of a runbook, read from its Markdown."""
    steps, title, fence, kind, buf = [], None, None, None, []
    for line in open(path, encoding="utf-8"):
        s = line.rstrip("\n")
        if fence:
            if s.strip().startswith(fence) and s.strip().strip(fence[0]) == "":
                steps.append((title, kind, "\n".join(buf)))
                fence = None
            else:
                buf.append(s)
            continue
        m = re.match(r"^(```+|~~~+)\s*query\b\s*(\w*)", s)
        if m and title is not None:
            fence, kind, buf = m.group(1), (m.group(2) or "context"), []
            continue
        if s.startswith("## "):
            title = s[3:].strip()
    return steps

runbooks = {}
for path in sorted(glob.glob(os.path.join(rb_dir, "*", "*.md"))):
    rid = None
    for line in open(path, encoding="utf-8"):
        if line.startswith("id: "):
            rid = line[4:].strip()
            break
    kinds = {}
    for title, kind, q in steps_of(path):
        if kind == "findings":
            kinds[title] = "generic" if LOOKBACK.search(q) else "targeted"
    runbooks[rid] = (path, kinds)

files = sorted(glob.glob(os.path.join(ds, "detonation-logs", "*.json")))
meta = {}
tpath = os.path.join(ds, "techniques_aws.json")
if os.path.exists(tpath):
    for t in json.load(open(tpath)):
        meta[t["technique_id"]] = t

rows, failures = [], []
for f in files:
    tech = os.path.basename(f)[:-5]
    nev = len(json.load(open(f)))
    targeted, generic = [], []
    for rid, (path, kinds) in sorted(runbooks.items()):
        r = subprocess.run([tg, "run", "-q", "-j", "1", "-f", "json", "--now", "latest",
                            "--runbooks", rb_dir, path, f],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if r.returncode != 0:
            failures.append("%s on %s: exit %d: %s" % (rid, tech, r.returncode, r.stderr.strip()[:200]))
            continue
        for st in json.loads(r.stdout)["steps"]:
            if st["kind"] != "findings" or st["count"] == 0:
                continue
            cls = kinds.get(st["title"], "targeted")
            (targeted if cls == "targeted" else generic).append("%s: %s" % (rid, st["title"]))
    rows.append((tech, nev, targeted, generic))

n_t = sum(1 for r in rows if r[2])
n_g = sum(1 for r in rows if not r[2] and r[3])
n_n = sum(1 for r in rows if not r[2] and not r[3])
out = []
w = out.append
w("# Stratus Red Team coverage")
w("")
w("Generated by `tests/stratus_coverage.sh` (refresh with `sh tests/stratus_coverage.sh --write`);")
w("the test fails when a technique is not caught by a targeted step, or when this file is not")
w("what the runbooks produce today (so a step that stops catching a technique fails the test).")
w("")
w("Stratus Red Team (DataDog/stratus-red-team, Apache-2.0) publishes the CloudTrail events of one")
w("detonation per AWS attack technique (anonymized: fake accounts and regions). Every runbook of")
w("`runbooks/` is run over each technique's file alone, with `--now latest` so that the runbook's")
w("own window reaches back from the detonation. A technique is caught by a step when that")
w("findings step returns at least one row.")
w("")
w("A findings step is **targeted** unless its query has a lookback stage (`first-seen`, `dormant`")
w("or `spike`): those are **generic** anomaly steps, which fire on any detonation in an account")
w("with no history, and say nothing about the technique. Context steps never count. No step keys")
w("on the Stratus user agent (`stratus-red-team_...`); the test checks that no runbook names it.")
w("The sample's allow-lists (`@approved-provisioners`, `@known-accounts`, ...) hold the bundled")
w("sample's principals, so every principal of a detonation is \"outside the pipeline\" here.")
w("")
w("**Techniques: %d. Caught by a targeted step: %d. By generic steps only: %d. By nothing: %d.**"
  % (len(rows), n_t, n_g, n_n))
w("")
w("| technique | events | targeted finding steps (runbook: step) | generic steps |")
w("| --- | --- | --- | --- |")
for tech, nev, targeted, generic in rows:
    w("| `%s` | %d | %s | %d |" % (tech, nev, "<br>".join("`%s`: %s" % tuple(s.split(": ", 1)) for s in targeted) or "**none**", len(generic)))
w("")
w("Before issue 11 the library caught 17 techniques with a targeted step, 16 with generic steps")
w("only and 2 with nothing (the same rule, measured by this script).")
w("")
w("Steps that read a list of rules or statements with a regular expression over the JSON text,")
w("until the query language has any-element paths (`items[].cidrIp`): `anomaly/network-exposure`:")
w("Rules open to the whole internet (`requestParameters.ipPermissions`), and")
w("`exfiltration/s3-bucket-exposure`: Buckets opened to everyone (`requestParameters.bucketPolicy`).")
w("`microservices/snapshot-ami-sharing` still reads the first two entries of a permission list by index.")
missing = [t for t in sorted(meta) if not os.path.exists(os.path.join(ds, "detonation-logs", t + ".json"))]
if missing:
    w("")
    w("Techniques Stratus lists without a detonation log (not measured): %s." % ", ".join("`%s`" % t for t in missing))
with open(out_doc, "w") as fh:
    fh.write("\n".join(out) + "\n")
for msg in failures:
    print("FAIL " + msg)
for tech, nev, targeted, generic in rows:
    print("%s %s\t%d targeted\t%d generic" % ("PASS" if targeted else "MISS", tech, len(targeted), len(generic)))
print("SUMMARY %d %d %d %d" % (len(rows), n_t, n_g, n_n))
EOF

python3 "$TMP/coverage.py" "$TG" "$DS" "$RB" "$TMP/doc.md" >"$TMP/res" 2>"$TMP/err"
is "$?" 0 "the coverage driver runs" || sed 's/^/#   /' "$TMP/err" | head -n 20
grep '^FAIL ' "$TMP/res" | sed 's/^FAIL /#   /'
is "$(grep -c '^FAIL ' "$TMP/res")" 0 "every runbook runs on every technique file"
n=$(grep -c '^PASS \|^MISS ' "$TMP/res")
[ "$n" -ge 35 ]
ok $? "at least 35 technique files ($n)"
while IFS= read -r line; do
	case "$line" in
	PASS*) ok 0 "${line#PASS }" ;;
	MISS*) ok 1 "no targeted step catches ${line#MISS }" ;;
	esac
done <"$TMP/res"
set -- $(sed -n 's/^SUMMARY //p' "$TMP/res")
echo "# techniques $1: targeted $2, generic only $3, none $4"
if [ -n "$WRITE" ]; then
	cp "$TMP/doc.md" "$DOC"
	echo "# wrote $DOC"
fi
diff -u "$DOC" "$TMP/doc.md" >"$TMP/diff" 2>&1
ok $? "docs/stratus-coverage.md is what the runbooks produce (refresh: sh tests/stratus_coverage.sh --write)" ||
	head -n 40 "$TMP/diff" | sed 's/^/#   /'
done_testing
