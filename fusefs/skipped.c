/* SPDX-License-Identifier: GPL-2.0-or-later */
/* skipped.c - containers left out of the mount, said once each. */
#include "skipped.h"

#include <pthread.h>
#include <string.h>
#include "container.h"
#include "escape.h"
#include "log.h"

/* Ids already told. A ring: past this many skipped containers (an engine
 * that is broken, not one bad record) the oldest may be told again. */
#define SKIPPED_KEEP 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char told[SKIPPED_KEEP][ID_LEN + 1];
static size_t ntold, next;

/* 1 if id was told before; else remembers it and returns 0. */
static int seen(const char *id)
{
    int found = 0;

    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < ntold && !found; i++)
        found = strcmp(told[i], id) == 0;
    if (!found) {
        memcpy(told[next], id, strlen(id) + 1);
        next = (next + 1) % SKIPPED_KEEP;
        if (ntold < SKIPPED_KEEP)
            ntold++;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void skipped_log(void *arg, const char *id, const char *why)
{
    char safe_id[ID_LEN + 1] = "", reason[256];

    (void)arg;
    if (id && id_valid(id))
        memcpy(safe_id, id, strlen(id) + 1);
    /* A pod's id is its uid's 32 digits. */
    const char *what = strlen(safe_id) == POD_ID_LEN ? "pod" : "container";
    escape_text_to(reason, sizeof reason, why ? why : "");
    if (seen(safe_id))
        log_debug("left out %s %.12s again: %s", what,
                  safe_id[0] ? safe_id : "(no id)", reason);
    else
        log_warn("left out %s %.12s: %s (said once per %s)", what,
                 safe_id[0] ? safe_id : "(no id)", reason, what);
}
