# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# progress.sh — long steps that say what they are doing. Sourced by the
# launcher (container/dockerdoom) and container/image.sh.
#
#   step_start NAME KIND LOG CMD...
#         runs CMD in the background; its output (stdout and stderr, colour
#         escapes stripped) goes to LOG, and one line of what it is doing
#         now, read from that output by KIND, to $STEP_DIR/NAME:
#           apt     apt-get/dpkg: "installing 57%: Unpacking libx11-6"
#                   (run apt-get with -o APT::Status-Fd=1)
#           boot    mmdebstrap: its stage, and the packages as apt's
#           make    make/cmake/cc: "[ 63%] d_main.c", "cc fs.c"
#           build   docker build: "step 3/8: COPY ..."
#           plain   its last line
#   step_wait NAME...
#         waits for the steps and shows them: on a terminal one line,
#         rewritten every second; otherwise (a log, CI) a line every 10 s
#         and one when a step ends. Returns 1 when one failed, after its
#         log's last lines. Each step's time is kept in $STEP_TIMES
#         ("NAME SECONDS", the last successful run), and shown beside it
#         the next time: an estimate from a measurement, never a guess.
#   step_took NAME  seconds the last successful run of NAME took (or none)
#
# STEP_DIR (a temporary directory, made by the first step_start) and
# STEP_TIMES (no record kept when unset) may be set by the caller;
# STEP_TIMED names the steps whose time is kept (those that always do the
# same work: a step that may find nothing to do has no estimate);
# STEP_SAY is the prefix of the lines ("dockerdoom: "). No globbing here
# (the launcher runs with set -f).

STEP_DIR=${STEP_DIR:-}
STEP_TIMES=${STEP_TIMES:-}
STEP_TIMED=${STEP_TIMED:-}
STEP_SAY=${STEP_SAY:-"dockerdoom: "}

