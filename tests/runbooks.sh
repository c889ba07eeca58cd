#!/bin/sh
# runbooks.sh - TAP: the runbook library proves itself on the bundled sample.
#
# For every runbook in runbooks/, run it headless over the sample (trailguide run --format
# json) and check, against the machine-readable ground truth samples/truth.tsv:
#   - its findings steps return every planted event of the incident it targets (the SPEC
#     below says which incident, and which of its events the runbook can see);
#   - its findings steps return none of the benign lookalikes planted beside that incident,
#     nor any other incident's lookalikes;
#   - table steps (spike) flag the planted bucket, where the SPEC names one.
# Context steps are never asserted on: they show what to look at, lookalikes included.
# Also: trailguide lint is clean over runbooks/, every runbook has findings and context
# steps and a respond action, and every runbook in the directory has a SPEC line.
. "${top_srcdir:-.}/tests/lib.sh"

RB="$top_srcdir/runbooks"
TRUTH="$top_srcdir/samples/truth.tsv"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to read the JSON output"
[ -f "$TRUTH" ] || skip_all "no $TRUTH"
[ -x "$TG" ] || skip_all "no $TG"

# SPEC: runbook id, incident, which planted events the findings must return, table checks.
#   all              every planted event of the incident
#   inwindow         the planted events inside the run's window (earlier ones are history
#                    the lookback stages read, not findings)
#   principal=P      the planted events of principal P
#   event=E          the planted events named E
#   ids=A,B          these planted event IDs
#   none             no incident in the sample (incident 0): only the lookalike checks apply
# Table checks (optional, ';'-separated): STEP TITLE|col=value,col=value  -- some row of that
# findings step has these values (count=N means at least N).
cat >"$TMP/spec" <<'EOF'
provisioning/new-iam-users	1	all
provisioning/permission-changes	2	all
provisioning/dormant-reactivated	3	inwindow
provisioning/orphaned-identities	4	all
anomaly/root-activity	5	principal=arn:aws:iam::111122223333:root
anomaly/console-login-failures	5	all
anomaly/external-assume-role	6	all
anomaly/off-schedule-access-keys	7	all
anomaly/iam-change-spike	8	all	Hours with far more IAM changes outside the pipeline than usual|time=2026-11-18T02:00:00Z,count=40
anomaly/cloudtrail-tampering	9	all
microservices/secret-access-chain	10	all
microservices/service-activity	10	event=GetSecretValue
anomaly/first-seen-activity	11	all
microservices/snapshot-ami-sharing	12	all
microservices/privileged-role-changes	13	event=UpdateAssumeRolePolicy
microservices/error-and-invocation-spikes	13	event=Decrypt	Error spikes per service role|role=arn:aws:iam::111122223333:role/reporting-worker,error=AccessDenied,time=2026-11-19T16:00:00Z,count=60;Invocation spikes per function|requestParameters.functionName=arn:aws:lambda:us-east-1:111122223333:function:orders-processor,time=2026-11-19T16:30:00Z,count=240
credential-compromise/suspect-access-key	14	all
credential-compromise/attack-tool-user-agents	14	all
credential-compromise/key-new-network	14	ids=505837d2-7464-498b-9d33-8af686384cf9
credential-compromise/exposed-key-quarantine	0	none
anomaly/network-exposure	0	none
credential-compromise/secrets-bulk-read	0	none
execution/instance-remote-access	0	none
execution/instance-tampering	0	none
execution/bedrock-model-abuse	0	none
persistence/lambda-changes	0	none
persistence/alternate-credentials	0	none
exfiltration/s3-bucket-exposure	0	none
EOF

cat >"$TMP/check.py" <<'EOF'
import json, sys
spec_line, truth_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
f = spec_line.rstrip("\n").split("\t")
rid, inc, sel = f[0], int(f[1]), f[2]
tables = [t for t in (f[3].split(";") if len(f) > 3 else []) if t]
truth = []
for line in open(truth_path):
    if line.startswith("#"):
        continue
    t = line.rstrip("\n").split("\t")
    truth.append({"inc": int(t[0]), "role": t[1], "id": t[2], "time": t[3], "event": t[4], "principal": t[5]})
d = json.load(open(out_path))
since, until = d["window"]["since"], d["window"]["until"]
found = {}
for st in d["steps"]:
    if st["kind"] != "findings":
        continue
    for row in st["rows"]:
        eid = row.get("eventID")
        if eid:
            found.setdefault(eid, st["title"])
planted = [t for t in truth if t["inc"] == inc and t["role"] == "planted"]
if sel == "all":
    want = planted
