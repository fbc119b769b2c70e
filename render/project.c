/* project.c - loads and validates a project file (format readykit-project/1). */
#include "project.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "node.h"
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
        TRY(dup_str(c, n, "address", 0, &h->address));
        if (h->address) {
            unsigned char tmp[16];
            if (inet_pton(AF_INET, h->address, tmp) != 1 && inet_pton(AF_INET6, h->address, tmp) != 1)
                return rk_diag_set(c->d, c->file, rk_node_get(n, "address")->line,
                                   rk_node_get(n, "address")->col,
                                   "address '%s' is not an IPv4 or IPv6 address", h->address);
        }
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

static rk_err load_project(ctx *c, const rk_node *root)
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
                                          "change", "waivers", "attestations", NULL};
    TRY(rk_node_only_keys(c->file, root, allowed, c->d));
    TRY(dup_str(c, root, "customer", 1, &p->customer));
    TRY(dup_str(c, root, "project", 1, &p->project));
    TRY(dup_str(c, root, "assessment_id", 1, &p->assessment_id));
    TRY(dup_str(c, root, "schema", 1, &p->schema_id));
    if (strcmp(p->schema_id, c->s->id) != 0)
        return rk_diag_set(c->d, c->file, rk_node_get(root, "schema")->line,
                           rk_node_get(root, "schema")->col, "schema '%s' does not match the loaded schema '%s'",
                           p->schema_id, c->s->id);
    TRY(dup_str(c, root, "language", 0, &p->language));
    if (!p->language) p->language = rk_xstrdup("en");
    else {
        p->language_line = rk_node_get(root, "language")->line;
        p->language_col = rk_node_get(root, "language")->col;
    }
    for (const char *q = p->language; *q; q++)
        if (!islower((unsigned char)*q) || q - p->language > 8)
            return rk_diag_set(c->d, c->file, rk_node_get(root, "language")->line,
                               rk_node_get(root, "language")->col,
                               "language '%s' is not a language code; expected e.g. en or de", p->language);

    p->mailbox_count = -1;
    const rk_node *par = NULL;
    TRY(rk_node_map(c->file, root, "parameters", 0, &par, c->d));
    if (par) {
        static const char *const pk[] = {"scenarios", "mailbox_count", "large_public_folders", NULL};
        TRY(rk_node_only_keys(c->file, par, pk, c->d));
        const rk_node *sc = NULL;
        TRY(rk_node_seq(c->file, par, "scenarios", 0, &sc, c->d));
        for (size_t i = 0; sc && i < sc->count; i++) {
            const rk_node *it = sc->items[i];
            int si = it->type == RK_NODE_SCALAR ? rk_schema_scenario(c->s, it->value) : -1;
            if (si < 0) {
                rk_buf b = {0};
                for (size_t j = 0; j < c->s->nscenarios; j++)
                    rk_buf_printf(&b, "%s%s", j ? ", " : "", c->s->scenarios[j].id);
                rk_diag_set(c->d, c->file, it->line, it->col,
                            "unknown scenario '%s'; expected one of: %s",
                            it->type == RK_NODE_SCALAR ? it->value : "?", b.data ? b.data : "");
                rk_buf_free(&b);
                return RK_INPUT;
            }
            p->scenarios |= 1u << si;
        }
        TRY(rk_node_int(c->file, par, "mailbox_count", 0, 0, 100000000, &p->mailbox_count, c->d));
        TRY(rk_node_bool(c->file, par, "large_public_folders", 0, &p->large_public_folders, c->d));
    }

    const rk_node *zones = NULL;
    TRY(rk_node_seq(c->file, root, "zones", 0, &zones, c->d));
    if (zones) {
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
    }
    TRY(load_hosts(c, root));

    const rk_node *so = NULL;
    TRY(rk_node_seq(c->file, root, "signoff", 0, &so, c->d));
    if (so) {
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
    }

    const rk_node *ch = NULL;
    TRY(rk_node_map(c->file, root, "change", 0, &ch, c->d));
    if (ch) {
        static const char *const ck[] = {"id", "requester", "justification", "window",
                                         "review_date", "contacts", NULL};
        TRY(rk_node_only_keys(c->file, ch, ck, c->d));
        rk_change *cg = &p->change;
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
        if (ct) {
            cg->contacts = rk_xcalloc(ct->count ? ct->count : 1, sizeof(char *));
            for (size_t i = 0; i < ct->count; i++) {
                if (ct->items[i]->type != RK_NODE_SCALAR)
                    return rk_diag_set(c->d, c->file, ct->items[i]->line, ct->items[i]->col,
                                       "a contact is %s; expected a string", rk_node_kind(ct->items[i]));
                cg->contacts[cg->ncontacts++] = rk_xstrdup(ct->items[i]->value);
            }
        }
    }
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
                                "schema '%s' is not a schema id; expected e.g. migrator-pro-exchange-20.11", id);
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
