// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the synchronised events on the wire (dd_wire) and the list
// every peer holds alike (dd_sync): encoding and decoding (hostile names:
// long, with newlines, not ASCII, with a NUL), the dictionary, chunks
// (repeated, lost, too long), and a diff applied giving the scan back.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_sync.h"
#include "dd_wire.h"

static void set_scan(dd_scanentry_t *e, const char *id, const char *name,
                     const char *image, const char *status,
                     const char *engine)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->id, sizeof(e->id), "%s", id);
    snprintf(e->name, sizeof(e->name), "%s", name);
    snprintf(e->image, sizeof(e->image), "%s", image);
    snprintf(e->status, sizeof(e->status), "%s", status);
    snprintf(e->engine, sizeof(e->engine), "%s", engine);
}

static dd_event_t make_event(dd_evtype_t type, const char *id,
                             const char *name, const char *image)
{
    dd_event_t ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.mask = DD_CHANGED_ALL;
    set_scan(&ev.e, id, name, image, "running", "");
    return ev;
}

// Encodes n events into one message, decodes it with a second
// dictionary, and checks both dictionaries end alike.
static dd_event_t *roundtrip(const dd_event_t *in, int n, int *count,
                             size_t *len)
{
    static dd_dict_t enc, dec;
    dd_wbuf_t buf = { 0 };
    dd_event_t *out = NULL;
    int i;

    DD_DictInit(&enc);
    DD_DictInit(&dec);
    for (i = 0; i < n; ++i)
    {
        assert_int_equal(DD_WireEncode(&buf, &in[i], &enc), 0);
    }
    assert_int_equal(DD_WireDecode(buf.data, buf.len, &dec, &out, count),
                     0);
    assert_memory_equal(enc.str, dec.str, sizeof(enc.str));
    if (len != NULL)
    {
        *len = buf.len;
    }
    DD_WbufFree(&buf);
    return out;
}

static void test_every_event(void **state)
{
    dd_event_t in[8];
    dd_event_t *out;
    int count;

    (void) state;
    in[0] = make_event(DD_EV_ADD, "0123456789ab", "web", "nginx:latest");
    snprintf(in[0].e.engine, sizeof(in[0].e.engine), "node-1");
    snprintf(in[0].e.ns, sizeof(in[0].e.ns), "shop");
    in[1] = make_event(DD_EV_DEL, "abcdef012345", "", "");
    in[2] = make_event(DD_EV_SET, "0123456789ab", "web-old", "");
    in[2].mask = DD_CHANGED_NAME;
    in[3] = make_event(DD_EV_SET, "0123456789ab", "", "redis");
    in[3].mask = DD_CHANGED_IMAGE | DD_CHANGED_STATUS | DD_CHANGED_PROTECT;
    snprintf(in[3].e.status, sizeof(in[3].e.status), "paused");
    in[3].e.protect = 1;
    in[4] = make_event(DD_EV_RESULT, "0123456789abc", "", "");
    in[4].value = EPERM;
    in[5] = make_event(DD_EV_HELLO, "", "alice", "");
    in[5].value = DD_HELLO_READS;
    in[6] = make_event(DD_EV_SCAN, "", "", "");
    in[7] = make_event(DD_EV_CAST, "", "", "");
    out = roundtrip(in, 8, &count, NULL);
    assert_int_equal(count, 8);
    assert_int_equal(out[0].type, DD_EV_ADD);
    assert_string_equal(out[0].e.id, "0123456789ab");
    assert_string_equal(out[0].e.name, "web");
    assert_string_equal(out[0].e.image, "nginx:latest");
    assert_string_equal(out[0].e.status, "running");
    assert_string_equal(out[0].e.engine, "node-1");
    assert_string_equal(out[0].e.ns, "shop");
    assert_int_equal(out[1].type, DD_EV_DEL);
    assert_string_equal(out[1].e.id, "abcdef012345");
    assert_int_equal(out[2].type, DD_EV_SET);
    assert_int_equal(out[2].mask, DD_CHANGED_NAME);
    assert_string_equal(out[2].e.name, "web-old");
    assert_int_equal(out[3].mask,
                     DD_CHANGED_IMAGE | DD_CHANGED_STATUS | DD_CHANGED_PROTECT);
    assert_string_equal(out[3].e.image, "redis");
    assert_string_equal(out[3].e.status, "paused");
    assert_int_equal(out[3].e.protect, 1);
    assert_int_equal(out[0].e.protect, 0);
    assert_string_equal(out[3].e.name, "");
    assert_int_equal(out[4].type, DD_EV_RESULT);
    // An odd number of digits survives the packing.
    assert_string_equal(out[4].e.id, "0123456789abc");
    assert_int_equal(out[4].value, EPERM);
    assert_int_equal(out[5].type, DD_EV_HELLO);
    assert_int_equal(out[5].value, DD_HELLO_READS);
    assert_string_equal(out[5].e.name, "alice");
    assert_int_equal(out[6].type, DD_EV_SCAN);
    assert_int_equal(out[7].type, DD_EV_CAST);
    free(out);
}

