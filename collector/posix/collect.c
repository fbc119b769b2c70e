/* collect.c - Linux collect items: files by stat(); Windows-only kinds reported unsupported. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../platform.h"

/* The explicit "not here" of a Windows-only kind: an errors[] entry, never silence. */
static void windows_only(rkc_emit *e, const rkc_plan_collect *it)
{
    char detail[80];
    snprintf(detail, sizeof detail, "%s items are not available on linux",
             rkc_kind_name(it->kind));
    rkc_emit_fail(e, it->id, RKC_UNSUPPORTED, detail);
}

void rkc_collect_registry(rkc_emit *e, const rkc_plan_collect *it) { windows_only(e, it); }
void rkc_collect_program(rkc_emit *e, const rkc_plan_collect *it) { windows_only(e, it); }
void rkc_collect_file_version(rkc_emit *e, const rkc_plan_collect *it) { windows_only(e, it); }
void rkc_collect_service(rkc_emit *e, const rkc_plan_collect *it) { windows_only(e, it); }
void rkc_collect_windows_feature(rkc_emit *e, const rkc_plan_collect *it) { windows_only(e, it); }

rkc_status rkc_file_info(const char *path, uint64_t *size, char modified[32], char *detail,
                         size_t detlen)
{
    struct stat st;
    struct tm tm;
    if (stat(path, &st) != 0) {
        int err = errno;
        snprintf(detail, detlen, "%s: %s", path, strerror(err));
        if (err == ENOENT || err == ENOTDIR)
            return RKC_NOT_FOUND;
        return err == EACCES || err == EPERM ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(detail, detlen, "%s: %s", path,
                 S_ISDIR(st.st_mode) ? "a folder, not a file" : "not a regular file");
        return RKC_FAILED;
    }
    time_t t = st.st_mtim.tv_sec;
    if (!gmtime_r(&t, &tm) || strftime(modified, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(detail, detlen, "%s: modification time out of range", path);
        return RKC_FAILED;
    }
    *size = (uint64_t)st.st_size;
    return RKC_OK;
}
