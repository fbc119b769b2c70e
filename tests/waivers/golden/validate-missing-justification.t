$ readykit validate --schemas schemas bad/missing-justification.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/missing-justification.yaml:6:5: waiver without 'justification'; expected the reason the gap is accepted, in words
