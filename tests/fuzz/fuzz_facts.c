/* fuzz_facts.c - libFuzzer target: a fact file as mailed in, through the same steps
 * as rk_facts_load (byte-order mark / UTF-16, then parse and validate). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "fuzz_common.h"

/* Every string and key that survives loading must be clean UTF-8 without control
 * characters other than tab, CR and LF: that is what the writers rely on. */
static void check_clean(const cJSON *j)
{
    for (const cJSON *c = j->child; c; c = c->next) {
        if (c->string) {
            int changed = 0;
            char *s = rk_utf8_sanitize(c->string, 0, &changed);
            free(s);
            if (changed) abort();
        }
        if (cJSON_IsString(c) && c->valuestring) {
            int changed = 0;
            char *s = rk_utf8_sanitize(c->valuestring, 1, &changed);
            free(s);
            if (changed) abort();
        }
        check_clean(c);
    }
}

static rk_factschema *types;

/* The fact file's description, as the renderer applies it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rk_diag d;
    memset(&d, 0, sizeof d);
    types = rk_factschema_load(RK_SOURCE_DIR "/schemas/facts.schema.json", &d);
    if (!types) {
        fprintf(stderr, "fuzz_facts: cannot load facts.schema.json: %s\n", d.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RK_FACTS_MAX_BYTES) return 0;
    char *buf = rk_xmalloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t len = size;
    if (rk_text_normalise(&buf, &len) == 0) {
        rk_diag d;
        memset(&d, 0, sizeof d);
        rk_warnings w = {0};
        rk_facts *f = rk_facts_parse("fuzz.json", buf, len, types, &d, &w);
        if (f) {
            check_clean(f->root);
            static const char *const paths[] = {"host.name", "os.build", "hardware.disks",
                                                "software.exchange.roles", "services.WinRM",
                                                "a.b.c.d.e.f"};
            for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
                (void)rk_facts_get(f->root, paths[i]);
            for (size_t i = 0; i < f->nprobes; i++)
                if (f->probes[i].port < 0 || f->probes[i].port > 65535) abort();
        } else {
            fuzz_check_diag_strict(&d, "fuzz.json");
        }
        /* every warning names this file, with a position, and a key of the templates */
        for (size_t i = 0; i < w.count; i++)
            if (!w.items[i].file || strcmp(w.items[i].file, "fuzz.json") != 0 ||
                w.items[i].line < 1 || strncmp(w.items[i].key, "warn.", 5) != 0)
                abort();
        rk_facts_free(f);
        rk_warnings_free(&w);
    }
    free(buf);
    return 0;
}
