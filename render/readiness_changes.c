/* readiness_changes.c - the readiness report's section "Changes since the previous
 * assessment" (render --baseline). */
#include <stdlib.h>
#include <string.h>

#include "readiness_doc.h"
#include "util.h"

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static rk_tone kind_tone(rk_change_kind k)
{
    switch (k) {
    case RK_CHG_NEW_FAILURE:
    case RK_CHG_STILL_FAILING:
        return RK_TONE_FAIL;
    case RK_CHG_FIXED:
        return RK_TONE_PASS;
    case RK_CHG_NEW_UNKNOWN:
        return RK_TONE_UNKNOWN;
    case RK_CHG_WAIVER_EXPIRED:
        return RK_TONE_WARN;
    case RK_CHG_HOST_REMOVED:
        return RK_TONE_MUTED;
    case RK_CHG_HOST_ADDED:
    case RK_CHG_WAIVER_ADDED:
        return RK_TONE_INFO;
    default:
        return RK_TONE_NONE;
    }
}

/* A status or verdict word of the contract, in the document's language, with its tone. */
static void word_cell(rk_cell *c, rk_tmpl *t, const char *word)
{
    rk_status st;
    rk_verdict v;
    char key[96];
    if (!word) {
        rk_cell_set(c, "", RK_TONE_NONE);
    } else if (rk_status_parse(word, &st) == 0) {
        snprintf(key, sizeof key, "status.%s", word);
        rk_cell_set(c, rk_tmpl_get(t, key), rk_status_tone(st));
    } else if (rk_verdict_parse(word, &v) == 0) {
        snprintf(key, sizeof key, "verdict.%s", word);
        rk_cell_set(c, rk_tmpl_get(t, key), rk_verdict_tone(v));
    } else {
        rk_cell_set(c, word, RK_TONE_NONE);
    }
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

/* "2024-05-02T09:00:00Z" -> "2024-05-02"; anything else as it is. */
static void date_part(const char *s, char out[64])
{
    int64_t t;
    if (s && rk_parse_date(s, &t) == 0) {
        rk_format_date(t, out);
        return;
    }
    snprintf(out, 64, "%s", s ? s : "");
}

/* The summary table (verdict, date and digest, before and now) and the counts. */
static void changes_summary(rk_section *s, const rk_diff *x, rk_tmpl *t)
{
    rk_table *sum = rk_section_table(s, "ChangesSummary", 3);
    rk_table_col(sum, 0, rk_tmpl_get(t, "chg.col.item"), 30);
    rk_table_col(sum, 1, rk_tmpl_get(t, "chg.col.previous"), 45);
    rk_table_col(sum, 2, rk_tmpl_get(t, "chg.col.now"), 45);
    rk_cell *row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.verdict"), RK_TONE_NONE);
    word_cell(&row[1], t, x->old_verdict);
    word_cell(&row[2], t, x->new_verdict);
    char d1[64], d2[64];
    date_part(x->old_date, d1);
    date_part(x->new_date, d2);
    row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.date"), RK_TONE_NONE);
    rk_cell_set(&row[1], d1, RK_TONE_NONE);
    rk_cell_set(&row[2], d2, RK_TONE_NONE);
    row = rk_table_row(sum);
    rk_cell_set(&row[0], rk_tmpl_get(t, "chg.row.digest"), RK_TONE_NONE);
    rk_cell_set(&row[1], x->old_digest, RK_TONE_NONE);
    rk_cell_set(&row[2], x->new_digest, RK_TONE_NONE);

    char num[RK_CHG_COUNT][24];
    for (int k = 0; k < RK_CHG_COUNT; k++)
        snprintf(num[k], sizeof num[k], "%zu", x->counts[k]);
    char *counts =
        rk_tmpl_fmt(t, "chg.counts", "new_failure", num[RK_CHG_NEW_FAILURE], "fixed",
                    num[RK_CHG_FIXED], "still_failing", num[RK_CHG_STILL_FAILING], "new_unknown",
                    num[RK_CHG_NEW_UNKNOWN], "host_added", num[RK_CHG_HOST_ADDED], "host_removed",
                    num[RK_CHG_HOST_REMOVED], "waiver_added", num[RK_CHG_WAIVER_ADDED],
                    "waiver_expired", num[RK_CHG_WAIVER_EXPIRED], "other", num[RK_CHG_OTHER], NULL);
    rk_section_para(s, RK_PARA_NORMAL, x->new_failures ? RK_TONE_FAIL : RK_TONE_NONE, counts);
    free(counts);
}

/* The detail cell of a change that is not a host added or removed. */
static void change_detail(rk_cell *c, const rk_change_item *it, rk_tmpl *t)
{
    char *txt = NULL;
    if (it->kind == RK_CHG_WAIVER_ADDED || it->kind == RK_CHG_WAIVER_EXPIRED)
        txt = rk_tmpl_fmt(t,
                          it->kind == RK_CHG_WAIVER_ADDED ? "chg.detail.waiver_added"
                                                          : "chg.detail.waiver_expired",
                          "by", it->waiver_by ? it->waiver_by : "?", "expires",
                          it->waiver_expires ? it->waiver_expires : "?", NULL);
    else if (it->attested_by)
        txt = rk_tmpl_fmt(t, "chg.detail.attested", "by", it->attested_by, "date",
                          it->attested_on ? it->attested_on : "?", NULL);
    rk_cell_set(c, txt ? txt : or_empty(it->detail), RK_TONE_NONE);
    free(txt);
}

/* One row of the changes table. */
static void change_row(rk_table *tb, const rk_change_item *it, rk_tmpl *t)
{
    char key[64];
    rk_cell *row = rk_table_row(tb);
    rk_cell_set(&row[0], it->host, RK_TONE_NONE);
    rk_cell_setf(&row[1], RK_TONE_NONE, "%s%s%s", or_empty(it->requirement), it->flow ? " " : "",
                 or_empty(it->flow));
    snprintf(key, sizeof key, "chg.kind.%s", rk_change_kind_str(it->kind));
    rk_cell_set(&row[2], rk_tmpl_get(t, key), kind_tone(it->kind));
    if (it->kind == RK_CHG_HOST_ADDED || it->kind == RK_CHG_HOST_REMOVED) {
        word_cell(&row[3], t, it->kind == RK_CHG_HOST_REMOVED ? it->host_verdict : NULL);
        word_cell(&row[4], t, it->kind == RK_CHG_HOST_ADDED ? it->host_verdict : NULL);
        rk_cell_set(&row[5],
                    rk_tmpl_get(t, it->kind == RK_CHG_HOST_ADDED ? "chg.detail.host_added"
                                                                 : "chg.detail.host_removed"),
                    RK_TONE_NONE);
        return;
    }
    word_cell(&row[3], t, it->old_status);
    word_cell(&row[4], t, it->new_status);
    change_detail(&row[5], it, t);
}

void rk_readiness_changes(rk_doc *doc, const rk_diff *x, rk_tmpl *t)
{
    rk_section *s = rk_doc_section(doc, rk_tmpl_get(t, "chg.title"), 0, rk_tmpl_get(t, "chg.sheet"),
                                   RK_TARGET_ALL);
    s->new_page = 1;
    char *intro =
        rk_tmpl_fmt(t, "chg.intro", "file", base_name(x->old_path), "sha256", x->old_sha256, NULL);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, intro);
    free(intro);
    changes_summary(s, x, t);
    if (!x->nitems) {
        rk_section_para(s, RK_PARA_NOTE, RK_TONE_NONE, rk_tmpl_get(t, "chg.none"));
        return;
    }
    rk_table *tb = rk_section_table(s, "Changes", 6);
    static const struct {
        const char *key;
        double width;
    } cols[] = {{"chg.col.host", 14},   {"chg.col.requirement", 24}, {"chg.col.change", 16},
                {"chg.col.before", 13}, {"chg.col.after", 13},       {"chg.col.detail", 44}};
    for (size_t c = 0; c < 6; c++) rk_table_col(tb, c, rk_tmpl_get(t, cols[c].key), cols[c].width);
    tb->cols[3].status = 1;
    tb->cols[4].status = 1;
    tb->group_col = 0;
    for (size_t i = 0; i < x->nitems; i++) change_row(tb, &x->items[i], t);
}
