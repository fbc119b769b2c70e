@echo off
rem readykit-remediation/1
rem readykit remediation script for host lab01 (FIXLAB-1, Fix Lab Ltd.)
rem Made by readykit <version> from the assessment of 2026-11-18 (document digest
rem   <sha256>), schema fixlab-1 1.
rem
rem Changes it makes: 8, for 10 of this host's findings. Each change below is preceded by a
rem   comment naming the requirement and the finding.
rem
rem Usage, from a command prompt on LAB01:
rem   lab01.cmd          make the changes and append to the log
rem   lab01.cmd /check   print each change it would make (as collected -> as required); changes
rem     nothing, writes no log
rem   lab01-undo.cmd     puts back the values as collected (also with /check)
rem Run it from a command prompt opened with "Run as administrator": it changes computer-wide
rem   settings and stops with exit code 3, changing nothing, when it lacks administrator rights.
rem It asks nothing and restarts nothing: it can run unattended.
rem Log: lab01.log in this script's folder; every run appends to it (the registry values and
rem   service states before each change, each command's output, the outcome).
rem Commands run with the System32 folder as the current folder, so a program of the same name
rem   in the script's own folder is never started instead of Windows' own.
rem
rem Exit codes:
rem   0  done (with /check: the changes were listed and nothing was changed)
rem   1  bad command line; nothing was changed
rem   2  this computer is not LAB01; nothing was changed
rem   3  no administrator rights; nothing was changed
rem   4  a change failed; the changes before it were made (the log says which; lab01-undo.cmd
rem     puts back the values as collected)
rem   5  the log could not be written (the folder is read-only?); nothing was changed
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0lab01.log"
set "RK_MODE=apply"
set "RK_STEP=0"
set "RK_RC=0"
set "RK_RESTART="
set "RK_PS=%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe"
if exist "%SystemRoot%\Sysnative\WindowsPowerShell\v1.0\powershell.exe" set "RK_PS=%SystemRoot%\Sysnative\WindowsPowerShell\v1.0\powershell.exe"
if /i "%~1"=="/check" set "RK_MODE=check"
if "%RK_MODE%"=="apply" if not "%~1"=="" goto rk_usage
if not "%~2"=="" goto rk_usage
if /i not "%COMPUTERNAME%"=="LAB01" goto rk_wrong_host
if "%RK_MODE%"=="check" goto rk_check
"%SystemRoot%\System32\fltmc.exe" >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
"%SystemRoot%\System32\net.exe" session >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
echo This script needs administrator rights: open the command prompt with Run as administrator and start it again. Nothing was changed.
exit /b 3
:rk_admin
set "RK_RUN=%RANDOM%%RANDOM%-%TIME%"
>>"%RK_LOG%" echo readykit lab01.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo lab01.cmd: changes to make on LAB01: 8; log: lab01.log
>>"%RK_LOG%" echo lab01.cmd: changes to make on LAB01: 8; log: lab01.log
rem
rem ==========================================================================
rem Finding 1 of 14: FIX-REG-BASE UAC off (a base fact, named by the fix)
rem Status fail: 1 (0x00000001), on. on, expected off
rem
rem Change 1 of 8: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System,
rem   value EnableLUA: 1 (REG_DWORD) -> 0 (REG_DWORD)
set "RK_STEP=1"
echo Change 1 of 8: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
>>"%RK_LOG%" echo Change 1 of 8: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
rem The same change also fixes: FIX-REG-AGAIN
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /t REG_DWORD /d 0 /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 2 of 14: FIX-REG-AGAIN UAC off again (the same change for another finding)
rem Status warn: 1 (0x00000001), on. on, expected off
rem Made by change 1 above: registry
rem   HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\System, value enablelua: not
rem   collected -> 0 (REG_DWORD)
rem
rem ==========================================================================
rem Finding 3 of 14: FIX-REG-ITEM App mode fast (a collect item of the same key and value)
rem Status fail: slow & steady. slow & steady is not fast
rem
rem Change 2 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: a value that cannot be shown
rem   -> fast (REG_SZ)
set "RK_STEP=2"
echo Change 2 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: a value that cannot be shown -^> fast (REG_SZ)
>>"%RK_LOG%" echo Change 2 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: a value that cannot be shown -^> fast (REG_SZ)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Fix Lab\App" /v "Mode" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Fix Lab\App" /v "Mode" /t REG_SZ /d "fast" /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 4 of 14: FIX-REG-MULTI App hosts (a list)
rem Status fail: lab01. none of the listed values matches
rem
rem Change 3 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01 (REG_MULTI_SZ) ->
rem   lab01, lab02, with space (REG_MULTI_SZ)
set "RK_STEP=3"
echo Change 3 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01 (REG_MULTI_SZ) -^> lab01, lab02, with space (REG_MULTI_SZ)
>>"%RK_LOG%" echo Change 3 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01 (REG_MULTI_SZ) -^> lab01, lab02, with space (REG_MULTI_SZ)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Fix Lab\App" /v "Hosts" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Fix Lab\App" /v "Hosts" /t REG_MULTI_SZ /d "lab01~lab02~with space" /s ~ /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 5 of 14: FIX-REG-UNSAFE App path (data a command line cannot carry)
rem Status fail: D:\Other. D:\Other is not C:\Lab & Co
rem Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\App, value Path: D:\Other (REG_SZ)
rem   -> C:\Lab & Co (REG_SZ): the value the fix requires cannot be carried safely in a command
rem   line
echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\App, value Path: D:\Other (REG_SZ) -^> C:\Lab ^& Co (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
>>"%RK_LOG%" echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\App, value Path: D:\Other (REG_SZ) -^> C:\Lab ^& Co (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
rem
rem ==========================================================================
rem Finding 6 of 14: FIX-PARTLY Two values, one of them unsafe
rem Status warn: D:\Other. D:\Other is not C:\Lab
rem
rem Change 4 of 8: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: not collected ->
rem   4294967295 (REG_DWORD)
set "RK_STEP=4"
echo Change 4 of 8: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: not collected -^> 4294967295 (REG_DWORD)
>>"%RK_LOG%" echo Change 4 of 8: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: not collected -^> 4294967295 (REG_DWORD)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Fix Lab\Extra" /v "Level" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Fix Lab\Extra" /v "Level" /t REG_DWORD /d 4294967295 /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\Extra, value Note: not collected ->
rem   100%% (REG_SZ): the value the fix requires cannot be carried safely in a command line
echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\Extra, value Note: not collected -^> 100%% (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
>>"%RK_LOG%" echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\Extra, value Note: not collected -^> 100%% (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
rem
rem ==========================================================================
rem Finding 7 of 14: FIX-ALREADY IE ESC off, failing for another reason
rem Status fail: 0 (0x00000000), off; Other OS. Other OS is not Lab OS
rem Already as required when collected (no change): registry HKLM\SOFTWARE\Microsoft\Active
rem   Setup\Installed Components\{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}, value IsInstalled: 0
rem   (REG_DWORD) -> 0 (REG_DWORD)
rem
rem ==========================================================================
rem Finding 8 of 14: FIX-SVC LabSvc automatic and running
rem Status fail: manual. manual is not auto
rem
rem Change 5 of 8: service LabSvc: stopped, start type manual -> running, start type auto
set "RK_STEP=5"
echo Change 5 of 8: service LabSvc: stopped, start type manual -^> running, start type auto
>>"%RK_LOG%" echo Change 5 of 8: service LabSvc: stopped, start type manual -^> running, start type auto
"%SystemRoot%\System32\sc.exe" query "LabSvc" >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\sc.exe" config "LabSvc" start= auto >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
"%SystemRoot%\System32\sc.exe" start "LabSvc" >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="1056" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 9 of 14: FIX-SVC-GONE GoneSvc (not installed)
rem Status fail: not present. not present
rem Left out, needs a person: service GoneSvc: absent -> running, start type auto: the service
rem   GoneSvc is not installed
echo Left out, needs a person: service GoneSvc: absent -^> running, start type auto (the service GoneSvc is not installed)
>>"%RK_LOG%" echo Left out, needs a person: service GoneSvc: absent -^> running, start type auto (the service GoneSvc is not installed)
rem
rem ==========================================================================
rem Finding 10 of 14: FIX-SVC-BASE WinRM stopped (a base fact, state only)
rem Status warn: running. running is not stopped
rem
rem Change 6 of 8: service WinRM: running, start type unknown -> stopped, start type manual
set "RK_STEP=6"
echo Change 6 of 8: service WinRM: running, start type unknown -^> stopped, start type manual
>>"%RK_LOG%" echo Change 6 of 8: service WinRM: running, start type unknown -^> stopped, start type manual
"%SystemRoot%\System32\sc.exe" query "WinRM" >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\sc.exe" config "WinRM" start= demand >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
"%SystemRoot%\System32\sc.exe" stop "WinRM" >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="1062" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 11 of 14: FIX-FEAT-A Feature A
rem Status fail: no. no, expected yes
rem
rem Change 7 of 8: Windows features Lab-Feature-A, Lab-Feature-B: not installed -> installed
rem   Lab-Feature-A: FIX-FEAT-A Feature A
rem   Lab-Feature-B: FIX-FEAT-B Feature B
set "RK_STEP=7"
echo Change 7 of 8: Windows features Lab-Feature-A, Lab-Feature-B: not installed -^> installed
>>"%RK_LOG%" echo Change 7 of 8: Windows features Lab-Feature-A, Lab-Feature-B: not installed -^> installed
"%RK_PS%" -NoProfile -NonInteractive -Command "$r = Install-WindowsFeature -Name 'Lab-Feature-A','Lab-Feature-B' -ErrorAction Stop; if (-not $r.Success) { exit 1 }; if ([string]$r.RestartNeeded -eq 'Yes') { exit 3010 }; exit 0" >>"%RK_LOG%" 2>&1 <nul
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="3010" set "RK_RESTART=1"
if "%RK_RC%"=="3010" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 12 of 14: FIX-FEAT-B Feature B
rem Status fail: no. no, expected yes
rem Made by change 7 above: Windows features Lab-Feature-B: not installed -> installed
rem
rem ==========================================================================
rem Finding 13 of 14: FIX-CMD Firewall group on (a command)
rem Status fail: stopped. stopped is not running
rem
rem Change 8 of 8: command: netsh advfirewall firewall set rule group="Remote Service
rem   Management" new enable=yes
set "RK_STEP=8"
echo Change 8 of 8: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes
>>"%RK_LOG%" echo Change 8 of 8: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes
netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes >>"%RK_LOG%" 2>&1 <nul
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Finding 14 of 14: FIX-CMD-UNSAFE A command that a script cannot carry as written
rem Status fail: stopped. stopped is not running
rem Left out, needs a person: command: echo %%PATH%% & del C:\lab.txt: the fix's command cannot be
rem   written into a script as it is
echo Left out, needs a person: command: echo %%PATH%% ^& del C:\lab.txt (the fix's command cannot be written into a script as it is)
>>"%RK_LOG%" echo Left out, needs a person: command: echo %%PATH%% ^& del C:\lab.txt (the fix's command cannot be written into a script as it is)
rem
rem ==========================================================================
echo Done, changes made: 8. Collect the facts again and render the report to confirm.
>>"%RK_LOG%" echo Done, changes made: 8. Collect the facts again and render the report to confirm.
echo Some changes take effect only after the services concerned or the computer restart; the script restarts nothing.
if defined RK_RESTART goto rk_restart
popd
exit /b 0
:rk_restart
echo Windows asks for a restart to finish installing a feature; the script restarts nothing.
>>"%RK_LOG%" echo Windows asks for a restart to finish installing a feature; the script restarts nothing.
popd
exit /b 0

:rk_usage
echo Usage: lab01.cmd [/check]
exit /b 1

:rk_wrong_host
echo This script is for the computer LAB01, not for this one. Nothing was changed.
exit /b 2

:rk_no_log
echo The log lab01.log cannot be written in this script's folder (is it read-only?). Copy the folder to a writable place and start the script there. Nothing was changed.
exit /b 5

:rk_failed
echo The change failed (exit code %RK_RC%); see the log lab01.log. The changes before it were made; lab01-undo.cmd puts back the values as collected.
>>"%RK_LOG%" echo The change failed (exit code %RK_RC%); see the log lab01.log. The changes before it were made; lab01-undo.cmd puts back the values as collected.
popd
exit /b 4

:rk_check
echo lab01.cmd would make these changes on LAB01 (nothing is changed now):
echo Change 1 of 8: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
echo Change 2 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: a value that cannot be shown -^> fast (REG_SZ)
echo Change 3 of 8: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01 (REG_MULTI_SZ) -^> lab01, lab02, with space (REG_MULTI_SZ)
echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\App, value Path: D:\Other (REG_SZ) -^> C:\Lab ^& Co (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
echo Change 4 of 8: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: not collected -^> 4294967295 (REG_DWORD)
echo Left out, needs a person: registry HKLM\SOFTWARE\Fix Lab\Extra, value Note: not collected -^> 100%% (REG_SZ) (the value the fix requires cannot be carried safely in a command line)
echo Change 5 of 8: service LabSvc: stopped, start type manual -^> running, start type auto
echo Left out, needs a person: service GoneSvc: absent -^> running, start type auto (the service GoneSvc is not installed)
echo Change 6 of 8: service WinRM: running, start type unknown -^> stopped, start type manual
echo Change 7 of 8: Windows features Lab-Feature-A, Lab-Feature-B: not installed -^> installed
echo Change 8 of 8: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes
echo Left out, needs a person: command: echo %%PATH%% ^& del C:\lab.txt (the fix's command cannot be written into a script as it is)
echo Changes: 8. Run lab01.cmd without /check to make them.
exit /b 0
