#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Safety rules: protection by label and by --protect, --filter
# scope, --all, --dry-run, -o ro, --kill-action stop|kill, and the audit
# line of every kill attempt.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt

# Writes 1 to a kill file as a background process so its pid is known;
# prints "RESULT PID".
kill_with_pid() {
    "$FSOP" write "$1" 1 >"$TESTS_TMP/kwp.out" &
    local pid=$!
    wait "$pid"
    echo "$(head -n 1 "$TESTS_TMP/kwp.out") $pid"
}

# --- protection by label
P=$(run_c --name guarded --label dockerfs.protect=true)
SP=${P:0:12}
U=$(run_c --name plain)
SU=${U:0:12}
dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }
check "a protected container is listed" listed "$M" "$SP"
check_eq "protected by label: its protected file says 1" 1 "$(cat "$M/$SP/protected")"
check_eq "unprotected: its protected file says 0" 0 "$(cat "$M/$SU/protected")"
check_eq "protected is mode 0444" 444 "$(stat -c %a "$M/$SP/protected")"
read -r res pid < <(kill_with_pid "$M/$SP/kill")
check_eq "protected by label: kill gives EPERM" EPERM "$res"
check_eq "protected by label: still running" running "$(c_state "$P")"
check_eq "protected by label, by name: EPERM" EPERM "$(fsop1 write "$M/guarded/kill" 1)"
line=$(grep -F "id=$SP" "$DFS_LOG" | grep -F "pid=$pid" | tail -n 1)
check "audit line for the refused kill names the container" grep -qF "name=guarded" <<<"$line"
check "audit line for the refused kill says EPERM" grep -qF "result=EPERM" <<<"$line"
check "audit line for the refused kill names the caller's pid" grep -qF "pid=$pid" <<<"$line"
note "audit: $line"

# --- the audit line of a successful kill
read -r res pid < <(kill_with_pid "$M/$SU/kill")
check_eq "unprotected: kill OK" OK "$res"
check_eq "unprotected: removed" gone "$(c_state "$U")"
line=$(grep -F "id=$SU" "$DFS_LOG" | tail -n 1)
note "audit: $line"
for want in "id=$SU" "name=plain" "image=$TEST_IMAGE" "pid=$pid" "uid=0" "comm=fsop" "action=rm" "result=ok"; do
    check "audit line has $want" grep -qF -- "$want" <<<"$line"
done
check "audit line has a time stamp" grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2}' <<<"$line"
dfs_stop TERM
check_eq "exit 0" 0 "$DFS_RC"
check_san

# --- --protect rules
N1=$(run_c --name web-1)
N2=$(run_c --name db-1 --label tier=data)
N3=$(run_c --name other-1)
dfs_mount "$M" --protect 'name=web-*' --protect label=tier=data || { not_ok "mounts with --protect"; tap_done; }
for n in "$N1" "$N2"; do
    check_eq "--protect: ${n:0:12}/protected says 1" 1 "$(cat "$M/${n:0:12}/protected")"
done
check_eq "--protect: an unmatched container's protected says 0" 0 "$(cat "$M/${N3:0:12}/protected")"
check_eq "--protect name=web-*: EPERM" EPERM "$(fsop1 write "$M/${N1:0:12}/kill" 1)"
check_eq "--protect name=web-*: still running" running "$(c_state "$N1")"
check_eq "--protect label=tier=data: EPERM" EPERM "$(fsop1 write "$M/${N2:0:12}/kill" 1)"
check_eq "--protect label=tier=data: still running" running "$(c_state "$N2")"
check_eq "label protection still applies with --protect" EPERM "$(fsop1 write "$M/$SP/kill" 1)"
check_eq "an unprotected container can be killed" OK "$(fsop1 write "$M/${N3:0:12}/kill" 1)"
check_eq "and is gone" gone "$(c_state "$N3")"
dfs_stop TERM
check_san

I2=$(run_c --name img-protected)
docker tag "$TEST_IMAGE" dockerdoom-test:other
I3=$(docker run -d --network none --name img-other dockerdoom-test:other)
dfs_mount "$M" --protect "image=$TEST_IMAGE" || { not_ok "mounts with --protect image="; tap_done; }
check_eq "--protect image=$TEST_IMAGE: EPERM" EPERM "$(fsop1 write "$M/${I2:0:12}/kill" 1)"
check_eq "--protect image=: still running" running "$(c_state "$I2")"
check_eq "another image is not protected" OK "$(fsop1 write "$M/${I3:0:12}/kill" 1)"
dfs_stop TERM
rm_all

