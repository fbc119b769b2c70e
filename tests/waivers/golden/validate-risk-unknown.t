$ readykit validate --schemas schemas bad/risk-unknown.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/risk-unknown.yaml:7:11: 'risk' is 'critical'; expected low, medium or high
