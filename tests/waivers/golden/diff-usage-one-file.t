$ readykit diff diff/old.json
exit 2
--- stdout
--- stderr
readykit: error: diff takes two findings files; see 'readykit --help'
