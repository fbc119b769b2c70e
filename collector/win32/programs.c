/* programs.c - Windows program items: installed programs of both views, matched by glob. */
#include "win.h"
#include "../match.h"
#include "../xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNINSTALL L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"

/* One Uninstall entry with a DisplayName. */
typedef struct program {
    wchar_t *upper;    /* DisplayName upper-cased: matching and order ignore case */
    size_t nupper;
    char *name;        /* DisplayName, as UTF-8 */
    char *version;     /* DisplayVersion, NULL when not set */
    char *publisher;   /* Publisher, NULL when not set */
    int view32;        /* 1 when registered in the 32-bit view */
    char *subkey;      /* the entry's key name */
} program;

/* The list is read once, at the first program item, and serves every item. */
static struct {
    int loaded;
    program *v;
    size_t n, cap;
    rkc_status st;     /* RKC_OK, or why an Uninstall key could not be read */
    char detail[300];
    size_t unreadable; /* entries whose DisplayName could not be read */
} list;

void rkc_win_programs_done(void)
{
    for (size_t i = 0; i < list.n; i++) {
        free(list.v[i].upper);
        free(list.v[i].name);
        free(list.v[i].version);
        free(list.v[i].publisher);
        free(list.v[i].subkey);
    }
    free(list.v);
    memset(&list, 0, sizeof list);
}

/* Upper-cases n UTF-16 units with the invariant locale (the case mapping Windows uses
 * for case-insensitive names); malloc'd, *out_n units. */
static wchar_t *upper(const wchar_t *w, size_t n, size_t *out_n)
{
    wchar_t *u = rkc_xmalloc((n + 1) * sizeof(wchar_t));
    int k = n ? LCMapStringEx(L"", LCMAP_UPPERCASE, w, (int)n, u, (int)n + 1, NULL, NULL, 0) : 0;
    if (k <= 0) { /* cannot fail for valid arguments; keep the text as it is */
        memcpy(u, w, n * sizeof(wchar_t));
        k = (int)n;
    }
    u[k] = 0;
    *out_n = (size_t)k;
    return u;
}

/* A string value of an entry, malloc'd UTF-8, or NULL when absent or not a string. */
static char *entry_string(HKEY k, const wchar_t *name)
{
    char v[4096], d[200];
    return rkc_regk_string(k, name, v, sizeof v, d, sizeof d) == RKC_OK ? rkc_xstrdup(v) : NULL;
}

/* Adds the entry sub of the open Uninstall key u when it has a DisplayName. */
static void add_entry(HKEY u, const wchar_t *sub, DWORD sublen, int view32)
{
    HKEY k;
    char name[4096], d[200];
    REGSAM view = view32 ? RKC_VIEW32 : RKC_VIEW64;
    if (RegOpenKeyExW(u, sub, 0, KEY_QUERY_VALUE | view, &k) != ERROR_SUCCESS) {
        list.unreadable++;
        return;
    }
    rkc_status st = rkc_regk_string(k, L"DisplayName", name, sizeof name, d, sizeof d);
    if (st != RKC_OK || !name[0]) {
        list.unreadable += st != RKC_OK && st != RKC_NOT_FOUND;
        RegCloseKey(k);
        return;
    }
    if (list.n == list.cap) {
        list.cap = list.cap ? list.cap * 2 : 64;
        list.v = rkc_xrealloc(list.v, list.cap * sizeof *list.v);
    }
    program *p = &list.v[list.n++];
    wchar_t *wname = rkc_to_wide(name);
    p->upper = upper(wname, wcslen(wname), &p->nupper);
    free(wname);
    p->name = rkc_xstrdup(name);
    p->version = entry_string(k, L"DisplayVersion");
    p->publisher = entry_string(k, L"Publisher");
    p->view32 = view32;
    char s8[800];
    rkc_to_utf8(sub, (int)sublen, s8, sizeof s8);
    p->subkey = rkc_xstrdup(s8);
    RegCloseKey(k);
}

/* The order that decides "the first match": name ignoring case, then the name as
 * written, then version (numerically, missing last), then the 64-bit view first, then
 * the entry's key name, so that the answer never depends on enumeration order. */
static int program_order(const void *a, const void *b)
{
    const program *x = a, *y = b;
    size_t n = x->nupper < y->nupper ? x->nupper : y->nupper;
    for (size_t i = 0; i < n; i++)
        if (x->upper[i] != y->upper[i])
            return x->upper[i] < y->upper[i] ? -1 : 1;
    int c = x->nupper != y->nupper ? (x->nupper < y->nupper ? -1 : 1) : 0;
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c)
        c = rkc_version_cmp(x->version, y->version);
    if (!c)
        c = x->view32 - y->view32;
    if (!c)
        c = strcmp(x->subkey, y->subkey);
    return c;
}

static void load(void)
{
    list.loaded = 1;
    list.st = RKC_OK;
    for (int view32 = 0; view32 < 2; view32++) {
        HKEY u;
        rkc_status st = rkc_reg_open(HKEY_LOCAL_MACHINE, UNINSTALL,
                                     view32 ? RKC_VIEW32 : RKC_VIEW64, &u);
        if (st == RKC_NOT_FOUND)
            continue;
        if (st != RKC_OK) {
            list.st = st;
            snprintf(list.detail, sizeof list.detail, "HKLM\\SOFTWARE\\Microsoft\\Windows\\"
                     "CurrentVersion\\Uninstall (%s-bit view): cannot open the key",
                     view32 ? "32" : "64");
            return;
        }
        for (DWORD i = 0;; i++) {
            wchar_t sub[256];
            DWORD sl = 256;
            LONG rc = RegEnumKeyExW(u, i, sub, &sl, NULL, NULL, NULL, NULL);
            if (rc == ERROR_NO_MORE_ITEMS)
                break;
            if (rc == ERROR_SUCCESS)
                add_entry(u, sub, sl, view32);
            else
                list.unreadable++;
        }
        RegCloseKey(u);
    }
    if (list.n)
        qsort(list.v, list.n, sizeof *list.v, program_order);
}

void rkc_collect_program(rkc_emit *e, const rkc_plan_collect *it)
{
    if (!list.loaded)
        load();
    if (list.st != RKC_OK) {
        rkc_emit_fail(e, it->id, list.st, list.detail);
        return;
    }
    size_t np;
    wchar_t *w = rkc_to_wide(it->arg);
    wchar_t *pat = upper(w, wcslen(w), &np);
    free(w);
    const program *hit = NULL;
    for (size_t i = 0; i < list.n && !hit; i++)
        if (rkc_glob_match16((const uint16_t *)pat, np, (const uint16_t *)list.v[i].upper,
                             list.v[i].nupper))
            hit = &list.v[i];
    free(pat);
    if (hit) {
        rkc_emit_object_begin(e, it->id);
        rkc_emit_str(e, "name", hit->name);
        rkc_emit_str(e, "version", hit->version);
        rkc_emit_str(e, "publisher", hit->publisher);
        rkc_emit_object_end(e);
    } else if (list.unreadable) {
        char d[200];
        snprintf(d, sizeof d, "no readable installed program matches, and %lu Uninstall "
                 "entries could not be read", (unsigned long)list.unreadable);
        rkc_emit_fail(e, it->id, RKC_FAILED, d);
    } else
        rkc_emit_null(e, it->id);
}
