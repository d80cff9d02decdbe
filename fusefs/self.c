/* SPDX-License-Identifier: GPL-2.0-or-later */
/* self.c - the id of the container this process runs in, if any. */
#include "self.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "container.h"

/* Looks at one mount root (mountinfo's 4th field) for
 * .../containers/<id>/{hostname,hosts,resolv.conf} (Docker) or
 * .../overlay-containers/<id>/userdata/... (Podman). Only the root
 * counts: on the host the engine's own shm mounts show these paths as
 * mount points, which must not be taken for "we are in a container". */
static int id_in_root(const char *root, size_t len, char *id)
{
    static const char *const docker_files[] = {
        "hostname", "hosts", "resolv.conf", NULL
    };
    const char *end = root + len;

    for (const char *p = root; p < end; p++) {
        const char *c = memmem(p, (size_t)(end - p), "containers/", 11);
        if (!c)
            return 0;
        p = c;
        int podman = c - root >= 8 && memcmp(c - 8, "overlay-", 8) == 0 &&
                     (c - 8 == root || c[-9] == '/');
        int docker = c == root || c[-1] == '/';
        if (podman)
            docker = 0;
        if (!podman && !docker)
            continue;
        const char *h = c + 11;
        if (end - h < ID_LEN + 1 || !id_is_hex(h, ID_LEN) || h[ID_LEN] != '/')
            continue;
        const char *rest = h + ID_LEN + 1;
        size_t rlen = (size_t)(end - rest);
        int ok = 0;
        if (podman) {
            ok = rlen > 9 && memcmp(rest, "userdata/", 9) == 0;
        } else {
            for (int i = 0; docker_files[i] && !ok; i++)
                ok = strlen(docker_files[i]) == rlen &&
                     memcmp(rest, docker_files[i], rlen) == 0;
        }
        if (ok) {
            memcpy(id, h, ID_LEN);
            id[ID_LEN] = '\0';
            return 1;
        }
    }
    return 0;
}

/* Scans mountinfo text line by line; see self.h. */
int self_id_from_mountinfo(const char *text, char *id)
{
    if (!text)
        return 0;
    while (*text) {
        const char *eol = strchr(text, '\n');
        if (!eol)
            eol = text + strlen(text);
        /* Fields: mount id, parent id, major:minor, root, mount point... */
        const char *f = text;
        for (int i = 0; i < 3 && f < eol; i++) {
            const char *sp = memchr(f, ' ', (size_t)(eol - f));
            f = sp ? sp + 1 : eol;
        }
        if (f < eol) {
            const char *sp = memchr(f, ' ', (size_t)(eol - f));
            size_t flen = sp ? (size_t)(sp - f) : (size_t)(eol - f);
            if (id_in_root(f, flen, id))
                return 1;
        }
        text = *eol ? eol + 1 : eol;
    }
    return 0;
}

/* Reads /proc/self/mountinfo and looks for our container's id. */
int self_container_id(char *id)
{
    FILE *fp = fopen("/proc/self/mountinfo", "re");
    if (!fp)
        return 0;
    struct buf b;
    buf_init(&b, 16 << 20);
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rc = buf_add(&b, chunk, n);
    fclose(fp);
    int found = !rc && self_id_from_mountinfo(buf_str(&b), id);
    buf_free(&b);
    return found;
}
