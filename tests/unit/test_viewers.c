/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for viewers.c: who may see inside the mount. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "viewers.h"

static struct kill_caller caller(uid_t uid, gid_t gid, int ngroups, const gid_t *groups)
{
    struct kill_caller who;
    memset(&who, 0, sizeof who);
    who.uid = uid;
    who.gid = gid;
    who.ngroups = ngroups;
    for (int i = 0; i < ngroups; i++)
        who.groups[i] = groups[i];
    return who;
}

static int view(const struct options *o, uid_t owner, uid_t uid, gid_t gid)
{
    struct kill_caller who = caller(uid, gid, 0, NULL);
    return may_view(o, owner, &who);
}

static void without_allow_other_anyone(void **state)
{
    (void)state;
    struct options o;
    memset(&o, 0, sizeof o);
    /* The kernel keeps everyone but the mounting user out by itself. */
    assert_true(view(&o, 0, 1000, 1000));
    assert_true(view(&o, 0, 0, 0));
}

static void allow_other_only_trusted(void **state)
{
    (void)state;
    struct options o;
    memset(&o, 0, sizeof o);
    o.allow_other = 1;
    assert_true(view(&o, 0, 0, 0));          /* root */
    assert_false(view(&o, 0, 1000, 1000));   /* default --uid 0: nobody else */
    assert_false(view(&o, 0, 65534, 65534));
    assert_true(view(&o, 1234, 1234, 1));    /* the user dockerfs runs as */

    o.kill_uid = 999;                        /* --uid 999 */
    assert_true(view(&o, 0, 999, 5));
    assert_false(view(&o, 0, 1000, 999));    /* a gid equal to the uid is no uid */

    o.kill_gid = 4242;                       /* --gid 4242 */
    o.have_gid = 1;
    assert_true(view(&o, 0, 1000, 4242));    /* primary group */
    gid_t sup[] = { 7, 4242 };
    struct kill_caller who = caller(1000, 1000, 2, sup);
    assert_true(may_view(&o, 0, &who));      /* supplementary group */
    who = caller(1000, 1000, 1, sup);
    assert_false(may_view(&o, 0, &who));
    /* Without --gid, gid 0 is no licence. */
    o.have_gid = 0;
    o.kill_gid = 0;
    assert_false(view(&o, 0, 1000, 0));
}

/* --owner-only: root and the owner read those files, the --uid user and
 * --gid members (who may view and kill) do not; other files stay open. */
static void owner_only_files(void **state)
{
    (void)state;
    struct options o;
    memset(&o, 0, sizeof o);
    o.allow_other = 1;
    o.kill_uid = 999;
    o.kill_gid = 4242;
    o.have_gid = 1;
    struct kill_caller game = caller(999, 999, 0, NULL);
    struct kill_caller member = caller(1000, 4242, 0, NULL);
    struct kill_caller root = caller(0, 0, 0, NULL);
    struct kill_caller owner = caller(1234, 1, 0, NULL);

    /* Nothing named: every file is open to whoever may view. */
    assert_true(may_read(&o, 1234, &game, FILE_LABELS));
    o.owner_only = 1u << FILE_LABELS | 1u << FILE_CREATED;
    assert_false(may_read(&o, 1234, &game, FILE_LABELS));
    assert_false(may_read(&o, 1234, &member, FILE_LABELS));
    assert_false(may_read(&o, 1234, &game, FILE_CREATED));
    assert_true(may_read(&o, 1234, &root, FILE_LABELS));
    assert_true(may_read(&o, 1234, &owner, FILE_LABELS));
    /* What the game plays with stays readable. */
    assert_true(may_read(&o, 1234, &game, FILE_NAME));
    assert_true(may_read(&o, 1234, &game, FILE_IMAGE));
    assert_true(may_read(&o, 1234, &game, FILE_STATE));
    assert_true(may_read(&o, 1234, &game, FILE_ENGINE));
    assert_true(may_read(&o, 1234, &game, FILE_KINDS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_allow_other_anyone),
        cmocka_unit_test(allow_other_only_trusted),
        cmocka_unit_test(owner_only_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
