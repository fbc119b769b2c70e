/* software.c - Windows software facts: PowerShell, .NET, IIS, IE, Firefox, Outlook, SQL Server, Exchange. */
#include "win.h"
#include "../xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HKLM HKEY_LOCAL_MACHINE
#define SQL_ROOT L"SOFTWARE\\Microsoft\\Microsoft SQL Server"

/* Emits a list of PowerShell engine versions; a read failure of either engine key
 * leaves the whole list out (a partial list would look complete). */
static void powershell(rkc_emit *e)
{
    static const wchar_t *const keys[] = {
        L"SOFTWARE\\Microsoft\\PowerShell\\1\\PowerShellEngine",
        L"SOFTWARE\\Microsoft\\PowerShell\\3\\PowerShellEngine"};
    char v[2][128], d[200];
    int have[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        rkc_status st = rkc_reg_string(HKLM, keys[i], L"PowerShellVersion", RKC_VIEW64, v[i],
                                       sizeof v[i], d, sizeof d);
        if (st == RKC_OK && v[i][0])
            have[i] = 1;
        else if (st != RKC_OK && st != RKC_NOT_FOUND) {
            char msg[300];
            snprintf(msg, sizeof msg, "HKLM\\SOFTWARE\\Microsoft\\PowerShell\\%d\\PowerShellEngine: %s",
                     i ? 3 : 1, d);
            rkc_emit_fail(e, "powershell_versions", st, msg);
            return;
        }
    }
    rkc_emit_array_begin(e, "powershell_versions");
    for (int i = 0; i < 2; i++)
        if (have[i])
            rkc_emit_elem_str(e, v[i]);
    rkc_emit_array_end(e);
}

static void iis(rkc_emit *e)
{
    static const wchar_t k[] = L"SOFTWARE\\Microsoft\\InetStp";
    uint32_t major = 0, minor = 0;
    char d[200], v[32];
    rkc_status st = rkc_reg_dword(HKLM, k, L"MajorVersion", RKC_VIEW64, &major, d, sizeof d);
    if (st == RKC_OK) {
        if (rkc_reg_dword(HKLM, k, L"MinorVersion", RKC_VIEW64, &minor, d, sizeof d) != RKC_OK)
            minor = 0;
        snprintf(v, sizeof v, "%lu.%lu", (unsigned long)major, (unsigned long)minor);
        rkc_emit_str(e, "iis_version", v);
    } else
        rkc_emit_reg_dword(e, "iis_version", HKLM, k, L"MajorVersion", RKC_VIEW64);
}

static void internet_explorer(rkc_emit *e)
{
    static const wchar_t k[] = L"SOFTWARE\\Microsoft\\Internet Explorer";
    char svc[128], d[200];
    /* IE10 and later keep the real version in svcVersion; Version then reads 9.1x. */
    rkc_status st = rkc_reg_string(HKLM, k, L"svcVersion", RKC_VIEW64, svc, sizeof svc, d, sizeof d);
    if (st == RKC_OK && svc[0])
        rkc_emit_str(e, "ie_version", svc);
    else
        rkc_emit_reg_string(e, "ie_version", HKLM, k,
                            st == RKC_OK || st == RKC_NOT_FOUND ? L"Version" : L"svcVersion",
                            RKC_VIEW64);
    rkc_emit_reg_string(e, "ie_registry_version", HKLM, k, L"Version", RKC_VIEW64);
    rkc_emit_reg_string(e, "ie_svc_version", HKLM, k, L"svcVersion", RKC_VIEW64);
}

