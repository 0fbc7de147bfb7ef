/*
 * COpenSSL: the part of OpenSSL (libssl-dev) the native HTTP/1.1 client uses for TLS.
 * Swift cannot call OpenSSL's function-like macros: thin inline wrappers stand in for them.
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

/* Verify callback: the leaf certificate must name a host in subjectAltName (a DNS name or
 * an IP address). libcurl matches the subject's CN when a certificate has no such entry
 * (RFC 6125 leaves that to clients); with this, such a certificate fails verification with
 * "hostname mismatch". Other depths and earlier failures are left as OpenSSL found them. */
static inline int copenssl_verify_leaf_has_subject_alt_name(int preverify_ok, X509_STORE_CTX *store) {
    if (!preverify_ok || X509_STORE_CTX_get_error_depth(store) != 0) return preverify_ok;
    X509 *leaf = X509_STORE_CTX_get_current_cert(store);
    GENERAL_NAMES *names = leaf ? X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL) : NULL;
    int named = 0;
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && !named; i++) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        named = name->type == GEN_DNS || name->type == GEN_IPADD;
    }
    GENERAL_NAMES_free(names);
    if (!named) X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return named;
}

/* Installs the check above on a context, keeping its verify mode (libcurl's own). */
static inline void copenssl_ctx_require_subject_alt_name(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), copenssl_verify_leaf_has_subject_alt_name);
}

/* The oldest error on this thread's OpenSSL error queue as text, then clears the queue. */
static inline void copenssl_take_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    if (code == 0) {
        if (size > 0) buffer[0] = 0;
    } else {
        ERR_error_string_n(code, buffer, size);
    }
    ERR_clear_error();
}

#endif
