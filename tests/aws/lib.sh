# tests/aws/lib.sh — loopback AWS servers for the shell tests. Source after tests/lib.sh.
#
#   aws_env                      pinned test credentials, region, no real AWS reachable
#   free_port                    print a free TCP port on 127.0.0.1
#   start_moto VAR               start moto_server on a free port; VAR=http://127.0.0.1:PORT
#   start_py VAR SCRIPT ARGS...  start a Python server SCRIPT --port PORT ARGS...; VAR=URL
#   wait_http URL [SECS]         poll until URL answers (any status)
#   have_moto                    0 if moto_server can run here
# Every server started is killed when the test exits. Every test using these is slow:
# skipped with TG_SKIP_HEAVY=1 (see heavy_test in tests/lib.sh).
heavy_test

_aws_pids=()
_aws_cleanup() {
	local p
	for p in "${_aws_pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${_aws_pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap _aws_cleanup EXIT

aws_env() {
	unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN \
		AWS_ENDPOINT_URL AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
		AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_WEB_IDENTITY_TOKEN_FILE
	export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
	export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
	export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
	export AWS_CONFIG_FILE="$TMP/aws-config" AWS_SHARED_CREDENTIALS_FILE="$TMP/aws-credentials"
	export AWS_EC2_METADATA_DISABLED=true
	export XDG_CACHE_HOME="$TMP/home/.cache"
	export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # URL [SECS]
	local url=$1 secs=${2:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		if curl -s -o /dev/null --max-time 1 "$url"; then return 0; fi
		sleep 0.1
	done
	return 1
}

have_moto() { command -v moto_server >/dev/null 2>&1; }

start_moto() { # VAR
	local port
	port=$(free_port)
	moto_server -H 127.0.0.1 -p "$port" >"$TMP/moto-$port.log" 2>&1 &
	_aws_pids+=($!)
	wait_http "http://127.0.0.1:$port/moto-api/" 60 || { echo "# moto_server did not start"; cat "$TMP/moto-$port.log" | sed 's/^/# /' | tail -5; return 1; }
	printf -v "$1" 'http://127.0.0.1:%s' "$port"
}

start_py() { # VAR SCRIPT ARGS...
	local var=$1 script=$2 port
	shift 2
	port=$(free_port)
	python3 "$script" --port "$port" "$@" >"$TMP/py-$port.log" 2>&1 &
	_aws_pids+=($!)
	wait_http "http://127.0.0.1:$port/" 30 || { echo "# $script did not start"; tail -5 "$TMP/py-$port.log" | sed 's/^/# /'; return 1; }
	printf -v "$var" 'http://127.0.0.1:%s' "$port"
}
