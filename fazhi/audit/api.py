"""REST endpoints of audit, mounted under /api/v1/audit/ by fazhi/api/urls.py.

Same rules as the pages: a trail is visible per fazhi.audit.selectors
(404 otherwise, so existence stays private); verifying the chain is for
administrators and holders of audit.view_all.
"""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.audit.labels import action_label
from fazhi.audit.models import AuditEntry
from fazhi.audit.selectors import covers_everything, trail_visible_to
from fazhi.audit.verify import verify_chain
from fazhi.core.errors import NotFound, PermissionDenied
from fazhi.core.rest import params  # noqa: F401  (registers the <id:…> and <key:…> path converters)


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["seq", "at", "actor_name", "actor_post", "actor_unit", "action", "action_label",
                  "object_type", "object_id", "object_repr", "unit", "data", "prev_hash", "hash"]
        read_only_fields = fields

    def get_action_label(self, obj) -> str:
        return action_label(obj.action)


class TrailView(generics.ListAPIView):
    """The trail of one object, oldest first."""

    serializer_class = AuditEntrySerializer

    def get_queryset(self):
        return trail_visible_to(self.request.user, self.kwargs["object_type"], self.kwargs["object_id"])

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        if not queryset.exists():
            raise NotFound("没有该记录的留痕，或您无权查看")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class VerifyResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    count = serializers.IntegerField()
    head_hash = serializers.CharField(required=False)
    bad_seq = serializers.IntegerField(required=False)
    bad_id = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(required=False)


class VerifyView(APIView):
    """Walk the whole chain: {"ok": true, "count": n} or the first bad entry."""

    serializer_class = VerifyResultSerializer

    def get(self, request):
        if not covers_everything(request.user):
            raise PermissionDenied("只有系统管理员和全区范围的考核员可以校验整条留痕链")
        return Response(verify_chain().as_dict())


urlpatterns = [
    path("trail/<key:object_type>/<key:object_id>/", TrailView.as_view(), name="trail"),
    path("verify/", VerifyView.as_view(), name="verify"),
]
