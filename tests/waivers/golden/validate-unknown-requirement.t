$ readykit validate --schemas schemas bad/unknown-requirement.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/unknown-requirement.yaml:3:18: waiver for requirement 'T-MEMORY', which schema 'rk-test' does not have; expected a requirement id of that schema (did you mean T-MEM?)