/* Firefox registers per machine (64- or 32-bit view) or per user. */
static void firefox(rkc_emit *e)
{
    static const wchar_t k[] = L"SOFTWARE\\Mozilla\\Mozilla Firefox";
    const struct { HKEY root; REGSAM view; } where[] = {
        {HKLM, RKC_VIEW64}, {HKLM, RKC_VIEW32}, {HKEY_CURRENT_USER, RKC_VIEW64}};
    char v[256], d[200];
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        rkc_status st = rkc_reg_string(where[i].root, k, L"CurrentVersion", where[i].view, v,
                                       sizeof v, d, sizeof d);
        if (st == RKC_NOT_FOUND || (st == RKC_OK && !v[0]))
            continue;
        if (st != RKC_OK) {
            rkc_emit_reg_string(e, "firefox_version", where[i].root, k, L"CurrentVersion",
                                where[i].view);
            rkc_emit_reg_string(e, "firefox_current_version", where[i].root, k,
                                L"CurrentVersion", where[i].view);
            return;
        }
        /* "115.5.0 ESR (x64 en-US)" or "115.5.0esr": the leading dotted number. */
        char num[64];
        size_t n = 0;
        while (n + 1 < sizeof num && ((v[n] >= '0' && v[n] <= '9') || v[n] == '.')) {
            num[n] = v[n];
            n++;
        }
        while (n > 0 && num[n - 1] == '.')
            n--;
        num[n] = '\0';
        rkc_emit_str(e, "firefox_version", n ? num : v);
        rkc_emit_str(e, "firefox_current_version", v);
        return;
    }
    rkc_emit_null(e, "firefox_version");
    rkc_emit_null(e, "firefox_current_version");
}

/* Cached Exchange Mode policy for Office version ver ("16.0"): user policy first, then
 * machine policy; null when neither sets it. */
static void cached_mode(rkc_emit *e, const char *ver)
{
    wchar_t path[160];
    uint32_t v = 0;
    char d[200];
    swprintf(path, 160, L"Software\\Policies\\Microsoft\\Office\\%hs\\Outlook\\Cached Mode", ver);
    HKEY roots[2] = {HKEY_CURRENT_USER, HKLM};
    for (int i = 0; i < 2; i++) {
        rkc_status st = rkc_reg_dword(roots[i], path, L"Enable", RKC_VIEW64, &v, d, sizeof d);
        if (st == RKC_OK) {
            rkc_emit_bool(e, "cached_mode", v != 0);
            return;
        }
        if (st != RKC_NOT_FOUND) {
            rkc_emit_reg_dword(e, "cached_mode", roots[i], path, L"Enable", RKC_VIEW64);
            return;
        }
    }
    rkc_emit_null(e, "cached_mode");
}

/* Whether a Click-to-Run product list installs Outlook: a suite that contains it and
 * whose "<id>.ExcludedApps" does not name it. */
static int c2r_has_outlook(HKEY cfg, const char *ids)
{
    static const char *const without[] = {"Access", "Excel", "Groove", "HomeStudent", "Lync",
                                          "OneNote", "PowerPoint", "Project", "Publisher",
                                          "Skype", "Visio", "Word", "Language", "Proofing",
                                          "OneDrive", "Teams", NULL};
    char id[128];
    const char *p = ids;
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t k = n < sizeof id - 1 ? n : sizeof id - 1;
        memcpy(id, p, k);
        id[k] = '\0';
        p += n + (p[n] == ',');
        int skip = !id[0];
        for (int i = 0; !skip && without[i]; i++)
            if (_strnicmp(id, without[i], strlen(without[i])) == 0)
                skip = 1;
        if (skip)
            continue;
        wchar_t vn[160];
        char ex[512], d[200];
        swprintf(vn, 160, L"%hs.ExcludedApps", id);
        if (rkc_regk_string(cfg, vn, ex, sizeof ex, d, sizeof d) == RKC_OK) {
            for (char *c = ex; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            if (strstr(ex, "outlook"))
                continue;
        }
        return 1;
    }
    return 0;
}

/* File version "a.b.c.d" of dir\OUTLOOK.EXE; 0 on success. */
static int exe_version(const char *dir, char *out, size_t outlen)
{
    char path[600], d[200];
    size_t n = strlen(dir);
    snprintf(path, sizeof path, "%s%sOUTLOOK.EXE", dir, n && dir[n - 1] == '\\' ? "" : "\\");
    wchar_t *w = rkc_to_wide(path);
    rkc_status st = rkc_file_version(w, out, outlen, d, sizeof d);
    free(w);
    return st == RKC_OK ? 0 : -1;
}

