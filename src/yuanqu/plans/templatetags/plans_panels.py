from django import template

from yuanqu.plans.models import LedgerItem, Target

register = template.Library()


@register.simple_tag(takes_context=True)
def village_ledgers(context, unit):
    """The village page's (org) plan items: the targets it leads and the ledger items it is
    responsible for (sewage works, 示范党组织, 经营收入 …), of the targets the user reads. Two queries."""
    user = context["request"].user
    visible = Target.objects.visible_to(user)
    targets = list(visible.filter(lead_unit=unit).select_related("plan").order_by("plan__year", "order", "pk"))
    items = list(LedgerItem.objects.alive().filter(unit=unit, target__in=visible.values("pk"))
                 .select_related("target").order_by("target__order", "order", "pk"))
    return {"targets": targets, "items": items}
