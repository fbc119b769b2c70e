/* host.c - Windows host and identity facts: computer names, domain join, addresses, token. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <lm.h>
#include <sddl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "win.h"
#include "../xalloc.h"

static rkc_status computer_name(COMPUTER_NAME_FORMAT fmt, char *out, size_t outlen)
{
    wchar_t w[512];
    DWORD n = sizeof w / sizeof *w;
    out[0] = '\0';
    if (!GetComputerNameExW(fmt, w, &n))
        return rkc_status_win32(GetLastError());
    return rkc_to_utf8(w, (int)n, out, outlen) == 0 ? RKC_OK : RKC_FAILED;
}

static void addresses(rkc_emit *e)
{
    ULONG size = 16384;
    IP_ADAPTER_ADDRESSES *aa = NULL;
    ULONG rc = ERROR_BUFFER_OVERFLOW;
    for (int tries = 0; tries < 4 && rc == ERROR_BUFFER_OVERFLOW; tries++) {
        free(aa);
        aa = rkc_xmalloc(size);
        rc = GetAdaptersAddresses(AF_UNSPEC,
                                  GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST |
                                      GAA_FLAG_SKIP_DNS_SERVER | GAA_FLAG_SKIP_FRIENDLY_NAME,
                                  NULL, aa, &size);
    }
    if (rc != ERROR_SUCCESS && rc != ERROR_NO_DATA) {
        char d[64];
        snprintf(d, sizeof d, "GetAdaptersAddresses: error %lu", (unsigned long)rc);
        rkc_emit_fail(e, "addresses", rkc_status_win32(rc), d);
        free(aa);
        return;
    }
    rkc_emit_array_begin(e, "addresses");
    for (IP_ADAPTER_ADDRESSES *a = rc == ERROR_SUCCESS ? aa : NULL; a; a = a->Next) {
        if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
            continue;
        for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
            char txt[NI_MAXHOST];
            SOCKADDR *sa = u->Address.lpSockaddr;
            if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
                continue;
            if (getnameinfo(sa, u->Address.iSockaddrLength, txt, sizeof txt, NULL, 0,
                            NI_NUMERICHOST) != 0)
                continue;
            char *pct = strchr(txt, '%');
            if (pct)
                *pct = '\0';
            rkc_emit_elem_str(e, txt);
        }
    }
    rkc_emit_array_end(e);
    free(aa);
}

void rkc_collect_host(rkc_emit *e)
{
    char name[512], fqdn[512], dnsdom[512], joined[512] = "";
    rkc_status st = computer_name(ComputerNamePhysicalNetBIOS, name, sizeof name);
    if (st == RKC_OK)
        rkc_emit_str(e, "name", name);
    else
        rkc_emit_fail(e, "name", st, "GetComputerNameEx");
    st = computer_name(ComputerNamePhysicalDnsFullyQualified, fqdn, sizeof fqdn);
    if (st == RKC_OK)
        rkc_emit_str(e, "fqdn", strchr(fqdn, '.') ? fqdn : NULL);
    else
        rkc_emit_fail(e, "fqdn", st, "GetComputerNameEx");
    rkc_status dst = computer_name(ComputerNamePhysicalDnsDomain, dnsdom, sizeof dnsdom);

    wchar_t *jn = NULL;
    NETSETUP_JOIN_STATUS js = NetSetupUnknownStatus;
    NET_API_STATUS ns = NetGetJoinInformation(NULL, &jn, &js);
    if (ns == NERR_Success) {
        if (jn)
            rkc_to_utf8(jn, -1, joined, sizeof joined);
        int is_domain = js == NetSetupDomainName;
        if (is_domain)
            rkc_emit_str(e, "domain", dst == RKC_OK && dnsdom[0] ? dnsdom : joined);
        else
            rkc_emit_null(e, "domain");
        rkc_emit_bool(e, "domain_joined", is_domain);
        rkc_emit_str(e, "workgroup", js == NetSetupWorkgroupName && joined[0] ? joined : NULL);
        rkc_emit_str(e, "netbios_domain", is_domain && joined[0] ? joined : NULL);
    } else {
        char d[64];
        snprintf(d, sizeof d, "NetGetJoinInformation: error %lu", (unsigned long)ns);
        rkc_status s2 = rkc_status_win32(ns);
        rkc_emit_fail(e, "domain", s2, d);
        rkc_emit_fail(e, "domain_joined", s2, d);
        rkc_emit_fail(e, "workgroup", s2, d);
        rkc_emit_fail(e, "netbios_domain", s2, d);
    }
    if (jn)
        NetApiBufferFree(jn);
    addresses(e);
}

/* "DOMAIN\name", or "name" when the domain is empty, or the SID string. */
static void account_name(PSID sid, char *out, size_t outlen)
{
    wchar_t nm[256], dm[256];
    DWORD nn = 256, dn = 256;
    SID_NAME_USE use;
    char n8[512], d8[512];
    out[0] = '\0';
    if (LookupAccountSidW(NULL, sid, nm, &nn, dm, &dn, &use) &&
        rkc_to_utf8(nm, -1, n8, sizeof n8) == 0 && rkc_to_utf8(dm, -1, d8, sizeof d8) == 0) {
        if (d8[0])
            snprintf(out, outlen, "%s\\%s", d8, n8);
        else
            snprintf(out, outlen, "%s", n8);
        return;
    }
    wchar_t *s = NULL;
    if (ConvertSidToStringSidW(sid, &s)) {
        rkc_to_utf8(s, -1, out, outlen);
        LocalFree(s);
    }
}

