/* hash.c - SHA-256 on Windows with CNG (bcrypt.dll, part of Windows since Vista). */
#include "win.h"

#include <bcrypt.h>
#include <stdio.h>

int rkc_sha256_hex(const void *buf, size_t len, char hex[65], char *err, size_t errlen)
{
    static const char digits[] = "0123456789abcdef";
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE h = NULL;
    UCHAR md[32];
    const UCHAR *p = buf;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    if (st >= 0)
        st = BCryptCreateHash(alg, &h, NULL, 0, NULL, 0, 0);
    while (st >= 0 && len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        st = BCryptHashData(h, (PUCHAR)p, chunk, 0);
        p += chunk;
        len -= chunk;
    }
    if (st >= 0)
        st = BCryptFinishHash(h, md, sizeof md, 0);
    if (h)
        BCryptDestroyHash(h);
    if (alg)
        BCryptCloseAlgorithmProvider(alg, 0);
    if (st < 0) {
        snprintf(err, errlen, "CNG could not compute SHA-256: status 0x%08lx", (unsigned long)st);
        return -1;
    }
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}
