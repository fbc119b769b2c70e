/* host_plan.c - writes a host's plan for readykit-collect: the schema's collect items for the
 * host's roles, then one TCP probe per verifiable flow destination. Plain text, so that
 * a customer reads what will be read and contacted before anything runs. */
#include "host_plan.h"

#include <string.h>

#include "flows.h"
#include "util.h"

/* Writes s with control characters replaced, so no text can start a new plan line. */
static void put_clean(FILE *fp, const char *s)
{
    for (; s && *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, fp);
}

/* 1 when s can be one bare field of a plan line: non-empty, no spaces, quotes or control
 * characters, does not start a comment. */
static int plan_token(const char *s)
{
    if (!s || !*s || *s == '#') return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '"') return 0;
    return 1;
}

/* One argument of a collect line: bare when it can be, else in double quotes with a
 * quote written twice (backslashes stay as they are: registry keys and Windows paths). */
static void put_arg(FILE *fp, const char *s)
{
    if (plan_token(s)) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; s && *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, fp);
    }
    fputc('"', fp);
}

static int item_for(const rk_collect *c, const rk_host *h)
{
    return !c->roles || (c->roles & h->roles);
}

static void header(const rk_assessment *a, const rk_host *h, size_t nitems, size_t nprobe,
                   size_t nskip, FILE *fp)
{
    const rk_project *p = a->project;
    fputs("# readykit plan: what readykit-collect reads and contacts on this host.\n"
          "# 'collect' lines read one registry value, program, file version, service,\n"
          "# Windows feature or file each; nothing is changed. Each probe line opens a TCP\n"
          "# connection to ADDRESS-OR-NAME on PORT and closes it; nothing else is sent.\n",
          fp);
    fputs("# project: ", fp);
    put_clean(fp, p->customer);
    fputs(" / ", fp);
    put_clean(fp, p->project);
    fputs("\n# assessment: ", fp);
    put_clean(fp, p->assessment_id);
    fputs("\n# schema: ", fp);
    put_clean(fp, a->schema->id);
    fputs("\n# host: ", fp);
    put_clean(fp, h->name);
    if (h->fqdn && *h->fqdn) {
        fputs(" (", fp);
        put_clean(fp, h->fqdn);
        fputs(")", fp);
    }
    fprintf(fp, "\n# collect items: %zu\n# probes: %zu\n# flows a TCP connect cannot verify "
                "(listed at the end as comments): %zu\n",
            nitems, nprobe, nskip);
}

static size_t write_items(const rk_assessment *a, const rk_host *h, FILE *fp, int count_only)
{
    size_t n = 0;
    for (size_t i = 0; i < a->schema->ncollect; i++) {
        const rk_collect *c = &a->schema->collect[i];
        if (!item_for(c, h)) continue;
        n++;
        if (count_only) continue;
        if (n == 1) fputs("# collect ID KIND ARGUMENT [VALUE-NAME]\n", fp);
        if (c->title) {
            fputs("# ", fp);
            put_clean(fp, c->title);
            fputc('\n', fp);
        }
        fprintf(fp, "collect %s %s ", c->id, rk_collect_kind_str(c->kind));
        put_arg(fp, c->arg1);
        if (c->arg2) {
            fputc(' ', fp);
            put_arg(fp, c->arg2);
        }
        fputc('\n', fp);
    }
    return n;
}

/* Probe lines of one flow: one per address of its destination that a connect can reach.
 * Returns how many were (or would be) written. */
static size_t flow_probes(const rk_assessment *a, const rk_flow *f, FILE *fp)
{
    const rk_end *e = &a->ends[f->to_host];
    size_t n = 0;
    if (!rk_flows_probeable(f)) return 0;
    if (!e->naddresses) {
        const char *dst = rk_end_target(e);
        if (!plan_token(dst)) return 0;
        if (fp) fprintf(fp, "tcp %d %s %s\n", f->port_from, dst, f->id);
        return 1;
    }
    /* only the destination's addresses of the flow's family: an IPv6 flow is probed on
     * the IPv6 addresses, its IPv4 twin (another flow id) on the IPv4 ones */
    for (size_t k = 0; k < e->naddresses; k++) {
        const char *dst = e->addresses[k];
        if (e->address_families[k] != f->dst_family) continue;
        if (!plan_token(dst) || !rk_end_probeable_name(dst)) continue;
        if (fp) fprintf(fp, "tcp %d %s %s\n", f->port_from, dst, f->id);
        n++;
    }
    return n;
}

static void skipped(const rk_assessment *a, const rk_flow *f, FILE *fp)
{
    const rk_end *e = &a->ends[f->to_host];
    fprintf(fp, "# %s ", rk_flows_proto_str(f->protocol));
    if (f->port_from == f->port_to)
        fprintf(fp, "%d ", f->port_from);
    else
        fprintf(fp, "%d-%d ", f->port_from, f->port_to);
    if (f->dst_family) {
        rk_buf b = {0};
        rk_end_targets_str(&b, e, f->dst_family, ", ");
        put_clean(fp, b.data ? b.data : "");
        rk_buf_free(&b);
    } else {
        put_clean(fp, e->naddresses ? e->address_text : rk_end_target(e));
    }
    fprintf(fp, " %s (%s)\n", f->id,
            !f->dst_family             ? "no address family in common with this host"
            : f->protocol != RK_PROTO_TCP ? "UDP"
            : f->dynamic || f->port_from != f->port_to ? "dynamic port range"
                                       : "no address or name a connect can reach");
}

rk_err rk_plan_write(const rk_assessment *a, size_t host, FILE *fp)
{
    if (!a->project || host >= a->project->nhosts) return RK_USAGE;
    const rk_host *h = &a->project->hosts[host];
    size_t nprobe = 0, nskip = 0;
    for (size_t i = 0; i < a->nflows; i++) {
        if (a->flows[i].from_host != host) continue;
        size_t n = flow_probes(a, &a->flows[i], NULL);
        nprobe += n;
        nskip += !n;
    }
    header(a, h, write_items(a, h, fp, 1), nprobe, nskip, fp);
    write_items(a, h, fp, 0);
    fputs("# PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID\n", fp);
    for (size_t i = 0; i < a->nflows; i++)
        if (a->flows[i].from_host == host) flow_probes(a, &a->flows[i], fp);
    if (nskip) {
        fputs("#\n# not verifiable by a TCP connect (never probed):\n", fp);
        for (size_t i = 0; i < a->nflows; i++) {
            const rk_flow *f = &a->flows[i];
            if (f->from_host == host && !flow_probes(a, f, NULL)) skipped(a, f, fp);
        }
    }
    if (!nprobe && !nskip) fputs("# no flow starts at this host\n", fp);
    fflush(fp);
    return ferror(fp) ? RK_OUTPUT : RK_OK;
}
