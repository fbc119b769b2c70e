@echo off
rem readykit-remediation/1
rem readykit-Ruecknahmeskript fuer den Server exmbx01 (TAILSPIN-EX19-2026-03, Tailspin Toys
rem   GmbH): stellt die Werte, die exmbx01.cmd aendert, so wieder her, wie sie erhoben wurden
rem Erstellt von readykit <version> aus der Bewertung vom 2026-11-18 (Dokument-Pruefsumme
rem   <sha256>), Schema
rem   exchange-server-2019 CU13, CU14, CU15.
rem
rem Werte, die es wiederherstellt: 0. Vor jedem nennt ein Kommentar die Anforderung.
rem
rem Aufruf in einer Eingabeaufforderung auf EXMBX01:
rem   exmbx01-undo.cmd          nimmt die Aenderungen vor und schreibt das Protokoll fort
rem   exmbx01-undo.cmd /check   zeigt jede Aenderung, die es vornehmen wuerde (erhoben ->
rem     gefordert); aendert nichts, schreibt kein Protokoll
rem Starten Sie es in einer Eingabeaufforderung, die mit "Als Administrator ausfuehren"
rem   geoeffnet wurde: Es aendert computerweite Einstellungen und bricht ohne
rem   Administratorrechte mit Exit-Code 3 ab, ohne etwas zu aendern.
rem Es fragt nichts und startet nichts neu: Es kann unbeaufsichtigt laufen.
rem Protokoll: exmbx01-undo.log im Ordner dieses Skripts; jeder Lauf schreibt es fort (die
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
rem   4  ein Schritt ist fehlgeschlagen; die Schritte davor wurden ausgefuehrt (das Protokoll
rem     nennt sie)
rem   5  das Protokoll liess sich nicht schreiben (ist der Ordner schreibgeschuetzt?); nichts
rem     wurde geaendert
setlocal EnableExtensions DisableDelayedExpansion
set "RK_LOG=%~dp0exmbx01-undo.log"
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
>>"%RK_LOG%" echo readykit exmbx01-undo.cmd run %RK_RUN% %DATE% %TIME%
"%SystemRoot%\System32\find.exe" "run %RK_RUN%" "%RK_LOG%" >nul 2>&1
if not "%errorlevel%"=="0" goto rk_no_log
"%SystemRoot%\System32\whoami.exe" >>"%RK_LOG%" 2>&1
pushd "%SystemRoot%\System32"
if not "%errorlevel%"=="0" goto rk_failed
echo exmbx01-undo.cmd: wiederherzustellende Werte auf EXMBX01: 0; Protokoll: exmbx01-undo.log
>>"%RK_LOG%" echo exmbx01-undo.cmd: wiederherzustellende Werte auf EXMBX01: 0; Protokoll: exmbx01-undo.log
rem
rem Nicht wiederhergestellt: Befehl: powershell.exe -NoProfile -NonInteractive -Command
rem   "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance
rem   Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt
rem   1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path
rem   'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name
rem   PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output
rem   ('Page file set to {0} MB; restart the server' -f $mb)": einen Befehl kann ein Skript
rem   nicht zuruecknehmen; machen Sie seine Wirkung bei Bedarf von Hand rueckgaengig
echo Nicht wiederhergestellt: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)": einen Befehl kann ein Skript nicht zuruecknehmen; machen Sie seine Wirkung bei Bedarf von Hand rueckgaengig
>>"%RK_LOG%" echo Nicht wiederhergestellt: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)": einen Befehl kann ein Skript nicht zuruecknehmen; machen Sie seine Wirkung bei Bedarf von Hand rueckgaengig
rem
rem ==========================================================================
echo Erledigt: Die erhobenen Werte sind wiederhergestellt. Erheben Sie die Fakten erneut, um es zu bestaetigen.
>>"%RK_LOG%" echo Erledigt: Die erhobenen Werte sind wiederhergestellt. Erheben Sie die Fakten erneut, um es zu bestaetigen.
if defined RK_RESTART goto rk_restart
popd
exit /b 0
:rk_restart
echo Windows verlangt einen Neustart, um die Installation eines Features abzuschliessen; das Skript startet nichts neu.
>>"%RK_LOG%" echo Windows verlangt einen Neustart, um die Installation eines Features abzuschliessen; das Skript startet nichts neu.
popd
exit /b 0

:rk_usage
echo Aufruf: exmbx01-undo.cmd [/check]
exit /b 1

:rk_wrong_host
echo Dieses Skript ist fuer den Computer EXMBX01 bestimmt, nicht fuer diesen. Nichts wurde geaendert.
exit /b 2

:rk_no_log
echo Das Protokoll exmbx01-undo.log laesst sich im Ordner dieses Skripts nicht schreiben (schreibgeschuetzt?). Kopieren Sie den Ordner an einen beschreibbaren Ort und starten Sie das Skript dort. Nichts wurde geaendert.
exit /b 5

:rk_failed
echo Der Schritt ist fehlgeschlagen (Exit-Code %RK_RC%); siehe Protokoll exmbx01-undo.log. Die Schritte davor wurden ausgefuehrt.
>>"%RK_LOG%" echo Der Schritt ist fehlgeschlagen (Exit-Code %RK_RC%); siehe Protokoll exmbx01-undo.log. Die Schritte davor wurden ausgefuehrt.
popd
exit /b 4

:rk_check
echo exmbx01-undo.cmd wuerde auf EXMBX01 diese Werte wiederherstellen (jetzt wird nichts geaendert):
echo Nicht wiederhergestellt: Befehl: powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; $mb = [math]::Round((Get-CimInstance Win32_PhysicalMemory | Measure-Object -Property Capacity -Sum).Sum / 1MB / 4); if ($mb -lt 1024) { throw 'The installed memory could not be read' }; Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management' -Name PagingFiles -Type MultiString -Value ('C:\pagefile.sys {0} {0}' -f $mb); Write-Output ('Page file set to {0} MB; restart the server' -f $mb)": einen Befehl kann ein Skript nicht zuruecknehmen; machen Sie seine Wirkung bei Bedarf von Hand rueckgaengig
exit /b 0
