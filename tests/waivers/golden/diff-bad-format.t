$ readykit diff diff/old.json diff/bad-format.json
exit 3
--- stdout
--- stderr
readykit: error: diff/bad-format.json:2:13: unknown format 'readykit-findings/2'; expected readykit-findings/1
