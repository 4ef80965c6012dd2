"""``python -m convert`` runs the briefkit command line."""

from .app.cli import main

main(prog_name="briefkit")
