$ readykit validate --schemas schemas bad/not-a-list.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/not-a-list.yaml:3:3: 'waivers' is a mapping; expected a list of waivers
