#!/usr/bin/env bash
# aws_creds.sh — the credential chain and the HTTP client against loopback servers:
# `trailguide whoami` with environment keys, assume role, credential_process, container
# credentials and IMDSv2; DNS, connection, TLS, timeout, proxy and throttling behaviour;
# and that no secret ever shows in the output or the trace.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/aws/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
aws_env
STUB="$top_srcdir/tests/aws/creds_stub.py"
export TRAILGUIDE_AWS_TRACE="$TMP/trace"
SECRETS=("$AWS_SECRET_ACCESS_KEY" widTOKENvalue rotatedTOKEN ssoACCESStoken ssoSECRETvalue ssoSESSIONtoken sessTOKENvalue wrongSECRETvalue basePROFILEsecret procSECRETvalue procTOKENvalue
	containerSECRETvalue containerTOKENvalue container-auth-token imdsSECRETvalue
	imdsTOKENvalue imds-session-token-123)

n_run=0
run() { # run ARGS... : whoami with ARGS; sets RC and OUT (stdout + stderr)
	n_run=$((n_run + 1))
	"$TG" whoami "$@" >"$TMP/run$n_run.out" 2>"$TMP/run$n_run.err"
	RC=$?
	OUT=$(cat "$TMP/run$n_run.out" "$TMP/run$n_run.err")
}

start_py STUBURL "$STUB" || skip_all "creds_stub.py did not start"

