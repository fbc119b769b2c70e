$ readykit validate --schemas schemas bad/alias.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/alias.yaml:10:20: YAML alias '*why' is not allowed; write the value out in full
