$ readykit validate --schemas schemas bad/duplicate-key.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/duplicate-key.yaml:7:5: duplicate key 'approved_by' (first at line 6); expected each key once