# --- environment keys against moto -------------------------------------------------
if have_moto && start_moto MOTO; then
	AWS_ENDPOINT_URL_STS=$MOTO run
	is "$RC" 0 "whoami with environment keys against moto exits 0"
	like "$OUT" 'account +123456789012' "whoami shows moto's account"
	like "$OUT" 'credentials +environment' "whoami says the keys came from the environment"
	like "$OUT" 'region +us-east-1 \(from AWS_REGION\)' "whoami shows the region and its source"
	like "$OUT" "endpoint sts +$MOTO \\(override\\)" "whoami shows the STS override"
	like "$OUT" 'endpoint cloudtrail +https://cloudtrail.us-east-1.amazonaws.com' \
		"whoami shows the default CloudTrail endpoint"

	# --- the signature checks out with botocore (sigcheck proxy in front of moto) -------
	if start_py SIG "$top_srcdir/tests/aws/sigcheck_proxy.py" --upstream "$MOTO" \
		--secret "AKIDEXAMPLE=$AWS_SECRET_ACCESS_KEY"; then
		AWS_SESSION_TOKEN=sessTOKENvalue AWS_ENDPOINT_URL_STS=$SIG run
		is "$RC" 0 "whoami with a session token through the signature-checking proxy"
		like "$(curl -s "$SIG/__sigcheck")" '"checked": *[1-9][0-9]*, *"bad": *0' \
			"botocore reproduces the signature (host:port, x-amz-security-token signed)"
		AWS_SECRET_ACCESS_KEY=wrongSECRETvalue AWS_ENDPOINT_URL_STS=$SIG run
		is "$RC" 2 "a wrong secret exits 2"
		like "$OUT" 'SignatureDoesNotMatch.*check the secret access key' \
			"SignatureDoesNotMatch is explained"
	else
		skip "sigcheck_proxy.py did not start"
	fi

	# --- profile with role_arn + source_profile: AssumeRole on moto --------------------
	cat >"$AWS_CONFIG_FILE" <<-EOF
	[profile audit]
	role_arn = arn:aws:iam::123456789012:role/Auditor
	source_profile = base
	role_session_name = tg-test
	region = eu-west-1
	[profile base]
	aws_access_key_id = AKIDBASE
	aws_secret_access_key = basePROFILEsecret
	[profile envrole]
	role_arn = arn:aws:iam::123456789012:role/EnvRole
	credential_source = Environment
	external_id = ext-123
	duration_seconds = 900
	[profile ecsrole]
	role_arn = arn:aws:iam::123456789012:role/EcsRole
	credential_source = EcsContainer
	[profile imdsrole]
	role_arn = arn:aws:iam::123456789012:role/ImdsRole
	credential_source = Ec2InstanceMetadata
	[profile loopa]
	role_arn = arn:aws:iam::123456789012:role/A
	source_profile = loopb
	[profile loopb]
	role_arn = arn:aws:iam::123456789012:role/B
	source_profile = loopa
	EOF
	chmod 600 "$AWS_CONFIG_FILE"
	AWS_REGION= AWS_DEFAULT_REGION= AWS_ENDPOINT_URL_STS=$MOTO run --profile audit
	is "$RC" 0 "whoami --profile audit (assume role) exits 0"
	like "$OUT" 'arn +arn:aws:sts::123456789012:assumed-role/Auditor/tg-test' \
		"the assumed role's identity shows"
	like "$OUT" 'credentials +profile audit \(assume role arn:aws:iam::123456789012:role/Auditor\)' \
		"whoami names the profile and the role"
	like "$OUT" 'region +eu-west-1 \(from profile audit\)' "the profile's region is used"
	like "$OUT" 'access key +ASIA' "the assumed role's temporary key is used"
	AWS_ENDPOINT_URL_STS=$MOTO run --profile envrole
	is "$RC" 0 "credential_source Environment: assume role with the environment's keys"
	like "$OUT" 'assumed-role/EnvRole/trailguide-[0-9]+' \
		"the default session name is trailguide-<epoch>"
	AWS_CONTAINER_CREDENTIALS_FULL_URI=$STUBURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token \
		AWS_ENDPOINT_URL_STS=$MOTO run --profile ecsrole
	is "$RC" 0 "credential_source EcsContainer: assume role with container credentials"
	like "$OUT" 'assumed-role/EcsRole/' "the container-sourced role shows"
	AWS_EC2_METADATA_DISABLED= AWS_EC2_METADATA_SERVICE_ENDPOINT=$STUBURL AWS_ENDPOINT_URL_STS=$MOTO \
		run --profile imdsrole
	is "$RC" 0 "credential_source Ec2InstanceMetadata: assume role with IMDSv2 credentials"
	like "$OUT" 'assumed-role/ImdsRole/' "the IMDS-sourced role shows"
	AWS_ENDPOINT_URL_STS=$MOTO run --profile ecsrole
	is "$RC" 2 "credential_source EcsContainer without container variables exits 2"
	like "$OUT" 'credential_source EcsContainer, but' "and says what is missing"
	AWS_ENDPOINT_URL_STS=$MOTO run --profile loopa
	is "$RC" 2 "a source_profile loop exits 2"
	like "$OUT" 'loops back' "a source_profile loop is reported"

	# --- web identity (EKS IRSA): AssumeRoleWithWebIdentity on moto, unsigned ------------
	printf 'eyJhbGciOiJSUzI1NiJ9.widTOKENvalue.sig\n' >"$TMP/wid-token"
	cat >>"$AWS_CONFIG_FILE" <<-EOF
	[profile wid]
	role_arn = arn:aws:iam::123456789012:role/WidProfile
	web_identity_token_file = $TMP/wid-token
	role_session_name = wid-prof
	[profile widchain]
	role_arn = arn:aws:iam::123456789012:role/Chained
	source_profile = wid
	[profile widnorole]
	web_identity_token_file = $TMP/wid-token
	EOF
	: >"$TMP/trace"
	AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/wid-token \
		AWS_ROLE_ARN=arn:aws:iam::123456789012:role/Irsa AWS_ROLE_SESSION_NAME=pod-1 \
		AWS_ENDPOINT_URL_STS=$MOTO run
	is "$RC" 0 "web identity from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN exits 0"
	like "$OUT" 'arn +arn:aws:sts::123456789012:assumed-role/Irsa/pod-1' \
		"the web-identity role and AWS_ROLE_SESSION_NAME show"
	like "$OUT" 'credentials +environment \(web identity, role arn:aws:iam::123456789012:role/Irsa\)' \
		"whoami says the credentials came from web identity"
	is "$(grep -c '^POST ' "$TMP/trace")" 2 "one AssumeRoleWithWebIdentity and one GetCallerIdentity"
	AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_ENDPOINT_URL_STS=$MOTO run --profile wid
	is "$RC" 0 "web identity from a profile's web_identity_token_file exits 0"
	like "$OUT" 'assumed-role/WidProfile/wid-prof' "the profile's role and session name show"
	AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_ENDPOINT_URL_STS=$MOTO run --profile widchain
	is "$RC" 0 "a role whose source_profile uses web identity exits 0"
	like "$OUT" 'assumed-role/Chained/' "the chained role shows"
	AWS_ENDPOINT_URL_STS=$MOTO run --profile widnorole
	is "$RC" 2 "web_identity_token_file without role_arn exits 2"
	like "$OUT" 'no role ARN: set role_arn' "and says to set role_arn"
	AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/no-such-token \
		AWS_ROLE_ARN=arn:aws:iam::123456789012:role/Irsa AWS_ENDPOINT_URL_STS=$MOTO run
	is "$RC" 2 "a missing web identity token file exits 2"
	like "$OUT" 'no-such-token: No such file.*AWS_WEB_IDENTITY_TOKEN_FILE' \
		"the missing token file is named"
	AWS_WEB_IDENTITY_TOKEN_FILE=$TMP/wid-token AWS_ROLE_ARN=arn:aws:iam::123456789012:role/Irsa \
		AWS_ENDPOINT_URL_STS=$MOTO run --profile base
	like "$OUT" 'credentials +profile base' "--profile skips the environment's web identity"
	# the token is read at each resolution: a rotated token file is used by the next run
	printf 'eyJhbGciOiJSUzI1NiJ9.rotatedTOKEN.sig' >"$TMP/wid-token"
	AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_ENDPOINT_URL_STS=$MOTO run --profile wid
	is "$RC" 0 "a rotated token file still works"
