$ readykit validate --schemas schemas bad/approved-on-empty.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/approved-on-empty.yaml:7:18: 'approved_on' is empty; expected a date YYYY-MM-DD
