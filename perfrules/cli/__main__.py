"""`python -m perfrules.cli`: the command line."""

from perfrules.cli import main

main()
