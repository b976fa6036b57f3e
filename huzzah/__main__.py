"""`python -m huzzah`: the `huzzah` command, for where its script is not on PATH (a venv not activated, a
container's entry point, a Windows machine with no Scripts folder on PATH)."""

import sys

from huzzah.cli import main

sys.exit(main())
