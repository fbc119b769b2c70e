/* fuzz_project.c - libFuzzer target: a project file, loaded from a file in memory
 * against the shipped requirement schema (read once at start). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "node.h"
#include "project.h"
#include "schema.h"

#ifndef RK_SOURCE_DIR
#define RK_SOURCE_DIR "."
#endif

static fuzz_file in;
static rk_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = getenv("RK_FUZZ_SCHEMA");
    if (!path) path = RK_SOURCE_DIR "/schemas/migrator-pro-exchange-20.11.yaml";
    rk_diag d;
    memset(&d, 0, sizeof d);
    schema = rk_schema_load(path, &d);
    if (!schema) {
        char msg[2200];
        rk_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "fuzz_project: cannot load the schema: %s\n", msg);
        abort();
    }
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
