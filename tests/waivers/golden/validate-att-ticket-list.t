$ readykit validate --schemas schemas bad/att-ticket-list.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/att-ticket-list.yaml:7:13: 'ticket' is a list; expected a change ticket id
