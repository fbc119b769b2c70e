/* outset.c - staged, all-or-nothing output of a render's documents. */
#include "outset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

typedef struct staged {
    char *name;   /* as the set knows it */
    char *stage;  /* dir/.name.new-PID (in the document's own folder) */
    char *path;   /* dir/name */
    int done;     /* renamed into place */
    char sha256[65]; /* the staged bytes' SHA-256 when its writer gave it ("" not) */
} staged;

struct rk_outset {
    char *dir;
    staged *d;
    size_t n, cap;
    char **retired;  /* dir/name of files an earlier set left, removed at commit */
    size_t nretired;
    char **made;     /* folders of the set made for its documents (removed again, when
                        empty, if the set is not committed) */
    size_t nmade;
    int committed;
};

rk_err rk_outset_check_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno == ENOENT) return RK_OK; /* created when the set starts */
        snprintf(err, errlen, "%s: cannot use the output folder: %s", dir, strerror(errno));
        return RK_OUTPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is not a folder; expected an output folder", dir);
        return RK_OUTPUT;
    }
    if (access(dir, W_OK) != 0) {
        snprintf(err, errlen, "%s: output folder is not writable: %s", dir, strerror(errno));
        return RK_OUTPUT;
    }
    return RK_OK;
}

/* mkdir -p: each missing folder of path, in order. */
static int make_dirs(const char *path, char *err, size_t errlen)
{
    char *p = rk_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; ; s++) {
        if (*s != '/' && *s) continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        if (stat(p, &st) != 0 && mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create the output folder: %s", p, strerror(errno));
            rc = -1;
        } else if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: is not a folder; expected an output folder", p);
            rc = -1;
        }
        *s = c;
        if (rc || !c) break;
    }
    free(p);
    return rc;
}

rk_outset *rk_outset_new(const char *dir, char *err, size_t errlen)
{
    if (make_dirs(dir, err, errlen) != 0) return NULL;
    if (rk_outset_check_dir(dir, err, errlen) != RK_OK) return NULL;
    rk_outset *o = rk_xcalloc(1, sizeof(*o));
    o->dir = rk_xstrdup(dir);
    return o;
}

void rk_outset_free(rk_outset *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n; i++) {
        if (!o->d[i].done) unlink(o->d[i].stage);
        free(o->d[i].name);
        free(o->d[i].stage);
        free(o->d[i].path);
    }
    free(o->d);
    for (size_t i = 0; i < o->nmade; i++)
        if (!o->committed) rmdir(o->made[i]); /* fails, as it should, when not empty */
    rk_strv_free(o->made, o->nmade);
    rk_strv_free(o->retired, o->nretired);
    free(o->dir);
    free(o);
}

const char *rk_outset_stage(rk_outset *o, const char *name)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->d = rk_xrealloc(o->d, o->cap * sizeof(staged));
    }
    staged *s = &o->d[o->n++];
    memset(s, 0, sizeof(*s));
    s->name = rk_xstrdup(name);
    s->path = rk_xasprintf("%s/%s", o->dir, name);
    const char *slash = strrchr(name, '/');
    if (slash) {
        /* a document in a folder of the set: the folder is made, its staging file beside */
        char *sub = rk_xasprintf("%s/%.*s", o->dir, (int)(slash - name), name);
        char err[256];
        struct stat st;
        if (stat(sub, &st) != 0 && make_dirs(sub, err, sizeof err) == 0) {
            o->made = rk_xrealloc(o->made, (o->nmade + 1) * sizeof(char *));
            o->made[o->nmade++] = rk_xstrdup(sub);
        }
        s->stage = rk_xasprintf("%s/.%s.new-%ld", sub, slash + 1, (long)getpid());
        free(sub);
    } else {
        s->stage = rk_xasprintf("%s/.%s.new-%ld", o->dir, name, (long)getpid());
    }
    return s->stage;
}

rk_err rk_outset_commit(rk_outset *o, char *err, size_t errlen)
{
    /* what would make a rename fail is checked before the first rename */
    for (size_t i = 0; i < o->n; i++) {
        struct stat st;
        if (lstat(o->d[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: is a folder; expected a document or nothing there",
                     o->d[i].path);
            return RK_OUTPUT;
        }
    }
    for (size_t i = 0; i < o->n; i++) {
        if (rename(o->d[i].stage, o->d[i].path) != 0) {
            snprintf(err, errlen, "%s: cannot rename into place: %s", o->d[i].path,
                     strerror(errno));
            return RK_OUTPUT;
        }
        o->d[i].done = 1;
    }
    o->committed = 1;
    for (size_t i = 0; i < o->nretired; i++) {
        int staged_too = 0;
        for (size_t k = 0; k < o->n; k++) staged_too |= !strcmp(o->d[k].path, o->retired[i]);
        if (!staged_too && unlink(o->retired[i]) != 0 && errno != ENOENT) {
            snprintf(err, errlen, "%s: cannot remove this file of an earlier render: %s", o->retired[i],
                     strerror(errno));
            return RK_OUTPUT;
        }
    }
    return RK_OK;
}

void rk_outset_retire(rk_outset *o, const char *name)
{
    o->retired = rk_xrealloc(o->retired, (o->nretired + 1) * sizeof(char *));
    o->retired[o->nretired++] = rk_xasprintf("%s/%s", o->dir, name);
}

const char *rk_outset_dir(const rk_outset *o) { return o->dir; }

void rk_outset_explain(const rk_outset *o, char *err, size_t errlen)
{
    for (size_t i = 0; i < o->n; i++) {
        char *hit = strstr(err, o->d[i].stage);
        if (!hit) continue;
        char *rest = rk_xasprintf("%s%s", o->d[i].path, hit + strlen(o->d[i].stage));
        snprintf(hit, errlen - (size_t)(hit - err), "%s", rest);
        free(rest);
    }
}

size_t rk_outset_count(const rk_outset *o) { return o->n; }
const char *rk_outset_name(const rk_outset *o, size_t i) { return o->d[i].name; }
const char *rk_outset_path(const rk_outset *o, size_t i) { return o->d[i].path; }
const char *rk_outset_staged(const rk_outset *o, size_t i) { return o->d[i].stage; }

void rk_outset_set_sha256(rk_outset *o, const char *name, const char sha256[65])
{
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->d[i].name, name)) memcpy(o->d[i].sha256, sha256, 65);
}

const char *rk_outset_sha256(const rk_outset *o, size_t i)
{
    return o->d[i].sha256[0] ? o->d[i].sha256 : NULL;
}
