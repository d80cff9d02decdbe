/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for opts.c: the command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "opts.h"
#include "serve.h"

/* strdup and strndup of this program (rules.c's calls land here, glibc's
 * own do not), failing while fail_dups is set: the one way to reach the
 * ENOMEM paths of --protect and --filter without starving the process. */
static int fail_dups;

static char *dup_bytes(const char *s, size_t len)
{
    char *p = fail_dups ? NULL : malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *strndup(const char *s, size_t n)
{
    return dup_bytes(s, strnlen(s, n));
}

char *strdup(const char *s)
{
    return dup_bytes(s, strlen(s));
}

/* Parses a NULL-terminated list given as literals. */
static int parse(struct options *o, char *err, const char **args)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = "dockerfs";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    err[0] = '\0';
    return opts_parse(o, argc, argv, err, 256);
}

#define P(o, err, ...) parse(o, err, (const char *[]){ __VA_ARGS__, NULL })

static void defaults(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "/dockerfs"), 0);
    assert_string_equal(o.mountpoint, "/dockerfs");
    assert_int_equal(o.foreground, 0);
    assert_int_equal(o.debug, 0);
    assert_null(o.fuse_opts);
    assert_int_equal(o.ro, 0);
    assert_int_equal(o.n_engines, 0);
    assert_int_equal(o.filters.n, 0);
    assert_int_equal(o.protect.n, 0);
    assert_int_equal(o.all, 0);
    assert_int_equal(o.dry_run, 0);
    assert_int_equal(o.fast_read, 0);
    assert_int_equal(o.action, KILL_RM);
    assert_int_equal(o.kill_uid, 0);
    assert_int_equal(o.have_gid, 0);
    assert_true(o.timeout == 10.0);
    assert_true(o.resync == 300.0);
    assert_int_equal(o.spin_us, SERVE_SPIN_US_DEFAULT);
    assert_int_equal(o.syslog, 1);      /* not foreground */
    assert_int_equal(o.help, 0);
    assert_int_equal(o.version, 0);
    opts_free(&o);
    opts_free(&o);
}

static void every_option(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "-f", "-o", "allow_other", "--host",
                       "unix:///tmp/d.sock", "--filter", "label=a=b",
                       "--filter", "status=running", "--all", "--protect",
                       "name=web*", "--protect", "label=keep", "--dry-run",
                       "--fast-read", "--kill-action", "stop", "--uid", "1000", "--gid", "100",
                       "--timeout", "2.5", "--resync", "0", "-oro,default_permissions",
                       "--spin", "0", "/mnt/x"), 0);
    assert_string_equal(o.mountpoint, "/mnt/x");
    assert_int_equal(o.foreground, 1);
    assert_int_equal(o.syslog, 0);
    assert_string_equal(o.fuse_opts, "allow_other,ro,default_permissions");
    assert_int_equal(o.ro, 1);
    assert_int_equal(o.n_engines, 1);
    assert_string_equal(o.engines[0].arg, "unix:///tmp/d.sock");
    assert_int_equal(o.filters.n, 2);
    assert_string_equal(o.filters.v[0].key, "label");
    assert_string_equal(o.filters.v[0].value, "a=b");
    assert_int_equal(o.protect.n, 2);
    assert_int_equal(o.all, 1);
    assert_int_equal(o.dry_run, 1);
    assert_int_equal(o.fast_read, 1);
    assert_int_equal(o.action, KILL_STOP);
    assert_int_equal(o.kill_uid, 1000);
    assert_int_equal(o.kill_gid, 100);
    assert_int_equal(o.have_gid, 1);
    assert_true(o.timeout == 2.5);
    assert_true(o.resync == 0.0);
    assert_int_equal(o.spin_us, 0);
    opts_free(&o);
    assert_null(o.fuse_opts);
    assert_int_equal(o.filters.n, 0);
}

