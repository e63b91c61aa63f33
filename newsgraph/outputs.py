"""Output files (RDF exports, HTML pages, metrics) written whole or not at all: into a temporary file
in the same directory, renamed over the target once complete, so that a full disk or a crash never
leaves a partial file, nor spoils the one that was there."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from newsgraph.errors import OutputError


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


@contextmanager
def output_file(path: str | Path, mode: str = "wb", **options: Any) -> Iterator[IO[Any]]:
    """A file to write `path` through (open's `mode` and `options`); it replaces `path` when the block
    ends without error. An OSError (no space, no permission) is an OutputError naming the file.

    A target that is not a regular file (a terminal, a pipe, /dev/stdout) is written in place:
    renaming over it would replace the device rather than write to it.
    """
    target = Path(path)
    try:
        existing = target.stat()
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        try:
            with open(target, mode, **options) as handle:
                yield handle
        except OSError as exc:
            raise OutputError(f"{target}: cannot write ({_why(exc)})") from exc
        return
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({_why(exc)})") from exc
    try:
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        kept = "the file there is unchanged" if existing else "nothing was written"
        raise OutputError(f"{target}: cannot write ({_why(exc)}); {kept}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(path: str | Path, data: str | bytes) -> None:
    """Write all of `data` to `path` whole or not at all (see output_file)."""
    if isinstance(data, str):
        with output_file(path, "w", encoding="utf-8") as handle:
            handle.write(data)
    else:
        with output_file(path, "wb") as handle:
            handle.write(data)
