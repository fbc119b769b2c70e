/* project.c - loads and validates a project file (format readykit-project/1). */
#include "project.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "export_kinds.h"
#include "yaml_tree.h"
#include "util.h"

#define TRY(expr)                                                                      \
    do {                                                                               \
        if ((expr) != RK_OK) return RK_INPUT;                                          \
    } while (0)

void rk_project_free(rk_project *p)
{
    if (!p) return;
    free(p->path);
    free(p->dir);
    free(p->customer);
    free(p->project);
    free(p->assessment_id);
    free(p->schema_id);
    free(p->language);
    for (size_t i = 0; i < p->nzones; i++) {
        free(p->zones[i].id);
        free(p->zones[i].title);
    }
    free(p->zones);
    for (size_t i = 0; i < p->nhosts; i++) {
        rk_host *h = &p->hosts[i];
        free(h->name);
        free(h->fqdn);
        free(h->address);
        rk_strv_free(h->addresses, h->naddresses);
        free(h->zone);
        free(h->facts_path);
    }
    free(p->hosts);
    rk_strv_free(p->signoff, p->nsignoff);
    rk_change *c = &p->change;
    free(c->id);
    free(c->requester);
    free(c->justification);
    free(c->window);
    free(c->review_date);
    rk_strv_free(c->contacts, c->ncontacts);
    free(p->waivers_path);
    free(p->attestations_path);
    for (size_t i = 0; i < p->nparams; i++) rk_pvalue_free(&p->params[i]);
    free(p->params);
    free(p->params_given);
    for (size_t i = 0; i < p->nendpoints; i++)
        rk_strv_free(p->endpoint_addresses[i], p->endpoint_naddresses[i]);
    free(p->endpoint_addresses);
    free(p->endpoint_naddresses);
    free(p);
}

int rk_project_host(const rk_project *p, const char *name)
{
    for (size_t i = 0; i < p->nhosts; i++)
        if (strcasecmp(p->hosts[i].name, name) == 0) return (int)i;
    return -1;
}

typedef struct ctx {
    const char *file;
    rk_project *p;
    const rk_schema *s;
    rk_diag *d;
} ctx;

static rk_err dup_str(ctx *c, const rk_node *map, const char *key, int required, char **out)
{
    return rk_node_strdup(c->file, map, key, required, out, c->d);
}

static char *resolve(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir[0]) return rk_xstrdup(rel);
    return rk_xasprintf("%s/%s", dir, rel);
}

/* A host name as Windows and DNS allow it: letters, digits, '-', '_', '.'. */
static int valid_name(const char *s)
{
    if (!*s || strlen(s) > 255) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.') return 0;
    return 1;
}

/* 1 when s is an IPv4 address in dotted decimal without leading zeros (inet_pton takes
 * "010.0.0.1", which other tools read as octal) or an IPv6 address. */
static int ip_literal(const char *s)
{
    unsigned char tmp[16];
    if (inet_pton(AF_INET6, s, tmp) == 1) return 1;
    if (inet_pton(AF_INET, s, tmp) != 1) return 0;
    for (const char *p = s; *p; p++)
        if (*p == '0' && (p == s || p[-1] == '.') && isdigit((unsigned char)p[1])) return 0;
    return 1;
}

