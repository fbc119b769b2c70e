/* util.c - Win32 backend helpers: text conversion, error mapping, registry reads, services. */
#include "win.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../xalloc.h"

int rkc_to_utf8(const wchar_t *w, int len, char *out, size_t outlen)
{
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (len == 0)
        return 0;
    int n = WideCharToMultiByte(CP_UTF8, 0, w, len, out, (int)outlen - 1, NULL, NULL);
    if (n <= 0 && len != 0) {
        out[0] = '\0';
        return -1;
    }
    if (len == -1)
        n--; /* the terminator was converted too */
    out[n] = '\0';
    return 0;
}

wchar_t *rkc_to_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w = rkc_xmalloc(sizeof(wchar_t) * (size_t)(n > 0 ? n : 1));
    if (n <= 0 || MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0)
        w[0] = 0;
    return w;
}

rkc_status rkc_status_win32(DWORD err)
{
    switch (err) {
    case ERROR_SUCCESS: return RKC_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return RKC_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD: return RKC_ACCESS_DENIED;
    case ERROR_CALL_NOT_IMPLEMENTED:
    case ERROR_NOT_SUPPORTED: return RKC_UNSUPPORTED;
    default: return RKC_FAILED;
    }
}

rkc_status rkc_reg_open(HKEY root, const wchar_t *path, REGSAM view, HKEY *key)
{
    LONG rc = RegOpenKeyExW(root, path, 0, KEY_READ | view, key);
    return rkc_status_win32((DWORD)rc);
}

static const char *type_name(DWORD t)
{
    switch (t) {
    case REG_SZ: return "REG_SZ";
    case REG_EXPAND_SZ: return "REG_EXPAND_SZ";
    case REG_BINARY: return "REG_BINARY";
    case REG_DWORD: return "REG_DWORD";
    case REG_MULTI_SZ: return "REG_MULTI_SZ";
    case REG_QWORD: return "REG_QWORD";
    default: return "another type";
    }
}

rkc_status rkc_regk_dword(HKEY key, const wchar_t *name, uint32_t *v, char *detail,
                          size_t detlen)
{
    DWORD type = 0, val = 0, size = sizeof val;
    LONG rc = RegQueryValueExW(key, name, NULL, &type, (BYTE *)&val, &size);
    if (rc == ERROR_MORE_DATA || (rc == ERROR_SUCCESS && (type != REG_DWORD || size != 4))) {
        snprintf(detail, detlen, "the value is %s, not REG_DWORD", type_name(type));
        return RKC_FAILED;
    }
    if (rc != ERROR_SUCCESS) {
        snprintf(detail, detlen, "error %lu", (unsigned long)rc);
        return rkc_status_win32((DWORD)rc);
    }
    *v = val;
    return RKC_OK;
}

rkc_status rkc_regk_string(HKEY key, const wchar_t *name, char *out, size_t outlen,
                           char *detail, size_t detlen)
{
    wchar_t buf[2048];
    DWORD type = 0, size = sizeof buf - sizeof(wchar_t);
    out[0] = '\0';
    LONG rc = RegQueryValueExW(key, name, NULL, &type, (BYTE *)buf, &size);
    if (rc == ERROR_MORE_DATA) {
        snprintf(detail, detlen, "the value is longer than %lu characters",
                 (unsigned long)(sizeof buf / sizeof *buf - 1));
        return RKC_FAILED;
    }
    if (rc != ERROR_SUCCESS) {
        snprintf(detail, detlen, "error %lu", (unsigned long)rc);
        return rkc_status_win32((DWORD)rc);
    }
    if (type != REG_SZ && type != REG_EXPAND_SZ) {
        snprintf(detail, detlen, "the value is %s, not REG_SZ", type_name(type));
        return RKC_FAILED;
    }
    size_t n = size / sizeof(wchar_t); /* may or may not include a terminator */
    while (n > 0 && buf[n - 1] == 0)
        n--;
    if (rkc_to_utf8(buf, (int)n, out, outlen) != 0) {
        snprintf(detail, detlen, "the value is too long");
        return RKC_FAILED;
    }
    return RKC_OK;
}

