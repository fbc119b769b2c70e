$ readykit validate --schemas schemas bad/att-blank-template.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/att-blank-template.yaml:6:18: 'attested_by' is empty; expected the name of the person who verified it
