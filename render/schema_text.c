/* schema_text.c - checks a schema translation against its schema and applies it. */
#include "schema_text.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yaml_tree.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        if ((expr) != RK_OK) return RK_INPUT;                                          \
    } while (0)

char *rk_schema_text_path(const char *schema_dir, const rk_schema *s, const char *lang)
{
    return rk_xasprintf("%s/%s.%s.yaml", schema_dir, s->id, lang);
}

/* The replacements found, applied only when the whole file is good. */
typedef struct repl {
    char **slot;  /* the schema's string */
    char *text;   /* owned until applied */
} repl;

typedef struct tctx {
    const char *file;
    rk_schema *s;
    rk_diag *d;
    repl *r;
    size_t n, cap;
} tctx;

static void add(tctx *c, char **slot, const char *text)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->r = rk_xrealloc(c->r, c->cap * sizeof(repl));
    }
    c->r[c->n].slot = slot;
    c->r[c->n].text = rk_xstrdup(text);
    c->n++;
}

static int replaced(const tctx *c, char **slot)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->r[i].slot == slot) return 1;
    return 0;
}

/* One text of an entry: "key: text", where the English has the same text. */
static rk_err text(tctx *c, const rk_node *entry, const char *key, char **slot, const char *what)
{
    const rk_node *n = rk_node_get(entry, key);
    if (!n) return RK_OK;
    if (n->type != RK_NODE_SCALAR || !n->value[0])
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is %s; expected text", key,
                           n->type == RK_NODE_SCALAR ? "empty" : rk_node_kind(n));
    if (!slot || !*slot)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "%s has no '%s' in the schema; expected only texts the schema has",
                           what, key);
    add(c, slot, n->value);
    return RK_OK;
}

static rk_err entry_map(tctx *c, const rk_node *n, const char *const *keys, const char *what)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "%s is %s; expected a mapping", what,
                           rk_node_kind(n));
    return rk_node_only_keys(c->file, n, keys, c->d);
}

static rk_err unknown_id(tctx *c, const rk_node *key, const char *group)
{
    return rk_diag_set(c->d, c->file, key->line, key->col,
                       "%s '%s' does not exist in schema '%s'; expected an id the schema has",
                       group, key->value, c->s->id);
}

static rk_err steps(tctx *c, const rk_node *entry, rk_requirement *r)
{
    const rk_node *n = rk_node_get(entry, "steps");
    if (!n) return RK_OK;
    if (n->type != RK_NODE_SEQ)
        return rk_diag_set(c->d, c->file, n->line, n->col, "'steps' is %s; expected a list",
                           rk_node_kind(n));
    if (r->check.kind != RK_CHECK_MANUAL || n->count != r->check.nsteps)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'steps' has %zu steps; expected %zu, as requirement %s has", n->count,
                           r->check.nsteps, r->id);
    for (size_t i = 0; i < n->count; i++) {
        const rk_node *it = n->items[i];
        if (it->type != RK_NODE_SCALAR || !it->value[0])
            return rk_diag_set(c->d, c->file, it->line, it->col, "a step is %s; expected text",
                               it->type == RK_NODE_SCALAR ? "empty" : rk_node_kind(it));
        add(c, &r->check.steps[i], it->value);
    }
    return RK_OK;
}

static rk_err requirements(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"title", "seed", "expected", "remediation", "note", "steps",
                                       NULL};
    for (size_t i = 0; i < map->count; i++) {
        rk_requirement *r = (rk_requirement *)rk_schema_req(c->s, map->keys[i]->value);
        if (!r) return unknown_id(c, map->keys[i], "requirement");
        const rk_node *e = map->items[i];
        TRY(entry_map(c, e, keys, r->id));
        TRY(text(c, e, "title", &r->title, r->id));
        TRY(text(c, e, "seed", &r->seed, r->id));
        TRY(text(c, e, "expected", &r->expected, r->id));
        TRY(text(c, e, "remediation", &r->remediation, r->id));
        TRY(text(c, e, "note", &r->note, r->id));
        TRY(steps(c, e, r));
    }
    return RK_OK;
}

static rk_err named(tctx *c, const rk_node *map, rk_named *v, size_t nv, const char *group)
{
    static const char *const keys[] = {"title", NULL};
    for (size_t i = 0; i < map->count; i++) {
        size_t k = 0;
        while (k < nv && strcmp(v[k].id, map->keys[i]->value)) k++;
        if (k == nv) return unknown_id(c, map->keys[i], group);
        TRY(entry_map(c, map->items[i], keys, v[k].id));
        TRY(text(c, map->items[i], "title", &v[k].title, v[k].id));
    }
    return RK_OK;
}

static rk_err params(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"title", "description", NULL};
    for (size_t i = 0; i < map->count; i++) {
        int k = rk_schema_param(c->s, map->keys[i]->value);
        if (k < 0) return unknown_id(c, map->keys[i], "parameter");
        rk_parameter *p = &c->s->params[k];
        TRY(entry_map(c, map->items[i], keys, p->id));
        TRY(text(c, map->items[i], "title", &p->title, p->id));
        TRY(text(c, map->items[i], "description", &p->description, p->id));
    }
    return RK_OK;
}

