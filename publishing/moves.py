"""What moving a publication in time means for its post.

A publication's time is part of what a manager approved. Outside the pause flow (sending now, or moving, what fell
due while publishing was paused), moving an approved publication sends its post back to review like any other edit,
and every move goes into the post's history. Both are the editorial calendar's rules on its own models: it registers
its recorder here from its AppConfig.ready(), as an upper app plugs an adapter into the adapters' registry;
publishing imports nothing of editorial.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Move:
    publication: object
    by: object
    before: datetime | None
    after: datetime | None
    back_to_review: bool  # the move changed what was approved
    sent_now: bool = False  # "publish now" of a publication whose time had come


_recorders: list[Callable[[Move], None]] = []


def register(recorder: Callable[[Move], None]) -> Callable[[Move], None]:
    if recorder not in _recorders:
        _recorders.append(recorder)
    return recorder


def record(move: Move) -> None:
    for recorder in _recorders:
        recorder(move)
