/* system.c - Linux os and hardware facts: /etc/os-release, uname, /proc, /sys, statvfs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../platform.h"
#include "../xalloc.h"

/* Reads the first line of a small file into out (newline removed). 0 on success. */
static int read_line(const char *path, char *out, size_t outlen)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char *r = fgets(out, (int)outlen, f);
    fclose(f);
    if (!r)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* Value of KEY in an os-release file (quotes and backslash escapes removed). */
static int os_release(const char *key, char *out, size_t outlen)
{
    const char *files[] = {"/etc/os-release", "/usr/lib/os-release"};
    for (int fi = 0; fi < 2; fi++) {
        FILE *f = fopen(files[fi], "re");
        char line[1024];
        size_t kl = strlen(key);
        if (!f)
            continue;
        int found = 0;
        while (!found && fgets(line, sizeof line, f)) {
            if (strncmp(line, key, kl) != 0 || line[kl] != '=')
                continue;
            char *v = line + kl + 1, q = 0;
            size_t o = 0;
            v[strcspn(v, "\r\n")] = '\0';
            if (*v == '"' || *v == '\'')
                q = *v++;
            for (; *v && o + 1 < outlen; v++) {
                if (q && *v == q)
                    break;
                if (q == '"' && *v == '\\' && v[1])
                    v++;
                out[o++] = *v;
            }
            out[o] = '\0';
            found = 1;
        }
        fclose(f);
        return found ? 0 : -1; /* the first file that exists decides */
    }
    return -1;
}

static const char *arch_name(const char *m)
{
    if (!strcmp(m, "x86_64") || !strcmp(m, "amd64"))
        return "x64";
    if (!strcmp(m, "i386") || !strcmp(m, "i486") || !strcmp(m, "i586") || !strcmp(m, "i686"))
        return "x86";
    if (!strcmp(m, "aarch64") || !strcmp(m, "arm64"))
        return "arm64";
    if (!strncmp(m, "arm", 3))
        return "arm";
    if (!strcmp(m, "ia64"))
        return "ia64";
    return m;
}

void rkc_collect_os(rkc_emit *e)
{
    char v[512];
    struct utsname u;
    int have_uname = uname(&u) == 0;
    if (os_release("PRETTY_NAME", v, sizeof v) == 0 || os_release("NAME", v, sizeof v) == 0)
        rkc_emit_str(e, "name", v);
    else
        rkc_emit_str(e, "name", have_uname ? u.sysname : "Linux");
    rkc_emit_str(e, "version", os_release("VERSION_ID", v, sizeof v) == 0 ? v : NULL);
    rkc_emit_unsupported(e, "build");
    rkc_emit_unsupported(e, "ubr");
    rkc_emit_unsupported(e, "installation_type");
    rkc_emit_unsupported(e, "edition_id");
    rkc_emit_unsupported(e, "product_type");
    if (have_uname) {
        rkc_emit_str(e, "arch", arch_name(u.machine));
        rkc_emit_str(e, "kernel", u.release);
    } else {
        rkc_emit_fail(e, "arch", RKC_FAILED, "uname");
        rkc_emit_fail(e, "kernel", RKC_FAILED, "uname");
    }
    rkc_emit_unsupported(e, "short_date_format");
    rkc_emit_str(e, "id", os_release("ID", v, sizeof v) == 0 ? v : NULL);
}

/* Value of the first "key : value" line of /proc/cpuinfo for key. */
static int cpuinfo(const char *key, char *out, size_t outlen)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    char line[1024];
    size_t kl = strlen(key);
    int found = 0;
    if (!f)
        return -1;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != '\t' && line[kl] != ':'))
            continue;
        char *c = strchr(line, ':');
        if (!c)
            continue;
        c++;
        while (*c == ' ' || *c == '\t')
            c++;
        c[strcspn(c, "\r\n")] = '\0';
        snprintf(out, outlen, "%s", c);
        found = 1;
    }
    fclose(f);
    return found ? 0 : -1;
}

/* Physical packages and cores of the online processors, from sysfs topology (falling back
 * to /proc/cpuinfo's physical id / core id). 0 on success. */
