/* sys.c - Win32 process services: start-up, monotonic clock, file reading, atomic output. */
#include "win.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../xalloc.h"

static int wsa_started;

int rkc_platform_init(char *err, size_t errlen)
{
    WSADATA wsa;
    /* No "insert a disk" or crash dialogs: this may run unattended. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    _setmode(_fileno(stdout), _O_BINARY);
    int rc = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (rc != 0) {
        snprintf(err, errlen, "WSAStartup failed: error %d", rc);
        return -1;
    }
    wsa_started = 1;
    return 0;
}

void rkc_platform_done(void)
{
    rkc_win_collect_done();
    if (wsa_started)
        WSACleanup();
    wsa_started = 0;
}

const char *rkc_platform_name(void)
{
    return "windows";
}

uint64_t rkc_clock_ms(void)
{
    return (uint64_t)GetTickCount64();
}

static void win_error(char *err, size_t errlen, const char *what, DWORD code)
{
    wchar_t msg[256];
    char m8[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             code, 0, msg, sizeof msg / sizeof *msg, NULL);
    while (n > 0 && (msg[n - 1] == L'\n' || msg[n - 1] == L'\r' || msg[n - 1] == L' ' ||
                     msg[n - 1] == L'.'))
        n--;
    if (n == 0 || rkc_to_utf8(msg, (int)n, m8, sizeof m8) != 0)
        snprintf(m8, sizeof m8, "error %lu", (unsigned long)code);
    snprintf(err, errlen, "%s: %s", what, m8);
}

int rkc_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                  size_t errlen)
{
    wchar_t *w = rkc_to_wide(path);
    HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        win_error(err, errlen, "cannot open", GetLastError());
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *b = rkc_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > max)
                break;
            cap *= 2;
            char *nb = rkc_xrealloc(b, cap + 1);
            b = nb;
        }
        DWORD got = 0;
        DWORD want = (DWORD)(cap - n > 0x10000000 ? 0x10000000 : cap - n);
        if (!ReadFile(h, b + n, want, &got, NULL)) {
            DWORD e = GetLastError();
            if (e == ERROR_BROKEN_PIPE)
                break;
            win_error(err, errlen, "cannot read", e);
            CloseHandle(h);
            free(b);
            return -1;
        }
        if (got == 0)
            break;
        n += got;
    }
    CloseHandle(h);
    if (n > max) {
        snprintf(err, errlen, "file is larger than %lu bytes", (unsigned long)max);
        free(b);
        return -1;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

int rkc_write_file_atomic(const char *path, const char *buf, size_t len, char *err,
                          size_t errlen)
{
    wchar_t *final = rkc_to_wide(path);
    size_t fl = wcslen(final);
    wchar_t *tmp = rkc_xmalloc((fl + 40) * sizeof(wchar_t));
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = -1;
    for (int attempt = 0; attempt < 100 && h == INVALID_HANDLE_VALUE; attempt++) {
        swprintf(tmp, fl + 40, L"%ls.tmp-%lu-%d", final, (unsigned long)GetCurrentProcessId(),
                 attempt);
        h = CreateFileW(tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS &&
            GetLastError() != ERROR_ALREADY_EXISTS) {
            win_error(err, errlen, "cannot create a temporary file next to it", GetLastError());
            goto out;
        }
    }
    if (h == INVALID_HANDLE_VALUE) {
        snprintf(err, errlen, "cannot create a temporary file next to it");
        goto out;
    }
    while (len > 0) {
        DWORD chunk = len > 0x10000000 ? 0x10000000 : (DWORD)len, put = 0;
        if (!WriteFile(h, buf, chunk, &put, NULL) || put == 0) {
            win_error(err, errlen, "cannot write", GetLastError());
            CloseHandle(h);
            DeleteFileW(tmp);
            goto out;
        }
        buf += put;
        len -= put;
    }
    if (!FlushFileBuffers(h)) {
        win_error(err, errlen, "cannot write", GetLastError());
        CloseHandle(h);
        DeleteFileW(tmp);
        goto out;
    }
    CloseHandle(h);
    if (!MoveFileExW(tmp, final, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        win_error(err, errlen, "cannot replace", GetLastError());
        DeleteFileW(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(final);
    return rc;
}

int rkc_write_stdout(const char *buf, size_t len)
{
    if (fwrite(buf, 1, len, stdout) != len)
        return -1;
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}
