"""Serializers of the surveys API: what goes out (surveys with their questions, responses, results)
and what comes in (a strict body of answers keyed by the questions' field names)."""

from __future__ import annotations

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import Question, Response, Survey


class QuestionSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field_name", read_only=True, help_text="The key of its answer: q_<id>.")

    class Meta:
        model = Question
        fields = [
            "id",
            "field",
            "position",
            "kind",
            "text",
            "help_text",
            "is_required",
            "options",
            "rows",
            "min_value",
            "max_value",
        ]


class SurveySerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "place",
            "audience",
            "one_per",
            "is_anonymous",
            "publishes_results",
            "opens_at",
            "closes_at",
            "version",
        ]


class SurveyDetailSerializer(SurveySerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "questions"]


class ResponseInSerializer(StrictSerializer):
    answers = serializers.DictField(
        help_text=(
            "Keyed by each question's field (q_<id>): an option's index (single choice), a list of "
            "indexes (multiple), 1-5 (scale), a string (text), a number (number), a list of 1-5 per row (matrix)."
        )
    )
    dwelling = serializers.IntegerField(
        required=False, min_value=1, help_text="For a household survey: which of my homes answers (default: the first)."
    )


class ResponseOutSerializer(serializers.ModelSerializer):
    survey = serializers.IntegerField(source="survey_id", read_only=True)

    class Meta:
        model = Response
        fields = ["survey", "channel", "submitted_on"]