/* `address`: one IPv4 or IPv6 address, or a list of them. */
static rk_err load_addresses(ctx *c, const rk_node *n, rk_host *h)
{
    const rk_node *an = rk_node_get(n, "address");
    size_t count = !an ? 0 : an->type == RK_NODE_SEQ ? an->count : 1;
    h->addresses = rk_xcalloc(count ? count : 1, sizeof(char *));
    rk_buf joined = {0};
    for (size_t i = 0; i < count; i++) {
        const rk_node *one = an->type == RK_NODE_SEQ ? an->items[i] : an;
        char why[160] = "";
        int bad = one->type != RK_NODE_SCALAR ? -2 : rk_addr_check_host(one->value, why, sizeof why);
        if (!bad && !ip_literal(one->value)) bad = -2;
        if (bad == -2) {
            rk_buf_free(&joined);
            return rk_diag_set(c->d, c->file, one->line, one->col,
                               "address '%s' is not an IPv4 or IPv6 address; expected e.g. "
                               "192.0.2.10 or 2001:db8::10, or a list of them",
                               one->type == RK_NODE_SCALAR ? one->value : rk_node_kind(one));
        }
        if (bad) {
            rk_buf_free(&joined);
            return rk_diag_set(c->d, c->file, one->line, one->col, "address '%s' %s", one->value,
                               why);
        }
        for (size_t k = 0; k < h->naddresses; k++)
            if (rk_addr_same(h->addresses[k], one->value)) {
                rk_buf_free(&joined);
                return rk_diag_set(c->d, c->file, one->line, one->col,
                                   "address '%s' is listed twice for host '%s'", one->value,
                                   h->name);
            }
        h->addresses[h->naddresses++] = rk_xstrdup(one->value);
        rk_buf_printf(&joined, "%s%s", i ? ", " : "", one->value);
    }
    h->address = joined.data ? rk_buf_take(&joined) : rk_xstrdup("");
    return RK_OK;
}

static rk_err load_hosts(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    const rk_node *seq = NULL;
    TRY(rk_node_seq(c->file, root, "hosts", 1, &seq, c->d));
    if (seq->count == 0)
        return rk_diag_set(c->d, c->file, seq->line, seq->col, "'hosts' is empty; expected at least one host");
    p->hosts = rk_xcalloc(seq->count, sizeof(rk_host));
    for (size_t i = 0; i < seq->count; i++) {
        const rk_node *n = seq->items[i];
        if (n->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, n->line, n->col,
                               "a host is %s; expected a mapping {name, fqdn, address, zone, roles}",
                               rk_node_kind(n));
        static const char *const allowed[] = {"name", "fqdn", "address", "zone", "roles", "facts", NULL};
        TRY(rk_node_only_keys(c->file, n, allowed, c->d));
        rk_host *h = &p->hosts[p->nhosts++];
        h->line = n->line;
        TRY(dup_str(c, n, "name", 1, &h->name));
        const rk_node *nn = rk_node_get(n, "name");
        if (!valid_name(h->name))
            return rk_diag_set(c->d, c->file, nn->line, nn->col,
                               "host name '%s' has characters a host name cannot have; expected "
                               "letters, digits, '-', '_' or '.'",
                               h->name);
        for (size_t j = 0; j + 1 < p->nhosts; j++)
            if (strcasecmp(p->hosts[j].name, h->name) == 0)
                return rk_diag_set(c->d, c->file, nn->line, nn->col,
                                   "duplicate host '%s' (first at line %d); expected each host once",
                                   h->name, p->hosts[j].line);
        TRY(dup_str(c, n, "fqdn", 0, &h->fqdn));
        if (h->fqdn && !valid_name(h->fqdn))
            return rk_diag_set(c->d, c->file, rk_node_get(n, "fqdn")->line,
                               rk_node_get(n, "fqdn")->col, "fqdn '%s' is not a DNS name", h->fqdn);
        TRY(load_addresses(c, n, h));
        TRY(dup_str(c, n, "zone", p->nzones > 0, &h->zone));
        if (h->zone) {
            int found = 0;
            for (size_t z = 0; z < p->nzones; z++)
                if (!strcmp(p->zones[z].id, h->zone)) found = 1;
            if (!found)
                return rk_diag_set(c->d, c->file, rk_node_get(n, "zone")->line,
                                   rk_node_get(n, "zone")->col,
                                   "unknown zone '%s'; expected a zone id from 'zones'", h->zone);
        }
        const rk_node *roles = NULL;
        TRY(rk_node_seq(c->file, n, "roles", 1, &roles, c->d));
        if (roles->count == 0)
            return rk_diag_set(c->d, c->file, roles->line, roles->col,
                               "host '%s' has no roles; expected at least one", h->name);
        for (size_t r = 0; r < roles->count; r++) {
            const rk_node *it = roles->items[r];
            int ri = it->type == RK_NODE_SCALAR ? rk_schema_role(c->s, it->value) : -1;
            if (ri < 0) {
                rk_buf b = {0};
                for (size_t j = 0; j < c->s->nroles; j++)
                    rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->roles[j].id);
                rk_diag_set(c->d, c->file, it->line, it->col, "unknown role '%s'; expected one of: %s",
                            it->type == RK_NODE_SCALAR ? it->value : "?", b.data ? b.data : "");
                rk_buf_free(&b);
                return RK_INPUT;
            }
            h->roles |= 1u << ri;
        }
        const char *facts = NULL;
        TRY(rk_node_str(c->file, n, "facts", 0, &facts, c->d));
        if (facts) {
            h->facts_path = resolve(p->dir, facts);
        } else {
            char *rel = rk_xasprintf("facts/%s.json", h->name);
            h->facts_path = resolve(p->dir, rel);
            free(rel);
        }
    }
    return RK_OK;
}

