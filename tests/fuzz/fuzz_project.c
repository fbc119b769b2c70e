/* fuzz_project.c - libFuzzer target: a project file, loaded from a file in memory
 * against the shipped requirement schema (read once at start). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "yaml_tree.h"
#include "project.h"
#include "schema.h"

static fuzz_file in;
static rk_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schema = fuzz_load_schema("fuzz_project");
    fuzz_file_init(&in, "project.yaml");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RK_YAML_MAX_BYTES) return 0;
    fuzz_file_set(&in, data, size);
    rk_diag d;
    memset(&d, 0, sizeof d);
    char *id = rk_project_schema_id(in.path, &d);
    if (!id) fuzz_check_diag(&d, in.path);
    free(id);
    memset(&d, 0, sizeof d);
    rk_project *p = rk_project_load(in.path, schema, &d);
    if (p) {
        for (size_t i = 0; i < p->nhosts; i++) {
            if (rk_project_host(p, p->hosts[i].name) < 0) abort();
            if (!p->hosts[i].facts_path || !p->hosts[i].roles) abort();
        }
    } else {
        fuzz_check_diag(&d, in.path);
    }
    rk_project_free(p);
    return 0;
}
