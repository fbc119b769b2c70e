$ readykit validate --schemas schemas bad/bad-date.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/bad-date.yaml:7:14: 'expires' is '2024-02-30'; expected a date YYYY-MM-DD
