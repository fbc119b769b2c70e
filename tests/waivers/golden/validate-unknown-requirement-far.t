$ readykit validate --schemas schemas bad/unknown-requirement-far.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/unknown-requirement-far.yaml:3:18: waiver for requirement 'MPE-SRV-MEM', which schema 'rk-test' does not have; expected a requirement id of that schema
