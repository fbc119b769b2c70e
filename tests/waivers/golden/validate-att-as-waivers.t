$ readykit validate --schemas schemas bad/att-as-waivers.yaml
exit 0
--- stdout
bad/att-as-waivers.yaml: ok
--- stderr
