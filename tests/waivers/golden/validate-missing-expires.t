$ readykit validate --schemas schemas bad/missing-expires.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/missing-expires.yaml:3:5: waiver without 'expires'; expected a date YYYY-MM-DD
