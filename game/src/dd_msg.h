//
// SPDX-License-Identifier: GPL-2.0-or-later
// Copyright(C) 2026 the dockerdoom authors
//
// This program is free software; you can redistribute it and/or
// modify it under the terms of the GNU General Public License
// as published by the Free Software Foundation; either version 2
// of the License, or (at your option) any later version.
//
// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// DESCRIPTION:
//	dockerdoom: what the player is told. Messages wait in a small queue
//	and each stays on screen long enough to read: a failure is never
//	replaced by a success, and a passing remark ("hit web") never
//	pushes out a result. Also the texts themselves: kill results and the
//	summary of one idrm.
//

#ifndef DD_MSG_H
#define DD_MSG_H

#include <stddef.h>

#define DD_MSG_LEN   128
#define DD_MSG_QUEUE 8

typedef enum
{
    DD_MSG_INFO,        // a remark: shown only if nothing else is
    DD_MSG_OK,          // a result
    DD_MSG_FAIL,        // something the player must read
} dd_msgprio_t;

// Milliseconds a message stays before a queued one may replace it, and
// before it goes away by itself.
#define DD_MSG_INFO_MIN  0
#define DD_MSG_INFO_MAX  2000
#define DD_MSG_OK_MIN    1200
#define DD_MSG_OK_MAX    3000
#define DD_MSG_FAIL_MIN  4000
#define DD_MSG_FAIL_MAX  7000

typedef struct
{
    char text[DD_MSG_LEN];
    dd_msgprio_t prio;
} dd_msg_t;

typedef struct
{
    dd_msg_t queue[DD_MSG_QUEUE];
    int head;           // index of the oldest queued message
    int count;          // queued messages, from head on
    dd_msg_t shown;
    int shown_at;       // when shown appeared (ms)
    int have_shown;
} dd_msgq_t;

// An empty queue and nothing shown.
void DD_MsgInit(dd_msgq_t *q);

// Posts text (cut to DD_MSG_LEN - 1 bytes) at time now (ms). An INFO is
// shown at once when only an INFO or nothing is on screen and nothing
// waits, and is dropped otherwise. OK and FAIL wait in the queue behind
// the shown message; a text already waiting is not queued twice. When the
// queue is full, the oldest OK waiting makes room; with only failures
// waiting, an OK is dropped and a FAIL pushes out the oldest one.
void DD_MsgPost(dd_msgq_t *q, dd_msgprio_t prio, const char *text,
                int now);

// The message to show at time now, or NULL. The shown message goes after
// its MAX time; before that, the next queued one replaces it once its MIN
// time has passed, except that only a FAIL replaces a FAIL before its MAX.
const char *DD_MsgShown(dd_msgq_t *q, int now);

// The message for one kill result: "killed NAME", or
// "NAME: kill refused, EPERM (Operation not permitted)" /
// "NAME: kill failed, EIO (Input/output error)".
void DD_KillMessage(char *dst, size_t dstsize, const char *name, int err);

// The message for kills that have not finished after seconds: "NAME: engine
// has not answered for 5 s", or "NAME and 3 more: ..." for several.
void DD_SlowMessage(char *dst, size_t dstsize, const char *name, int more,
                    int seconds);

#define DD_BATCH_ERRS 4
#define DD_BATCH_ENGINES 16
#define DD_BATCH_NAME_LEN 63

// The results of one idrm on one engine.
typedef struct
{
    char name[DD_BATCH_NAME_LEN + 1];
    int killed;
    int refused;
    int failed;
} dd_batchengine_t;

// The results of one idrm, summed up as they come in.
typedef struct
{
    int pending;        // kills requested, result not in yet
    int killed;
    int refused;        // EPERM, EACCES
    int failed;         // any other errno
    int errs[DD_BATCH_ERRS];    // distinct errnos seen, first ones
    int nerrs;
    dd_batchengine_t engines[DD_BATCH_ENGINES];     // in order seen
    int nengines;
    dd_batchengine_t other;     // engines beyond DD_BATCH_ENGINES
} dd_batch_t;

// Whether text can be shown whole; ctx is the caller's.
typedef int (*dd_fits_fn)(const char *text, void *ctx);

// Nothing requested, nothing counted.
void DD_BatchInit(dd_batch_t *b);

// Counts one result (0 or an errno) of a kill on engine (NULL or "" when
// the mount names none; a longer name is cut to DD_BATCH_NAME_LEN).
// Returns 1 when it was the last one pending, 0 otherwise.
int DD_BatchResult(dd_batch_t *b, const char *engine, int err);

// "idrm: 7 killed, 1 refused (EPERM), 2 failed (EIO, ETIMEDOUT)"; the
// parts with a zero count are left out, "idrm: nothing killed" when all
// are. With many set (the game follows more than one engine) each part
// also says on which engines, most results first: "idrm: 5 killed (3 on
// a, 2 on b), 1 refused (EPERM; 1 on b)". The longest form that is
// shorter than DD_MSG_LEN and dstsize and that fits (NULL: anything fits)
// is taken: fewer engines per part, the rest as "4 on 2 others", then
// "5 killed (on 3 engines)", at last the form without engines. Returns
// DD_MSG_FAIL when something failed, else DD_MSG_OK.
dd_msgprio_t DD_BatchSummary(const dd_batch_t *b, int many, dd_fits_fn fits,
                             void *ctx, char *dst, size_t dstsize);

#endif
