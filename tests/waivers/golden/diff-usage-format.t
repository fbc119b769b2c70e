$ readykit diff --format xml diff/old.json diff/new.json
exit 2
--- stdout
--- stderr
readykit: error: --format 'xml': expected text or json