elif sel == "inwindow":
    want = [t for t in planted if (since is None or t["time"] >= since[:19]) and (until is None or t["time"] <= until[:19])]
elif sel.startswith("principal="):
    want = [t for t in planted if t["principal"] == sel[10:]]
elif sel.startswith("event="):
    want = [t for t in planted if t["event"] == sel[6:]]
elif sel.startswith("ids="):
    ids = sel[4:].split(",")
    want = [t for t in planted if t["id"] in ids]
elif sel == "none":
    want = []
else:
    print("FAIL bad selector " + sel)
    sys.exit(0)
fail = []
if not want and sel != "none":
    fail.append("the selector matches no planted event")
missing = [t for t in want if t["id"] not in found]
for t in missing[:10]:
    fail.append("missing planted %s %s %s %s" % (t["id"], t["time"], t["event"], t["principal"]))
look_own = [t for t in truth if t["role"] == "lookalike" and t["id"] in found and t["inc"] == inc]
look_other = [t for t in truth if t["role"] == "lookalike" and t["id"] in found and t["inc"] != inc]
for t in look_own + look_other:
    fail.append("lookalike of incident %d flagged by step '%s': %s %s %s" % (t["inc"], found[t["id"]], t["id"], t["event"], t["principal"]))
for tc in tables:
    title, conds = tc.split("|", 1)
    kv = dict(c.split("=", 1) for c in conds.split(","))
    steps = [s for s in d["steps"] if s["title"] == title]
    if not steps:
        fail.append("no step titled '%s'" % title)
        continue
    if steps[0]["kind"] != "findings":
        fail.append("step '%s' is not a findings step" % title)
    def match(row):
        for k, v in kv.items():
            got = row.get(k)
            if k == "count":
                if got is None or float(got) < float(v):
                    return False
            elif str(got) != v:
                return False
        return True
    if not any(match(r) for r in steps[0]["rows"]):
        fail.append("step '%s' has no row with %s (rows: %s)" % (title, conds, json.dumps(steps[0]["rows"])[:300]))
kinds = set(s["kind"] for s in d["steps"])
if kinds != {"findings", "context"}:
    fail.append("step kinds are %s, want findings and context steps" % sorted(kinds))
summary = "%s: no sample incident, %d lookalikes flagged" % (rid, len(look_own) + len(look_other)) if sel == "none" else \
    "%s: incident %d, %d/%d planted (%s) in findings, %d lookalikes flagged%s" % (
    rid, inc, len(want) - len(missing), len(want), sel.split("=")[0], len(look_own) + len(look_other),
    ", %d table checks" % len(tables) if tables else "")
print(("FAIL " if fail else "PASS ") + summary)
for m in fail:
    print("# " + m)
EOF

# --- lint is clean ----------------------------------------------------------------------
# List expiry is judged at --now, pinned to the sample's end (the date the runbooks run at
# on the sample), so this does not change with the wall clock.
lint=$("$TG" lint --now 2026-11-20 "$RB" 2>&1)
rc=$?
is "$rc" 0 "trailguide lint runbooks/ exits 0"
if printf '%s\n' "$lint" | grep -Eq ': (error|warning): '; then
	ok 1 "trailguide lint runbooks/ reports no errors or warnings"
	printf '%s\n' "$lint" | grep -E ': (error|warning): ' | head -n 20 | sed 's/^/#   /'
else
	ok 0 "trailguide lint runbooks/ reports no errors or warnings"
fi

# --- the library's shape ----------------------------------------------------------------
ids=$(cd "$RB" && for f in */*.md; do sed -n 's/^id: //p' "$f" | head -n 1; done | sort)
n=$(printf '%s\n' "$ids" | grep -c .)
[ "$n" -ge 15 ]
ok $? "at least 15 runbooks ($n)"
for d in provisioning anomaly microservices credential-compromise; do
	c=$(ls "$RB/$d"/*.md 2>/dev/null | wc -l)
	[ "$c" -ge 3 ]
	ok $? "runbooks/$d holds at least 3 runbooks ($c)"
done
spec_ids=$(cut -f1 "$TMP/spec" | sort)
is "$spec_ids" "$ids" "every runbook has a line in the SPEC of tests/runbooks.sh, and no other"
for f in "$RB"/*/*.md; do
	id=$(sed -n 's/^id: //p' "$f" | head -n 1)
	case "$f" in */"$id".md) r=0 ;; *) r=1 ;; esac
	ok $r "$id: file name matches the id"
