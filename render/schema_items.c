/* schema_items.c - a schema's collect items, endpoints, host details and fixes. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "schema_load.h"

static const char *const COLLECT_KINDS[] = {
#define RK_CL_WORD(name, word) word,
    RK_COLLECT_KIND_MAP(RK_CL_WORD)
#undef RK_CL_WORD
        NULL};

const char *rk_collect_kind_str(rk_collect_kind k)
{
    return (unsigned)k < RK_COLLECT_KIND_COUNT ? COLLECT_KINDS[k] : "?";
}

void rk_fix_free(rk_fix *f)
{
    free(f->key);
    free(f->value);
    free(f->type);
    free(f->data);
    free(f->name);
    free(f->start_type);
    free(f->action);
    free(f->command);
    free(f->fact);
}

void rk_schema_items_free(rk_schema *s)
{
    for (size_t i = 0; i < s->ncollect; i++) {
        free(s->collect[i].id);
        free(s->collect[i].title);
        free(s->collect[i].arg1);
        free(s->collect[i].arg2);
    }
    free(s->collect);
    for (size_t i = 0; i < s->nendpoints; i++) {
        free(s->endpoints[i].id);
        free(s->endpoints[i].title);
        free(s->endpoints[i].note);
        rk_strv_free(s->endpoints[i].addresses, s->endpoints[i].naddresses);
    }
    free(s->endpoints);
    for (size_t i = 0; i < s->ndetails; i++) {
        free(s->details[i].fact);
        free(s->details[i].label);
    }
    free(s->details);
}

/* ---- addresses ------------------------------------------------------------------------ */

int rk_address_valid(const char *s, int wildcard)
{
    return rk_addr_check_entry(s, wildcard, NULL, 0) == 0;
}

/* ---- collect --------------------------------------------------------------------------- */

static rk_err collect_kind(rk_sctx *c, const rk_node *n, rk_collect *it)
{
    const char *kind = NULL;
    TRY(rk_node_str(c->file, n, "kind", 1, &kind, c->d));
    for (int i = 0; COLLECT_KINDS[i]; i++)
        if (!strcmp(COLLECT_KINDS[i], kind)) {
            it->kind = (rk_collect_kind)i;
            return RK_OK;
        }
    const rk_node *k = rk_node_get(n, "kind");
    return rk_diag_set(c->d, c->file, k->line, k->col,
                       "unknown collect kind '%s'; expected registry, program, file_version, "
                       "service, windows_feature or file",
                       kind);
}

/* Arguments reach the collector's plan as quoted fields: no line breaks or NULs. */
static rk_err plan_safe(rk_sctx *c, const rk_node *n, const char *key, const char *v)
{
    if (!v || !strpbrk(v, "\r\n\t")) return RK_OK;
    const rk_node *k = rk_node_get(n, key);
    return rk_diag_set(c->d, c->file, k->line, k->col,
                       "'%s' has a line break or tab; expected one line", key);
}

static rk_err collect_args(rk_sctx *c, const rk_node *n, rk_collect *it)
{
    static const char *const reg[] = {"id", "kind", "title", "roles", "key", "value", NULL};
    static const char *const named[] = {"id", "kind", "title", "roles", "name", NULL};
    static const char *const path[] = {"id", "kind", "title", "roles", "path", NULL};
    switch (it->kind) {
    case RK_COLLECT_REGISTRY: {
        TRY(rk_node_only_keys(c->file, n, reg, c->d));
        TRY(rk_sctx_dup(c, n, "key", 1, &it->arg1));
        if (strncmp(it->arg1, "HKLM\\", 5) && strncmp(it->arg1, "HKCU\\", 5)) {
            const rk_node *k = rk_node_get(n, "key");
            return rk_diag_set(c->d, c->file, k->line, k->col,
                               "registry key '%s' has no hive; expected HKLM\\... or HKCU\\...",
                               it->arg1);
        }
        const char *v = NULL;
        TRY(rk_node_str(c->file, n, "value", 0, &v, c->d));
        if (!rk_node_get(n, "value"))
            return rk_diag_set(c->d, c->file, n->line, n->col,
                               "missing required key 'value'; expected the value's name ('' for "
                               "the default value)");
        it->arg2 = rk_xstrdup(v ? v : "");
        TRY(plan_safe(c, n, "value", it->arg2));
        return plan_safe(c, n, "key", it->arg1);
    }
    case RK_COLLECT_PROGRAM:
    case RK_COLLECT_SERVICE:
    case RK_COLLECT_WINDOWS_FEATURE:
        TRY(rk_node_only_keys(c->file, n, named, c->d));
        TRY(rk_sctx_dup(c, n, "name", 1, &it->arg1));
        return plan_safe(c, n, "name", it->arg1);
    default:
        TRY(rk_node_only_keys(c->file, n, path, c->d));
        TRY(rk_sctx_dup(c, n, "path", 1, &it->arg1));
        return plan_safe(c, n, "path", it->arg1);
    }
}

