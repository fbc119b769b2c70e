$ readykit validate --schemas schemas bad/att-date-after-expiry.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/att-date-after-expiry.yaml:7:14: 'expires' (2024-05-31) is before 'date' (2024-06-01); expected an expiry on or after the day it was attested
