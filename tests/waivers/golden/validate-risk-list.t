$ readykit validate --schemas schemas bad/risk-list.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/risk-list.yaml:7:11: 'risk' is a list; expected low, medium or high
