#!/usr/bin/env bash
# aws_s3.sh — s3://BUCKET/PREFIX against moto_server: the sample incident read from a bucket
# gives the same answers as read from disk; windows list only their days; the ETag cache;
# pagination; org trails, custom prefixes and keys with spaces; digests passed over; errors
# (no bucket, bad signature, wrong region, a failing object) explained; signatures checked
# by botocore through tests/aws/sigcheck_proxy.py.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/aws/lib.sh"
have_moto || skip_all "moto_server is not installed"
python3 -c 'import boto3' 2>/dev/null || skip_all "boto3 is not installed"
aws_env
cd "$TMP" || exit 1
start_moto MOTO || skip_all "moto_server did not start"
export AWS_ENDPOINT_URL_S3=$MOTO
S=$top_srcdir/samples/incident
A1=111122223333
ORG=o-a1b2c3d4e5
mb() { python3 "$top_srcdir/tests/aws/make_bucket.py" --endpoint "$MOTO" "$@"; }
count() { "$TG" query -q --format csv '| stats count()' "$@" 2>/dev/null | tail -n 1 | tr -d '\r'; }
last() { tail -n 1 "$1" | tr -d '\r'; }
# requests in a trace file: list requests and object GETs
lists() { grep -v '\.json' "$1" | grep -c '^GET '; }
gets() { grep -c '\.json\(\.gz\)\? [0-9]' "$1"; }
newcache() { export XDG_CACHE_HOME="$TMP/cache-$1"; }

is "$(mb --bucket trail --from "$S")" 1468 "make_bucket: the sample's 1,460 logs and 8 digests uploaded"

# --- the whole bucket, cold then warm ----------------------------------------------------
newcache main
t0=$(date +%s.%N)
TRAILGUIDE_AWS_TRACE="$TMP/t-cold" "$TG" query --format csv '| stats count() by account | sort account' s3://trail >out 2>err
rc=$?
t1=$(date +%s.%N)
is "$rc" 0 "cold: exit 0"
is "$(cat out)" "$("$TG" query -q --format csv '| stats count() by account | sort account' "$S")" "cold: counts by account equal the local files'"
like "$(cat err)" "s3://trail: 1460 objects \(1460 fetched, 0 from the cache, 0 failed\)" "cold: 1460 objects fetched"
like "$(cat err)" "s3://trail: warning: no --since: reading the whole bucket, 1460 log objects, [0-9.]+ MB compressed" \
	"no --since: a warning with the number and size of the objects"
ok $(head -1 err | grep -q 'no --since'; echo $?) "the warning comes before the fetch's summary"
is "$(gets "$TMP/t-cold")" 1460 "cold: one GET per log object"
is "$(grep -c 'CloudTrail-Digest.*json' "$TMP/t-cold")" 0 "digests are never fetched"
cache_obj=$(find "$XDG_CACHE_HOME/trailguide/s3/trail/AWSLogs" -name '*.json.gz' | head -1)
ok $? "objects cached under CACHE/s3/BUCKET/KEY"
ok "$([ -s "$cache_obj.etag" ] && echo 0 || echo 1)" "an ETag sidecar next to each cached object"
is "$(find "$XDG_CACHE_HOME" -name '*.part-*' | wc -l)" 0 "no temp files left"
t2=$(date +%s.%N)
TRAILGUIDE_AWS_TRACE="$TMP/t-warm" "$TG" query --format csv '| stats count()' s3://trail >out 2>err
t3=$(date +%s.%N)
is "$(last out)" 24000 "warm: 24,000 events"
like "$(cat err)" "1460 objects \(0 fetched, 1460 from the cache, 0 failed\)" "warm: served from the cache"
is "$(gets "$TMP/t-warm")" 0 "warm: no GETs"
echo "# timing: cold fetch $(echo "$t1 - $t0" | bc) s, warm run $(echo "$t3 - $t2" | bc) s (1,460 objects)"
q='error exists | stats count() by event | sort count desc, event | head 5'
is "$("$TG" query -q --format csv "$q" s3://trail 2>/dev/null)" "$("$TG" query -q --format csv "$q" "$S")" "a query's rows equal the local files'"