else
	skip "moto_server is not available"
fi
rm -f "$AWS_CONFIG_FILE"

# --- IAM Identity Center (SSO): tests/aws/sso_stub.py stands in for the portal --------
# moto has no IAM Identity Center portal; the stub speaks GetRoleCredentials' documented
# wire format (bearer token header, no SigV4). STS GetCallerIdentity is creds_stub.py,
# whose ARN names the access key id that signed it.
if start_py SSO "$top_srcdir/tests/aws/sso_stub.py"; then
	mkdir -p "$TMP/home/.aws/sso/cache"
	sha1() { printf '%s' "$1" | sha1sum | cut -d' ' -f1; }
	cat >"$AWS_CONFIG_FILE" <<-EOF
	[profile sso-user]
	sso_session = corp
	sso_account_id = 111122223333
	sso_role_name = ReadOnly
	region = us-west-2
	[sso-session corp]
	sso_start_url = https://example.awsapps.com/start
	sso_region = eu-central-1
	[profile sso-legacy]
	sso_start_url = https://legacy.awsapps.com/start
	sso_region = us-east-1
	sso_account_id = 111122223333
	sso_role_name = ReadOnly
	[profile sso-other-role]
	sso_session = corp
	sso_account_id = 111122223333
	sso_role_name = Admin
	[profile sso-nosection]
	sso_session = missing
	sso_account_id = 1
	sso_role_name = R
	[profile sso-half]
	sso_start_url = https://legacy.awsapps.com/start
	sso_region = us-east-1
	EOF
	chmod 600 "$AWS_CONFIG_FILE"
	printf '{"startUrl": "https://example.awsapps.com/start", "region": "eu-central-1", "accessToken": "ssoACCESStoken", "expiresAt": "2099-01-01T00:00:00Z"}' \
		>"$TMP/home/.aws/sso/cache/$(sha1 corp).json"
	printf '{"startUrl": "https://legacy.awsapps.com/start", "region": "us-east-1", "accessToken": "ssoACCESStoken", "expiresAt": "2099-01-01T00:00:00UTC"}' \
		>"$TMP/home/.aws/sso/cache/$(sha1 https://legacy.awsapps.com/start).json"
	ssorun() { HOME=$TMP/home AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_ENDPOINT_URL_SSO=$SSO \
		AWS_ENDPOINT_URL_STS=$STUBURL run "$@"; }
	ssorun --profile sso-user
	is "$RC" 0 "an sso_session profile: whoami exits 0"
	like "$OUT" 'arn +arn:aws:iam::123456789012:user/ASIASSOSTUB' "the portal's role credentials signed STS"
	like "$OUT" 'credentials +profile sso-user \(IAM Identity Center, 111122223333/ReadOnly\)' \
		"whoami names IAM Identity Center, the account and role"
	like "$(curl -s "$SSO/__log")" '"signed": false, "token_ok": true' \
		"the portal got the cached token and no SigV4 signature"
	ssorun --profile sso-legacy
	is "$RC" 0 "a legacy sso_start_url profile (cache keyed by the URL; expiresAt ...UTC) exits 0"
	ssorun --profile sso-other-role
	is "$RC" 2 "a role not assigned exits 2"
	like "$OUT" 'not assigned role Admin in account 111122223333' "and says so"
	ssorun --profile sso-nosection
	is "$RC" 2 "sso_session without its section exits 2"
	like "$OUT" 'no \[sso-session missing\] section' "the missing section is named"
	ssorun --profile sso-half
	like "$OUT" 'needs sso_account_id' "a profile missing sso_account_id says so"
	printf '{"accessToken": "ssoACCESStoken", "expiresAt": "2020-01-01T00:00:00Z"}' \
		>"$TMP/home/.aws/sso/cache/$(sha1 corp).json"
	ssorun --profile sso-user
	is "$RC" 2 "an expired cached SSO token exits 2"
	like "$OUT" 'has expired: run `aws sso login --profile sso-user`' "and says to run aws sso login"
	printf '{"accessToken": "staleTOKEN", "expiresAt": "2099-01-01T00:00:00Z"}' \
		>"$TMP/home/.aws/sso/cache/$(sha1 corp).json"
	ssorun --profile sso-user
	like "$OUT" 'no longer accepts the cached token: run `aws sso login --profile sso-user`' \
		"a token the portal refuses (401) says to log in again"
	rm -f "$TMP/home/.aws/sso/cache/$(sha1 corp).json"
	ssorun --profile sso-user
	like "$OUT" 'no cached IAM Identity Center token.*aws sso login --profile sso-user' \
		"no cached token says to log in"
	rm -f "$AWS_CONFIG_FILE"
