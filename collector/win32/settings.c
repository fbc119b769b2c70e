/* settings.c - Windows settings and services facts: UAC, IE ESC, SCHANNEL, .NET TLS, WinRM, SCM. */
#include "win.h"

#include <stdio.h>
#include <string.h>

#define HKLM HKEY_LOCAL_MACHINE

static void tls(rkc_emit *e, const char *key, const wchar_t *proto)
{
    wchar_t c[200], s[200];
    swprintf(c, 200, L"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\%ls\\Client", proto);
    swprintf(s, 200, L"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\%ls\\Server", proto);
    rkc_emit_object_begin(e, key);
    rkc_emit_reg_dword(e, "client_enabled", HKLM, c, L"Enabled", RKC_VIEW64);
    rkc_emit_reg_dword(e, "client_disabled_by_default", HKLM, c, L"DisabledByDefault", RKC_VIEW64);
    rkc_emit_reg_dword(e, "server_enabled", HKLM, s, L"Enabled", RKC_VIEW64);
    rkc_emit_reg_dword(e, "server_disabled_by_default", HKLM, s, L"DisabledByDefault", RKC_VIEW64);
    rkc_emit_object_end(e);
}

static void winrm_listeners(rkc_emit *e)
{
    static const wchar_t k[] = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener";
    HKEY h;
    rkc_status st = rkc_reg_open(HKLM, k, RKC_VIEW64, &h);
    if (st != RKC_OK && st != RKC_NOT_FOUND) {
        rkc_emit_fail(e, "winrm_listeners", st,
                      "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener");
        return;
    }
    rkc_emit_array_begin(e, "winrm_listeners");
    for (DWORD i = 0; st == RKC_OK; i++) {
        wchar_t sub[256];
        DWORD sl = 256;
        LONG rc = RegEnumKeyExW(h, i, sub, &sl, NULL, NULL, NULL, NULL);
        if (rc == ERROR_NO_MORE_ITEMS)
            break;
        if (rc != ERROR_SUCCESS)
            continue;
        char s8[512];
        if (rkc_to_utf8(sub, (int)sl, s8, sizeof s8) == 0)
            rkc_emit_elem_str(e, s8);
    }
    rkc_emit_array_end(e);
    if (st == RKC_OK)
        RegCloseKey(h);
}

void rkc_collect_settings(rkc_emit *e)
{
    static const wchar_t esc[] =
        L"SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\";
    wchar_t p[200];
    rkc_emit_reg_dword(e, "uac_enable_lua", HKLM,
                       L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
                       L"EnableLUA", RKC_VIEW64);
    swprintf(p, 200, L"%ls{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}", esc);
    rkc_emit_reg_dword(e, "ie_esc_admins", HKLM, p, L"IsInstalled", RKC_VIEW64);
    swprintf(p, 200, L"%ls{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}", esc);
    rkc_emit_reg_dword(e, "ie_esc_users", HKLM, p, L"IsInstalled", RKC_VIEW64);
    tls(e, "tls10", L"TLS 1.0");
    tls(e, "tls11", L"TLS 1.1");
    tls(e, "tls12", L"TLS 1.2");
    tls(e, "tls13", L"TLS 1.3");
    static const struct {
        const char *key;
        const wchar_t *path, *name;
        REGSAM view;
    } net[] = {
        {"dotnet_strong_crypto", L"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", L"SchUseStrongCrypto", RKC_VIEW64},
        {"dotnet_system_default_tls", L"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", L"SystemDefaultTlsVersions", RKC_VIEW64},
        {"dotnet_strong_crypto_wow", L"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", L"SchUseStrongCrypto", RKC_VIEW32},
        {"dotnet_system_default_tls_wow", L"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", L"SystemDefaultTlsVersions", RKC_VIEW32},
        {"dotnet2_strong_crypto", L"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727", L"SchUseStrongCrypto", RKC_VIEW64},
        {"dotnet2_system_default_tls", L"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727", L"SystemDefaultTlsVersions", RKC_VIEW64},
        {"dotnet2_strong_crypto_wow", L"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727", L"SchUseStrongCrypto", RKC_VIEW32},
        {"dotnet2_system_default_tls_wow", L"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727", L"SystemDefaultTlsVersions", RKC_VIEW32},
    };
    for (size_t i = 0; i < sizeof net / sizeof *net; i++)
        rkc_emit_reg_dword(e, net[i].key, HKLM, net[i].path, net[i].name, net[i].view);
    winrm_listeners(e);
}

/* The base services every host reports, and each SQL Server instance's service. A
 * product's own services (Exchange's, for one) are its schema's `service` collect items. */
void rkc_collect_services(rkc_emit *e)
{
    static const wchar_t *const fixed[] = {
        L"SQLBrowser", L"WinRM", L"W3SVC", L"RemoteRegistry", L"LanmanServer", NULL};
    char d[300], name[200];
    const char *state;
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
    DWORD scm_err = scm ? 0 : GetLastError();
    rkc_sql_instance inst[64];
    rkc_status st = RKC_OK;
    int n = rkc_sql_instances(inst, 64, &st, d, sizeof d);
    for (int i = 0; fixed[i]; i++) {
        rkc_to_utf8(fixed[i], -1, name, sizeof name);
        if (!scm) {
            snprintf(d, sizeof d, "OpenSCManager: error %lu", (unsigned long)scm_err);
            rkc_emit_fail(e, name, rkc_status_win32(scm_err), d);
            continue;
        }
        st = rkc_service_state(scm, fixed[i], &state, d, sizeof d);
        if (st == RKC_OK)
            rkc_emit_str(e, name, state);
        else
            rkc_emit_fail(e, name, st, d);
    }
    for (int i = 0; i < n; i++) {
        rkc_to_utf8(inst[i].service, -1, name, sizeof name);
        int dup = 0;
        for (int j = 0; j < i; j++)
            if (_wcsicmp(inst[j].service, inst[i].service) == 0)
                dup = 1;
        if (dup)
            continue;
        if (!scm) {
            snprintf(d, sizeof d, "OpenSCManager: error %lu", (unsigned long)scm_err);
            rkc_emit_fail(e, name, rkc_status_win32(scm_err), d);
            continue;
        }
        st = rkc_service_state(scm, inst[i].service, &state, d, sizeof d);
        if (st == RKC_OK)
            rkc_emit_str(e, name, state);
        else
            rkc_emit_fail(e, name, st, d);
    }
    if (scm)
        CloseServiceHandle(scm);
}