static void test_hostile_names(void **state)
{
    dd_event_t in[4];
    dd_event_t *out;
    char longname[400];
    char longimage[400];
    int count;

    (void) state;
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    memset(longimage, 'i', sizeof(longimage) - 1);
    longimage[sizeof(longimage) - 1] = '\0';
    in[0] = make_event(DD_EV_ADD, "aaaaaaaaaaaa", longname, longimage);
    // Bytes the wire carries as they are: newlines, tabs, UTF-8, and
    // bytes that are no UTF-8 at all.
    in[1] = make_event(DD_EV_ADD, "bbbbbbbbbbbb", "two\nlines\there",
                       "caf\xc3\xa9:latest");
    in[2] = make_event(DD_EV_ADD, "cccccccccccc",
                       "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xff\xfe\x01",
                       "img");
    in[3] = make_event(DD_EV_HELLO, "", longname, "");
    out = roundtrip(in, 4, &count, NULL);
    assert_int_equal(count, 4);
    // Cut to the field, never beyond.
    assert_int_equal(strlen(out[0].e.name), DD_NAME_LEN);
    assert_int_equal(strlen(out[0].e.image), DD_IMAGE_LEN);
    assert_string_equal(out[1].e.name, "two\nlines\there");
    assert_string_equal(out[1].e.image, "caf\xc3\xa9:latest");
    assert_string_equal(out[2].e.name,
                        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xff\xfe\x01");
    assert_int_equal(strlen(out[3].e.name), DD_WIRE_PNAME_LEN);
    free(out);
}

static void test_bad_ids(void **state)
{
    dd_dict_t dict;
    dd_wbuf_t buf = { 0 };
    dd_event_t ev;

    (void) state;
    DD_DictInit(&dict);
    ev = make_event(DD_EV_ADD, "ABCDEF012345", "x", "y");
    assert_int_equal(DD_WireEncode(&buf, &ev, &dict), EINVAL);
    ev = make_event(DD_EV_DEL, "", "x", "y");
    assert_int_equal(DD_WireEncode(&buf, &ev, &dict), EINVAL);
    ev = make_event(DD_EV_RESULT, "12345g", "x", "y");
    assert_int_equal(DD_WireEncode(&buf, &ev, &dict), EINVAL);
    ev = make_event(DD_EV_SET, "123456", "x", "y");
    ev.mask = 0;
    assert_int_equal(DD_WireEncode(&buf, &ev, &dict), EINVAL);
    // Nothing was written, and the dictionary is untouched.
    assert_int_equal(buf.len, 0);
    assert_string_equal(dict.str[0], "");
    DD_WbufFree(&buf);
}

// Every way a message can be wrong is refused whole, and leaves the
// dictionary as it was.
static void test_malformed(void **state)
{
    static const unsigned char nul[] = {
        DD_EV_HELLO, 0, 3, 'a', 0, 'b' };
    static const unsigned char toolong[] = {
        DD_EV_HELLO, 0, 32 };
    static const unsigned char badop[] = { 99 };
    static const unsigned char badmask[] = {
        DD_EV_SET, 2, 0x12, 32 };
    static const unsigned char bigvarint[] = {
        DD_EV_RESULT, 2, 0x12, 0xff, 0xff, 0xff, 0xff, 0x01 };
    static const unsigned char noid[] = { DD_EV_DEL, 0 };
    static const unsigned char longid[] = { DD_EV_DEL, 65 };
    // A DICT, then a cut ADD: the DICT must not stay.
    static const unsigned char cut[] = {
        DD_EV_DICT, 7, 3, 'x', 'y', 'z', DD_EV_ADD, 12, 0x01, 0x23 };
    const unsigned char *bad[] = {
        nul, toolong, badop, badmask, bigvarint, noid, longid, cut };
    size_t lens[] = {
        sizeof(nul), sizeof(toolong), sizeof(badop), sizeof(badmask),
        sizeof(bigvarint), sizeof(noid), sizeof(longid), sizeof(cut) };
    dd_dict_t dict;
    dd_event_t *out = (dd_event_t *) 1;
    int count = -1;
    size_t i;

    (void) state;
    DD_DictInit(&dict);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i)
    {
        assert_int_equal(DD_WireDecode(bad[i], lens[i], &dict, &out,
                                       &count), EINVAL);
        assert_null(out);
        assert_int_equal(count, 0);
    }
    assert_string_equal(dict.str[7], "");
    // Every cut of a good message is refused too.
    {
        dd_event_t in = make_event(DD_EV_ADD, "0123456789ab", "web",
                                   "nginx");
        dd_dict_t enc;
        dd_wbuf_t buf = { 0 };
        size_t n;

        DD_DictInit(&enc);
        assert_int_equal(DD_WireEncode(&buf, &in, &enc), 0);
        for (n = 1; n < buf.len; ++n)
        {
            int err = DD_WireDecode(buf.data, n, &dict, &out, &count);

            // A cut right after the DICT events is a whole message.
            if (err == 0)
            {
                assert_int_equal(count, 0);
                free(out);
                DD_DictInit(&dict);
                continue;
            }
            assert_int_equal(err, EINVAL);
        }
        DD_WbufFree(&buf);
    }
}

