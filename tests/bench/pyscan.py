# SPDX-License-Identifier: GPL-2.0-or-later
"""pyscan.py - what a script does to get every container's name and image,
timed in-process (interpreter start-up left out), for `make bench`:

    python3 pyscan.py dir DIR    list DIR, read name and image of each entry
    python3 pyscan.py api SOCK   one GET /containers/json?all=1 over the
                                 unix socket, decoded with json.loads

Prints the milliseconds taken."""
import http.client
import json
import os
import socket
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def scan_dir(top):
    seen = {}
    for e in os.scandir(top):
        try:
            with open(os.path.join(top, e.name, "name")) as f:
                name = f.read().strip()
            with open(os.path.join(top, e.name, "image")) as f:
                image = f.read().strip()
        except OSError:
            continue
        seen[e.name] = (name, image)
    return len(seen)


def scan_api(sock):
    c = UnixConnection(sock)
    c.request("GET", "/v1.41/containers/json?all=1")
    body = c.getresponse().read()
    seen = {}
    for ct in json.loads(body):
        seen[ct["Id"][:12]] = ((ct.get("Names") or [""])[0].lstrip("/"),
                               ct.get("Image", ""))
    return len(seen)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("dir", "api"):
        sys.stderr.write(__doc__)
        return 2
    t0 = time.perf_counter()
    n = scan_dir(sys.argv[2]) if sys.argv[1] == "dir" else scan_api(sys.argv[2])
    print("%.3f" % ((time.perf_counter() - t0) * 1000))
    return 0 if n >= 0 else 1


sys.exit(main())
