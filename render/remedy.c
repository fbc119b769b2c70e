/* remedy.c - the remediation plan: fix steps of failed and warned findings, with the
 * values as collected, checked for what a .cmd script can carry. */
#include "remedy.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts.h"
#include "util.h"

static const char *const STATE_WORDS[] = {
#define RK_RM_WORD(name, word) word,
    RK_REMEDY_STATE_MAP(RK_RM_WORD)
#undef RK_RM_WORD
};

const char *rk_remedy_state_str(rk_remedy_state s)
{
    return (unsigned)s < RK_RM_COUNT ? STATE_WORDS[s] : "?";
}

char *rk_remedy_script_name(const char *host, int undo)
{
    return rk_xasprintf("remediation/%s%s.cmd", host, undo ? "-undo" : "");
}

/* ---- what a script can carry ------------------------------------------------------- */

int rk_cmd_safe(const char *text)
{
    if (!text) return 0;
    if (text[0] == '/') return 0;
    size_t n = strlen(text);
    if (n && text[n - 1] == '\\') return 0; /* \" would escape the closing quote */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p > 0x7e) return 0;
        if (strchr("\"%!^&|<>", *p)) return 0;
    }
    return 1;
}

int rk_cmd_line_safe(const char *line)
{
    if (!line || !*line) return 0;
    int quoted = 0;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if (*p < 0x20 || *p > 0x7e || *p == '%') return 0;
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && strchr("&|<>^", *p))
            return 0;
    }
    return !quoted;
}

char rk_multi_sz_separator(const char *lines)
{
    /* characters cmd passes on unquoted as one argument of their own */
    for (const char *c = "~#+@$*"; *c; c++)
        if (!strchr(lines, *c)) return *c;
    return 0;
}

/* A Windows feature name goes into a PowerShell string in single quotes. */
static int feature_name_safe(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("-_.", *s)) return 0;
    return 1;
}

/* ---- values ------------------------------------------------------------------------- */

static int is_type(const rk_fix *f, const char *t)
{
    return f->type && !strcmp(f->type, t);
}

/* 1 when v is the value of a registry value of the fix's type, exactly as the collector
 * writes it (so that it can be written back): an integer for DWORD and QWORD (within
 * what a double holds exactly), a string for SZ and EXPAND_SZ, a list of strings for
 * MULTI_SZ. */
static int value_fits(const rk_fix *f, const cJSON *v)
{
    if (is_type(f, "REG_DWORD") || is_type(f, "REG_QWORD")) {
        if (!cJSON_IsNumber(v)) return 0;
        double d = v->valuedouble,
               max = is_type(f, "REG_DWORD") ? 4294967295.0 : 9007199254740992.0;
        return d >= 0 && d <= max && floor(d) == d;
    }
    if (is_type(f, "REG_SZ") || is_type(f, "REG_EXPAND_SZ")) return cJSON_IsString(v);
    if (is_type(f, "REG_MULTI_SZ")) {
        if (!cJSON_IsArray(v)) return 0;
        for (const cJSON *e = v->child; e; e = e->next)
            if (!cJSON_IsString(e)) return 0;
        return 1;
    }
    return 0;
}

/* 1 when the value as collected already is the fix's data. */
static int value_equals(const rk_fix *f, const cJSON *v)
{
    if (is_type(f, "REG_DWORD") || is_type(f, "REG_QWORD"))
        return (unsigned long long)v->valuedouble == strtoull(f->data, NULL, 10);
    if (cJSON_IsString(v)) return strcmp(v->valuestring, f->data) == 0;
    rk_buf b = {0};
    for (const cJSON *e = v->child; e; e = e->next)
        rk_buf_printf(&b, "%s%s", e == v->child ? "" : "\n", e->valuestring);
    int same = strcmp(b.data ? b.data : "", f->data) == 0;
    rk_buf_free(&b);
    return same;
}

/* 1 when the strings of a MULTI_SZ (lines of text, or a JSON list) can be written: each
 * safe and not empty. */
