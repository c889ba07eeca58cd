#!/bin/sh
# sigma_cli.sh - TAP: `trailguide sigma` on the fixtures (files, directories, JSON, refusals,
# -o, lint of what it writes, the sweep, exit codes, escaping), then, when $SHARED_DATA is
# there, the SigmaHQ CloudTrail catalog: what converts, that every refusal says why, that
# the runbooks lint clean, that converted rules fire on the Stratus Red Team detonation of
# their technique (and not on an unrelated one), and that docs/sigma.md is current
# (TG_ACCEPT=1 rewrites it).
. "${top_srcdir:-.}/tests/lib.sh"

FX="$top_srcdir/tests/fixtures/sigma"
[ -x "$TG" ] || skip_all "no $TG"

# --- a directory: *.yml and *.yaml, recursive; other files skipped ---
"$TG" sigma "$FX/dir" >"$TMP/dir.md" 2>"$TMP/dir.err"
is "$?" 0 "a directory with a convertible rule exits 0"
is "$(grep -c '^## ' "$TMP/dir.md")" 2 "two steps from a.yml and sub/b.yaml"
like "$(cat "$TMP/dir.err")" 'sub/c.yaml: walk c refused: refused: aggregation not supported' \
	"the refused rule is named on stderr with its reason"
is "$(tail -n 1 "$TMP/dir.err")" "2 converted, 1 refused" "the summary"
like "$(sed -n 2p "$TMP/dir.md")" '^id: sigma/dir$' "the id is sigma/ and the directory's name"
like "$(cat "$TMP/dir.md")" 'severity: critical' "severity is the highest level"
like "$(cat "$TMP/dir.md")" 'tags: sigma, attack.defense-evasion, attack.t1562.008' "ATT&CK tags"
like "$(cat "$TMP/dir.md")" '```query findings' "findings blocks"
mkdir -p "$TMP/rb1"
cp "$TMP/dir.md" "$TMP/rb1/dir.md"
"$TG" lint "$TMP/rb1" >"$TMP/lint1" 2>&1
is "$?" 0 "the stdout runbook passes lint"

# --- -o DIR: one runbook per rule, stub lists for placeholders; all lint clean ---
"$TG" sigma -q -o "$TMP/out" "$FX/modifiers.yml" "$FX/conditions.yml" "$FX/hostile.yml"
is "$?" 0 "-o exits 0"
is "$(ls "$TMP/out"/*.md | wc -l | tr -d ' ')" 25 "25 runbooks written"
[ -f "$TMP/out/lists/office-ip-ranges" ]
ok "$?" "a stub list for the placeholder"
like "$(sed -n 2p "$TMP/out/plain-value.md")" '^id: sigma/plain-value$' "id from the title"
"$TG" lint "$TMP/out" >"$TMP/lint2" 2>&1
is "$?" 0 "every written runbook passes lint"
like "$(grep 'runbooks, ' "$TMP/lint2")" '25 runbooks, 0 errors' "lint counts them"

# --- --id, JSON catalog, --table ---
"$TG" sigma -q --id sigma/custom "$FX/catalog.json.yml" >"$TMP/json.md"
like "$(sed -n 2p "$TMP/json.md")" '^id: sigma/custom$' "--id names the runbook"
like "$(cat "$TMP/json.md")" 'not errorCode exists' "a JSON catalog converts (null is not exists)"
"$TG" sigma --table "$FX/catalog.json.yml" >"$TMP/table"
like "$(cat "$TMP/table")" '^\| json two \| informational \| refused: aggregation not supported' \
	"--table says why a rule is refused"

# --- refusals and errors ---
"$TG" sigma "$FX/refused.yml" >"$TMP/ref.out" 2>"$TMP/ref.err"
is "$?" 2 "nothing converted: exit 2"
is "$(grep ' converted, ' "$TMP/ref.err")" "0 converted, 13 refused" "every fixture refused"
is "$(grep -c ': refused: ' "$TMP/ref.err")" 13 "each with a reason"
is "$(wc -c <"$TMP/ref.out" | tr -d ' ')" 0 "no runbook on stdout"
"$TG" sigma "$TMP/nonexistent.yml" >/dev/null 2>"$TMP/missing.err"
is "$?" 2 "a missing file: exit 2"
printf 'a: [1, 2\n' >"$TMP/bad.yml"
"$TG" sigma "$TMP/bad.yml" >/dev/null 2>"$TMP/bad.err"
like "$(cat "$TMP/bad.err")" 'bad.yml: \(file\): refused: not valid YAML: 2:1' "bad YAML names the place"
"$TG" sigma >/dev/null 2>&1
is "$?" 2 "no RULES: usage error"

# --- escaping: nothing from a rule reaches the terminal raw ---
"$TG" sigma "$FX/hostile.yml" >"$TMP/h.out" 2>"$TMP/h.err"
if grep -q "$(printf '\033')" "$TMP/h.out" "$TMP/h.err"; then ok 1 "no ESC byte in the output"; else ok 0 "no ESC byte in the output"; fi
like "$(cat "$TMP/h.out")" 'title: hostile \\e\[31mred' "the title's escape sequence is shown escaped"

# --- the sweep (bundled sample: StopLogging is in it) ---
"$TG" sigma -q "$FX/dir" --run >"$TMP/sweep" 2>/dev/null
is "$?" 0 "the sweep exits 0"
like "$(cat "$TMP/sweep")" '^ +[1-9][0-9]* +critical +walk b$' "walk b fires on the sample"
"$TG" sigma -q "$FX/dir" --fail-on-findings --run >/dev/null 2>&1
is "$?" 1 "--fail-on-findings: exit 1 on hits"
"$TG" sigma -q "$FX/dir" --events --run >"$TMP/events" 2>/dev/null
like "$(cat "$TMP/events")" 'StopLogging' "--events prints the matching events"

