$ readykit validate --schemas schemas bad/att-machine-check.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/att-machine-check.yaml:3:18: attestation for 'T-MEM', a machine check (min): facts, not people, decide machine checks; expected a manual check ('readykit attestations-template' lists them)
