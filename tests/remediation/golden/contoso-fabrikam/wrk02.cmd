@echo off
rem readykit-remediation/1
rem readykit remediation script for host wrk02 (CONTOSO-MIG-2026-01, Contoso Ltd.)
rem Made by readykit <version> from the assessment of 2026-11-18 (document digest
rem   <sha256>), schema
rem   migrator-pro-exchange-20.11 20.11.0.
rem
rem Changes it makes: 1, for 1 of this host's findings. Each change below is preceded by a
rem   comment naming the requirement and the finding.
rem
rem Usage, from a command prompt on WRK02:
rem   wrk02.cmd          make the changes and append to the log
rem   wrk02.cmd /check   print each change it would make (as collected -> as required); changes
rem     nothing, writes no log
rem   wrk02-undo.cmd     puts back the values as collected (also with /check)
rem Run it from a command prompt opened with "Run as administrator": it changes computer-wide
rem   settings and stops with exit code 3, changing nothing, when it lacks administrator rights.
rem It asks nothing and restarts nothing: it can run unattended.
rem Log: wrk02.log in this script's folder; every run appends to it (the registry values and
rem   service states before each change, each command's output, the outcome).
rem Commands run with the System32 folder as the current folder, so a program of the same name
rem   in the script's own folder is never started instead of Windows' own.
rem
rem Exit codes:
rem   0  done (with /check: the changes were listed and nothing was changed)
rem   1  bad command line; nothing was changed
rem   2  this computer is not WRK02; nothing was changed
rem   3  no administrator rights; nothing was changed
rem   4  a change failed; the changes before it were made (the log says which; wrk02-undo.cmd
rem     puts back the values as collected)
rem   5  the log could not be written (the folder is read-only?); nothing was changed
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0wrk02.log"
set "RK_MODE=apply"
set "RK_STEP=0"
set "RK_RC=0"
set "RK_RESTART="
if /i "%~1"=="/check" set "RK_MODE=check"
if "%RK_MODE%"=="apply" if not "%~1"=="" goto rk_usage
if not "%~2"=="" goto rk_usage
if /i not "%COMPUTERNAME%"=="WRK02" goto rk_wrong_host
if "%RK_MODE%"=="check" goto rk_check
"%SystemRoot%\System32\fltmc.exe" >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
"%SystemRoot%\System32\net.exe" session >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
echo This script needs administrator rights: open the command prompt with Run as administrator and start it again. Nothing was changed.
exit /b 3
:rk_admin
set "RK_RUN=%RANDOM%%RANDOM%-%TIME%"
>>"%RK_LOG%" echo readykit wrk02.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo wrk02.cmd: changes to make on WRK02: 1; log: wrk02.log
>>"%RK_LOG%" echo wrk02.cmd: changes to make on WRK02: 1; log: wrk02.log
rem
rem ==========================================================================
rem Finding 1 of 1: MPE-WRK-UAC Worker User Account Control disabled (EnableLUA = 0)
rem Status fail: 1 (0x00000001), on. on, expected off
rem
rem Change 1 of 1: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System,
rem   value EnableLUA: 1 (REG_DWORD) -> 0 (REG_DWORD)
set "RK_STEP=1"
echo Change 1 of 1: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
>>"%RK_LOG%" echo Change 1 of 1: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
"%SystemRoot%\System32\reg.exe" query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v "EnableLUA" /t REG_DWORD /d 0 /f /reg:64 >>"%RK_LOG%" 2>&1
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
echo Done, changes made: 1. Collect the facts again and render the report to confirm.
>>"%RK_LOG%" echo Done, changes made: 1. Collect the facts again and render the report to confirm.
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
echo Usage: wrk02.cmd [/check]
exit /b 1

:rk_wrong_host
echo This script is for the computer WRK02, not for this one. Nothing was changed.
exit /b 2

:rk_no_log
echo The log wrk02.log cannot be written in this script's folder (is it read-only?). Copy the folder to a writable place and start the script there. Nothing was changed.
exit /b 5

:rk_failed
echo The change failed (exit code %RK_RC%); see the log wrk02.log. The changes before it were made; wrk02-undo.cmd puts back the values as collected.
>>"%RK_LOG%" echo The change failed (exit code %RK_RC%); see the log wrk02.log. The changes before it were made; wrk02-undo.cmd puts back the values as collected.
popd
exit /b 4

:rk_check
echo wrk02.cmd would make these changes on WRK02 (nothing is changed now):
echo Change 1 of 1: registry HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System, value EnableLUA: 1 (REG_DWORD) -^> 0 (REG_DWORD)
echo Changes: 1. Run wrk02.cmd without /check to make them.
exit /b 0
