/* SPDX-License-Identifier: GPL-2.0-or-later */
/* testcert.h - a throw-away certificate and its key for the unit tests
 * that read credentials (made for them with openssl req -x509 -newkey
 * ec; nothing trusts it), and a key of another pair. */
#ifndef TESTCERT_H
#define TESTCERT_H

static const char TEST_CERT[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBhjCCAS2gAwIBAgIUXYeyAYccabv10AHN1OteZa1XiUIwCgYIKoZIzj0EAwIw\n"
    "GDEWMBQGA1UEAwwNZG9ja2VyZnMtdGVzdDAgFw0yNjEyMDcxNTQ2MzNaGA8yMTI2\n"
    "MTExMzE1NDYzM1owGDEWMBQGA1UEAwwNZG9ja2VyZnMtdGVzdDBZMBMGByqGSM49\n"
    "AgEGCCqGSM49AwEHA0IABEbYg28I8J1C/7hGzkYt+ewKmdHqsXFsHbSJkMjII6Yi\n"
    "UhwdX+8EAlIa2dRO0yHuf6btUe6zNkx+WvAFh0qeXTGjUzBRMB0GA1UdDgQWBBSV\n"
    "l/flYQ5+Ef0qHM/oVvk9ws7KVjAfBgNVHSMEGDAWgBSVl/flYQ5+Ef0qHM/oVvk9\n"
    "ws7KVjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIAnlgmSI6vAP\n"
    "5p2Ad5M853k3fr4j+5OcSbidEaSuE0oZAiBWpkTgk/hJrMBFVbGDj8RVYFMKIGSc\n"
    "MadxP+svK9Loug==\n"
    "-----END CERTIFICATE-----\n";
static const char TEST_KEY[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFm144Mg9DYd5wxAB\n"
    "W6AZzPMRbADO71TDWxhnvO/34jahRANCAARG2INvCPCdQv+4Rs5GLfnsCpnR6rFx\n"
    "bB20iZDIyCOmIlIcHV/vBAJSGtnUTtMh7n+m7VHuszZMflrwBYdKnl0x\n"
    "-----END PRIVATE KEY-----\n";
static const char TEST_OTHER_KEY[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIKLrLOWBR/oUyveThHN3YQtfWs0yiNsjeFp2Jo16N09KoAoGCCqGSM49\n"
    "AwEHoUQDQgAEjbr34vX+xnx5+k/od5hZODQxglWSB+BzFMKwNAwmJ2OG7pW2PN8r\n"
    "dME1WJVXJYTOhaxSUt8vB+sCAvzWwi3E1A==\n"
    "-----END EC PRIVATE KEY-----\n";

#endif
