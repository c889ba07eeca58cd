#!/usr/bin/env bash
# tui_tmux.sh — the console in a real terminal: a private tmux server at 80x24, keys sent
# with send-keys, the pane polled with capture-pane (never a fixed sleep).
. "${top_srcdir:-.}/tests/lib.sh"
heavy_test
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
SOCK="tg-test-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() { tm kill-server >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT
# wait_for TEXT [SECONDS]: poll the pane until it shows TEXT
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		tm capture-pane -p -t tg 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
tm new-session -d -s tg -x 80 -y 24 \
	"env TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$HOME TRAILGUIDE_SAMPLE=$TRAILGUIDE_SAMPLE \
	$TG --runbooks $top_srcdir/runbooks -r anomaly/root-activity; echo EXITED \$?; sleep 30"
tm set -t tg remain-on-exit on >/dev/null
wait_for "Events 1 of 16751" 30
ok $? "the console starts at 80x24"
like "$(tm capture-pane -p -t tg)" 'Runbook: Root user' "the steps pane is shown"
like "$(tm capture-pane -p -t tg)" '▸Runbook: Root user' "-r: the steps pane has the focus (its title marked)"
tm send-keys -t tg Tab j j P
wait_for "principal=" 
ok $? "P pivots on the principal (breadcrumb shown)"
tm send-keys -t tg Escape
wait_for "Events 3 of 16751"
ok $? "Esc goes back with the cursor restored"
tm resize-window -t tg -x 100 -y 30 2>/dev/null || tm resize-pane -t tg -x 100 -y 30
wait_for "Runbook: Root user activity and "
ok $? "live resize to 100x30 relays the panes out"
# the hostile event: typed at the : prompt
tm send-keys -t tg : 'query event = GetUser and principal ~ "*mallory" | sort time desc' Enter
wait_for "Events 1 of 2 "
ok $? "a query typed at the prompt"
tm send-keys -t tg Tab
found=1
for ((k = 0; k < 40 && found; k++)); do # down the detail pane until the userAgent shows
	tm send-keys -t tg j
	wait_for 'userAgent": "\e]0;pwned\x07' 1
	found=$?
done
ok $found "the hostile userAgent is shown escaped"
raw=$(tm capture-pane -e -p -t tg)
# only our own SGR attributes may appear: ESC [ digits/; m
left=$(printf '%s' "$raw" | sed 's/\x1b\[[0-9;]*m//g' | LC_ALL=C tr -d '\n' | LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]')
is "$left" 0 "no raw control byte from the event reaches the pane"
title=$(tm display -p -t tg '#{pane_title}')
[ "$title" != pwned ]
ok $? "the event did not retitle the terminal"
tm send-keys -t tg q
wait_for "quit trailguide? y/n"
ok $? "q asks before quitting"
tm send-keys -t tg y
wait_for "EXITED 0"
ok $? "q y quits with status 0"
alt=$(tm display -p -t tg '#{alternate_on}')
is "$alt" 0 "the terminal is restored (alternate screen off)"
# SIGTERM restores the terminal too
tm respawn-pane -k -t tg "env TERM=screen-256color LC_ALL=C.UTF-8 HOME=$HOME \
	TRAILGUIDE_SAMPLE=$TRAILGUIDE_SAMPLE $TG --runbooks $top_srcdir/runbooks; echo EXITED \$?; sleep 30"
wait_for "(type to filter, Enter opens" 30
ok $? "without -r the console starts with the runbook picker"
tm send-keys -t tg Escape
wait_for "Events 1 of" 30
ok $? "Esc leaves the picker for the console without a runbook"
pid=$(pgrep -P "$(tm display -p -t tg '#{pane_pid}')" -x trailguide || true)
[ -n "$pid" ] && kill -TERM "$pid"
wait_for "EXITED 143"
ok $? "SIGTERM: exit status 143"
is "$(tm display -p -t tg '#{alternate_on}')" 0 "SIGTERM: the terminal is restored"
# a crash (SIGSEGV) restores the terminal too, and still dies of the signal
tm respawn-pane -k -t tg "env TERM=screen-256color LC_ALL=C.UTF-8 HOME=$HOME \
	TRAILGUIDE_SAMPLE=$TRAILGUIDE_SAMPLE $TG -r anomaly/root-activity --runbooks $top_srcdir/runbooks; echo EXITED \$?; sleep 30"