static void short_and_equals_forms(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "/m", "-H", "tcp://e:1", "--kill-action=kill",
                       "--syslog", "-d", "--uid=root", "--gid=root"), 0);
    assert_string_equal(o.engines[0].arg, "tcp://e:1");
    assert_int_equal(o.action, KILL_KILL);
    assert_int_equal(o.debug, 1);
    assert_int_equal(o.foreground, 1);     /* -d implies -f */
    assert_int_equal(o.syslog, 1);         /* asked for explicitly */
    assert_int_equal(o.kill_uid, 0);
    assert_int_equal(o.have_gid, 1);
    opts_free(&o);
    assert_int_equal(P(&o, err, "--kill-action", "rm", "-f", "/m"), 0);
    assert_int_equal(o.action, KILL_RM);
    assert_int_equal(o.syslog, 0);
    opts_free(&o);
    /* ro, then rw: last wins */
    assert_int_equal(P(&o, err, "-o", "ro", "-o", "rw", "/m"), 0);
    assert_int_equal(o.ro, 0);
    assert_string_equal(o.fuse_opts, "ro,rw");
    opts_free(&o);
    assert_int_equal(P(&o, err, "-o", "", "-o", "rox", "/m"), 0);
    assert_int_equal(o.ro, 0);
    assert_string_equal(o.fuse_opts, "rox");
    opts_free(&o);
}

static void help_and_version(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "--help"), 0);
    assert_int_equal(o.help, 1);
    assert_null(o.mountpoint);
    opts_free(&o);
    assert_int_equal(P(&o, err, "-h"), 0);
    assert_int_equal(o.help, 1);
    opts_free(&o);
    assert_int_equal(P(&o, err, "--version"), 0);
    assert_int_equal(o.version, 1);
    opts_free(&o);
    assert_int_equal(P(&o, err, "-V", "/m"), 0);
    assert_int_equal(o.version, 1);
    opts_free(&o);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    opts_usage(f, "dockerfs");
    fclose(f);
    const char *must[] = { "--foreground", "-o", "--host", "--context", "--filter", "--all",
                           "--protect", "--dry-run", "--fast-read", "--kill-action", "--uid",
                           "--gid", "--timeout", "--resync", "--spin", "--syslog",
                           "--help", "--version", "MOUNTPOINT" };
    for (size_t i = 0; i < sizeof must / sizeof *must; i++)
        assert_non_null(strstr(text, must[i]));
    free(text);
}

static void usage_errors(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    const char *cases[][6] = {
        { "/m", "--kill-action", "explode" },
        { "/m", "--uid", "notanumber" },
        { "/m", "--uid", "-1" },
        { "/m", "--uid", "4294967295" },
        { "/m", "--uid", "" },
        { "/m", "--gid", "nosuchgroup_xyz" },
        { "/m", "--timeout", "0" },
        { "/m", "--timeout", "-1" },
        { "/m", "--timeout", "abc" },
        { "/m", "--timeout", "nan" },
        { "/m", "--timeout", "inf" },
        { "/m", "--resync", "-5" },
        { "/m", "--resync", "5s" },
        { "/m", "--spin", "-1" },
        { "/m", "--spin", "10001" },
        { "/m", "--spin", "1.5" },
        { "/m", "--spin", "" },
        { "/m", "--spin" },
        { "/m", "--owner-only", "kill" },
        { "/m", "--owner-only", "bogus" },
        { "/m", "--owner-only", "" },
        { "/m", "--owner-only", "labels," },
        { "/m", "--owner-only", "labels,,id" },
        { "/m", "--owner-only", "dir" },
        { "/m", "--owner-only" },
        { "/m", "--filter", "=x" },
        { "/m", "--filter", "bogus=1" },
        { "/m", "--filter", "label=" },
        { "/m", "--protect", "nonsense" },
        { "/m", "--protect", "label=" },
        { "/m", "--protect", "name=" },
        { "/m", "--protect", "image=" },
        { "/m", "--protect", "=x" },
        { "/m", "--bogus" },
        { "/m", "-x" },
        { "/m", "--help=3" },
        { "/m", "--timeout" },
        { "/m", "-o" },
        { "/m", "--kill-action" },
        { "-f" },
        { "/m", "/n" },
        { "" },
        { "--all", "--filter", "label=a", "--protect", "label=b", "--bogus" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *args[8] = { 0 };
        for (int j = 0; j < 6 && cases[i][j]; j++)
            args[j] = cases[i][j];
        assert_int_equal(parse(&o, err, args), 2);
        assert_true(strlen(err) > 0);
        assert_null(strchr(err, '\n'));
        /* Nothing is left allocated after a usage error. */
        assert_null(o.fuse_opts);
        assert_int_equal(o.filters.n, 0);
        assert_int_equal(o.protect.n, 0);
        opts_free(&o);
    }
    assert_int_equal(P(&o, err, "/m", "--kill-action", "explode"), 2);
    assert_non_null(strstr(err, "explode"));
    assert_int_equal(P(&o, err, "/m", "--timeout"), 2);
    assert_non_null(strstr(err, "--timeout"));
    assert_int_equal(P(&o, err, "/m", "--bogus=1"), 2);
    assert_non_null(strstr(err, "--bogus"));
    assert_int_equal(P(&o, err, "/m", "-x"), 2);
    assert_non_null(strstr(err, "-x"));
    assert_int_equal(parse(&o, err, (const char *[]){ NULL }), 2);
    assert_non_null(strstr(err, "mount point"));
}

/* --owner-only: data files by name, comma-separated and repeatable, into
 * one bit per kind; the kill file and anything else is a usage error. */
static void owner_only_list(void **state)
{
    (void)state;
    struct options o;
    char err[256];

    assert_int_equal(P(&o, err, "/m"), 0);
    assert_int_equal(o.owner_only, 0);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--owner-only", "labels,created",
                       "--owner-only=id"), 0);
    assert_int_equal(o.owner_only, 1u << FILE_LABELS | 1u << FILE_CREATED |
                                   1u << FILE_ID);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--owner-only", "name,image,state,engine"), 0);
    assert_int_equal(o.owner_only, 1u << FILE_NAME | 1u << FILE_IMAGE |
                                   1u << FILE_STATE | 1u << FILE_ENGINE);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--owner-only", "labels,kill"), 2);
    assert_non_null(strstr(err, "'kill'"));
}

