# SPDX-License-Identifier: GPL-2.0-or-later
# ddaudio: the game's sound to the noVNC page (container/audio/). Included
# by the top Makefile; the game image's build stage builds it too.
#
#   make audio       build/audio/ddaudio
#   make unit        includes its suites (tests/unit/test_audio_*.c)
#   make audio-test-tools  ddaudio and the tests' listener, ddlisten

AUDIO_MODS := container/audio/pace.c container/audio/outq.c container/audio/vncauth.c
AUDIO_OBJS := $(AUDIO_MODS:container/audio/%.c=$(B)/audio/%.o)

.PHONY: audio
audio: $(B)/audio/ddaudio

$(B)/audio/%.o: container/audio/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -MMD -MP -c -o $@ $<

$(B)/audio/ddaudio: $(B)/audio/ddaudio.o $(AUDIO_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lgcrypt

# Unit suites: each links the module it tests (and libgcrypt for vncauth:
# libgcrypt20-dev, a build dependency of the Debian source for make unit).
$(B)/tests/test_audio_pace: tests/unit/test_audio_pace.c $(B)/audio/pace.o
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Icontainer/audio \
	    -o $@ $^ $(ALL_LDFLAGS) -lcmocka
$(B)/tests/test_audio_outq: tests/unit/test_audio_outq.c $(B)/audio/outq.o
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Icontainer/audio \
	    -o $@ $^ $(ALL_LDFLAGS) -lcmocka
$(B)/tests/test_audio_vncauth: tests/unit/test_audio_vncauth.c $(B)/audio/vncauth.o
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Icontainer/audio \
	    -o $@ $^ $(ALL_LDFLAGS) -lcmocka -lgcrypt


# The tests' listener (tests/container/45-ddaudio.sh).
$(B)/tests/helpers/ddlisten: tests/helpers/audio/ddlisten.c $(B)/audio/vncauth.o
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Icontainer/audio \
	    -o $@ $^ $(ALL_LDFLAGS) -lgcrypt

.PHONY: audio-test-tools
audio-test-tools: $(B)/audio/ddaudio $(B)/tests/helpers/ddlisten

-include $(wildcard $(B)/audio/*.d)
