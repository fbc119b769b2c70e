@echo off
rem readykit-remediation/1
rem readykit-Behebungsskript fuer den Server exmbx01 (TAILSPIN-EX19-2026-03, Tailspin Toys GmbH)
rem Erstellt von readykit <version> aus der Bewertung vom 2026-11-18 (Dokument-Pruefsumme
rem   <sha256>), Schema
rem   exchange-server-2019 CU13, CU14, CU15.
rem
rem Aenderungen, die es vornimmt: 1, fuer 2 der Befunde dieses Servers. Vor jeder Aenderung
rem   unten nennt ein Kommentar die Anforderung und den Befund.
rem
rem Aufruf in einer Eingabeaufforderung auf EXMBX01:
rem   exmbx01.cmd          nimmt die Aenderungen vor und schreibt das Protokoll fort
rem   exmbx01.cmd /check   zeigt jede Aenderung, die es vornehmen wuerde (erhoben -> gefordert);
rem     aendert nichts, schreibt kein Protokoll
rem   exmbx01-undo.cmd     stellt die erhobenen Werte wieder her (auch mit /check)
rem Starten Sie es in einer Eingabeaufforderung, die mit "Als Administrator ausfuehren"
rem   geoeffnet wurde: Es aendert computerweite Einstellungen und bricht ohne
rem   Administratorrechte mit Exit-Code 3 ab, ohne etwas zu aendern.
rem Es fragt nichts und startet nichts neu: Es kann unbeaufsichtigt laufen.
rem Protokoll: exmbx01.log im Ordner dieses Skripts; jeder Lauf schreibt es fort (die
rem   Registrierungswerte und Dienstzustaende vor jeder Aenderung, die Ausgabe jedes Befehls,
rem   das Ergebnis).
rem Befehle laufen mit dem Ordner System32 als aktuellem Ordner, damit nie ein gleichnamiges
rem   Programm aus dem Ordner des Skripts statt des Windows-eigenen startet.
rem
rem Exit-Codes:
rem   0  erledigt (mit /check: die Aenderungen wurden aufgelistet, nichts wurde geaendert)
rem   1  falscher Aufruf; nichts wurde geaendert
rem   2  dieser Computer ist nicht EXMBX01; nichts wurde geaendert
rem   3  keine Administratorrechte; nichts wurde geaendert
rem   4  eine Aenderung ist fehlgeschlagen; die Aenderungen davor wurden vorgenommen (das
rem     Protokoll nennt sie; exmbx01-undo.cmd stellt die erhobenen Werte wieder her)
rem   5  das Protokoll liess sich nicht schreiben (ist der Ordner schreibgeschuetzt?); nichts
rem     wurde geaendert
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0exmbx01.log"
set "RK_MODE=apply"
set "RK_STEP=0"
set "RK_RC=0"
set "RK_RESTART="
if /i "%~1"=="/check" set "RK_MODE=check"
if "%RK_MODE%"=="apply" if not "%~1"=="" goto rk_usage
if not "%~2"=="" goto rk_usage
if /i not "%COMPUTERNAME%"=="EXMBX01" goto rk_wrong_host
if "%RK_MODE%"=="check" goto rk_check
"%SystemRoot%\System32\fltmc.exe" >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
"%SystemRoot%\System32\net.exe" session >nul 2>&1
if "%errorlevel%"=="0" goto rk_admin
echo Dieses Skript braucht Administratorrechte: Oeffnen Sie die Eingabeaufforderung mit Als Administrator ausfuehren und starten Sie es erneut. Nichts wurde geaendert.
exit /b 3
:rk_admin
set "RK_RUN=%RANDOM%%RANDOM%-%TIME%"
>>"%RK_LOG%" echo readykit exmbx01.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo exmbx01.cmd: Aenderungen auf EXMBX01: 1; Protokoll: exmbx01.log
>>"%RK_LOG%" echo exmbx01.cmd: Aenderungen auf EXMBX01: 1; Protokoll: exmbx01.log
rem
rem ==========================================================================
rem Befund 1 von 2: EX19-HW-PAGEFILE-FIXED Auslagerungsdatei fester Groesse, nicht von Windows
rem   verwaltet
rem Status nicht erfuellt: ?:\pagefile.sys. ?:\pagefile.sys, was diese Anforderung ausschliesst
rem
rem Aenderung 1 von 1: Befehl: powershell.exe -NoProfile -NonInteractive -Command
rem   "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance
rem   Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt
rem   1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path
rem   'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name
rem   PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output
rem   ('Page file set to {0} MB; restart the server' -f $mb)"
set "RK_STEP=1"
echo Aenderung 1 von 1: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)"
>>"%RK_LOG%" echo Aenderung 1 von 1: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)"
rem Dieselbe Aenderung behebt auch: EX19-HW-PAGEFILE-SIZE
powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)" >>"%RK_LOG%" 2>&1 <nul
set "RK_RC=%errorlevel%"
if not "%RK_RC%"=="0" goto rk_failed
rem
rem ==========================================================================
rem Befund 2 von 2: EX19-HW-PAGEFILE-SIZE Auslagerungsdatei mit 25 %% des Arbeitsspeichers
rem Status nicht erfuellt: size 10200547328, modified 2026-02-14T03:12:44Z; 10,20 GB (9,5 GiB).
rem   10,20 GB (9,5 GiB) liegt unter 31,0 GiB
rem Wird mit Aenderung 1 oben vorgenommen: Befehl: powershell.exe -NoProfile -NonInteractive
rem   -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance
rem   Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt
rem   1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path
rem   'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name
rem   PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output
rem   ('Page file set to {0} MB; restart the server' -f $mb)"
rem
rem ==========================================================================
echo Erledigt, vorgenommene Aenderungen: 1. Erheben Sie die Fakten erneut und erstellen Sie den Bericht, um es zu bestaetigen.
>>"%RK_LOG%" echo Erledigt, vorgenommene Aenderungen: 1. Erheben Sie die Fakten erneut und erstellen Sie den Bericht, um es zu bestaetigen.
echo Manche Aenderungen wirken erst, wenn die betroffenen Dienste oder der Computer neu starten; das Skript startet nichts neu.
if defined RK_RESTART goto rk_restart
popd
exit /b 0
:rk_restart
echo Windows verlangt einen Neustart, um die Installation eines Features abzuschliessen; das Skript startet nichts neu.
>>"%RK_LOG%" echo Windows verlangt einen Neustart, um die Installation eines Features abzuschliessen; das Skript startet nichts neu.
popd
exit /b 0

