"""Start Django for a bench script on a throwaway SQLite database (a temporary data folder), or on
the PostgreSQL database BENCH_DATABASE_URL names (`start(**bench_database())`)."""

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


def bench_database() -> dict[str, str]:
    """`start`'s DATABASE_URL from BENCH_DATABASE_URL (a PostgreSQL database made for the bench);
    none when it is unset: the throwaway SQLite database."""
    url = os.environ.get("BENCH_DATABASE_URL")
    return {"DATABASE_URL": url} if url else {}


def migrated_with_leader():
    """Migrate the fresh database and make the leader (reads everything) the bench reads as."""
    from django.core.management import call_command

    from yuanqu.org.models import RoleAssignment, User

    call_command("migrate", verbosity=0)
    leader = User.objects.create_user("bench-leader")
    RoleAssignment.objects.create(user=leader, role="leader")
    return leader
