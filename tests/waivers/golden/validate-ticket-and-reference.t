$ readykit validate --schemas schemas bad/ticket-and-reference.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/ticket-and-reference.yaml:8:16: both 'ticket' and 'reference' are given; expected one ('reference' is the older name of 'ticket')
