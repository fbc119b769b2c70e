$ readykit validate --schemas schemas bad/null-approver.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/null-approver.yaml:6:18: 'approved_by' is empty; expected the name of the person who approved it
