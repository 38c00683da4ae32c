"""Logging pieces of our own (wired in settings.LOGGING)."""

import logging


class OneLineRefusal(logging.Filter):
    """A refused request (403) is the platform working as meant, not a fault: Django logs it with
    the PermissionDenied traceback; we keep it to one line naming the path, the person and the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The filter may be installed twice (logging configured twice in one process): act once.
        if getattr(record, "status_code", None) != 403 or getattr(record, "one_line", False):
            return True
        record.one_line = True
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            reason = " ".join(str(record.exc_info[1]).split())
        user = getattr(getattr(record, "request", None), "user", None)
        who = getattr(user, "username", "") or "anonymous"
        record.msg = f"{record.getMessage()} user={who}" + (f" reason={reason}" if reason else "")
        record.args = ()
        record.exc_info = record.exc_text = None
        return True