static void outlook(rkc_emit *e)
{
    static const wchar_t cfgpath[] = L"SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";
    char ids[1024], v[256], d[200];
    HKEY cfg;
    rkc_status st = rkc_reg_open(HKLM, cfgpath, RKC_VIEW64, &cfg);
    if (st == RKC_OK) {
        st = rkc_regk_string(cfg, L"ProductReleaseIds", ids, sizeof ids, d, sizeof d);
        if (st == RKC_OK && c2r_has_outlook(cfg, ids)) {
            rkc_emit_object_begin(e, "outlook");
            if (rkc_regk_string(cfg, L"VersionToReport", v, sizeof v, d, sizeof d) == RKC_OK ||
                rkc_regk_string(cfg, L"ClientVersionToReport", v, sizeof v, d, sizeof d) == RKC_OK)
                rkc_emit_str(e, "version", v);
            else
                rkc_emit_reg_string(e, "version", HKLM, cfgpath, L"VersionToReport", RKC_VIEW64);
            if (rkc_regk_string(cfg, L"Platform", v, sizeof v, d, sizeof d) == RKC_OK &&
                (!strcmp(v, "x86") || !strcmp(v, "x64")))
                rkc_emit_str(e, "bitness", v);
            else
                rkc_emit_null(e, "bitness");
            rkc_emit_str(e, "product", ids);
            rkc_emit_bool(e, "c2r", 1);
            rkc_emit_str(e, "office_major", "16.0");
            cached_mode(e, "16.0");
            rkc_emit_object_end(e);
            RegCloseKey(cfg);
            return;
        }
        RegCloseKey(cfg);
    }
    if (st != RKC_OK && st != RKC_NOT_FOUND) {
        rkc_emit_reg_string(e, "outlook", HKLM, cfgpath, L"ProductReleaseIds", RKC_VIEW64);
        return;
    }

    /* MSI: Office\<ver>\Outlook with Bitness or InstallRoot, 64-bit view first. */
    static const char *const vers[] = {"16.0", "15.0", "14.0"};
    for (int i = 0; i < 3; i++)
        for (int vw = 0; vw < 2; vw++) {
            REGSAM view = vw ? RKC_VIEW32 : RKC_VIEW64;
            wchar_t path[160];
            char bit[32] = "", root[512] = "";
            swprintf(path, 160, L"SOFTWARE\\Microsoft\\Office\\%hs\\Outlook", vers[i]);
            rkc_status sb = rkc_reg_string(HKLM, path, L"Bitness", view, bit, sizeof bit, d, sizeof d);
            wchar_t ir[180];
            swprintf(ir, 180, L"%ls\\InstallRoot", path);
            rkc_status sr = rkc_reg_string(HKLM, ir, L"Path", view, root, sizeof root, d, sizeof d);
            if (sb != RKC_OK && sr != RKC_OK)
                continue;
            rkc_emit_object_begin(e, "outlook");
            wchar_t pv[160];
            swprintf(pv, 160, L"SOFTWARE\\Microsoft\\Office\\%hs\\Common\\ProductVersion", vers[i]);
            if ((sr == RKC_OK && root[0] && exe_version(root, v, sizeof v) == 0) ||
                rkc_reg_string(HKLM, pv, L"LastProduct", view, v, sizeof v, d, sizeof d) == RKC_OK)
                rkc_emit_str(e, "version", v);
            else
                rkc_emit_str(e, "version", vers[i]);
            if (sb == RKC_OK && (!strcmp(bit, "x86") || !strcmp(bit, "x64")))
                rkc_emit_str(e, "bitness", bit);
            else
                rkc_emit_str(e, "bitness", vw ? "x86" : "x64");
            rkc_emit_str(e, "product", "msi");
            rkc_emit_bool(e, "c2r", 0);
            rkc_emit_str(e, "office_major", vers[i]);
            cached_mode(e, vers[i]);
            rkc_emit_object_end(e);
            return;
        }
    rkc_emit_null(e, "outlook");
}

