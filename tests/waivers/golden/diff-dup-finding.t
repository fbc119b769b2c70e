$ readykit diff diff/old.json diff/dup-finding.json
exit 3
--- stdout
--- stderr
readykit: error: diff/dup-finding.json:6:5: finding 2 repeats host 'H1', requirement 'R-A' (first as finding 1); expected one finding per host, requirement and flow
