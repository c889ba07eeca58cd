#!/bin/sh
# panther_fidelity.sh - TAP: the runbook library agrees with Panther's CloudTrail rule tests.
#
# tests/panther_map.tsv maps runbook steps to Panther rules (panther-labs/panther-analysis,
# copied with their unit tests to $SHARED_DATA/panther/rules/*.events.json). For each mapped
# rule, each unit test's `log` is written as a one-event CloudTrail file, the runbook is run
# over it (window wide open), and the step's verdict (at least one row) is compared with the
# test's expected_result.
#
# Fails when: a disagreement has no `why` line in panther_map.tsv; overall agreement over the
# covered rules drops below 95%; or docs/panther-fidelity.md is not what this run produces
# (refresh it with TG_ACCEPT=1 make check TESTS=tests/panther_fidelity.sh, or run this script
# with TG_ACCEPT=1). Skipped when the shared data is absent.
. "${top_srcdir:-.}/tests/lib.sh"
heavy_test

SHARED=${SHARED_DATA:-$top_srcdir/../shared/data}
RULES="$SHARED/panther/rules"
MAP="$top_srcdir/tests/panther_map.tsv"
DOC="$top_srcdir/docs/panther-fidelity.md"
RB="$top_srcdir/runbooks"
[ -d "$RULES" ] || skip_all "no Panther rule tests at $RULES (set SHARED_DATA to the shared data directory)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to read the rule tests"
[ -x "$TG" ] || skip_all "no $TG"

cat >"$TMP/fidelity.py" <<'EOF'
import json, os, subprocess, sys
tg, rules_dir, map_path, rb_dir, tmp, doc_out = sys.argv[1:7]
maps, whys, nears = [], {}, {}
for n, line in enumerate(open(map_path), 1):
    if not line.strip() or line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[0] == "map" and len(f) == 4:
        maps.append((f[1], f[2], f[3]))
    elif f[0] == "near" and len(f) == 5:
        maps.append((f[1], f[2], f[3]))
        nears[f[1]] = f[4]
    elif f[0] == "why" and len(f) == 4:
        whys[(f[1], f[2])] = f[3]
    else:
        print("BAD %s:%d: expected map or why with 3 fields" % (map_path, n))

