"""Long work done by the background worker for one person, with a progress page: `start_job`
queues it, the handler reports its steps, the page polls the job and moves on to the result.
See docs/operations.md “The background worker”."""

from .services import Progress, start_job

__all__ = ["Progress", "start_job"]