# step_filter KIND STATUS LOG: standard input to LOG without colour
# escapes, and the status line of KIND to STATUS at every change.
step_filter() {
    local kind=$1 status=$2 log=$3
    local -a line=()
    # mawk reads a pipe in blocks unless told: lines would wait for 4 kB.
    if awk -W version 2>&1 | grep -q mawk; then line=(-W interactive); fi
    awk "${line[@]}" -v kind="$kind" -v st="$status" -v logf="$log" '
        function put(s) { if (s != last) { last = s; print s > st; close(st) } }
        {
            gsub(/\033\[[0-9;?]*[A-Za-z]|\033[()][A-Z0-9]|\r/, "")
            print >> logf; fflush(logf)
            s = $0
            if (kind == "apt" || kind == "boot") {
                if (match(s, /[0-9]+ newly installed/)) total = substr(s, RSTART, RLENGTH) + 0
                if (s ~ /^I: running --[a-z]+-hook /) {
                    h = s; sub(/^I: running --/, "", h); sub(/-hook .*/, "", h)
                    put("running the " h " hook"); next
                }
                if (s ~ /^I: /) {
                    stage = substr(s, 4); sub(/\.\.\.$/, "", stage); sub(/ inside the chroot$/, "", stage)
                    unpacked = done = total = 0; put(stage); next
                }
                if (s ~ /^(Unpacking|Setting up) /) {
                    n = split(s, w, " "); pkg = (w[1] == "Setting") ? w[3] : w[2]
                    sub(/:.*/, "", pkg)
                    if (w[1] == "Setting") done++; else unpacked++
                    what = (w[1] == "Setting") ? "setting up" : "unpacking"
                    cnt = (w[1] == "Setting") ? done : unpacked
                    put((stage != "" ? stage ": " : "") what " " cnt (total ? "/" total : "") " " pkg)
                    next
                }
                # The progress apt writes with -o APT::Status-Fd=1: at once,
                # where its other output may wait in a buffer.
                if (s ~ /^(dl|pm)status:/) {
                    n = split(s, w, ":"); pct = int(w[3])
                    txt = w[4]; for (i = 5; i <= n; i++) txt = txt ":" w[i]
                    put((s ~ /^dl/ ? "downloading " : "installing ") pct "%: " txt); next
                }
                if (s ~ /^(Reading|Building) [a-z ]+\.\.\.$/) { put(s); next }
                if (s ~ /^Get:[0-9]+ /) {
                    n = split(s, w, " "); sub(/^Get:/, "", w[1])
                    put((stage != "" ? stage ": " : "") "downloading " w[1] (total ? "/" total : "") " " (n >= 5 ? w[5] : ""))
                    next
                }
                next
            }
            if (kind == "make") {
                if (match(s, /^\[ *[0-9]+%\] /)) {
                    pct = substr(s, RSTART, RLENGTH - 1); n = split(s, w, "/")
                    put("compiling the game " pct " " w[n]); next
                }
                if (s ~ /dpkg-source: info: extracting/) { put("unpacking chocolate-doom source"); next }
                if (s ~ /^(Get|Hit):/) { put("apt: " s); next }
                if (s ~ /^fetch-source: /) { sub(/^fetch-source: /, "", s); put(s); next }
                if (s ~ /(^| )(cc|gcc|clang) .* -c /) {
                    n = split(s, w, " "); f = w[n]; sub(/.*\//, "", f); put("compiling " f); next
                }
                if (s ~ /^-- /) { put("cmake: configuring"); next }
                if (s ~ /^patch /) { put("patching chocolate-doom"); next }
                next
            }
            if (kind == "build") {
                if (s ~ /^Step [0-9]+\/[0-9]+ : /) { sub(/^Step /, "step ", s); put(substr(s, 1, 60)); next }
                next
            }
            if (s != "") put(substr(s, 1, 70))
        }'
}

# step_start NAME KIND LOG CMD...
step_start() {
    local name=$1 kind=$2 log=$3
    shift 3
    [[ -n $STEP_DIR ]] || STEP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dockerdoom-steps.XXXXXX")
    rm -f "$STEP_DIR/$name.rc" "$STEP_DIR/$name.took" "$STEP_DIR/$name.shown"
    : >"$log"
    echo "starting" >"$STEP_DIR/$name.status"
    date +%s >"$STEP_DIR/$name.start"
    (
        set +e
        "$@" 2>&1 </dev/null | step_filter "$kind" "$STEP_DIR/$name.status" "$log"
        rc=${PIPESTATUS[0]}
        echo "$rc" >"$STEP_DIR/$name.rc.tmp"
        mv "$STEP_DIR/$name.rc.tmp" "$STEP_DIR/$name.rc"
    ) &
    echo "$!" >"$STEP_DIR/$name.pid"
    echo "$log" >"$STEP_DIR/$name.log"
}

# step_took NAME prints the seconds of NAME's last successful run.
step_took() {
    [[ -n $STEP_TIMES && -r $STEP_TIMES && " $STEP_TIMED " == *" $1 "* ]] || return 1
    awk -v n="$1" '$1 == n { t = $2 } END { if (t == "") exit 1; print t }' "$STEP_TIMES"
}

# step_record NAME SECONDS keeps the time of a successful run.
step_record() {
    [[ -n $STEP_TIMES && " $STEP_TIMED " == *" $1 "* ]] || return 0
    local tmp
    tmp=$(mktemp "$STEP_TIMES.XXXXXX" 2>/dev/null) || return 0
    { awk -v n="$1" '$1 != n' "$STEP_TIMES" 2>/dev/null; echo "$1 $2"; } >"$tmp"
    mv -f "$tmp" "$STEP_TIMES"
}

# step_line NAME: "NAME: status (12 s)" or, ended, "NAME: done in 12 s".
step_line() {
    local n=$1 now start rc st took
    now=$(date +%s)
    start=$(cat "$STEP_DIR/$n.start" 2>/dev/null || echo "$now")
    if [[ -f $STEP_DIR/$n.rc ]]; then
        rc=$(cat "$STEP_DIR/$n.rc")
        if [[ $rc == 0 ]]; then
            echo "$n: done in $(cat "$STEP_DIR/$n.took" 2>/dev/null || echo $((now - start))) s"
        else
            echo "$n: FAILED (exit $rc)"
        fi
        return 0
    fi
    # The filter rewrites the file in place, one write of one line (mawk
    # may not truncate it first): its first line is the status, and an
    # empty read a rewrite in progress, not a new status.
    st=$(head -n 1 "$STEP_DIR/$n.status" 2>/dev/null || true)
    if [[ -n $st ]]; then echo "$st" >"$STEP_DIR/$n.shown"; else st=$(cat "$STEP_DIR/$n.shown" 2>/dev/null || true); fi
    took=$(step_took "$n" || true)
    echo "$n: ${st:-working} ($((now - start)) s${took:+, last time $took s})"
}

# step_wait NAME...
step_wait() {
    local n all_done failed=() tty=0 last_print=0 now line width cols shown=""
    [[ -t 1 ]] && tty=1
    while :; do
        all_done=1
        for n in "$@"; do
            if [[ -f $STEP_DIR/$n.rc && ! -f $STEP_DIR/$n.took ]]; then
                echo $(($(date +%s) - $(cat "$STEP_DIR/$n.start"))) >"$STEP_DIR/$n.took"
                if [[ $(cat "$STEP_DIR/$n.rc") == 0 ]]; then
                    step_record "$n" "$(cat "$STEP_DIR/$n.took")"
                fi
                [[ $tty -eq 1 ]] && printf '\r\033[K'
                echo "${STEP_SAY}$(step_line "$n")"
                last_print=$(date +%s)
            fi
            [[ -f $STEP_DIR/$n.rc ]] || all_done=0
        done
        [[ $all_done -eq 1 ]] && break
        now=$(date +%s)
        line=""
        for n in "$@"; do
            [[ -f $STEP_DIR/$n.rc ]] || line+="${line:+ | }$(step_line "$n")"
        done
        if [[ $tty -eq 1 ]]; then
            cols=$(tput cols 2>/dev/null || echo 80)
            width=$((cols - ${#STEP_SAY} - 1))
            printf '\r\033[K%s%s' "$STEP_SAY" "${line:0:width}"
        elif ((now - last_print >= 10)) || [[ -z $shown ]]; then
            echo "${STEP_SAY}${line}"
            last_print=$now
            shown=1
        fi
        sleep 1
    done
    [[ $tty -eq 1 ]] && printf '\r\033[K'
    for n in "$@"; do
        wait "$(cat "$STEP_DIR/$n.pid")" 2>/dev/null || true
        if [[ $(cat "$STEP_DIR/$n.rc") != 0 ]]; then
            failed+=("$n")
            echo "${STEP_SAY}$n failed; the last lines of $(cat "$STEP_DIR/$n.log"):" >&2
            tail -n 25 "$(cat "$STEP_DIR/$n.log")" | sed 's/^/    /' >&2
        fi
    done
    [[ ${#failed[@]} -eq 0 ]]
}
