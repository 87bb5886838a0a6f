# bash completion for certfleet and certfleet-gen (installed by
# cmake --install into share/bash-completion/completions/)

_certfleet()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "scan show rules help version --help --version -V" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	scan)
		case $prev in
		--fail-on) COMPREPLY=($(compgen -W "error warning never" -- "$cur")); return ;;
		--profile) COMPREPLY=($(compgen -W "private cabf" -- "$cur")); return ;;
		--layout) COMPREPLY=($(compgen -W "auto fleet node" -- "$cur")); return ;;
		--trust|--trust-only) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		--junit-warnings) COMPREPLY=($(compgen -W "failure skipped output" -- "$cur")); return ;;
		--color) COMPREPLY=($(compgen -W "always never" -- "$cur")); return ;;
		--now|--soon|--max-validity|--node|--identical|--per-node|--jobs|--comment|--max-*|--prom-label|--markdown-max-bytes|--expect-name|--severity)
			return ;;
		--junit|--markdown|--json|--prom|--sarif|--html|--password-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--now --soon --max-validity --profile --node --layout --identical --per-node --allow-empty --follow-links --password-file
			    --trust --trust-only --system-trust --expect-name --severity
			    --junit --markdown --json --prom --sarif --html --junit-warnings --markdown-max-bytes --prom-label --max-lines --color --fail-on --jobs --max-file-size
			    --max-total-size --max-ratio --max-entries --max-kdf-work --comment --quiet --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	show) COMPREPLY=($(compgen -f -- "$cur")) ;;
	rules)
		if [ "$prev" = --format ]; then
			COMPREPLY=($(compgen -W "text json markdown" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--format --help" -- "$cur"))
		fi
		;;
	help) COMPREPLY=($(compgen -W "scan show rules version" -- "$cur")) ;;
	esac
}
complete -F _certfleet certfleet

_certfleet_gen()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "fixtures fleet --help" -- "$cur"))
		return
	fi
	case $prev in
	--format) COMPREPLY=($(compgen -W "dir tar tar.gz tar.xz tar.zst tar.bz2 zip mixed k8s p12 jks" -- "$cur")); return ;;
	--nodes|--certs-per-node|--faults|--seed|--now) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--nodes --certs-per-node --faults --format --seed --now --help" -- "$cur"))
	else
		COMPREPLY=($(compgen -d -- "$cur"))
	fi
}
complete -F _certfleet_gen certfleet-gen
