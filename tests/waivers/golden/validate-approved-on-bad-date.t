$ readykit validate --schemas schemas bad/approved-on-bad-date.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/approved-on-bad-date.yaml:7:18: 'approved_on' is '02.05.2024'; expected a date YYYY-MM-DD