/* The token information of class cls in a malloc'd buffer, or NULL (GetLastError). */
static void *token_info(HANDLE tok, TOKEN_INFORMATION_CLASS cls)
{
    DWORD size = 0;
    GetTokenInformation(tok, cls, NULL, 0, &size);
    if (size == 0)
        return NULL;
    void *p = rkc_xmalloc(size);
    if (!GetTokenInformation(tok, cls, p, size, &size)) {
        DWORD err = GetLastError();
        free(p);
        SetLastError(err);
        return NULL;
    }
    return p;
}

void rkc_collect_identity(rkc_emit *e)
{
    HANDLE tok = NULL;
    char buf[1024], d[64];
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
        DWORD err = GetLastError();
        snprintf(d, sizeof d, "OpenProcessToken: error %lu", (unsigned long)err);
        static const char *const keys[] = {"user", "sid", "local_admin", "elevated",
                                           "admin_group_member", "groups", "deny_only_groups"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            rkc_emit_fail(e, keys[i], rkc_status_win32(err), d);
        return;
    }
    TOKEN_USER *tu = token_info(tok, TokenUser);
    if (tu) {
        account_name(tu->User.Sid, buf, sizeof buf);
        rkc_emit_str(e, "user", buf);
        wchar_t *s = NULL;
        if (ConvertSidToStringSidW(tu->User.Sid, &s)) {
            rkc_to_utf8(s, -1, buf, sizeof buf);
            LocalFree(s);
            rkc_emit_str(e, "sid", buf);
        } else
            rkc_emit_fail(e, "sid", RKC_FAILED, "ConvertSidToStringSid");
        free(tu);
    } else {
        snprintf(d, sizeof d, "TokenUser: error %lu", (unsigned long)GetLastError());
        rkc_emit_fail(e, "user", RKC_FAILED, d);
        rkc_emit_fail(e, "sid", RKC_FAILED, d);
    }

    SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
    PSID admins = NULL;
    BOOL member = FALSE;
    if (AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS,
                                 0, 0, 0, 0, 0, 0, &admins) &&
        CheckTokenMembership(NULL, admins, &member))
        rkc_emit_bool(e, "local_admin", member);
    else {
        snprintf(d, sizeof d, "CheckTokenMembership: error %lu", (unsigned long)GetLastError());
        rkc_emit_fail(e, "local_admin", RKC_FAILED, d);
    }

    TOKEN_ELEVATION el;
    DWORD elsize = sizeof el;
    if (GetTokenInformation(tok, TokenElevation, &el, sizeof el, &elsize))
        rkc_emit_bool(e, "elevated", el.TokenIsElevated != 0);
    else {
        snprintf(d, sizeof d, "TokenElevation: error %lu", (unsigned long)GetLastError());
        rkc_emit_fail(e, "elevated", RKC_FAILED, d);
    }

    TOKEN_GROUPS *tg = token_info(tok, TokenGroups);
    if (tg) {
        int in_admins = 0;
        for (DWORD i = 0; i < tg->GroupCount; i++)
            if (admins && EqualSid(tg->Groups[i].Sid, admins))
                in_admins = 1;
        rkc_emit_bool(e, "admin_group_member", in_admins);
        for (int deny = 0; deny < 2; deny++) {
            rkc_emit_array_begin(e, deny ? "deny_only_groups" : "groups");
            for (DWORD i = 0; i < tg->GroupCount; i++) {
                DWORD at = tg->Groups[i].Attributes;
                if ((at & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID)
                    continue; /* the logon session, not a group */
                if (!!(at & SE_GROUP_USE_FOR_DENY_ONLY) != deny)
                    continue;
                account_name(tg->Groups[i].Sid, buf, sizeof buf);
                rkc_emit_elem_str(e, buf);
            }
            rkc_emit_array_end(e);
        }
        free(tg);
    } else {
        snprintf(d, sizeof d, "TokenGroups: error %lu", (unsigned long)GetLastError());
        rkc_emit_fail(e, "admin_group_member", RKC_FAILED, d);
        rkc_emit_fail(e, "groups", RKC_FAILED, d);
        rkc_emit_fail(e, "deny_only_groups", RKC_FAILED, d);
    }
    if (admins)
        FreeSid(admins);
    CloseHandle(tok);
}