rkc_status rkc_reg_dword(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view,
                         uint32_t *v, char *detail, size_t detlen)
{
    HKEY k;
    rkc_status st = rkc_reg_open(root, path, view, &k);
    if (st != RKC_OK) {
        snprintf(detail, detlen, "cannot open the key");
        return st;
    }
    st = rkc_regk_dword(k, name, v, detail, detlen);
    RegCloseKey(k);
    return st;
}

rkc_status rkc_reg_string(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view,
                          char *out, size_t outlen, char *detail, size_t detlen)
{
    HKEY k;
    out[0] = '\0';
    rkc_status st = rkc_reg_open(root, path, view, &k);
    if (st != RKC_OK) {
        snprintf(detail, detlen, "cannot open the key");
        return st;
    }
    st = rkc_regk_string(k, name, out, outlen, detail, detlen);
    RegCloseKey(k);
    return st;
}

/* "HKLM\path\name (64-bit view): detail" for errors[]. */
static void where(char *out, size_t outlen, HKEY root, const wchar_t *path,
                  const wchar_t *name, REGSAM view, const char *detail)
{
    char p[600], n[200];
    rkc_to_utf8(path, -1, p, sizeof p);
    rkc_to_utf8(name ? name : L"(default)", -1, n, sizeof n);
    snprintf(out, outlen, "%s\\%s\\%s (%s-bit view): %s",
             root == HKEY_CURRENT_USER ? "HKCU" : "HKLM", p, n,
             view == RKC_VIEW32 ? "32" : "64", detail);
}

void rkc_emit_reg_dword(rkc_emit *e, const char *key, HKEY root, const wchar_t *path,
                        const wchar_t *name, REGSAM view)
{
    uint32_t v = 0;
    char detail[200] = "", msg[1100] = "";
    rkc_status st = rkc_reg_dword(root, path, name, view, &v, detail, sizeof detail);
    if (st != RKC_OK && st != RKC_NOT_FOUND)
        where(msg, sizeof msg, root, path, name, view, detail);
    rkc_emit_uint_st(e, key, st, v, msg);
}

void rkc_emit_reg_string(rkc_emit *e, const char *key, HKEY root, const wchar_t *path,
                         const wchar_t *name, REGSAM view)
{
    char v[4096], detail[200] = "", msg[1100] = "";
    rkc_status st = rkc_reg_string(root, path, name, view, v, sizeof v, detail, sizeof detail);
    if (st != RKC_OK && st != RKC_NOT_FOUND)
        where(msg, sizeof msg, root, path, name, view, detail);
    rkc_emit_str_st(e, key, st, v, msg);
}

