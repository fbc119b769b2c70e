/* collect.c - Windows collect items: registry, services, features, file versions, files. */
#include "win.h"
#include "../xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HKLM HKEY_LOCAL_MACHINE
#define RKC_REG_MAX_DATA (1024u * 1024u) /* larger registry values are refused */
#define COMPONENT_CACHE \
    L"SOFTWARE\\Microsoft\\ServerManager\\ServicingStorage\\ServerComponentCache"

static SC_HANDLE scm;
static DWORD scm_err;
static int scm_tried;

/* The services the SCM has, with their states, listed once for all service items: one
 * call instead of a status query per item (each call is a round trip to the SCM). Left
 * empty when the list cannot be had; each item then asks for its status itself. */
static struct {
    ENUM_SERVICE_STATUS_PROCESSW *v;
    DWORD n;
} services;

/* The key the last registry item opened: plans read several values of one key in a
 * row (a protocol's Enabled and DisabledByDefault), and each open is a round trip. */
static struct {
    int valid;
    rkc_hive hive;
    char *subkey;
    HKEY key;  /* NULL with valid set: the key does not exist */
} last_key;

static void forget_key(void)
{
    if (last_key.key)
        RegCloseKey(last_key.key);
    free(last_key.subkey);
    memset(&last_key, 0, sizeof last_key);
}

void rkc_win_collect_done(void)
{
    forget_key();
    if (scm)
        CloseServiceHandle(scm);
    scm = NULL;
    scm_tried = 0;
    free(services.v);
    memset(&services, 0, sizeof services);
    rkc_win_programs_done();
}

/* --- registry ------------------------------------------------------------------- */

/* Fails the item with "KEY\VALUE (64-bit view): what". */
static void reg_fail(rkc_emit *e, const rkc_plan_collect *it, rkc_status st, const char *what)
{
    char msg[700];
    snprintf(msg, sizeof msg, "%s\\%s (64-bit view): %s", it->arg,
             it->value && *it->value ? it->value : "(default)", what);
    rkc_emit_fail(e, it->id, st, msg);
}

/* Reads a value's type and data into a malloc'd buffer with room for two wide NULs
 * after the data. Returns ERROR_SUCCESS, or the registry's error (ERROR_MORE_DATA when
 * the value is larger than RKC_REG_MAX_DATA). */
static LONG query_value(HKEY k, const wchar_t *name, DWORD *type, BYTE **data, DWORD *size)
{
    DWORD cap = 512;
    BYTE *buf = NULL;
    LONG rc = ERROR_MORE_DATA;
    for (int attempt = 0; attempt < 8 && rc == ERROR_MORE_DATA; attempt++) {
        buf = rkc_xrealloc(buf, (size_t)cap + 4);
        DWORD n = cap;
        rc = RegQueryValueExW(k, name, NULL, type, buf, &n);
        if (rc == ERROR_SUCCESS)
            *size = n;
        else if (rc == ERROR_MORE_DATA && n > RKC_REG_MAX_DATA)
            break;
        else if (rc == ERROR_MORE_DATA)
            cap = n > cap ? n : cap * 2; /* the value may grow between the calls */
    }
    if (rc != ERROR_SUCCESS) {
        free(buf);
        return rc;
    }
    memset(buf + *size, 0, 4);
    *data = buf;
    return ERROR_SUCCESS;
}

/* Writes n UTF-16 units as a string (key NULL: an array element). */
static void emit_wide(rkc_emit *e, const char *key, const wchar_t *w, size_t n)
{
    char *u = rkc_xmalloc(n * 3 + 1);
    rkc_to_utf8(w, (int)n, u, n * 3 + 1);
    rkc_emit_str(e, key, u);
    free(u);
}

/* REG_MULTI_SZ as a list: strings up to the first empty one (the list's end). */
static void emit_multi(rkc_emit *e, const char *key, const wchar_t *w, size_t n)
{
    rkc_emit_array_begin(e, key);
    size_t i = 0;
    while (i < n && w[i]) {
        size_t len = wcsnlen(w + i, n - i);
        emit_wide(e, NULL, w + i, len);
        i += len + 1;
    }
    rkc_emit_array_end(e);
}

