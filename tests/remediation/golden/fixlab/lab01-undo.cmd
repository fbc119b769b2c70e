@echo off
rem readykit-remediation/1
rem readykit undo script for host lab01 (FIXLAB-1, Fix Lab Ltd.): puts back the values lab01.cmd
rem   changes, as they were collected
rem Made by readykit <version> from the assessment of 2026-11-18 (document digest
rem   <sha256>), schema fixlab-1 1.
rem
rem Values it puts back: 5. Each is preceded by a comment naming the requirement.
rem
rem Usage, from a command prompt on LAB01:
rem   lab01-undo.cmd          make the changes and append to the log
rem   lab01-undo.cmd /check   print each change it would make (as collected -> as required);
rem     changes nothing, writes no log
rem Run it from a command prompt opened with "Run as administrator": it changes computer-wide
rem   settings and stops with exit code 3, changing nothing, when it lacks administrator rights.
rem It asks nothing and restarts nothing: it can run unattended.
rem Log: lab01-undo.log in this script's folder; every run appends to it (the registry values
rem   and service states before each change, each command's output, the outcome).
rem Commands run with the System32 folder as the current folder, so a program of the same name
rem   in the script's own folder is never started instead of Windows' own.
rem
rem Exit codes:
rem   0  done (with /check: the changes were listed and nothing was changed)
rem   1  bad command line; nothing was changed
rem   2  this computer is not LAB01; nothing was changed
rem   3  no administrator rights; nothing was changed
rem   4  a step failed; the steps before it were made (the log says which)
rem   5  the log could not be written (the folder is read-only?); nothing was changed
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0lab01-undo.log"
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
>>"%RK_LOG%" echo readykit lab01-undo.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo lab01-undo.cmd: values to put back on LAB01: 5; log: lab01-undo.log
>>"%RK_LOG%" echo lab01-undo.cmd: values to put back on LAB01: 5; log: lab01-undo.log
rem
rem Not put back: command: netsh advfirewall firewall set rule group="Remote Service Management"
rem   new enable=yes: a command cannot be undone by a script; undo its effect by hand if needed
echo Not put back: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes: a command cannot be undone by a script; undo its effect by hand if needed
>>"%RK_LOG%" echo Not put back: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes: a command cannot be undone by a script; undo its effect by hand if needed
rem
rem Step 1 of 5: Windows features Lab-Feature-A, Lab-Feature-B: installed -> not installed
rem   Lab-Feature-A: FIX-FEAT-A Feature A
rem   Lab-Feature-B: FIX-FEAT-B Feature B
set "RK_STEP=1"
echo Step 1 of 5: Windows features Lab-Feature-A, Lab-Feature-B: installed -^> not installed
>>"%RK_LOG%" echo Step 1 of 5: Windows features Lab-Feature-A, Lab-Feature-B: installed -^> not installed
"%RK_PS%" -NoProfile -NonInteractive -Command "$r = Uninstall-WindowsFeature -Name 'Lab-Feature-A','Lab-Feature-B' -ErrorAction Stop; if (-not $r.Success) { exit 1 }; if ([string]$r.RestartNeeded -eq 'Yes') { exit 3010 }; exit 0" >>"%RK_LOG%" 2>&1 <nul
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="3010" set "RK_RESTART=1"
if "%RK_RC%"=="3010" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem Step 2 of 5: service WinRM: stopped, start type manual -> running, start type unknown
rem FIX-SVC-BASE WinRM stopped (a base fact, state only)
set "RK_STEP=2"
echo Step 2 of 5: service WinRM: stopped, start type manual -^> running, start type unknown
>>"%RK_LOG%" echo Step 2 of 5: service WinRM: stopped, start type manual -^> running, start type unknown
"%SystemRoot%\System32\sc.exe" query "WinRM" >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\sc.exe" start "WinRM" >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="1056" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
rem Not put back: service WinRM: stopped, start type manual -> running, start type unknown: the
rem   service's state or start type as collected is not known
echo Not put back: service WinRM: stopped, start type manual -^> running, start type unknown: the service's state or start type as collected is not known
>>"%RK_LOG%" echo Not put back: service WinRM: stopped, start type manual -^> running, start type unknown: the service's state or start type as collected is not known
rem
rem Step 3 of 5: service LabSvc: running, start type auto -> stopped, start type manual
rem FIX-SVC LabSvc automatic and running
set "RK_STEP=3"
echo Step 3 of 5: service LabSvc: running, start type auto -^> stopped, start type manual
>>"%RK_LOG%" echo Step 3 of 5: service LabSvc: running, start type auto -^> stopped, start type manual
"%SystemRoot%\System32\sc.exe" query "LabSvc" >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\sc.exe" stop "LabSvc" >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if "%RK_RC%"=="1062" set "RK_RC=0"
if not "%RK_RC%"=="0" goto rk_failed
"%SystemRoot%\System32\sc.exe" config "LabSvc" start= demand >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem Not put back: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: 4294967295 (REG_DWORD) ->
rem   not collected: the value as collected is not known (the fact file does not hold it
rem   exactly)
echo Not put back: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: 4294967295 (REG_DWORD) -^> not collected: the value as collected is not known (the fact file does not hold it exactly)
>>"%RK_LOG%" echo Not put back: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: 4294967295 (REG_DWORD) -^> not collected: the value as collected is not known (the fact file does not hold it exactly)
rem
rem Step 4 of 5: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01, lab02, with space
rem   (REG_MULTI_SZ) -> lab01 (REG_MULTI_SZ)
rem FIX-REG-MULTI App hosts (a list)
set "RK_STEP=4"
echo Step 4 of 5: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01, lab02, with space (REG_MULTI_SZ) -^> lab01 (REG_MULTI_SZ)
>>"%RK_LOG%" echo Step 4 of 5: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01, lab02, with space (REG_MULTI_SZ) -^> lab01 (REG_MULTI_SZ)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Fix Lab\App" /v "Hosts" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Fix Lab\App" /v "Hosts" /t REG_MULTI_SZ /d "lab01" /s ~ /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem Not put back: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: fast (REG_SZ) -> a value that
rem   cannot be shown: the value as collected cannot be carried safely in a command line
echo Not put back: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: fast (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
>>"%RK_LOG%" echo Not put back: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: fast (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
rem
rem Step 5 of 5: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value
rem   EnableLUA: 0 (REG_DWORD) -> 1 (REG_DWORD)
rem FIX-REG-BASE UAC off (a base fact, named by the fix)
set "RK_STEP=5"
echo Step 5 of 5: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 0 (REG_DWORD) -^> 1 (REG_DWORD)
>>"%RK_LOG%" echo Step 5 of 5: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 0 (REG_DWORD) -^> 1 (REG_DWORD)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /t REG_DWORD /d 1 /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
echo Done: the values as collected are back. Collect the facts again to confirm.
>>"%RK_LOG%" echo Done: the values as collected are back. Collect the facts again to confirm.
if defined RK_RESTART goto rk_restart
popd
exit /b 0
:rk_restart
echo Windows asks for a restart to finish installing a feature; the script restarts nothing.
>>"%RK_LOG%" echo Windows asks for a restart to finish installing a feature; the script restarts nothing.
popd
exit /b 0

:rk_usage
echo Usage: lab01-undo.cmd [/check]
exit /b 1

:rk_wrong_host
echo This script is for the computer LAB01, not for this one. Nothing was changed.
exit /b 2

:rk_no_log
echo The log lab01-undo.log cannot be written in this script's folder (is it read-only?). Copy the folder to a writable place and start the script there. Nothing was changed.
exit /b 5

:rk_failed
echo The step failed (exit code %RK_RC%); see the log lab01-undo.log. The steps before it were made.
>>"%RK_LOG%" echo The step failed (exit code %RK_RC%); see the log lab01-undo.log. The steps before it were made.
popd
exit /b 4

:rk_check
echo lab01-undo.cmd would put back these values on LAB01 (nothing is changed now):
echo Not put back: command: netsh advfirewall firewall set rule group="Remote Service Management" new enable=yes: a command cannot be undone by a script; undo its effect by hand if needed
echo Step 1 of 5: Windows features Lab-Feature-A, Lab-Feature-B: installed -^> not installed
echo Step 2 of 5: service WinRM: stopped, start type manual -^> running, start type unknown
echo Not put back: service WinRM: stopped, start type manual -^> running, start type unknown: the service's state or start type as collected is not known
echo Step 3 of 5: service LabSvc: running, start type auto -^> stopped, start type manual
echo Not put back: registry HKLM\SOFTWARE\Fix Lab\Extra, value Level: 4294967295 (REG_DWORD) -^> not collected: the value as collected is not known (the fact file does not hold it exactly)
echo Step 4 of 5: registry HKLM\SOFTWARE\Fix Lab\App, value Hosts: lab01, lab02, with space (REG_MULTI_SZ) -^> lab01 (REG_MULTI_SZ)
echo Not put back: registry HKLM\SOFTWARE\Fix Lab\App, value Mode: fast (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
echo Step 5 of 5: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 0 (REG_DWORD) -^> 1 (REG_DWORD)
exit /b 0
