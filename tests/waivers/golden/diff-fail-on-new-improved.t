$ readykit diff --fail-on new diff/old.json diff/improved.json
exit 0
--- stdout
old: diff/old.json (not-ready, 2024-05-02T09:00:00Z)
new: diff/improved.json (ready-with-exceptions, 2024-06-30T09:00:00Z)

h1
  fixed           R-A          fail -> pass        16 GiB
  fixed           R-C          fail -> pass
  fixed           R-F          fail -> pass
  other change    R-H          manual -> attested  attested by ? on ?

h2
  other change    R-K          unknown -> pass
  fixed           R-NET F0001  fail -> pass
  other change    R-NET F0003  fail -> -           no longer assessed

h3
  fixed           R-A          fail -> pass

summary: 0 new failures, 5 fixed, 0 still failing, 0 newly unknown, 0 hosts added, 0 hosts removed, 0 waivers added, 0 waivers expired, 3 other changes; verdict not-ready -> ready-with-exceptions
--- stderr
