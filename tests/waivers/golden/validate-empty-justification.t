$ readykit validate --schemas schemas bad/empty-justification.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/empty-justification.yaml:5:20: 'justification' is empty; expected the reason the gap is accepted, in words
