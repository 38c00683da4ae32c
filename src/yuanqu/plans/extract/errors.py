"""The one error the extractor raises; its message is shown to users as is (Chinese)."""


class PlanTextError(ValueError):
    """The plan text cannot be read as a plan (empty, undecodable, no numbered sections)."""
