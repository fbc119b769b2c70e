$ readykit validate --schemas schemas bad/wrong-format.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/wrong-format.yaml: unknown format 'readykit-waiver'; expected readykit-project/1, readykit-schema/2, readykit-schema-text/1, readykit-facts/1, readykit-waivers/1, readykit-attestations/1 or readykit-findings/1
