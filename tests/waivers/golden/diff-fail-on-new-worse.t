$ readykit diff --fail-on new diff/improved.json diff/old.json
exit 1
--- stdout
old: diff/improved.json (ready-with-exceptions, 2024-06-30T09:00:00Z)
new: diff/old.json (not-ready, 2024-05-02T09:00:00Z)

h1
  new failure     R-A          pass -> fail        4 GiB is less than 8 GiB
  new failure     R-C          pass -> fail        Windows Server 2012 R2 is not supported
  new failure     R-F          pass -> fail        UAC is on
  other change    R-H          attested -> manual  a person must verify this and attest it

h2
  newly unknown   R-K          pass -> unknown     the fact was not collected
  new failure     R-NET F0001  pass -> fail        the probe from h2 to h1 on tcp/443 was filtered
  new failure     R-NET F0003  - -> fail           the probe from h2 to h1 on tcp/80 was closed

h3
  new failure     R-A          pass -> fail        2 GiB is less than 8 GiB

summary: 6 new failures, 0 fixed, 0 still failing, 1 newly unknown, 0 hosts added, 0 hosts removed, 0 waivers added, 0 waivers expired, 1 other change; verdict ready-with-exceptions -> not-ready
--- stderr
