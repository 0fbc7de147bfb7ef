/*
 * COpenSSL: the part of OpenSSL (libssl-dev) the native HTTP/1.1 client uses for TLS.
 * Swift cannot call OpenSSL's function-like macros: thin inline wrappers stand in for them.
 * Only wrappers live here: SwiftPM does not track a system library's headers, so code with
 * logic is in the COpenSSLHost C target.
 */
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* SNI: the host name the client asks for (SSL_set_tlsext_host_name is a macro). */
static inline int copenssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/* Lets SSL_write return after a partial write and retry with a moved buffer. */
static inline void copenssl_ctx_set_partial_writes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
}

/* A server that closes TCP without a TLS close_notify ends the stream like a plain close
 * (what libcurl accepts too): framing (Content-Length, chunked) still catches truncation. */
static inline void copenssl_ctx_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

static inline int copenssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/* Client sessions are kept by the caller (per origin), not in OpenSSL's internal cache:
 * `callback` receives each new session (return 1 to keep the reference it is given). */
static inline void copenssl_ctx_cache_client_sessions(SSL_CTX *ctx, int (*callback)(SSL *, SSL_SESSION *)) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, callback);
}

/* The Swift object behind a connection's SSL (SSL_set_app_data / SSL_get_app_data are macros). */
static inline void copenssl_set_owner(SSL *ssl, void *owner) { SSL_set_ex_data(ssl, 0, owner); }
static inline void *copenssl_owner(const SSL *ssl) { return SSL_get_ex_data(ssl, 0); }

/* Functions with logic (the subjectAltName check, the error text) are in COpenSSLHost. */

#endif
