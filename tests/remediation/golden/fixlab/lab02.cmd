@echo off
rem readykit-remediation/1
rem readykit remediation script for host lab02 (FIXLAB-1, Fix Lab Ltd.)
rem Made by readykit <version> from the assessment of 2026-11-18 (document digest
rem   <sha256>), schema fixlab-1 1.
rem
rem Changes it makes: 1, for 1 of this host's findings. Each change below is preceded by a
rem   comment naming the requirement and the finding.
rem
rem Usage, from a command prompt on LAB02:
rem   lab02.cmd          make the changes and append to the log
rem   lab02.cmd /check   print each change it would make (as collected -> as required); changes
rem     nothing, writes no log
rem   lab02-undo.cmd     puts back the values as collected (also with /check)
rem It changes only the profile (HKCU) of the account that runs it: run it as the account the
rem   requirement is about.
rem It asks nothing and restarts nothing: it can run unattended.
rem Log: lab02.log in this script's folder; every run appends to it (the registry values and
rem   service states before each change, each command's output, the outcome).
rem Commands run with the System32 folder as the current folder, so a program of the same name
rem   in the script's own folder is never started instead of Windows' own.
rem
rem Exit codes:
rem   0  done (with /check: the changes were listed and nothing was changed)
rem   1  bad command line; nothing was changed
rem   2  this computer is not LAB02; nothing was changed
rem   4  a change failed; the changes before it were made (the log says which; lab02-undo.cmd
rem     puts back the values as collected)
rem   5  the log could not be written (the folder is read-only?); nothing was changed
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0lab02.log"
set "RK_MODE=apply"
set "RK_STEP=0"
set "RK_RC=0"
set "RK_RESTART="
if /i "%~1"=="/check" set "RK_MODE=check"
if "%RK_MODE%"=="apply" if not "%~1"=="" goto rk_usage
if not "%~2"=="" goto rk_usage
if /i not "%COMPUTERNAME%"=="LAB02" goto rk_wrong_host
if "%RK_MODE%"=="check" goto rk_check
set "RK_RUN=%RANDOM%%RANDOM%-%TIME%"
>>"%RK_LOG%" echo readykit lab02.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo lab02.cmd: changes to make on LAB02: 1; log: lab02.log
>>"%RK_LOG%" echo lab02.cmd: changes to make on LAB02: 1; log: lab02.log
rem
rem ==========================================================================
rem Finding 1 of 1: FIX-DESK Theme (HKCU only)
rem Status warn: gruen. gruen is not dark
rem
rem Change 1 of 1: registry HKCU\Software\Fix Lab, value Theme: a value that cannot be shown ->
rem   dark (REG_SZ)
set "RK_STEP=1"
echo Change 1 of 1: registry HKCU\Software\Fix Lab, value Theme: a value that cannot be shown -^> dark (REG_SZ)
>>"%RK_LOG%" echo Change 1 of 1: registry HKCU\Software\Fix Lab, value Theme: a value that cannot be shown -^> dark (REG_SZ)
rem HKCU is the profile of the account running this script.
"%SystemRoot%\System32\reg.exe" query "HKCU\Software\Fix Lab" /v "Theme" /reg:64 >>"%RK_LOG%" 2>&1
"%SystemRoot%\System32\reg.exe" add "HKCU\Software\Fix Lab" /v "Theme" /t REG_SZ /d "dark" /f /reg:64 >>"%RK_LOG%" 2>&1
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
echo Usage: lab02.cmd [/check]
exit /b 1

:rk_wrong_host
echo This script is for the computer LAB02, not for this one. Nothing was changed.
exit /b 2

:rk_no_log
echo The log lab02.log cannot be written in this script's folder (is it read-only?). Copy the folder to a writable place and start the script there. Nothing was changed.
exit /b 5

:rk_failed
echo The change failed (exit code %RK_RC%); see the log lab02.log. The changes before it were made; lab02-undo.cmd puts back the values as collected.
>>"%RK_LOG%" echo The change failed (exit code %RK_RC%); see the log lab02.log. The changes before it were made; lab02-undo.cmd puts back the values as collected.
popd
exit /b 4

:rk_check
echo lab02.cmd would make these changes on LAB02 (nothing is changed now):
echo Change 1 of 1: registry HKCU\Software\Fix Lab, value Theme: a value that cannot be shown -^> dark (REG_SZ)
echo Changes: 1. Run lab02.cmd without /check to make them.
exit /b 0
