$ readykit validate --schemas schemas bad/unknown-key.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/unknown-key.yaml:6:5: unknown key 'aproved_by'; expected one of: requirement, hosts, justification, approved_by, approved_on, risk, ticket, reference, scope, expires