int rkc_sql_instances(rkc_sql_instance *out, size_t max, rkc_status *st, char *detail,
                      size_t detlen)
{
    size_t n = 0;
    for (int vw = 0; vw < 2; vw++) {
        REGSAM view = vw ? RKC_VIEW32 : RKC_VIEW64;
        HKEY k;
        rkc_status s = rkc_reg_open(HKLM, SQL_ROOT L"\\Instance Names\\SQL", view, &k);
        if (s == RKC_NOT_FOUND)
            continue;
        if (s != RKC_OK) {
            *st = s;
            snprintf(detail, detlen, "HKLM\\SOFTWARE\\Microsoft\\Microsoft SQL Server\\Instance "
                     "Names\\SQL (%s-bit view): cannot open the key", vw ? "32" : "64");
            return -1;
        }
        for (DWORD i = 0; n < max; i++) {
            wchar_t name[128], data[160];
            DWORD nl = 128, dl = sizeof data - sizeof(wchar_t), type = 0;
            LONG rc = RegEnumValueW(k, i, name, &nl, NULL, &type, (BYTE *)data, &dl);
            if (rc == ERROR_NO_MORE_ITEMS)
                break;
            if (rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ))
                continue;
            data[dl / sizeof(wchar_t)] = 0;
            rkc_sql_instance *it = &out[n];
            rkc_to_utf8(name, (int)nl, it->name, sizeof it->name);
            rkc_to_utf8(data, -1, it->id, sizeof it->id);
            int dup = 0;
            for (size_t j = 0; j < n; j++)
                if (!strcmp(out[j].name, it->name) && !strcmp(out[j].id, it->id))
                    dup = 1;
            if (dup)
                continue;
            if (_wcsicmp(name, L"MSSQLSERVER") == 0)
                swprintf(it->service, 160, L"MSSQLSERVER");
            else
                swprintf(it->service, 160, L"MSSQL$%ls", name);
            it->view = view;
            n++;
        }
        RegCloseKey(k);
    }
    return (int)n;
}

static void sql_server(rkc_emit *e)
{
    rkc_sql_instance inst[64];
    rkc_status st = RKC_OK;
    char d[300];
    int n = rkc_sql_instances(inst, 64, &st, d, sizeof d);
    if (n < 0) {
        rkc_emit_fail(e, "sql_instances", st, d);
        return;
    }
    SC_HANDLE scm = n ? OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT) : NULL;
    rkc_emit_array_begin(e, "sql_instances");
    for (int i = 0; i < n; i++) {
        wchar_t setup[300];
        char svc[200];
        const char *state = NULL;
        swprintf(setup, 300, SQL_ROOT L"\\%hs\\Setup", inst[i].id);
        rkc_emit_elem_object(e, (size_t)i);
        rkc_emit_str(e, "name", inst[i].name);
        rkc_emit_str(e, "id", inst[i].id);
        char v[128], dd[200];
        rkc_status sv = rkc_reg_string(HKLM, setup, L"PatchLevel", inst[i].view, v, sizeof v, dd, sizeof dd);
        if (sv == RKC_OK && v[0])
            rkc_emit_str(e, "version", v);
        else
            rkc_emit_reg_string(e, "version", HKLM, setup, L"Version", inst[i].view);
        rkc_emit_reg_string(e, "edition", HKLM, setup, L"Edition", inst[i].view);
        rkc_to_utf8(inst[i].service, -1, svc, sizeof svc);
        rkc_emit_str(e, "service", svc);
        st = rkc_service_state(scm, inst[i].service, &state, d, sizeof d);
        if (st == RKC_OK)
            rkc_emit_str(e, "service_state", state);
        else
            rkc_emit_fail(e, "service_state", st, d);
        rkc_emit_bool(e, "wow64", inst[i].view == RKC_VIEW32);
        rkc_emit_object_end(e);
    }
    rkc_emit_array_end(e);
    if (scm)
        CloseServiceHandle(scm);
}