static rk_err unknown_scenario(ctx *c, const rk_node *it)
{
    rk_buf b = {0};
    for (size_t j = 0; j < c->s->nscenarios; j++)
        rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->scenarios[j].id);
    rk_diag_set(c->d, c->file, it->line, it->col, "unknown scenario '%s'; expected one of: %s",
                it->type == RK_NODE_SCALAR ? it->value : "?", b.len ? b.data : "(none declared)");
    rk_buf_free(&b);
    return RK_INPUT;
}

static rk_err load_scenarios(ctx *c, const rk_node *par)
{
    const rk_node *sc = NULL;
    TRY(rk_node_seq(c->file, par, "scenarios", 0, &sc, c->d));
    c->p->scenarios_set = sc != NULL;
    for (size_t i = 0; sc && i < sc->count; i++) {
        const rk_node *it = sc->items[i];
        int si = it->type == RK_NODE_SCALAR ? rk_schema_scenario(c->s, it->value) : -1;
        if (si < 0) return unknown_scenario(c, it);
        c->p->scenarios |= 1u << si;
    }
    return RK_OK;
}

static rk_err unknown_parameter(ctx *c, const rk_node *key)
{
    rk_buf b = {0};
    rk_buf_puts(&b, "scenarios");
    for (size_t j = 0; j < c->s->nparams; j++) rk_buf_printf(&b, ", %s", c->s->params[j].id);
    rk_diag_set(c->d, c->file, key->line, key->col,
                "unknown parameter '%s'; expected one of: %s (the parameters schema '%s' "
                "declares)",
                key->value, b.data, c->s->id);
    rk_buf_free(&b);
    return RK_INPUT;
}

/* The project's parameters against the schema's declarations: each value typed, in
 * range and allowed; what the project leaves out takes the declared default. */
static rk_err load_parameters(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    p->nparams = c->s->nparams;
    p->params = rk_xcalloc(p->nparams ? p->nparams : 1, sizeof(rk_pvalue));
    p->params_given = rk_xcalloc(p->nparams ? p->nparams : 1, sizeof(int));
    const rk_node *par = NULL;
    TRY(rk_node_map(c->file, root, "parameters", 0, &par, c->d));
    for (size_t i = 0; par && i < par->count; i++) {
        const rk_node *key = par->keys[i];
        if (!strcmp(key->value, "scenarios")) continue;
        int pi = rk_schema_param(c->s, key->value);
        if (pi < 0) return unknown_parameter(c, key);
        TRY(rk_param_parse(c->file, par->items[i], &c->s->params[pi], &p->params[pi], c->d));
        p->params_given[pi] = 1;
    }
    if (par) TRY(load_scenarios(c, par));
    for (size_t i = 0; i < p->nparams; i++) {
        const rk_pvalue *def = &c->s->params[i].def;
        if (p->params[i].set || !def->set) continue;
        rk_pvalue *v = &p->params[i];
        *v = *def;
        v->string = rk_xstrdup(def->string);
        v->list = def->nlist ? rk_xcalloc(def->nlist, sizeof(char *)) : NULL;
        for (size_t k = 0; k < def->nlist; k++) v->list[k] = rk_xstrdup(def->list[k]);
    }
    return RK_OK;
}