:rk_usage
echo Aufruf: exmbx01.cmd [/check]
exit /b 1

:rk_wrong_host
echo Dieses Skript ist fuer den Computer EXMBX01 bestimmt, nicht fuer diesen. Nichts wurde geaendert.
exit /b 2

:rk_no_log
echo Das Protokoll exmbx01.log laesst sich im Ordner dieses Skripts nicht schreiben (schreibgeschuetzt?). Kopieren Sie den Ordner an einen beschreibbaren Ort und starten Sie das Skript dort. Nichts wurde geaendert.
exit /b 5

:rk_failed
echo Die Aenderung ist fehlgeschlagen (Exit-Code %RK_RC%); siehe Protokoll exmbx01.log. Die Aenderungen davor wurden vorgenommen; exmbx01-undo.cmd stellt die erhobenen Werte wieder her.
>>"%RK_LOG%" echo Die Aenderung ist fehlgeschlagen (Exit-Code %RK_RC%); siehe Protokoll exmbx01.log. Die Aenderungen davor wurden vorgenommen; exmbx01-undo.cmd stellt die erhobenen Werte wieder her.
popd
exit /b 4

:rk_check
echo exmbx01.cmd wuerde auf EXMBX01 diese Aenderungen vornehmen (jetzt wird nichts geaendert):
echo Aenderung 1 von 1: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)"
echo Aenderungen: 1. Starten Sie exmbx01.cmd ohne /check, um sie vorzunehmen.
exit /b 0