static rk_err load_collect_item(rk_sctx *c, const rk_node *n, rk_collect *it)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a collect item is %s; expected {id, kind, ...}", rk_node_kind(n));
    it->line = n->line;
    TRY(rk_sctx_id(c, n, "id", 'c', &it->id));
    TRY(collect_kind(c, n, it));
    TRY(collect_args(c, n, it));
    TRY(rk_sctx_dup(c, n, "title", 0, &it->title));
    if (rk_node_get(n, "roles")) TRY(rk_sctx_roles(c, n, "roles", &it->roles, NULL));
    return RK_OK;
}

rk_err rk_schema_load_collect(rk_sctx *c, const rk_node *root)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, "collect", 0, &seq, c->d));
    if (!seq) return RK_OK;
    rk_schema *s = c->s;
    s->collect = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_collect));
    for (size_t i = 0; i < seq->count; i++) {
        s->ncollect++;
        TRY(load_collect_item(c, seq->items[i], &s->collect[i]));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->collect[j].id, s->collect[i].id))
                return rk_diag_set(c->d, c->file, seq->items[i]->line, seq->items[i]->col,
                                   "duplicate collect item '%s' (first at line %d)",
                                   s->collect[i].id, s->collect[j].line);
    }
    return RK_OK;
}

/* ---- endpoints --------------------------------------------------------------------------- */

static rk_err load_endpoint(rk_sctx *c, const rk_node *n, rk_endpoint *e)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "an endpoint is %s; expected {id, title, addresses}", rk_node_kind(n));
    static const char *const allowed[] = {"id", "title", "addresses", "note", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    e->line = n->line;
    TRY(rk_sctx_id(c, n, "id", 'r', &e->id));
    TRY(rk_sctx_dup(c, n, "title", 1, &e->title));
    TRY(rk_sctx_dup(c, n, "note", 0, &e->note));
    TRY(rk_sctx_list(c, n, "addresses", 1, &e->addresses, &e->naddresses));
    const rk_node *an = rk_node_get(n, "addresses");
    for (size_t i = 0; i < e->naddresses; i++) {
        char why[160] = "";
        int bad = rk_addr_check_entry(e->addresses[i], 1, why, sizeof why);
        if (bad == -2)
            return rk_diag_set(c->d, c->file, an->items[i]->line, an->items[i]->col,
                               "'%s' is not an address; expected a host name, an IPv4 or IPv6 "
                               "address or a CIDR block",
                               e->addresses[i]);
        if (bad)
            return rk_diag_set(c->d, c->file, an->items[i]->line, an->items[i]->col, "'%s' %s",
                               e->addresses[i], why);
    }
    return RK_OK;
}

rk_err rk_schema_load_endpoints(rk_sctx *c, const rk_node *root)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, "endpoints", 0, &seq, c->d));
    if (!seq) return RK_OK;
    if (seq->count > RK_SCHEMA_MAX_NAMED)
        return rk_diag_set(c->d, c->file, seq->line, seq->col, "more than %d endpoints",
                           RK_SCHEMA_MAX_NAMED);
    rk_schema *s = c->s;
    s->endpoints = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_endpoint));
    for (size_t i = 0; i < seq->count; i++) {
        s->nendpoints++;
        TRY(load_endpoint(c, seq->items[i], &s->endpoints[i]));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->endpoints[j].id, s->endpoints[i].id))
                return rk_diag_set(c->d, c->file, seq->items[i]->line, seq->items[i]->col,
                                   "duplicate endpoint '%s' (first at line %d)",
                                   s->endpoints[i].id, s->endpoints[j].line);
    }
    return RK_OK;
}

/* ---- host details --------------------------------------------------------------------------- */

