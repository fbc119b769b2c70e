$ readykit diff diff/old.json diff/truncated.json
exit 3
--- stdout
--- stderr
readykit: error: diff/truncated.json:5:1: invalid JSON: the file ends too early (truncated?)
