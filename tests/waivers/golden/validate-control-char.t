$ readykit validate --schemas schemas bad/control-char.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/control-char.yaml:5:20: a control character (U+0007) in a string; expected text