else
	skip "sso_stub.py did not start"
fi

# --- credential_process ------------------------------------------------------------
mkdir -p "$TMP/bin dir"
cat >"$TMP/bin dir/creds.sh" <<'EOS'
#!/bin/sh
case "$1" in
good) echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRETvalue", "SessionToken": "procTOKENvalue", "Expiration": "2099-01-01T00:00:00Z"}' ;;
expired) echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSECRETvalue", "Expiration": "2001-01-01T00:00:00Z"}' ;;
fail) echo "the vault is sealed" >&2; exit 3 ;;
esac
EOS
chmod 755 "$TMP/bin dir/creds.sh"
cat >"$AWS_CONFIG_FILE" <<EOS
[profile proc]
credential_process = "$TMP/bin dir/creds.sh" good
[profile procold]
credential_process = '$TMP/bin dir/creds.sh' expired
[profile procfail]
credential_process = $(printf '%s' "$TMP/bin dir/creds.sh" | sed 's/ /\\ /g') fail
EOS
chmod 600 "$AWS_CONFIG_FILE"
AWS_ENDPOINT_URL_STS=$STUBURL run --profile proc
is "$RC" 0 "credential_process: whoami exits 0"
like "$OUT" 'arn +arn:aws:iam::123456789012:user/AKIDPROC' "credential_process keys signed the request"
like "$OUT" 'expires +2099-01-01T00:00:00Z' "credential_process Expiration is shown"
AWS_ENDPOINT_URL_STS=$STUBURL run --profile procold
is "$RC" 2 "expired credential_process credentials are refused"
like "$OUT" 'have expired' "the message says they expired"
AWS_ENDPOINT_URL_STS=$STUBURL run --profile procfail
is "$RC" 2 "a failing credential_process exits 2"
like "$OUT" 'exited with status 3: the vault is sealed' "its status and stderr are in the message"
AWS_ENDPOINT_URL_STS=$STUBURL run --profile nosuch
is "$RC" 2 "an unknown profile exits 2"
like "$OUT" 'profile nosuch is not in' "the unknown profile is named"