// A fleet of one image sends the image once; a slot reused later holds
// the new string only for later references.
static void test_dictionary(void **state)
{
    dd_event_t in[300];
    dd_event_t *out;
    char id[16];
    char name[16];
    size_t len;
    int count;
    int i;

    (void) state;
    for (i = 0; i < 300; ++i)
    {
        snprintf(id, sizeof(id), "%012x", i);
        snprintf(name, sizeof(name), "web-%d", i);
        in[i] = make_event(DD_EV_ADD, id,
                           name, "registry.example.com/team/web:1.2.3");
    }
    out = roundtrip(in, 300, &count, &len);
    assert_int_equal(count, 300);
    for (i = 0; i < 300; ++i)
    {
        assert_string_equal(out[i].e.image,
                            "registry.example.com/team/web:1.2.3");
        assert_string_equal(out[i].e.status, "running");
    }
    free(out);
    // 300 ADDs of about 21 bytes each: the image and status once.
    printf("300 ADDs of one image: %zu bytes\n", len);
    assert_true(len < 300 * 21 + 100);

    // 300 distinct images: the 256 slots are reused round the ring.
    for (i = 0; i < 300; ++i)
    {
        snprintf(in[i].e.image, sizeof(in[i].e.image), "image-%d", i);
    }
    out = roundtrip(in, 300, &count, NULL);
    for (i = 0; i < 300; ++i)
    {
        char want[32];

        snprintf(want, sizeof(want), "image-%d", i);
        assert_string_equal(out[i].e.image, want);
    }
    free(out);
}

// One event's three strings never share a slot the event needs, even
// when the ring comes round to the slot just found.
static void test_dictionary_wrap(void **state)
{
    dd_dict_t enc, dec;
    dd_wbuf_t buf = { 0 };
    dd_event_t ev;
    dd_event_t *out;
    int count;

    (void) state;
    DD_DictInit(&enc);
    DD_DictInit(&dec);
    ev = make_event(DD_EV_ADD, "0123456789ab", "a", "nginx");
    assert_int_equal(DD_WireEncode(&buf, &ev, &enc), 0);
    // The next slot to fill is the one holding "nginx".
    enc.next = 0;
    assert_string_equal(enc.str[0], "nginx");
    ev = make_event(DD_EV_ADD, "0123456789ac", "b", "nginx");
    snprintf(ev.e.status, sizeof(ev.e.status), "paused");
    snprintf(ev.e.engine, sizeof(ev.e.engine), "e1");
    assert_int_equal(DD_WireEncode(&buf, &ev, &enc), 0);
    assert_int_equal(DD_WireDecode(buf.data, buf.len, &dec, &out, &count),
                     0);
    assert_int_equal(count, 2);
    assert_string_equal(out[1].e.image, "nginx");
    assert_string_equal(out[1].e.status, "paused");
    assert_string_equal(out[1].e.engine, "e1");
    free(out);
    DD_WbufFree(&buf);
}

