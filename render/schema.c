/* schema.c - loads and validates a requirement schema (format readykit-schema/2): the
 * top level, roles and scenarios, requirements and the network table. Parameters and
 * `when` are in schema_params.c, checks in schema_check.c, collect items, endpoints,
 * host details and fixes in schema_items.c. */
#include "schema.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema_load.h"

static void named_free(rk_named *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
    }
    free(v);
}

static void req_free(rk_requirement *r)
{
    free(r->id);
    free(r->title);
    free(r->section);
    free(r->seed);
    free(r->expected);
    free(r->remediation);
    free(r->note);
    rk_strv_free(r->refs, r->nrefs);
    rk_check_free(&r->check);
    rk_when_free(&r->when);
    for (size_t i = 0; i < r->nfixes; i++) rk_fix_free(&r->fixes[i]);
    free(r->fixes);
}

static void flow_free(rk_flow_row *f)
{
    free(f->from_label);
    free(f->to_label);
    free(f->component);
    free(f->protocol);
    free(f->port);
    free(f->remark);
    free(f->note);
    rk_when_free(&f->when);
}

void rk_schema_free(rk_schema *s)
{
    if (!s) return;
    free(s->path);
    free(s->id);
    free(s->title);
    free(s->product);
    free(s->version);
    free(s->source);
    free(s->lang);
    free(s->text_path);
    named_free(s->roles, s->nroles);
    named_free(s->scenarios, s->nscenarios);
    for (size_t i = 0; i < s->nparams; i++) rk_param_free(&s->params[i]);
    free(s->params);
    rk_schema_items_free(s);
    for (size_t i = 0; i < s->nreqs; i++) req_free(&s->reqs[i]);
    free(s->reqs);
    for (size_t i = 0; i < s->nflows; i++) flow_free(&s->flows[i]);
    free(s->flows);
    free(s);
}

/* ---- lookups ---------------------------------------------------------------------- */

static int find_named(const rk_named *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0) return (int)i;
    return -1;
}

int rk_schema_role(const rk_schema *s, const char *id) { return find_named(s->roles, s->nroles, id); }

int rk_schema_scenario(const rk_schema *s, const char *id)
{
    return find_named(s->scenarios, s->nscenarios, id);
}

int rk_schema_param(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].id, id) == 0) return (int)i;
    return -1;
}

int rk_schema_endpoint(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nendpoints; i++)
        if (strcmp(s->endpoints[i].id, id) == 0) return (int)i;
    return -1;
}

int rk_schema_collect_item(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->ncollect; i++)
        if (strcmp(s->collect[i].id, id) == 0) return (int)i;
    return -1;
}

const rk_requirement *rk_schema_req(const rk_schema *s, const char *id)
{
    for (size_t i = 0; i < s->nreqs; i++)
        if (strcmp(s->reqs[i].id, id) == 0) return &s->reqs[i];
    return NULL;
}

void rk_schema_roles_str(const rk_schema *s, uint32_t mask, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < s->nroles; i++) {
        if (!(mask & (1u << i))) continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", s->roles[i].id);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}

/* ---- the source's protocol and port texts --------------------------------------------- */

static int ieq(const char *a, const char *b)
{
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++, b++;
    }
    return *a == *b;
}

int rk_flow_parse_protocol(const char *text, uint32_t *protocols, int *dynamic)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    *dynamic = 0;
    char *sp = strchr(buf, ' ');
    if (sp) {
        *sp = '\0';
        if (!ieq(sp + 1, "Dynamic")) return -1;
        *dynamic = 1;
    }
    if (ieq(buf, "TCP") || ieq(buf, "TCP/IP"))
        *protocols = RK_PROTO_TCP;
    else if (ieq(buf, "UDP"))
        *protocols = RK_PROTO_UDP;
    else if (ieq(buf, "TCP/UDP") || ieq(buf, "UDP/TCP"))
        *protocols = RK_PROTO_TCP | RK_PROTO_UDP;
    else
        return -1;
    return 0;
}

static int parse_port_num(const char *s, const char **end)
{
    long v = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p)) return -1;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > 65535) return -1;
        p++;
    }
    *end = p;
    return (int)v;
}

