/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bkube.h - the few Kubernetes API calls the benchmarks make, over TLS
 * with libcurl, as the cluster's admin (a client certificate). The
 * cluster comes from the environment tests/lib/kube.sh exports:
 * KUBE_SERVER (https://127.0.0.1:PORT), KUBE_CA, and KUBE_DIR (its
 * pki/admin-cert.pem and pki/admin-key.pem). One handle per call, as
 * dockerfs makes one per kill, so a baseline pays the same connection.
 *
 * Copyright the dockerdoom authors. GPL-2.0-or-later. */
#ifndef DDBENCH_BKUBE_H
#define DDBENCH_BKUBE_H

/* A pod's uid: 36 characters (8-4-4-4-12 hex with dashes). */
#define BKUBE_UID_LEN 36

/* Reads the cluster from the environment. Returns 0, or -1 (reason on
 * stderr) when a variable is missing. */
int bkube_init(void);

/* Creates the pod ns/name (labels bench=label), one container of a
 * never-pulled image. Writes its uid into uid (BKUBE_UID_LEN + 1 bytes).
 * Returns 0, or -1. */
int bkube_create(const char *ns, const char *name, const char *label,
                 char *uid);

/* DELETE of ns/name, grace period 0, the uid as precondition (as dockerfs
 * does it). Returns 0 on 2xx, else -1. */
int bkube_delete(const char *ns, const char *name, const char *uid);

/* GET of ns/name: the HTTP status (200, 404, ...), or -1. */
long bkube_status(const char *ns, const char *name);

/* One GET /api/v1/pods, the whole body decoded (jansson), and the name
 * and namespace of every pod taken out, as a program using the API
 * instead of the mount would. Returns how many pods, or -1. */
long bkube_list_decode(void);

/* The mount's name of a pod: the first 12 hex digits of its uid, dashes
 * left out. */
void bkube_dir(const char *uid, char *out13);

#endif
