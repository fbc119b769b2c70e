$ readykit validate --schemas schemas bad/missing-hosts.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/missing-hosts.yaml:3:5: waiver without 'hosts'; expected a host name or glob such as "CEX*", or a list of them
