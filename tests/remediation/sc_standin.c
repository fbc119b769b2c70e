/* sc_standin.c - test helper for Wine: Wine 8's sc.exe has no `config` ("command not
 * supported"), so the remediation loop test puts this in its place (WINEDLLOVERRIDES
 * sc.exe=n) while a script runs. It does what Windows' sc.exe does for the commands the
 * scripts use, through the same Service Control Manager calls, with the same exit codes
 * (the Win32 error: 1056 already running, 1060 no such service, 1062 not started):
 *   sc query NAME | sc start NAME | sc stop NAME | sc config NAME start= TYPE
 * TYPE: auto, delayed-auto, demand, disabled. Anything else exits 87 (invalid parameter). */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static int fail(void)
{
    DWORD e = GetLastError();
    wprintf(L"[SC] FAILED %lu\n", (unsigned long)e);
    return (int)e;
}

static const wchar_t *state_word(DWORD s)
{
    switch (s) {
    case SERVICE_RUNNING:
        return L"RUNNING";
    case SERVICE_STOPPED:
        return L"STOPPED";
    case SERVICE_START_PENDING:
        return L"START_PENDING";
    case SERVICE_STOP_PENDING:
        return L"STOP_PENDING";
    default:
        return L"OTHER";
    }
}

int wmain(int argc, wchar_t **argv)
{
    if (argc < 3) return 87;
    const wchar_t *cmd = argv[1], *name = argv[2];
    SC_HANDLE m = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!m) return fail();
    DWORD rights = SERVICE_QUERY_STATUS;
    if (!wcscmp(cmd, L"start"))
        rights |= SERVICE_START;
    else if (!wcscmp(cmd, L"stop"))
        rights |= SERVICE_STOP;
    else if (!wcscmp(cmd, L"config"))
        rights |= SERVICE_CHANGE_CONFIG;
    else if (wcscmp(cmd, L"query"))
        return 87;
    SC_HANDLE s = OpenServiceW(m, name, rights);
    if (!s) return fail();
    SERVICE_STATUS st;
    if (!wcscmp(cmd, L"query")) {
        if (!QueryServiceStatus(s, &st)) return fail();
        wprintf(L"SERVICE_NAME: %ls\n        STATE              : %lu  %ls\n", name,
                (unsigned long)st.dwCurrentState, state_word(st.dwCurrentState));
        return 0;
    }
    if (!wcscmp(cmd, L"start")) {
        if (!StartServiceW(s, 0, NULL)) return fail();
        wprintf(L"SERVICE_NAME: %ls\n        STATE              : 2  START_PENDING\n", name);
        return 0;
    }
    if (!wcscmp(cmd, L"stop")) {
        if (!ControlService(s, SERVICE_CONTROL_STOP, &st)) return fail();
        wprintf(L"SERVICE_NAME: %ls\n        STATE              : 3  STOP_PENDING\n", name);
        return 0;
    }
    /* config NAME start= TYPE: "start=" and the type are separate arguments, as for sc.exe */
    if (argc != 5 || wcscmp(argv[3], L"start=")) return 87;
    DWORD start;
    int delayed = 0;
    if (!wcscmp(argv[4], L"auto"))
        start = SERVICE_AUTO_START;
    else if (!wcscmp(argv[4], L"delayed-auto"))
        start = SERVICE_AUTO_START, delayed = 1;
    else if (!wcscmp(argv[4], L"demand"))
        start = SERVICE_DEMAND_START;
    else if (!wcscmp(argv[4], L"disabled"))
        start = SERVICE_DISABLED;
    else
        return 87;
    if (!ChangeServiceConfigW(s, SERVICE_NO_CHANGE, start, SERVICE_NO_CHANGE, NULL, NULL, NULL,
                              NULL, NULL, NULL, NULL))
        return fail();
    if (delayed) {
        SERVICE_DELAYED_AUTO_START_INFO d = {TRUE};
        if (!ChangeServiceConfig2W(s, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &d)) return fail();
    }
    wprintf(L"[SC] ChangeServiceConfig SUCCESS\n");
    return 0;
}
