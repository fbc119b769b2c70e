$ readykit validate --schemas schemas bad/missing-approver.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/missing-approver.yaml:3:5: waiver without 'approved_by'; expected the name of the person who approved it