int rk_flow_parse_port(const char *text, int *from, int *to)
{
    const char *e;
    int a = parse_port_num(text, &e);
    if (a < 1) return -1;
    if (*e == '\0') {
        *from = *to = a;
        return 0;
    }
    /* the seed writes ranges as "1024>65535"; "-" is accepted too */
    if (*e != '>' && *e != '-') return -1;
    int b = parse_port_num(e + 1, &e);
    if (b < a || *e) return -1;
    *from = a;
    *to = b;
    return 0;
}

/* ---- node helpers shared by the loader's files ------------------------------------------ */

rk_err rk_sctx_dup(rk_sctx *c, const rk_node *map, const char *key, int required, char **out)
{
    return rk_node_strdup(c->file, map, key, required, out, c->d);
}

rk_err rk_sctx_list(rk_sctx *c, const rk_node *map, const char *key, int required, char ***out,
                    size_t *n)
{
    return rk_node_strlist(c->file, map, key, required, out, n, c->d);
}

rk_err rk_sctx_number(rk_sctx *c, const rk_node *map, const char *key, double *out)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n) return rk_diag_set(c->d, c->file, map->line, map->col,
                               "missing required key '%s'; expected a number", key);
    char *end;
    if (n->type != RK_NODE_SCALAR || n->quoted || !n->value[0])
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' must be a number", key);
    double v = strtod(n->value, &end);
    if (*end)
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is '%s'; expected a number", key,
                           n->value);
    /* strtod also reads "nan", "inf" and overflows such as 1e999 to infinity: a
     * threshold no fact can meet or fail in a meaningful way */
    if (!isfinite(v))
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'%s' is '%s'; expected a finite number", key, n->value);
    *out = v;
    return RK_OK;
}

static int id_char(char cls, char ch, int first)
{
    unsigned char u = (unsigned char)ch;
    switch (cls) {
    case 'r':
        return islower(u) || isdigit(u) || (!first && ch == '-');
    case 'p':
        return islower(u) || (!first && (isdigit(u) || ch == '_'));
    case 'c':
        return isalpha(u) || (!first && (isdigit(u) || ch == '_' || ch == '-'));
    default:
        return isupper(u) || isdigit(u) || (!first && ch == '-');
    }
}

rk_err rk_sctx_id(rk_sctx *c, const rk_node *map, const char *key, char cls, char **out)
{
    TRY(rk_sctx_dup(c, map, key, 1, out));
    const char *id = *out;
    int ok = strlen(id) <= 64;
    for (const char *p = id; *p && ok; p++) ok = id_char(cls, *p, p == id);
    if (ok) return RK_OK;
    static const char *const words[] = {
        "lowercase letters, digits and '-'",
        "a lowercase letter, then lowercase letters, digits and '_'",
        "a letter, then letters, digits, '_' or '-' (at most 64)",
        "capital letters, digits and '-'"};
    int w = cls == 'r' ? 0 : cls == 'p' ? 1 : cls == 'c' ? 2 : 3;
    const rk_node *n = rk_node_get(map, key);
    return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is '%s'; expected %s", key, id, words[w]);
}

static rk_err unknown_role(rk_sctx *c, const rk_node *one, int endpoints)
{
    rk_buf b = {0};
    for (size_t j = 0; j < c->s->nroles; j++)
        rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->roles[j].id);
    for (size_t j = 0; endpoints && j < c->s->nendpoints; j++)
        rk_buf_printf(&b, ", endpoint:%s", c->s->endpoints[j].id);
    rk_diag_set(c->d, c->file, one->line, one->col, "unknown %s '%s'; expected one of: %s",
                strncmp(one->value, "endpoint:", 9) ? "role" : "endpoint", one->value,
                b.data ? b.data : "");
    rk_buf_free(&b);
    return RK_INPUT;
}

