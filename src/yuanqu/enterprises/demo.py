"""Demo enterprises for `yuanqu demo` (made-up names, valid credit codes, marked is_demo); the
chains demo puts them on chain nodes."""

from __future__ import annotations

import random

from django.contrib.contenttypes.models import ContentType

from yuanqu.core.models import ChangeRecord

from . import services
from .credit_code import ALPHABET, check_character
from .models import Enterprise

PLACES = ["海门", "江海", "通州湾", "长江口", "三和", "东灶港", "包场", "临江"]
TRADES = ["船舶配套", "海工装备", "精密机械", "智能装备", "新型建材", "钢构", "汽车零部件", "电子科技",
          "新材料", "机器人", "建筑科技", "动力系统", "内装工程", "物流", "软件", "热管理"]
KINDS = ["有限公司", "股份有限公司", "科技有限公司"]
COUNT = 120


def demo_credit_code(rng: random.Random) -> str:
    body = "91320684" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def clear_demo() -> int:
    ids = list(Enterprise.objects.filter(is_demo=True).values_list("pk", flat=True))
    Enterprise.objects.filter(pk__in=ids).delete()
    ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Enterprise), object_id__in=ids).delete()
    return len(ids)


def build_demo(*, today) -> None:
    rng = random.Random(20260301)
    names = [f"{p}{t}{k}" for p in PLACES for t in TRADES for k in KINDS]
    for name in rng.sample(names, k=COUNT):
        services.enterprise_create(actor=None, name=name, credit_code=demo_credit_code(rng), is_demo=True)
