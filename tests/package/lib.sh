# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared by tests/package/check-install and check-deb: TAP output and the checks both make on
# an installed tree (a DESTDIR, or the unpacked .deb). Sourced, not run.

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
check() { # check NAME COMMAND...: ok when COMMAND succeeds, else its output as diagnostics
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "${out:-(no output)}"; fi
}
# fails the whole script (not a skip) when a tool the checks need is missing
need_tools() {
	local missing=() tool
	for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
	if [ ${#missing[@]} -gt 0 ]; then
		not_ok "the tools are installed" "missing: ${missing[*]} (scripts/install-deps --e2e --package installs them)"
		exit 1
	fi
	ok "the tools are installed ($*)"
}

version_of() { # version_of BINARY NAME VERSION SOURCE_URL: --version's first line and Source:
	local out
	out=$(env -i "$1" --version 2>&1) || { echo "$out"; return 1; }
	grep -qx "$2 $3\( (git [^)]*)\)\?" <<<"$(head -1 <<<"$out")" || { echo "first line is not '$2 $3': $out"; return 1; }
	grep -qxF "Source: $4" <<<"$out" || { echo "no 'Source: $4' line: $out"; return 1; }
}

renders() { # renders PAGE BINARY: man -l without warnings; every --help entry is on the page
	local page=$1 bin=$2 text err missing=() errf entry
	errf=$(mktemp)
	text=$(MANWIDTH=200 MAN_KEEP_FORMATTING=0 man --warnings -l "$page" 2>"$errf" | col -b)
	err=$(cat "$errf"); rm -f "$errf"
	[ -z "$err" ] || { echo "warnings: $err"; return 1; }
	grep -q "^NAME" <<<"$text" || { echo "no NAME section: $text"; return 1; }
	while read -r entry; do
		grep -qF -- "$entry" <<<"$text" || missing+=("$entry")
	done < <(env -i "$bin" --help | grep -oE '^  (--[a-z-]+|FRANK_[A-Z_]+|frank [a-z-]+( [a-z]+)?)' | sed 's/^  //')
	[ ${#missing[@]} -eq 0 ] || { echo "not on the page: ${missing[*]}"; return 1; }
}

unit_verifies() { # unit_verifies ROOT UNIT FRANKD: systemd-analyze verify, no diagnostics
	# verified against the installed tree ROOT, where the unit's ExecStart must exist;
	# systemd's own units (the targets it orders itself against) are copied in from the host
	local root=$1 unit=$2 frankd=$3 out
	mkdir -p "$root/usr/lib/systemd" && cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/" || return 1
	out=$(systemd-analyze verify --man=no --root="$root" "$unit" 2>&1) || { echo "$out"; return 1; }
	[ -z "$out" ] || { echo "$out"; return 1; }
	grep -qx "ExecStart=$frankd" "$unit" || { echo "ExecStart is not $frankd"; return 1; }
}