rkc_status rkc_service_state(SC_HANDLE scm, const wchar_t *name, const char **state,
                             char *detail, size_t detlen)
{
    if (!scm) {
        snprintf(detail, detlen, "the Service Control Manager could not be opened");
        return RKC_FAILED;
    }
    SC_HANDLE s = OpenServiceW(scm, name, SERVICE_QUERY_STATUS);
    if (!s) {
        DWORD err = GetLastError();
        if (err == ERROR_SERVICE_DOES_NOT_EXIST) {
            *state = "not-installed";
            return RKC_OK;
        }
        snprintf(detail, detlen, "OpenService: error %lu", (unsigned long)err);
        return err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    SERVICE_STATUS ss;
    BOOL ok = QueryServiceStatus(s, &ss);
    DWORD err = GetLastError();
    CloseServiceHandle(s);
    if (!ok) {
        snprintf(detail, detlen, "QueryServiceStatus: error %lu", (unsigned long)err);
        return err == ERROR_ACCESS_DENIED ? RKC_ACCESS_DENIED : RKC_FAILED;
    }
    *state = rkc_service_state_word(ss.dwCurrentState);
    return RKC_OK;
}

const char *rkc_service_state_word(DWORD state)
{
    switch (state) {
    case SERVICE_RUNNING: return "running";
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "start-pending";
    case SERVICE_STOP_PENDING: return "stop-pending";
    case SERVICE_CONTINUE_PENDING: return "continue-pending";
    case SERVICE_PAUSE_PENDING: return "pause-pending";
    case SERVICE_PAUSED: return "paused";
    default: return "unknown";
    }
}

wchar_t *rkc_expand_env(const char *s)
{
    wchar_t *w = rkc_to_wide(s);
    DWORD cap = (DWORD)wcslen(w) + 64;
    for (int attempt = 0; attempt < 4; attempt++) {
        wchar_t *out = rkc_xmalloc(cap * sizeof(wchar_t));
        DWORD n = ExpandEnvironmentStringsW(w, out, cap);
        if (n > 0 && n <= cap) {
            free(w);
            return out;
        }
        free(out);
        if (n == 0)
            break;
        cap = n;
    }
    return w; /* not expandable: the path as written */
}

rkc_status rkc_path_info(const wchar_t *path, WIN32_FILE_ATTRIBUTE_DATA *fa, char *detail,
                         size_t detlen)
{
    if (GetFileAttributesExW(path, GetFileExInfoStandard, fa))
        return RKC_OK;
    DWORD err = GetLastError();
    /* Files the system holds open without sharing (pagefile.sys) refuse attribute
     * queries on some versions; their directory entry still answers. No wildcards may
     * reach FindFirstFile: they would name other files. */
    if (err == ERROR_SHARING_VIOLATION && !wcspbrk(path, L"*?")) {
        WIN32_FIND_DATAW fd;
        HANDLE h = FindFirstFileW(path, &fd);
        if (h != INVALID_HANDLE_VALUE) {
            FindClose(h);
            fa->dwFileAttributes = fd.dwFileAttributes;
            fa->ftCreationTime = fd.ftCreationTime;
            fa->ftLastAccessTime = fd.ftLastAccessTime;
            fa->ftLastWriteTime = fd.ftLastWriteTime;
            fa->nFileSizeHigh = fd.nFileSizeHigh;
            fa->nFileSizeLow = fd.nFileSizeLow;
            return RKC_OK;
        }
        err = GetLastError();
    }
    snprintf(detail, detlen, "error %lu", (unsigned long)err);
    if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND || err == ERROR_INVALID_DRIVE)
        return RKC_NOT_FOUND;
    return rkc_status_win32(err);
}

rkc_status rkc_file_version(const wchar_t *path, char *out, size_t outlen, char *detail,
                            size_t detlen)
{
    /* One read into a buffer that holds any usual version resource, rather than asking
     * for the size first (which maps the file twice). A larger resource is cut short by
     * GetFileVersionInfo, and the fixed part this reads comes first. */
    enum { VERSION_BUF = 16384 };
    void *buf = rkc_xmalloc(VERSION_BUF);
    VS_FIXEDFILEINFO *fi = NULL;
    UINT fl = 0;
    rkc_status st = RKC_OK;
    if (!GetFileVersionInfoW(path, 0, VERSION_BUF, buf)) {
        DWORD err = GetLastError();
        if (err == ERROR_RESOURCE_DATA_NOT_FOUND || err == ERROR_RESOURCE_TYPE_NOT_FOUND ||
            err == ERROR_RESOURCE_NAME_NOT_FOUND || err == ERROR_BAD_EXE_FORMAT ||
            err == ERROR_SUCCESS) {
            snprintf(detail, detlen, "the file has no version resource");
            st = RKC_FAILED;
        } else {
            snprintf(detail, detlen, "GetFileVersionInfo: error %lu", (unsigned long)err);
            st = rkc_status_win32(err);
        }
    } else if (!VerQueryValueW(buf, L"\\", (void **)&fi, &fl) || !fi || fl < sizeof *fi ||
               fi->dwSignature != 0xFEEF04BDu) {
        snprintf(detail, detlen, "the file has no fixed version information");
        st = RKC_FAILED;
    } else
        snprintf(out, outlen, "%lu.%lu.%lu.%lu", (unsigned long)HIWORD(fi->dwFileVersionMS),
                 (unsigned long)LOWORD(fi->dwFileVersionMS),
                 (unsigned long)HIWORD(fi->dwFileVersionLS),
                 (unsigned long)LOWORD(fi->dwFileVersionLS));
    free(buf);
    return st;
}
