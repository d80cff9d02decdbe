#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 45-ddaudio.sh - ddaudio on its own, on the host (no engine, no image):
# a stand-in game writes a byte ramp into its FIFO as SDL's disk driver
# does (blocking writes, as fast as the FIFO takes them), listeners
# (tests/helpers/audio/ddlisten.c) answer the challenge.
#
# Checks: the right password gets the format and the samples, unchanged
# and in order, at the sample rate; a wrong one or none gets the 20 bytes
# of the challenge and nothing else; the writer is held to the sample
# rate; a listener that stops reading neither stalls the writer nor the
# other listeners; the listener limit; bad options; SIGTERM.
set -uo pipefail

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"

T=${TESTS_TMP:-$(mktemp -d /tmp/ddaudio-test.XXXXXX)}
PIDS=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -n "${TESTS_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

if ! make -C "$REPO" -s SAN=1 audio-test-tools >"$T/make.log" 2>&1; then
    not_ok "make SAN=1 audio-test-tools" "$(tail -n 20 "$T/make.log")"
    tap_done
fi
DDAUDIO=$REPO/build-san/audio/ddaudio
LISTEN=$REPO/build-san/tests/helpers/ddlisten
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

D=$T/a
mkdir -p "$D"
echo "secret12" >"$D/pass"

# The stand-in game: the ramp (byte k is k mod 251), written in blocks of
# 2048 bytes (512 frames, as the game's mixer slices), counting what the
# FIFO took into D/written.
feeder() {
    python3 -c '
import os, sys
block = bytes(k % 251 for k in range(251 * 2048))
fd = os.open(sys.argv[1], os.O_WRONLY)
total, off = 0, 0
while True:
    n = os.write(fd, block[off:off + 2048])
    total += n
    off = (off + n) % 251
    with open(sys.argv[2] + ".new", "w") as f:
        f.write(str(total))
    os.rename(sys.argv[2] + ".new", sys.argv[2])
' "$D/pcm" "$D/written" 2>/dev/null
}

"$DDAUDIO" --fifo "$D/pcm" --socket "$D/audio.sock" --password-file "$D/pass" \
    --max-listeners 3 2>"$T/ddaudio.log" &
DPID=$!
PIDS+=("$DPID")
if wait_until 10 test -S "$D/audio.sock"; then
    ok "ddaudio listens on its socket; the FIFO is made ($(stat -c %A "$D/pcm"))"
else
    not_ok "ddaudio listens on its socket" "$(cat "$T/ddaudio.log")"
    tap_done
fi
check_eq "the socket is its account's only (umask 077)" srwx------ "$(stat -c %A "$D/audio.sock")"
feeder &
PIDS+=("$!")
wait_until 5 test -s "$D/written" || note "the feeder wrote nothing yet"

# The writer is held to the sample rate: 2 s take about 2 s of samples
# (176400 bytes a second at 44.1 kHz, stereo, 16 bits).
w0=$(cat "$D/written")
t0=$(now_ms)
sleep 2
w1=$(cat "$D/written")
dt=$(($(now_ms) - t0))
rate=$(((w1 - w0) * 1000 / dt))
if [ "$rate" -gt 150000 ] && [ "$rate" -lt 200000 ]; then
    ok "the FIFO's writer runs at the sample rate: $rate bytes/s (176400)"
else
    not_ok "the FIFO's writer runs at the sample rate" "$rate bytes/s over $dt ms"
fi

out=$("$LISTEN" "$D/audio.sock" secret12 2000)
if [[ $out =~ ^hello=20\ format=44100,2,16\ bytes=([0-9]+)\ closed=no\ ramp=ok$ ]] &&
    [ "${BASH_REMATCH[1]}" -gt 300000 ] && [ "${BASH_REMATCH[1]}" -lt 400000 ]; then
    ok "the right password: format, then 2 s of samples in order ($out)"
else
    not_ok "the right password: format, then 2 s of samples in order" "$out"