static int cpu_topology(long logical, long *sockets, long *cores)
{
    typedef struct { long pkg, core; } pc;
    pc *seen = rkc_xcalloc((size_t)(logical > 0 ? logical : 1) * 2 + 64, sizeof *seen);
    size_t nseen = 0, capseen = (size_t)(logical > 0 ? logical : 1) * 2 + 64;
    long npkg = 0;
    long pkgs[1024];
    DIR *d = opendir("/sys/devices/system/cpu");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char path[600], v[64];
        if (strncmp(de->d_name, "cpu", 3) || de->d_name[3] < '0' || de->d_name[3] > '9')
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s/online", de->d_name);
        if (read_line(path, v, sizeof v) == 0 && strcmp(v, "0") == 0)
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s/topology/physical_package_id",
                 de->d_name);
        if (read_line(path, v, sizeof v) != 0)
            continue;
        long pkg = atol(v);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s/topology/core_id", de->d_name);
        if (read_line(path, v, sizeof v) != 0)
            continue;
        long core = atol(v);
        int dup = 0;
        for (size_t i = 0; i < nseen; i++)
            if (seen[i].pkg == pkg && seen[i].core == core)
                dup = 1;
        if (!dup && nseen < capseen)
            seen[nseen++] = (pc){pkg, core};
    }
    if (d)
        closedir(d);
    if (nseen == 0) {
        FILE *f = fopen("/proc/cpuinfo", "re");
        char line[512];
        long pkg = 0;
        while (f && fgets(line, sizeof line, f)) {
            char *c = strchr(line, ':');
            if (!c)
                continue;
            if (!strncmp(line, "physical id", 11))
                pkg = atol(c + 1);
            else if (!strncmp(line, "core id", 7)) {
                long core = atol(c + 1);
                int dup = 0;
                for (size_t i = 0; i < nseen; i++)
                    if (seen[i].pkg == pkg && seen[i].core == core)
                        dup = 1;
                if (!dup && nseen < capseen)
                    seen[nseen++] = (pc){pkg, core};
            }
        }
        if (f)
            fclose(f);
    }
    for (size_t i = 0; i < nseen; i++) {
        int dup = 0;
        for (long k = 0; k < npkg; k++)
            if (pkgs[k] == seen[i].pkg)
                dup = 1;
        if (!dup && npkg < 1024)
            pkgs[npkg++] = seen[i].pkg;
    }
    free(seen);
    if (nseen == 0)
        return -1;
    *sockets = npkg;
    *cores = (long)nseen;
    return 0;
}

/* kB value of a /proc/meminfo line. */
static int meminfo(const char *key, unsigned long long *kb)
{
    FILE *f = fopen("/proc/meminfo", "re");
    char line[256];
    size_t kl = strlen(key);
    int found = 0;
    if (!f)
        return -1;
    while (!found && fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == ':') {
            *kb = strtoull(line + kl + 1, NULL, 10);
            found = 1;
        }
    fclose(f);
    return found ? 0 : -1;
}

/* Resolution of the first connected DRM connector. 1 found, 0 no display, -1 error. */
static int display(unsigned long *w, unsigned long *h)
{
    DIR *d = opendir("/sys/class/drm");
    struct dirent *de;
    int found = 0;
    if (!d)
        return 0; /* no display subsystem: a headless host */
    while (!found && (de = readdir(d))) {
        char path[600], v[64];
        if (strncmp(de->d_name, "card", 4) || !strchr(de->d_name, '-'))
            continue;
        snprintf(path, sizeof path, "/sys/class/drm/%s/status", de->d_name);
        if (read_line(path, v, sizeof v) != 0 || strcmp(v, "connected"))
            continue;
        snprintf(path, sizeof path, "/sys/class/drm/%s/modes", de->d_name);
        if (read_line(path, v, sizeof v) == 0 && sscanf(v, "%lux%lu", w, h) == 2)
            found = 1;
    }
    closedir(d);
    return found;
}

/* Decodes the octal escapes (\040) of a /proc/mounts field in place. */
static void unescape_mount(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else
            *o++ = *s;
    }
    *o = '\0';
}

/* Whether the block device behind source (/dev/...) is removable or virtual. */
static int skip_device(const char *source)
{
    char real[4096], path[4200], v[16];
    const char *base;
    if (!realpath(source, real))
        snprintf(real, sizeof real, "%s", source);
    base = strrchr(real, '/');
    base = base ? base + 1 : real;
    if (!strncmp(base, "loop", 4) || !strncmp(base, "ram", 3) || !strncmp(base, "zram", 4) ||
        !strncmp(base, "sr", 2) || !strncmp(base, "fd", 2))
        return 1;
    snprintf(path, sizeof path, "/sys/class/block/%s/removable", base);
    if (read_line(path, v, sizeof v) == 0)
        return strcmp(v, "1") == 0;
    snprintf(path, sizeof path, "/sys/class/block/%s/../removable", base); /* a partition */
    if (read_line(path, v, sizeof v) == 0)
        return strcmp(v, "1") == 0;
    return 0;
}