rk_err rk_sctx_roles(rk_sctx *c, const rk_node *map, const char *key, uint32_t *roles,
                     uint32_t *endpoints)
{
    const rk_node *n = rk_node_get(map, key);
    if (!n) return rk_diag_set(c->d, c->file, map->line, map->col,
                               "missing required key '%s'; expected a role or a list of roles", key);
    if (n->type == RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "'%s' is a mapping; expected a role or a list of roles", key);
    size_t count = n->type == RK_NODE_SEQ ? n->count : 1;
    if (count == 0)
        return rk_diag_set(c->d, c->file, n->line, n->col, "'%s' is empty; expected a role", key);
    *roles = 0;
    if (endpoints) *endpoints = 0;
    for (size_t i = 0; i < count; i++) {
        const rk_node *one = n->type == RK_NODE_SEQ ? n->items[i] : n;
        if (one->type != RK_NODE_SCALAR)
            return rk_diag_set(c->d, c->file, one->line, one->col, "expected a role id");
        if (endpoints && !strncmp(one->value, "endpoint:", 9)) {
            int e = rk_schema_endpoint(c->s, one->value + 9);
            if (e < 0) return unknown_role(c, one, 1);
            *endpoints |= 1u << e;
            continue;
        }
        int r = rk_schema_role(c->s, one->value);
        if (r < 0) return unknown_role(c, one, endpoints != NULL);
        *roles |= 1u << r;
    }
    return RK_OK;
}

rk_err rk_sctx_format(rk_sctx *c, const rk_node *map, const char *key, rk_value_format *out)
{
    const char *fmt = NULL;
    TRY(rk_node_str(c->file, map, key, 0, &fmt, c->d));
    *out = RK_FMT_PLAIN;
    if (!fmt) return RK_OK;
    static const char *const words[] = {"plain", "bytes", "mhz", "dword", NULL};
    for (int i = 0; words[i]; i++)
        if (!strcmp(words[i], fmt)) {
            *out = (rk_value_format)i;
            return RK_OK;
        }
    const rk_node *fn = rk_node_get(map, key);
    return rk_diag_set(c->d, c->file, fn->line, fn->col,
                       "unknown format '%s'; expected bytes, mhz, dword or plain", fmt);
}

/* ---- roles, scenarios ---------------------------------------------------------------- */

static rk_err load_named(rk_sctx *c, const rk_node *root, const char *key, int required,
                         rk_named **out, size_t *n)
{
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, key, required, &seq, c->d));
    if (!seq) return RK_OK;
    if (seq->count > RK_SCHEMA_MAX_NAMED)
        return rk_diag_set(c->d, c->file, seq->line, seq->col, "more than %d %s",
                           RK_SCHEMA_MAX_NAMED, key);
    *out = rk_xcalloc(seq->count ? seq->count : 1, sizeof(rk_named));
    for (size_t i = 0; i < seq->count; i++) {
        const rk_node *it = seq->items[i];
        if (it->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, it->line, it->col,
                               "an item of '%s' is %s; expected {id, title}", key, rk_node_kind(it));
        static const char *const nk[] = {"id", "title", NULL};
        TRY(rk_node_only_keys(c->file, it, nk, c->d));
        (*n)++;
        TRY(rk_sctx_id(c, it, "id", 'r', &(*out)[i].id));
        TRY(rk_sctx_dup(c, it, "title", 1, &(*out)[i].title));
        for (size_t j = 0; j < i; j++)
            if (!strcmp((*out)[j].id, (*out)[i].id))
                return rk_diag_set(c->d, c->file, it->line, it->col, "duplicate id '%s' in '%s'",
                                   (*out)[i].id, key);
    }
    return RK_OK;
}

/* ---- requirements --------------------------------------------------------------------- */

static rk_err load_severity(rk_sctx *c, const rk_node *n, rk_requirement *r)
{
    const char *sev = NULL;
    TRY(rk_node_str(c->file, n, "severity", 1, &sev, c->d));
    if (!strcmp(sev, "required")) r->severity = RK_SEV_REQUIRED;
    else if (!strcmp(sev, "recommended")) r->severity = RK_SEV_RECOMMENDED;
    else {
        const rk_node *sn = rk_node_get(n, "severity");
        return rk_diag_set(c->d, c->file, sn->line, sn->col,
                           "'severity' is '%s'; expected required or recommended", sev);
    }
    return RK_OK;
}

