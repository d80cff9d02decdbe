/* engine.c - talks to the Docker Engine API with libcurl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "engine.h"
#include "parse.h"

/* Bodies larger than this are not a container list we can serve anyway. */
#define MAX_BODY (256u << 20)

void engine_init(struct engine *e, const struct host *host, double timeout_s)
{
    e->host = host;
    e->timeout_ms = (long)(timeout_s * 1000.0);
    if (e->timeout_ms < 100)
        e->timeout_ms = 100;
}

CURL *engine_handle(const struct engine *e, const char *path)
{
    struct buf url;
    CURL *h = curl_easy_init();

    if (!h)
        return NULL;
    buf_init(&url, 0);
    if (buf_printf(&url, "%s%s%s", e->host->url_base, ENGINE_API, path) != 0) {
        curl_easy_cleanup(h);
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
    buf_free(&url);
    if (e->host->unix_path)
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, e->host->unix_path);
    if (e->host->tls) {
        curl_easy_setopt(h, CURLOPT_CAINFO, e->host->ca);
        curl_easy_setopt(h, CURLOPT_SSLCERT, e->host->cert);
        curl_easy_setopt(h, CURLOPT_SSLKEY, e->host->key);
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "dockerfs/" DOCKERFS_VERSION);
    return h;
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    return buf_add(arg, data, size * n) == 0 ? size * n : 0;
}

/* Performs h, collecting the body. Returns 0 with *status set, or the
 * transport errno with a reason in err. */
static int perform(const struct engine *e, CURL *h, struct buf *body,
                   long *status, char *err, size_t errlen)
{
    char curlerr[CURL_ERROR_SIZE] = "";
    CURLcode rc;

    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curlerr);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, e->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     e->timeout_ms < 5000 ? e->timeout_ms : 5000L);
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        long os_errno = 0;
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
        /* curl speaks of "localhost port 80" even for a socket path. */
        if (rc == CURLE_COULDNT_CONNECT && e->host->unix_path && os_errno)
            snprintf(err, errlen, "cannot connect to %s: %s",
                     e->host->unix_path, strerror((int)os_errno));
        else
            snprintf(err, errlen, "%s", curlerr[0] ? curlerr : curl_easy_strerror(rc));
        return engine_transport_errno(rc);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return 0;
}

int engine_transport_errno(CURLcode rc)
{
    return rc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : EIO;
}

int engine_list(const struct engine *e, int all, const char *filters,
                struct container **out, size_t *n, char *err, size_t errlen)
{
    struct buf path, body;
    long status = 0;
    int rc;
    CURL *h = NULL;

    *out = NULL;
    *n = 0;
    buf_init(&path, 0);
    buf_init(&body, MAX_BODY);
    int bad = buf_printf(&path, "/containers/json?all=%d", all ? 1 : 0) != 0;
    if (!bad && filters) {
        char *q = curl_easy_escape(NULL, filters, 0);
        bad = !q || buf_printf(&path, "&filters=%s", q) != 0;
        curl_free(q);
    }
    if (bad || !(h = engine_handle(e, buf_str(&path)))) {
        snprintf(err, errlen, "out of memory");
        buf_free(&path);
        return ENOMEM;
    }
    rc = perform(e, h, &body, &status, err, errlen);
    if (rc == 0 && status != 200) {
        char msg[256];
        parse_error_message(body.data ? body.data : "", body.len, msg, sizeof msg);
        snprintf(err, errlen, "engine answered %ld: %s", status, msg);
        rc = status == 400 ? EINVAL : EIO;
    }
    if (rc == 0 && parse_container_list(buf_str(&body), body.len, out, n) != 0) {
        snprintf(err, errlen, "engine sent a container list that is not JSON");
        rc = EIO;
    }
    curl_easy_cleanup(h);
    buf_free(&path);
    buf_free(&body);
    return rc;
}

int engine_kill(const struct engine *e, const char *id, enum kill_action a,
                char *err, size_t errlen)
{
    char path[160];
    struct buf body;
    long status = 0;
    int rc;
    CURL *h;

    /* Only ids from the table get here, but a URL is no place to trust. */
    if (strlen(id) != ID_LEN || !id_is_hex(id, ID_LEN)) {
        snprintf(err, errlen, "not a container id");
        return EINVAL;
    }
    switch (a) {
    case KILL_KILL:
        snprintf(path, sizeof path, "/containers/%s/kill", id);
        break;
    case KILL_STOP:
        /* Leave the engine time to answer before our own deadline. */
        snprintf(path, sizeof path, "/containers/%s/stop?t=%ld", id,
                 e->timeout_ms / 2000);
        break;
    default:
        snprintf(path, sizeof path, "/containers/%s?force=1", id);
        break;
    }
    if (!(h = engine_handle(e, path))) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    if (a == KILL_RM) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    }
    buf_init(&body, 1u << 20);
    rc = perform(e, h, &body, &status, err, errlen);
    if (rc == 0) {
        rc = kill_errno(0, status);
        if (rc != 0) {
            char msg[200];
            parse_error_message(buf_str(&body), body.len, msg, sizeof msg);
            snprintf(err, errlen, "engine answered %ld: %s", status, msg);
        } else {
            snprintf(err, errlen, "engine answered %ld", status);
        }
    }
    curl_easy_cleanup(h);
    buf_free(&body);
    return rc;
}
