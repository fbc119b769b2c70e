@echo off
rem readykit-remediation/1
rem readykit undo script for host lab02 (FIXLAB-1, Fix Lab Ltd.): puts back the values lab02.cmd
rem   changes, as they were collected
rem Made by readykit <version> from the assessment of 2026-11-18 (document digest
rem   <sha256>), schema fixlab-1 1.
rem
rem Values it puts back: 0. Each is preceded by a comment naming the requirement.
rem
rem Usage, from a command prompt on LAB02:
rem   lab02-undo.cmd          make the changes and append to the log
rem   lab02-undo.cmd /check   print each change it would make (as collected -> as required);
rem     changes nothing, writes no log
rem It changes only the profile (HKCU) of the account that runs it: run it as the account the
rem   requirement is about.
rem It asks nothing and restarts nothing: it can run unattended.
rem Log: lab02-undo.log in this script's folder; every run appends to it (the registry values
rem   and service states before each change, each command's output, the outcome).
rem Commands run with the System32 folder as the current folder, so a program of the same name
rem   in the script's own folder is never started instead of Windows' own.
rem
rem Exit codes:
rem   0  done (with /check: the changes were listed and nothing was changed)
rem   1  bad command line; nothing was changed
rem   2  this computer is not LAB02; nothing was changed
rem   4  a step failed; the steps before it were made (the log says which)
rem   5  the log could not be written (the folder is read-only?); nothing was changed
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0lab02-undo.log"
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
>>"%RK_LOG%" echo readykit lab02-undo.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo lab02-undo.cmd: values to put back on LAB02: 0; log: lab02-undo.log
>>"%RK_LOG%" echo lab02-undo.cmd: values to put back on LAB02: 0; log: lab02-undo.log
rem
rem Not put back: registry HKCU\Software\Fix Lab, value Theme: dark (REG_SZ) -> a value that
rem   cannot be shown: the value as collected cannot be carried safely in a command line
echo Not put back: registry HKCU\Software\Fix Lab, value Theme: dark (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
>>"%RK_LOG%" echo Not put back: registry HKCU\Software\Fix Lab, value Theme: dark (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
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
echo Usage: lab02-undo.cmd [/check]
exit /b 1

:rk_wrong_host
echo This script is for the computer LAB02, not for this one. Nothing was changed.
exit /b 2

:rk_no_log
echo The log lab02-undo.log cannot be written in this script's folder (is it read-only?). Copy the folder to a writable place and start the script there. Nothing was changed.
exit /b 5

:rk_failed
echo The step failed (exit code %RK_RC%); see the log lab02-undo.log. The steps before it were made.
>>"%RK_LOG%" echo The step failed (exit code %RK_RC%); see the log lab02-undo.log. The steps before it were made.
popd
exit /b 4

:rk_check
echo lab02-undo.cmd would put back these values on LAB02 (nothing is changed now):
echo Not put back: registry HKCU\Software\Fix Lab, value Theme: dark (REG_SZ) -^> a value that cannot be shown: the value as collected cannot be carried safely in a command line
exit /b 0