# --- an object replaced in the bucket: refetched, the rest cached --------------------------
key=AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/10/$(ls "$S/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/10" | head -1)
other=$(ls "$S/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/11/"* | head -1)
put() { # KEY FILE
	python3 - "$MOTO" "$1" "$2" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
s3.put_object(Bucket="trail", Key=sys.argv[2], Body=open(sys.argv[3], "rb").read())
PY
}
put "$key" "$other"
TRAILGUIDE_AWS_TRACE="$TMP/t-etag" "$TG" query --format csv '| stats count()' s3://trail >out 2>err
like "$(cat err)" "1460 objects \(1 fetched, 1459 from the cache" "new ETag: that object alone refetched"
is "$(gets "$TMP/t-etag")" 1 "new ETag: one GET"
cmp -s "$XDG_CACHE_HOME/trailguide/s3/trail/$key" "$other"
ok $? "new ETag: the cached copy is the new content"
put "$key" "$S/$key"
is "$(count s3://trail)" 24000 "the original put back: refetched again"

# --- windows list only their days ----------------------------------------------------------
win=(--since 2026-11-10 --until 2026-11-12)
newcache win
TRAILGUIDE_AWS_TRACE="$TMP/t-win" "$TG" query "${win[@]}" --format csv '| stats count()' s3://trail >out 2>err
is "$(last out)" "$(count "${win[@]}" "$S")" "window: same count as the local files"
local_files=$("$TG" query "${win[@]}" --format csv '| stats count()' "$S" 2>&1 >/dev/null | sed -n 's/.* from \([0-9,]*\) files.*/\1/p' | tr -d ,)
is "$(gets "$TMP/t-win")" "$local_files" "window: GETs only the day folders the local reader opens"
regions=$(find "$S/AWSLogs" -mindepth 4 -maxdepth 4 -path '*/CloudTrail/*' -type d | wc -l)
accounts=$(ls "$S/AWSLogs/$ORG" | wc -l)
# discovery: bucket root, AWSLogs/, the org, each account, each CloudTrail/; then 4 days
# (10, 11, 12 and 13 for late deliveries) per region
is "$(lists "$TMP/t-win")" $((3 + 2 * accounts + 4 * regions)) "window: one list per level and per day in [since, until+1d]"
# the query's accounts and regions prune the folders listed: one account's CloudTrail/
# and two regions' days instead of every account's and region's
newcache scope
qa="account = $A1 and region in (us-east-1, eu-west-1)"
TRAILGUIDE_AWS_TRACE="$TMP/t-scope" "$TG" query "${win[@]}" --format csv "$qa | stats count()" s3://trail >out 2>err
want=$("$TG" query -q "${win[@]}" --format csv "$qa | stats count()" "$S" | tail -n 1 | tr -d '\r')
is "$(last out)" "$want" "account/region scope: the same count ($want) as the local files"
is "$(lists "$TMP/t-scope")" $((3 + 2 * 1 + 4 * 2)) "account/region scope: $((3 + 2 + 8)) listings instead of $((3 + 2 * accounts + 4 * regions))"
like "$(cat err)" "; $((accounts - 1 + 4 - 2)) account/region folders pruned" "the summary says how many folders were pruned"
is "$(grep -c "/$A1/CloudTrail/\(us-east-1\|eu-west-1\)/.*\.json" "$TMP/t-scope")" "$(gets "$TMP/t-scope")" "only that account's two regions are fetched"
TRAILGUIDE_AWS_TRACE="$TMP/t-scope2" "$TG" query "${win[@]}" --format csv "account = $A1 or region = us-east-1 | stats count()" s3://trail >/dev/null 2>&1
is "$(lists "$TMP/t-scope2")" $((3 + 2 * accounts + 4 * regions)) "an OR that leaves both open prunes nothing"
newcache page
TRAILGUIDE_S3_MAX_KEYS=7 TRAILGUIDE_AWS_TRACE="$TMP/t-page" "$TG" query "${win[@]}" --format csv '| stats count()' s3://trail >out 2>err
is "$(last out)" "$(count "${win[@]}" "$S")" "pagination (max-keys 7): same count"
ok "$([ "$(lists "$TMP/t-page")" -gt $(( $(lists "$TMP/t-win") + 30 )) ] && echo 0 || echo 1)" "pagination: continuation pages requested"
is "$(gets "$TMP/t-page")" "$local_files" "pagination: every object once"

