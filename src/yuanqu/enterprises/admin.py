"""The lists the administrator keeps (tags, sources, indicators, growth steps, the industry
table's names); enterprises and figures are read-only here (their writes go through services)."""

from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import (
    Enterprise,
    EnterpriseFigure,
    EnterpriseTag,
    FigureSource,
    Indicator,
    IndustryDivision,
    IndustrySection,
    MujunPolicy,
    MujunRun,
    MujunScheme,
    TierStep,
)


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "industry", "above_scale_since", "liaison_unit", "is_demo"]
    search_fields = ["name", "credit_code"]


@admin.register(EnterpriseFigure)
class FigureAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "year", "indicator", "value", "source", "version", "created_at"]
    list_filter = ["year", "indicator", "source"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]


@admin.register(EnterpriseTag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(FigureSource)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "allow_negative", "order", "is_active"]  # the key is English code: shown on its form
    list_editable = ["order", "is_active"]


@admin.register(TierStep)
class TierStepAdmin(admin.ModelAdmin):
    list_display = ["name", "ladder", "kind", "indicator", "threshold", "rank", "candidate_share", "is_active"]


@admin.register(IndustrySection)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(IndustryDivision)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "section"]
    list_filter = ["section"]
    search_fields = ["code", "name"]


# Schemes and runs are written through services (validation, versions, the lock); the policies
# that follow a class are plain data.
@admin.register(MujunScheme)
class MujunSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "jurisdiction", "version", "updated_at"]


@admin.register(MujunRun)
class MujunRunAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "year", "status", "created_by", "scored_at", "published_at"]
    exclude = ["snapshot"]


@admin.register(MujunPolicy)
class MujunPolicyAdmin(admin.ModelAdmin):
    list_display = ["class_key", "kind", "text", "office", "order", "is_active"]
    list_filter = ["class_key", "kind", "is_active"]
