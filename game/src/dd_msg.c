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
//	dockerdoom: the message queue and message texts.
//

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dd_errno.h"
#include "dd_msg.h"

void DD_MsgInit(dd_msgq_t *q)
{
    memset(q, 0, sizeof(*q));
}

static dd_msg_t *DD_MsgAt(dd_msgq_t *q, int i)
{
    return &q->queue[(q->head + i) % DD_MSG_QUEUE];
}

// Removes the i-th queued message, keeping the order of the others.
static void DD_MsgDrop(dd_msgq_t *q, int i)
{
    for (; i + 1 < q->count; ++i)
    {
        *DD_MsgAt(q, i) = *DD_MsgAt(q, i + 1);
    }
    --q->count;
}

static void DD_MsgShow(dd_msgq_t *q, dd_msgprio_t prio, const char *text,
                       int now)
{
    snprintf(q->shown.text, sizeof(q->shown.text), "%s", text);
    q->shown.prio = prio;
    q->shown_at = now;
    q->have_shown = 1;
}

void DD_MsgPost(dd_msgq_t *q, dd_msgprio_t prio, const char *text,
                int now)
{
    int i;

    if (prio == DD_MSG_INFO)
    {
        if (q->count == 0
         && (!q->have_shown || q->shown.prio == DD_MSG_INFO))
        {
            DD_MsgShow(q, prio, text, now);
        }
        return;
    }
    for (i = 0; i < q->count; ++i)
    {
        if (strncmp(DD_MsgAt(q, i)->text, text, DD_MSG_LEN - 1) == 0)
        {
            return;
        }
    }
    if (q->count == DD_MSG_QUEUE)
    {
        for (i = 0; i < q->count; ++i)
        {
            if (DD_MsgAt(q, i)->prio == DD_MSG_OK)
            {
                break;
            }
        }
        if (i == q->count && prio == DD_MSG_OK)
        {
            return;
        }
        DD_MsgDrop(q, i == q->count ? 0 : i);
    }
    snprintf(DD_MsgAt(q, q->count)->text, DD_MSG_LEN, "%s", text);
    DD_MsgAt(q, q->count)->prio = prio;
    ++q->count;
    // An empty screen shows it right away.
    DD_MsgShown(q, now);
}

static int DD_MsgMin(dd_msgprio_t prio)
{
    return prio == DD_MSG_FAIL ? DD_MSG_FAIL_MIN
         : prio == DD_MSG_OK ? DD_MSG_OK_MIN : DD_MSG_INFO_MIN;
}

static int DD_MsgMax(dd_msgprio_t prio)
{
    return prio == DD_MSG_FAIL ? DD_MSG_FAIL_MAX
         : prio == DD_MSG_OK ? DD_MSG_OK_MAX : DD_MSG_INFO_MAX;
}

const char *DD_MsgShown(dd_msgq_t *q, int now)
{
    if (q->have_shown)
    {
        int age = now - q->shown_at;

        if (age >= DD_MsgMax(q->shown.prio))
        {
            q->have_shown = 0;
        }
        else if (q->count > 0 && age >= DD_MsgMin(q->shown.prio)
              && (q->shown.prio != DD_MSG_FAIL
               || DD_MsgAt(q, 0)->prio == DD_MSG_FAIL))
        {
            q->have_shown = 0;
        }
    }
    if (!q->have_shown && q->count > 0)
    {
        dd_msg_t *next = DD_MsgAt(q, 0);

        DD_MsgShow(q, next->prio, next->text, now);
        q->head = (q->head + 1) % DD_MSG_QUEUE;
        --q->count;
    }
    return q->have_shown ? q->shown.text : NULL;
}

void DD_KillMessage(char *dst, size_t dstsize, const char *name, int err)
{
    if (err == 0)
    {
        snprintf(dst, dstsize, "killed %s", name);
    }
    else
    {
        snprintf(dst, dstsize, "%s: kill %s, %s (%s)", name,
                 DD_ErrnoRefused(err) ? "refused" : "failed",
                 DD_ErrnoName(err), strerror(err));
    }
}