/* `endpoints: {ID: [addresses]}` replaces a schema endpoint's addresses (a proxy). */
static rk_err load_endpoints(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    p->nendpoints = c->s->nendpoints;
    p->endpoint_addresses = rk_xcalloc(p->nendpoints ? p->nendpoints : 1, sizeof(char **));
    p->endpoint_naddresses = rk_xcalloc(p->nendpoints ? p->nendpoints : 1, sizeof(size_t));
    const rk_node *eps = NULL;
    TRY(rk_node_map(c->file, root, "endpoints", 0, &eps, c->d));
    for (size_t i = 0; eps && i < eps->count; i++) {
        const rk_node *key = eps->keys[i], *val = eps->items[i];
        int e = rk_schema_endpoint(c->s, key->value);
        if (e < 0) {
            rk_buf b = {0};
            for (size_t j = 0; j < c->s->nendpoints; j++)
                rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->endpoints[j].id);
            rk_diag_set(c->d, c->file, key->line, key->col,
                        "unknown endpoint '%s'; expected one of: %s", key->value,
                        b.len ? b.data : "(the schema declares none)");
            rk_buf_free(&b);
            return RK_INPUT;
        }
        TRY(rk_node_strlist(c->file, eps, key->value, 1, &p->endpoint_addresses[e],
                            &p->endpoint_naddresses[e], c->d));
        for (size_t k = 0; k < p->endpoint_naddresses[e]; k++) {
            char why[160] = "";
            int bad = rk_addr_check_entry(p->endpoint_addresses[e][k], 1, why, sizeof why);
            if (bad == -2)
                return rk_diag_set(c->d, c->file, val->items[k]->line, val->items[k]->col,
                                   "'%s' is not an address; expected a host name, an IPv4 or "
                                   "IPv6 address or a CIDR block",
                                   p->endpoint_addresses[e][k]);
            if (bad)
                return rk_diag_set(c->d, c->file, val->items[k]->line, val->items[k]->col,
                                   "'%s' %s", p->endpoint_addresses[e][k], why);
        }
    }
    return RK_OK;
}

/* `firewall_exports`: kinds of import file (export_kinds.h), a list or "a, b". */
static rk_err load_exports(ctx *c, const rk_node *root)
{
    const rk_node *n = rk_node_get(root, "firewall_exports");
    if (!n) return RK_OK;
    size_t count = n->type == RK_NODE_SEQ ? n->count : 1;
    for (size_t i = 0; i < count; i++) {
        const rk_node *one = n->type == RK_NODE_SEQ ? n->items[i] : n;
        char bad[80];
        if (one->type != RK_NODE_SCALAR ||
            rk_fwx_parse(one->value, &c->p->firewall_exports, bad, sizeof bad) != 0)
            return rk_diag_set(c->d, c->file, one->line, one->col,
                               "firewall export '%s' is not a kind of export; expected %s",
                               one->type == RK_NODE_SCALAR ? bad : rk_node_kind(one),
                               rk_fwx_expected());
    }
    return RK_OK;
}

