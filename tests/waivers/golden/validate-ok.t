$ readykit validate --schemas schemas waivers-ok.yaml attestations-ok.yaml
exit 0
--- stdout
waivers-ok.yaml: ok
attestations-ok.yaml: ok
--- stderr