static void emit_hex(rkc_emit *e, const char *key, const BYTE *d, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *h = rkc_xmalloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++) {
        h[2 * i] = digits[d[i] >> 4];
        h[2 * i + 1] = digits[d[i] & 15];
    }
    h[2 * n] = '\0';
    rkc_emit_str(e, key, h);
    free(h);
}

/* Writes the data by its type, as the contract says: strings unexpanded, integers
 * exactly as read, lists, and lowercase hex for everything else. */
static void emit_reg_data(rkc_emit *e, const rkc_plan_collect *it, DWORD type, const BYTE *d,
                          DWORD n)
{
    char what[80];
    const wchar_t *w = (const wchar_t *)(const void *)d;
    switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
        emit_wide(e, it->id, w, wcsnlen(w, n / sizeof(wchar_t)));
        return;
    case REG_MULTI_SZ:
        emit_multi(e, it->id, w, n / sizeof(wchar_t));
        return;
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
        if (n != 4)
            break;
        if (type == REG_DWORD)
            rkc_emit_uint(e, it->id, (uint32_t)d[0] | (uint32_t)d[1] << 8 |
                                         (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24);
        else
            rkc_emit_uint(e, it->id, (uint32_t)d[3] | (uint32_t)d[2] << 8 |
                                         (uint32_t)d[1] << 16 | (uint32_t)d[0] << 24);
        return;
    case REG_QWORD:
        if (n != 8)
            break;
        uint64_t q = 0;
        for (int i = 7; i >= 0; i--)
            q = q << 8 | d[i];
        rkc_emit_uint(e, it->id, q);
        return;
    default:
        emit_hex(e, it->id, d, n);
        return;
    }
    snprintf(what, sizeof what, "%s value of %lu bytes",
             type == REG_QWORD ? "REG_QWORD" : "REG_DWORD", (unsigned long)n);
    reg_fail(e, it, RKC_FAILED, what);
}

/* Opens the item's key for query in the 64-bit view, or takes it from the last item.
 * ERROR_SUCCESS with *key, or the registry's error (ERROR_FILE_NOT_FOUND: no such key). */
static LONG open_item_key(const rkc_plan_collect *it, HKEY *key)
{
    if (last_key.valid && last_key.hive == it->hive && strcmp(last_key.subkey, it->subkey) == 0) {
        *key = last_key.key;
        return last_key.key ? ERROR_SUCCESS : ERROR_FILE_NOT_FOUND;
    }
    forget_key();
    wchar_t *sub = rkc_to_wide(it->subkey);
    HKEY root = it->hive == RKC_HKCU ? HKEY_CURRENT_USER : HKLM, k = NULL;
    LONG rc = RegOpenKeyExW(root, sub, 0, KEY_QUERY_VALUE | RKC_VIEW64, &k);
    free(sub);
    if (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND) {
        last_key.valid = 1;
        last_key.hive = it->hive;
        last_key.subkey = rkc_xstrdup(it->subkey);
        last_key.key = rc == ERROR_SUCCESS ? k : NULL;
    }
    *key = k;
    return rc;
}

void rkc_collect_registry(rkc_emit *e, const rkc_plan_collect *it)
{
    HKEY k;
    char what[80];
    LONG rc = open_item_key(it, &k);
    if (rc == ERROR_FILE_NOT_FOUND)
        rkc_emit_null(e, it->id);
    else if (rc != ERROR_SUCCESS) {
        snprintf(what, sizeof what, "cannot open the key: error %ld", (long)rc);
        reg_fail(e, it, rkc_status_win32((DWORD)rc), what);
    } else {
        wchar_t *name = rkc_to_wide(it->value ? it->value : "");
        DWORD type = 0, size = 0;
        BYTE *data = NULL;
        rc = query_value(k, name, &type, &data, &size);
        free(name);
        if (rc == ERROR_FILE_NOT_FOUND)
            rkc_emit_null(e, it->id);
        else if (rc == ERROR_MORE_DATA)
            reg_fail(e, it, RKC_FAILED, "the value is larger than 1 MiB");
        else if (rc != ERROR_SUCCESS) {
            snprintf(what, sizeof what, "cannot read the value: error %ld", (long)rc);
            reg_fail(e, it, rkc_status_win32((DWORD)rc), what);
        } else
            emit_reg_data(e, it, type, data, size);
        free(data);
    }
}

