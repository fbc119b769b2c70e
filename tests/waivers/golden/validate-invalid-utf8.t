$ readykit validate --schemas schemas bad/invalid-utf8.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/invalid-utf8.yaml:5:29: invalid UTF-8 (byte 0xFC); expected UTF-8 text
