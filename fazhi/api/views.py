"""The API's own endpoints: the v1 root, token sign-in, "who am I", and a
server-rendered list of endpoints (no Swagger UI: it would need a CDN or a
vendored bundle)."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.errors import error_body
from fazhi.org import access
from fazhi.org.models import RoleAssignment

# ---------------------------------------------------------------- serializers


class ErrorSerializer(serializers.Serializer):
    error = inline_serializer("ErrorBody", {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "rule": serializers.CharField(allow_null=True),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    })


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="角色代码，如 clerk")
    title = serializers.CharField(source="get_role_display", help_text="角色名称，如 经办人")
    unit = UnitRefSerializer()
    include_subunits = serializers.BooleanField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    post = serializers.CharField()
    unit = UnitRefSerializer()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_admin = serializers.BooleanField(help_text="系统管理员（拥有全部权限）")
    person = PersonSerializer(allow_null=True)
    roles = RoleSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(error_messages={"required": "请输入用户名", "blank": "请输入用户名"})
    password = serializers.CharField(
        trim_whitespace=False, style={"input_type": "password"},
        error_messages={"required": "请输入密码", "blank": "请输入密码"},
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


# ---------------------------------------------------------------- views


class RootView(APIView):
    """GET /api/v1/: the endpoint groups of this API."""

    @extend_schema(summary="接口目录", responses=inline_serializer("ApiRoot", {
        "version": serializers.CharField(),
        "groups": serializers.ListField(child=serializers.DictField()),
    }))
    def get(self, request):
        from fazhi.api.urls import V1_GROUPS

        base = reverse("api:root")
        groups = [
            {"name": "auth", "title": "令牌登录", "url": reverse("api:token")},
            {"name": "me", "title": "当前用户", "url": reverse("api:me")},
        ] + [
            {"name": g.prefix, "title": g.title, "url": f"{base}{g.prefix}/"}
            for g in V1_GROUPS
        ]
        return Response({
            "version": "1",
            "groups": groups,
            "schema": reverse("api:schema"),
            "docs": reverse("api:docs"),
        })


class TokenView(APIView):
    """POST /api/v1/auth/token/: exchange username and password for a token.

    Goes through django-axes like the sign-in page: repeated failures lock the
    account (username + IP) for AXES_COOLOFF_TIME.
    """

    authentication_classes: list = []  # no session, hence no CSRF on this endpoint
    permission_classes = [AllowAny]

    @extend_schema(
        summary="用用户名和密码换取令牌",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # request= the DRF request: axes needs it for the IP address and
        # records its lock-out flag on it.
        user = authenticate(request=request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                return Response(error_body(
                    "locked_out", f"登录失败次数过多，账号已被锁定 {minutes} 分钟，请稍后再试或联系系统管理员",
                ), status=429)
            return Response(error_body("invalid_credentials", "用户名或密码错误"), status=400)
        # What a sign-in does, without creating a session: record the time and
        # clear this account's failures from this address (AXES_RESET_ON_SUCCESS).
        update_last_login(None, user)
        axes_reset(ip=getattr(request, "axes_ip_address", None), username=user.get_username())
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(summary="注销当前令牌", responses={204: None})
    def delete(self, request):
        # Authentication is switched off for POST; do it here by hand.
        from rest_framework.authentication import TokenAuthentication

        result = TokenAuthentication().authenticate(request)
        if result is None:
            return Response(error_body("not_authenticated", "身份未认证，请提供要注销的令牌"), status=401)
        result[1].delete()
        return Response(status=204)


class MeView(APIView):
    """GET /api/v1/me/: the signed-in user, their person record, unit and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="当前用户", responses={200: MeSerializer, 401: ErrorSerializer})
    def get(self, request):
        user = request.user
        person = access.person_of(user)
        roles = (
            RoleAssignment.objects.filter(person=person).select_related("unit").order_by("unit__path", "role")
            if person else RoleAssignment.objects.none()
        )
        payload = {
            "id": user.pk,
            "username": user.get_username(),
            "is_admin": access.is_admin(user),
            "person": person,
            "roles": list(roles),
        }
        return Response(MeSerializer(payload).data)


# ---------------------------------------------------------------- docs page


@require_GET
def docs(request):
    """A plain list of endpoints generated from the OpenAPI schema (staff sign-in required)."""
    from fazhi.api.urls import V1_GROUPS

    titles = {g.prefix: g.title for g in V1_GROUPS} | {"auth": "令牌登录", "me": "当前用户"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    rows = []
    for path, ops in sorted(schema.get("paths", {}).items()):
        for method, op in ops.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            rows.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary") or op.get("description", "").split("\n")[0],
                "group": titles.get(path.removeprefix("/api/v1/").split("/")[0], ""),
            })
    return render(request, "api/docs.html", {"rows": rows, "info": schema.get("info", {})})
