"""The API's own endpoints: the v1 root, token sign-in, "who am I", and a
server-rendered list of endpoints (no Swagger UI: it would need a CDN or a
vendored bundle)."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.models import update_last_login
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.accounts import services as accounts
from fazhi.accounts.authentication import ApiTokenAuthentication
from fazhi.accounts.models import ApiToken
from fazhi.api.throttling import TokenSignInThrottle
from fazhi.core import ratelimit
from fazhi.core.rest.errors import ErrorSerializer, error_body
from fazhi.org import access
from fazhi.org.models import RoleAssignment

# ---------------------------------------------------------------- serializers


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
    token = serializers.CharField(help_text="令牌本身：只在此响应中出现一次，平台只保存其哈希值")
    expires_at = serializers.DateTimeField(help_text="到期时间（API_TOKEN_DAYS 天后）")


class TokenRequestNameSerializer(TokenRequestSerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                 error_messages={"max_length": "令牌名称不能超过100个字"})


class TokenInfoSerializer(serializers.ModelSerializer):
    """A token as listed to its owner: never the secret."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, error_messages={
        "required": "请输入原密码", "blank": "请输入原密码"})
    new_password = serializers.CharField(trim_whitespace=False, error_messages={
        "required": "请输入新密码", "blank": "请输入新密码"})


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
            {"name": "tokens", "title": "我的令牌", "url": reverse("api:tokens")},
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
    throttle_classes = [TokenSignInThrottle]

    @extend_schema(
        summary="用用户名和密码换取令牌（令牌只返回这一次）",
        request=TokenRequestNameSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        # An anonymous post: limited per address like the portal's forms (axes
        # counts only failures; this also bounds token minting).
        retry_after = ratelimit.hit(request, "api.token")
        if retry_after is not None:
            return Response(error_body("throttled", ratelimit.too_many_message(retry_after)), status=429,
                            headers={"Retry-After": str(retry_after)})
        data = TokenRequestNameSerializer(data=request.data)
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
        if accounts.account_of(user).must_change_password:
            return Response(error_body("password_change_required",
                                       "管理员为您设置的密码须先在平台上修改，修改后才能申请令牌"), status=403)
        # Each sign-in makes a new token (the secret exists only in this answer).
        token, secret = accounts.issue_token(user, by=user, now=timezone.now(),
                                             name=data.validated_data.get("name", ""))
        return Response({"token": secret, "expires_at": token.expires_at})

    @extend_schema(summary="注销当前令牌", responses={204: None, 401: ErrorSerializer})
    def delete(self, request):
        # Authentication is switched off for POST; do it here by hand.
        result = ApiTokenAuthentication().authenticate(request)
        if result is None:
            return Response(error_body("not_authenticated", "身份未认证，请提供要注销的令牌"), status=401)
        accounts.revoke_token(result[1], by=result[0], now=timezone.now())
        return Response(status=204)


class TokenListView(APIView):
    """GET /api/v1/auth/tokens/: my tokens (never their secrets)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="我的令牌", responses={200: TokenInfoSerializer(many=True), 401: ErrorSerializer})
    def get(self, request):
        return Response(TokenInfoSerializer(accounts.tokens_of(request.user), many=True).data)


class TokenDetailView(APIView):
    """DELETE /api/v1/auth/tokens/<id>/: revoke one of my tokens."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="注销我的某个令牌", responses={204: None, 401: ErrorSerializer, 404: ErrorSerializer})
    def delete(self, request, pk: int):
        token = accounts.tokens_of(request.user).filter(pk=pk).first()
        if token is None:  # another's token is as absent as a missing one
            return Response(error_body("not_found", "令牌不存在"), status=404)
        accounts.revoke_token(token, by=request.user, now=timezone.now())
        return Response(status=204)


class PasswordView(APIView):
    """POST /api/v1/auth/password/: change my password. Every token (this one
    too) and every other session ends."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="修改本人密码（全部令牌随之注销）", request=PasswordChangeSerializer,
                   responses={204: None, 400: ErrorSerializer, 401: ErrorSerializer})
    def post(self, request):
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts.change_own_password(request.user, old_password=data.validated_data["old_password"],
                                     new_password=data.validated_data["new_password"], now=timezone.now())
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request._request, request.user)  # this session stays
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


# ---------------------------------------------------------------- personal data before publication


class FindingSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="所在位置，如 公示内容")
    kind = serializers.CharField(help_text="id / card / mobile / landline / address")
    label = serializers.CharField(source="hit.label", help_text="类别，如 身份证号")
    text = serializers.CharField(source="hit.text", help_text="原文写法")
    decision = serializers.CharField(allow_null=True, help_text="mask（隐去）/ keep（非个人信息）/ null（未确认）")


class DecisionInput(serializers.Serializer):
    value = serializers.CharField(max_length=200, help_text="需确认的内容（原文写法）")
    decision = serializers.ChoiceField(choices=["mask", "keep"], help_text="mask 隐去；keep 非个人信息，照常公开")


class PersonalDataView(APIView):
    """GET/POST /api/v1/privacy/<label>/<id>/: the personal data found in what a record
    would publish, and one person's decision on one hit (``fazhi.core.privacy``; the
    same service as the staff page). Only someone who may publish the record."""

    permission_classes = [IsAuthenticated]

    def _load(self, request, label, pk):
        from fazhi.core import privacy
        from fazhi.core.errors import NotFound

        s, obj = privacy.load(label, pk)
        if not s.can_decide(request.user, obj):
            raise NotFound("公开对象不存在")
        return s, obj

    @extend_schema(summary="公开前的个人信息确认：列出", responses={200: FindingSerializer(many=True),
                                                          401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, label: str, pk: int):
        from fazhi.core import privacy

        s, obj = self._load(request, label, pk)
        rows = [{"field": f.field, "kind": f.hit.kind, "hit": f.hit, "decision": f.decision}
                for f in privacy.review(obj, s.texts(obj))]
        return Response(FindingSerializer(rows, many=True).data)

    @extend_schema(summary="公开前的个人信息确认：逐条确认", request=DecisionInput,
                   responses={200: FindingSerializer(many=True), 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer})
    def post(self, request, label: str, pk: int):
        from fazhi.core import privacy

        _s, obj = self._load(request, label, pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        privacy.decide(obj, value=data.validated_data["value"], decision=data.validated_data["decision"],
                       by=request.user)
        return self.get(request, label, pk)