done
bad=""
for f in "$RB"/*/*.md; do
	grep -q '^> respond: ' "$f" || bad="$bad $(basename "$f")"
done
is "$bad" "" "every runbook has a respond action"
for l in "$RB"/lists/*; do
	b=$(grep -v '^#' "$l" | grep -v '^[[:space:]]*$' | grep -Ev '\| owner=[^|]+ \| reason=[^|]+( \| expires=[0-9]{4}-[0-9]{2}-[0-9]{2})?$' | head -n 1)
	is "$b" "" "lists/$(basename "$l"): every entry has owner, reason (and a date if it expires)"
done
# A dated entry in the shipped library would expire for everyone who installs it later
# (lint warns, the entry stops matching on their logs): the bundled lists carry none.
is "$(grep -l '^[^#].*| expires=' "$RB"/lists/* 2>/dev/null)" "" "the bundled lists have no expiring entries"

# --- every runbook on the sample --------------------------------------------------------
while IFS= read -r line; do
	id=${line%%	*}
	out="$TMP/$(printf '%s' "$id" | tr / _).json"
	"$TG" run -q --format json --runbooks "$RB" "$id" >"$out" 2>"$out.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		ok 1 "$id: runs on the sample (exit $rc)"
		sed 's/^/#   /' "$out.err" | head -n 10
		continue
	fi
	res=$(python3 "$TMP/check.py" "$line" "$TRUTH" "$out" 2>&1)
	case "$res" in
	PASS*) ok 0 "$(printf '%s\n' "${res#PASS }" | head -n 1)" ;;
	*)
		ok 1 "$(printf '%s\n' "${res#FAIL }" | head -n 1)"
		printf '%s\n' "$res" | sed -n '2,$p'
		;;
	esac
done <"$TMP/spec"

# --- request forms the sample does not hold (synthetic records, written here) --------------
# "Rules open to the whole internet" reads the flat form (requestParameters.cidrIp) and every
# rule and range of requestParameters.ipPermissions, not only the first; "Buckets opened to
# everyone" reads the policy document. Until the query language has any-element paths
# (ipPermissions.items[].ipRanges.items[].cidrIp), these steps match the JSON text with a regex.
rec() { # rec ID SOURCE EVENT REQUEST-PARAMETERS-JSON
	printf '{"eventVersion":"1.08","eventTime":"2026-11-19T12:00:%02dZ","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"aws-cli/2","eventID":"%s","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x"},"requestParameters":%s}\n' \
		"${1#e}" "$2" "$3" "$1" "$4"
}
{
	rec e01 ec2.amazonaws.com AuthorizeSecurityGroupIngress '{"groupId":"sg-1","cidrIp":"0.0.0.0/0","fromPort":22,"toPort":22,"ipProtocol":"tcp","ipPermissions":{}}'
	rec e02 ec2.amazonaws.com AuthorizeSecurityGroupIngress '{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}},{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"},{"cidrIp":"0.0.0.0/0"}]}}]}}'
	rec e03 ec2.amazonaws.com AuthorizeSecurityGroupIngress '{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]}}]}}'
	rec e04 ec2.amazonaws.com AuthorizeSecurityGroupIngress '{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/10"},{"cidrIp":"192.0.2.0/24"}]}}]}}'
	rec e05 ec2.amazonaws.com AuthorizeSecurityGroupIngress '{"groupId":"sg-1","cidrIp":"198.51.100.0/24","fromPort":22,"toPort":22,"ipProtocol":"tcp"}'
	rec e06 s3.amazonaws.com PutBucketPolicy '{"bucketName":"b","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:GetObject","Resource":"*"}]}}'
	rec e07 s3.amazonaws.com PutBucketPolicy '{"bucketName":"b","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}]}}'
} >"$TMP/forms.ndjson"
forms() { # forms RUNBOOK STEP-TITLE -> the eventIDs the step returns, space-separated
	"$TG" run -q -f json --now latest --runbooks "$RB" "$1" "$TMP/forms.ndjson" 2>&1 |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(r["eventID"] for s in d["steps"] if s["title"]==sys.argv[1] for r in s["rows"]))' "$2"
}
is "$(forms anomaly/network-exposure 'Rules open to the whole internet')" "e01 e02 e03" \
	"open to the internet: the flat cidrIp form, a /0 in the second rule's second range, ::/0; not /10, /24"
is "$(forms exfiltration/s3-bucket-exposure 'Buckets opened to everyone')" "e06" \
	"bucket policy: a \"*\" principal in a later statement; a service principal alone is not public"

done_testing
