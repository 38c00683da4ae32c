from ..org.named_units import zone  # noqa: F401  (fixtures for the task-list tests)
from .task_lists import extracted  # noqa: F401
