/* OpenSSL's thread-local error queue as text. */
#include "copenssl_host.h"

#include <openssl/err.h>

void copenssl_take_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    if (code == 0) {
        if (size > 0) buffer[0] = 0;
    } else {
        ERR_error_string_n(code, buffer, size);
    }
    ERR_clear_error();
}
