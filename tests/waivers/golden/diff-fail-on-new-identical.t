$ readykit diff --fail-on new diff/old.json diff/old.json
exit 0
--- stdout
old: diff/old.json (not-ready, 2024-05-02T09:00:00Z)
new: diff/old.json (not-ready, 2024-05-02T09:00:00Z)

h1
  still failing   R-A          fail -> fail  4 GiB is less than 8 GiB
  still failing   R-C          fail -> fail  Windows Server 2012 R2 is not supported
  still failing   R-F          fail -> fail  UAC is on

h2
  still failing   R-NET F0001  fail -> fail  the probe from h2 to h1 on tcp/443 was filtered
  still failing   R-NET F0003  fail -> fail  the probe from h2 to h1 on tcp/80 was closed

h3
  still failing   R-A          fail -> fail  2 GiB is less than 8 GiB

summary: 0 new failures, 0 fixed, 6 still failing, 0 newly unknown, 0 hosts added, 0 hosts removed, 0 waivers added, 0 waivers expired, 0 other changes; verdict not-ready -> not-ready
--- stderr
