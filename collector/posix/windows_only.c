/* windows_only.c - Linux: the software, settings and services facts exist only on Windows. */
#include "../platform.h"

static void unsupported(rkc_emit *e, const char *const *keys)
{
    for (; *keys; keys++)
        rkc_emit_unsupported(e, *keys);
}

void rkc_collect_software(rkc_emit *e)
{
    static const char *const keys[] = {
        "powershell_versions", "dotnet_release", "iis_version", "ie_version",
        "ie_registry_version", "ie_svc_version", "firefox_version", "firefox_current_version",
        "outlook", "sql_instances", "exchange", NULL};
    unsupported(e, keys);
}

void rkc_collect_settings(rkc_emit *e)
{
    static const char *const keys[] = {
        "uac_enable_lua", "ie_esc_admins", "ie_esc_users", "tls10", "tls11", "tls12", "tls13",
        "dotnet_strong_crypto", "dotnet_system_default_tls", "dotnet_strong_crypto_wow",
        "dotnet_system_default_tls_wow", "dotnet2_strong_crypto", "dotnet2_system_default_tls",
        "dotnet2_strong_crypto_wow", "dotnet2_system_default_tls_wow", "winrm_listeners", NULL};
    unsupported(e, keys);
}

void rkc_collect_services(rkc_emit *e)
{
    static const char *const keys[] = {"SQLBrowser", "WinRM", "W3SVC", NULL};
    unsupported(e, keys);
}
