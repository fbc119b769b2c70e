$ readykit validate --schemas schemas bad/bad-date-format.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/bad-date-format.yaml:7:14: 'expires' is '30.06.2024'; expected a date YYYY-MM-DD