void DD_SlowMessage(char *dst, size_t dstsize, const char *name, int more,
                    int seconds)
{
    if (more > 0)
    {
        snprintf(dst, dstsize, "%s and %d more: engine has not answered "
                 "for %d s", name, more, seconds);
    }
    else
    {
        snprintf(dst, dstsize, "%s: engine has not answered for %d s",
                 name, seconds);
    }
}

void DD_BatchInit(dd_batch_t *b)
{
    memset(b, 0, sizeof(*b));
}

// The engine's tally, added when new; the shared overflow tally once
// DD_BATCH_ENGINES are in use; NULL for no engine.
static dd_batchengine_t *DD_BatchEngine(dd_batch_t *b, const char *engine)
{
    dd_batchengine_t *e;
    int i;

    if (engine == NULL || engine[0] == '\0')
    {
        return NULL;
    }
    for (i = 0; i < b->nengines; ++i)
    {
        if (strncmp(b->engines[i].name, engine, DD_BATCH_NAME_LEN) == 0)
        {
            return &b->engines[i];
        }
    }
    if (b->nengines == DD_BATCH_ENGINES)
    {
        return &b->other;
    }
    e = &b->engines[b->nengines++];
    snprintf(e->name, sizeof(e->name), "%.*s", DD_BATCH_NAME_LEN, engine);
    return e;
}

int DD_BatchResult(dd_batch_t *b, const char *engine, int err)
{
    dd_batchengine_t *e = DD_BatchEngine(b, engine);
    int i;

    if (err == 0)
    {
        ++b->killed;
        if (e != NULL)
        {
            ++e->killed;
        }
    }
    else
    {
        if (DD_ErrnoRefused(err))
        {
            ++b->refused;
            if (e != NULL)
            {
                ++e->refused;
            }
        }
        else
        {
            ++b->failed;
            if (e != NULL)
            {
                ++e->failed;
            }
        }
        for (i = 0; i < b->nerrs && b->errs[i] != err; ++i)
        {
        }
        if (i == b->nerrs && b->nerrs < DD_BATCH_ERRS)
        {
            b->errs[b->nerrs++] = err;
        }
    }
    if (b->pending > 0)
    {
        --b->pending;
        return b->pending == 0;
    }
    return 0;
}

typedef enum
{
    DD_PART_KILLED,
    DD_PART_REFUSED,
    DD_PART_FAILED,
} dd_part_t;

static int DD_PartCount(const dd_batchengine_t *e, dd_part_t part)
{
    return part == DD_PART_KILLED ? e->killed
         : part == DD_PART_REFUSED ? e->refused : e->failed;
}

// Appends to the string in dst, cutting what does not fit.
static void DD_Append(char *dst, size_t dstsize, const char *fmt, ...)
{
    size_t len = strlen(dst);
    va_list args;

    if (len + 1 >= dstsize)
    {
        return;
    }
    va_start(args, fmt);
    vsnprintf(dst + len, dstsize - len, fmt, args);
    va_end(args);
}

// Fills order with the engines that have results of this part, most
// first (then by name). Returns how many.
static int DD_PartEngines(const dd_batch_t *b, dd_part_t part,
                          int order[DD_BATCH_ENGINES])
{
    int n = 0;
    int i;
    int j;

    for (i = 0; i < b->nengines; ++i)
    {
        const dd_batchengine_t *e = &b->engines[i];
        int count = DD_PartCount(e, part);

        if (count == 0)
        {
            continue;
        }
        for (j = n; j > 0; --j)
        {
            const dd_batchengine_t *prev = &b->engines[order[j - 1]];
            int pc = DD_PartCount(prev, part);

            if (pc > count || (pc == count && strcmp(prev->name, e->name) < 0))
            {
                break;
            }
            order[j] = order[j - 1];
        }
        order[j] = i;
        ++n;
    }
    return n;
}

