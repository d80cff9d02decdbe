# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pki.sh - throwaway certificates for TLS engines in tests (openssl).
#
#   make_ca DIR CN            DIR/ca.pem, DIR/ca-key.pem: a self-signed CA
#   make_cert CADIR OUT CN EXT  OUT-key.pem, OUT-cert.pem signed by CADIR's
#                             CA, EXT: openssl extfile lines
#   cert_dir DIR CA CERT KEY  DIR/{ca,cert,key}.pem, as the docker CLI
#                             wants them (DOCKER_CERT_PATH)

# Makes a self-signed CA in DIR: DIR/ca.pem and DIR/ca-key.pem.
make_ca() {
    local dir=$1 cn=$2
    mkdir -p "$dir"
    openssl genrsa -out "$dir/ca-key.pem" 2048 &&
        openssl req -new -x509 -days 2 -sha256 -key "$dir/ca-key.pem" \
            -subj "/CN=$cn" -out "$dir/ca.pem"
}

# Issues a certificate signed by the CA in CADIR: OUT-key.pem, OUT-cert.pem,
# with the extensions in the string EXT (openssl extfile lines).
make_cert() {
    local cadir=$1 out=$2 cn=$3 ext=$4
    printf '%s\n' "$ext" >"$out.ext"
    openssl genrsa -out "$out-key.pem" 2048 &&
        openssl req -new -sha256 -subj "/CN=$cn" -key "$out-key.pem" -out "$out.csr" &&
        openssl x509 -req -days 2 -sha256 -in "$out.csr" \
            -CA "$cadir/ca.pem" -CAkey "$cadir/ca-key.pem" -CAcreateserial \
            -extfile "$out.ext" -out "$out-cert.pem"
}

# A client certificate directory as the docker CLI wants it.
cert_dir() {
    local dir=$1 ca=$2 cert=$3 key=$4
    mkdir -p "$dir"
    cp "$ca" "$dir/ca.pem"
    cp "$cert" "$dir/cert.pem"
    cp "$key" "$dir/key.pem"
}

