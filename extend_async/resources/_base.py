"""What every resource (one API area) shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._endpoint import HasPipeline

if TYPE_CHECKING:
    from .._client import AsyncExtend


class AsyncResource(HasPipeline):
    """Base of the async resources: holds the pipeline of the client that sends the calls."""

    def __init__(self, client: AsyncExtend) -> None:
        self._pipeline = client._pipeline