static void disks(rkc_emit *e)
{
    FILE *f = fopen("/proc/self/mounts", "re");
    char line[8192];
    dev_t seen[256];
    size_t nseen = 0, idx = 0;
    if (!f) {
        rkc_emit_fail(e, "disks", RKC_FAILED, "/proc/self/mounts");
        return;
    }
    rkc_emit_array_begin(e, "disks");
    while (fgets(line, sizeof line, f)) {
        char *save = NULL;
        char *src = strtok_r(line, " ", &save);
        char *dir = strtok_r(NULL, " ", &save);
        char *fs = strtok_r(NULL, " ", &save);
        if (!src || !dir || !fs)
            continue;
        unescape_mount(src);
        unescape_mount(dir);
        /* Local block devices, plus the root file system whatever backs it (containers). */
        int root = strcmp(dir, "/") == 0;
        if (!root && (strncmp(src, "/dev/", 5) != 0 || skip_device(src) ||
                      !strcmp(fs, "squashfs") || !strcmp(fs, "iso9660") || !strcmp(fs, "udf")))
            continue;
        struct stat st;
        struct statvfs vf;
        if (stat(dir, &st) != 0 || statvfs(dir, &vf) != 0 || vf.f_blocks == 0)
            continue;
        int dup = 0;
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == st.st_dev)
                dup = 1;
        if (dup)
            continue;
        if (nseen < 256)
            seen[nseen++] = st.st_dev;
        rkc_emit_elem_object(e, idx++);
        rkc_emit_str(e, "path", dir);
        rkc_emit_uint(e, "total_bytes", (uint64_t)vf.f_blocks * vf.f_frsize);
        rkc_emit_uint(e, "free_bytes", (uint64_t)vf.f_bavail * vf.f_frsize);
        rkc_emit_str(e, "filesystem", fs);
        rkc_emit_object_end(e);
    }
    rkc_emit_array_end(e);
    fclose(f);
}

void rkc_collect_hardware(rkc_emit *e)
{
    char v[512];
    long logical = sysconf(_SC_NPROCESSORS_ONLN), sockets = 0, cores = 0;
    if (cpuinfo("model name", v, sizeof v) == 0 || cpuinfo("Hardware", v, sizeof v) == 0 ||
        cpuinfo("cpu model", v, sizeof v) == 0)
        rkc_emit_str(e, "cpu_model", v);
    else
        rkc_emit_null(e, "cpu_model");
    if (cpu_topology(logical, &sockets, &cores) == 0) {
        rkc_emit_int(e, "cpu_sockets", sockets);
        rkc_emit_int(e, "cpu_cores", cores);
    } else {
        rkc_emit_fail(e, "cpu_sockets", RKC_FAILED, "no processor topology in /sys or /proc");
        rkc_emit_fail(e, "cpu_cores", RKC_FAILED, "no processor topology in /sys or /proc");
    }
    if (logical > 0)
        rkc_emit_int(e, "cpu_logical", logical);
    else
        rkc_emit_fail(e, "cpu_logical", RKC_FAILED, "sysconf");
    if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", v, sizeof v) == 0 &&
        atol(v) > 0)
        rkc_emit_int(e, "cpu_mhz", (atol(v) + 500) / 1000);
    else if (cpuinfo("cpu MHz", v, sizeof v) == 0 && atof(v) > 0)
        rkc_emit_int(e, "cpu_mhz", (int64_t)(atof(v) + 0.5));
    else
        rkc_emit_fail(e, "cpu_mhz", RKC_FAILED, "no clock in cpufreq or /proc/cpuinfo");
    unsigned long long kb;
    if (meminfo("MemTotal", &kb) == 0)
        rkc_emit_uint(e, "memory_bytes", kb * 1024u);
    else
        rkc_emit_fail(e, "memory_bytes", RKC_FAILED, "/proc/meminfo");
    rkc_emit_unsupported(e, "memory_installed_bytes");
    if (meminfo("MemAvailable", &kb) == 0)
        rkc_emit_uint(e, "memory_available_bytes", kb * 1024u);
    else
        rkc_emit_fail(e, "memory_available_bytes", RKC_FAILED, "/proc/meminfo");
    unsigned long w = 0, h = 0;
    if (display(&w, &h) == 1) {
        rkc_emit_uint(e, "display_width", w);
        rkc_emit_uint(e, "display_height", h);
    } else {
        rkc_emit_null(e, "display_width");
        rkc_emit_null(e, "display_height");
    }
    disks(e);
}
