$ readykit validate --schemas schemas waivers-ok.yaml bad/missing-justification.yaml bad/att-machine-check.yaml
exit 3
--- stdout
waivers-ok.yaml: ok
--- stderr
readykit: error: bad/missing-justification.yaml:6:5: waiver without 'justification'; expected the reason the gap is accepted, in words
readykit: error: bad/att-machine-check.yaml:3:18: attestation for 'T-MEM', a machine check (min): facts, not people, decide machine checks; expected a manual check ('readykit attestations-template' lists them)
