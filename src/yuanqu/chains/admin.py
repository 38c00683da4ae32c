from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import Chain, ChainNode, NodeEnterprise


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ["name", "lead_unit", "chief", "weak_min_enterprises", "weak_min_output", "is_demo"]


@admin.register(ChainNode)
class ChainNodeAdmin(ReadOnlyAdmin):
    list_display = ["chain", "code", "name", "segment", "is_extension", "parent"]
    list_filter = ["chain", "segment", "is_extension"]
    search_fields = ["code", "name"]


@admin.register(NodeEnterprise)
class NodeEnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["node", "enterprise", "role", "output"]
    list_filter = ["role", "node__chain"]