def verdict(rid, title, log, path):
    with open(path, "w") as fh:
        json.dump({"Records": [log]}, fh)
    r = subprocess.run([tg, "run", "-q", "--format", "json", "--runbooks", rb_dir,
                        "--since", "1970-01-01T00:00:00Z", "--until", "2100-01-01T00:00:00Z",
                        "--now", "2026-11-20T00:00:00Z", rid, path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        return None, "exit %d: %s" % (r.returncode, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "")
    d = json.loads(r.stdout)
    st = [s for s in d["steps"] if s["title"] == title]
    if not st:
        return None, "no step titled '%s' in %s" % (title, rid)
    return st[0]["count"] > 0, ""

# several map lines for one rule: the verdict is "any of those steps returned rows"
order, steps_of = [], {}
for rule_file, rid, title in maps:
    if rule_file not in steps_of:
        order.append(rule_file)
        steps_of[rule_file] = []
    steps_of[rule_file].append((rid, title))
results = []  # (rule file, rule id, commit, runbooks, steps, [(test name, expected, got, note)])
k = 0
for rule_file in order:
    d = json.load(open(os.path.join(rules_dir, rule_file)))
    tests = []
    for t in d["tests"]:
        got, errs = False, []
        for rid, title in steps_of[rule_file]:
            k += 1
            g, err = verdict(rid, title, t["log"], os.path.join(tmp, "ev%d.json" % k))
            if g is None:
                errs.append(err)
            elif g:
                got = True
        if errs and not got:
            got = None
        tests.append((t["name"], bool(t["expected_result"]), got, "; ".join(errs)))
    rids = sorted(set(r for r, _ in steps_of[rule_file]))
    desc = " or ".join("`%s`: %s" % st for st in steps_of[rule_file])
    results.append((rule_file, d["rule_id"], d.get("source_commit", ""), ", ".join(rids), desc, tests))

# TAP lines, one per rule: ok unless a disagreement is unexplained
total = agree = 0
unexplained = []
for rule_file, rule_id, commit, rid, title, tests in results:
    a = sum(1 for _, e, g, _ in tests if g == e)
    if rule_file in nears:
        print("PASS %s -> %s: %d/%d agree (related rule, not counted)" % (rule_id, title.replace("`", ""), a, len(tests)))
        continue
    total += len(tests)
    agree += a
    bad = [(n, e, g, err) for n, e, g, err in tests if g != e and (rule_file, n) not in whys]
    unexplained += [(rule_file,) + b for b in bad]
    print("%s %s -> %s: %d/%d agree%s" % ("PASS" if not bad else "FAIL", rule_id, title.replace("`", ""), a, len(tests),
          "" if not bad else "; unexplained: " + "; ".join("%s (Panther %s, step %s%s)" % (n, e, g, ", " + err if err else "") for n, e, g, err in bad)))
for (rf, n) in sorted(whys):
    if not any(r[0] == rf and any(t[0] == n and t[1] != t[2] for t in r[5]) for r in results):
        print("FAIL stale why line (no such disagreement): %s / %s" % (rf, n))
pct = 100.0 * agree / total if total else 0.0
print("TOTAL %d %d %.1f" % (agree, total, pct))

# the document
commits = sorted(set(r[2] for r in results if r[2]))
L = []
L.append("# Fidelity against Panther's CloudTrail rule tests")
L.append("")
L.append("Generated by `tests/panther_fidelity.sh` (refresh with `TG_ACCEPT=1 sh tests/panther_fidelity.sh`);")
L.append("the test fails when this file is stale, when a disagreement is not explained in")
L.append("`tests/panther_map.tsv`, or when agreement drops below 95%.")
L.append("")
L.append("Panther's detection rules (panther-labs/panther-analysis%s, Apache-2.0) ship unit tests:" %
         (" @ " + ", ".join(c[:12] for c in commits) if commits else ""))
L.append("CloudTrail events with the verdict the rule must give. For each rule that a step of our")
L.append("library honestly corresponds to, each test event is written to a one-event CloudTrail file and")
L.append("the runbook is run over it with the window wide open; the step's verdict is \"returned at least")
L.append("one row\". Panther's rules are Python with lookups and thresholds, ours are queries; the")
L.append("disagreements below are differences of intent, each explained. Our steps use the library's")
L.append("lists (`@approved-provisioners`, `@known-accounts`, ...), which hold the bundled sample's")
L.append("principals and accounts, not Panther's test accounts: every principal in Panther's events is")
L.append("\"outside the pipeline\" for us, which is the right reading for these tests.")
L.append("")
counted = [r for r in results if r[0] not in nears]
related = [r for r in results if r[0] in nears]
L.append("**Covered rules: %d. Tests: %d. Agreement: %d/%d = %.1f%%.**" % (len(counted), total, agree, total, pct))
L.append("")
L.append("| Panther rule | runbook step(s) | tests | agree | % |")
L.append("| --- | --- | --- | --- | --- |")
for rule_file, rule_id, commit, rid, title, tests in counted:
    a = sum(1 for _, e, g, _ in tests if g == e)
    L.append("| `%s` | %s | %d | %d | %.0f |" % (rule_id, title, len(tests), a, 100.0 * a / len(tests)))
L.append("")
L.append("## Disagreements")
L.append("")
dis = [(r, t) for r in counted for t in r[5] if t[1] != t[2]]
if not dis:
    L.append("None.")
else:
    L.append("| Panther rule | test | Panther | step | why |")
    L.append("| --- | --- | --- | --- | --- |")
    for r, t in dis:
        L.append("| `%s` | %s | %s | %s | %s |" % (r[1], t[0].replace("|", "\\|"), "alert" if t[1] else "no alert",
                 "rows" if t[2] else ("error" if t[2] is None else "no rows"), whys.get((r[0], t[0]), "**unexplained**")))
L.append("")
L.append("## Related rules, not counted")
L.append("")
L.append("These rules are close to a step of ours, but their deciding test is something the query")
L.append("language or the library's approach does not express. They are run and shown, not counted.")
L.append("")
L.append("| Panther rule | nearest step | tests | agree | why not counted |")
L.append("| --- | --- | --- | --- | --- |")
for rule_file, rule_id, commit, rid, title, tests in related:
    a = sum(1 for _, e, g, _ in tests if g == e)
    L.append("| `%s` | %s | %d | %d | %s |" % (rule_id, title, len(tests), a, nears[rule_file]))
L.append("")
L.append("## Not mapped")
L.append("")
L.append("The other Panther CloudTrail rules have no step in the library that does the same thing, or")
L.append("they cannot be judged one event at a time: threshold and correlation rules (password spraying,")
L.append("brute force, many secrets retrieved, recon bursts) whose unit tests exercise only the per-event")
L.append("predicate, while our steps look at the burst itself (sequence, spike); rules that need")
L.append("enrichment lookups (GeoIP, GreyNoise, OTX, DynamoDB caches); and services the library does not")
L.append("cover yet (S3 bucket policies and encryption, RDS, Lambda, SES, Bedrock, WAF rules, SSM, ECR).")
L.append("")
open(doc_out, "w").write("\n".join(L))
EOF

mkdir -p "$TMP/ev"
python3 "$TMP/fidelity.py" "$TG" "$RULES" "$MAP" "$RB" "$TMP/ev" "$TMP/panther-fidelity.md" >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc" 0 "the fidelity run completes"
[ $rc -eq 0 ] || sed 's/^/#   /' "$TMP/err" | tail -n 10

while IFS= read -r line; do
	case "$line" in
	PASS*) ok 0 "${line#PASS }" ;;
	FAIL* | BAD*) ok 1 "${line#* }" ;;
	TOTAL*)
		set -- $line
		agree=$2 total=$3 pct=$4
		;;
	esac
done <"$TMP/out"

if [ -n "${total:-}" ] && [ "$total" -gt 0 ]; then
	# agreement >= 95%, in integers: 100*agree >= 95*total
	[ $((100 * agree)) -ge $((95 * total)) ]
	ok $? "overall agreement over the covered rules is at least 95% ($agree/$total = $pct%)"
else
	ok 1 "overall agreement could not be computed"
fi

if [ "${TG_ACCEPT:-0}" = 1 ]; then
	mkdir -p "$(dirname "$DOC")"
	cp "$TMP/panther-fidelity.md" "$DOC"
	ok $? "wrote $DOC (TG_ACCEPT=1)"
elif cmp -s "$TMP/panther-fidelity.md" "$DOC"; then
	ok 0 "docs/panther-fidelity.md is up to date"
else
	ok 1 "docs/panther-fidelity.md is up to date (refresh with TG_ACCEPT=1)"
	diff "$DOC" "$TMP/panther-fidelity.md" 2>&1 | head -n 20 | sed 's/^/#   /'
fi

done_testing
