"""企业: the minimal enterprise record other registers point at (chain nodes now; the enterprise
register of the next issue extends it with scale, flags and figures)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet

from .credit_code import credit_code_problem


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


class Enterprise(TimeStampedModel, VersionedModel):
    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The zone's enterprises are no unit's own records: whoever reads the registers built on them
    # (chains, the coming enterprise register) reads them; `needs_unit=False` lets readers through.
    scope = Scope(read_all="enterprises.read", needs_unit=False, restrict=lambda qs, user: qs.none())
    WRITABLE_FIELDS = ("name", "credit_code")

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
