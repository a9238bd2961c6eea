# SPDX-License-Identifier: GPL-2.0
# Result bookkeeping shared by tests/run and its stages. Every test prints
# one line, "PASS name" or "FAIL name", and tests/run closes with
# "N passed, N failed".

OHV_RESULTS=${OHV_RESULTS:-/tmp/ohv-results.$$}

t_pass() { echo "PASS $1"; echo "pass $1" >>"$OHV_RESULTS"; }
t_skip() { echo "SKIP $1${2:+ ($2)}"; echo "skip $1" >>"$OHV_RESULTS"; }
t_fail() {
	echo "FAIL $1${2:+ ($2)}"
	echo "fail $1" >>"$OHV_RESULTS"
}

# t_cmd NAME LOG COMMAND...: one test whose verdict is COMMAND's status.
t_cmd() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		t_pass "$name"
	else
		t_fail "$name" "see $log"
		tail -n 25 "$log" | sed 's/^/    | /'
	fi
}

# tap_collect PREFIX FILE [DEPTH]: turn TAP/KTAP result lines into test
# lines. DEPTH is the indentation level to read (0 = top level "ok N name",
# 1 = KUnit test cases under a suite, which the kernel indents by 4 spaces).
tap_collect() {
	local prefix=$1 file=$2 depth=${3:-0} n=0 line rest status name
	local indent
	indent=$(printf '%*s' $((depth * 4)) '')
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"${indent}ok "*|"${indent}not ok "*) ;;
		*) continue ;;
		esac
		rest=${line#"$indent"}
		case "$rest" in
		"not ok "*) status=fail; rest=${rest#not ok } ;;
		*) status=pass; rest=${rest#ok } ;;
		esac
		rest=${rest#* }		# drop the test number
		name=${rest%% # *}
		name=${name#- }
		n=$((n + 1))
		case "$rest" in
		*"# SKIP"*|*"# skip"*) t_skip "$prefix/$name" ;;
		*) if [ $status = pass ]; then t_pass "$prefix/$name"; else t_fail "$prefix/$name"; fi ;;
		esac
	done <"$file"
	[ $n -gt 0 ] || t_fail "$prefix" "no TAP results in $file"
}

t_summary() {
	local p f s
	p=$(grep -c '^pass ' "$OHV_RESULTS" 2>/dev/null || true)
	f=$(grep -c '^fail ' "$OHV_RESULTS" 2>/dev/null || true)
	s=$(grep -c '^skip ' "$OHV_RESULTS" 2>/dev/null || true)
	[ "${s:-0}" -eq 0 ] || echo "${s} skipped"
	echo "${p:-0} passed, ${f:-0} failed"
	[ "${f:-0}" -eq 0 ] && [ "${p:-0}" -gt 0 ]
}