static int lines_safe(const char *text)
{
    if (!*text) return 1; /* an empty list */
    char *copy = rk_xstrdup(text);
    int ok = 1;
    for (char *s = copy, *nl; ok && s; s = nl ? nl + 1 : NULL) {
        nl = strchr(s, '\n');
        if (nl) *nl = '\0';
        ok = *s && rk_cmd_safe(s);
    }
    free(copy);
    return ok;
}

static int collected_safe(const cJSON *v)
{
    if (cJSON_IsNumber(v)) return 1;
    if (cJSON_IsString(v)) return rk_cmd_safe(v->valuestring) || !*v->valuestring;
    if (!cJSON_IsArray(v)) return 0;
    rk_buf b = {0};
    int ok = 1;
    for (const cJSON *e = v->child; e && ok; e = e->next) {
        ok = cJSON_IsString(e) && *e->valuestring && rk_cmd_safe(e->valuestring);
        if (ok) rk_buf_printf(&b, "%s\n", e->valuestring);
    }
    ok = ok && rk_multi_sz_separator(b.data ? b.data : "");
    rk_buf_free(&b);
    return ok;
}

/* Whether a leaf of the outcome tree read fact and passed: that value is already as the
 * check wants it. Negated checks are not looked into. */
static int fact_passed(const rk_outcome *o, const char *fact)
{
    if (o->reason == RK_RS_NEGATED) return 0;
    if (!o->nsubs && o->fact && !strcmp(o->fact, fact)) return o->result == RK_R_PASS;
    for (size_t i = 0; i < o->nsubs; i++)
        if (fact_passed(&o->subs[i], fact)) return 1;
    return 0;
}

/* ---- facts of a step ---------------------------------------------------------------- */

/* "HKLM\..." and "HKEY_LOCAL_MACHINE\..." name the same key. */
static const char *key_path(const char *key, char *hive)
{
    static const struct {
        const char *name;
        char hive;
    } hives[] = {{"HKLM\\", 'M'},
                 {"HKEY_LOCAL_MACHINE\\", 'M'},
                 {"HKCU\\", 'U'},
                 {"HKEY_CURRENT_USER\\", 'U'}};
    for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++)
        if (!strncasecmp(key, hives[i].name, strlen(hives[i].name))) {
            *hive = hives[i].hive;
            return key + strlen(hives[i].name);
        }
    *hive = '?';
    return key;
}

static int same_key(const char *a, const char *b)
{
    char ha, hb;
    const char *pa = key_path(a, &ha), *pb = key_path(b, &hb);
    return ha == hb && !strcasecmp(pa, pb);
}

/* The collect item of this kind and argument(s), or NULL. */
static const rk_collect *collect_item(const rk_schema *s, rk_collect_kind kind, const char *arg1,
                                      const char *arg2)
{
    for (size_t i = 0; i < s->ncollect; i++) {
        const rk_collect *c = &s->collect[i];
        if (c->kind != kind) continue;
        if (kind == RK_COLLECT_REGISTRY ? same_key(c->arg1, arg1) && !strcasecmp(c->arg2, arg2)
                                        : !strcasecmp(c->arg1, arg1))
            return c;
    }
    return NULL;
}

static const cJSON *collected_value(const rk_facts *fx, const rk_collect *c)
{
    if (!fx || !c) return NULL;
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(fx->root, "collected");
    return cJSON_IsObject(all) ? cJSON_GetObjectItemCaseSensitive(all, c->id) : NULL;
}

static rk_collected kind_of(const cJSON *v)
{
    return !v ? RK_COLL_UNKNOWN : cJSON_IsNull(v) ? RK_COLL_ABSENT : RK_COLL_VALUE;
}

typedef struct plan_ctx {
    const rk_assessment *a;
    const rk_facts *fx;
    const rk_finding *f;
    char **paths; /* fact paths made here ("collected.<id>"), owned by the plan */
    size_t npaths, cap;
} plan_ctx;

static const char *own_path(plan_ctx *p, char *s)
{
    if (p->npaths == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->paths = rk_xrealloc(p->paths, p->cap * sizeof(char *));
    }
    return p->paths[p->npaths++] = s;
}

