/* remediation.c - the remediation scripts of a render, written through the output set. */
#include "remediation.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remediation_script.h"
#include "remedy.h"
#include "util.h"

static rk_err write_file(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return RK_OUTPUT;
    }
    int bad = fwrite(text, 1, len, fp) != len;
    bad |= fflush(fp) != 0 || ferror(fp);
    bad |= fclose(fp) != 0;
    if (bad) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
        return RK_OUTPUT;
    }
    return RK_OK;
}

/* 1 when the file starts as every script readykit writes. */
static int is_our_script(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    char head[sizeof RK_SCRIPT_MARK];
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    return n == sizeof head - 1 && !memcmp(head, RK_SCRIPT_MARK, n);
}

/* Scripts of an earlier render that this one does not write. */
static void retire_stale(const rk_scripts *s, rk_outset *out)
{
    char *dir = rk_xasprintf("%s/remediation", rk_outset_dir(out));
    DIR *dh = opendir(dir);
    if (dh) {
        struct dirent *de;
        while ((de = readdir(dh))) {
            size_t n = strlen(de->d_name);
            if (de->d_name[0] == '.' || n < 5 || strcmp(de->d_name + n - 4, ".cmd")) continue;
            char *name = rk_xasprintf("remediation/%s", de->d_name);
            int ours = 0;
            for (size_t i = 0; i < s->n && !ours; i++)
                ours = !strcmp(s->s[i].name, name) || !strcmp(s->s[i].undo_name, name);
            char *path = rk_xasprintf("%s/%s", dir, de->d_name);
            if (!ours && is_our_script(path)) rk_outset_retire(out, name);
            free(path);
            free(name);
        }
        closedir(dh);
    }
    free(dir);
}

rk_err rk_remediation_write(const rk_assessment *a, rk_tmpl *t, rk_outset *out, char *err,
                            size_t errlen)
{
    rk_remedy *plan = rk_remedy_plan(a);
    rk_scripts *s = rk_scripts_build(a, plan, t);
    rk_err e = RK_OK;
    for (size_t i = 0; i < s->n && e == RK_OK; i++) {
        e = write_file(rk_outset_stage(out, s->s[i].name), s->s[i].text, s->s[i].len, err, errlen);
        if (e == RK_OK)
            e = write_file(rk_outset_stage(out, s->s[i].undo_name), s->s[i].undo_text,
                           s->s[i].undo_len, err, errlen);
    }
    if (e == RK_OK) retire_stale(s, out);
    rk_scripts_free(s);
    rk_remedy_free(plan);
    return e;
}
