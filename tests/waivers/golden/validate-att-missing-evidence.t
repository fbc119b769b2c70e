$ readykit validate --schemas schemas bad/att-missing-evidence.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/att-missing-evidence.yaml:3:5: attestation without 'evidence'; expected what was checked and where the proof is, in words
