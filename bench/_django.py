"""Start Django for a bench script on a throwaway SQLite database (a temporary data folder)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(**env: str) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ["YUANQU_DATA_DIR"] = env.get("YUANQU_DATA_DIR") or tempfile.mkdtemp(prefix="yuanqu-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    return ROOT