static rk_err load_req(rk_sctx *c, const rk_node *n, rk_requirement *r)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a requirement is %s; expected a mapping",
                           rk_node_kind(n));
    static const char *const allowed[] = {"id",       "title", "section", "seed",  "applies_to",
                                          "when",     "severity", "expected", "check", "remediation",
                                          "note",     "refs",  "fix",     NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    r->line = n->line;
    TRY(rk_sctx_id(c, n, "id", 'R', &r->id));
    TRY(rk_sctx_dup(c, n, "title", 1, &r->title));
    TRY(rk_sctx_dup(c, n, "section", 1, &r->section));
    TRY(rk_sctx_dup(c, n, "seed", 1, &r->seed));
    TRY(rk_sctx_roles(c, n, "applies_to", &r->applies_to, NULL));
    TRY(load_severity(c, n, r));
    TRY(rk_sctx_dup(c, n, "expected", 1, &r->expected));
    TRY(rk_sctx_dup(c, n, "remediation", 1, &r->remediation));
    TRY(rk_sctx_dup(c, n, "note", 0, &r->note));
    TRY(rk_sctx_list(c, n, "refs", 1, &r->refs, &r->nrefs));
    TRY(rk_schema_load_when(c, n, &r->when));
    const rk_node *ck = NULL;
    TRY(rk_node_map(c->file, n, "check", 1, &ck, c->d));
    TRY(rk_schema_load_check(c, ck, &r->check, 0, 0));
    return rk_schema_load_fixes(c, n, r);
}

static rk_err load_reqs(rk_sctx *c, const rk_node *root)
{
    rk_schema *s = c->s;
    const rk_node *reqs = NULL;
    TRY(rk_node_seq(c->file, root, "requirements", 1, &reqs, c->d));
    s->reqs = rk_xcalloc(reqs->count ? reqs->count : 1, sizeof(rk_requirement));
    for (size_t i = 0; i < reqs->count; i++) {
        s->nreqs++;
        TRY(load_req(c, reqs->items[i], &s->reqs[i]));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->reqs[j].id, s->reqs[i].id))
                return rk_diag_set(c->d, c->file, reqs->items[i]->line, reqs->items[i]->col,
                                   "duplicate requirement id '%s' (first at line %d)",
                                   s->reqs[i].id, s->reqs[j].line);
    }
    return RK_OK;
}

/* ---- the network table ------------------------------------------------------------------- */

static rk_err load_flow_text(rk_sctx *c, const rk_node *n, rk_flow_row *f)
{
    TRY(rk_sctx_dup(c, n, "from_label", 1, &f->from_label));
    TRY(rk_sctx_dup(c, n, "to_label", 1, &f->to_label));
    TRY(rk_sctx_dup(c, n, "component", 1, &f->component));
    TRY(rk_sctx_dup(c, n, "protocol", 1, &f->protocol));
    TRY(rk_sctx_dup(c, n, "port", 1, &f->port));
    TRY(rk_sctx_dup(c, n, "remark", 1, &f->remark));
    return rk_sctx_dup(c, n, "note", 0, &f->note);
}

static rk_err load_flow(rk_sctx *c, const rk_node *n, rk_flow_row *f, int index)
{
    if (n->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, n->line, n->col, "a flow row is %s; expected a mapping",
                           rk_node_kind(n));
    static const char *const allowed[] = {"row",      "from",      "to",       "from_label",
                                          "to_label", "component", "protocol", "port",
                                          "remark",   "note",      "when",     NULL};
    TRY(rk_node_only_keys(c->file, n, allowed, c->d));
    long long row = 0;
    TRY(rk_node_int(c->file, n, "row", 1, 1, 100000, &row, c->d));
    if (row != index + 1) {
        const rk_node *rn = rk_node_get(n, "row");
        return rk_diag_set(c->d, c->file, rn->line, rn->col,
                           "flow row %lld out of order; expected row %d", row, index + 1);
    }
    f->row = (int)row;
    TRY(rk_sctx_roles(c, n, "from", &f->from_roles, &f->from_endpoints));
    TRY(rk_sctx_roles(c, n, "to", &f->to_roles, &f->to_endpoints));
    if ((f->from_endpoints && !f->from_roles) && (f->to_endpoints && !f->to_roles))
        return rk_diag_set(c->d, c->file, n->line, n->col,
                           "a flow between two endpoints involves no project host; expected a "
                           "role at one end");
    TRY(load_flow_text(c, n, f));
    TRY(rk_schema_load_when(c, n, &f->when));
    if (rk_flow_parse_protocol(f->protocol, &f->protocols, &f->dynamic) != 0) {
        const rk_node *p = rk_node_get(n, "protocol");
        return rk_diag_set(c->d, c->file, p->line, p->col,
                           "protocol '%s' not understood; expected TCP, UDP, TCP/UDP, TCP/IP, "
                           "optionally followed by 'Dynamic'",
                           f->protocol);
    }
    if (rk_flow_parse_port(f->port, &f->port_from, &f->port_to) != 0) {
        const rk_node *p = rk_node_get(n, "port");
        return rk_diag_set(c->d, c->file, p->line, p->col,
                           "port '%s' not understood; expected a port 1-65535 or a range "
                           "like 1024>65535",
                           f->port);
    }
    return RK_OK;
}

