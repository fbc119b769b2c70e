$ readykit diff --fail-on worse diff/old.json diff/new.json
exit 2
--- stdout
--- stderr
readykit: error: --fail-on 'worse': diff accepts only 'new'