/* Out of memory is said as such, never as a usage error with a reason
 * that was never written. */
static void out_of_memory(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    const char *specs[][2] = {
        { "--protect", "name=x" }, { "--protect", "label=a=b" },
        { "--filter", "status=running" },
    };
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        fail_dups = 1;
        int rc = P(&o, err, "/m", specs[i][0], specs[i][1]);
        fail_dups = 0;
        assert_int_equal(rc, 1);
        assert_string_equal(err, "out of memory");
        assert_int_equal(o.protect.n, 0);
        assert_int_equal(o.filters.n, 0);
        opts_free(&o);
    }
}

/* --uid and --gid: one parser, a number or a name of the right kind. */
static void owner_ids(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "/m", "--uid", "root", "--gid", "0"), 0);
    assert_int_equal(o.kill_uid, 0);
    assert_int_equal(o.kill_gid, 0);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--uid", "4294967294", "--gid",
                       "4294967294"), 0);
    assert_int_equal(o.kill_uid, 4294967294u);
    assert_int_equal(o.kill_gid, 4294967294u);
    opts_free(&o);
    /* "nogroup" is a group and no user. */
    assert_int_equal(P(&o, err, "/m", "--gid", "nogroup"), 0);
    assert_int_equal(P(&o, err, "/m", "--uid", "nogroup"), 2);
    assert_non_null(strstr(err, "--uid 'nogroup'"));
    assert_int_equal(P(&o, err, "/m", "--gid", "+5"), 2);
    assert_non_null(strstr(err, "--gid '+5'"));
}

/* allow_other is noted, wherever it is in the -o lists. */
static void allow_other_noted(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "/m"), 0);
    assert_int_equal(o.allow_other, 0);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "-o", "ro,allow_other"), 0);
    assert_int_equal(o.allow_other, 1);
    opts_free(&o);
    assert_int_equal(P(&o, err, "-o", "allow_other", "-o", "ro", "/m"), 0);
    assert_int_equal(o.allow_other, 1);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "-o", "allow_others,xallow_other"), 0);
    assert_int_equal(o.allow_other, 0);
    opts_free(&o);
}

static void reparse_many_times(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    for (int i = 0; i < 5; i++) {
        assert_int_equal(P(&o, err, "-f", "/m", "--all"), 0);
        assert_int_equal(o.all, 1);
        assert_string_equal(o.mountpoint, "/m");
        opts_free(&o);
        assert_int_equal(P(&o, err, "/m", "-x"), 2);
    }
}

/* --host and --context are kept in order, each repeatable, so several
 * engines can be named (dockerfs itself takes one for now). */
static void engines_in_order(void **state)
{
    (void)state;
    struct options o;
    char err[256];
    assert_int_equal(P(&o, err, "/m"), 0);
    assert_int_equal(o.n_engines, 0);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--context", "prod", "-H", "unix:///a.sock",
                       "--context=dev"), 0);
    assert_int_equal(o.n_engines, 3);
    assert_int_equal(o.engines[0].kind, SPEC_CONTEXT);
    assert_string_equal(o.engines[0].arg, "prod");
    assert_int_equal(o.engines[1].kind, SPEC_HOST);
    assert_string_equal(o.engines[1].arg, "unix:///a.sock");
    assert_int_equal(o.engines[2].kind, SPEC_CONTEXT);
    assert_string_equal(o.engines[2].arg, "dev");
    opts_free(&o);
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--context", ""), 2);
    assert_non_null(strstr(err, "--context"));
    opts_free(&o);
    assert_int_equal(P(&o, err, "/m", "--context"), 2);
    opts_free(&o);
}

