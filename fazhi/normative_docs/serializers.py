"""API serializers of normative_docs. Public ones expose only what the portal shows."""

from django.utils import timezone
from rest_framework import serializers

from fazhi.normative_docs.models import LegalOpinion, NormDoc

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}
DATE = {**REQUIRED, "invalid": "日期格式错误，应为 YYYY-MM-DD"}


class ArticleSerializer(serializers.Serializer):
    no = serializers.CharField(help_text="条号，如“第三条”；序言为空")
    chapter = serializers.CharField(help_text="所在章，如“第二章 申报与发放”")
    text = serializers.CharField()


class PublicDocSerializer(serializers.ModelSerializer):
    """A published document as the public sees it (no internal fields)."""

    issuer = serializers.CharField(source="issuer.name")
    status_label = serializers.SerializerMethodField(help_text="效力状态：有效/尚未施行/已修改/废止/失效")

    class Meta:
        model = NormDoc
        fields = ["id", "title", "doc_number", "registration_no", "issuer", "status_label", "adopted_on",
                  "published_on", "effective_on", "valid_until", "repealed_on", "expired_on"]
        read_only_fields = fields

    def get_status_label(self, doc) -> str:
        return doc.life_label(self.context.get("today") or timezone.localdate())


class PublicDocDetailSerializer(PublicDocSerializer):
    articles = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta(PublicDocSerializer.Meta):
        fields = [*PublicDocSerializer.Meta.fields, "text", "articles"]
        read_only_fields = fields

    def get_text(self, doc) -> str:
        return doc.current_version.text if doc.current_version_id else ""

    def get_articles(self, doc) -> list[dict]:
        version = doc.current_version if doc.current_version_id else None
        return [{"no": a.get("no", ""), "chapter": a.get("chapter", ""), "text": a.get("text", "")}
                for a in (version.articles if version else [])]


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class StaffDocSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    issuer = serializers.CharField(source="issuer.name")
    status_display = serializers.CharField(source="get_status_display")
    filing_status_display = serializers.CharField(source="get_filing_status_display")

    class Meta:
        model = NormDoc
        fields = ["id", "title", "unit", "issuer", "status", "status_display", "filing_status",
                  "filing_status_display", "doc_number", "registration_no", "published_on", "effective_on",
                  "valid_until", "publication_due", "filing_due", "updated_at"]
        read_only_fields = fields


class StaffDocDetailSerializer(StaffDocSerializer):
    actions = ActionSerializer(many=True, read_only=True, help_text="当前用户现在可以执行的操作")
    text = serializers.SerializerMethodField()

    class Meta(StaffDocSerializer.Meta):
        fields = [*StaffDocSerializer.Meta.fields, "touches_market", "explanation", "legal_basis", "text", "actions"]
        read_only_fields = fields

    def get_text(self, doc) -> str:
        return doc.current_version.text if doc.current_version_id else ""


# ------------------------------------------------------------ action input

class NoInput(serializers.Serializer):
    pass


class TodayInput(serializers.Serializer):
    today = serializers.DateField(required=False, error_messages=DATE, help_text="默认今天")


class LegalReviewInput(TodayInput):
    text = serializers.CharField(required=False, allow_blank=True, default="", help_text="审核意见书")
    opinion = serializers.ChoiceField(
        choices=[LegalOpinion.PASS, LegalOpinion.PASS_WITH_CHANGES], required=False, default=LegalOpinion.PASS,
        error_messages={"invalid_choice": "审核意见应为 pass 或 pass_changes"})


class RegisterInput(TodayInput):
    number_prefix = serializers.CharField(required=False, allow_blank=True, max_length=50,
                                          error_messages={"max_length": "机关代字不能超过50个字"})


class PublishInput(TodayInput):
    effective_on = serializers.DateField(error_messages=DATE, help_text="施行日期")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, error_messages={**REQUIRED, "max_length": "理由不能超过500个字"})


class RepealInput(ReasonInput):
    repealed_on = serializers.DateField(error_messages=DATE)


class RenewInput(TodayInput):
    evaluation = serializers.CharField(error_messages=REQUIRED, help_text="评估意见")
