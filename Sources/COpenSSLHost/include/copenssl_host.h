/*
 * COpenSSLHost: the host's own C code over OpenSSL, for the native HTTP/1.1 client, the
 * libcurl engine's TLS context and the loopback test servers. Macro wrappers stay in the
 * COpenSSL shim; functions with logic live here, in .c files SwiftPM tracks.
 */
#ifndef COPENSSL_HOST_H
#define COPENSSL_HOST_H

#include <stddef.h>
#include <openssl/ssl.h>

/* Verify callback: the leaf certificate must name a host in subjectAltName (a DNS name or
 * an IP address). libcurl matches the subject's CN when a certificate has no such entry
 * (RFC 6125 leaves that to clients); with this, such a certificate fails verification with
 * "hostname mismatch". Other depths and earlier failures are left as OpenSSL found them. */
int copenssl_verify_leaf_has_subject_alt_name(int preverify_ok, X509_STORE_CTX *store);

/* Installs the check above on a context, keeping its verify mode (libcurl's own). */
void copenssl_ctx_require_subject_alt_name(SSL_CTX *ctx);

/* The oldest error on this thread's OpenSSL error queue as text (empty when there is
 * none), then clears the queue. */
void copenssl_take_error(char *buffer, size_t size);

#endif