static void registry_step(plan_ctx *p, rk_remedy_step *st)
{
    const rk_fix *f = st->fix;
    const char *fact = f->fact;
    if (!fact) {
        const rk_collect *c = collect_item(p->a->schema, RK_COLLECT_REGISTRY, f->key, f->value);
        if (c) fact = own_path(p, rk_xasprintf("collected.%s", c->id));
    }
    st->fact = fact;
    st->value = fact && p->fx ? rk_facts_get(p->fx->root, fact) : NULL;
    st->coll = kind_of(st->value);
    st->exact = st->coll == RK_COLL_VALUE && value_fits(f, st->value);
    /* a value already as required needs no command line at all */
    if ((fact && fact_passed(&p->f->why, fact)) || (st->exact && value_equals(f, st->value))) {
        st->state = RK_RM_ALREADY;
        return;
    }
    char hive;
    const char *path = key_path(f->key, &hive);
    if (!rk_cmd_safe(path) || (*f->value && !rk_cmd_safe(f->value))) {
        st->state = RK_RM_UNSAFE;
        st->unsafe = RK_UNSAFE_KEY;
        return;
    }
    int data_ok = is_type(f, "REG_MULTI_SZ") ? lines_safe(f->data) && rk_multi_sz_separator(f->data)
                  : (is_type(f, "REG_SZ") || is_type(f, "REG_EXPAND_SZ"))
                      ? rk_cmd_safe(f->data) || !*f->data
                      : 1;
    if (!data_ok) {
        st->state = RK_RM_UNSAFE;
        st->unsafe = RK_UNSAFE_DATA;
        return;
    }
    st->state = RK_RM_CHANGE;
    if (st->exact && !collected_safe(st->value)) {
        st->unsafe = RK_UNSAFE_COLLECTED; /* the change is made; the undo cannot carry it */
        st->exact = 0;
    }
}

/* The words the script may repeat from a fact file: only those it knows. */
static const char *known_word(const cJSON *v, const char *const *words)
{
    if (!cJSON_IsString(v)) return NULL;
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(words[i], v->valuestring)) return words[i];
    return NULL;
}

static const cJSON *services_entry(const rk_facts *fx, const char *name)
{
    const cJSON *svcs = fx ? cJSON_GetObjectItemCaseSensitive(fx->root, "services") : NULL;
    for (const cJSON *e = cJSON_IsObject(svcs) ? svcs->child : NULL; e; e = e->next)
        if (e->string && !strcasecmp(e->string, name)) return e;
    return NULL;
}

static void service_step(plan_ctx *p, rk_remedy_step *st, int feature_before)
{
    static const char *const states[] = {"running", "stopped", NULL};
    static const char *const starts[] = {"auto", "delayed-auto", "manual", "disabled", NULL};
    const rk_fix *f = st->fix;
    const rk_collect *c = collect_item(p->a->schema, RK_COLLECT_SERVICE, f->name, NULL);
    const cJSON *v = collected_value(p->fx, c);
    if (v) {
        st->fact = own_path(p, rk_xasprintf("collected.%s", c->id));
        if (cJSON_IsObject(v)) {
            st->state_was = known_word(cJSON_GetObjectItemCaseSensitive(v, "state"), states);
            st->start_was = known_word(cJSON_GetObjectItemCaseSensitive(v, "start_type"), starts);
        }
    } else {
        /* no collect item, or a fact file from an older plan: the base facts' state */
        v = services_entry(p->fx, f->name);
        if (v) st->fact = own_path(p, rk_xasprintf("services.%s", v->string));
        st->state_was = known_word(v, states);
    }
    st->coll = kind_of(v);
    if (!rk_cmd_safe(f->name)) {
        st->state = RK_RM_UNSAFE;
        st->unsafe = RK_UNSAFE_KEY;
        return;
    }
    if (st->coll == RK_COLL_ABSENT && !feature_before) {
        st->state = RK_RM_NO_SERVICE;
        return;
    }
    st->set_start = f->start_type && !(st->start_was && !strcmp(st->start_was, f->start_type));
    st->do_action =
        f->action && !(st->state_was &&
                       !strcmp(st->state_was, !strcmp(f->action, "start") ? "running" : "stopped"));
    st->state = st->set_start || st->do_action ? RK_RM_CHANGE : RK_RM_ALREADY;
}

