$ readykit validate --schemas schemas bad/entry-scalar.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/entry-scalar.yaml:3:5: waiver 1 is a scalar; expected a mapping of requirement, hosts, justification, approved_by, expires and optionally approved_on, risk, ticket and scope
