"""`{% if user|can:"plans.edit_plan" %}` in every template (a builtin: no `{% load %}` needed)."""

from django import template

register = template.Library()


@register.filter
def can(user, ability: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can(ability)
