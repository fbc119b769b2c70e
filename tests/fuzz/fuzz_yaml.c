/* fuzz_yaml.c - libFuzzer target: the bounded YAML node loader every YAML input goes
 * through (byte-order mark / UTF-16 normalisation, then rk_yaml_parse), and the typed
 * accessors the loaders call on its tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "yaml_tree.h"

static void walk(const rk_node *n, int depth, size_t *count)
{
    if (depth > RK_YAML_MAX_DEPTH + 1) abort(); /* the depth bound was not kept */
    (*count)++;
    if (n->line < 1 || n->col < 1) abort();
    if (n->type == RK_NODE_SCALAR) {
        if (!n->value || !rk_utf8_valid(n->value, strlen(n->value), NULL)) abort();
        return;
    }
    for (size_t i = 0; i < n->count; i++) {
        if (n->type == RK_NODE_MAP) {
            const rk_node *k = n->keys[i];
            if (k->type != RK_NODE_SCALAR) abort();
            /* accessors on every key: whatever the value, a result or a diagnostic */
            rk_diag d;
            memset(&d, 0, sizeof d);
            const char *s = NULL;
            long long v = 0;
            int b = 0;
            const rk_node *sub = NULL;
            if (rk_node_str("fuzz.yaml", n, k->value, 1, &s, &d) != RK_OK)
                fuzz_check_diag(&d, "fuzz.yaml");
            if (rk_node_int("fuzz.yaml", n, k->value, 1, -1000, 1000000, &v, &d) != RK_OK)
                fuzz_check_diag(&d, "fuzz.yaml");
            else if (v < -1000 || v > 1000000)
                abort();
            if (rk_node_bool("fuzz.yaml", n, k->value, 1, &b, &d) != RK_OK)
                fuzz_check_diag(&d, "fuzz.yaml");
            if (rk_node_seq("fuzz.yaml", n, k->value, 1, &sub, &d) != RK_OK)
                fuzz_check_diag(&d, "fuzz.yaml");
            if (rk_node_get(n, k->value) == NULL) abort();
        }
        walk(n->items[i], depth + 1, count);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RK_YAML_MAX_BYTES) return 0;
    char *buf = rk_xmalloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t len = size;
    if (rk_text_normalise(&buf, &len) == 0) {
        rk_diag d;
        memset(&d, 0, sizeof d);
        rk_node *root = rk_yaml_parse("fuzz.yaml", buf, len, &d);
        if (root) {
            size_t count = 0;
            walk(root, 0, &count);
            if (count > RK_YAML_MAX_NODES + 1) abort();
            if (root->type == RK_NODE_MAP) {
                static const char *const only[] = {"format", "hosts", NULL};
                if (rk_node_only_keys("fuzz.yaml", root, only, &d) != RK_OK)
                    fuzz_check_diag(&d, "fuzz.yaml");
            }
        } else {
            fuzz_check_diag(&d, "fuzz.yaml");
        }
        rk_node_free(root);
    }
    free(buf);
    return 0;
}
