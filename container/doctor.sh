# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# doctor.sh — `dockerdoom doctor`: why the game shows what it shows.
# shellcheck disable=SC2153  # NAME, MNT, ...: the launcher's settings
# Sourced by the launcher (container/dockerdoom), whose settings (RUN_DIR,
# MNT, NAME, LOG_DIR, the ports) and helpers (our_pid, fwd_pid,
# port_listeners, is_mountpoint, engine_ok) it uses.
#
# It asks each engine dockerfs follows for all its containers (docker ps
# -a, with dockerfs's --filter options and without), reads the mount (each
# container's engine, state, name, protected) and dockerfs's log, and puts
# every container of every engine in one place: shown, or why not (not
# running without --all, left out by a --filter, left out by dockerfs, on
# an engine that does not answer). Then the protected ones and why, the
# game container's state and tic rate (the game's `stats` lines), the
# ports and who holds them, and the last lines of each log. Exit status
# 0 when nothing is wrong, 1 when something is (each problem is said).
#
# What play leaves for it in RUN_DIR: dockerfs.args (dockerfs's options,
# one a line) and engines.list ("NAME<TAB>ADDRESS[ (context CTX)]" per
# engine, from dockerfs's own "engine NAME: ..." log lines).

DOC_PROBLEMS=()

doc_problem() { DOC_PROBLEMS+=("$*"); }

# doc_args prints dockerfs's options of the running mount, one a line.
doc_args() {
    cat "$RUN_DIR/dockerfs.args" 2>/dev/null || true
}

# doc_opt_values OPT prints the values of option OPT (--filter, --protect)
# of the running mount.
doc_opt_values() {
    doc_args | awk -v o="$1" 'p { print; p = 0; next } $0 == o { p = 1 } index($0, o "=") == 1 { print substr($0, length(o) + 2) }'
}

# doc_has_opt OPT: does the running mount have option OPT?
doc_has_opt() {
    doc_args | grep -qxF -- "$1"
}

# doc_docker NAME ADDRESS ARGS...: the docker CLI on that engine.
doc_docker() {
    local name=$1 addr=$2
    shift 2
    if [[ $addr == *" (context "* ]]; then
        local ctx=${addr##*(context }
        timeout 10 docker --context "${ctx%)}" "$@"
    else
        timeout 10 docker -H "${addr%%,*}" "$@"
    fi
}

# doc_list NAME ADDRESS [FILTER...] prints "ID STATE NAME" of every
# container of the engine (docker ps -a) that passes the filters.
doc_list() {
    local name=$1 addr=$2 f
    shift 2
    local -a fl=()
    for f in "$@"; do fl+=(--filter "$f"); done
    doc_docker "$name" "$addr" ps -a --no-trunc "${fl[@]}" --format '{{.ID}} {{.State}} {{.Names}}' |
        awk '{ print substr($1, 1, 12), $2, $3 }'
}

# doc_mount_rows prints "ID ENGINE STATE PROTECTED NAME" for each
# container the mount shows.
doc_mount_rows() {
    local d id
    while IFS= read -r id; do
        d=$MNT/$id
        printf '%s %s %s %s %s\n' "$id" \
            "$(head -c 200 "$d/engine" 2>/dev/null || echo '?')" \
            "$(head -c 50 "$d/state" 2>/dev/null || echo '?')" \
            "$(head -c 5 "$d/protected" 2>/dev/null || echo '?')" \
            "$(head -c 200 "$d/name" 2>/dev/null || echo '?')"
    done < <(timeout 20 ls "$MNT" 2>/dev/null) | tr -s '\n' | awk 'NF >= 5'
}

# doc_names prints at most 8 names of the rows ("ID STATE NAME") on
# standard input, and how many more.
doc_names() {
    awk '{ n++; if (n <= 8) s = s (s ? ", " : "") $3 } END { if (n > 8) s = s ", and " n - 8 " more"; print s }'
}

# doc_protect_reason ID NAME: why the mount protects that container.
doc_protect_reason() {
    local id=$1 name=$2 d=$MNT/$1 rule k v labels image engine
    labels=$(head -c 100000 "$d/labels" 2>/dev/null || true)
    if grep -qx 'dockerfs.protect=true' <<<"$labels"; then
        echo "label dockerfs.protect=true"
        return
    fi
    image=$(head -c 500 "$d/image" 2>/dev/null || true)
    engine=$(head -c 200 "$d/engine" 2>/dev/null || true)
    while IFS= read -r rule; do
        k=${rule%%=*} v=${rule#*=}
        # shellcheck disable=SC2053  # v is the rule's glob
        case $k in
            name) [[ $name == $v ]] && { echo "--protect $rule"; return; } ;;
            image) [[ $image == $v ]] && { echo "--protect $rule"; return; } ;;
            engine) [[ $engine == $v ]] && { echo "--protect $rule"; return; } ;;
            label) grep -qxF -- "$v" <<<"$labels" && { echo "--protect $rule"; return; } ;;
        esac
    done < <(doc_opt_values --protect)
    echo "a --protect image= rule (by the image it was created from or its id), or dockerfs runs in it"
}