static void test_chunks(void **state)
{
    dd_sender_t s;
    dd_receiver_t r;
    unsigned char msg[1000];
    unsigned char chunk[DD_WIRE_CHUNK];
    const unsigned char *got;
    size_t gotlen;
    int n;
    int chunks = 0;
    int i;
    dd_recv_t res = DD_RECV_NONE;

    (void) state;
    for (i = 0; i < (int) sizeof(msg); ++i)
    {
        msg[i] = (unsigned char) (i * 7);
    }
    DD_SenderInit(&s);
    DD_ReceiverInit(&r);
    assert_int_equal(DD_SenderChunk(&s, chunk, sizeof(chunk)), 0);
    assert_int_equal(DD_SenderQueue(&s, msg, sizeof(msg), 0), 0);
    assert_true(DD_SenderBusy(&s));
    while ((n = DD_SenderChunk(&s, chunk, sizeof(chunk))) > 0)
    {
        ++chunks;
        assert_true(n <= DD_WIRE_CHUNK);
        res = DD_ReceiverFeed(&r, chunk, n, &got, &gotlen);
        if (res == DD_RECV_MESSAGE)
        {
            break;
        }
        assert_int_equal(res, DD_RECV_NONE);
        // A tic run twice (ticdup) repeats the chunk: skipped.
        assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                         DD_RECV_DUP);
    }
    assert_int_equal(res, DD_RECV_MESSAGE);
    assert_int_equal(chunks, (1000 + 247) / 248);
    assert_int_equal(gotlen, sizeof(msg));
    assert_memory_equal(got, msg, sizeof(msg));
    assert_false(DD_SenderBusy(&s));
    assert_int_equal(r.lost, 0);

    // Urgent messages overtake list messages not started yet, but not
    // the one being sent.
    assert_int_equal(DD_SenderQueue(&s, msg, 600, 0), 0);
    assert_int_equal(DD_SenderQueue(&s, msg + 1, 600, 0), 0);
    n = DD_SenderChunk(&s, chunk, sizeof(chunk));
    assert_int_equal(chunk[1], DD_WIRE_FIRST);
    assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                     DD_RECV_NONE);
    assert_int_equal(DD_SenderQueue(&s, msg + 2, 10, 1), 0);
    for (i = 0; i < 2; ++i)
    {
        n = DD_SenderChunk(&s, chunk, sizeof(chunk));
        res = DD_ReceiverFeed(&r, chunk, n, &got, &gotlen);
    }
    assert_int_equal(res, DD_RECV_MESSAGE);
    assert_int_equal(gotlen, 600);
    n = DD_SenderChunk(&s, chunk, sizeof(chunk));
    assert_int_equal(chunk[1], DD_WIRE_FIRST | DD_WIRE_LAST);
    assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                     DD_RECV_MESSAGE);
    assert_int_equal(gotlen, 10);
    assert_memory_equal(got, msg + 2, 10);
    // The second list message is dropped before it starts.
    assert_int_equal(DD_SenderDropList(&s), 1);
    assert_false(DD_SenderBusy(&s));
    DD_SenderFree(&s);
    DD_ReceiverFree(&r);
}

static void test_lost_chunk(void **state)
{
    dd_sender_t s;
    dd_receiver_t r;
    unsigned char msg[600];
    unsigned char chunk[DD_WIRE_CHUNK];
    const unsigned char *got;
    size_t gotlen;
    int n;

    (void) state;
    memset(msg, 'm', sizeof(msg));
    DD_SenderInit(&s);
    DD_ReceiverInit(&r);
    assert_int_equal(DD_SenderQueue(&s, msg, sizeof(msg), 0), 0);
    assert_int_equal(DD_SenderQueue(&s, msg, 5, 0), 0);
    n = DD_SenderChunk(&s, chunk, sizeof(chunk));
    assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                     DD_RECV_NONE);
    // The middle chunk never arrives.
    DD_SenderChunk(&s, chunk, sizeof(chunk));
    n = DD_SenderChunk(&s, chunk, sizeof(chunk));
    assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                     DD_RECV_NONE);
    assert_int_equal(r.lost, 1);
    // The next message comes whole.
    n = DD_SenderChunk(&s, chunk, sizeof(chunk));
    assert_int_equal(DD_ReceiverFeed(&r, chunk, n, &got, &gotlen),
                     DD_RECV_MESSAGE);
    assert_int_equal(gotlen, 5);
    // A chunk too short to have a header drops nothing whole.
    assert_int_equal(DD_ReceiverFeed(&r, chunk, 1, &got, &gotlen),
                     DD_RECV_NONE);
    DD_ReceiverReset(&r);
    assert_int_equal(r.lastseq, -1);
    DD_SenderFree(&s);
    DD_ReceiverFree(&r);
}