# --- the SigmaHQ catalog and the Stratus detonations ---
SHARED=${SHARED_DATA:-/work/shared/data}
CAT="$SHARED/sigma/sigma_cloudtrail_rules.json"
STRATUS="$SHARED/datasets/stratus-red-team/derived_records"
if [ ! -f "$CAT" ]; then
	skip "no SigmaHQ catalog at $CAT (set SHARED_DATA to the shared data directory)"
	done_testing
	exit $?
fi
"$TG" sigma -o "$TMP/cat" "$CAT" >/dev/null 2>"$TMP/cat.err"
is "$?" 0 "the catalog converts"
summary=$(grep ' converted, ' "$TMP/cat.err")
conv=${summary%% converted*}
refd=$(echo "$summary" | sed 's/.*, \([0-9]*\) refused/\1/')
is "$((conv + refd))" 66 "66 rules: $summary"
[ "$conv" -ge 60 ]
ok "$?" "at least 60 convert ($conv; count() rules as threshold stages, fieldref as field())"
is "$(grep -c ': refused: ..*' "$TMP/cat.err")" "$refd" "every refused rule has a reason"
is "$(grep -c ': refused: aggregation not supported (near' "$TMP/cat.err")" 1 "near refused as such"
"$TG" lint "$TMP/cat" >"$TMP/lint3" 2>&1
is "$?" 0 "the catalog's runbooks pass lint"
like "$(grep 'runbooks, ' "$TMP/lint3")" "$conv runbooks, 0 errors" "lint: $(grep 'runbooks, ' "$TMP/lint3")"
"$TG" sigma --aggregate bins -o "$TMP/catb" "$CAT" >/dev/null 2>"$TMP/catb.err"
like "$(grep ' converted, ' "$TMP/catb.err")" '^65 converted, 1 refused$' \
	"--aggregate bins: the count() rules convert as fixed bins (near refused)"
"$TG" lint "$TMP/catb" >"$TMP/lint4" 2>&1
is "$?" 0 "those runbooks pass lint"
doc=$("$top_srcdir/tools/sigma-doc.sh" "$TG" "$CAT")
if [ "${TG_ACCEPT:-}" = 1 ]; then printf '%s\n' "$doc" >"$top_srcdir/docs/sigma.md"; fi
is "$(printf '%s\n' "$doc" | cksum)" "$(cksum <"$top_srcdir/docs/sigma.md")" \
	"docs/sigma.md is current (TG_ACCEPT=1 rewrites it)"

if [ ! -d "$STRATUS" ]; then
	skip "no Stratus Red Team records at $STRATUS"
	done_testing
	exit $?
fi
# rule title <TAB> the detonation it must fire on
printf '%s\t%s\n' \
	"AWS CloudTrail Important Change" aws.defense-evasion.cloudtrail-stop.json \
	"AWS CloudTrail Important Change" aws.defense-evasion.cloudtrail-delete.json \
	"AWS VPC Flow Logs Deleted" aws.defense-evasion.vpc-remove-flow-logs.json \
	"AWS Successful Console Login Without MFA" aws.initial-access.console-login-without-mfa.json \
	"Potential Malicious Usage of CloudTrail System Manager" aws.execution.ssm-send-command.json \
	"AWS Snapshot Backup Exfiltration" aws.exfiltration.ec2-share-ebs-snapshot.json \
	"AWS New Lambda Layer Attached" aws.persistence.lambda-layer-extension.json \
	"Ingress/Egress Security Group Modification" aws.exfiltration.ec2-security-group-open-port-22-ingress.json \
	>"$TMP/pairs"
while IFS="$(printf '\t')" read -r title file; do
	"$TG" sigma -q "$CAT" --runbooks "$TMP/cat" --run "$STRATUS/$file" >"$TMP/hit" 2>/dev/null
	line=$(grep -F "  $title" "$TMP/hit" | head -n 1)
	like "$line" '^ +[1-9]' "'$title' fires on $file"
done <"$TMP/pairs"
"$TG" sigma -q --aggregate bins "$CAT" --runbooks "$TMP/cat" --run "$STRATUS/aws.discovery.ec2-download-user-data.json" >"$TMP/hit" 2>/dev/null
like "$(grep -F '  AWS EC2 Download Userdata' "$TMP/hit")" '^ +1 ' \
	"--aggregate bins: 'AWS EC2 Download Userdata' (count() > 10 in 30m) fires on its detonation"
"$TG" sigma -q "$CAT" --runbooks "$TMP/cat" --run "$STRATUS/aws.discovery.ec2-download-user-data.json" >"$TMP/hit" 2>/dev/null
like "$(grep -F '  AWS EC2 Download Userdata' "$TMP/hit")" '^ +[1-9][0-9]* ' \
	"threshold: 'AWS EC2 Download Userdata' (more than 10 within a sliding 30m) fires on its detonation"
"$TG" sigma -q "$CAT" --runbooks "$TMP/cat" --run "$STRATUS/aws.defense-evasion.cloudtrail-stop.json" >"$TMP/hit" 2>/dev/null
like "$(grep -F '  AWS VPC Flow Logs Deleted' "$TMP/hit")" '^ +0 ' "flow-log deletion stays quiet on the CloudTrail stop"
done_testing
