"""The commands of `newsgraph`, one module each: a module that defines `command` (a click.Command or
group) is added by newsgraph/cli.py, so a new command is one new module here. output.py and
options.py are what the commands share; the work itself is the library's (newsgraph/jobs.py for the
use cases: extract, ingest, load, demo)."""
