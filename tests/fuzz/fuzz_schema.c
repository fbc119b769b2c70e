/* fuzz_schema.c - libFuzzer target: a requirement schema file, loaded from a file in
 * memory exactly as `readykit validate` and `render` load it. */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "yaml_tree.h"
#include "schema.h"

static fuzz_file in;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_init(&in, "schema.yaml");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RK_YAML_MAX_BYTES) return 0;
    fuzz_file_set(&in, data, size);
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_schema *s = rk_schema_load(in.path, &d);
    if (s) {
        for (size_t i = 0; i < s->nroles; i++)
            if (rk_schema_role(s, s->roles[i].id) < 0) abort();
        for (size_t i = 0; i < s->nreqs; i++)
            if (rk_schema_req(s, s->reqs[i].id) == NULL) abort();
        char roles[512];
        rk_schema_roles_str(s, 0xffffffffu, roles, sizeof roles);
        for (size_t i = 0; i < s->nflows; i++) {
            const rk_flow_row *f = &s->flows[i];
            if (f->port_from < 0 || f->port_to > 65535 || f->port_from > f->port_to) abort();
        }
    } else {
        fuzz_check_diag(&d, in.path);
    }
    rk_schema_free(s);
    return 0;
}
