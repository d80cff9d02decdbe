# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tap.sh - TAP-like output for shell tests. Source it, then:
#
#   ok "description"               records a pass
#   not_ok "description" [detail]  records a failure (detail as a # line)
#   check "description" cmd ...    runs cmd; ok if it exits 0, else not_ok
#   check_eq "description" WANT GOT
#   require "description" cmd ...  a step the rest of the script needs:
#                                  runs cmd in this shell (what it sets
#                                  stays set); ok, or not_ok and tap_done
#   note "text"                    prints "# text"
#   wait_until SECONDS cmd ...     polls cmd every 50 ms until it exits 0;
#                                  returns 1 when the bounded wait runs out
#   tap_done                       prints the summary; exits 1 on a failure
#
# Every line a test prints is either "ok - ...", "not ok - ..." or starts
# with "#", so tests/run can count results by reading the output.

TAP_PASS=${TAP_PASS:-0}
TAP_FAIL=${TAP_FAIL:-0}

# Prints one "# " line per line of its arguments.
note() {
    local line
    while IFS= read -r line; do
        printf '# %s\n' "$line"
    done <<<"$*"
}

# Records a pass.
ok() {
    TAP_PASS=$((TAP_PASS + 1))
    printf 'ok - %s\n' "$1"
}

# Records a failure; an optional second argument is printed as # lines.
not_ok() {
    TAP_FAIL=$((TAP_FAIL + 1))
    printf 'not ok - %s\n' "$1"
    if [ $# -gt 1 ] && [ -n "$2" ]; then
        note "$2"
    fi
}

# Runs a command; its output goes to # lines only when it fails, so a
# passing check stays one line.
check() {
    local desc=$1 out rc
    shift
    rc=0
    out=$("$@" 2>&1) || rc=$?
    if [ "$rc" -eq 0 ]; then
        ok "$desc"
    else
        not_ok "$desc" "exit $rc: $*${out:+
$out}"
    fi
    return 0
}

# Compares two strings; prints both when they differ.
check_eq() {
    local desc=$1 want=$2 got=$3
    if [ "$want" = "$got" ]; then
        ok "$desc"
    else
        not_ok "$desc" "want: $want
got:  $got"
    fi
    return 0
}

# Runs a set-up step in the current shell: one line, ok or not ok, under
# one description either way; the script ends if it failed.
require() {
    local desc=$1
    shift
    if "$@"; then
        ok "$desc"
    else
        not_ok "$desc" "exit $?: $*"
        tap_done
    fi
}

# Polls a command until it succeeds or SECONDS pass (fractions allowed).
# The bound is wall-clock time, so a slow machine only makes it poll less.
wait_until() {
    local limit_ms start now
    limit_ms=$(awk -v s="$1" 'BEGIN{printf "%d", s*1000}')
    shift
    start=$(date +%s%N)
    while :; do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        now=$(date +%s%N)
        if [ $(( (now - start) / 1000000 )) -ge "$limit_ms" ]; then
            return 1
        fi
        sleep 0.05
    done
}

# Milliseconds since the epoch, for measured latencies.
now_ms() {
    echo $(( $(date +%s%N) / 1000000 ))
}

# Prints the summary and ends the script: exit 1 if anything failed.
tap_done() {
    printf '# %d passed, %d failed\n' "$TAP_PASS" "$TAP_FAIL"
    if [ "$TAP_FAIL" -ne 0 ]; then
        exit 1
    fi
    exit 0
}
