$ readykit diff diff/old.json diff/bad-status.json
exit 3
--- stdout
--- stderr
readykit: error: diff/bad-status.json:7:16: finding 2 has status 'failed'; expected pass, fail, warn, unknown, not-applicable, manual, waived or attested
