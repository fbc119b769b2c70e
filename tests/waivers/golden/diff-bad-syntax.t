$ readykit diff diff/old.json diff/bad-syntax.json
exit 3
--- stdout
--- stderr
readykit: error: diff/bad-syntax.json:5:59: invalid JSON near '}'; expected a findings.json file as 'readykit render' writes it
