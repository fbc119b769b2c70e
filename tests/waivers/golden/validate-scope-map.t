$ readykit validate --schemas schemas bad/scope-map.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/scope-map.yaml:7:12: 'scope' is a mapping; expected what the acceptance covers, in words
