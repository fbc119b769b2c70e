$ readykit diff diff/old.json diff/empty.json
exit 3
--- stdout
--- stderr
readykit: error: diff/empty.json: the file is empty; expected a findings.json file as 'readykit render' writes it