static void feature_step(plan_ctx *p, rk_remedy_step *st)
{
    const rk_fix *f = st->fix;
    const rk_collect *c = collect_item(p->a->schema, RK_COLLECT_WINDOWS_FEATURE, f->name, NULL);
    if (c) st->fact = own_path(p, rk_xasprintf("collected.%s", c->id));
    const cJSON *v = collected_value(p->fx, c);
    st->coll = cJSON_IsBool(v) ? RK_COLL_VALUE : kind_of(v);
    st->installed = cJSON_IsTrue(v);
    if (!feature_name_safe(f->name)) {
        st->state = RK_RM_UNSAFE;
        st->unsafe = RK_UNSAFE_KEY;
        return;
    }
    if (st->coll == RK_COLL_VALUE && !cJSON_IsBool(v)) st->coll = RK_COLL_UNKNOWN;
    st->state = st->installed ? RK_RM_ALREADY : RK_RM_CHANGE;
}

static int same_step(const rk_remedy_step *x, const rk_remedy_step *y)
{
    const rk_fix *a = x->fix, *b = y->fix;
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case RK_FIX_REGISTRY:
        return same_key(a->key, b->key) && !strcasecmp(a->value, b->value) &&
               !strcmp(a->type, b->type) && !strcmp(a->data, b->data);
    case RK_FIX_SERVICE:
        return !strcasecmp(a->name, b->name) &&
               !strcmp(a->start_type ? a->start_type : "", b->start_type ? b->start_type : "") &&
               !strcmp(a->action ? a->action : "", b->action ? b->action : "");
    case RK_FIX_FEATURE:
        return !strcasecmp(a->name, b->name);
    default:
        return !strcmp(a->command, b->command);
    }
}

/* ---- the plan ------------------------------------------------------------------------ */

static const rk_assessment *g_plan_a; /* qsort has no context argument in C11 */

static int cmp_req(const void *x, const void *y)
{
    const rk_finding *f = &g_plan_a->findings[*(const size_t *)x];
    const rk_finding *g = &g_plan_a->findings[*(const size_t *)y];
    if (f->req != g->req) return f->req < g->req ? -1 : 1;
    return f->flow < g->flow ? -1 : f->flow > g->flow;
}

static void plan_item(plan_ctx *p, rk_remedy_host *rh, size_t fi)
{
    const rk_requirement *req = &p->a->schema->reqs[p->a->findings[fi].req];
    rk_remedy_item *it = &rh->items[rh->nitems++];
    it->finding = fi;
    it->first = rh->nsteps;
    it->count = req->nfixes;
    rh->steps = rk_xrealloc(rh->steps, (rh->nsteps + req->nfixes) * sizeof(rk_remedy_step));
    p->f = &p->a->findings[fi];
    size_t changes = 0, left = 0;
    int feature_before = 0;
    for (size_t k = 0; k < req->nfixes; k++) {
        rk_remedy_step *st = &rh->steps[rh->nsteps];
        memset(st, 0, sizeof(*st));
        st->fix = &req->fixes[k];
        switch (st->fix->kind) {
        case RK_FIX_REGISTRY:
            registry_step(p, st);
            break;
        case RK_FIX_SERVICE:
            service_step(p, st, feature_before);
            break;
        case RK_FIX_FEATURE:
            feature_step(p, st);
            break;
        default:
            st->state = rk_cmd_line_safe(st->fix->command) ? RK_RM_CHANGE : RK_RM_UNSAFE;
            if (st->state == RK_RM_UNSAFE) st->unsafe = RK_UNSAFE_COMMAND;
        }
        if (st->state == RK_RM_CHANGE)
            for (size_t j = 0; j < rh->nsteps; j++)
                if (rh->steps[j].state == RK_RM_CHANGE && same_step(&rh->steps[j], st)) {
                    st->state = RK_RM_SAME;
                    st->same_as = j;
                    break;
                }
        if (st->state == RK_RM_CHANGE || st->state == RK_RM_SAME) {
            changes++;
            if (st->fix->kind == RK_FIX_FEATURE) feature_before = 1;
        }
        if (st->state == RK_RM_UNSAFE || st->state == RK_RM_NO_SERVICE) left++;
        if (st->state == RK_RM_CHANGE) {
            rh->nchanges++;
            char hive;
            if (st->fix->kind != RK_FIX_REGISTRY || (key_path(st->fix->key, &hive), hive != 'U'))
                rh->needs_admin = 1;
        }
        rh->nsteps++;
    }
    it->how = !changes ? RK_HOW_PERSON : left ? RK_HOW_PARTLY : RK_HOW_SCRIPT;
}