/* The cluster options: --kube in order with the engines, --kubeconfig
 * and --kube-context one cluster after them, kube-system protected unless
 * --no-default-protect, and what needs a cluster or is refused for one. */
static void clusters(void **state)
{
    (void)state;
    struct options o;
    char err[256];

    assert_int_equal(P(&o, err, "/m", "-H", "unix:///a.sock", "--kube",
                       "prod=/k.yaml:arn:aws:eks:x", "--kubeconfig", "/c",
                       "--kube-context", "ops", "--namespace", "shop",
                       "--namespace", "blog", "--grace-period", "30",
                       "--kill-action", "evict", "--filter", "label=app"), 0);
    assert_int_equal(o.n_engines, 3);
    assert_int_equal(o.engines[1].kind, SPEC_KUBE);
    assert_string_equal(o.engines[1].arg, "prod=/k.yaml:arn:aws:eks:x");
    assert_int_equal(o.engines[2].kind, SPEC_KUBECONFIG);
    assert_null(o.engines[2].arg);
    assert_string_equal(o.kubeconfig, "/c");
    assert_string_equal(o.kube_context, "ops");
    assert_int_equal(o.n_namespaces, 2);
    assert_string_equal(o.namespaces[1], "blog");
    assert_int_equal(o.grace_period, 30);
    assert_int_equal(o.action, KILL_EVICT);
    assert_int_equal(o.protect.n, 1);           /* kube-system, by default */
    assert_int_equal(o.protect.v[0].kind, PROTECT_BY_NAMESPACE);
    assert_string_equal(o.protect.v[0].value, "kube-system");
    opts_free(&o);

    assert_int_equal(P(&o, err, "/m", "--kube", "x", "--no-default-protect",
                       "--kill-action", "delete"), 0);
    assert_int_equal(o.protect.n, 0);
    assert_int_equal(o.grace_period, -1);
    assert_int_equal(o.action, KILL_DELETE);
    opts_free(&o);
    /* Without a cluster nothing is added. */
    assert_int_equal(P(&o, err, "/m"), 0);
    assert_int_equal(o.protect.n, 0);
    opts_free(&o);

    static const struct { const char *a, *b, *c, *word; } bad[] = {
        { "--namespace", "shop", NULL, "needs a cluster" },
        { "--grace-period", "3", NULL, "needs a cluster" },
        { "--kube", "x", "--namespace=Shop", "bad --namespace" },
        { "--kube", "x", "--namespace=-a", "bad --namespace" },
        { "--kube", "x", "--namespace=a.b", "bad --namespace" },
        { "--kube", "x", "--grace-period=-1", "bad --grace-period" },
        { "--kube", "x", "--grace-period=1.5", "bad --grace-period" },
        { "--kube", "x", "--filter=status=running", "by label only" },
        { "--kubeconfig", "a", "--kubeconfig=b", "given twice" },
        { "--kube-context", "a", "--kube-context=b", "given twice" },
        { "--kubeconfig", "", NULL, "empty --kubeconfig" },
        { "--kube", "x", "--kill-action=zap", "delete or evict" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = bad[i].c ? P(&o, err, "/m", bad[i].a, bad[i].b, bad[i].c)
                          : P(&o, err, "/m", bad[i].a, bad[i].b);
        assert_int_equal(rc, 2);
        if (!strstr(err, bad[i].word))
            fail_msg("%s %s: '%s'", bad[i].a, bad[i].b, err);
        opts_free(&o);
    }
    assert_int_equal(P(&o, err, "/m", "--kube", "x", "--namespace", "a",
                       "--namespace", "a"), 2);
    assert_non_null(strstr(err, "twice"));
    opts_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clusters),
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_option),
        cmocka_unit_test(short_and_equals_forms),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(owner_only_list),
        cmocka_unit_test(out_of_memory),
        cmocka_unit_test(owner_ids),
        cmocka_unit_test(allow_other_noted),
        cmocka_unit_test(reparse_many_times),
        cmocka_unit_test(engines_in_order),
    };
    return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