typedef struct
{
    dd_event_t ev[64];
    int n;
} collect_t;

static int collect(const dd_event_t *ev, void *ctx)
{
    collect_t *c = ctx;

    assert_true(c->n < 64);
    c->ev[c->n++] = *ev;
    return 0;
}

static void test_diff(void **state)
{
    dd_scanentry_t a[3], b[3];
    dd_snapshot_t from = { a, 3 };
    dd_snapshot_t to = { b, 3 };
    collect_t c = { .n = 0 };

    (void) state;
    set_scan(&a[0], "111111111111", "gone", "x", "running", "");
    set_scan(&a[1], "222222222222", "same", "x", "running", "");
    set_scan(&a[2], "333333333333", "old", "x", "running", "");
    set_scan(&b[0], "222222222222", "same", "x", "running", "");
    set_scan(&b[1], "333333333333", "new", "x", "paused", "");
    b[1].protect = 1;
    set_scan(&b[2], "444444444444", "fresh", "y", "running", "n1");
    snprintf(b[2].ns, sizeof(b[2].ns), "shop");
    assert_int_equal(DD_SyncDiff(&from, &to, collect, &c), 0);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.ev[0].type, DD_EV_DEL);
    assert_string_equal(c.ev[0].e.id, "111111111111");
    assert_int_equal(c.ev[1].type, DD_EV_SET);
    assert_int_equal(c.ev[1].mask,
                     DD_CHANGED_NAME | DD_CHANGED_STATUS | DD_CHANGED_PROTECT);
    assert_string_equal(c.ev[1].e.name, "new");
    assert_int_equal(c.ev[2].type, DD_EV_ADD);
    assert_string_equal(c.ev[2].e.engine, "n1");
    assert_string_equal(c.ev[2].e.ns, "shop");
    // A pod's namespace is shared state too: every peer's labels agree.
    c.n = 0;
    snprintf(b[0].ns, sizeof(b[0].ns), "dev");
    assert_int_equal(DD_SyncDiff(&to, &to, collect, &c), 0);
    assert_int_equal(c.n, 0);
    memcpy(a, b, sizeof(a));
    snprintf(a[0].ns, sizeof(a[0].ns), "qa");
    from.count = 3;
    assert_int_equal(DD_SyncDiff(&from, &to, collect, &c), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.ev[0].type, DD_EV_SET);
    assert_int_equal(c.ev[0].mask, DD_CHANGED_NS);
    assert_string_equal(c.ev[0].e.ns, "dev");
}

static void test_apply_order(void **state)
{
    dd_snapshot_t list = { NULL, 0 };
    dd_event_t ev[5];

    (void) state;
    ev[0] = make_event(DD_EV_ADD, "bbbbbbbbbbbb", "b", "x");
    ev[1] = make_event(DD_EV_ADD, "aaaaaaaaaaaa", "a", "x");
    // A SET of an id not there does nothing; a DEL then ADD of one id
    // in one batch leaves it there.
    ev[2] = make_event(DD_EV_SET, "cccccccccccc", "c", "x");
    ev[3] = make_event(DD_EV_DEL, "bbbbbbbbbbbb", "", "");
    ev[4] = make_event(DD_EV_ADD, "bbbbbbbbbbbb", "b2", "x");
    assert_int_equal(DD_SyncApply(&list, ev, 5), 0);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.entries[0].id, "aaaaaaaaaaaa");
    assert_string_equal(list.entries[1].name, "b2");
    ev[0] = make_event(DD_EV_SET, "aaaaaaaaaaaa", "a2", "");
    ev[0].mask = DD_CHANGED_NAME;
    ev[1] = make_event(DD_EV_DEL, "bbbbbbbbbbbb", "", "");
    assert_int_equal(DD_SyncApply(&list, ev, 2), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.entries[0].name, "a2");
    assert_string_equal(list.entries[0].image, "x");
    DD_SnapshotFree(&list);
}

typedef struct
{
    dd_wbuf_t msgs[512];
    int n;
} msgs_t;

