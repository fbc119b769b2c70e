$ readykit validate --schemas schemas bad/schema-mismatch.yaml
exit 3
--- stdout
--- stderr
readykit: error: bad/schema-mismatch.yaml:2:9: schema 'migrator-pro-exchange-20.11' not found in schemas; expected the id of a schema there
