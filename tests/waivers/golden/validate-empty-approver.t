$ readykit validate --schemas schemas bad/empty-approver.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/empty-approver.yaml:6:18: 'approved_by' is empty; expected the name of the person who approved it