rk_err rk_schema_load_details(rk_sctx *c, const rk_node *root)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, "host_details", 0, &seq, c->d));
    if (!seq) return RK_OK;
    rk_schema *s = c->s;
    s->details = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_host_detail));
    for (size_t i = 0; i < seq->count; i++) {
        const rk_node *n = seq->items[i];
        if (n->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, n->line, n->col,
                               "a host detail is %s; expected {fact, label, format}",
                               rk_node_kind(n));
        static const char *const allowed[] = {"fact", "label", "format", NULL};
        TRY(rk_node_only_keys(c->file, n, allowed, c->d));
        rk_host_detail *h = &s->details[s->ndetails++];
        TRY(rk_sctx_dup(c, n, "fact", 1, &h->fact));
        TRY(rk_sctx_dup(c, n, "label", 1, &h->label));
        TRY(rk_sctx_format(c, n, "format", &h->format));
        for (size_t j = 0; j + 1 < s->ndetails; j++)
            if (!strcmp(s->details[j].fact, h->fact))
                return rk_diag_set(c->d, c->file, n->line, n->col,
                                   "host detail '%s' is listed twice; expected each fact once",
                                   h->fact);
    }
    return RK_OK;
}

/* ---- fixes ----------------------------------------------------------------------------------- */

static rk_err word_in(rk_sctx *c, const rk_node *n, const char *key, const char *v,
                      const char *const *words, const char *expected)
{
    for (int i = 0; words[i]; i++)
        if (!strcmp(words[i], v)) return RK_OK;
    const rk_node *k = rk_node_get(n, key);
    return rk_diag_set(c->d, c->file, k->line, k->col, "'%s' is '%s'; expected %s", key, v,
                       expected);
}

/* `fact` names where the value as collected is: a documented fact path, or
 * collected.<id> of one of the schema's collect items. */
