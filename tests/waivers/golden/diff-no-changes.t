$ readykit diff diff/improved.json diff/improved.json
exit 0
--- stdout
old: diff/improved.json (ready-with-exceptions, 2024-06-30T09:00:00Z)
new: diff/improved.json (ready-with-exceptions, 2024-06-30T09:00:00Z)

no changes

summary: 0 new failures, 0 fixed, 0 still failing, 0 newly unknown, 0 hosts added, 0 hosts removed, 0 waivers added, 0 waivers expired, 0 other changes; verdict ready-with-exceptions -> ready-with-exceptions
--- stderr
