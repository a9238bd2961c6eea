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

# ktap_suite_verdict PREFIX FILE: one test for a KUnit suite as a whole. It
# fails if the suite's own top-level line is "not ok" or missing (the suite
# crashed), or if fewer case lines were read than the suite's plan
# announced (a case line mangled by a printk, say, which tap_collect would
# otherwise just not see).
ktap_suite_verdict() {
	local prefix=$1 file=$2 plan seen
	plan=$(sed -n 's/^    1\.\.\([0-9]*\).*/\1/p' "$file" | head -n 1)
	seen=$(grep -cE '^    (not )?ok [0-9]+ ' "$file" || true)
	if grep -qE '^not ok [0-9]+ ' "$file"; then
		t_fail "$prefix" "the suite reports not ok"
	elif ! grep -qE '^ok [0-9]+ ' "$file"; then
		t_fail "$prefix" "no suite result line"
	elif [ -n "$plan" ] && [ "${seen:-0}" -lt "$plan" ]; then
		t_fail "$prefix" "$seen of $plan case results readable"
	else
		t_pass "$prefix"
	fi
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
