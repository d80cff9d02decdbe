# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ports.sh - free TCP ports on this machine, for servers a test starts.
#
#   free_port   prints a TCP port in 20000-39999 that no one listens on

free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 20000))
        if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then
            echo "$p"
            return 0
        fi
    done
    return 1
}