# --- deeper prefixes, an org trail elsewhere, a custom prefix with spaces -----------------
is "$(count s3://trail/AWSLogs/$ORG/444455556666)" "$(count "$S/AWSLogs/$ORG/444455556666")" "prefix at an account"
is "$(count s3://trail/AWSLogs/$ORG/$A1/CloudTrail/eu-west-1/)" "$(count "$S/AWSLogs/$ORG/$A1/CloudTrail/eu-west-1")" "prefix at a region"
is "$(count s3://trail/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/15)" "$(count "$S/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/15")" "prefix at a day"
sub="$A1/CloudTrail(-Digest)?/us-east-1/2026/11/1[0-2]/"
n=$(mb --bucket org-trail --from "$S" --prefix "my trails/cloud trail" --org o-abc123 --include "$sub")
ok "$([ "$n" -gt 10 ] && echo 0 || echo 1)" "make_bucket: org trail under a prefix with spaces ($n objects)"
d=$S/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11
want=$(count "$d/10" "$d/11" "$d/12")
is "$(count "s3://org-trail/my trails/cloud trail")" "$want" "custom prefix with spaces, org o-abc123: same count"
is "$(count "s3://org-trail/my trails/cloud trail/AWSLogs/o-abc123/")" "$want" "prefix at the org level"
ls "$XDG_CACHE_HOME/trailguide/s3/org-trail/my trails/cloud trail/AWSLogs/o-abc123/$A1/CloudTrail/us-east-1/2026/11/10/" | grep -q json.gz
ok $? "keys with spaces cached under their decoded names"
mb --bucket plain-trail --from "$S" --org none --include "444455556666/CloudTrail/" >/dev/null
is "$(count s3://plain-trail)" "$(count "$S/AWSLogs/$ORG/444455556666")" "a trail without an organization level"

# --- errors -------------------------------------------------------------------------------
TRAILGUIDE_AWS_TRACE="$TMP/t-strict" "$TG" query --strict --format csv '| stats count()' s3://trail >out 2>err
is "$?" 2 "--strict without --since refuses the whole bucket: exit 2"
like "$(cat err)" "s3://trail: no --since: refusing to read the whole bucket under --strict" "and says why"
is "$(grep -c '^GET ' "$TMP/t-strict" 2>/dev/null || true)" 0 "nothing was listed or fetched"
"$TG" query --format csv '| stats count()' s3://trail/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/15 >out 2>err
ok $(! grep -q 'no --since' err; echo $?) "a prefix at a day needs no --since: no warning"
"$TG" query --format csv '| stats count()' s3://no-such-bucket >out 2>err
is "$?" 2 "NoSuchBucket: exit 2"
like "$(cat err)" "^trailguide: s3://no-such-bucket: .*NoSuchBucket" "NoSuchBucket: explained"
"$TG" query --format csv '| stats count()' s3://trail/nothing-here/ >out 2>err
like "$(cat err)" "s3://trail/nothing-here/: no AWSLogs/ folder" "a prefix without AWSLogs/ is explained"
"$TG" query --strict --since 2026-11-01 --format csv '| stats count()' s3://trail/nothing-here/ >out 2>err
is "$?" 2 "a prefix that lists nothing: exit 2 under --strict"
"$TG" query --format csv --since 2020-01-01 --until 2020-01-02 '| stats count()' s3://trail >out 2>err
like "$(cat err)" "no trail log files in the window" "a window with no log files is said"
"$TG" query --format csv '| stats count()' 's3://Bad*Bucket' >out 2>err
is "$?" 2 "a malformed bucket name: exit 2"

