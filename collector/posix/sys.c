/* sys.c - POSIX process services: start-up, monotonic clock, file reading and atomic output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../platform.h"
#include "../xalloc.h"

int rkc_platform_init(char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    return 0;
}

void rkc_platform_done(void) {}

const char *rkc_platform_name(void)
{
    return "linux";
}

uint64_t rkc_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int rkc_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                  size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *b = rkc_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                snprintf(err, errlen, "file is larger than %lu bytes", (unsigned long)max);
                goto fail;
            }
            cap *= 2;
            char *nb = rkc_xrealloc(b, cap + 1);
            b = nb;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        snprintf(err, errlen, "file is larger than %lu bytes", (unsigned long)max);
        goto fail;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
fail:
    close(fd);
    free(b);
    return -1;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

int rkc_write_file_atomic(const char *path, const char *buf, size_t len, char *err,
                          size_t errlen)
{
    char tmp[4096];
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld-%d", path, (long)getpid(), attempt) >=
            sizeof tmp) {
            snprintf(err, errlen, "path is too long");
            return -1;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create a temporary file next to it: %s",
                     strerror(errno));
            return -1;
        }
    }
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file next to it");
        return -1;
    }
    if (write_all(fd, buf, len) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write: %s", strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(err, errlen, "cannot write: %s", strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot replace: %s", strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int rkc_write_stdout(const char *buf, size_t len)
{
    return write_all(STDOUT_FILENO, buf, len);
}