# --- --filter: scope of listing and of names
F1=$(run_c --name in-scope --label group=a)
F2=$(run_c --name out-of-scope --label group=b)
dfs_mount "$M" --filter label=group=a || { not_ok "mounts with --filter"; tap_done; }
check_eq "--filter label=group=a lists only that container" "${F1:0:12}" "$(listing "$M")"
check_eq "a filtered-out container does not resolve by name" ENOENT "$(fsop1 stat "$M/out-of-scope")"
check_eq "a filtered-out container does not resolve by short id" ENOENT "$(fsop1 stat "$M/${F2:0:12}")"
check_eq "a filtered-out container does not resolve by full id" ENOENT "$(fsop1 stat "$M/$F2")"
check_eq "a filtered-out container cannot be killed" ENOENT "$(fsop1 write "$M/out-of-scope/kill" 1)"
check_eq "and still runs" running "$(c_state "$F2")"
F3=$(run_c --label group=a)
F4=$(run_c --label group=b)
check "a new matching container appears within 2 s" wait_until 2 listed "$M" "${F3:0:12}"
sleep 0.3
check "a new non-matching container does not appear" unlisted "$M" "${F4:0:12}"
dfs_stop TERM
check_san
rm_all

# --- --all, and --kill-action stop
S1=$(run_c --name will-stop)
S2=$(docker create --network none --name never-started "$TEST_IMAGE")
dfs_mount "$M" --kill-action stop || { not_ok "mounts with --kill-action stop"; tap_done; }
check "without --all a created (never started) container is not listed" unlisted "$M" "${S2:0:12}"
read -r res pid < <(kill_with_pid "$M/${S1:0:12}/kill")
check_eq "--kill-action stop: kill OK" OK "$res"
check_eq "--kill-action stop: the container is stopped, not removed" exited "$(c_state "$S1")"
check "--kill-action stop: it leaves the (running-only) listing within 2 s" wait_until 2 unlisted "$M" "${S1:0:12}"
check "audit line says action=stop" grep -qE "id=${S1:0:12}.*action=stop" "$DFS_LOG"
dfs_stop TERM
check_san
dfs_mount "$M" --all || { not_ok "mounts with --all"; tap_done; }
check "--all lists the stopped container" listed "$M" "${S1:0:12}"
check "--all lists the created container" listed "$M" "${S2:0:12}"
check_eq "--all: state of the stopped one is exited" exited "$(cat "$M/${S1:0:12}/state")"
check_eq "--all: state of the created one is created" created "$(cat "$M/${S2:0:12}/state")"
check_eq "--all: listing equals docker ps -a" "$(ps_ids -a)" "$(listing "$M")"
check_eq "--all: kill removes a stopped container" OK "$(fsop1 write "$M/${S1:0:12}/kill" 1)"
check_eq "--all: it is gone" gone "$(c_state "$S1")"
docker start "$S2" >/dev/null
check "--all: state follows docker start within 2 s" wait_until 2 grep -qx running "$M/${S2:0:12}/state"
dfs_stop TERM
check_san
rm_all

# --- --kill-action kill
K1=$(run_c --name will-be-killed)
dfs_mount "$M" --kill-action kill || { not_ok "mounts with --kill-action kill"; tap_done; }
check_eq "--kill-action kill: kill OK" OK "$(fsop1 write "$M/${K1:0:12}/kill" 1)"
check "--kill-action kill: the container exits but is not removed" \
    wait_until 5 test "$(c_state "$K1")" = exited
note "state after --kill-action kill: $(c_state "$K1")"
check "audit line says action=kill" grep -qE "id=${K1:0:12}.*action=kill" "$DFS_LOG"
dfs_stop TERM
check_san

# --- --dry-run
D1=$(run_c --name dry)
D2=$(run_c --name dry-guarded --label dockerfs.protect=true)
dfs_mount "$M" --dry-run || { not_ok "mounts with --dry-run"; tap_done; }
check_eq "--dry-run: kill succeeds" OK "$(fsop1 write "$M/${D1:0:12}/kill" 1)"
check_eq "--dry-run: the container still runs" running "$(c_state "$D1")"
check "--dry-run: still listed" listed "$M" "${D1:0:12}"
check "--dry-run: audit line says dry-run" grep -qE "id=${D1:0:12}.*result=dry-run" "$DFS_LOG"
check_eq "--dry-run: bad input is still EINVAL" EINVAL "$(fsop1 write "$M/${D1:0:12}/kill" 2)"
check_eq "--dry-run: a protected container is still EPERM" EPERM "$(fsop1 write "$M/${D2:0:12}/kill" 1)"
dfs_stop TERM
check_san

# --- -o ro
dfs_mount "$M" -o ro || { not_ok "mounts with -o ro"; tap_done; }
check_eq "-o ro: kill gives EROFS" EROFS "$(fsop1 write "$M/${D1:0:12}/kill" 1)"
check_eq "-o ro: the container still runs" running "$(c_state "$D1")"
check_eq "-o ro: reading works" dry "$(cat "$M/${D1:0:12}/name")"
check_eq "-o ro: mkdir gives EROFS or EPERM" 1 "$(fsop1 mkdir "$M/x" | grep -cE '^(EROFS|EPERM)$')"
dfs_stop TERM
check_san
tap_done
