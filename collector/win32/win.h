/* win.h - helpers shared by the Win32 backend: UTF-16/UTF-8, read-only registry access. */
#ifndef RKC_WIN_H
#define RKC_WIN_H

#include <winsock2.h>
#include <windows.h>
#include <stddef.h>
#include <stdint.h>

#include "../platform.h"

/* The two registry views. Software registers itself in one of them; the collector
 * always names the view it reads, whatever its own bitness. */
#define RKC_VIEW64 KEY_WOW64_64KEY
#define RKC_VIEW32 KEY_WOW64_32KEY

/* Converts a UTF-16 string (len wide chars, or -1 for NUL-terminated) to UTF-8 in out;
 * unpaired surrogates become U+FFFD. Always NUL-terminates; returns 0, or -1 when the
 * text did not fit (out then holds nothing). */
int rkc_to_utf8(const wchar_t *w, int len, char *out, size_t outlen);

/* Converts UTF-8 to a malloc'd UTF-16 string (aborts when out of memory). */
wchar_t *rkc_to_wide(const char *s);

/* Maps a Win32 error code to the status space. */
rkc_status rkc_status_win32(DWORD err);

/* Opens root\path read-only (KEY_READ) in the given view. RKC_NOT_FOUND when the key
 * does not exist. The caller closes *key with RegCloseKey. */
rkc_status rkc_reg_open(HKEY root, const wchar_t *path, REGSAM view, HKEY *key);

/* Reads a REG_DWORD. RKC_NOT_FOUND when the key or value is absent; RKC_FAILED (with
 * the type in detail) when the value has another type. */
rkc_status rkc_reg_dword(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view,
                         uint32_t *v, char *detail, size_t detlen);

/* Reads a REG_SZ or REG_EXPAND_SZ (not expanded) as UTF-8. As rkc_reg_dword. */
rkc_status rkc_reg_string(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view,
                          char *out, size_t outlen, char *detail, size_t detlen);

/* Same readers on an open key. */
rkc_status rkc_regk_dword(HKEY key, const wchar_t *name, uint32_t *v, char *detail,
                          size_t detlen);
rkc_status rkc_regk_string(HKEY key, const wchar_t *name, char *out, size_t outlen,
                           char *detail, size_t detlen);

/* Emits key from a registry DWORD / string: the value, null when absent, or an error
 * naming the registry location. */
void rkc_emit_reg_dword(rkc_emit *e, const char *key, HKEY root, const wchar_t *path,
                        const wchar_t *name, REGSAM view);
void rkc_emit_reg_string(rkc_emit *e, const char *key, HKEY root, const wchar_t *path,
                         const wchar_t *name, REGSAM view);

/* Service state for services{} and sql_instances[].service_state: "running",
 * "stopped", ..., "not-installed". RKC_OK or an access/other failure. scm may be NULL
 * (then the Service Control Manager could not be opened: RKC_FAILED). */
rkc_status rkc_service_state(SC_HANDLE scm, const wchar_t *name, const char **state,
                             char *detail, size_t detlen);

/* The state word of a SERVICE_STATUS dwCurrentState ("running", "stopped", ...). */
const char *rkc_service_state_word(DWORD state);

/* Converts a UTF-8 path to UTF-16 with its %VAR% references expanded
 * (ExpandEnvironmentStrings: an undefined variable stays as written). malloc'd. */
wchar_t *rkc_expand_env(const char *s);

/* Attributes, size and times of path without opening the file; a file locked without
 * sharing (pagefile.sys) is read from its directory entry. RKC_NOT_FOUND when the
 * file, its folder or its drive does not exist. */
rkc_status rkc_path_info(const wchar_t *path, WIN32_FILE_ATTRIBUTE_DATA *fa, char *detail,
                         size_t detlen);

/* The fixed file version of path's version resource as "a.b.c.d" in out. RKC_FAILED
 * with "the file has no version resource" when it has none. */
rkc_status rkc_file_version(const wchar_t *path, char *out, size_t outlen, char *detail,
                            size_t detlen);

/* Releases what the collect-item readers keep between items (the Service Control
 * Manager handle, the installed-program list); called by rkc_platform_done. */
void rkc_win_collect_done(void);
void rkc_win_programs_done(void);

/* One SQL Server database engine instance as registered under Instance Names\SQL. */
typedef struct rkc_sql_instance {
    char name[128];          /* MSSQLSERVER for the default instance */
    char id[160];            /* MSSQL14.MSSQLSERVER */
    wchar_t service[160];    /* MSSQLSERVER or MSSQL$NAME */
    REGSAM view;             /* the registry view it is registered in */
} rkc_sql_instance;

/* Lists the instances of both registry views into out (at most max). Returns the
 * number found, or -1 with the status in *st and a message in detail. */
int rkc_sql_instances(rkc_sql_instance *out, size_t max, rkc_status *st, char *detail,
                      size_t detlen);

#endif
