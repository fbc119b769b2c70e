/* inventory.c - writes an Ansible inventory of the project's hosts. */
#include "inventory.h"

#include <string.h>

/* YAML double-quoted scalar: escapes backslash, quote and control characters. */
static void yq(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(fp, "\\%c", *p);
        else if (*p < 0x20) fprintf(fp, "\\x%02x", *p);
        else fputc(*p, fp);
    }
    fputc('"', fp);
}

static void group_name(FILE *fp, const char *prefix, const char *id)
{
    fputs(prefix, fp);
    for (const char *p = id; *p; p++) {
        char c = *p;
        fputc((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_', fp);
    }
}

static void host_entry(const rk_assessment *a, size_t h, FILE *fp, int full)
{
    const rk_host *host = &a->project->hosts[h];
    fprintf(fp, "            ");
    yq(fp, host->name);
    if (!full) {
        fputs(": {}\n", fp);
        return;
    }
    fputs(":\n", fp);
    fputs("              ansible_host: ", fp);
    yq(fp, host->naddresses ? host->addresses[0] : host->fqdn ? host->fqdn : host->name);
    fputs("\n              readykit_fqdn: ", fp);
    yq(fp, host->fqdn);
    fputs("\n              readykit_zone: ", fp);
    yq(fp, host->zone);
    fputs("\n              readykit_roles: [", fp);
    int first = 1;
    for (size_t r = 0; r < a->schema->nroles; r++)
        if (host->roles & (1u << r)) {
            if (!first) fputs(", ", fp);
            yq(fp, a->schema->roles[r].id);
            first = 0;
        }
    fputs("]\n              readykit_facts_file: ", fp);
    char *name = strrchr(host->facts_path, '/');
    yq(fp, name ? name + 1 : host->facts_path);
    fputc('\n', fp);
}

void rk_inventory_write(const rk_assessment *a, FILE *fp)
{
    const rk_project *p = a->project;
    fputs("# Ansible inventory written by readykit inventory from ", fp);
    fputs(p->path, fp);
    fputs(".\n# Regenerate it after changing the project file; do not edit by hand.\n", fp);
    fputs("all:\n  children:\n    readykit:\n      vars:\n        readykit_assessment_id: ", fp);
    yq(fp, p->assessment_id);
    fputs("\n        readykit_customer: ", fp);
    yq(fp, p->customer);
    fputs("\n      hosts:\n", fp);
    for (size_t h = 0; h < p->nhosts; h++) host_entry(a, h, fp, 1);
    fputs("      children:\n", fp);
    for (size_t r = 0; r < a->schema->nroles; r++) {
        int any = 0;
        for (size_t h = 0; h < p->nhosts; h++)
            if (p->hosts[h].roles & (1u << r)) any = 1;
        if (!any) continue;
        fputs("        ", fp);
        group_name(fp, "role_", a->schema->roles[r].id);
        fputs(":\n          hosts:\n", fp);
        for (size_t h = 0; h < p->nhosts; h++)
            if (p->hosts[h].roles & (1u << r)) host_entry(a, h, fp, 0);
    }
    for (size_t z = 0; z < p->nzones; z++) {
        int any = 0;
        for (size_t h = 0; h < p->nhosts; h++)
            if (p->hosts[h].zone && !strcmp(p->hosts[h].zone, p->zones[z].id)) any = 1;
        if (!any) continue;
        fputs("        ", fp);
        group_name(fp, "zone_", p->zones[z].id);
        fputs(":\n          hosts:\n", fp);
        for (size_t h = 0; h < p->nhosts; h++)
            if (p->hosts[h].zone && !strcmp(p->hosts[h].zone, p->zones[z].id)) host_entry(a, h, fp, 0);
    }
}
