$ readykit validate --schemas schemas governance-ok.yaml attestations-governance-ok.yaml
exit 0
--- stdout
governance-ok.yaml: ok
attestations-governance-ok.yaml: ok
--- stderr
