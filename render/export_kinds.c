/* export_kinds.c - the kind words of the firewall-tool import files. */
#include "export_kinds.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *word;
    unsigned kind;
} KINDS[] = {{"traffic", RK_FWX_TRAFFIC}, {"netbox-services", RK_FWX_NETBOX},
             {"panos", RK_FWX_PANOS}};

const char *rk_fwx_kind_str(unsigned kind)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (KINDS[i].kind == kind) return KINDS[i].word;
    return "?";
}

const char *rk_fwx_expected(void) { return "traffic, netbox-services, panos, all or none"; }

int rk_fwx_parse(const char *text, unsigned *mask, char *bad, size_t badlen)
{
    const char *p = text ? text : "";
    for (;;) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t')) m--;
        int ok = 0;
        if (m == 3 && !strncmp(p, "all", 3)) *mask |= RK_FWX_ALL, ok = 1;
        else if (m == 4 && !strncmp(p, "none", 4)) *mask = 0, ok = 1;
        for (size_t i = 0; !ok && i < sizeof KINDS / sizeof KINDS[0]; i++)
            if (strlen(KINDS[i].word) == m && !strncmp(p, KINDS[i].word, m)) {
                *mask |= KINDS[i].kind;
                ok = 1;
            }
        if (!ok) {
            if (bad && badlen) snprintf(bad, badlen, "%.*s", (int)(m < 64 ? m : 64), p);
            return -1;
        }
        if (!p[n]) return 0;
        p += n + 1;
    }
}
