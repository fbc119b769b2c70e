/* diff_print.c - `readykit diff` output: the changes as text or as JSON
 * (readykit-diff/1). */
#include "diff_print.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util.h"

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static const char *const TEXT_LABEL[RK_CHG_COUNT] = {
    "new failure",  "fixed",        "still failing",  "newly unknown", "host added",
    "host removed", "waiver added", "waiver expired", "other change"};

/* Summary words: singular and plural. */
static const char *const SUMMARY[RK_CHG_COUNT][2] = {
    {"new failure", "new failures"},    {"fixed", "fixed"},
    {"still failing", "still failing"}, {"newly unknown", "newly unknown"},
    {"host added", "hosts added"},      {"host removed", "hosts removed"},
    {"waiver added", "waivers added"},  {"waiver expired", "waivers expired"},
    {"other change", "other changes"}};

static void print_text(const rk_diff *x, FILE *fp)
{
    fprintf(fp, "old: %s (%s, %s)\n", x->old_path ? x->old_path : "-", or_empty(x->old_verdict),
            x->old_date ? x->old_date : "no date");
    fprintf(fp, "new: %s (%s, %s)\n", x->new_path ? x->new_path : "this assessment",
            or_empty(x->new_verdict), x->new_date ? x->new_date : "no date");
    size_t wreq = 11, wst = 4;
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        size_t l = it->requirement ? strlen(it->requirement) : 0;
        if (it->flow) l += 1 + strlen(it->flow);
        if (l > wreq) wreq = l;
        l = strlen(it->old_status ? it->old_status : "-") + 4 +
            strlen(it->new_status ? it->new_status : "-");
        if (l > wst) wst = l;
    }
    const char *host = NULL;
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        if (!host || strcmp(host, it->host) != 0) {
            fprintf(fp, "\n%s\n", it->host);
            host = it->host;
        }
        char req[512], st[128];
        snprintf(req, sizeof req, "%s%s%s", or_empty(it->requirement), it->flow ? " " : "",
                 or_empty(it->flow));
        if (it->old_status || it->new_status)
            snprintf(st, sizeof st, "%s -> %s", it->old_status ? it->old_status : "-",
                     it->new_status ? it->new_status : "-");
        else
            st[0] = '\0';
        int has_detail = it->detail && *it->detail;
        if (has_detail)
            fprintf(fp, "  %-14s  %-*s  %-*s  %s\n", TEXT_LABEL[it->kind], (int)wreq, req, (int)wst,
                    st, it->detail);
        else if (st[0] || req[0])
            fprintf(fp, "  %-14s  %-*s  %s\n", TEXT_LABEL[it->kind], (int)wreq, req, st);
        else
            fprintf(fp, "  %s\n", TEXT_LABEL[it->kind]);
    }
    if (!x->nitems) fputs("\nno changes\n", fp);
    fputs("\nsummary: ", fp);
    for (int k = 0; k < RK_CHG_COUNT; k++)
        fprintf(fp, "%s%zu %s", k ? ", " : "", x->counts[k], SUMMARY[k][x->counts[k] != 1]);
    fprintf(fp, "; verdict %s -> %s\n", or_empty(x->old_verdict), or_empty(x->new_verdict));
}

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void print_json(const rk_diff *x, FILE *fp)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "readykit-diff/1");
    cJSON *o = cJSON_AddObjectToObject(root, "old");
    add_str_or_null(o, "path", x->old_path);
    add_str_or_null(o, "verdict", x->old_verdict);
    add_str_or_null(o, "date", x->old_date);
    add_str_or_null(o, "digest", x->old_digest[0] ? x->old_digest : NULL);
    add_str_or_null(o, "sha256", x->old_sha256[0] ? x->old_sha256 : NULL);
    cJSON *n = cJSON_AddObjectToObject(root, "new");
    add_str_or_null(n, "path", x->new_path);
    add_str_or_null(n, "verdict", x->new_verdict);
    add_str_or_null(n, "date", x->new_date);
    add_str_or_null(n, "digest", x->new_digest[0] ? x->new_digest : NULL);
    cJSON *changes = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < x->nitems; i++) {
        const rk_change_item *it = &x->items[i];
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "kind", rk_change_kind_str(it->kind));
        cJSON_AddStringToObject(c, "host", it->host);
        add_str_or_null(c, "requirement", it->requirement);
        if (it->flow) cJSON_AddStringToObject(c, "flow", it->flow);
        add_str_or_null(c, "old_status", it->old_status);
        add_str_or_null(c, "new_status", it->new_status);
        add_str_or_null(c, "detail", it->detail);
        cJSON_AddItemToArray(changes, c);
    }
    cJSON *counts = cJSON_AddObjectToObject(root, "counts");
    for (int k = 0; k < RK_CHG_COUNT; k++)
        cJSON_AddNumberToObject(counts, rk_change_kind_str((rk_change_kind)k),
                                (double)x->counts[k]);
    cJSON_AddNumberToObject(root, "new_failures", (double)x->new_failures);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        fputs("{}\n", fp);
        return;
    }
    fputs(text, fp);
    fputc('\n', fp);
    cJSON_free(text);
}

void rk_diff_print(const rk_diff *x, int json, FILE *fp)
{
    if (json)
        print_json(x, fp);
    else
        print_text(x, fp);
}