static int keep_msg(const unsigned char *msg, size_t len, void *ctx)
{
    msgs_t *m = ctx;

    assert_true(m->n < 512);
    memset(&m->msgs[m->n], 0, sizeof(m->msgs[m->n]));
    assert_int_equal(DD_WbufPut(&m->msgs[m->n], msg, len), 0);
    ++m->n;
    return 0;
}

static void random_scan(dd_snapshot_t *s, unsigned int *seed)
{
    static const char *images[] = { "nginx", "redis", "postgres:15",
                                    "busybox" };
    int i;
    int n = 0;

    s->entries = calloc(200, sizeof(*s->entries));
    for (i = 0; i < 200; ++i)
    {
        char id[16];
        char name[32];

        if (rand_r(seed) % 3 == 0)
        {
            continue;
        }
        snprintf(id, sizeof(id), "%012x", i * 977);
        snprintf(name, sizeof(name), "svc-%d-%d", i, rand_r(seed) % 3);
        set_scan(&s->entries[n], id, name, images[rand_r(seed) % 4],
                 rand_r(seed) % 5 == 0 ? "paused" : "running", "");
        s->entries[n++].protect = rand_r(seed) % 7 == 0;
    }
    s->count = n;
}

// Scans in turn are diffed against the shared list, packed into net-
// sized messages, chunked, put together and applied on a second peer:
// its list is the scan each time, and the dictionaries agree.
static void test_sync_roundtrip(void **state)
{
    static msgs_t m;
    static dd_dict_t enc, dec;
    dd_snapshot_t sent = { NULL, 0 };
    dd_snapshot_t peer = { NULL, 0 };
    unsigned int seed = 7;
    dd_sender_t s;
    dd_receiver_t r;
    int round;
    int i;

    (void) state;
    DD_DictInit(&enc);
    DD_DictInit(&dec);
    DD_SenderInit(&s);
    DD_ReceiverInit(&r);
    for (round = 0; round < 20; ++round)
    {
        dd_snapshot_t scan;
        dd_packer_t p;
        dd_event_t scanend;
        unsigned char chunk[DD_WIRE_CHUNK];
        int n;

        random_scan(&scan, &seed);
        m.n = 0;
        DD_PackerInit(&p, &enc, DD_WIRE_NETMSG, keep_msg, &m);
        assert_int_equal(DD_SyncDiff(&peer, &scan, DD_PackerAdd, &p), 0);
        memset(&scanend, 0, sizeof(scanend));
        scanend.type = DD_EV_SCAN;
        assert_int_equal(DD_PackerAdd(&scanend, &p), 0);
        assert_int_equal(DD_PackerFlush(&p), 0);
        DD_PackerFree(&p);
        for (i = 0; i < m.n; ++i)
        {
            assert_true(m.msgs[i].len <= DD_WIRE_NETMSG);
            assert_int_equal(DD_SenderQueue(&s, m.msgs[i].data,
                                            m.msgs[i].len, 0), 0);
            DD_WbufFree(&m.msgs[i]);
        }
        while ((n = DD_SenderChunk(&s, chunk, sizeof(chunk))) > 0)
        {
            const unsigned char *msg;
            size_t len;
            dd_event_t *ev;
            int count;

            if (DD_ReceiverFeed(&r, chunk, n, &msg, &len)
                != DD_RECV_MESSAGE)
            {
                continue;
            }
            assert_int_equal(DD_WireDecode(msg, len, &dec, &ev, &count),
                             0);
            assert_int_equal(DD_SyncApply(&peer, ev, count), 0);
            free(ev);
        }
        assert_int_equal(peer.count, scan.count);
        for (i = 0; i < scan.count; ++i)
        {
            assert_memory_equal(&peer.entries[i], &scan.entries[i],
                                sizeof(scan.entries[i]));
        }
        assert_memory_equal(enc.str, dec.str, sizeof(enc.str));
        DD_SnapshotFree(&scan);
    }
    assert_int_equal(r.lost, 0);
    DD_SnapshotFree(&sent);
    DD_SnapshotFree(&peer);
    DD_SenderFree(&s);
    DD_ReceiverFree(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_dictionary),
        cmocka_unit_test(test_dictionary_wrap),
        cmocka_unit_test(test_chunks),
        cmocka_unit_test(test_lost_chunk),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_apply_order),
        cmocka_unit_test(test_sync_roundtrip),
    };

    return cmocka_run_group_tests_name("game_wire", tests, NULL, NULL);
}
