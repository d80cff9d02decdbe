# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# proc.sh - find, stop and unmount what a test left under a directory, in
# one read of the process table or of the mount table (a loop that forks a
# command per /proc entry costs seconds on a busy machine).
#
#   proc_naming DIR       pids whose command line has an argument holding
#                         "DIR/" (a dockerd, a shim, a dockerfs on a mount
#                         under DIR), one a line; never the caller's shell
#   proc_naming --tree DIR  the same and all their descendants (the
#                         containers' processes under a shim)
#   proc_kill_under DIR   SIGKILL to every pid of proc_naming DIR
#   proc_stop PID [SECS]  SIGTERM, then SIGKILL if PID is still there
#                         after SECS (2, whole seconds); reaped when it is
#                         the caller's child. An empty or gone PID is no
#                         error: always 0
#   mounts_under DIR      mount points under DIR, deepest first
#   unmount_under DIR     unmounts them (FUSE ones with fusermount3 -uz,
#                         the rest lazily)

proc_naming() {
    local tree=0
    if [ "$1" = --tree ]; then
        tree=1
        shift
    fi
    # DIR reaches awk through its environment, not its command line, so
    # that awk does not name DIR itself.
    ps -e -ww -o pid=,ppid=,args= 2>/dev/null |
        PROC_DIR="$1/" PROC_TREE=$tree PROC_SELF=$$ awk '
            { pid = $1; par[pid] = $2; all[++n] = pid
              a = $0; sub(/^ *[0-9]+ +[0-9]+ /, "", a)
              if (pid != ENVIRON["PROC_SELF"] && index(a, ENVIRON["PROC_DIR"])) hit[pid] = 1 }
            END {
              if (ENVIRON["PROC_TREE"] == 1)
                  do { more = 0
                       for (i = 1; i <= n; i++)
                           if (!(all[i] in hit) && (par[all[i]] in hit)) { hit[all[i]] = 1; more = 1 }
                  } while (more)
              for (p in hit) print p }'
}

proc_kill_under() {
    local -a pids
    mapfile -t pids < <(proc_naming "$1")
    [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
}

proc_stop() {
    local pid=$1 secs=${2:-2} i
    [ -n "$pid" ] || return 0
    if kill -TERM "$pid" 2>/dev/null; then
        for ((i = 0; i < secs * 20; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    return 0
}

mounts_under() {
    awk -v d="$1" '{ m = $5; gsub(/\\040/, " ", m); if (index(m, d "/") == 1) print m }' \
        /proc/self/mountinfo | sort -r
}

unmount_under() {
    local m
    mounts_under "$1" | while IFS= read -r m; do
        fusermount3 -uz "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
