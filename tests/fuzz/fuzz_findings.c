/* fuzz_findings.c - libFuzzer target: a findings.json as diff, --baseline and verify read
 * it, with members skipped unread (rk_json_opts.skip). Differential: whenever the whole
 * document parses, the document read with flows[] and rules[] skipped parses too, every
 * other member is equal, and a skipped list or object is empty (or whole, when its key is
 * spelt with escapes, which the skipping does not look for); whenever the skipping
 * read refuses the input, its message names the file with a position. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "json.h"

/* Equal as printed (cJSON_Compare takes two infinities for different numbers). */
static int same(const cJSON *x, const cJSON *y)
{
    char *a = cJSON_PrintUnformatted(x), *b = cJSON_PrintUnformatted(y);
    int eq = a && b && !strcmp(a, b);
    cJSON_free(a);
    cJSON_free(b);
    return eq;
}

static int skipped(const char *key)
{
    return key && (!strcmp(key, "flows") || !strcmp(key, "rules"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const skip[] = {"flows", "rules", NULL};
    const rk_json_opts all = {64, 1, "a findings file", NULL, NULL};
    const rk_json_opts some = {64, 1, "a findings file", NULL, skip};
    rk_diag d1, d2;
    memset(&d1, 0, sizeof d1);
    memset(&d2, 0, sizeof d2);
    rk_warnings w = {0};
    rk_json *whole = rk_json_parse("fuzz.json", (const char *)data, size, &all, &d1, &w);
    rk_json *part = rk_json_parse("fuzz.json", (const char *)data, size, &some, &d2, &w);
    if (!part) fuzz_check_diag(&d2, "fuzz.json");
    if (whole) {
        if (!part) {
            fprintf(stderr, "refused with members skipped, read whole: %s\n", d2.msg);
            abort();
        }
        const cJSON *a = rk_json_root(whole), *b = rk_json_root(part);
        if (cJSON_IsObject(a)) {
            for (const cJSON *x = a->child; x; x = x->next) {
                const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
                if (!y) abort();
                if (skipped(x->string) && (cJSON_IsArray(x) || cJSON_IsObject(x))) {
                    if ((y->child || (y->type & 0xFF) != (x->type & 0xFF)) && !same(x, y))
                        abort();
                } else if (!skipped(x->string) && !same(x, y)) {
                    fprintf(stderr, "member '%s' differs when others are skipped\n", x->string);
                    abort();
                }
            }
        } else if (!same(a, b)) {
            abort();
        }
    }
    rk_json_free(whole);
    rk_json_free(part);
    rk_warnings_free(&w);
    return 0;
}
