"""`huzzah init`: a commented app.yaml for someone who installed Huzzah with pip and has no repository to copy from.

The template ships inside the package (`huzzah/templates/app.yaml`, package-data): it is the one documented
app.yaml, every setting with what it means. An existing file is never replaced without `--force`: it may
hold a team's real configuration.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

TEMPLATE = resources.files("huzzah") / "templates" / "app.yaml"


def write_template(path: Path, *, force: bool = False) -> int:
    """Write the template to `path`; the exit code (2, with one line on stderr, when it is not written)."""
    if path.exists() and not force:
        print(f"huzzah: {path} already exists — add --force to replace it, or --output to write another file",
              file=sys.stderr)
        return 2
    try:
        path.write_bytes(TEMPLATE.read_bytes())
    except OSError as exc:
        print(f"huzzah: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}: every setting, with what it means. Edit it, then try it with `huzzah chat`.")
    if path.resolve() != Path("app.yaml").resolve():
        print(f"Huzzah reads ./app.yaml: for this file, set HUZZAH_CONFIG={path} or pass --config {path}.")
    return 0
