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

int DD_BatchResult(dd_batch_t *b, int err)
{
    int i;

    if (err == 0)
    {
        ++b->killed;
    }
    else
    {
        if (DD_ErrnoRefused(err))
        {
            ++b->refused;
        }
        else
        {
            ++b->failed;
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

// Appends ", N WORD (ENAME, ...)" for the errnos of one kind.
static void DD_BatchPart(const dd_batch_t *b, char *dst, size_t dstsize,
                         int n, const char *word, int refused)
{
    size_t len = strlen(dst);
    const char *sep = " (";
    int i;

    if (n == 0)
    {
        return;
    }
    snprintf(dst + len, dstsize - len, "%s%d %s",
             strchr(dst, ':')[1] == '\0' ? " " : ", ", n, word);
    for (i = 0; i < b->nerrs; ++i)
    {
        if (DD_ErrnoRefused(b->errs[i]) == refused)
        {
            len = strlen(dst);
            snprintf(dst + len, dstsize - len, "%s%s", sep,
                     DD_ErrnoName(b->errs[i]));
            sep = ", ";
        }
    }
    if (sep[0] == ',')
    {
        len = strlen(dst);
        snprintf(dst + len, dstsize - len, ")");
    }
}

dd_msgprio_t DD_BatchSummary(const dd_batch_t *b, char *dst,
                             size_t dstsize)
{
    char text[DD_MSG_LEN * 2] = "idrm:";

    if (b->killed > 0)
    {
        snprintf(text + 5, sizeof(text) - 5, " %d killed", b->killed);
    }
    DD_BatchPart(b, text, sizeof(text), b->refused, "refused", 1);
    DD_BatchPart(b, text, sizeof(text), b->failed, "failed", 0);
    if (text[5] == '\0')
    {
        snprintf(text, sizeof(text), "idrm: nothing killed");
    }
    snprintf(dst, dstsize, "%s", text);
    return b->refused + b->failed > 0 ? DD_MSG_FAIL : DD_MSG_OK;
}
