# bash completion for trailguide(1)                                    -*- shell-script -*-
# Installed as bash-completion's completions/trailguide; or: source this file.
# The option lists follow each command's --help (tests/completion.sh fails on drift).

_trailguide_commands="query run runbooks lint report case journal sql sigma whoami help"

_trailguide_options() { # COMMAND: its long options
	case $1 in
	query) echo "--format --since --until --now --strict --threads --quiet --timing --runbooks
		--case --case-id --new-case --journal-key --profile --region --help" ;;
	run) echo "--format --since --until --now --strict --threads --quiet --runbooks --state
		--notify --fail-on-findings --case --case-id --new-case --journal-key --profile
		--region --help" ;;
	runbooks) echo "--runbooks --help" ;;
	lint) echo "--runbooks --now --quiet --help" ;;
	report) echo "--format --journal-key --help" ;;
	case) echo "--reason --event --journal-key --threads --quiet --help" ;;
	journal) echo "--journal-key --help" ;;
	sql) echo "--dialect --table --since --until --now --partition --events --runbooks --help" ;;
	sigma) echo "--output --id --table --aggregate --run --sweep --events --fail-on-findings
		--since --until --now --runbooks --quiet --help" ;;
	whoami) echo "--profile --region --help" ;;
	console) echo "--runbook --since --until --now --runbooks --case --case-id --new-case
		--journal-key --keymap --threads --profile --region --help --help-console
		--version" ;;
	esac
}

_trailguide_runbook_ids() { # the ids in the search path (--runbooks DIRs on the line first)
	local i dirs=()
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		[[ ${COMP_WORDS[i]} == --runbooks ]] && dirs+=(--runbooks "${COMP_WORDS[i + 1]}")
	done
	"${COMP_WORDS[0]:-trailguide}" runbooks "${dirs[@]}" 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_trailguide_sources() { # files, directories, and the remote schemes
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$cur"))
	if [[ $cur != */* ]]; then
		COMPREPLY+=($(compgen -W "s3:// lookup:// athena:// lake://" -- "$cur"))
		compopt -o nospace 2>/dev/null
	fi
	compopt -o filenames 2>/dev/null
}

_trailguide() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=console i
	if ((COMP_CWORD > 1)); then
		for i in $_trailguide_commands; do
			[[ ${COMP_WORDS[1]} == "$i" ]] && cmd=$i
		done
	fi
	# option values
	case $prev in
	--format | -f)
		case $cmd in
		report) COMPREPLY=($(compgen -W "md json" -- "$cur")) ;;
		run) COMPREPLY=($(compgen -W "table json ndjson csv md" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "table json ndjson csv" -- "$cur")) ;;
		esac
		return ;;
	--dialect | -d) COMPREPLY=($(compgen -W "athena lake" -- "$cur")); return ;;
	--partition) COMPREPLY=($(compgen -W "none timestamp account,region,timestamp" -- "$cur")); return ;;
	--keymap | -k) COMPREPLY=($(compgen -W "default vi emacs" -- "$cur") $(compgen -f -- "$cur")); return ;;
	--aggregate) COMPREPLY=($(compgen -W "bins" -- "$cur")); return ;;
	--runbook | -r) COMPREPLY=($(compgen -W "$(_trailguide_runbook_ids)" -- "$cur")); return ;;
	--runbooks | --case | --output | -o)
		COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--state | --journal-key)
		COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	--since | --until | --now | --case-id | --reason | --event | --notify | --profile | \
		--region | --table | -t | --id | --threads | -j)
		return ;;
	esac
	if ((COMP_CWORD == 1)) && [[ $cur != -* ]]; then
		if [[ $cur == */* ]]; then
			_trailguide_sources # the console's sources
		else
			COMPREPLY=($(compgen -W "$_trailguide_commands" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_trailguide_options "$cmd")" -- "$cur"))
		return
	fi
	# positional arguments: the first after the command
	local nth=0
	for ((i = 2; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--strict | --quiet | -q | --timing | --new-case | --fail-on-findings | --events | \
			--run | --sweep | --table | --help | -h) ;;
		-*) [[ ${COMP_WORDS[i]} == *=* ]] || ((i++)) ;;
		*) nth=$((nth + 1)) ;;
		esac
	done
	case $cmd in
	run | sql)
		((nth == 0)) && COMPREPLY=($(compgen -W "$(_trailguide_runbook_ids)" -- "$cur")) ||
			_trailguide_sources ;;
	case)
		((nth == 0)) && COMPREPLY=($(compgen -W "list mark note" -- "$cur")) || _trailguide_sources ;;
	journal)
		((nth == 0)) && COMPREPLY=($(compgen -W "verify show" -- "$cur")) ||
			{ COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; } ;;
	query)
		((nth == 0)) || _trailguide_sources ;;
	runbooks | whoami | help) ;;
	*) _trailguide_sources ;;
	esac
}
complete -F _trailguide trailguide
