/* system.c - Windows os and hardware facts: RtlGetVersion, CurrentVersion, CPU, memory, disks. */
#include "win.h"
#include "../xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CURRENT_VERSION L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOEXW *);

void rkc_collect_os(rkc_emit *e)
{
    char v[256];
    rkc_emit_reg_string(e, "name", HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"ProductName", RKC_VIEW64);

    /* RtlGetVersion tells the truth whatever the manifest; GetVersionEx would say 6.2. */
    OSVERSIONINFOEXW vi;
    memset(&vi, 0, sizeof vi);
    vi.dwOSVersionInfoSize = sizeof vi;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    rtl_get_version_fn rgv =
        ntdll ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    if (rgv && rgv(&vi) == 0) {
        snprintf(v, sizeof v, "%lu.%lu", (unsigned long)vi.dwMajorVersion,
                 (unsigned long)vi.dwMinorVersion);
        rkc_emit_str(e, "version", v);
        rkc_emit_uint(e, "build", vi.dwBuildNumber);
        rkc_emit_str(e, "product_type", vi.wProductType == VER_NT_WORKSTATION ? "workstation"
                                        : vi.wProductType == VER_NT_DOMAIN_CONTROLLER
                                            ? "domain-controller"
                                            : vi.wProductType == VER_NT_SERVER ? "server"
                                                                               : NULL);
    } else {
        rkc_emit_fail(e, "version", RKC_FAILED, "RtlGetVersion");
        rkc_emit_fail(e, "build", RKC_FAILED, "RtlGetVersion");
        rkc_emit_fail(e, "product_type", RKC_FAILED, "RtlGetVersion");
    }
    rkc_emit_reg_dword(e, "ubr", HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"UBR", RKC_VIEW64);
    rkc_emit_reg_string(e, "installation_type", HKEY_LOCAL_MACHINE, CURRENT_VERSION,
                        L"InstallationType", RKC_VIEW64);
    rkc_emit_reg_string(e, "edition_id", HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"EditionID",
                        RKC_VIEW64);

    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    const char *arch = NULL;
    switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64: arch = "x64"; break;
    case PROCESSOR_ARCHITECTURE_INTEL: arch = "x86"; break;
    case PROCESSOR_ARCHITECTURE_ARM: arch = "arm"; break;
    case PROCESSOR_ARCHITECTURE_IA64: arch = "ia64"; break;
#ifdef PROCESSOR_ARCHITECTURE_ARM64
    case PROCESSOR_ARCHITECTURE_ARM64: arch = "arm64"; break;
#endif
    default: break;
    }
    if (arch)
        rkc_emit_str(e, "arch", arch);
    else {
        snprintf(v, sizeof v, "unknown processor architecture %u", si.wProcessorArchitecture);
        rkc_emit_fail(e, "arch", RKC_FAILED, v);
    }

    /* The user's own setting, else the locale's default pattern. */
    char d[200];
    rkc_status st = rkc_reg_string(HKEY_CURRENT_USER, L"Control Panel\\International",
                                   L"sShortDate", RKC_VIEW64, v, sizeof v, d, sizeof d);
    if (st == RKC_OK && v[0])
        rkc_emit_str(e, "short_date_format", v);
    else {
        wchar_t w[100];
        if (GetLocaleInfoEx(LOCALE_NAME_USER_DEFAULT, LOCALE_SSHORTDATE, w, 100) > 0 &&
            rkc_to_utf8(w, -1, v, sizeof v) == 0)
            rkc_emit_str(e, "short_date_format", v);
        else
            rkc_emit_fail(e, "short_date_format", RKC_FAILED, "GetLocaleInfoEx");
    }
}

