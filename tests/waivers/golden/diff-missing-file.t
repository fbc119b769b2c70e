$ readykit diff --fail-on new diff/no-such.json diff/old.json
exit 3
--- stdout
--- stderr
readykit: error: diff/no-such.json: cannot open: No such file or directory