/* --- services ------------------------------------------------------------------- */

/* Whether an automatic service's start is delayed. The SCM answers through
 * QueryServiceConfig2; where it does not know that information level (Wine), the
 * answer is the DelayedAutostart value the SCM keeps in the service's registry key. */
static rkc_status delayed_start(SC_HANDLE s, const char *name, int *delayed, char *d, size_t dl)
{
    static int level_unknown; /* the SCM said so once: ask the registry from then on */
    SERVICE_DELAYED_AUTO_START_INFO info = {0};
    DWORD need = 0, err = ERROR_INVALID_LEVEL;
    if (!level_unknown) {
        if (QueryServiceConfig2W(s, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, (BYTE *)&info,
                                 sizeof info, &need)) {
            *delayed = info.fDelayedAutostart != 0;
            return RKC_OK;
        }
        err = GetLastError();
    }
    level_unknown = err == ERROR_INVALID_LEVEL || err == ERROR_NOT_SUPPORTED ||
                    err == ERROR_CALL_NOT_IMPLEMENTED;
    if (!level_unknown) {
        snprintf(d, dl, "%s: QueryServiceConfig2 (delayed start): error %lu", name,
                 (unsigned long)err);
        return rkc_status_win32(err) == RKC_NOT_FOUND ? RKC_FAILED : rkc_status_win32(err);
    }
    uint32_t v = 0;
    char dd[200];
    wchar_t *wn = rkc_to_wide(name);
    size_t n = wcslen(wn) + 40;
    wchar_t *path = rkc_xmalloc(n * sizeof(wchar_t));
    swprintf(path, n, L"SYSTEM\\CurrentControlSet\\Services\\%ls", wn);
    rkc_status st = rkc_reg_dword(HKLM, path, L"DelayedAutostart", RKC_VIEW64, &v, dd, sizeof dd);
    free(path);
    free(wn);
    if (st != RKC_OK && st != RKC_NOT_FOUND) {
        snprintf(d, dl, "%s: DelayedAutostart: %s", name, dd);
        return st;
    }
    *delayed = st == RKC_OK && v != 0;
    return RKC_OK;
}

/* The start type word of an open service; "delayed-auto" for an automatic service
 * whose start is delayed. */
static rkc_status start_type(SC_HANDLE s, const char *name, const char **out, char *d,
                             size_t dl)
{
    /* 8 KiB is the largest configuration QueryServiceConfig returns: one call, not two */
    DWORD need = 8192;
    QUERY_SERVICE_CONFIGW *cfg = rkc_xmalloc(need);
    BOOL ok = QueryServiceConfigW(s, cfg, need, &need);
    if (!ok && GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
        cfg = rkc_xrealloc(cfg, need);
        ok = QueryServiceConfigW(s, cfg, need, &need);
    }
    DWORD err = GetLastError(), type = ok ? cfg->dwStartType : 0;
    free(cfg);
    if (!ok) {
        snprintf(d, dl, "%s: QueryServiceConfig: error %lu", name, (unsigned long)err);
        return err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    static const char *const words[] = {"boot", "system", "auto", "manual", "disabled"};
    if (type > SERVICE_DISABLED) {
        snprintf(d, dl, "%s: unknown start type %lu", name, (unsigned long)type);
        return RKC_FAILED;
    }
    *out = words[type];
    int delayed = 0;
    rkc_status st = type == SERVICE_AUTO_START ? delayed_start(s, name, &delayed, d, dl) : RKC_OK;
    if (delayed)
        *out = "delayed-auto";
    return st;
}

static void list_services(void)
{
    DWORD cap = 64 * 1024;
    for (int attempt = 0; attempt < 4; attempt++) {
        BYTE *buf = rkc_xmalloc(cap);
        DWORD need = 0, count = 0, resume = 0;
        if (EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_TYPE_ALL, SERVICE_STATE_ALL,
                                  buf, cap, &need, &count, &resume, NULL)) {
            services.v = (ENUM_SERVICE_STATUS_PROCESSW *)(void *)buf;
            services.n = count;
            return;
        }
        free(buf);
        if (GetLastError() != ERROR_MORE_DATA)
            return;
        cap += need; /* need counts the entries that did not fit */
    }
}