# --- permissions warning -----------------------------------------------------------
chmod 644 "$AWS_CONFIG_FILE"
AWS_ENDPOINT_URL_STS=$STUBURL run --profile proc
like "$(cat "$TMP/run$n_run.err")" "chmod 600 $AWS_CONFIG_FILE" "a config file others can read gets a warning"
is "$(grep -c 'chmod 600' "$TMP/run$n_run.err")" 1 "the warning is given once"
rm -f "$AWS_CONFIG_FILE"

# --- container credentials ---------------------------------------------------------
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
AWS_CONTAINER_CREDENTIALS_FULL_URI=$STUBURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token \
	AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 0 "container credentials: whoami exits 0"
like "$OUT" 'credentials +container credentials' "whoami says container credentials"
like "$OUT" 'user/AKIDCONTAINER' "container keys signed the request"
printf 'container-auth-token\n' >"$TMP/ctoken"
AWS_CONTAINER_CREDENTIALS_FULL_URI=$STUBURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$TMP/ctoken" \
	AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 0 "container credentials with a token file"
AWS_CONTAINER_CREDENTIALS_FULL_URI=$STUBURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong \
	AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 2 "a wrong container token exits 2"
like "$OUT" 'HTTP 401' "the refusal is reported"
AWS_CONTAINER_CREDENTIALS_FULL_URI=http://example.com/creds AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 2 "a non-loopback http FULL_URI is refused"
like "$OUT" 'must be https or a loopback' "the FULL_URI rule is explained"
AWS_CONTAINER_CREDENTIALS_FULL_URI=$STUBURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=$'a\r\nX-Evil: 1' \
	AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 2 "a token with CR/LF is refused"
like "$OUT" 'line break' "the CR/LF refusal is explained"

# --- IMDSv2 ------------------------------------------------------------------------
AWS_EC2_METADATA_DISABLED= AWS_EC2_METADATA_SERVICE_ENDPOINT=$STUBURL AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 0 "IMDSv2: whoami exits 0"
like "$OUT" 'credentials +instance metadata \(IMDSv2\)' "whoami says instance metadata"
like "$OUT" 'user/AKIDIMDS' "IMDS keys signed the request"
run
is "$RC" 2 "no credentials at all exits 2"
like "$OUT" 'no AWS credentials found' "no credentials is explained"

# --- expired container credentials -------------------------------------------------
start_py OLDURL "$STUB" --expired
AWS_CONTAINER_CREDENTIALS_FULL_URI=$OLDURL/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=container-auth-token \
	AWS_ENDPOINT_URL_STS=$STUBURL run
is "$RC" 2 "expired container credentials are refused"
like "$OUT" 'have expired' "the message says so"

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
AWS_SECRET_ACCESS_KEY= run
is "$RC" 2 "partial environment keys exit 2"
like "$OUT" 'partial credentials in the environment' "partial keys are explained"

# --- transport failures ------------------------------------------------------------
AWS_ENDPOINT_URL_STS=http://nonexistent.invalid run
is "$RC" 2 "DNS failure exits 2"
like "$OUT" 'DNS lookup failed' "DNS failure is named"
DEAD=$(free_port)
AWS_MAX_ATTEMPTS=2 AWS_ENDPOINT_URL_STS=http://127.0.0.1:$DEAD run
is "$RC" 2 "connection refused exits 2"
like "$OUT" 'could not connect' "connection refused is named"
TRAILGUIDE_AWS_TIMEOUT=1 AWS_MAX_ATTEMPTS=1 AWS_ENDPOINT_URL_STS=$STUBURL/hang run
is "$RC" 2 "a server that never answers exits 2"
like "$OUT" 'no answer in time' "the timeout is named"

