/* hash.c - SHA-256 on Linux with OpenSSL's libcrypto (the system's own, as the renderer uses). */
#include <stdio.h>

#include <openssl/evp.h>

#include "../platform.h"

int rkc_sha256_hex(const void *buf, size_t len, char hex[65], char *err, size_t errlen)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        snprintf(err, errlen, "OpenSSL could not compute SHA-256");
        return -1;
    }
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}
