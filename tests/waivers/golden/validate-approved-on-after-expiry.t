$ readykit validate --schemas schemas bad/approved-on-after-expiry.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/approved-on-after-expiry.yaml:7:18: 'approved_on' (2025-01-01) is after 'expires' (2024-12-31); expected an approval on or before the expiry
