#!/usr/bin/env bash
# sigv4_botocore.sh — our SigV4 signer (tests/sigv4_tool) and botocore's signers agree on
# every kind of request trailguide sends: CloudTrail LookupEvents and Lake queries, Athena,
# S3 ListObjectsV2 / GetObject (path-style on loopback and virtual-hosted on AWS hosts,
# awkward keys and query values), STS AssumeRole / GetCallerIdentity with and without a
# session token, each at two fixed times and with three key pairs; then a batch of 200
# random requests from a fixed seed. Container and IMDS requests are unsigned.
. "${top_srcdir:-.}/tests/lib.sh"
python3 -c 'import botocore' 2>/dev/null || skip_all "botocore is not installed"
TOOL=$top_builddir/tests/sigv4_tool
[ -x "$TOOL" ] || skip_all "tests/sigv4_tool is not built"
mkdir -p "$TMP/req"
python3 "$top_srcdir/tests/aws/botocore_sign.py" "$TMP/req" --seed 6 --count 200 >"$TMP/list.tsv"
ok $? "botocore signed the generated requests"

declare -A total bad
order=()
while IFS=$'\t' read -r kind file s3 akid secret token region service date want; do
	args=(--key "$akid" --secret "$secret" --region "$region" --service "$service" --date "$date")
	[ "$token" = - ] || args+=(--token "$token")
	[ "$s3" = 1 ] && args+=(--s3)
	got=$("$TOOL" "${args[@]}" "$file")
	[ -n "${total[$kind]:-}" ] || { order+=("$kind"); total[$kind]=0; bad[$kind]=0; }
	total[$kind]=$((total[$kind] + 1))
	if [ "$got" != "$want" ]; then
		bad[$kind]=$((bad[$kind] + 1))
		if [ "${bad[$kind]}" -le 2 ]; then
			echo "# $kind: $(head -n 1 "$file")"
			echo "#   ours:     ${got##*Signature=} (${got#*SignedHeaders=})"
			echo "#   botocore: ${want##*Signature=}"
			"$TOOL" --creq "${args[@]}" "$file" | sed 's/^/#   creq: /'
		fi
	fi
done <"$TMP/list.tsv"

for kind in "${order[@]}"; do
	ok "${bad[$kind]}" "$kind: ${total[$kind]} requests, $((total[$kind] - bad[$kind])) agree with botocore"
done
is "${total[random batch]:-0}" 200 "the random batch holds 200 requests"
done_testing
