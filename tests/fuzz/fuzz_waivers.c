/* fuzz_waivers.c - libFuzzer target: a waivers file and an attestations file (the same
 * bytes, loaded as each), checked against the shipped requirement schema. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "assess.h"
#include "fuzz_common.h"
#include "yaml_tree.h"
#include "schema.h"
#include "waivers.h"

static fuzz_file in;
static rk_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schema = fuzz_load_schema("fuzz_waivers");
    fuzz_file_init(&in, "waivers.yaml");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RK_YAML_MAX_BYTES) return 0;
    fuzz_file_set(&in, data, size);
    /* a fresh assessment holding only the schema (borrowed) */
    rk_assessment *a = rk_xcalloc(1, sizeof(*a));
    a->schema = schema;
    char sha[65];
    rk_diag d;
    memset(&d, 0, sizeof d);
    if (rk_waivers_load(in.path, in.path, schema, &a->waivers, &a->nwaivers, sha, &a->warnings,
                        &d) != RK_OK)
        fuzz_check_diag(&d, in.path);
    memset(&d, 0, sizeof d);
    if (rk_attestations_load(in.path, in.path, schema, &a->attestations, &a->nattestations, sha,
                             &d) != RK_OK)
        fuzz_check_diag(&d, in.path);
    for (size_t i = 0; i < a->nwaivers; i++)
        if (!rk_schema_req(schema, a->waivers[i].requirement)) abort();
    a->schema = NULL;
    rk_assessment_free(a);
    return 0;
}
