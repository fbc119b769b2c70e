$ readykit diff diff/old.json diff/new.json
exit 0
--- stdout
old: diff/old.json (not-ready, 2024-05-02T09:00:00Z)
new: diff/new.json (not-ready, 2024-06-30T09:00:00Z)

h1
  still failing   R-A          fail -> fail        4 GiB is less than 8 GiB
  new failure     R-B          pass -> fail        the service is stopped
  fixed           R-C          fail -> pass        Windows Server 2019
  fixed           R-D          warn -> pass        40 GiB free
  newly unknown   R-E          pass -> unknown     the fact was not collected
  waiver added    R-F          fail -> waived      waiver approved by Jane Doe (valid until 2024-09-30)
  waiver expired  R-G          waived -> fail      waiver approved by Jane Doe has expired (valid until 2024-05-31)
  other change    R-H          manual -> attested  attested by Max on 2024-06-01

h2
  waiver expired  R-J          waived -> warn      waiver approved by John Roe is no longer given (valid until 2024-12-31)
  still failing   R-NET F0001  fail -> fail        the probe from h2 to h1 on tcp/443 was filtered
  new failure     R-NET F0002  - -> fail           the probe from h2 to h1 on tcp/445 was closed
  other change    R-NET F0003  fail -> -           no longer assessed

h3
  host removed                                     verdict not-ready

h4
  host added                                       verdict not-ready
  new failure     R-A          - -> fail           6 GiB is less than 8 GiB

summary: 3 new failures, 2 fixed, 2 still failing, 1 newly unknown, 1 host added, 1 host removed, 1 waiver added, 2 waivers expired, 2 other changes; verdict not-ready -> not-ready
--- stderr
