"""Brief shapes of the plan's records that other apps' APIs nest (a 督办单's target, ...)."""

from rest_framework import serializers

from .models import Measure, Section, Target


class SectionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "no", "title"]


class MeasureBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "no", "head"]


class TargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "title", "plan"]
