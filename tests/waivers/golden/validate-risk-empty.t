$ readykit validate --schemas schemas bad/risk-empty.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/risk-empty.yaml:7:11: 'risk' is empty; expected low, medium or high
