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
//	dockerdoom: the synchronised events on the wire. What one peer tells
//	every peer (a container appeared, went, changed; a kill's result; an
//	idrm; its player's name) is an event; events go in messages; a
//	message is cut into chunks, one chunk riding in each ticcmd the peer
//	sends, and is applied by every peer on the tic its last chunk runs.
//	Lockstep delivers every tic's ticcmds to every peer, so a message
//	never arrives late or on one peer only. No game headers here.
//
//	A message is a list of events, each an opcode and its fields:
//
//	  ADD    id name image status protect engine ns   a container appeared
//	  DEL    id                            it went
//	  SET    id mask [name] [image] [status] [protect] [engine] [ns]
//	  DICT   slot string                   slot now holds string
//	  SCAN   -                             the end of one scan's events
//	  RESULT id errno                      the sender's kill write
//	  HELLO  flags name                    the sender's player
//	  CAST   -                             the sender typed idrm
//
//	id is a hex string packed two digits a byte after its digit count;
//	image, status, engine and ns (a pod's namespace) are slots of a
//	256-string dictionary (a
//	DICT before the first use of a string), so a fleet of one image
//	sends it once; a string is a LEB128 length and its bytes (no NUL,
//	at most the field's size); errno, mask and protect are LEB128.
//
//	A chunk is [seq][flags][bytes of one message]: seq counts the
//	sender's chunks (a repeated one, as a ticdup tic runs twice, is
//	skipped), flags mark the message's first and last chunk.
//

#ifndef DD_WIRE_H
#define DD_WIRE_H

#include <stddef.h>

#include "dd_table.h"

// Bytes a peer sends per tic at most, chunk header included; the
// ticcmd's extension field has this size (chocolate-doom.patch).
#define DD_WIRE_CHUNK   250
#define DD_WIRE_HEADER  2
#define DD_WIRE_FIRST   1
#define DD_WIRE_LAST    2

// A netgame's list messages stay under this, so a kill result waits
// at most this many bytes (about 8 tics) behind a long list.
#define DD_WIRE_NETMSG  2048

// No message is longer (a receiver drops what would grow beyond).
#define DD_WIRE_MSG_MAX (16 * 1024 * 1024)

#define DD_WIRE_PNAME_LEN 31

typedef enum
{
    DD_EV_ADD = 1,
    DD_EV_DEL,
    DD_EV_SET,
    DD_EV_DICT,         // never returned by DD_WireDecode
    DD_EV_SCAN,
    DD_EV_RESULT,
    DD_EV_HELLO,
    DD_EV_CAST,
} dd_evtype_t;

// SET's mask: dd_table.h's DD_CHANGED_* (name, image, status, protect)
// and these.
#define DD_CHANGED_ENGINE 16
#define DD_CHANGED_NS     32
#define DD_CHANGED_ALL    63

// HELLO's flags: this peer reads the mount (it can be the one whose
// scans everyone gets).
#define DD_HELLO_READS 1

typedef struct
{
    dd_evtype_t type;
    int mask;               // SET: which fields of e are new
    int value;              // RESULT: 0 or an errno; HELLO: flags
    dd_scanentry_t e;       // the entry's id and fields; HELLO: e.name
} dd_event_t;

#define DD_DICT_SLOTS 256

// The dictionary every peer holds alike: DICT events set its slots.
typedef struct
{
    char str[DD_DICT_SLOTS][DD_IMAGE_LEN + 1];
    unsigned int hash[DD_DICT_SLOTS];
    int next;               // the slot an encoder fills next
} dd_dict_t;

// A growable byte buffer.
typedef struct
{
    unsigned char *data;
    size_t len;
    size_t cap;
} dd_wbuf_t;

// Empties dict: every slot holds "".
void DD_DictInit(dd_dict_t *dict);

// Appends bytes to buf. Returns 0 or ENOMEM (buf unchanged).
int DD_WbufPut(dd_wbuf_t *buf, const void *bytes, size_t len);

// Frees buf's storage and empties it.
void DD_WbufFree(dd_wbuf_t *buf);

// Appends ev to buf, preceded by the DICT events its strings need
// (dict is updated as a decoder will update its own). A string longer
// than its field is cut; an id that is not 1 to 64 hex digits is
// EINVAL. Returns 0, EINVAL or ENOMEM (then buf and dict are as before).
int DD_WireEncode(dd_wbuf_t *buf, const dd_event_t *ev, dd_dict_t *dict);

// Decodes one whole message into *events (malloc'ed, *count of them;
// free() it), applying its DICT events to dict. A message that is cut,
// has an unknown opcode, a string with a NUL or longer than its field,
// or a bad id is EINVAL: then nothing is returned and dict is as
// before. Returns 0, EINVAL or ENOMEM.
int DD_WireDecode(const unsigned char *msg, size_t len, dd_dict_t *dict,
                  dd_event_t **events, int *count);

// One peer's outgoing messages, cut into chunks. Urgent ones (kill
// results, idrm, hello) go before list messages not yet started.
typedef struct dd_outmsg_s dd_outmsg_t;

typedef struct
{
    dd_outmsg_t *urgent;    // queues, oldest first
    dd_outmsg_t *list;
    dd_outmsg_t *current;   // the message being chunked, or NULL
    size_t pos;             // bytes of current already sent
    unsigned char seq;      // the next chunk's number
} dd_sender_t;

void DD_SenderInit(dd_sender_t *s);

// Queues a copy of msg (len > 0). Returns 0 or ENOMEM.
int DD_SenderQueue(dd_sender_t *s, const unsigned char *msg, size_t len,
                   int urgent);

// Writes the next chunk (at most max bytes, header included, max >
// DD_WIRE_HEADER) into out and returns its length; 0 when nothing waits.
int DD_SenderChunk(dd_sender_t *s, unsigned char *out, int max);

// Takes the next whole message (urgent first), for a game that sends to
// itself only: *msg (free() it) and *len. Returns 1, or 0 when none
// waits or one is being chunked.
int DD_SenderTake(dd_sender_t *s, unsigned char **msg, size_t *len);

// Drops the list messages not started yet; returns how many.
int DD_SenderDropList(dd_sender_t *s);

// True while a message is queued or being sent.
int DD_SenderBusy(const dd_sender_t *s);

// Frees everything queued.
void DD_SenderFree(dd_sender_t *s);

// One peer's incoming chunks, put back together.
typedef struct
{
    dd_wbuf_t buf;
    int inside;             // a message has started and not ended
    int lastseq;            // the last chunk's seq, -1 before the first
    int lost;               // partial messages dropped so far: a chunk
                            // went missing, a message grew too long, or
                            // a chunk was malformed
} dd_receiver_t;

typedef enum
{
    DD_RECV_NONE,           // nothing complete yet
    DD_RECV_MESSAGE,        // a message is complete
    DD_RECV_DUP,            // the chunk repeats the last one: skipped
} dd_recv_t;

void DD_ReceiverInit(dd_receiver_t *r);

// Takes one chunk of len bytes. On DD_RECV_MESSAGE, *msg and *msglen
// give the message, valid until the next call.
dd_recv_t DD_ReceiverFeed(dd_receiver_t *r, const unsigned char *chunk,
                          int len, const unsigned char **msg,
                          size_t *msglen);

// Forgets a partial message and the sequence (the peer left).
void DD_ReceiverReset(dd_receiver_t *r);

void DD_ReceiverFree(dd_receiver_t *r);

#endif