static unsigned popcount64(ULONG_PTR m)
{
    unsigned n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

static void cpu_counts(rkc_emit *e)
{
    DWORD size = 0;
    GetLogicalProcessorInformationEx(RelationAll, NULL, &size);
    char *buf = size ? rkc_xmalloc(size) : NULL;
    if (!buf || !GetLogicalProcessorInformationEx(RelationAll,
                                                  (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)buf,
                                                  &size)) {
        char d[80];
        snprintf(d, sizeof d, "GetLogicalProcessorInformationEx: error %lu",
                 (unsigned long)GetLastError());
        free(buf);
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        rkc_emit_fail(e, "cpu_sockets", RKC_FAILED, d);
        rkc_emit_fail(e, "cpu_cores", RKC_FAILED, d);
        rkc_emit_uint(e, "cpu_logical", si.dwNumberOfProcessors);
        return;
    }
    unsigned long sockets = 0, cores = 0, logical = 0;
    for (DWORD off = 0; off < size;) {
        SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *p =
            (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)(buf + off);
        if (p->Size == 0)
            break;
        if (p->Relationship == RelationProcessorPackage)
            sockets++;
        else if (p->Relationship == RelationProcessorCore) {
            cores++;
            for (WORD g = 0; g < p->Processor.GroupCount; g++)
                logical += popcount64(p->Processor.GroupMask[g].Mask);
        }
        off += p->Size;
    }
    free(buf);
    rkc_emit_uint(e, "cpu_sockets", sockets);
    rkc_emit_uint(e, "cpu_cores", cores);
    rkc_emit_uint(e, "cpu_logical", logical);
}

static void disks(rkc_emit *e)
{
    wchar_t drives[512];
    DWORD n = GetLogicalDriveStringsW(sizeof drives / sizeof *drives - 1, drives);
    if (n == 0 || n >= sizeof drives / sizeof *drives) {
        rkc_emit_fail(e, "disks", RKC_FAILED, "GetLogicalDriveStrings");
        return;
    }
    rkc_emit_array_begin(e, "disks");
    size_t idx = 0;
    for (wchar_t *d = drives; *d; d += wcslen(d) + 1) {
        if (GetDriveTypeW(d) != DRIVE_FIXED)
            continue;
        char path[64];
        rkc_to_utf8(d, -1, path, sizeof path);
        ULARGE_INTEGER avail, total, freeb;
        if (!GetDiskFreeSpaceExW(d, &avail, &total, &freeb)) {
            char det[120];
            DWORD err = GetLastError();
            snprintf(det, sizeof det, "%s: GetDiskFreeSpaceEx: error %lu", path,
                     (unsigned long)err);
            /* Reported in errors[] under hardware.disks; the other disks go on. */
            rkc_emit_fail(e, NULL, rkc_status_win32(err), det);
            continue;
        }
        wchar_t fs[64] = L"";
        char fs8[64] = "";
        if (GetVolumeInformationW(d, NULL, 0, NULL, NULL, NULL, fs, 64))
            rkc_to_utf8(fs, -1, fs8, sizeof fs8);
        rkc_emit_elem_object(e, idx++);
        rkc_emit_str(e, "path", path);
        rkc_emit_uint(e, "total_bytes", total.QuadPart);
        rkc_emit_uint(e, "free_bytes", avail.QuadPart);
        rkc_emit_str(e, "filesystem", fs8[0] ? fs8 : NULL);
        rkc_emit_object_end(e);
    }
    rkc_emit_array_end(e);
}

void rkc_collect_hardware(rkc_emit *e)
{
    static const wchar_t cpu0[] = L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0";
    char v[512], d[200];
    rkc_status st = rkc_reg_string(HKEY_LOCAL_MACHINE, cpu0, L"ProcessorNameString", RKC_VIEW64,
                                   v, sizeof v, d, sizeof d);
    if (st == RKC_OK) {
        char *s = v, *end;
        while (*s == ' ')
            s++;
        end = s + strlen(s);
        while (end > s && end[-1] == ' ')
            *--end = '\0';
        rkc_emit_str(e, "cpu_model", s);
    } else
        rkc_emit_reg_string(e, "cpu_model", HKEY_LOCAL_MACHINE, cpu0, L"ProcessorNameString",
                            RKC_VIEW64);
    cpu_counts(e);
    rkc_emit_reg_dword(e, "cpu_mhz", HKEY_LOCAL_MACHINE, cpu0, L"~MHz", RKC_VIEW64);

    MEMORYSTATUSEX ms;
    ms.dwLength = sizeof ms;
    if (GlobalMemoryStatusEx(&ms)) {
        rkc_emit_uint(e, "memory_bytes", ms.ullTotalPhys);
        rkc_emit_uint(e, "memory_available_bytes", ms.ullAvailPhys);
    } else {
        snprintf(d, sizeof d, "GlobalMemoryStatusEx: error %lu", (unsigned long)GetLastError());
        rkc_emit_fail(e, "memory_bytes", RKC_FAILED, d);
        rkc_emit_fail(e, "memory_available_bytes", RKC_FAILED, d);
    }
    ULONGLONG kb = 0;
    if (GetPhysicallyInstalledSystemMemory(&kb))
        rkc_emit_uint(e, "memory_installed_bytes", (uint64_t)kb * 1024u);
    else {
        snprintf(d, sizeof d, "GetPhysicallyInstalledSystemMemory: error %lu",
                 (unsigned long)GetLastError());
        rkc_emit_fail(e, "memory_installed_bytes", RKC_FAILED, d);
    }

    /* The primary display's mode in physical pixels (no DPI virtualisation); a session
     * without a display (service, core) has none: null. */
    DEVMODEW dm;
    memset(&dm, 0, sizeof dm);
    dm.dmSize = sizeof dm;
    if (EnumDisplaySettingsW(NULL, ENUM_CURRENT_SETTINGS, &dm) && dm.dmPelsWidth > 0) {
        rkc_emit_uint(e, "display_width", dm.dmPelsWidth);
        rkc_emit_uint(e, "display_height", dm.dmPelsHeight);
    } else if (GetSystemMetrics(SM_CXSCREEN) > 0) {
        rkc_emit_uint(e, "display_width", (uint64_t)GetSystemMetrics(SM_CXSCREEN));
        rkc_emit_uint(e, "display_height", (uint64_t)GetSystemMetrics(SM_CYSCREEN));
    } else {
        rkc_emit_null(e, "display_width");
        rkc_emit_null(e, "display_height");
    }
    disks(e);
}
