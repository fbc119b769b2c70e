$ readykit validate --schemas schemas bad/unknown-top-key.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/unknown-top-key.yaml:2:1: unknown key 'waiver'; expected one of: format, schema, waivers