static rk_err endpoints(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"title", "note", NULL};
    for (size_t i = 0; i < map->count; i++) {
        int k = rk_schema_endpoint(c->s, map->keys[i]->value);
        if (k < 0) return unknown_id(c, map->keys[i], "endpoint");
        rk_endpoint *e = &c->s->endpoints[k];
        TRY(entry_map(c, map->items[i], keys, e->id));
        TRY(text(c, map->items[i], "title", &e->title, e->id));
        TRY(text(c, map->items[i], "note", &e->note, e->id));
    }
    return RK_OK;
}

static rk_err collect(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"title", NULL};
    for (size_t i = 0; i < map->count; i++) {
        int k = rk_schema_collect_item(c->s, map->keys[i]->value);
        if (k < 0) return unknown_id(c, map->keys[i], "collect item");
        rk_collect *it = &c->s->collect[k];
        TRY(entry_map(c, map->items[i], keys, it->id));
        TRY(text(c, map->items[i], "title", &it->title, it->id));
    }
    return RK_OK;
}

static rk_err details(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"label", NULL};
    for (size_t i = 0; i < map->count; i++) {
        size_t k = 0;
        while (k < c->s->ndetails && strcmp(c->s->details[k].fact, map->keys[i]->value)) k++;
        if (k == c->s->ndetails) return unknown_id(c, map->keys[i], "host detail");
        TRY(entry_map(c, map->items[i], keys, c->s->details[k].fact));
        TRY(text(c, map->items[i], "label", &c->s->details[k].label, c->s->details[k].fact));
    }
    return RK_OK;
}

static rk_err sections(tctx *c, const rk_node *map)
{
    for (size_t i = 0; i < map->count; i++) {
        const rk_node *key = map->keys[i], *v = map->items[i];
        int found = 0;
        if (v->type != RK_NODE_SCALAR || !v->value[0])
            return rk_diag_set(c->d, c->file, v->line, v->col, "section '%s' is %s; expected text",
                               key->value, v->type == RK_NODE_SCALAR ? "empty" : rk_node_kind(v));
        for (size_t r = 0; r < c->s->nreqs; r++)
            if (!strcmp(c->s->reqs[r].section, key->value)) {
                add(c, &c->s->reqs[r].section, v->value);
                found = 1;
            }
        if (!found) return unknown_id(c, key, "section");
    }
    return RK_OK;
}

static rk_err flows(tctx *c, const rk_node *map)
{
    static const char *const keys[] = {"from_label", "to_label", "component", "remark", "note",
                                       NULL};
    for (size_t i = 0; i < map->count; i++) {
        const rk_node *key = map->keys[i];
        char *end;
        long row = strtol(key->value, &end, 10);
        if (*end || row < 1 || (size_t)row > c->s->nflows) return unknown_id(c, key, "flow row");
        rk_flow_row *f = &c->s->flows[row - 1];
        const rk_node *e = map->items[i];
        TRY(entry_map(c, e, keys, key->value));
        TRY(text(c, e, "from_label", &f->from_label, key->value));
        TRY(text(c, e, "to_label", &f->to_label, key->value));
        TRY(text(c, e, "component", &f->component, key->value));
        TRY(text(c, e, "remark", &f->remark, key->value));
        TRY(text(c, e, "note", &f->note, key->value));
    }
    return RK_OK;
}

static rk_err header(tctx *c, const rk_node *root, const char *lang)
{
    if (root->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, root->line, root->col,
                           "the file is %s; expected a mapping with format: readykit-schema-text/1",
                           rk_node_kind(root));
    static const char *const keys[] = {"format",    "schema",   "language", "title",
                                       "roles",     "scenarios", "parameters", "endpoints",
                                       "collect",   "host_details", "sections", "requirements",
                                       "flows",     NULL};
    TRY(rk_node_only_keys(c->file, root, keys, c->d));
    const char *v = NULL;
    TRY(rk_node_str(c->file, root, "format", 1, &v, c->d));
    if (strcmp(v, "readykit-schema-text/1")) {
        const rk_node *n = rk_node_get(root, "format");
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "unknown format '%s'; expected readykit-schema-text/1", v);
    }
    TRY(rk_node_str(c->file, root, "schema", 1, &v, c->d));
    if (strcmp(v, c->s->id)) {
        const rk_node *n = rk_node_get(root, "schema");
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a translation of schema '%s'; expected one of '%s'", v, c->s->id);
    }
    TRY(rk_node_str(c->file, root, "language", 1, &v, c->d));
    if (lang && strcmp(v, lang)) {
        const rk_node *n = rk_node_get(root, "language");
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a translation into '%s'; expected '%s' as its file name says", v, lang);
    }
    return text(c, root, "title", &c->s->title, "the schema");
}