// Appends "; " (after errnos) and the engines of one part: at most shown
// of them by name, the rest summed up.
static void DD_PartWhere(const dd_batch_t *b, char *dst, size_t dstsize,
                         dd_part_t part, int shown)
{
    int order[DD_BATCH_ENGINES];
    int n = DD_PartEngines(b, part, order);
    int rest = DD_PartCount(&b->other, part);
    int over = rest > 0;
    int others;
    const char *sep = "";
    int i;

    // The last engine by name when that is no longer than "1 other".
    if (n == shown + 1 && !over
     && strlen(b->engines[order[shown]].name) <= strlen("1 other"))
    {
        ++shown;
    }
    others = (n > shown ? n - shown : 0) + over;
    for (i = shown; i < n; ++i)
    {
        rest += DD_PartCount(&b->engines[order[i]], part);
    }
    for (i = 0; i < n && i < shown; ++i)
    {
        DD_Append(dst, dstsize, "%s%d on %s", sep,
                  DD_PartCount(&b->engines[order[i]], part),
                  b->engines[order[i]].name);
        sep = ", ";
    }
    if (rest == 0)
    {
        return;
    }
    if (i == 0)
    {
        DD_Append(dst, dstsize, "on %d%s engine%s", others, over ? "+" : "",
                  others == 1 && !over ? "" : "s");
    }
    else
    {
        DD_Append(dst, dstsize, "%s%d on %d%s other%s", sep, rest, others,
                  over ? "+" : "", others == 1 && !over ? "" : "s");
    }
}

// Whether this part has results on any named engine.
static int DD_PartNamed(const dd_batch_t *b, dd_part_t part)
{
    int order[DD_BATCH_ENGINES];

    return DD_PartEngines(b, part, order) > 0
        || DD_PartCount(&b->other, part) > 0;
}

// Appends ", N WORD (ENAME, ...; ENGINES)" for one part; shown < 0 leaves
// the engines out.
static void DD_BatchPart(const dd_batch_t *b, char *dst, size_t dstsize,
                         int n, dd_part_t part, int shown)
{
    static const char *const words[] = { "killed", "refused", "failed" };
    const char *sep = " (";
    int i;

    if (n == 0)
    {
        return;
    }
    DD_Append(dst, dstsize, "%s%d %s",
              strchr(dst, ':')[1] == '\0' ? " " : ", ", n, words[part]);
    for (i = 0; part != DD_PART_KILLED && i < b->nerrs; ++i)
    {
        if (DD_ErrnoRefused(b->errs[i]) == (part == DD_PART_REFUSED))
        {
            DD_Append(dst, dstsize, "%s%s", sep, DD_ErrnoName(b->errs[i]));
            sep = ", ";
        }
    }
    if (shown >= 0 && DD_PartNamed(b, part))
    {
        DD_Append(dst, dstsize, "%s", sep[0] == ',' ? "; " : sep);
        DD_PartWhere(b, dst, dstsize, part, shown);
        sep = ", ";
    }
    if (sep[0] == ',')
    {
        DD_Append(dst, dstsize, ")");
    }
}

// The summary naming at most shown engines per part (shown < 0: none).
static void DD_BatchText(const dd_batch_t *b, int shown, char *dst,
                         size_t dstsize)
{
    snprintf(dst, dstsize, "idrm:");
    DD_BatchPart(b, dst, dstsize, b->killed, DD_PART_KILLED, shown);
    DD_BatchPart(b, dst, dstsize, b->refused, DD_PART_REFUSED, shown);
    DD_BatchPart(b, dst, dstsize, b->failed, DD_PART_FAILED, shown);
    if (dst[5] == '\0')
    {
        snprintf(dst, dstsize, "idrm: nothing killed");
    }
}

dd_msgprio_t DD_BatchSummary(const dd_batch_t *b, int many, dd_fits_fn fits,
                             void *ctx, char *dst, size_t dstsize)
{
    // Room for a form too long to take, so that it is seen to be.
    char text[DD_MSG_LEN * 4];
    size_t limit = dstsize < DD_MSG_LEN ? dstsize : DD_MSG_LEN;
    int shown;

    for (shown = many ? b->nengines : -1; shown >= 0; --shown)
    {
        DD_BatchText(b, shown, text, sizeof(text));
        if (strlen(text) < limit && (fits == NULL || fits(text, ctx)))
        {
            break;
        }
    }
    if (shown < 0)
    {
        DD_BatchText(b, -1, text, sizeof(text));
    }
    snprintf(dst, dstsize, "%s", text);
    return b->refused + b->failed > 0 ? DD_MSG_FAIL : DD_MSG_OK;
}
