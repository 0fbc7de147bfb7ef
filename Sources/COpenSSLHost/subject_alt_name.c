/* A server certificate is matched by its subjectAltName only, on both HTTP engines. */
#include "copenssl_host.h"

#include <openssl/x509v3.h>

int copenssl_verify_leaf_has_subject_alt_name(int preverify_ok, X509_STORE_CTX *store) {
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

void copenssl_ctx_require_subject_alt_name(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), copenssl_verify_leaf_has_subject_alt_name);
}
