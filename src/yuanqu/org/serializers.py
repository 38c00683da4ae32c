"""Brief shapes of the shared records (units, people) that every app's API nests."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import OrgUnit, User


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, label=_("姓名"))

    class Meta:
        model = User
        fields = ["id", "username", "name"]
