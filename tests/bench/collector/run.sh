#!/bin/sh
# Prints readykit-collect's figures (exe size, collection time, filtered-probe duration).
exec /usr/bin/python3 "$(dirname "$0")/bench.py" "$@"
