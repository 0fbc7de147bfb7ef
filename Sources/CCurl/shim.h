/*
 * CCurl: the thin C layer over libcurl for the live HTTP transport.
 * curl_easy_setopt / curl_multi_setopt / curl_easy_getinfo are variadic, which Swift
 * cannot call: typed static inline wrappers stand in for them.
 */
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_write_fn(CURL *h, size_t (*fn)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fn);
}
static inline CURLcode ccurl_easy_setopt_header_fn(CURL *h, size_t (*fn)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fn);
}
/* CURLOPT_SSL_CTX_FUNCTION: called with each new connection's SSL_CTX before its handshake. */
static inline CURLcode ccurl_easy_setopt_ssl_ctx_fn(CURL *h, CURLcode (*fn)(CURL *, void *, void *)) {
    return curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, fn);
}
/* CURLOPT_OPENSOCKETFUNCTION: opens (or refuses, with CURL_SOCKET_BAD) each socket libcurl
 * connects, given the resolved address; and that address as a plain sockaddr (its storage
 * holds a whole sockaddr_in6). */
static inline CURLcode ccurl_easy_setopt_opensocket_fn(CURL *h, curl_socket_t (*fn)(void *, curlsocktype, struct curl_sockaddr *)) {
    return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, fn);
}
static inline const struct sockaddr *ccurl_sockaddr_address(const struct curl_sockaddr *a) { return &a->addr; }
/* What libcurl's own open-socket step does. In C, and without naming SOCK_* constants: once
 * this module refers to them, Swift finds them twice (here and in Glibc) and in a release
 * build other files of the target no longer see them. */
static inline curl_socket_t ccurl_open_socket(const struct curl_sockaddr *a) {
    return socket(a->family, a->socktype, a->protocol);
}
static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLcode ccurl_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }

/* CURLMsg carries its result in a union; these read it without Swift touching the union. */
static inline int ccurl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURL *ccurl_msg_easy(const CURLMsg *m) { return m->easy_handle; }
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }

/* Error buffer size as a plain constant (CURL_ERROR_SIZE is a macro). */
static inline int ccurl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
