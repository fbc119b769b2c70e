/* fuzz_register.c - libFuzzer target: a workbook read for its waiver register (libzip and
 * expat, then the register's layout) into the tree the waiver rules check. Seeds are
 * stored (uncompressed) archives, so that mutations reach the XML. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "waivers_xlsx.h"
#include "yaml_tree.h"

static fuzz_file in;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_init(&in, "register.xlsx");
    return 0;
}

/* Every node of a tree the reader built: positions are cells, text is valid UTF-8. */
static void check_tree(const rk_node *n, int depth)
{
    if (depth > 3 || n->line < 1 || n->col < 1) abort();
    if (n->type == RK_NODE_SCALAR) {
        if (!n->value || !rk_utf8_valid(n->value, strlen(n->value), NULL)) abort();
        return;
    }
    for (size_t i = 0; i < n->count; i++) {
        if (n->type == RK_NODE_MAP && (!n->keys[i] || n->keys[i]->type != RK_NODE_SCALAR)) abort();
        check_tree(n->items[i], depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_file_set(&in, data, size);
    rk_diag d;
    memset(&d, 0, sizeof d);
    char sha[65], *sheet = NULL;
    rk_node *root = rk_waivers_xlsx_tree(in.path, sha, &sheet, &d);
    if (!root) {
        fuzz_check_diag(&d, in.path);
        return 0;
    }
    if (root->type != RK_NODE_MAP || !rk_node_get(root, "format") ||
        !rk_node_get(root, "waivers") || !sheet || strlen(sha) != 64)
        abort();
    check_tree(root, 0);
    rk_node_free(root);
    free(sheet);
    return 0;
}
