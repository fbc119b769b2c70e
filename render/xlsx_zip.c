/* xlsx_zip.c - the zlib level of a large workbook's zip entries.
 *
 * libxlsxwriter 1.1.4 deflates every part of a workbook at zlib's default level (6)
 * and has no setting for it (its minizip calls deflateInit2_ with
 * Z_DEFAULT_COMPRESSION). A fleet's firewall workbook holds sheets of several hundred
 * MB of XML, and deflating them at level 6 took four times as long as at level 1 for
 * 13 % less size. So the readykit executable defines deflateInit2_ itself (exported by
 * the link, see render/CMakeLists.txt) and passes every call on to zlib's, with level
 * 1 instead of the default while the calling thread writes a large workbook
 * (rk_xlsx_zip_fast); libharu calls deflateInit_, which is not touched, and the level
 * of a workbook depends on its size alone, so the same inputs still give the same
 * bytes. Test programs linking rk_core do not export the symbol: there zlib's own is
 * called and workbooks keep the default level. */
#include "xlsx_zip.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <zlib.h>

typedef int (*deflate_init2_fn)(z_streamp strm, int level, int method, int window_bits,
                                int mem_level, int strategy, const char *version, int stream_size);

static _Thread_local int fast;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static deflate_init2_fn real_init2;

static void find_real(void)
{
    real_init2 = (deflate_init2_fn)dlsym(RTLD_NEXT, "deflateInit2_");
}

void rk_xlsx_zip_fast(int on)
{
    fast = on;
}

int deflateInit2_(z_streamp strm, int level, int method, int window_bits, int mem_level, int strategy,
                  const char *version, int stream_size)
{
    pthread_once(&once, find_real);
    if (!real_init2) {
        fputs("readykit: error: zlib's deflateInit2_ not found\n", stderr);
        abort();
    }
    if (fast && level == Z_DEFAULT_COMPRESSION) level = Z_BEST_SPEED;
    return real_init2(strm, level, method, window_bits, mem_level, strategy, version, stream_size);
}
