"""``python -m convert`` runs the briefkit command line."""

from .cli import main

main(prog_name="briefkit")
