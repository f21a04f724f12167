"""Celery's filesystem transport (the embedded default broker), made safe for several processes on one folder.

kombu 5.7 writes a message file in place, under its final name, in the folder consumers list: a worker could take a
file another process was still writing and die on `JSONDecodeError` (it did, and nothing restarted it). Here:
- a message is written under a hidden name and renamed into place once whole (a rename within a folder is atomic);
- a consumer claims a file by renaming it within the folder: two consumers can never both take it (kombu moved it to
  the temporary folder, a copy and a delete when that is another filesystem);
- a claimed file that does not parse (a writer that does not rename is still at it) is put back for a later read,
  and set aside with an error in the log once it has stayed unreadable for `UNREADABLE_AFTER` seconds.

Importing this module (museumcm.celery does) makes `filesystem://` mean this transport in every process.
"""

import contextlib
import logging
import shutil
import time
import uuid
from pathlib import Path
from queue import Empty

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger("museumcm.broker")

UNREADABLE_AFTER = 60.0  # seconds without a write after which an unreadable message file is set aside


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Write under a hidden name, then rename into place: consumers only ever see whole files."""
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = Path(self.data_folder_out) / name
        hidden = final.with_name(f".{name}.writing")
        try:
            hidden.write_bytes(str_to_bytes(dumps(payload)))
            hidden.replace(final)
        except OSError as error:
            with contextlib.suppress(OSError):
                hidden.unlink()
            raise ChannelError(f"Cannot add file {str(final)!r} to directory") from error

    def _get(self, queue):
        """The oldest whole message of `queue`, claimed by an atomic rename."""
        wanted = f"{queue}.msg"
        folder = Path(self.data_folder_in)
        for name in sorted(entry.name for entry in folder.iterdir()):
            if name.partition(".")[2] != wanted:
                continue  # another queue's, or a hidden file being written or claimed
            claimed = folder / f".{name}.{uuid.uuid4().hex}.claimed"
            try:
                (folder / name).rename(claimed)
            except OSError:
                continue  # another consumer took it first
            payload = self._read(claimed, name)
            if payload is not None:
                return payload
        raise Empty()

    def _read(self, claimed: Path, name: str):
        try:
            payload = loads(bytes_to_str(claimed.read_bytes()))
        except ValueError:  # not whole yet (or never will be)
            self._unreadable(claimed, name)
            return None
        except OSError as error:
            raise ChannelError(f"Cannot read file {str(claimed)!r} from queue.") from error
        if self.store_processed:
            shutil.move(claimed, Path(self.processed_folder) / name)
        else:
            claimed.unlink()
        return payload

    def _unreadable(self, claimed: Path, name: str) -> None:
        """Put it back for a later read; set it aside once nobody has written to it for a while."""
        if time.time() - claimed.stat().st_mtime < UNREADABLE_AFTER:
            claimed.rename(claimed.with_name(name))
            return
        aside = Path(self.processed_folder) / f"{name}.unreadable"
        aside.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(claimed, aside)
        logger.error("broker: message file %s stayed unreadable; set aside as %s", name, aside)


class Transport(filesystem.Transport):
    """kombu's filesystem transport with the channel above."""

    Channel = Channel


TRANSPORT_ALIASES["filesystem"] = "museumcm.broker:Transport"