static rk_err load_flows(rk_sctx *c, const rk_node *root)
{
    rk_schema *s = c->s;
    const rk_node *flows = NULL;
    TRY(rk_node_seq(c->file, root, "flows", 0, &flows, c->d));
    if (!flows) return RK_OK;
    s->flows = rk_xcalloc(flows->count ? flows->count : 1, sizeof(rk_flow_row));
    for (size_t i = 0; i < flows->count; i++) {
        s->nflows++;
        TRY(load_flow(c, flows->items[i], &s->flows[i], (int)i));
    }
    return RK_OK;
}

/* ---- the file ---------------------------------------------------------------------------- */

static rk_err check_format(rk_sctx *c, const rk_node *root)
{
    if (root->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, root->line, root->col,
                           "the file is %s; expected a mapping with format: " RK_SCHEMA_FORMAT,
                           rk_node_kind(root));
    const char *format = NULL;
    TRY(rk_node_str(c->file, root, "format", 1, &format, c->d));
    const rk_node *f = rk_node_get(root, "format");
    if (!strcmp(format, "readykit-schema/1"))
        return rk_diag_set(c->d, c->file, f->line, f->col,
                           "readykit-schema/1 is no longer read; expected " RK_SCHEMA_FORMAT
                           ": the parameter conditions of version 1's 'when' became declared "
                           "'parameters' and 'when: {any: [{parameter: ID, above: N}]}', and "
                           "version 2 adds collect, endpoints, host_details, fix and "
                           "translations (schemas/README.md, 'From version 1')");
    if (strcmp(format, RK_SCHEMA_FORMAT) != 0)
        return rk_diag_set(c->d, c->file, f->line, f->col,
                           "unknown format '%s'; expected " RK_SCHEMA_FORMAT, format);
    return RK_OK;
}

static rk_err load_schema(rk_sctx *c, const rk_node *root)
{
    rk_schema *s = c->s;
    TRY(check_format(c, root));
    static const char *const allowed[] = {
        "format",     "id",        "title",     "product",      "version",
        "source",     "roles",     "scenarios", "parameters",   "collect",
        "endpoints",  "host_details", "requirements", "flows",  NULL};
    TRY(rk_node_only_keys(c->file, root, allowed, c->d));
    TRY(rk_sctx_dup(c, root, "id", 1, &s->id));
    TRY(rk_sctx_dup(c, root, "title", 1, &s->title));
    TRY(rk_sctx_dup(c, root, "product", 1, &s->product));
    TRY(rk_sctx_dup(c, root, "version", 1, &s->version));
    TRY(rk_sctx_dup(c, root, "source", 1, &s->source));
    TRY(load_named(c, root, "roles", 1, &s->roles, &s->nroles));
    TRY(load_named(c, root, "scenarios", 0, &s->scenarios, &s->nscenarios));
    TRY(rk_schema_load_params(c, root));
    TRY(rk_schema_load_collect(c, root));
    TRY(rk_schema_load_endpoints(c, root));
    TRY(rk_schema_load_details(c, root));
    TRY(load_reqs(c, root));
    return load_flows(c, root);
}

rk_schema *rk_schema_load(const char *path, rk_diag *d)
{
    char sha[65];
    rk_node *root = rk_yaml_load(path, sha, d);
    if (!root) return NULL;
    rk_schema *s = rk_xcalloc(1, sizeof(*s));
    memcpy(s->sha256, sha, sizeof sha);
    s->path = rk_xstrdup(path);
    s->lang = rk_xstrdup("en");
    rk_sctx c = {path, s, d};
    rk_err e = load_schema(&c, root);
    rk_node_free(root);
    if (e != RK_OK) {
        rk_schema_free(s);
        return NULL;
    }
    return s;
}