fi
check_eq "only 8 characters count, as in VNC" \
    "hello=20 format=44100,2,16" "$("$LISTEN" "$D/audio.sock" secret12-and-more 300 | cut -d' ' -f1-2)"
check_eq "a wrong password: the challenge, then closed, no sample" \
    "hello=20 format=none bytes=0 closed=yes ramp=-" "$("$LISTEN" "$D/audio.sock" secret13 1000)"
check_eq "no answer: the challenge and no sample" \
    "hello=20 format=none bytes=0 closed=no ramp=-" "$("$LISTEN" "$D/audio.sock" - 1000)"
check "ddaudio logs the wrong password" grep -q 'listener [0-9]*: wrong password, closed' "$T/ddaudio.log"

# One listener stops reading: the writer and a second listener go on.
"$LISTEN" "$D/audio.sock" secret12 4000 --no-read >/dev/null &
stalled=$!
PIDS+=("$stalled")
sleep 0.3
w0=$(cat "$D/written")
out=$("$LISTEN" "$D/audio.sock" secret12 2000)
w1=$(cat "$D/written")
if [[ $out =~ bytes=([0-9]+)\ closed=no\ ramp=ok$ ]] && [ "${BASH_REMATCH[1]}" -gt 300000 ]; then
    ok "a listener that stops reading holds no one up ($out)"
else
    not_ok "a listener that stops reading holds no one up" "$out"
fi
check "... nor the writer ($((w1 - w0)) bytes meanwhile)" test $((w1 - w0)) -gt 300000
if wait_until 5 grep -q 'does not keep up' "$T/ddaudio.log"; then
    ok "ddaudio logs the listener that does not keep up"
else
    not_ok "ddaudio logs the listener that does not keep up" "$(tail -n 5 "$T/ddaudio.log")"
fi
wait "$stalled" 2>/dev/null

# At most --max-listeners (3) at once.
for _ in 1 2 3; do
    "$LISTEN" "$D/audio.sock" - 1500 --no-read >/dev/null &
    PIDS+=("$!")
done
sleep 0.3
check_eq "a fourth listener gets nothing" "hello=0 format=none bytes=0 closed=yes ramp=-" \
    "$("$LISTEN" "$D/audio.sock" secret12 500)"
check "ddaudio logs the refusal" grep -q '3 listeners already: one more refused' "$T/ddaudio.log"

# Bad options: exit 2 and a message.
rc=0
"$DDAUDIO" --fifo "$T/x" --socket "$T/y" --password-file "$D/pass" --rate 12 2>"$T/bad.err" || rc=$?
check_eq "--rate 12: exit 2" 2 "$rc"
check "... saying which value" grep -q "bad value '12' for --rate" "$T/bad.err"
rc=0
"$DDAUDIO" --fifo "$T/x" --socket "$T/y" 2>"$T/bad.err" || rc=$?
check_eq "no --password-file: exit 2" 2 "$rc"
: >"$T/empty"
rc=0
"$DDAUDIO" --fifo "$T/x" --socket "$T/y" --password-file "$T/empty" 2>"$T/bad.err" || rc=$?
check_eq "an empty password file: exit 1" 1 "$rc"
check "... saying so" grep -q 'its first line is empty' "$T/bad.err"
touch "$T/notafifo"
rc=0
"$DDAUDIO" --fifo "$T/notafifo" --socket "$T/y" --password-file "$D/pass" 2>"$T/bad.err" || rc=$?
check_eq "a --fifo that is a plain file: exit 1" 1 "$rc"

kill -TERM "$DPID"
rc=0
wait "$DPID" || rc=$?
check_eq "SIGTERM: ddaudio exits 0" 0 "$rc"
check "... and removes its socket" test ! -e "$D/audio.sock"
check "no sanitizer report" sh -c "! grep -q 'ERROR: \(Address\|UndefinedBehavior\|LeakSanitizer\)\|runtime error' '$T/ddaudio.log'"

tap_done
