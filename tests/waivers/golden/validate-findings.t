$ readykit validate diff/old.json diff/new.json
exit 0
--- stdout
diff/old.json: ok
diff/new.json: ok
--- stderr