/* Emits roles[]: Exchange keeps one key per installed role beside Setup, not under it
 * (ExchangeServer\v15\MailboxRole, ...\v15\ClientAccessRole, v14\HubTransportRole,
 * ...). A role counts when its key has ConfiguredVersion: setup writes UnpackedVersion
 * when it copies a role's files and ConfiguredVersion only once the role is configured,
 * so a role whose installation stopped half-way is not listed. */
static void exchange_roles(rkc_emit *e, const wchar_t *vkey)
{
    HKEY k;
    rkc_status st = rkc_reg_open(HKLM, vkey, RKC_VIEW64, &k);
    if (st != RKC_OK) {
        char p[300], d[400];
        rkc_to_utf8(vkey, -1, p, sizeof p);
        snprintf(d, sizeof d, "HKLM\\%s: cannot open the key", p);
        rkc_emit_fail(e, "roles", st, d);
        return;
    }
    rkc_emit_array_begin(e, "roles");
    for (DWORD idx = 0;; idx++) {
        wchar_t sub[256];
        DWORD sl = 256;
        LONG rc = RegEnumKeyExW(k, idx, sub, &sl, NULL, NULL, NULL, NULL);
        if (rc == ERROR_NO_MORE_ITEMS)
            break;
        if (rc != ERROR_SUCCESS || sl <= 4 || _wcsicmp(sub + sl - 4, L"Role") != 0)
            continue;
        HKEY role;
        char r8[256];
        if (RegOpenKeyExW(k, sub, 0, KEY_QUERY_VALUE | RKC_VIEW64, &role) != ERROR_SUCCESS)
            continue;
        LONG have = RegQueryValueExW(role, L"ConfiguredVersion", NULL, NULL, NULL, NULL);
        RegCloseKey(role);
        if (have == ERROR_SUCCESS && rkc_to_utf8(sub, (int)sl - 4, r8, sizeof r8) == 0)
            rkc_emit_elem_str(e, r8);
    }
    rkc_emit_array_end(e);
    RegCloseKey(k);
}

static void exchange(rkc_emit *e)
{
    static const wchar_t *const versions[] = {L"SOFTWARE\\Microsoft\\ExchangeServer\\v15",
                                              L"SOFTWARE\\Microsoft\\ExchangeServer\\v14"};
    for (int i = 0; i < 2; i++) {
        HKEY k;
        char d[200];
        wchar_t setup[80];
        swprintf(setup, 80, L"%ls\\Setup", versions[i]);
        rkc_status st = rkc_reg_open(HKLM, setup, RKC_VIEW64, &k);
        if (st == RKC_NOT_FOUND)
            continue;
        if (st != RKC_OK) {
            rkc_emit_reg_dword(e, "exchange", HKLM, setup, L"MsiProductMajor", RKC_VIEW64);
            return;
        }
        uint32_t part[4];
        static const wchar_t *const names[] = {L"MsiProductMajor", L"MsiProductMinor",
                                               L"MsiBuildMajor", L"MsiBuildMinor"};
        int have = 1;
        for (int p = 0; p < 4 && have; p++)
            if (rkc_regk_dword(k, names[p], &part[p], d, sizeof d) != RKC_OK)
                have = 0;
        RegCloseKey(k);
        if (!have) /* a key left behind without an installation */
            continue;
        char v[80];
        snprintf(v, sizeof v, "%lu.%lu.%lu.%lu", (unsigned long)part[0], (unsigned long)part[1],
                 (unsigned long)part[2], (unsigned long)part[3]);
        rkc_emit_object_begin(e, "exchange");
        rkc_emit_str(e, "version", v);
        exchange_roles(e, versions[i]);
        rkc_emit_reg_string(e, "install_path", HKLM, setup, L"MsiInstallPath", RKC_VIEW64);
        rkc_emit_object_end(e);
        return;
    }
    rkc_emit_null(e, "exchange");
}

void rkc_collect_software(rkc_emit *e)
{
    powershell(e);
    rkc_emit_reg_dword(e, "dotnet_release", HKLM,
                       L"SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full", L"Release",
                       RKC_VIEW64);
    iis(e);
    internet_explorer(e);
    firefox(e);
    outlook(e);
    sql_server(e);
    exchange(e);
}
