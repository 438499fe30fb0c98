"""Files that only the journal's owner may read: the database, keys, backups, exports."""

from __future__ import annotations

import contextlib
import os
import stat


def make_private(path: str, folder: bool = False) -> None:
    """Create `path` (an empty file, or a folder) for its owner only, whatever the umask, and
    take group and other access away from one that exists (a checkout's instance/ is 0755)."""
    mode = 0o700 if folder else 0o600
    if folder:
        os.makedirs(path, mode=mode, exist_ok=True)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, mode))
    if stat.S_IMODE(os.stat(path).st_mode) & 0o077:
        with contextlib.suppress(PermissionError):  # not ours: leave it to its owner
            os.chmod(path, mode)


@contextlib.contextmanager
def private_files():
    """Everything created inside is the owner's only (an export of drafts, say)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)
