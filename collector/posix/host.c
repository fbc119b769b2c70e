/* host.c - Linux host and identity facts: names from uname and /etc/hosts, getifaddrs, ids. */
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../platform.h"
#include "../xalloc.h"

/* Finds the dotted name for host in /etc/hosts (the first name on a line that also
 * names host and starts with "host."), without asking any name server. */
static int fqdn_from_hosts(const char *host, char *out, size_t outlen)
{
    FILE *f = fopen("/etc/hosts", "re");
    char line[1024];
    size_t hl = strlen(host);
    int found = 0;
    if (!f)
        return 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *names[32];
        int n = 0;
        char *save = NULL;
        char *tok = strtok_r(line, " \t\r\n", &save); /* the address */
        while (tok && n < 32 && (tok = strtok_r(NULL, " \t\r\n", &save)))
            names[n++] = tok;
        int has = 0;
        for (int i = 0; i < n; i++)
            if (strcasecmp(names[i], host) == 0)
                has = 1;
        for (int i = 0; has && i < n; i++)
            if (strncasecmp(names[i], host, hl) == 0 && names[i][hl] == '.' && names[i][hl + 1]) {
                snprintf(out, outlen, "%s", names[i]);
                found = 1;
                break;
            }
    }
    fclose(f);
    return found;
}

void rkc_collect_host(rkc_emit *e)
{
    struct utsname u;
    char name[256] = "", fqdn[300] = "";
    if (uname(&u) == 0)
        snprintf(name, sizeof name, "%s", u.nodename);
    else if (gethostname(name, sizeof name - 1) != 0)
        name[0] = '\0';
    if (strchr(name, '.'))
        snprintf(fqdn, sizeof fqdn, "%s", name);
    char *dot = strchr(name, '.');
    if (dot)
        *dot = '\0';
    if (!fqdn[0] && name[0])
        fqdn_from_hosts(name, fqdn, sizeof fqdn);
    if (name[0])
        rkc_emit_str(e, "name", name);
    else
        rkc_emit_fail(e, "name", RKC_FAILED, "uname gave no node name");
    rkc_emit_str(e, "fqdn", fqdn[0] ? fqdn : NULL);
    dot = strchr(fqdn, '.');
    rkc_emit_str(e, "domain", dot ? dot + 1 : NULL);
    /* Whether a Linux host is joined to a directory cannot be told reliably. */
    rkc_emit_null(e, "domain_joined");
    rkc_emit_unsupported(e, "workgroup");
    rkc_emit_unsupported(e, "netbios_domain");

    struct ifaddrs *ifa = NULL;
    if (getifaddrs(&ifa) != 0) {
        rkc_emit_fail(e, "addresses", RKC_FAILED, "getifaddrs");
        return;
    }
    rkc_emit_array_begin(e, "addresses");
    for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
        char txt[NI_MAXHOST];
        if (!i->ifa_addr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
            continue;
        int fam = i->ifa_addr->sa_family;
        if (fam != AF_INET && fam != AF_INET6)
            continue;
        socklen_t len = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
        if (getnameinfo(i->ifa_addr, len, txt, sizeof txt, NULL, 0, NI_NUMERICHOST) != 0)
            continue;
        char *pct = strchr(txt, '%'); /* scope id: the interface, not part of the address */
        if (pct)
            *pct = '\0';
        rkc_emit_elem_str(e, txt);
    }
    rkc_emit_array_end(e);
    freeifaddrs(ifa);
}

void rkc_collect_identity(rkc_emit *e)
{
    uid_t uid = geteuid();
    char buf[64];
    struct passwd *pw = getpwuid(uid);
    if (pw && pw->pw_name)
        rkc_emit_str(e, "user", pw->pw_name);
    else {
        snprintf(buf, sizeof buf, "%lu", (unsigned long)uid);
        rkc_emit_str(e, "user", buf);
    }
    rkc_emit_unsupported(e, "sid");
    rkc_emit_bool(e, "local_admin", uid == 0);
    rkc_emit_unsupported(e, "elevated");
    rkc_emit_unsupported(e, "admin_group_member");

    int n = getgroups(0, NULL);
    gid_t *g = rkc_xcalloc((size_t)(n > 0 ? n : 0) + 1, sizeof *g);
    g[0] = getegid();
    if (n > 0)
        n = getgroups(n, g + 1);
    if (n < 0) {
        rkc_emit_fail(e, "groups", RKC_FAILED, "getgroups");
        free(g);
        return;
    }
    rkc_emit_array_begin(e, "groups");
    for (int i = 0; i <= n; i++) {
        int dup = 0;
        for (int k = 0; k < i; k++)
            if (g[k] == g[i])
                dup = 1;
        if (dup)
            continue;
        struct group *gr = getgrgid(g[i]);
        if (gr && gr->gr_name)
            rkc_emit_elem_str(e, gr->gr_name);
        else {
            snprintf(buf, sizeof buf, "%lu", (unsigned long)g[i]);
            rkc_emit_elem_str(e, buf);
        }
    }
    rkc_emit_array_end(e);
    rkc_emit_unsupported(e, "deny_only_groups");
    free(g);
}
