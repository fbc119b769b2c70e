$ readykit validate --schemas schemas bad/hosts-empty-list.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/hosts-empty-list.yaml:4:12: 'hosts' is an empty list; expected a host name or glob such as "CEX*", or a list of them
