from django import template

register = template.Library()


@register.filter
def page_numbers(page) -> list:
    """The page links to show: the first, the last and two each side of this one, "…" between
    (Django's elided range): a list of 4,000 pages loops over nine, not over every page."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
