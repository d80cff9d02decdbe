#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad rules and options: one clear message, exit code 2,
# nothing mounted.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
mkdir -p "$M"

# Runs dockerfs with bad arguments; expects exit 2, one line, no mount.
bad() {
    local desc=$1 log=$TESTS_TMP/bad.log rc=0 lines
    shift
    timeout 20 "$DOCKERFS_BIN" "$@" >"$log" 2>&1 || rc=$?
    check_eq "$desc: exit code 2" 2 "$rc"
    # One message; a "Try 'dockerfs --help'" hint line after it is fine.
    lines=$(grep -v -e '^[[:space:]]*$' -e "^Try '.*--help'" "$log" | wc -l)
    check_eq "$desc: exactly one line of message" 1 "$lines"
    note "$desc -> $(head -n 3 "$log")"
    check "$desc: nothing mounted" dfs_unmounted "$M"
    check_san "$log"
}

bad "--protect nonsense" "$M" -f --protect nonsense
bad "--protect label=" "$M" -f --protect label=
bad "--protect bogus=x" "$M" -f --protect bogus=x
bad "--filter =x" "$M" -f --filter =x
bad "--filter nokey" "$M" -f --filter nokey
bad "--filter label=" "$M" -f --filter label=
bad "--filter unknownkey=x" "$M" -f --filter unknownkey=x
bad "--kill-action explode" "$M" -f --kill-action explode
bad "--kill-action (no value)" "$M" -f --kill-action
bad "--uid notanumber" "$M" -f --uid notanumber
bad "--uid -1" "$M" -f --uid -1
bad "--gid notagroup" "$M" -f --gid notagroupxyz
bad "--timeout abc" "$M" -f --timeout abc
bad "--resync -5" "$M" -f --resync -5
bad "an unknown option" "$M" -f --bogus-option
bad "no mount point" -f
bad "two mount points" "$M" "$TESTS_TMP" -f
# A bad option after valid ones, and without -f (no fork before checking).
bad "--kill-action explode without -f" "$M" --all --kill-action explode
tap_done