# --- throttling is retried ---------------------------------------------------------
: >"$TMP/trace"
AWS_ENDPOINT_URL_STS=$STUBURL/throttle run
is "$RC" 0 "throttled twice, then answered: exit 0"
is "$(grep -c '^POST 127.0.0.1:[0-9]* /throttle/ ' "$TMP/trace")" 3 "three attempts were made"
like "$(cat "$TMP/trace")" 'attempt=3' "the trace numbers the attempts"
like "$(cat "$TMP/trace")" 'ThrottlingException' "the trace names the throttling code"

# --- TLS verification stays on -----------------------------------------------------
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" \
		-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
	TLSPORT=$(free_port)
	python3 "$STUB" --port "$TLSPORT" --tls "$TMP/cert.pem" "$TMP/key.pem" >"$TMP/tls.log" 2>&1 &
	_aws_pids+=($!)
	for ((i = 0; i < 100; i++)); do
		curl -sk -o /dev/null "https://127.0.0.1:$TLSPORT/" && break
		sleep 0.1
	done
	AWS_ENDPOINT_URL_STS=https://127.0.0.1:$TLSPORT run
	is "$RC" 2 "a self-signed certificate is refused"
	like "$OUT" 'TLS certificate problem' "the TLS failure is named"
	like "$OUT" 'AWS_CA_BUNDLE' "the message suggests AWS_CA_BUNDLE"
	AWS_CA_BUNDLE="$TMP/cert.pem" AWS_ENDPOINT_URL_STS=https://127.0.0.1:$TLSPORT run
	is "$RC" 0 "with AWS_CA_BUNDLE the certificate is trusted"
else
	skip "openssl CLI not available"
fi

# --- a proxy from the environment is used ------------------------------------------
start_py PROXY "$STUB" --log "$TMP/proxy.log"
(
	unset NO_PROXY no_proxy
	http_proxy=$PROXY AWS_ENDPOINT_URL_STS=http://sts.example.test:8080 "$TG" whoami \
		>"$TMP/proxy.out" 2>&1
	echo $? >"$TMP/proxy.rc"
)
is "$(cat "$TMP/proxy.rc")" 0 "whoami through http_proxy exits 0"
like "$(cat "$TMP/proxy.log" 2>/dev/null)" '^POST http://sts.example.test:8080/' \
	"the proxy saw the absolute-form request"
like "$(cat "$TMP/proxy.out")" 'user/via-proxy' "the answer came through the proxy"

(
	unset NO_PROXY no_proxy
	http_proxy=http://proxy.nonexistent.invalid:3128 AWS_MAX_ATTEMPTS=1 \
		AWS_ENDPOINT_URL_STS=http://sts.example.test:8080 "$TG" whoami >"$TMP/proxy2.out" 2>&1
	echo $? >"$TMP/proxy2.rc"
)
is "$(cat "$TMP/proxy2.rc")" 2 "an unresolvable proxy exits 2"
like "$(cat "$TMP/proxy2.out")" 'the proxy failed' "the proxy failure is named"

"$TG" whoami --help >"$TMP/help.out" 2>&1
ok $? "whoami --help exits 0"
like "$(cat "$TMP/help.out")" 'usage: trailguide whoami \[--profile P\] \[--region R\]' "whoami --help shows usage"
"$TG" whoami extra >/dev/null 2>&1
is "$?" 2 "whoami with an argument exits 2"

# --- no secret anywhere --------------------------------------------------------------
leaks=0
for s in "${SECRETS[@]}"; do
	files=$(grep -lF -- "$s" "$TMP"/run*.out "$TMP"/run*.err "$TMP/trace" "$TMP/proxy.out" 2>/dev/null)
	if [ -n "$files" ]; then
		echo "# secret $s leaked into: $files"
		leaks=$((leaks + 1))
	fi
done
is "$leaks" 0 "no secret value appears in any output or trace ($n_run runs)"
grep -q 'attempt=1' "$TMP/trace"
ok $? "the trace file was written"
done_testing
