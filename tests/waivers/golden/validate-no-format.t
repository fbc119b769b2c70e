$ readykit validate --schemas schemas bad/no-format.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/no-format.yaml:1:1: missing required key 'format'; expected a string
