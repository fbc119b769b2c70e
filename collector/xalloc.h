/* xalloc.h - allocation that ends the program with a message when memory runs out.
 * Header-only, so that plan.c stays one self-contained file for the fuzz target. */
#ifndef RKC_XALLOC_H
#define RKC_XALLOC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints "out of memory" and aborts; never returns. */
static inline void rkc_out_of_memory(void)
{
    fputs("readykit-collect: out of memory\n", stderr);
    abort();
}

/* malloc, calloc and realloc that never return NULL (a zero size gets one byte). */
static inline void *rkc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        rkc_out_of_memory();
    return p;
}

static inline void *rkc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        rkc_out_of_memory();
    return p;
}

static inline void *rkc_xrealloc(void *old, size_t n)
{
    void *p = realloc(old, n ? n : 1);
    if (!p)
        rkc_out_of_memory();
    return p;
}

static inline char *rkc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(rkc_xmalloc(n), s, n);
}

#endif