static rk_err fix_fact(rk_sctx *c, const rk_node *n, rk_fix *f)
{
    TRY(rk_sctx_dup(c, n, "fact", 0, &f->fact));
    if (!f->fact) return RK_OK;
    const rk_node *k = rk_node_get(n, "fact");
    if (!*f->fact || strspn(f->fact, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.$") !=
                         strlen(f->fact) || f->fact[0] == '.' || f->fact[strlen(f->fact) - 1] == '.' ||
        strstr(f->fact, ".."))
        return rk_diag_set(c->d, c->file, k->line, k->col,
                           "'fact' is '%s'; expected a dotted fact path such as settings.uac_enable_lua",
                           f->fact);
    if (strncmp(f->fact, "collected.", 10) != 0) return RK_OK;
    char id[80];
    size_t len = strcspn(f->fact + 10, ".");
    if (len < sizeof id) {
        memcpy(id, f->fact + 10, len);
        id[len] = '\0';
        if (rk_schema_collect_item(c->s, id) >= 0) return RK_OK;
    }
    return rk_diag_set(c->d, c->file, k->line, k->col,
                       "fact '%s' names no collect item of this schema; expected collected.<id> of "
                       "an item under 'collect'",
                       f->fact);
}

static rk_err fix_registry(rk_sctx *c, const rk_node *n, rk_fix *f)
{
    static const char *const allowed[] = {"key", "value", "type", "data", "fact", NULL};
    static const char *const types[] = {"REG_DWORD", "REG_QWORD", "REG_SZ", "REG_EXPAND_SZ",
                                        "REG_MULTI_SZ", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    TRY(rk_sctx_dup(c, n, "key", 1, &f->key));
    if (strncmp(f->key, "HKLM\\", 5) && strncmp(f->key, "HKCU\\", 5)) {
        const rk_node *k = rk_node_get(n, "key");
        return rk_diag_set(c->d, c->file, k->line, k->col,
                           "registry key '%s' has no hive; expected HKLM\\... or HKCU\\...", f->key);
    }
    const char *v = NULL;
    TRY(rk_node_str(c->file, n, "value", 1, &v, c->d));
    f->value = rk_xstrdup(v);
    TRY(rk_sctx_dup(c, n, "type", 1, &f->type));
    TRY(word_in(c, n, "type", f->type, types,
                "REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ"));
    const rk_node *dn = rk_node_get(n, "data");
    if (!dn)
        return rk_diag_set(c->d, c->file, n->line, n->col, "missing required key 'data'");
    if (dn->type == RK_NODE_SEQ) {
        if (strcmp(f->type, "REG_MULTI_SZ"))
            return rk_diag_set(c->d, c->file, dn->line, dn->col,
                               "'data' is a list; only REG_MULTI_SZ takes one");
        rk_buf b = {0};
        for (size_t i = 0; i < dn->count; i++)
            rk_buf_printf(&b, "%s%s", i ? "\n" : "", dn->items[i]->value ? dn->items[i]->value : "");
        f->data = rk_buf_take(&b);
        return fix_fact(c, n, f);
    }
    if (dn->type != RK_NODE_SCALAR)
        return rk_diag_set(c->d, c->file, dn->line, dn->col, "'data' is %s; expected a value",
                           rk_node_kind(dn));
    int numeric = !strcmp(f->type, "REG_DWORD") || !strcmp(f->type, "REG_QWORD");
    if (numeric && (dn->quoted || !*dn->value || strspn(dn->value, "0123456789") != strlen(dn->value)))
        return rk_diag_set(c->d, c->file, dn->line, dn->col,
                           "'data' is '%s'; a %s takes a whole number of zero or more", dn->value,
                           f->type);
    if (numeric && (strlen(dn->value) > 20 ||
                    strtoull(dn->value, NULL, 10) > (strcmp(f->type, "REG_DWORD") ? UINT64_MAX : UINT32_MAX) ||
                    (strlen(dn->value) == 20 && strcmp(dn->value, "18446744073709551615") > 0)))
        return rk_diag_set(c->d, c->file, dn->line, dn->col, "'data' is too large for a %s", f->type);
    f->data = rk_xstrdup(dn->value);
    return fix_fact(c, n, f);
}

static rk_err fix_service(rk_sctx *c, const rk_node *n, rk_fix *f)
{
    static const char *const allowed[] = {"name", "start_type", "action", NULL};
    static const char *const starts[] = {"auto", "delayed-auto", "manual", "disabled", NULL};
    static const char *const actions[] = {"start", "stop", NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    TRY(rk_sctx_dup(c, n, "name", 1, &f->name));
    TRY(rk_sctx_dup(c, n, "start_type", 0, &f->start_type));
    TRY(rk_sctx_dup(c, n, "action", 0, &f->action));
    if (f->start_type)
        TRY(word_in(c, n, "start_type", f->start_type, starts,
                    "auto, delayed-auto, manual or disabled"));
    if (f->action) TRY(word_in(c, n, "action", f->action, actions, "start or stop"));
    if (!f->start_type && !f->action)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a service fix needs 'start_type', 'action' or both");
    return RK_OK;
}

static rk_err load_fix(rk_sctx *c, const rk_node *n, rk_fix *f)
{
    f->line = n->line;
    if (n->type != RK_NODE_MAP || n->count != 1)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a fix step is %s; expected one of {registry: ...}, {service: ...}, "
                           "{windows_feature: ...}, {command: ...}",
                           n->type == RK_NODE_MAP ? "a mapping of several keys" : rk_node_kind(n));
    const char *what = n->keys[0]->value;
    const rk_node *body = n->items[0];
    if (!strcmp(what, "command")) {
        f->kind = RK_FIX_COMMAND;
        TRY(rk_sctx_dup(c, n, "command", 1, &f->command));
        return plan_safe(c, n, "command", f->command);
    }
    if (strcmp(what, "registry") && strcmp(what, "service") && strcmp(what, "windows_feature"))
        return rk_diag_set(c->d, c->file, n->keys[0]->line, n->keys[0]->col,
                           "unknown fix '%s'; expected registry, service, windows_feature or "
                           "command",
                           what);
    if (body->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, body->line, body->col, "'%s' is %s; expected a mapping",
                           what, rk_node_kind(body));
    if (!strcmp(what, "registry")) {
        f->kind = RK_FIX_REGISTRY;
        return fix_registry(c, body, f);
    }
    if (!strcmp(what, "service")) {
        f->kind = RK_FIX_SERVICE;
        return fix_service(c, body, f);
    }
    f->kind = RK_FIX_FEATURE;
    static const char *const allowed[] = {"name", NULL};
    TRY(rk_node_only_keys(c->file, body, allowed, c->d));
    return rk_sctx_dup(c, body, "name", 1, &f->name);
}

rk_err rk_schema_load_fixes(rk_sctx *c, const rk_node *req, rk_requirement *r)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, req, "fix", 0, &seq, c->d));
    if (!seq) return RK_OK;
    r->fixes = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_fix));
    for (size_t i = 0; i < seq->count; i++) {
        r->nfixes++;
        TRY(load_fix(c, seq->items[i], &r->fixes[i]));
    }
    return RK_OK;
}