/* The top level's format, keys, names, schema and language. */
static rk_err load_header(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    if (root->type != RK_NODE_MAP)
        return rk_diag_set(c->d, c->file, root->line, root->col,
                           "the file is %s; expected a mapping with format: readykit-project/1",
                           rk_node_kind(root));
    const char *format = NULL;
    TRY(rk_node_str(c->file, root, "format", 1, &format, c->d));
    if (strcmp(format, "readykit-project/1") != 0)
        return rk_diag_set(c->d, c->file, rk_node_get(root, "format")->line,
                           rk_node_get(root, "format")->col,
                           "unknown format '%s'; expected readykit-project/1", format);
    static const char *const allowed[] = {"format", "customer", "project", "assessment_id", "schema",
                                          "language", "parameters", "zones", "hosts", "signoff",
                                          "change", "waivers", "attestations", "endpoints",
                                          "pdf_host_detail_max",
                                          "firewall_exports", NULL};
    TRY(rk_node_only_keys(c->file, root, allowed, c->d));
    long long detail_max = -1;
    TRY(rk_node_int(c->file, root, "pdf_host_detail_max", 0, 0, 1000000, &detail_max, c->d));
    p->pdf_host_detail_max_set = detail_max >= 0;
    p->pdf_host_detail_max = detail_max >= 0 ? (long)detail_max : 0;
    TRY(dup_str(c, root, "customer", 1, &p->customer));
    TRY(dup_str(c, root, "project", 1, &p->project));
    TRY(dup_str(c, root, "assessment_id", 1, &p->assessment_id));
    TRY(dup_str(c, root, "schema", 1, &p->schema_id));
    if (strcmp(p->schema_id, c->s->id) != 0)
        return rk_diag_set(c->d, c->file, rk_node_get(root, "schema")->line,
                           rk_node_get(root, "schema")->col, "schema '%s' does not match the loaded schema '%s'",
                           p->schema_id, c->s->id);
    TRY(dup_str(c, root, "language", 0, &p->language));
    if (!p->language) {
        p->language = rk_xstrdup("en");
        return RK_OK;
    }
    const rk_node *ln = rk_node_get(root, "language");
    p->language_line = ln->line;
    p->language_col = ln->col;
    for (const char *q = p->language; *q; q++)
        if (!islower((unsigned char)*q) || q - p->language > 8)
            return rk_diag_set(c->d, c->file, ln->line, ln->col,
                               "language '%s' is not a language code; expected e.g. en or de", p->language);
    return RK_OK;
}

static rk_err load_zones(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    const rk_node *zones = NULL;
    TRY(rk_node_seq(c->file, root, "zones", 0, &zones, c->d));
    if (!zones) return RK_OK;
    p->zones = rk_xcalloc(zones->count ? zones->count : 1, sizeof(rk_named));
    for (size_t i = 0; i < zones->count; i++) {
        const rk_node *z = zones->items[i];
        if (z->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, z->line, z->col, "a zone is %s; expected {id, title}",
                               rk_node_kind(z));
        static const char *const zk[] = {"id", "title", NULL};
        TRY(rk_node_only_keys(c->file, z, zk, c->d));
        p->nzones++;
        TRY(dup_str(c, z, "id", 1, &p->zones[i].id));
        TRY(dup_str(c, z, "title", 0, &p->zones[i].title));
        if (!p->zones[i].title) p->zones[i].title = rk_xstrdup(p->zones[i].id);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->zones[j].id, p->zones[i].id))
                return rk_diag_set(c->d, c->file, z->line, z->col, "duplicate zone '%s'",
                                   p->zones[i].id);
    }
    return RK_OK;
}

static rk_err load_signoff(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    const rk_node *so = NULL;
    TRY(rk_node_seq(c->file, root, "signoff", 0, &so, c->d));
    if (!so) return RK_OK;
    p->signoff = rk_xcalloc(so->count ? so->count : 1, sizeof(char *));
    for (size_t i = 0; i < so->count; i++) {
        const rk_node *it = so->items[i];
        if (it->type != RK_NODE_MAP)
            return rk_diag_set(c->d, c->file, it->line, it->col,
                               "a sign-off entry is %s; expected {role: ...}", rk_node_kind(it));
        static const char *const sk[] = {"role", NULL};
        TRY(rk_node_only_keys(c->file, it, sk, c->d));
        TRY(dup_str(c, it, "role", 1, &p->signoff[p->nsignoff]));
        p->nsignoff++;
    }
    return RK_OK;
}