rk_remedy *rk_remedy_plan(const rk_assessment *a)
{
    rk_remedy *r = rk_xcalloc(1, sizeof(*r));
    size_t nf = a->nfindings, nh = a->project->nhosts;
    r->how = rk_xcalloc(nf ? nf : 1, sizeof(int));
    r->host_of = rk_xcalloc(nf ? nf : 1, sizeof(int));
    for (size_t i = 0; i < nf; i++)
        r->how[i] = r->host_of[i] = -1;
    /* the findings to plan, bucketed by host (one pass: fleets have many) */
    size_t *start = rk_xcalloc(nh + 1, sizeof(size_t)),
           *idx = rk_xcalloc(nf ? nf : 1, sizeof(size_t));
    for (size_t i = 0; i < nf; i++) {
        const rk_finding *f = &a->findings[i];
        if ((f->status == RK_ST_FAIL || f->status == RK_ST_WARN) && a->schema->reqs[f->req].nfixes)
            start[f->host + 1]++;
    }
    for (size_t h = 0; h < nh; h++)
        start[h + 1] += start[h];
    size_t *fill = rk_xcalloc(nh ? nh : 1, sizeof(size_t));
    for (size_t i = 0; i < nf; i++) {
        const rk_finding *f = &a->findings[i];
        if ((f->status == RK_ST_FAIL || f->status == RK_ST_WARN) && a->schema->reqs[f->req].nfixes)
            idx[start[f->host] + fill[f->host]++] = i;
    }
    free(fill);
    plan_ctx p = {a, NULL, NULL, NULL, 0, 0};
    g_plan_a = a;
    for (size_t h = 0; h < nh; h++) {
        size_t k0 = start[h], k1 = start[h + 1];
        if (k0 == k1) continue;
        qsort(idx + k0, k1 - k0, sizeof(size_t), cmp_req);
        r->hosts = rk_xrealloc(r->hosts, (r->nhosts + 1) * sizeof(rk_remedy_host));
        rk_remedy_host *rh = &r->hosts[r->nhosts];
        memset(rh, 0, sizeof(*rh));
        rh->host = h;
        const char *name = a->project->hosts[h].name;
        rh->computer = rk_xstrndup(name, strcspn(name, "."));
        for (char *s = rh->computer; *s; s++)
            *s = (char)toupper((unsigned char)*s);
        rh->items = rk_xcalloc(k1 - k0, sizeof(rk_remedy_item));
        p.fx = a->facts[h];
        for (size_t k = k0; k < k1; k++) {
            plan_item(&p, rh, idx[k]);
            r->how[idx[k]] = (int)rh->items[rh->nitems - 1].how;
            r->host_of[idx[k]] = (int)r->nhosts;
        }
        r->nhosts++;
    }
    free(start);
    free(idx);
    r->paths = p.paths; /* the fact paths made while planning live as long as the plan */
    r->npaths = p.npaths;
    return r;
}

void rk_remedy_free(rk_remedy *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nhosts; i++) {
        free(r->hosts[i].computer);
        free(r->hosts[i].items);
        free(r->hosts[i].steps);
    }
    free(r->hosts);
    free(r->how);
    free(r->host_of);
    rk_strv_free(r->paths, r->npaths);
    free(r);
}

const rk_remedy_host *rk_remedy_for_host(const rk_remedy *r, size_t h)
{
    for (size_t i = 0; i < r->nhosts; i++)
        if (r->hosts[i].host == h) return r->hosts[i].nchanges ? &r->hosts[i] : NULL;
    return NULL;
}
