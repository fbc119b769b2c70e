$ readykit validate --schemas schemas bad/ticket-empty.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/ticket-empty.yaml:7:13: 'ticket' is empty; expected a change or risk ticket id