# A loopback proxy in front of moto that breaks chosen requests.
cat >"$TMP/breaker.py" <<'PY'
import argparse, http.client, re, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int); ap.add_argument("--upstream")
ap.add_argument("--deny", default=None); ap.add_argument("--slowdown", default=None)
ap.add_argument("--bucket-region", default=None)
ap.add_argument("--always-301", default=None)  # every signed request: 301 to this region
ap.add_argument("--cut", default=None)         # first GET matching: 200, half the body, close
a = ap.parse_args()
up = urlsplit(a.upstream); seen = set(); lock = threading.Lock()
def err(h, status, code, extra=()):
    body = ("<?xml version='1.0' encoding='UTF-8'?><Error><Code>%s</Code><Message>broken by the "
            "test</Message><RequestId>TESTREQ</RequestId></Error>" % code).encode()
    h.send_response(status); h.send_header("Content-Type", "application/xml")
    for k, v in extra: h.send_header(k, v)
    h.send_header("Content-Length", str(len(body))); h.end_headers(); h.wfile.write(body)
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *x): pass
    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth: return err(self, 200, "Ready")
        if a.always_301:
            return err(self, 301, "PermanentRedirect", [("x-amz-bucket-region", a.always_301)])
        if a.bucket_region and ("/%s/s3/" % a.bucket_region) not in auth:
            return err(self, 301, "PermanentRedirect", [("x-amz-bucket-region", a.bucket_region)])
        if a.deny and re.search(a.deny, self.path): return err(self, 403, "AccessDenied")
        if a.slowdown and re.search(a.slowdown, self.path):
            with lock:
                first = self.path not in seen; seen.add(self.path)
            if first: return err(self, 503, "SlowDown")
        c = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
        hd = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        c.request("GET", self.path, headers=hd); r = c.getresponse(); body = r.read()
        if a.cut and re.search(a.cut, self.path) and r.status == 200:
            with lock:
                first = ("cut", self.path) not in seen; seen.add(("cut", self.path))
            if first:
                self.send_response(200); self.send_header("Content-Length", str(len(body)))
                self.end_headers(); self.wfile.write(body[: len(body) // 2]); self.wfile.flush()
                self.close_connection = True
                return
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length", "date", "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
ThreadingHTTPServer(("127.0.0.1", a.port), H).serve_forever()
PY
dayA=AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/10
bad=$(ls "$S/$dayA" | sed -n 2p)
slow=$(ls "$S/$dayA" | sed -n 3p)
start_py BRK "$TMP/breaker.py" --upstream "$MOTO" --deny "$bad" --slowdown "($slow|list-type)"
newcache brk
AWS_ENDPOINT_URL_S3=$BRK TRAILGUIDE_AWS_TRACE="$TMP/t-brk" "$TG" query --format csv '| stats count()' "s3://trail/$dayA/" >out 2>err
rc=$?
is "$rc" 0 "one object denied: the rest still loads (exit 0)"
like "$(cat err)" "s3://trail/$dayA/: .*AccessDenied" "the denied object is explained"
like "$(cat err)" "1 of $(ls "$S/$dayA" | wc -l) objects could not be fetched: the rest is loaded" "partial fetch said"
files=(); for f in "$S/$dayA"/*; do [ "${f##*/}" = "$bad" ] || files+=("$f"); done
is "$(last out)" "$(count "${files[@]}")" "partial: every other object's events loaded"
is "$(grep -c "$slow.* 503 .*SlowDown" "$TMP/t-brk")" 1 "SlowDown answered once ..."
is "$(grep -c "$slow.* 200 " "$TMP/t-brk")" 1 "... and retried"
is "$(grep -v json "$TMP/t-brk" | grep -c ' 503 .*SlowDown')" 1 "a listing answered SlowDown is retried too"
AWS_ENDPOINT_URL_S3=$BRK "$TG" query --strict --format csv '| stats count()' "s3://trail/$dayA/" >out 2>err
is "$?" 2 "partial fetch with --strict: exit 2"

start_py DENY "$TMP/breaker.py" --upstream "$MOTO" --deny "prefix=AWSLogs%2F$ORG%2F444455556666%2F\$"
newcache deny
AWS_ENDPOINT_URL_S3=$DENY "$TG" query --format csv '| stats count()' s3://trail >out 2>err
is "$?" 0 "an account's listing denied: exit 0"
is "$(last out)" "$(count "$S/AWSLogs/$ORG/$A1" "$S/AWSLogs/$ORG/777788889999")" "an account's listing denied: the other accounts load"
like "$(cat err)" "s3://trail: s3 ListObjectsV2 .*AccessDenied" "the denied listing is explained"
like "$(cat err)" "s3://trail: 1 listing failed" "the missing part is said"

mb --bucket my.dotted.trail --from "$S" --include "$A1/CloudTrail/us-east-1/2026/11/15/" >/dev/null
is "$(count s3://my.dotted.trail)" "$(count "$S/AWSLogs/$ORG/$A1/CloudTrail/us-east-1/2026/11/15")" "a bucket name with dots"

start_py REG "$TMP/breaker.py" --upstream "$MOTO" --bucket-region eu-west-2
newcache reg
AWS_ENDPOINT_URL_S3=$REG "$TG" query --format csv '| stats count()' "s3://trail/$dayA/" >out 2>err
is "$(last out)" "$(count "$S/$dayA")" "wrong region: retried in the bucket's region"
like "$(cat err)" "the bucket is in eu-west-2.*pass --region eu-west-2 next time" "wrong region: the user is told"

# a fixed endpoint that answers every request 301 (a proxy or a misconfigured gateway): one
# move to the named region, then an error, never a loop
start_py R301 "$TMP/breaker.py" --upstream "$MOTO" --always-301 eu-west-3
newcache r301
AWS_ENDPOINT_URL_S3=$R301 TRAILGUIDE_AWS_TRACE="$TMP/t-301" timeout 120 "$TG" query --format csv '| stats count()' "s3://trail/$dayA/" >out 2>err
is "$?" 2 "an endpoint that always answers 301: exit 2, no loop"
n301=$(grep -c ' 301 ' "$TMP/t-301")
[ "$n301" -ge 1 ] && [ "$n301" -le 4 ]
ok $? "an endpoint that always answers 301: $n301 requests (at most 4)"
like "$(cat err)" "PermanentRedirect|301" "an endpoint that always answers 301: explained"
# a 200 whose body is cut short is retried, and the object loads whole
cut=$(ls "$S/$dayA" | sed -n 4p)
start_py CUT "$TMP/breaker.py" --upstream "$MOTO" --cut "$cut"
newcache cut
AWS_ENDPOINT_URL_S3=$CUT TRAILGUIDE_AWS_TRACE="$TMP/t-cut" "$TG" query --format csv '| stats count()' "s3://trail/$dayA/" >out 2>err
is "$?" 0 "a body cut short: exit 0"
is "$(last out)" "$(count "$S/$dayA")" "a body cut short: retried, every event loaded"
is "$(grep -c "$cut" "$TMP/t-cut")" 2 "a body cut short: the object was fetched twice"

# --- signatures checked by botocore --------------------------------------------------------
if [ -f "$top_srcdir/tests/aws/sigcheck_proxy.py" ]; then
	start_py PROXY "$top_srcdir/tests/aws/sigcheck_proxy.py" --upstream "$MOTO" \
		--secret AKIDEXAMPLE=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
	newcache sig
	AWS_ENDPOINT_URL_S3=$PROXY "$TG" query --format csv '| stats count()' "s3://org-trail/my trails/cloud trail" >out 2>err
	is "$(last out)" "$want" "through the signature checker: same count (keys with spaces)"
	AWS_ENDPOINT_URL_S3=$PROXY TRAILGUIDE_S3_MAX_KEYS=3 "$TG" query "${win[@]}" --format csv '| stats count()' "s3://trail/AWSLogs/$ORG/444455556666/" >out 2>err
	is "$(last out)" "$(count "${win[@]}" "$S/AWSLogs/$ORG/444455556666")" "through the signature checker: continuation tokens"
	sc=$(curl -s "$PROXY/__sigcheck")
	like "$sc" '"bad": 0[,}]' "botocore accepts every signature ($sc)"
	like "$sc" '"checked": [1-9][0-9]+' "signatures were checked"
	newcache sigbad
	AWS_SECRET_ACCESS_KEY=wrong AWS_ENDPOINT_URL_S3=$PROXY "$TG" query --format csv '| stats count()' s3://trail >out 2>err
	is "$?" 2 "a wrong secret key: exit 2"
	like "$(cat err)" "^trailguide: s3://trail: .*SignatureDoesNotMatch" "a wrong secret key: the 403 is explained"
	ok "$(grep -q 'wrong' err && echo 1 || echo 0)" "the secret is not printed"
else
	skip "tests/aws/sigcheck_proxy.py not present"
fi
done_testing