/* The listed state of the service name: RKC_OK with *state, RKC_NOT_FOUND when the
 * list does not have it, RKC_FAILED when there is no list. */
static rkc_status listed_state(const wchar_t *name, DWORD *state)
{
    if (!services.v)
        return RKC_FAILED;
    for (DWORD i = 0; i < services.n; i++)
        if (_wcsicmp(services.v[i].lpServiceName, name) == 0) {
            *state = services.v[i].ServiceStatusProcess.dwCurrentState;
            return RKC_OK;
        }
    return RKC_NOT_FOUND;
}

/* Connects to the SCM once, with query rights only (connect, enumerate). */
static SC_HANDLE scm_handle(void)
{
    if (!scm_tried) {
        scm_tried = 1;
        scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
        if (!scm && GetLastError() == ERROR_ACCESS_DENIED)
            scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
        scm_err = scm ? 0 : GetLastError();
        if (scm)
            list_services();
    }
    return scm;
}

/* State and start type of the service name. RKC_NOT_FOUND when there is no such
 * service. */
static rkc_status query_service(const char *name, DWORD *state, const char **type, char *d,
                                size_t dl)
{
    if (!scm_handle()) {
        snprintf(d, dl, "OpenSCManager: error %lu", (unsigned long)scm_err);
        return scm_err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    /* A service missing from the list is still asked for by name: the list may leave out
     * kinds of services (per-user service templates) that OpenService finds. */
    wchar_t *w = rkc_to_wide(name);
    int listed = listed_state(w, state) == RKC_OK;
    SC_HANDLE s = OpenServiceW(scm, w, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
    DWORD err = GetLastError();
    free(w);
    if (!s && err == ERROR_SERVICE_DOES_NOT_EXIST)
        return RKC_NOT_FOUND;
    if (!s) {
        snprintf(d, dl, "%s: OpenService: error %lu", name, (unsigned long)err);
        return err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    SERVICE_STATUS ss;
    rkc_status st = RKC_OK;
    if (!listed) {
        if (QueryServiceStatus(s, &ss))
            *state = ss.dwCurrentState;
        else {
            err = GetLastError();
            snprintf(d, dl, "%s: QueryServiceStatus: error %lu", name, (unsigned long)err);
            st = err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
        }
    }
    if (st == RKC_OK)
        st = start_type(s, name, type, d, dl);
    CloseServiceHandle(s);
    return st;
}

void rkc_collect_service(rkc_emit *e, const rkc_plan_collect *it)
{
    char d[400] = "";
    const char *type = NULL;
    DWORD state = 0;
    rkc_status st = query_service(it->arg, &state, &type, d, sizeof d);
    if (st == RKC_NOT_FOUND)
        rkc_emit_null(e, it->id);
    else if (st != RKC_OK)
        rkc_emit_fail(e, it->id, st, d);
    else {
        rkc_emit_object_begin(e, it->id);
        rkc_emit_str(e, "state", rkc_service_state_word(state));
        rkc_emit_str(e, "start_type", type);
        rkc_emit_object_end(e);
    }
}

/* --- Server Manager features ------------------------------------------------------ */

void rkc_collect_windows_feature(rkc_emit *e, const rkc_plan_collect *it)
{
    static const char where[] =
        "HKLM\\SOFTWARE\\Microsoft\\ServerManager\\ServicingStorage\\ServerComponentCache";
    char d[600], dd[200];
    HKEY cache, f;
    rkc_status st = rkc_reg_open(HKLM, COMPONENT_CACHE, RKC_VIEW64, &cache);
    if (st != RKC_OK) {
        snprintf(d, sizeof d, "%s: %s", st == RKC_NOT_FOUND ?
                 "Server Manager component cache not found" : "cannot open", where);
        rkc_emit_fail(e, it->id, st == RKC_NOT_FOUND ? RKC_FAILED : st, d);
        return;
    }
    wchar_t *name = rkc_to_wide(it->arg);
    LONG rc = RegOpenKeyExW(cache, name, 0, KEY_QUERY_VALUE | RKC_VIEW64, &f);
    free(name);
    RegCloseKey(cache);
    if (rc == ERROR_FILE_NOT_FOUND) {
        rkc_emit_bool(e, it->id, 0);
        return;
    }
    if (rc != ERROR_SUCCESS) {
        snprintf(d, sizeof d, "%s\\%s: cannot open the key: error %ld", where, it->arg, (long)rc);
        rkc_emit_fail(e, it->id, rkc_status_win32((DWORD)rc), d);
        return;
    }
    uint32_t v = 0;
    st = rkc_regk_dword(f, L"InstallState", &v, dd, sizeof dd);
    RegCloseKey(f);
    if (st == RKC_OK || st == RKC_NOT_FOUND)
        rkc_emit_bool(e, it->id, st == RKC_OK && v == 1);
    else {
        snprintf(d, sizeof d, "%s\\%s\\InstallState: %s", where, it->arg, dd);
        rkc_emit_fail(e, it->id, st, d);
    }
}

/* --- files ---------------------------------------------------------------------- */

/* Attributes of the expanded path p; a folder is a failure. On failure detail says
 * "PATH: why", with the path as expanded. */
static rkc_status file_attributes(const wchar_t *p, WIN32_FILE_ATTRIBUTE_DATA *fa, char *detail,
                                  size_t detlen)
{
    char p8[600], d[200] = "";
    rkc_status st = rkc_path_info(p, fa, d, sizeof d);
    if (st == RKC_OK && (fa->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
        snprintf(d, sizeof d, "a folder, not a file");
        st = RKC_FAILED;
    }
    if (st != RKC_OK) {
        if (rkc_to_utf8(p, -1, p8, sizeof p8) != 0)
            snprintf(p8, sizeof p8, "(a path too long to show)");
        snprintf(detail, detlen, "%s: %s", p8, d);
    }
    return st;
}

void rkc_collect_file_version(rkc_emit *e, const rkc_plan_collect *it)
{
    WIN32_FILE_ATTRIBUTE_DATA fa;
    char v[64] = "", d[800] = "", dd[200] = "", p8[600];
    wchar_t *p = rkc_expand_env(it->arg);
    rkc_status st = file_attributes(p, &fa, d, sizeof d);
    if (st == RKC_OK && (st = rkc_file_version(p, v, sizeof v, dd, sizeof dd)) != RKC_OK) {
        if (rkc_to_utf8(p, -1, p8, sizeof p8) != 0)
            snprintf(p8, sizeof p8, "(a path too long to show)");
        snprintf(d, sizeof d, "%s: %s", p8, dd);
    }
    free(p);
    rkc_emit_str_st(e, it->id, st, v, d);
}

rkc_status rkc_file_info(const char *path, uint64_t *size, char modified[32], char *detail,
                         size_t detlen)
{
    WIN32_FILE_ATTRIBUTE_DATA fa;
    SYSTEMTIME t;
    wchar_t *p = rkc_expand_env(path);
    rkc_status st = file_attributes(p, &fa, detail, detlen);
    free(p);
    if (st != RKC_OK)
        return st;
    if (!FileTimeToSystemTime(&fa.ftLastWriteTime, &t)) {
        snprintf(detail, detlen, "%s: modification time out of range", path);
        return RKC_FAILED;
    }
    snprintf(modified, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", t.wYear, t.wMonth, t.wDay, t.wHour,
             t.wMinute, t.wSecond);
    *size = (uint64_t)fa.nFileSizeHigh << 32 | fa.nFileSizeLow;
    return RKC_OK;
}