static rk_err groups(tctx *c, const rk_node *root)
{
    static const char *const names[] = {"roles",    "scenarios", "parameters", "endpoints",
                                        "collect",  "host_details", "sections", "requirements",
                                        "flows",    NULL};
    for (int g = 0; names[g]; g++) {
        const rk_node *m = NULL;
        TRY(rk_node_map(c->file, root, names[g], 0, &m, c->d));
        if (!m) continue;
        rk_schema *s = c->s;
        switch (g) {
        case 0: TRY(named(c, m, s->roles, s->nroles, "role")); break;
        case 1: TRY(named(c, m, s->scenarios, s->nscenarios, "scenario")); break;
        case 2: TRY(params(c, m)); break;
        case 3: TRY(endpoints(c, m)); break;
        case 4: TRY(collect(c, m)); break;
        case 5: TRY(details(c, m)); break;
        case 6: TRY(sections(c, m)); break;
        case 7: TRY(requirements(c, m)); break;
        default: TRY(flows(c, m)); break;
        }
    }
    return RK_OK;
}

/* ---- what is still English ------------------------------------------------------------ */

typedef struct missing_list {
    char **v;
    size_t n;
} missing_list;

static void note_missing(const tctx *c, missing_list *m, char **slot, const char *fmt, const char *id,
                         const char *field)
{
    if (!slot || !*slot || replaced(c, slot)) return;
    m->v = rk_xrealloc(m->v, (m->n + 1) * sizeof(char *));
    m->v[m->n++] = rk_xasprintf(fmt, id, field);
}

static void list_missing(const tctx *c, missing_list *m)
{
    rk_schema *s = c->s;
    note_missing(c, m, &s->title, "%s%s", "", "title");
    for (size_t i = 0; i < s->nroles; i++) note_missing(c, m, &s->roles[i].title, "roles.%s.%s", s->roles[i].id, "title");
    for (size_t i = 0; i < s->nscenarios; i++)
        note_missing(c, m, &s->scenarios[i].title, "scenarios.%s.%s", s->scenarios[i].id, "title");
    for (size_t i = 0; i < s->nparams; i++) {
        note_missing(c, m, &s->params[i].title, "parameters.%s.%s", s->params[i].id, "title");
        note_missing(c, m, &s->params[i].description, "parameters.%s.%s", s->params[i].id, "description");
    }
    for (size_t i = 0; i < s->nendpoints; i++) {
        note_missing(c, m, &s->endpoints[i].title, "endpoints.%s.%s", s->endpoints[i].id, "title");
        note_missing(c, m, &s->endpoints[i].note, "endpoints.%s.%s", s->endpoints[i].id, "note");
    }
    for (size_t i = 0; i < s->ncollect; i++)
        note_missing(c, m, &s->collect[i].title, "collect.%s.%s", s->collect[i].id, "title");
    for (size_t i = 0; i < s->ndetails; i++)
        note_missing(c, m, &s->details[i].label, "host_details.%s.%s", s->details[i].fact, "label");
    for (size_t i = 0; i < s->nreqs; i++) {
        rk_requirement *r = &s->reqs[i];
        static const char *const f[] = {"title", "seed", "expected", "remediation", "note", "section"};
        char **slots[] = {&r->title, &r->seed, &r->expected, &r->remediation, &r->note, &r->section};
        for (int k = 0; k < 6; k++) note_missing(c, m, slots[k], "requirements.%s.%s", r->id, f[k]);
        for (size_t k = 0; k < r->check.nsteps && k < 1; k++)
            note_missing(c, m, &r->check.steps[k], "requirements.%s.%s", r->id, "steps");
    }
    for (size_t i = 0; i < s->nflows; i++) {
        rk_flow_row *f = &s->flows[i];
        char row[24];
        snprintf(row, sizeof row, "%d", f->row);
        char **slots[] = {&f->from_label, &f->to_label, &f->component, &f->remark, &f->note};
        static const char *const names[] = {"from_label", "to_label", "component", "remark", "note"};
        for (int k = 0; k < 5; k++) note_missing(c, m, slots[k], "flows.%s.%s", row, names[k]);
    }
}

rk_err rk_schema_text_apply(rk_schema *s, const char *path, const char *lang, char sha256[65],
                            char ***missing, size_t *nmissing, rk_diag *d)
{
    *missing = NULL;
    *nmissing = 0;
    rk_node *root = rk_yaml_load(path, sha256, d);
    if (!root) return RK_INPUT;
    tctx c = {path, s, d, NULL, 0, 0};
    rk_err e = header(&c, root, lang);
    if (e == RK_OK) e = groups(&c, root);
    const rk_node *ln = root->type == RK_NODE_MAP ? rk_node_get(root, "language") : NULL;
    if (e == RK_OK) {
        missing_list m = {0};
        list_missing(&c, &m);
        *missing = m.v;
        *nmissing = m.n;
        for (size_t i = 0; i < c.n; i++) {
            free(*c.r[i].slot);
            *c.r[i].slot = c.r[i].text;
            c.r[i].text = NULL;
        }
        free(s->lang);
        s->lang = rk_xstrdup(ln ? ln->value : lang);
        free(s->text_path);
        s->text_path = rk_xstrdup(path);
        memcpy(s->text_sha256, sha256, 65);
    }
    for (size_t i = 0; i < c.n; i++) free(c.r[i].text);
    free(c.r);
    rk_node_free(root);
    return e;
}