# doc_engines: each engine, whether it answers, and where every one of
# its containers is.
doc_engines() {
    local name addr n all=0 filters=() rows
    local tmp
    tmp=$(mktemp -d)
    mapfile -t filters < <(doc_opt_values --filter)
    doc_has_opt --all && all=1
    doc_mount_rows >"$tmp/mount"
    # Left out by dockerfs itself (a record it could not take), said once
    # each in its log.
    grep -ho 'left out container [0-9a-f]*: .*' "$LOG_DIR/dockerfs.log.1" "$LOG_DIR/dockerfs.log" 2>/dev/null |
        sed 's/ (said once per container)$//' | sort -u >"$tmp/leftout" || true
    echo "engines dockerfs follows ($(wc -l <"$RUN_DIR/engines.list" 2>/dev/null || echo 0)):"
    while IFS=$'\t' read -r name addr; do
        [[ -n $name ]] || continue
        if [[ $addr == https://* ]]; then
            # A Kubernetes cluster (its apiserver's URL; a Docker engine's
            # is unix://, tcp:// or ssh://): what the mount shows of it.
            n=$(awk -v e="$name" '$2 == e' "$tmp/mount" | wc -l)
            local u
            u=$(awk -v e="$name" '$2 == e && $3 == "unreachable"' "$tmp/mount" | wc -l)
            [[ $u -gt 0 ]] && u=" ($u unreachable)" || u=
            echo "  $name  $addr: a cluster, $n pods in the mount$u (doctor asks Docker engines only: kubectl get pods -A lists the rest)"
            [[ -z $u ]] || doc_problem "cluster $name:$u"
            continue
        fi
        if ! doc_list "$name" "$addr" >"$tmp/all" 2>"$tmp/err"; then
            echo "  $name  $addr: does not answer ($(head -n 1 "$tmp/err"))"
            doc_problem "engine $name ($addr) does not answer"
            n=$(awk -v e="$name" '$2 == e && $3 == "unreachable"' "$tmp/mount" | wc -l)
            [[ $n -gt 0 ]] && echo "    its $n containers stay in the mount, state unreachable, kill EIO"
            continue
        fi
        awk -v e="$name" '$2 == e { print $1 }' "$tmp/mount" | sort >"$tmp/shown"
        n=$(wc -l <"$tmp/all")
        if [[ $n -eq 0 ]]; then
            echo "  $name  $addr: answers, no containers at all (dockerdoom demo 8 starts some)"
            continue
        fi
        echo "  $name  $addr: answers, $n containers ($(awk '$2 == "running"' "$tmp/all" | wc -l) running), $(wc -l <"$tmp/shown") in the mount"
        if [[ ${#filters[@]} -gt 0 ]]; then
            doc_list "$name" "$addr" "${filters[@]}" >"$tmp/match" 2>/dev/null || cp "$tmp/all" "$tmp/match"
        else
            cp "$tmp/all" "$tmp/match"
        fi
        rows=$(awk 'NR == FNR { m[$1] = 1; next } !($1 in m)' "$tmp/match" "$tmp/all")
        [[ -n $rows ]] && echo "    $(wc -l <<<"$rows") left out by $(printf -- '--filter %s\n' "${filters[@]}" | paste -sd' ' -): $(doc_names <<<"$rows")"
        if [[ $all == 0 ]]; then
            rows=$(awk '$2 != "running" && $2 != "paused" && $2 != "restarting"' "$tmp/match")
            [[ -n $rows ]] && echo "    $(wc -l <<<"$rows") not running, and dockerfs shows running ones only (DOCKERFS_ARGS=--all shows them): $(doc_names <<<"$rows")"
            awk '$2 == "running" || $2 == "paused" || $2 == "restarting"' "$tmp/match" >"$tmp/want"
        else
            cp "$tmp/match" "$tmp/want"
        fi
        rows=$(awk 'NR == FNR { s[$1] = 1; next } !($1 in s)' "$tmp/shown" "$tmp/want")
        if [[ -n $rows ]]; then
            local id
            while read -r id _; do
                grep -q "left out container $id" "$tmp/leftout" &&
                    echo "    left out by dockerfs: $(grep -m1 "left out container $id" "$tmp/leftout")"
            done <<<"$rows"
            rows=$(while read -r id st nm; do
                       grep -q "left out container $id" "$tmp/leftout" || echo "$id $st $nm"
                   done <<<"$rows")
            [[ -n $rows ]] && {
                echo "    $(wc -l <<<"$rows") should be shown and are not (yet?): $(doc_names <<<"$rows")"
                doc_problem "engine $name: $(wc -l <<<"$rows") containers missing from the mount"
            }
        fi
    done <"$RUN_DIR/engines.list"
    # Protected: a kill of theirs is refused (EPERM).
    rows=$(awk '$4 == 1 { print $1, $5 }' "$tmp/mount")
    if [[ -n $rows ]]; then
        echo "protected ($(wc -l <<<"$rows"); a kill is refused, EPERM):"
        local id nm
        while read -r id nm; do
            echo "  $nm ($id): $(doc_protect_reason "$id" "$nm")"
        done < <(head -n 20 <<<"$rows")
        [[ $(wc -l <<<"$rows") -gt 20 ]] && echo "  and $(( $(wc -l <<<"$rows") - 20 )) more"
    else
        echo "protected: none"
    fi
    rm -rf "$tmp"
}

# doc_game: the game container's state and its last tic rate.
doc_game() {
    local state started stats
    if ! engine_ok; then
        echo "game container $NAME: no engine answers here"
        doc_problem "no engine answers for the game container"
        return
    fi
    state=$(docker container inspect -f '{{.State.Status}}' "$NAME" 2>/dev/null) || state=absent
    started=$(docker container inspect -f '{{.State.StartedAt}}' "$NAME" 2>/dev/null || true)
    stats=$(game_tps)
    if [[ $state == running ]]; then
        echo "game container $NAME: running since ${started%.*}Z${stats:+; $stats}"
        [[ -n $stats ]] || echo "  (no tic rate yet: the game logs one every 5 s of play, none on a menu or paused)"
    else
        echo "game container $NAME: $state (dockerdoom play starts it)"
        doc_problem "the game container is $state"
    fi
}

# doc_ports: who holds the VNC and noVNC ports (each player's).
doc_ports() {
    local n port pid who
    echo "ports:"
    for n in $(fwd_names); do
        port=$(fwd_port "$n")
        pid=$(fwd_pid "$n" || true)
        who=$(port_listeners "$port" | head -n 3 | paste -sd';' -)
        if [[ -z $who ]]; then
            echo "  $n $VNC_LISTEN:$port: nothing listens"
            doc_problem "nothing listens on the $n port $port"
        elif port_ours "$port" "$pid"; then
            echo "  $n $VNC_LISTEN:$port: ours (the $n forwarder, socat pid $pid)"
        else
            echo "  $n $VNC_LISTEN:$port: not ours: $(port_foreign "$port" "$pid" | paste -sd';' -)"
            doc_problem "the $n port $port is held by another process"
        fi
    done
}

# doc_logs: the last lines of each log.
doc_logs() {
    local f
    echo "logs (last 5 lines):"
    for f in "$LOG_DIR/dockerfs.log" "$LOG_DIR/forward.log" "$LOG_DIR/dockerd.log"; do
        [[ -s $f ]] || continue
        echo "  $f"
        tail -n 5 "$f" | cut -c1-200 | sed 's/^/    /'
    done
    if engine_ok && docker container inspect "$NAME" >/dev/null 2>&1; then
        echo "  docker logs $NAME"
        docker logs --tail 5 "$NAME" 2>&1 | cut -c1-200 | sed 's/^/    /'
    fi
}

cmd_doctor() {
    local pid
    [[ $# -eq 0 ]] || { echo "dockerdoom: doctor takes no arguments" >&2; exit 2; }
    need_root doctor
    DOC_PROBLEMS=()
    if pid=$(our_pid "$RUN_DIR/dockerfs.pid") && is_mountpoint "$MNT"; then
        echo "dockerfs: mounted on $MNT (pid $pid), options given: $(doc_args | paste -sd' ' - | grep . || echo none)"
        doc_engines
    else
        echo "dockerfs: not mounted on $MNT ($(hint play) mounts it)"
        doc_problem "dockerfs is not mounted"
    fi
    doc_game
    doc_ports
    doc_logs
    if [[ ${#DOC_PROBLEMS[@]} -eq 0 ]]; then
        echo "doctor: nothing wrong found"
        return 0
    fi
    echo "doctor: ${#DOC_PROBLEMS[@]} problem(s):"
    printf '  - %s\n' "${DOC_PROBLEMS[@]}"
    return 1
}
