/* collect.c - collect items: each to its kind's reader, file values, the plan summary. */
#include "collect.h"

#include "platform.h"

/* {size, modified} of a file, null when there is none. */
static void collect_file(rkc_emit *e, const rkc_plan_collect *it)
{
    uint64_t size = 0;
    char modified[32] = "", detail[600] = "";
    rkc_status st = rkc_file_info(it->arg, &size, modified, detail, sizeof detail);
    if (st == RKC_OK) {
        rkc_emit_object_begin(e, it->id);
        rkc_emit_uint(e, "size", size);
        rkc_emit_str(e, "modified", modified);
        rkc_emit_object_end(e);
    } else if (st == RKC_NOT_FOUND)
        rkc_emit_null(e, it->id);
    else
        rkc_emit_fail(e, it->id, st, detail);
}

typedef void (*reader)(rkc_emit *e, const rkc_plan_collect *it);

void rkc_collect_items(rkc_emit *e, const rkc_plan *plan)
{
    static const reader readers[RKC_KIND_COUNT] = {
        [RKC_KIND_REGISTRY] = rkc_collect_registry,
        [RKC_KIND_PROGRAM] = rkc_collect_program,
        [RKC_KIND_FILE_VERSION] = rkc_collect_file_version,
        [RKC_KIND_SERVICE] = rkc_collect_service,
        [RKC_KIND_WINDOWS_FEATURE] = rkc_collect_windows_feature,
        [RKC_KIND_FILE] = collect_file,
    };
    rkc_emit_object_begin(e, "collected");
    for (size_t i = 0; i < plan->ncollect; i++) {
        const rkc_plan_collect *it = &plan->collect[i];
        if ((unsigned)it->kind < RKC_KIND_COUNT && readers[it->kind])
            readers[it->kind](e, it);
        else
            rkc_emit_fail(e, it->id, RKC_FAILED, "unknown kind");
    }
    rkc_emit_object_end(e);
}

void rkc_collect_plan_summary(rkc_emit *e, const rkc_plan *plan, const char *sha256,
                              const char *sha_err)
{
    rkc_emit_object_begin(e, "plan");
    if (sha256)
        rkc_emit_str(e, "sha256", sha256);
    else
        rkc_emit_fail(e, "sha256", RKC_FAILED, sha_err);
    rkc_emit_uint(e, "probes", plan->nprobes);
    rkc_emit_array_begin(e, "items");
    for (size_t i = 0; i < plan->ncollect; i++)
        rkc_emit_elem_str(e, plan->collect[i].id);
    rkc_emit_array_end(e);
    rkc_emit_object_end(e);
}