wait_for "Events 1 of" 30
pid=$(pgrep -P "$(tm display -p -t tg '#{pane_pid}')" -x trailguide || true)
[ -n "$pid" ] && kill -SEGV "$pid"
wait_for "EXITED 139"
ok $? "SIGSEGV: exit status 139 (the default action)"
is "$(tm display -p -t tg '#{alternate_on}')" 0 "SIGSEGV: the terminal is restored"
# the prompt: completion of a command, a value, and history recalled after a restart
run_hist() {
	tm respawn-pane -k -t tg "env TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$HOME \
		XDG_STATE_HOME=$TMP/hist-state TRAILGUIDE_SAMPLE=$TRAILGUIDE_SAMPLE \
		$TG --runbooks $top_srcdir/runbooks -r anomaly/root-activity; echo EXITED \$?; sleep 30"
	wait_for "Events 1 of 16751" 30
}
run_hist
tm send-keys -t tg : piv Tab
wait_for ":pivot"
ok $? "prompt: Tab completes a command name"
tm send-keys -t tg Escape : 'query event = Consol' Tab
wait_for ":query event = ConsoleLogin"
ok $? "prompt: Tab completes a value of the loaded events"
tm send-keys -t tg Enter
wait_for "Events 1 of 41"
ok $? "prompt: the completed query runs"
tm send-keys -t tg q y
wait_for "EXITED 0"
run_hist
tm send-keys -t tg : Up
wait_for ":query event = ConsoleLogin"
ok $? "prompt: <Up> recalls the line after a restart"
tm send-keys -t tg Enter
wait_for "Events 1 of 41"
ok $? "prompt: the recalled line runs"
tm send-keys -t tg q y
wait_for "EXITED 0"
# loading: curses starts first and a centered panel shows the progress (a few thousand
# generated files, one thread, no load cache: a hit would end the second load before its
# q); the console follows; q while loading abandons with 130.
# The generated days end at GEN_END and the console's --now is pinned there: with the
# wall clock, the runbook's window would miss them (0 files) once the date moved on.
GEN_END=2026-11-20T00:00:00Z
"$top_builddir/tg-gen" --out "$TMP/gen" --events 200000 --end "$GEN_END" --no-incidents >/dev/null 2>&1
tm respawn-pane -k -t tg "env TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$HOME \
	$TG -j 1 --no-cache --now $GEN_END --runbooks $top_srcdir/runbooks -r anomaly/root-activity $TMP/gen; echo EXITED \$?; sleep 30"
wait_for "Loading" 10
ok $? "loading: the panel is drawn while the sources load"
like "$(tm capture-pane -p -t tg)" 'files' "loading: the panel counts files"
wait_for "Events 1 of" 60
ok $? "loading: the console follows the panel"
tm send-keys -t tg q y
wait_for "EXITED 0"
tm respawn-pane -k -t tg "env TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$HOME \
	$TG -j 1 --no-cache --now $GEN_END --runbooks $top_srcdir/runbooks -r anomaly/root-activity $TMP/gen; echo EXITED \$?; sleep 30"
wait_for "Loading" 10
tm send-keys -t tg q
wait_for "EXITED 130" 20
ok $? "loading: q abandons the load with status 130"
is "$(tm display -p -t tg '#{alternate_on}')" 0 "loading: abandoning restores the terminal"
# issue 13, as a new user meets it, at 120x40 and 80x24: the picker's Enter runs step 1;
# q asks; C-c at the prompt cancels the line; a multi-line bracketed paste lands in the
# prompt as one line (never replayed as keys); -k with an unknown keymap falls back
run_new() { # run_new SIZE ARGS...: a fresh console in a window of SIZE (COLSxROWS)
	local size=$1
	shift
	tm kill-session -t tg 2>/dev/null
	tm new-session -d -s tg -x "${size%x*}" -y "${size#*x}" \
		"env TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$HOME XDG_STATE_HOME=$TMP/new-state \
		TRAILGUIDE_SAMPLE=$TRAILGUIDE_SAMPLE $TG --runbooks $top_srcdir/runbooks $*; echo EXITED \$?; sleep 30"
	tm set -t tg remain-on-exit on >/dev/null
}
for size in 120x40 80x24; do
	run_new "$size"
	wait_for "(type to filter, Enter opens" 30
	ok $? "$size: the picker"
	tm send-keys -t tg Down Enter
	wait_for "step 1: 17 events" 30
	ok $? "$size: the picker's Enter opens the runbook and runs step 1"
	tm send-keys -t tg 4
	wait_for "step 4: 1 event"
	ok $? "$size: 4 runs step 4 (console sign-ins without MFA): three keys from launch"
	tm send-keys -t tg q
	wait_for "quit trailguide? y/n"
	ok $? "$size: q asks"
	tm send-keys -t tg n
	wait_for "not quitting"
	ok $? "$size: n stays"
	tm send-keys -t tg : 'query event = CreateUser'
	wait_for ":query event = CreateUser"
	tm send-keys -t tg C-c
	wait_for "cancelled"
	ok $? "$size: C-c at the prompt cancels the line"
	like "$(tm capture-pane -p -t tg)" 'step 4|Events 1 of 1 ' "$size: ... and the program is still running"
	tm send-keys -t tg : 'query event = ConsoleLogin'
	tm send-keys -t tg Enter
	wait_for "Events 1 of 31" # the runbook's 7-day window
	ok $? "$size: the prompt runs a line after a C-c"
	# two lines pasted: with bracketed paste they reach the prompt as one line, nothing runs
	printf 'event = CreateUser\nand error exists\n' | tm load-buffer -b p -
	tm paste-buffer -p -b p -t tg
	wait_for ":query event = CreateUser and error exists"
	ok $? "$size: a two-line paste lands in the prompt as one line"
	like "$(tm capture-pane -p -t tg)" 'Events 1 of 31' "$size: ... and nothing of it ran as keys"
	tm send-keys -t tg Enter
	wait_for "(CreateUser"
	tm send-keys -t tg Escape q y
	wait_for "EXITED 0"
	ok $? "$size: q y leaves"
	is "$(tm display -p -t tg '#{alternate_on}')" 0 "$size: the terminal is restored"
	run_new "$size" -k vim -r anomaly/root-activity
	wait_for "no such keymap" 30
	ok $? "$size: -k vim says it fell back to the default keys"
	tm send-keys -t tg Tab j
	wait_for "Events 2 of 16751"
	ok $? "$size: ... and the default keys work"
	tm send-keys -t tg : 'q!' Enter
	wait_for "EXITED 0"
	ok $? "$size: :q! leaves without asking"
done
done_testing
