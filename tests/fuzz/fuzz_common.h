/* fuzz_common.h - helpers shared by the libFuzzer targets: inputs as files in memory
 * and the checks every loader's diagnostic must pass. */
#ifndef RK_FUZZ_COMMON_H
#define RK_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "schema.h"
#include "util.h"

/* A file in memory (memfd) that the path-taking loaders open as /proc/self/fd/N. */
typedef struct fuzz_file {
    int fd;
    char path[64];
} fuzz_file;

static inline void fuzz_file_init(fuzz_file *f, const char *name)
{
    f->fd = memfd_create(name, 0);
    if (f->fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

static inline void fuzz_file_set(fuzz_file *f, const uint8_t *data, size_t size)
{
    if (ftruncate(f->fd, 0) != 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t n = pwrite(f->fd, data + off, size - off, (off_t)off);
        if (n <= 0) abort();
        off += (size_t)n;
    }
}

/* A refused input must say which file and what is wrong: an empty message or another
 * file's name would be a misleading diagnostic, which counts as a finding. Messages
 * about untrusted fact files carry no control characters at all; those about YAML
 * files (written by people we work with) may quote a value with tabs or line breaks
 * (lines_ok). */
static inline void fuzz_check_diag_ex(const rk_diag *d, const char *file, int lines_ok)
{
    if (strcmp(d->file, file) != 0) {
        fprintf(stderr, "diagnostic names '%s', expected '%s': %s\n", d->file, file, d->msg);
        abort();
    }
    if (d->msg[0] == '\0' || d->line < 0 || d->col < 0 || (d->col > 0 && d->line == 0)) {
        fprintf(stderr, "diagnostic without a message or with a bad position %d:%d\n", d->line,
                d->col);
        abort();
    }
    for (const unsigned char *p = (const unsigned char *)d->msg; *p; p++)
        if ((*p < 0x20 && !(lines_ok && (*p == '\n' || *p == '\t' || *p == '\r'))) || *p == 0x7F) {
            fprintf(stderr, "diagnostic with a control character 0x%02X: %s\n", *p, d->msg);
            abort();
        }
    if (!rk_utf8_valid(d->msg, strlen(d->msg), NULL)) {
        /* messages quote input; a quoted fragment may be cut inside a character only
         * at the very end, which terminals show as one replacement character */
        size_t bad = 0;
        rk_utf8_valid(d->msg, strlen(d->msg), &bad);
        if (strlen(d->msg) - bad > 3) {
            fprintf(stderr, "diagnostic with invalid UTF-8 at byte %zu: %s\n", bad, d->msg);
            abort();
        }
    }
}

static inline void fuzz_check_diag(const rk_diag *d, const char *file)
{
    fuzz_check_diag_ex(d, file, 1);
}

static inline void fuzz_check_diag_strict(const rk_diag *d, const char *file)
{
    fuzz_check_diag_ex(d, file, 0);
}

#ifndef RK_SOURCE_DIR
#define RK_SOURCE_DIR "."
#endif

/* The shipped requirement schema ($RK_FUZZ_SCHEMA overrides), loaded once by a
 * target's LLVMFuzzerInitialize; a schema that does not load stops the run. */
static inline rk_schema *fuzz_load_schema(const char *target)
{
    const char *path = getenv("RK_FUZZ_SCHEMA");
    if (!path) path = RK_SOURCE_DIR "/schemas/migrator-pro-exchange-20.11.yaml";
    rk_diag d;
    memset(&d, 0, sizeof d);
    rk_schema *schema = rk_schema_load(path, &d);
    if (!schema) {
        char msg[2200];
        rk_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "%s: cannot load the schema: %s\n", target, msg);
        abort();
    }
    return schema;
}

#endif