static rk_err load_change(ctx *c, const rk_node *root)
{
    const rk_node *ch = NULL;
    TRY(rk_node_map(c->file, root, "change", 0, &ch, c->d));
    if (!ch) return RK_OK;
    static const char *const ck[] = {"id", "requester", "justification", "window",
                                     "review_date", "contacts", NULL};
    TRY(rk_node_only_keys(c->file, ch, ck, c->d));
    rk_change *cg = &c->p->change;
    cg->present = 1;
    TRY(dup_str(c, ch, "id", 1, &cg->id));
    TRY(dup_str(c, ch, "requester", 0, &cg->requester));
    TRY(dup_str(c, ch, "justification", 0, &cg->justification));
    TRY(dup_str(c, ch, "window", 0, &cg->window));
    TRY(dup_str(c, ch, "review_date", 0, &cg->review_date));
    int64_t t;
    if (cg->review_date && rk_parse_date(cg->review_date, &t) != 0)
        return rk_diag_set(c->d, c->file, rk_node_get(ch, "review_date")->line,
                           rk_node_get(ch, "review_date")->col,
                           "review_date '%s' is not a date; expected YYYY-MM-DD", cg->review_date);
    const rk_node *ct = NULL;
    TRY(rk_node_seq(c->file, ch, "contacts", 0, &ct, c->d));
    if (!ct) return RK_OK;
    cg->contacts = rk_xcalloc(ct->count ? ct->count : 1, sizeof(char *));
    for (size_t i = 0; i < ct->count; i++) {
        if (ct->items[i]->type != RK_NODE_SCALAR)
            return rk_diag_set(c->d, c->file, ct->items[i]->line, ct->items[i]->col,
                               "a contact is %s; expected a string", rk_node_kind(ct->items[i]));
        cg->contacts[cg->ncontacts++] = rk_xstrdup(ct->items[i]->value);
    }
    return RK_OK;
}

static rk_err load_project(ctx *c, const rk_node *root)
{
    rk_project *p = c->p;
    TRY(load_header(c, root));
    TRY(load_parameters(c, root));
    TRY(load_endpoints(c, root));
    TRY(load_zones(c, root));
    TRY(load_hosts(c, root));
    TRY(load_signoff(c, root));
    TRY(load_change(c, root));
    TRY(load_exports(c, root));
    const char *w = NULL, *a = NULL;
    TRY(rk_node_str(c->file, root, "waivers", 0, &w, c->d));
    TRY(rk_node_str(c->file, root, "attestations", 0, &a, c->d));
    if (w) p->waivers_path = resolve(p->dir, w);
    if (a) p->attestations_path = resolve(p->dir, a);
    return RK_OK;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return rk_xstrdup("");
    if (slash == path) return rk_xstrdup("/");
    return rk_xstrndup(path, (size_t)(slash - path));
}

char *rk_project_schema_id(const char *path, rk_diag *d)
{
    rk_node *root = rk_yaml_load(path, NULL, d);
    if (!root) return NULL;
    const char *id = NULL;
    char *out = NULL;
    if (root->type != RK_NODE_MAP) {
        rk_diag_set(d, path, root->line, root->col,
                    "the file is %s; expected a mapping with format: readykit-project/1",
                    rk_node_kind(root));
    } else {
        const char *format = NULL;
        if (rk_node_str(path, root, "format", 1, &format, d) == RK_OK) {
            if (strcmp(format, "readykit-project/1") != 0)
                rk_diag_set(d, path, rk_node_get(root, "format")->line, rk_node_get(root, "format")->col,
                            "unknown format '%s'; expected readykit-project/1", format);
            else if (rk_node_str(path, root, "schema", 1, &id, d) == RK_OK) {
                const char *q = id;
                for (; *q; q++)
                    if (!isalnum((unsigned char)*q) && *q != '-' && *q != '.' && *q != '_') break;
                if (*q || !*id || id[0] == '.')
                    rk_diag_set(d, path, rk_node_get(root, "schema")->line,
                                rk_node_get(root, "schema")->col,
                                "schema '%s' is not a schema id; expected the name of a schema file "
                                "without .yaml (letters, digits, '-', '.', '_')", id);
                else
                    out = rk_xstrdup(id);
            }
        }
    }
    rk_node_free(root);
    return out;
}

rk_project *rk_project_load(const char *path, const rk_schema *schema, rk_diag *d)
{
    char sha[65];
    rk_node *root = rk_yaml_load(path, sha, d);
    if (!root) return NULL;
    rk_project *p = rk_xcalloc(1, sizeof(*p));
    memcpy(p->sha256, sha, sizeof sha);
    p->path = rk_xstrdup(path);
    p->dir = dir_of(path);
    ctx c = {path, p, schema, d};
    rk_err e = load_project(&c, root);
    rk_node_free(root);
    if (e != RK_OK) {
        rk_project_free(p);
        return NULL;
    }
    return p;
}
